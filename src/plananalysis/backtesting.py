"""Rolling-origin evaluation of the forecasting models and its summary metrics.

:func:`backtest` refits each model on the exact observations up to each
origin and scores the forecasts against the later exact observations, in
original units. :func:`summarize` turns that tidy table into accuracy and
calibration measures. :func:`compare_models` does both for every target's
series and adds which model ``auto`` chooses today and why (one call for the
model-evaluation notebook).

Rules
-----
* Origins are observed years (with a gap year the next origin is the next
  observation); a forecast is scored only where an exact observation exists
  ``h`` years after the origin. Bounded observations are neither fitted nor
  scored.
* ``common=True`` (default) uses only origins at which *every* requested
  model has enough observations (:data:`~plananalysis.models.MIN_OBS`), so
  the models are compared on the same forecasts.
* MASE scale: mean absolute annual change of the training observations
  (``|y_i+1 - y_i| / k_i`` with gaps of ``k_i`` years), per origin.
* Interval (Winkler) score for a central ``(1 - a)`` interval ``[l, u]``:
  ``(u - l) + 2/a * (l - y)`` if ``y < l``, ``+ 2/a * (y - u)`` if ``y > u``.

References
----------
Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures of
forecast accuracy. *International Journal of Forecasting* 22(4), 679-688.

Gneiting, T. and Raftery, A. E. (2007). Strictly proper scoring rules,
prediction, and estimation. *JASA* 102(477), 359-378.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .domain import infer_domain
from .errors import ParameterError
from .models import MODELS, REGISTRY, _prepare, cross_validate
from .models.accuracy import MEASURES, accuracy, winkler
from .models.scale import as_domain_or_infer

__all__ = ["backtest", "summarize", "relative_accuracy", "best_models", "backtest_all", "explain_auto",
           "compare_models", "accuracy", "MEASURES", "BACKTEST_COLUMNS", "SUMMARY_METRICS",
           "DEFAULT_BACKTEST_MODELS"]

BACKTEST_COLUMNS = ["indicator", "model", "model_used", "origin", "horizon", "year", "actual",
                    "forecast", "lo80", "hi80", "lo95", "hi95", "scale"]
SUMMARY_METRICS = ["n", "mae", "rmse", "mase", "smape", "coverage80", "coverage95",
                   "winkler80", "winkler95"]
DEFAULT_BACKTEST_MODELS = tuple(m for m in MODELS if m != "arima") + ("auto",)
"""Every registered model but ARIMA (about 0.4 s a fit at each origin), plus ``auto``."""

_winkler = winkler


def _exact_series(series, fit_start, as_of=None):
    s, unit, _, values = _prepare(series, fit_start, as_of)
    return s, unit, values


def backtest(series, models=None, horizons=range(1, 6), min_train=5, n_paths=1000, seed=0,
             fit_start=None, common=True, indicator=None, as_of=None, domain=None, transform="auto"):
    """Rolling-origin backtest: one row per model x origin x horizon.

    A thin layer over :func:`~plananalysis.models.cross_validate` (the same
    loop ``select`` uses to choose a model): each model is refitted on the
    exact observations up to each origin and its exact median and 80% / 95%
    quantiles are scored against later exact observations.

    Parameters
    ----------
    series : Series or DataFrame
        Year-indexed values or a ``get_series()`` frame (bounds are dropped).
    models : sequence of str, optional
        Default :data:`DEFAULT_BACKTEST_MODELS`; ``"auto"`` is the default model.
    horizons : iterable of int
        Horizons (years after the origin) to score.
    min_train : int
        Minimum exact observations up to an origin.
    n_paths, seed : int
        Unused (intervals are exact quantiles, so the backtest does not
        depend on simulation); kept so existing calls keep working.
    fit_start : int, optional
        Fit window start; ``None`` uses the whole series.
    common : bool
        Only use origins where every model can be fitted.
    indicator : str, optional
        Copied into the ``indicator`` column.
    as_of : int, optional
        Ignore observations after this year.
    domain : Domain, str or dict, optional
        As in :func:`~plananalysis.models.forecast` (inferred from the whole
        series up to ``as_of`` when ``None``).
    transform : str
        As in :func:`~plananalysis.models.forecast`.

    Returns
    -------
    DataFrame
        Columns :data:`BACKTEST_COLUMNS`; ``model_used`` is the model actually
        fitted (``auto`` -> the default, ``select`` -> its choice). Empty
        (same columns) when the series is too short.

    Examples
    --------
    >>> s = pd.Series(np.arange(10.0) + 1, index=range(2010, 2020))
    >>> bt = backtest(s, models=["naive", "drift"], horizons=[1])
    >>> bt.groupby("model")["forecast"].apply(lambda f: float((f - bt.loc[f.index, "actual"]).abs().max()))
    model
    drift    0.0
    naive    1.0
    Name: forecast, dtype: float64
    """
    from .models.core import DEFAULT_MODEL

    models = list(DEFAULT_BACKTEST_MODELS if models is None else models)
    for m in models:
        if m != "auto" and m not in REGISTRY:
            raise ParameterError(f"models: unknown model {m!r}; expected 'auto' or one of {', '.join(MODELS)}")
    horizons = sorted({int(h) for h in horizons})
    if not horizons or horizons[0] <= 0:
        raise ParameterError(f"horizons must be positive integers, got {horizons}")
    if int(min_train) < 1:
        raise ParameterError(f"min_train must be >= 1, got {min_train}")
    s, unit, values = _exact_series(series, fit_start, as_of)
    if s.empty:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    dom = as_domain_or_infer(domain, unit, values)
    names = [DEFAULT_MODEL if m == "auto" else m for m in models]
    cv = cross_validate(s.index.to_numpy(), s.to_numpy(), list(dict.fromkeys(names)), horizons=horizons,
                        min_train=min_train, domain=dom, transform=transform, common=common)
    if cv.empty:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    frames = []
    for m, name in zip(models, names):
        part = cv[cv["model"] == name].copy()
        part["model"] = m
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "indicator", indicator)
    return out[BACKTEST_COLUMNS].astype({"origin": int, "horizon": int, "year": int})


def summarize(backtest_frame, by=("model",)):
    """Accuracy and calibration per group of a :func:`backtest` table.

    Parameters
    ----------
    backtest_frame : DataFrame
        Output of :func:`backtest` or :func:`backtest_all`.
    by : sequence of str
        Grouping columns, e.g. ``("indicator", "model")`` or ``("model", "horizon")``.

    Returns
    -------
    DataFrame
        ``by`` columns plus :data:`SUMMARY_METRICS` (see
        :mod:`plananalysis.models.accuracy` for each measure).

    Examples
    --------
    >>> bt = pd.DataFrame({"model": ["a", "a"], "actual": [1.0, 2.0], "forecast": [1.5, 2.0],
    ...                    "lo80": [0.0, 1.0], "hi80": [2.0, 3.0], "lo95": [0.0, 1.0],
    ...                    "hi95": [2.0, 3.0], "scale": [1.0, 1.0]})
    >>> summarize(bt)[["mae", "coverage80"]].to_dict("records")
    [{'mae': 0.25, 'coverage80': 1.0}]
    """
    by = list(by)
    missing = [c for c in by + ["actual", "forecast"] if c not in backtest_frame.columns]
    if missing:
        raise ParameterError(f"summarize: backtest frame lacks columns {missing}")
    if backtest_frame.empty:
        return pd.DataFrame(columns=by + SUMMARY_METRICS)
    return accuracy(backtest_frame, by=by, measures=SUMMARY_METRICS[1:])


def relative_accuracy(backtest_frame, by=("indicator", "model"), baseline="naive"):
    """:func:`summarize` plus MASE relative to a baseline model and coverage gaps vs nominal.

    Parameters
    ----------
    backtest_frame : DataFrame
        Output of :func:`backtest` or :func:`backtest_all`.
    by : sequence of str
        Grouping columns; must include ``"model"``. The baseline is matched
        on the other columns (e.g. per ``indicator``, per ``horizon``, or
        pooled when ``by=("model",)``).
    baseline : str
        The reference model (default ``"naive"``, "no change").

    Returns
    -------
    DataFrame
        The :func:`summarize` table plus ``relative_mase`` (MASE / the
        baseline's MASE in the same group; NaN when the baseline was not
        run), ``coverage80_gap`` and ``coverage95_gap`` (empirical minus
        nominal 0.80 / 0.95; negative = intervals too narrow).

    Examples
    --------
    >>> bt = pd.DataFrame({"model": ["naive", "drift"], "actual": [2.0, 2.0], "forecast": [1.0, 1.5],
    ...                    "lo80": [0.0, 1.8], "hi80": [3.0, 1.9], "lo95": [0.0, 1.0],
    ...                    "hi95": [3.0, 3.0], "scale": [1.0, 1.0]})
    >>> relative_accuracy(bt, by=("model",))[["model", "relative_mase", "coverage80_gap"]].round(2).to_dict("list")
    {'model': ['drift', 'naive'], 'relative_mase': [0.5, 1.0], 'coverage80_gap': [-0.8, 0.2]}
    """
    by = list(by)
    if "model" not in by:
        raise ParameterError(f"relative_accuracy: 'by' must include 'model', got {by}")
    out = summarize(backtest_frame, by=by)
    extra = ["relative_mase", "coverage80_gap", "coverage95_gap"]
    if out.empty:
        return pd.DataFrame(columns=list(out.columns) + extra)
    keys = [c for c in by if c != "model"]
    base = out[out["model"] == baseline][keys + ["mase"]].rename(columns={"mase": "_base"})
    if keys:
        out = out.merge(base, on=keys, how="left")
    else:
        out["_base"] = base["_base"].iloc[0] if len(base) else np.nan
    out["relative_mase"] = out["mase"] / out.pop("_base")
    out["coverage80_gap"] = out["coverage80"] - 0.80
    out["coverage95_gap"] = out["coverage95"] - 0.95
    return out


def best_models(accuracy, metric="mase"):
    """The best model per indicator of an accuracy table (lowest ``metric``).

    Parameters
    ----------
    accuracy : DataFrame
        :func:`relative_accuracy` or :func:`summarize` output with columns
        ``indicator``, ``model`` and ``metric``.
    metric : str
        Column to minimise.

    Returns
    -------
    DataFrame
        One row per indicator (rows with a NaN metric ignored), sorted by indicator.

    Examples
    --------
    >>> acc = pd.DataFrame({"indicator": ["x", "x"], "model": ["naive", "drift"], "mase": [1.0, 0.5]})
    >>> best_models(acc)["model"].tolist()
    ['drift']
    """
    valid = accuracy.dropna(subset=[metric])
    if valid.empty:
        return valid.reset_index(drop=True)
    best = valid.loc[valid.groupby("indicator")[metric].idxmin()]
    return best.sort_values("indicator").reset_index(drop=True)


def _target_series(targets, series):
    from .data import get_series, load_series
    from .plan import load_targets

    targets = load_targets() if targets is None else targets
    series = load_series() if series is None else series
    out = []
    for _, row in targets.iterrows():
        name = row.get("series")
        if name is None or pd.isna(name) or str(name) == "":
            continue
        out.append((row["indicator"], str(name), get_series(str(name), series)))
    return out


def backtest_all(targets=None, series=None, models=None, horizons=range(1, 6), min_train=5,
                 n_paths=1000, seed=0, fit_start=None, as_of=None, common=True):
    """:func:`backtest` for the series of every target, stacked (``indicator`` = target).

    Parameters
    ----------
    targets, series : DataFrame, optional
        ``load_targets()`` and ``load_series()`` frames (default: bundled).
    models, horizons, min_train, n_paths, seed, fit_start, as_of, common
        As in :func:`backtest`.

    Returns
    -------
    DataFrame
        :data:`BACKTEST_COLUMNS`; series too short to backtest contribute no rows.
    """
    from .assessment import _BUNDLED_FIT_START

    fit_start = _BUNDLED_FIT_START if fit_start is None else fit_start
    frames = [backtest(s, models=models, horizons=horizons, min_train=min_train, n_paths=n_paths,
                       seed=seed, fit_start=fit_start, common=common, indicator=ind, as_of=as_of)
              for ind, _, s in _target_series(targets, series)]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=BACKTEST_COLUMNS)


def explain_auto(targets=None, series=None, as_of=None, fit_start=None):
    """What ``auto`` (the default model) does for every target's series today, and why.

    ``auto`` is the fixed combination :data:`~plananalysis.models.DEFAULT_MODEL`
    (chosen on the M3 benchmark, not per series); the table says which of its
    components each series is long enough for. For comparison it also lists
    what per-series selection (``select``) would pick and its rolling-origin
    MASE per candidate.

    Returns
    -------
    DataFrame
        ``indicator, series, n_obs, chosen, components, reason, select_choice,
        origins`` and one ``mase_<model>`` column per ``select`` candidate
        (NaN where not evaluated).
    """
    from .assessment import _BUNDLED_FIT_START
    from .models import DEFAULT_MODEL

    fit_start = _BUNDLED_FIT_START if fit_start is None else fit_start
    combo, select = REGISTRY[DEFAULT_MODEL], REGISTRY["select"]
    rows = []
    for ind, name, frame in _target_series(targets, series):
        s, unit, values = _exact_series(frame, fit_start, as_of)
        dom = infer_domain(unit, values)
        n = len(s)
        used = [c for c in combo.components if REGISTRY[c].min_obs <= n]
        info = select.choose(s.index.to_numpy(), s.to_numpy(), dom) if n >= 2 else \
            {"chosen": "", "origins": [], "mase": {}, "reason": "fewer than 2 observations"}
        reason = (f"auto = {DEFAULT_MODEL}, the default chosen on M3 yearly; with {n} exact observations "
                  f"it combines {', '.join(used) or 'nothing (too short)'}")
        row = {"indicator": ind, "series": name, "n_obs": n, "chosen": DEFAULT_MODEL,
               "components": ", ".join(used), "reason": reason, "select_choice": info["chosen"],
               "origins": ", ".join(map(str, info["origins"]))}
        row.update({f"mase_{m}": info["mase"].get(m, np.nan) for m in select.candidates})
        rows.append(row)
    return pd.DataFrame(rows)


def compare_models(targets=None, series=None, models=None, horizons=range(1, 6), min_train=5,
                   n_paths=1000, seed=0, fit_start=None, as_of=None):
    """One table for model evaluation: every model per target series vs naive, with coverage.

    Parameters
    ----------
    targets, series, models, horizons, min_train, n_paths, seed, fit_start, as_of
        As in :func:`backtest_all`.

    Returns
    -------
    DataFrame
        One row per indicator x model: :func:`summarize` metrics,
        ``relative_mase`` (MASE / naive's MASE on the same forecasts),
        ``coverage80_gap`` / ``coverage95_gap`` (empirical minus nominal),
        ``auto_choice`` (True on the model ``auto`` picks today) and
        ``auto_reason``. Indicators whose series is too short to backtest get
        a single row with ``model`` NaN and the reason.

    Examples
    --------
    >>> table = compare_models(models=["naive", "drift"], horizons=[1])
    >>> sorted(table["model"].dropna().unique()), sorted(set(table["auto_chosen"]))
    (['drift', 'naive'], ['combination'])
    """
    bt = backtest_all(targets, series, models=models, horizons=horizons, min_train=min_train,
                      n_paths=n_paths, seed=seed, fit_start=fit_start, as_of=as_of)
    summary = relative_accuracy(bt, by=("indicator", "model"))
    auto = explain_auto(targets, series, as_of=as_of, fit_start=fit_start)
    rows = []
    for _, a in auto.iterrows():
        part = summary[summary["indicator"] == a["indicator"]].copy()
        if part.empty:
            part = pd.DataFrame([{"indicator": a["indicator"], "model": np.nan, "n": 0}])
            a_reason = f"not backtested: too few exact observations ({a['n_obs']}); auto: {a['reason']}"
        else:
            a_reason = a["reason"]
        part["auto_choice"] = part["model"].isin([a["chosen"], "auto"])
        part["auto_chosen"] = a["chosen"]
        part["auto_reason"] = a_reason
        rows.append(part)
    return pd.concat(rows, ignore_index=True) if rows else summary
