"""One rolling-origin cross-validation for model choice and for backtests.

:func:`cross_validate` refits each model on the exact observations up to
each origin (nothing later is seen) and scores its exact point forecast and
quantiles against the later exact observations, in original units. Both
:class:`~plananalysis.models.ensemble.Select` (model choice) and
:func:`plananalysis.backtesting.backtest` call it, so they share the
origins, the horizons and the MASE scale.

Examples
--------
>>> import numpy as np
>>> cv = cross_validate(np.arange(2010, 2016), np.arange(6.0) + 1, ["naive", "drift"],
...                     horizons=[1], min_train=4)
>>> cv[["model", "origin", "actual", "forecast"]].round(9).to_dict("list")
{'model': ['naive', 'drift', 'naive', 'drift'], 'origin': [2013, 2013, 2014, 2014], 'actual': [5.0, 5.0, 6.0, 6.0], 'forecast': [4.0, 5.0, 5.0, 6.0]}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..domain import infer_domain
from ..errors import InsufficientDataError, ParameterError
from .base import REGISTRY
from .scale import fit_scaled

__all__ = ["cross_validate", "CV_COLUMNS", "mase_scale"]

CV_COLUMNS = ["model", "model_used", "origin", "horizon", "year", "actual", "forecast",
              "lo80", "hi80", "lo95", "hi95", "scale"]
_PROBS = (0.1, 0.9, 0.025, 0.975)


def mase_scale(years, values):
    """MASE denominator: mean absolute annual change ``|y_i+1 - y_i| / k_i`` (gaps of k_i years).

    Examples
    --------
    >>> float(mase_scale([2010, 2011, 2013], [1.0, 2.0, 6.0]))
    1.5
    """
    t, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    if len(t) < 2:
        return np.nan
    return float(np.mean(np.abs(np.diff(y)) / np.diff(t)))


def cross_validate(years, values, models, horizons=range(1, 6), min_train=5, last_origins=None,
                   domain=None, transform="auto", common=True, intervals=True):
    """Rolling-origin evaluation: one row per model x origin x horizon.

    Parameters
    ----------
    years, values : array-like
        Exact observations (sorted by year, gaps allowed).
    models : sequence of str
        Registered model names.
    horizons : iterable of int
        Years after the origin to score (only where an observation exists).
    min_train : int
        Minimum observations up to an origin.
    last_origins : int, optional
        Keep only the last so many usable origins.
    domain : Domain, optional
        Default: inferred from the values.
    transform : str
        As in :func:`~plananalysis.models.forecast`.
    common : bool
        Use only origins where every model has :attr:`min_obs` observations.
    intervals : bool
        Also compute the exact 80% / 95% quantiles (``False``: NaN, faster).

    Returns
    -------
    DataFrame
        :data:`CV_COLUMNS`; ``scale`` is :func:`mase_scale` of the training set.
    """
    t = np.asarray(years, dtype=int)
    y = np.asarray(values, dtype=float)
    models = list(models)
    for m in models:
        if m not in REGISTRY:
            raise ParameterError(f"unknown model {m!r}; expected one of {', '.join(REGISTRY)}")
    horizons = sorted({int(h) for h in horizons})
    if not horizons or horizons[0] <= 0:
        raise ParameterError(f"horizons must be positive integers, got {horizons}")
    domain = infer_domain(None, y) if domain is None else domain
    need = max([int(min_train)] + [REGISTRY[m].min_obs for m in models]) if common else int(min_train)
    usable = []
    for pos in range(len(t)):
        later = [(int(t[j] - t[pos]), j) for j in range(pos + 1, len(t)) if t[j] - t[pos] in horizons]
        if pos + 1 >= need and later:
            usable.append((pos, later))
    if last_origins is not None:
        usable = usable[-int(last_origins):]
    rows = []
    for pos, later in usable:
        tt, yy = t[: pos + 1], y[: pos + 1]
        scale = mase_scale(tt, yy)
        H = max(h for h, _ in later)
        for m in models:
            if REGISTRY[m].min_obs > len(tt):
                continue
            try:
                fit = fit_scaled(REGISTRY[m], tt, yy, domain, transform)
            except InsufficientDataError:
                continue
            if intervals:
                q = fit.quantile(H, (0.5,) + _PROBS)
                pt, q = q[0], q[1:]
            else:
                pt, q = fit.point(H), np.full((4, H), np.nan)
            used = getattr(fit, "name", m)
            for h, j in later:
                rows.append((m, used, int(tt[-1]), h, int(t[j]), y[j], pt[h - 1],
                             q[0, h - 1], q[1, h - 1], q[2, h - 1], q[3, h - 1], scale))
    if not rows:
        return pd.DataFrame(columns=CV_COLUMNS)
    return pd.DataFrame(rows, columns=CV_COLUMNS)


