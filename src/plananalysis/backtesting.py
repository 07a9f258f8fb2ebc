"""Rolling-origin evaluation of the forecasting models and its summary metrics.

:func:`backtest` refits each model on the exact observations up to each
origin and scores the forecasts against the later exact observations, in
original units. :func:`summarize` turns that tidy table into accuracy and
calibration measures. The plan-level versions (every target's series, with
its declared window and domain) are in :mod:`plananalysis.study`
(``backtest_plan``, ``explain_auto``, ``compare_models``).

Rules
-----
* Origins are observed years (with a gap year the next origin is the next
  observation); a forecast is scored only where an exact observation exists
  ``h`` years after the origin. Bounded observations are neither fitted nor
  scored.
* ``common=True`` (default) uses only origins at which every model of
  :data:`DEFAULT_BACKTEST_MODELS` and every requested model has enough
  observations (``min_obs``): the models are compared on the same
  forecasts, and the origins do not depend on which models were asked for,
  so a page that backtests three models of a series and a page that
  backtests all of them score the same forecasts (same window, same count
  per model, same MASE).
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
from .models import DEFAULT_MODEL, MODELS, REGISTRY, prepare_series, cross_validate
from .models.accuracy import MEASURES, accuracy, winkler
from .models.scale import as_domain_or_infer

__all__ = ["backtest", "exact_series", "summarize", "relative_accuracy", "best_models", "accuracy", "MEASURES", "BACKTEST_COLUMNS", "SUMMARY_METRICS",
           "DEFAULT_BACKTEST_MODELS"]

BACKTEST_COLUMNS = ["indicator", "model", "model_used", "origin", "horizon", "year", "actual",
                    "forecast", "lo80", "hi80", "lo95", "hi95", "scale"]
SUMMARY_METRICS = ["n", "mae", "rmse", "mase", "smape", "coverage80", "coverage95",
                   "winkler80", "winkler95"]
DEFAULT_BACKTEST_MODELS = tuple(m for m in MODELS if m != "arima") + ("auto",)
"""Every registered model but ARIMA (about 0.4 s a fit at each origin), plus ``auto``."""

_winkler = winkler


def exact_series(series, fit_start=None, as_of=None) -> pd.Series:
    """The exact observations of a series (or ``get_series`` frame) in the fit window, by year."""
    return _exact_series(series, fit_start, as_of)[0]


def _exact_series(series, fit_start, as_of=None):
    s, unit, _, values = prepare_series(series, fit_start, as_of)
    return s, unit, values


#: Parameters removed in 0.3, with what to do instead.
REMOVED_PARAMETERS = {
    "n_paths": "the backtest scores exact predictive quantiles and simulates nothing; drop the argument",
    "seed": "the backtest scores exact predictive quantiles and simulates nothing; drop the argument",
}


def refuse_removed(removed: dict, where: str) -> None:
    """Raise a ParameterError naming each removed parameter and what to use instead."""
    if removed:
        unknown = sorted(set(removed) - set(REMOVED_PARAMETERS))
        if unknown:
            raise ParameterError(f"{where}: unexpected argument(s) {unknown}")
        name = sorted(removed)[0]
        raise ParameterError(f"{where}: '{name}' was removed in 0.3: {REMOVED_PARAMETERS[name]}")


def backtest(series, models=None, horizons=range(1, 6), min_train=5, fit_start=None, common=True,
             indicator=None, as_of=None, domain=None, transform="auto", **removed):
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
    fit_start : int, optional
        Fit window start; ``None`` uses the whole series.
    common : bool
        Only use origins where every model of :data:`DEFAULT_BACKTEST_MODELS`
        and of ``models`` can be fitted (the same origins for any ``models``).
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
    refuse_removed(removed, "backtest")
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
    if common:  # the origins of the reference set, whatever subset was asked for
        reference = {DEFAULT_MODEL if m == "auto" else m for m in DEFAULT_BACKTEST_MODELS} | set(names)
        min_train = max([int(min_train)] + [REGISTRY[m].min_obs for m in reference])
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
