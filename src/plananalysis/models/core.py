"""The :class:`Forecast` result and :func:`forecast`, the one entry point for a series."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..comparator import Comparator
from ..domain import Domain
from ..errors import InsufficientDataError, ParameterError
from .base import REGISTRY, gap_years
from .censored import BOUNDS, DEFAULT_IMPUTATIONS, censored_note, fit_censored, read_bounds
from .scale import TRANSFORMS, as_domain_or_infer, fit_scaled, resolve_transform

__all__ = ["Forecast", "forecast", "DEFAULT_MODEL", "DEFAULT_HORIZON"]

DEFAULT_MODEL = "combination"
"""What ``model="auto"`` means (chosen by the M3 benchmark; see :mod:`plananalysis.models`)."""
DEFAULT_HORIZON = 5


@dataclass
class Forecast:
    """A forecast of one annual series.

    Attributes
    ----------
    history : Series
        The exact observations used for the fit (original scale, year index).
    point : Series
        The exact predictive median per forecast year (not a statistic of the paths).
    intervals : DataFrame
        ``lo80, hi80, lo95, hi95`` per forecast year (exact predictive quantiles).
    paths : DataFrame
        Forecast years x paths, original scale (for probabilities and sums).
    model : str
        The model actually used (``auto`` resolves to :data:`DEFAULT_MODEL`).
    params : dict
        Fitted parameters and diagnostics.
    transform : str
        ``none``, ``log``, ``logit`` (``a+b`` for a combination on several scales).
    note : str
        What was done about the domain, gaps, the fit window, bounds and fallbacks.
    gap_paths : DataFrame
        Unobserved years inside the fit window x paths (conditional draws).
    domain : Domain
        The domain used (declared or inferred; the note says which).
    """

    history: pd.Series
    point: pd.Series
    intervals: pd.DataFrame
    paths: pd.DataFrame
    model: str
    params: dict = field(default_factory=dict)
    transform: str = "none"
    note: str = ""
    gap_paths: pd.DataFrame = field(default_factory=pd.DataFrame)
    domain: Domain | None = None
    fitted: object = field(default=None, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``year, point, lo80, hi80, lo95, hi95``.

        Examples
        --------
        >>> s = pd.Series([1.0, 2.0, 3.0, 4.0], index=[2018, 2019, 2020, 2021])
        >>> forecast(s, "linear", horizon=1, n_paths=200).to_frame().round(2).to_dict("records")
        [{'year': 2022, 'point': 5.0, 'lo80': 5.0, 'hi80': 5.0, 'lo95': 5.0, 'hi95': 5.0}]
        """
        out = self.intervals.copy()
        out.insert(0, "point", self.point)
        out.index.name = "year"
        return out.reset_index()

    def summary_frame(self, levels=(80, 95)) -> pd.DataFrame:
        """Point forecast and central intervals at any levels, indexed by year.

        Quantiles are exact where the fitted model gives them (every
        registered model), else quantiles of the paths.

        Parameters
        ----------
        levels : sequence of float
            Interval levels in percent, each in (0, 100).

        Returns
        -------
        DataFrame
            ``point`` and ``lo<L>``, ``hi<L>`` per level.

        Examples
        --------
        >>> s = pd.Series([10.0, 12.0, 11.0, 13.0, 12.0], index=range(2017, 2022))
        >>> sf = forecast(s, "naive", horizon=2, n_paths=100, domain="real").summary_frame([50, 99])
        >>> list(sf.columns), bool((sf["lo99"] < sf["lo50"]).all()), sf["point"].tolist()
        (['point', 'lo50', 'hi50', 'lo99', 'hi99'], True, [12.0, 12.0])
        """
        levels = [float(x) for x in levels]
        if any(not 0 < x < 100 for x in levels):
            raise ParameterError(f"levels must lie strictly between 0 and 100, got {levels}")
        probs = [p for x in levels for p in (0.5 - x / 200, 0.5 + x / 200)]
        H = len(self.point)
        if self.fitted is not None:
            q = self.fitted.quantile(H, probs)
        else:
            q = np.quantile(self.paths.to_numpy(), probs, axis=1)
        out = pd.DataFrame({"point": self.point.to_numpy()}, index=self.point.index)
        for i, x in enumerate(levels):
            tag = f"{x:g}"
            out[f"lo{tag}"], out[f"hi{tag}"] = q[2 * i], q[2 * i + 1]
        return out

    def prob(self, comparator, target, year, strict=False, tolerance=None) -> float:
        """P(value in ``year`` meets ``comparator target``) from the sample paths.

        The comparator is read as everywhere in the package
        (:class:`~plananalysis.comparator.Comparator`): ``'>'`` is the plan's
        以上 (at least) unless ``strict``. A forecast year uses :attr:`paths`,
        an unobserved year inside the fit window :attr:`gap_paths`; an
        observed year gives 0 or 1.

        Examples
        --------
        >>> s = pd.Series([10.0, 12.0, 11.0, 13.0, 12.0], index=range(2017, 2022))
        >>> fc = forecast(s, "naive", horizon=3, n_paths=4000, seed=1, domain="real")
        >>> p = fc.prob(">", 12.0, 2024)
        >>> 0.45 < p < 0.55, fc.prob(">", 13.0, 2020), fc.prob(">", 13.0, 2020, strict=True)
        (True, 1.0, 0.0)
        """
        rule = comparator if isinstance(comparator, Comparator) else Comparator(comparator, strict, tolerance)
        year = int(year)
        if year in self.history.index:
            return float(rule.met(self.history[year], target))
        for frame in (self.paths, self.gap_paths):
            if year in frame.index:
                return rule.prob(frame.loc[year].to_numpy(), target)
        raise ParameterError(f"year {year} is neither observed, a gap year nor forecast "
                             f"({self.history.index[0]}..{self.paths.index[-1]})")


