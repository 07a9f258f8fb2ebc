"""Accuracy measures in one registry, and skill relative to a baseline (like fabletools' ``accuracy()``).

Each measure maps a scored table (columns ``actual``, ``forecast``,
``lo80 .. hi95``, ``scale``) to one value per row and says how rows are
pooled (mean, or root of the mean for RMSE). Point measures: ``mae``,
``rmse``, ``mase`` (|e| / scale), ``smape`` (0-200, ``200 |e| / (|y| + |f|)``).
Interval measures: ``coverage80``, ``coverage95`` (share of actuals inside,
nominal 0.80 / 0.95), ``winkler80``, ``winkler95`` (interval score
``(u - l) + 2/a (l - y)+ + 2/a (y - u)+``) and ``msis95`` (the Winkler score
divided by the scale, M4's MSIS).

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({"model": ["a", "a", "b", "b"], "actual": [1.0, 2.0, 1.0, 2.0],
...                   "forecast": [1.5, 2.0, 2.0, 3.0], "scale": 1.0})
>>> accuracy(f, measures=["mae", "mase"], baseline="a")[["model", "mae", "mase_skill"]].to_dict("list")
{'model': ['a', 'b'], 'mae': [0.25, 1.0], 'mase_skill': [0.0, -3.0]}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import ParameterError

__all__ = ["Measure", "MEASURES", "POINT_MEASURES", "INTERVAL_MEASURES", "accuracy", "winkler"]


def winkler(lo, hi, y, alpha):
    """Interval (Winkler) score of a central ``1 - alpha`` interval."""
    return (hi - lo) + 2 / alpha * np.clip(lo - y, 0, None) + 2 / alpha * np.clip(y - hi, 0, None)


@dataclass(frozen=True)
class Measure:
    """One accuracy measure.

    Attributes
    ----------
    name : str
        Column name in the output.
    kind : {"point", "interval"}
        What it judges.
    per_row : callable
        ``frame -> array`` of per-forecast values.
    pool : {"mean", "rms"}
        How per-row values are pooled.
    nominal : float, optional
        The target value of a coverage measure.
    """

    name: str
    kind: str
    per_row: Callable
    pool: str = "mean"
    nominal: float | None = None


def _err(f):
    return f["actual"] - f["forecast"]


MEASURES = {m.name: m for m in (
    Measure("mae", "point", lambda f: _err(f).abs()),
    Measure("rmse", "point", lambda f: _err(f), pool="rms"),
    Measure("mase", "point", lambda f: _err(f).abs() / f["scale"].replace(0, np.nan)),
    Measure("smape", "point", lambda f: 200 * _err(f).abs() / (f["actual"].abs() + f["forecast"].abs())),
    Measure("coverage80", "interval", lambda f: ((f["actual"] >= f["lo80"]) & (f["actual"] <= f["hi80"]))
            .astype(float), nominal=0.80),
    Measure("coverage95", "interval", lambda f: ((f["actual"] >= f["lo95"]) & (f["actual"] <= f["hi95"]))
            .astype(float), nominal=0.95),
    Measure("winkler80", "interval", lambda f: winkler(f["lo80"], f["hi80"], f["actual"], 0.2)),
    Measure("winkler95", "interval", lambda f: winkler(f["lo95"], f["hi95"], f["actual"], 0.05)),
    Measure("msis95", "interval", lambda f: winkler(f["lo95"], f["hi95"], f["actual"], 0.05)
            / f["scale"].replace(0, np.nan)),
)}
"""Measure name -> :class:`Measure`."""

POINT_MEASURES = tuple(n for n, m in MEASURES.items() if m.kind == "point")
INTERVAL_MEASURES = tuple(n for n, m in MEASURES.items() if m.kind == "interval")


def accuracy(frame, by=("model",), measures=None, baseline=None):
    """Pool measures per group; with ``baseline``, add skill relative to that model.

    Parameters
    ----------
    frame : DataFrame
        Scored forecasts (a :func:`cross_validate` or ``backtest`` table).
    by : sequence of str
        Grouping columns (must include ``"model"`` when ``baseline`` is given).
    measures : sequence of str, optional
        Names in :data:`MEASURES`; default all whose columns are present.
    baseline : str, optional
        A model in ``frame``: adds ``<measure>_skill = 1 - measure / baseline's``
        for every point measure, matched on the other ``by`` columns.

    Returns
    -------
    DataFrame
        ``by`` columns, ``n`` and one column per measure (plus skills).
    """
    by = list(by)
    if measures is None:
        cols = set(frame.columns)
        measures = [n for n in MEASURES if n in POINT_MEASURES or {"lo80", "lo95"} <= cols]
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ParameterError(f"unknown measure(s) {unknown}; expected some of {', '.join(MEASURES)}")
    if frame.empty:
        return pd.DataFrame(columns=by + ["n"] + list(measures))
    f = frame[by].copy()
    for name in measures:
        v = MEASURES[name].per_row(frame)
        f[name] = v ** 2 if MEASURES[name].pool == "rms" else v
    g = f.groupby(by, sort=True, dropna=False)
    out = g[list(measures)].mean()
    for name in measures:
        if MEASURES[name].pool == "rms":
            out[name] = np.sqrt(out[name])
    out.insert(0, "n", g.size())
    out = out.reset_index()
    if baseline is not None:
        if "model" not in by:
            raise ParameterError(f"accuracy: 'by' must include 'model' to use a baseline, got {by}")
        keys = [c for c in by if c != "model"]
        point = [m for m in measures if MEASURES[m].kind == "point"]
        base = out[out["model"] == baseline][keys + point].rename(columns={m: f"_b_{m}" for m in point})
        if keys:
            out = out.merge(base, on=keys, how="left")
        else:
            for m in point:
                out[f"_b_{m}"] = base[f"_b_{m}"].iloc[0] if len(base) else np.nan
        for m in point:
            out[f"{m}_skill"] = 1 - out[m] / out.pop(f"_b_{m}")
    return out
