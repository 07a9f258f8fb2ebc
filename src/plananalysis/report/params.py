"""Notebook parameters of a report: read the overrides, read what each notebook declares, check them.

Overrides (a dict or a YAML file) name either a parameter, for every
notebook declaring it, or a notebook (``04_model_backtest``, ``"04"`` or the
integer 4) holding that notebook's own parameters; see :mod:`plananalysis.report`.
Every problem is found before anything runs.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..errors import ParameterError
from ..settings import Settings

__all__ = ["NOTEBOOK_ORDER", "PER_TARGET", "SCORECARD_NOTEBOOK", "RUNNER_PARAMETERS", "load_params",
           "declared_parameters", "validate_params"]

#: Notebooks in the order they run and appear in the report.
NOTEBOOK_ORDER = (
    "01_data_overview",
    "02_indicator_trajectory",
    "03_target_scorecard",
    "04_model_backtest",
    "05_calibration",
)
#: The notebook run once per target that has a series.
PER_TARGET = "02_indicator_trajectory"
#: The notebook whose ``scorecard.csv`` must equal the report's own scorecard.
SCORECARD_NOTEBOOK = "03_target_scorecard"
#: Parameters the runner sets itself (with the reason given when a user sets them).
RUNNER_PARAMETERS = {
    "results_dir": "the runner writes each notebook's results into the report folder",
    "indicator": "02_indicator_trajectory runs once per target; the runner sets indicator",
    "plan": "use the plan argument (--plan DIR) for the whole report",
}

_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "list": (list, tuple)}


def load_params(params) -> dict:
    """Read parameter overrides from a dict or a YAML file.

    Parameters
    ----------
    params : None, dict, str or Path
        Overrides (see the module docstring for the format) or a YAML file holding them.

    Returns
    -------
    dict
        The overrides (empty when ``params`` is None).

    Raises
    ------
    ParameterError
        The file is missing, is not valid YAML, or does not hold a mapping.

    Examples
    --------
    >>> load_params({"n_paths": 200})
    {'n_paths': 200}
    """
    if params is None:
        return {}
    if isinstance(params, dict):
        return dict(params)
    import yaml

    path = Path(params)
    if not path.is_file():
        raise ParameterError(f"params: file not found: {path}")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"params: {path} is not valid YAML: {exc}") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParameterError(f"params: {path} must hold a mapping of name: value, got {type(loaded).__name__}")
    return loaded


def declared_parameters(notebook: Path) -> dict:
    """The parameters a notebook declares in its cell tagged ``parameters``.

    Parameters
    ----------
    notebook : Path
        An ``.ipynb`` file.

    Returns
    -------
    dict
        ``{name: {"default": str, "type": str, "help": str}}`` as papermill infers them.

    Examples
    --------
    >>> from plananalysis import paths
    >>> sorted(declared_parameters(paths.NOTEBOOKS / "01_data_overview.ipynb"))  # doctest: +SKIP
    ['as_of', 'lang', 'results_dir']
    """
    import papermill

    inferred = papermill.inspect_notebook(str(notebook))
    return {
        name: {"default": p["default"], "type": p["inferred_type_name"], "help": p["help"]}
        for name, p in inferred.items()
    }


def _notebook_key(key) -> str | None:
    """Map a params key to a notebook stem if it names one (``"02"``, ``2`` or the full stem).

    An unquoted ``04:`` in YAML is the integer 4; it names notebook ``04_*`` too.

    Examples
    --------
    >>> _notebook_key(4), _notebook_key("02"), _notebook_key("n_paths")
    ('04_model_backtest', '02_indicator_trajectory', None)
    """
    if isinstance(key, int) and not isinstance(key, bool):
        key = f"{key:02d}"
    key = str(key)
    for stem in NOTEBOOK_ORDER:
        if key == stem or key == stem[:2]:
            return stem
    return None


def _check_value(where: str, name: str, value, spec: dict, problems: list) -> None:
    """Append a problem if ``value`` does not fit the declared type (``int``, ``Optional[int]``, ...)."""
    declared = str(spec["type"]).replace(" ", "")
    match = re.fullmatch(r"Optional\[(\w+)\]", declared)
    base = match.group(1) if match else declared
    allowed = _TYPES.get(base)
    if allowed is None:  # list, dict or an unannotated default: not checked
        return
    if value is None:
        if not match and spec["default"] != "None":
            problems.append(f"{where}: parameter {name!r} expects {declared} (default {spec['default']}), got None")
        return
    ok = isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed)
    if not ok:
        problems.append(
            f"{where}: parameter {name!r} expects {declared} (default {spec['default']}), "
            f"got {type(value).__name__} {value!r}"
        )


def _unknown(where: str, name: str, known, problems: list) -> None:
    close = difflib.get_close_matches(str(name), sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    problems.append(f"{where}: unknown parameter {name!r}{hint} (known: {', '.join(sorted(known))})")


def validate_params(overrides: dict, declared: dict) -> tuple[dict, dict]:
    """Split overrides into global and per-notebook ones and check every name and type.

    Parameters
    ----------
    overrides : dict
        From :func:`load_params`.
    declared : dict
        ``{notebook stem: declared_parameters(...)}``.

    Returns
    -------
    (dict, dict)
        Global overrides ``{name: value}`` and ``{notebook stem: {name: value}}``.

    Raises
    ------
    ParameterError
        Listing every unknown name (with close matches), wrongly typed value and
        runner-owned parameter, before anything runs.

    Examples
    --------
    >>> decl = {"04_model_backtest": {"max_horizon": {"default": "5", "type": "int", "help": ""}}}
    >>> validate_params({4: {"max_horizon": 2}}, decl)
    ({}, {'04_model_backtest': {'max_horizon': 2}})

    A setting (a field of :class:`~plananalysis.settings.Settings`) is shared
    by every page, so that the pages agree with the index; it cannot be set
    for one notebook only:

    >>> decl["04_model_backtest"]["seed"] = {"default": "0", "type": "int", "help": ""}
    >>> validate_params({"04": {"seed": 2}}, decl)
    Traceback (most recent call last):
    ...
    plananalysis.errors.ParameterError: invalid report parameters:
      - params[04_model_backtest]: seed is a setting and applies to every notebook ...
    """
    problems: list[str] = []
    settings_names = set(Settings.names())
    every = set().union(*[set(d) for d in declared.values()]) if declared else set()
    glob, per = {}, {}
    for key, value in overrides.items():
        stem = _notebook_key(key)
        if stem is not None:
            if stem not in declared:
                problems.append(f"params: notebook {key!r} is not part of this report")
                continue
            if not isinstance(value, dict):
                problems.append(f"params: {key!r} must hold a mapping of name: value, got {value!r}")
                continue
            per[stem] = {}
            for name, val in value.items():
                where = f"params[{stem}]"
                if name in RUNNER_PARAMETERS or name == "as_of":
                    reason = RUNNER_PARAMETERS.get(name, "use the as_of argument (--as-of) for the whole report")
                    problems.append(f"{where}: {name!r} cannot be set per notebook: {reason}")
                elif name in settings_names:
                    problems.append(f"{where}: {name} is a setting and applies to every notebook (so the index "
                                    "and every page agree); set it at the top level of the params file")
                elif name not in declared[stem]:
                    _unknown(where, name, declared[stem], problems)
                else:
                    _check_value(where, name, val, declared[stem][name], problems)
                    per[stem][name] = val
            continue
        if isinstance(key, int) and not isinstance(key, bool):
            problems.append(f"params: {key} names no notebook of this report (notebooks: "
                            f"{', '.join(s for s in declared)}; write their number as 01-04 or their name)")
        elif key in RUNNER_PARAMETERS:
            problems.append(f"params: {key!r} cannot be set: {RUNNER_PARAMETERS[key]}")
        elif key not in every and key in settings_names:
            glob[key] = value  # a setting no notebook declares (e.g. thresholds): used by the runner
        elif key not in every:
            close = difflib.get_close_matches(str(key), list(NOTEBOOK_ORDER), n=1, cutoff=0.6)
            if close:
                problems.append(f"params: unknown parameter or notebook {key!r}; did you mean {close[0]!r}?")
            else:
                _unknown("params", key, every, problems)
        else:
            for stem, decl in declared.items():
                if key in decl:
                    _check_value(f"params (for {stem})", key, value, decl[key], problems)
            glob[key] = value
    if problems:
        raise ParameterError("invalid report parameters:\n  - " + "\n  - ".join(dict.fromkeys(problems)))
    return glob, per