def prepare_series(series, fit_start, as_of=None):
    """Exact observations in the fit window as (series, unit, notes, exact values before the window)."""
    notes = []
    if isinstance(series, pd.DataFrame):
        if "value" not in series.columns:
            raise ParameterError("series frame needs a 'value' column (a get_series() frame)")
        if as_of is not None:  # later rows (bounds included) are not known at as_of
            series = series[series.index <= as_of]
        qual = series["qualifier"].fillna("").astype(str) if "qualifier" in series else None
        unit = series.attrs.get("unit") or (series["unit"].iloc[0] if "unit" in series and len(series) else None)
        if qual is not None and (qual != "").any():
            bounded = series.index[qual != ""]
            notes.append("bounded observations excluded from the fit: "
                         + ", ".join(f"{y} {q}{v:g}" for y, q, v in
                                     zip(bounded, qual[qual != ""], series.loc[qual != "", "value"])))
            series = series.loc[qual == "", "value"]
        else:
            series = series["value"]
        series = series.copy()
        series.attrs["unit"] = unit
    if not isinstance(series, pd.Series):
        raise ParameterError(f"series must be a pandas Series indexed by year, got {type(series).__name__}")
    unit = series.attrs.get("unit")
    if isinstance(series.index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex)):
        raise ParameterError("series index must hold integer years, got dates; "
                             "use series.set_axis(series.index.year)")
    try:
        years = np.asarray(series.index, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ParameterError("series index must hold integer years") from exc
    if np.any(np.isnan(years)) or np.any(years != np.round(years)) or np.any(np.abs(years) > 9999):
        raise ParameterError("series index must hold integer years (at most 4 digits)")
    raw = series.to_numpy()
    if raw.dtype.kind == "f":  # the common case: no conversion to check
        numeric = raw.astype(float, copy=False)
    else:
        numeric = np.asarray(pd.to_numeric(raw, errors="coerce"), dtype=float)
        bad = np.isnan(numeric) & ~pd.isna(raw)
        if bad.any():
            raise ParameterError("series values must be numbers (missing years may be NaN); not a number in "
                                 + ", ".join(f"{int(y)}: {v!r}" for y, v in zip(years[bad], raw[bad])))
    keep = ~np.isnan(numeric)
    yrs, vals = years[keep].astype(int), numeric[keep]
    order = np.argsort(yrs, kind="stable")
    yrs, vals = yrs[order], vals[order]
    if len(yrs) > 1 and np.any(np.diff(yrs) == 0):
        raise ParameterError(f"series has duplicate years: {sorted(set(yrs[1:][np.diff(yrs) == 0].tolist()))}")
    if as_of is not None:
        yrs, vals = yrs[yrs <= as_of], vals[yrs <= as_of]
    all_values = vals.copy()
    if fit_start is not None and (yrs < fit_start).any():
        notes.append(f"fit window starts {fit_start} (earlier years dropped)")
        yrs, vals = yrs[yrs >= fit_start], vals[yrs >= fit_start]
    s = pd.Series(vals, index=yrs)
    s.attrs["unit"] = unit
    return s, unit, notes, all_values


def _check_model(model):
    if model != "auto" and model not in REGISTRY:
        raise ParameterError(f"model must be 'auto' or one of {', '.join(REGISTRY)}; got {model!r}")


def forecast(series, model="auto", horizon=None, n_paths=5000, seed=0, fit_start=None,
             transform="auto", target_year=None, as_of=None, domain=None, bounds="drop", strict=False,
             n_imputations=DEFAULT_IMPUTATIONS):
    """Forecast an annual series with exact medians and intervals, and joint sample paths.

    Parameters
    ----------
    series : Series or DataFrame
        Values indexed by int year (missing years absent or NaN). A
        ``get_series()`` frame is accepted: only rows with an empty
        ``qualifier`` are fitted (bounds are noted).
    model : str
        One of :data:`~plananalysis.models.MODELS` or ``"auto"``
        (= :data:`DEFAULT_MODEL`).
    horizon : int, optional
        Years to forecast after the last observation. Default: up to
        ``target_year`` when given (at least 1), else :data:`DEFAULT_HORIZON`.
    n_paths : int
        Number of simulated paths.
    seed : int
        Seed of the :func:`numpy.random.default_rng` generator.
    fit_start : int, optional
        First year of the fit window; ``None`` (default) uses the whole series.
    transform : {"auto", "none", "log", "logit"}
        Modelling scale; ``auto`` = the domain's (log for counts, logit for
        shares, original units for rates), original units for ``drift`` and
        ``linear``.
    target_year : int, optional
        Used only to choose the default horizon.
    as_of : int, optional
        Drop observations after this year before anything else.
    domain : Domain, str or dict, optional
        ``count``, ``share``, ``rate`` or ``real`` (see
        :mod:`plananalysis.domain`); ``None`` infers it from the unit
        (``series.attrs["unit"]``) and the values with
        :func:`~plananalysis.domain.infer_domain`. The note says which was used.
    bounds : {"drop", "censored"}
        What to do with rows of a ``get_series()`` frame published only as a
        bound (``qualifier`` ``>``, ``>=``, ``<``, ``<=``): ``drop`` (default)
        leaves them out of the fit; ``censored`` uses them as censored
        observations by data augmentation (:mod:`plananalysis.models.censored`):
        the paths pool ``n_imputations`` completed series per model and
        :attr:`Forecast.gap_paths` holds the bounded years' imputations.
        Approximations (``~``) are left out either way. The model is chosen,
        and :data:`~plananalysis.models.MIN_OBS` checked, on the exact values.
    strict : bool
        Reading of a ``'>'``/``'<'`` bound (``False``: at least / at most, the
        plan's 以上/以下; see :mod:`plananalysis.comparator`).
    n_imputations : int
        Completed series per model (``M``) when ``bounds="censored"``.

    Returns
    -------
    Forecast

    Raises
    ------
    ParameterError
        Unknown model or transform, ``horizon <= 0``, ``n_paths < 1``,
        non-integer years.
    InsufficientDataError
        Fewer exact observations than the model needs (:data:`~plananalysis.models.MIN_OBS`).

    Examples
    --------
    >>> s = pd.Series([100.0, 110.0, 121.0, 133.1], index=[2018, 2019, 2020, 2021])
    >>> fc = forecast(s, "logdrift", horizon=2, n_paths=1000, seed=1)
    >>> round(float(fc.point[2023]), 2), fc.domain.kind
    (161.05, 'count')
    >>> cpi = pd.Series([2.0, 2.9, 2.5, 0.9, 0.2, -0.8], index=range(2018, 2024))
    >>> fc = forecast(cpi, "naive", horizon=1, n_paths=2000)
    >>> fc.domain.kind, float(fc.point[2024]), bool(fc.intervals.loc[2024, "lo80"] < -0.8)
    ('rate', -0.8, True)
    """
    _check_model(model)
    if horizon is not None and (not isinstance(horizon, (int, np.integer)) or horizon <= 0):
        raise ParameterError(f"horizon must be a positive integer, got {horizon!r}")
    if not isinstance(n_paths, (int, np.integer)) or n_paths < 1:
        raise ParameterError(f"n_paths must be a positive integer, got {n_paths!r}")
    if transform not in TRANSFORMS:
        raise ParameterError(f"transform must be one of {TRANSFORMS}, got {transform!r}")
    if bounds not in BOUNDS:
        raise ParameterError(f"bounds must be one of {BOUNDS}, got {bounds!r}")
    fit_start = None if fit_start is None else int(fit_start)
    s, unit, notes, all_values = prepare_series(series, fit_start, as_of)
    censored, left = read_bounds(series, fit_start, as_of, strict) if bounds == "censored" else ([], [])
    if censored:
        notes = [censored_note(censored, n_imputations, left) if n.startswith("bounded observations") else n
                 for n in notes]
    t = s.index.to_numpy().astype(int)
    yv = s.to_numpy(dtype=float)
    window = f" from {fit_start}" if fit_start is not None else ""
    if len(t) == 0:
        raise InsufficientDataError(
            f"no exact observations{window}" + (f" up to {as_of}" if as_of else ""),
            n_obs=0, needed=REGISTRY["naive"].min_obs)
    dom = as_domain_or_infer(domain, unit, all_values)
    outside = ~dom.contains(yv)
    if outside.any():
        raise ParameterError(f"values outside the domain {dom.describe()}: "
                             + ", ".join(f"{y}: {v:g}" for y, v in zip(t[outside], yv[outside])))
    notes.insert(0, f"domain: {dom.describe()}")
    t_end = max([int(t[-1])] + [b.year for b in censored])  # a trailing bound extends the fitted span
    if horizon is None:
        horizon = max(int(target_year) - t_end, 1) if target_year is not None else DEFAULT_HORIZON
    params = {}
    name = model
    if model == "auto":
        name = DEFAULT_MODEL
        params["auto"] = {"chosen": name, "reason": (
            f"auto is the default model {name} ({REGISTRY[name].summary}), chosen on the M3 yearly "
            "benchmark; see plananalysis.models")}
        notes.append(f"auto: default model {name}")
    m = REGISTRY[name]
    if len(t) < m.min_obs:
        raise InsufficientDataError(
            f"model {model!r} needs at least {m.min_obs} exact observations{window}, "
            f"got {len(t)} ({', '.join(map(str, t))})", n_obs=len(t), needed=m.min_obs)
    if (transform == "auto" and dom.kind == "share" and m.scale != "original"
            and resolve_transform("auto", "domain", dom, yv) == "none"):
        lo, hi = dom.bounds
        notes.append(f"a share at {lo:g} or {hi:g} has no logit: modelled in original units, "
                     f"paths clipped to {lo:g}..{hi:g}")
    if censored:
        imp_rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
        fit = fit_censored(m, t, yv, censored, dom, transform, n_imputations, imp_rng)
    else:
        fit = fit_scaled(m, t, yv, dom, transform)
    rng = np.random.default_rng(seed)
    paths, gaps = fit.draw(horizon, n_paths, rng)
    params.update(fit.params)
    params.update(n_obs=len(t), fit_window=(int(t[0]), int(t[-1])), n_clipped=fit.n_clipped)
    if fit.note:
        notes.append(fit.note)
    if fit.n_clipped:
        notes.append(f"{fit.n_clipped} simulated values clipped to the domain")
    gy = gap_years(np.union1d(t, [b.year for b in censored]).astype(int))
    if len(gy):
        notes.append(f"gaps {', '.join(map(str, gy))} left unfilled in the fit; "
                     "conditional draws kept in gap_paths")
    if censored:
        gy = fit.gap_index  # the true gaps and the bounded years (each path with its imputation)
        params["n_censored"] = len(censored)
    years = pd.Index(np.arange(t_end + 1, t_end + 1 + horizon), name="year")
    cols = pd.RangeIndex(n_paths, name="path")
    q = fit.quantile(horizon, [0.5, 0.1, 0.9, 0.025, 0.975])
    intervals = pd.DataFrame(q[1:].T, index=years, columns=["lo80", "hi80", "lo95", "hi95"])
    history = s.rename("value")
    history.index.name = "year"
    return Forecast(
        history=history, point=pd.Series(q[0], index=years, name="point"),
        intervals=intervals, paths=pd.DataFrame(paths, index=years, columns=cols),
        model=getattr(fit, "name", name), params=params, transform=fit.transform,
        note="; ".join(notes), gap_paths=pd.DataFrame(gaps, index=pd.Index(gy, name="year"), columns=cols),
        domain=dom, fitted=fit,
    )
