"""One :class:`Settings` object per run: every choice that is not data.

Every library entry point that assesses, forecasts for a target or
backtests takes ``settings=`` (default :data:`DEFAULTS`), every notebook
builds one from its parameters, the CLI builds one from its flags or
``--settings FILE``, and the report passes the same values to every
notebook, so all outputs of one run come from the same numbers.

Examples
--------
>>> s = Settings(n_paths=2000, seed=3)
>>> s.replace(as_of=2022).as_of
2022
>>> Settings.from_mapping({"n_pahts": 10})
Traceback (most recent call last):
...
plananalysis.errors.ParameterError: settings: unknown setting 'n_pahts' (did you mean 'n_paths'?); known: ...
>>> Settings(horizon=5)
Traceback (most recent call last):
...
plananalysis.errors.ParameterError: settings: 'horizon' was removed in 0.3: the forecast horizon is set by each target's year ...
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from .errors import ParameterError

__all__ = ["Settings", "DEFAULTS", "CALIBRATIONS", "BOUNDS_MODES", "LANGUAGES", "REMOVED_SETTINGS"]

CALIBRATIONS = ("reference_class", "none")
LANGUAGES = ("en", "zh")
#: What the fit does with figures published only as a bound (">97"): the values of
#: :data:`plananalysis.models.censored.BOUNDS`, the default first.
BOUNDS_MODES = ("censored", "drop")

#: Settings removed from :class:`Settings`, with what to use instead. Giving one (as a keyword,
#: in a mapping or settings file, or as a CLI flag) is an error that says so, never silently ignored.
REMOVED_SETTINGS = {
    "horizon": ("the forecast horizon is set by each target's year (target_year); nothing read this "
                "setting, so drop it (backtests take horizons= / --max-horizon; "
                "plananalysis.models.forecast takes horizon=)"),
}


def refuse_removed(names, source="settings") -> None:
    """Raise a ParameterError for the first removed setting among ``names``, saying what to use instead.

    Examples
    --------
    >>> refuse_removed(["seed"])
    >>> refuse_removed(["horizon"], source="s.yaml")
    Traceback (most recent call last):
    ...
    plananalysis.errors.ParameterError: s.yaml: 'horizon' was removed in 0.3: the forecast horizon is set by ...
    """
    for name in names:
        if name in REMOVED_SETTINGS:
            raise ParameterError(f"{source}: {name!r} was removed in 0.3: {REMOVED_SETTINGS[name]}")


@dataclass(frozen=True)
class Settings:
    """Choices for one analysis run, with one set of defaults.

    Parameters
    ----------
    model : str
        Forecast model name (see :func:`plananalysis.models.forecast`), default ``"auto"``.
    n_paths : int
        Simulated paths per target (default 10000). The Monte-Carlo
        standard error of a probability is at most ``0.5 / sqrt(n_paths)``.
    seed : int
        Seed of the random generator; every target uses it.
    as_of : int, optional
        Drop every observation after this year ("what would we have said
        then?"). ``None``: all data.
    strict : bool
        Read ``'>'``/``'<'`` as exclusive (超过/不满). Default False: the
        plan's 以上/以下, inclusive.
    on_track, at_risk : float
        Probability thresholds of the status (``0 <= at_risk <= on_track <= 1``).
    fit_start : int, optional
        First year of every fit window, overriding the windows the plan
        declares per series. ``None``: the plan's windows (whole series
        where it declares none).
    calibration : {"reference_class", "none"}
        How ``p_meet`` is made from the trend probability ``p_trend``.
    bounds : {"censored", "drop"}
        Figures published only as a bound (``">97"``): ``censored``
        (default) enters them in the fit as censored observations by data
        augmentation (:mod:`plananalysis.models.censored`); ``drop`` leaves
        them out of the fit (they still condition the target year and
        bound simulated flows).
    n_jobs : int
        Worker processes for batches of targets (``-1``: all CPUs).
    lang : {"en", "zh"}
        Language of labels, tables and charts.

    Notes
    -----
    ``horizon`` was removed in 0.3 (nothing read it: each target's year sets
    how far ahead it is forecast); passing it raises a
    :class:`~plananalysis.errors.ParameterError` saying so
    (:data:`REMOVED_SETTINGS`).
    """

    model: str = "auto"
    n_paths: int = 10000
    seed: int = 0
    as_of: int | None = None
    strict: bool = False
    on_track: float = 0.9
    at_risk: float = 0.5
    fit_start: int | None = None
    calibration: str = "reference_class"
    bounds: str = "censored"
    n_jobs: int = 1
    lang: str = "en"

    def __new__(cls, *args, **kwargs):
        # Before the generated __init__ turns a removed keyword into a bare TypeError.
        refuse_removed(kwargs)
        return super().__new__(cls)

    def __post_init__(self):
        self._check()

    # ------------------------------------------------------------ validation
    def _check(self):
        def bad(name, expected):
            raise ParameterError(f"settings: {name} must be {expected}, got {getattr(self, name)!r}")

        def is_int(v):
            return isinstance(v, int) and not isinstance(v, bool)

        if not isinstance(self.model, str) or not self.model:
            bad("model", "a model name")
        if not is_int(self.n_paths) or self.n_paths < 1:
            bad("n_paths", "a positive integer")
        if not is_int(self.seed) or self.seed < 0:
            bad("seed", "a non-negative integer")
        for name in ("as_of", "fit_start"):
            v = getattr(self, name)
            if v is not None and (not is_int(v) or not 1000 <= v <= 9999):
                bad(name, "a four-digit year or None")
        if not isinstance(self.strict, bool):
            bad("strict", "true or false")
        for name in ("on_track", "at_risk"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                bad(name, "a probability")
        if not 0 <= self.at_risk <= self.on_track <= 1:
            raise ParameterError(f"settings: thresholds must satisfy 0 <= at_risk <= on_track <= 1, "
                                 f"got at_risk={self.at_risk}, on_track={self.on_track}")
        if self.calibration not in CALIBRATIONS:
            bad("calibration", f"one of {', '.join(CALIBRATIONS)}")
        if self.bounds not in BOUNDS_MODES:
            bad("bounds", f"one of {', '.join(BOUNDS_MODES)}")
        if not is_int(self.n_jobs) or self.n_jobs == 0 or self.n_jobs < -1:
            bad("n_jobs", "a positive integer or -1")
        if self.lang not in LANGUAGES:
            bad("lang", f"one of {', '.join(LANGUAGES)}")
        if self.model != "auto":
            from .models import MODELS  # noqa: PLC0415 (lazy: keep import light)

            if self.model not in MODELS:
                raise ParameterError(f"settings: model must be 'auto' or one of {', '.join(MODELS)}; "
                                     f"got {self.model!r}")

    # ------------------------------------------------------------ construction
    @classmethod
    def names(cls) -> tuple:
        """The setting names, in declaration order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, mapping, source="settings", base=None) -> "Settings":
        """Settings from a mapping; unknown names are errors naming the source.

        Parameters
        ----------
        mapping : dict
            Setting name -> value. Missing names keep ``base``'s values.
        source : str
            Named in error messages (a file path, ``--settings``, ...).
        base : Settings, optional
            Values for names not in ``mapping`` (default :data:`DEFAULTS`).
        """
        if mapping is None:
            mapping = {}
        if not isinstance(mapping, dict):
            raise ParameterError(f"{source}: expected a mapping of setting names to values, "
                                 f"got {type(mapping).__name__}")
        known = cls.names()
        refuse_removed(mapping, source)
        for key in mapping:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ParameterError(f"{source}: unknown setting {key!r}{hint}; known: {', '.join(known)}")
        base = DEFAULTS if base is None else base
        try:
            return replace(base, **mapping)
        except ParameterError as exc:
            raise ParameterError(f"{source}: {exc}") from None

    @classmethod
    def from_file(cls, path, base=None) -> "Settings":
        """Settings from a YAML (or JSON) file of ``name: value`` lines."""
        import yaml

        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ParameterError(f"{path}: settings file not found") from None
        except yaml.YAMLError as exc:
            raise ParameterError(f"{path}: not valid YAML ({exc})") from None
        return cls.from_mapping(data or {}, source=str(path), base=base)

    def replace(self, **changes) -> "Settings":
        """A copy with some settings changed (validated like the constructor)."""
        return self.from_mapping(changes, source="settings", base=self)

    def to_dict(self) -> dict:
        """Plain mapping of every setting (for manifests and notebook parameters)."""
        return asdict(self)


DEFAULTS = Settings()
"""The one set of defaults."""
