"""Agency-style progress measures: required path, growth rates, growth ratio and bands.

Level targets
    Baseline = the plan's baseline value and year (ignored when the year is
    after ``as_of``: that value was not known then), else the exact
    observation in ``period_start - 1``. ``required_cagr = (target /
    baseline)^(1/(target_year - baseline_year)) - 1``; ``actual_cagr`` from
    the baseline to the latest exact observation; ``progress_ratio R = d *
    actual / |required|`` with ``d = +1`` for floors and ``-1`` for caps;
    bands ``on pace`` (R >= 0.95; Eurostat calls it "on track"),
    ``acceleration needed`` (0.60 <= R < 0.95), ``limited progress``
    (0 <= R < 0.60), ``moving away`` (R < 0). ``achieved`` when the latest
    exact value already satisfies the target; ``achieved, maintain`` (no
    ratio) when the target is not beyond the baseline ("stay above 360" with
    a baseline of 395.5) and the latest value satisfies it. A zero base or
    target is replaced by 0.001 (Eurostat). Signed rates (GDP growth) have no
    meaningful CAGR: they get the band from the latest value only.
Cumulative targets
    The required path is an even annual flow ``target / n_years`` (sum) or
    an even annual rate compounding to the target (compound);
    ``progress_ratio`` = observed average annual flow / required even flow
    (inverted for a cap), with the same bands.

References
----------
Eurostat (2023). *Sustainable development in the European Union: Monitoring
report*, methodological annex (growth-ratio method). Open SDG, ``sdg-build``
``sdg/ProgressMeasure`` (progress thresholds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import ParameterError
from .results import Band
from .comparator import higher_is_better, satisfies

__all__ = ["BAND_THRESHOLDS", "MIN_BAND_OBS", "growth_band", "progress_measures", "required_path",
           "aggregate", "even_flow"]

BAND_THRESHOLDS = (0.95, 0.60, 0.0)
#: Observed years a cumulative target needs before a progress band is given
#: (Eurostat / Open SDG ask for at least two data points).
MIN_BAND_OBS = 2


def growth_band(ratio) -> Band:
    """Eurostat / Open SDG band of a growth ratio R.

    Examples
    --------
    >>> [growth_band(r).value for r in (1.2, 0.95, 0.7, 0.1, -0.2, float("nan"))]
    ['on_pace', 'on_pace', 'acceleration_needed', 'limited_progress', 'moving_away', 'insufficient_data']
    """
    if ratio is None or not np.isfinite(ratio):
        return Band.INSUFFICIENT
    hi, mid, lo = BAND_THRESHOLDS
    if ratio >= hi:
        return Band.ON_PACE
    if ratio >= mid:
        return Band.ACCELERATION_NEEDED
    if ratio >= lo:
        return Band.LIMITED
    return Band.MOVING_AWAY


def _direction(comparator, target, baseline):
    higher = higher_is_better(comparator)
    if higher is None:  # '~': towards the target from where the baseline stands
        return None if baseline is None or not np.isfinite(baseline) else target >= baseline
    return higher


def progress_measures(baseline_year, baseline_value, latest_year, latest_value, target, target_year,
                      comparator, strict=False, tolerance=None, signed=False) -> dict:
    """Required and actual CAGR, growth ratio and band for a level target.

    Parameters
    ----------
    baseline_year, baseline_value : int, float
        Start of the required path (NaN when unknown).
    latest_year, latest_value : int, float
        Latest exact observation.
    target, target_year, comparator, strict, tolerance
        The target.
    signed : bool
        The series is a signed rate: no CAGR, band only ``achieved`` or
        insufficient.

    Returns
    -------
    dict
        ``required_cagr``, ``actual_cagr``, ``progress_ratio``, ``band`` (:class:`Band`).

    Examples
    --------
    >>> m = progress_measures(2020, 100.0, 2022, 110.25, 130.0, 2025, ">")
    >>> round(m["actual_cagr"], 4), round(m["required_cagr"], 4), m["band"].value
    (0.05, 0.0539, 'acceleration_needed')
    >>> progress_measures(2020, 395.5, 2024, 428.7, 360.0, 2025, ">")["band"].value
    'achieved_maintain'
    """
    out = {"required_cagr": np.nan, "actual_cagr": np.nan, "progress_ratio": np.nan,
           "band": Band.INSUFFICIENT}
    achieved = latest_value is not None and np.isfinite(latest_value) and \
        bool(satisfies(latest_value, comparator, target, strict, tolerance))
    has_base = baseline_value is not None and np.isfinite(baseline_value) and baseline_year is not None \
        and not pd.isna(baseline_year)
    if has_base and not signed:
        b = baseline_value if baseline_value != 0 else 0.001
        tgt = target if target != 0 else 0.001
        if target_year > baseline_year:
            out["required_cagr"] = (tgt / b) ** (1 / (target_year - baseline_year)) - 1
        if latest_year is not None and latest_year > baseline_year and np.isfinite(latest_value):
            lv = latest_value if latest_value != 0 else 0.001
            out["actual_cagr"] = (lv / b) ** (1 / (latest_year - baseline_year)) - 1
        higher = _direction(comparator, target, baseline_value)
        beyond = (tgt > b) if higher else (tgt < b)
        if not beyond:
            out["band"] = Band.MAINTAIN if achieved else Band.MOVING_AWAY
            return out
        d = 1 if higher else -1
        if np.isfinite(out["actual_cagr"]) and np.isfinite(out["required_cagr"]) and out["required_cagr"]:
            out["progress_ratio"] = d * out["actual_cagr"] / abs(out["required_cagr"])
            out["band"] = growth_band(out["progress_ratio"])
    if achieved:
        out["band"] = Band.ACHIEVED
    return out


def aggregate(values, how="sum", axis=0):
    """Add up a period's annual values: ``sum`` of flows, ``compound`` growth rates in %
    (``100 (prod(1 + x/100) - 1)``) or ``compound_decline`` rates of decline in %
    (``100 (1 - prod(1 - x/100))``, e.g. five-year cuts in energy intensity), or
    ``mean_growth``, the compounded mean of annual growth rates in %
    (``100 (prod(1 + x/100) ** (1/n) - 1)`` over the ``n`` values, e.g. a five-year
    "average growth of 7%" target, compared with the target rate itself).

    Examples
    --------
    >>> float(aggregate([10.0, 10.0], "sum")), round(float(aggregate([10.0, 10.0], "compound")), 6)
    (20.0, 21.0)
    >>> round(float(aggregate([10.0, 10.0], "compound_decline")), 6)
    19.0
    >>> round(float(aggregate([10.0, 10.0], "mean_growth")), 6)
    10.0
    """
    v = np.asarray(values, dtype=float)
    if how == "sum":
        return v.sum(axis=axis)
    if how == "compound":
        return 100.0 * (np.prod(1 + v / 100.0, axis=axis) - 1)
    if how == "compound_decline":
        return 100.0 * (1 - np.prod(1 - v / 100.0, axis=axis))
    if how == "mean_growth":
        n = v.shape[axis] if v.ndim else 1
        growth = np.clip(1 + v / 100.0, 0.0, None)  # a simulated fall beyond -100% is a total loss
        return 100.0 * (np.prod(growth, axis=axis) ** (1.0 / n) - 1) if n else np.nan
    raise ParameterError(f"aggregation must be sum, compound, compound_decline or mean_growth, got {how!r}")


def even_flow(target, n_years, how="sum") -> float:
    """The constant annual value that adds up to ``target`` over ``n_years``.

    Examples
    --------
    >>> even_flow(200.0, 5), round(even_flow(21.0, 2, "compound"), 6)
    (40.0, 10.0)
    >>> even_flow(7.0, 5, "mean_growth")  # an average-growth target is its own annual rate
    7.0
    """
    if how == "sum":
        return target / n_years
    if how == "compound":
        return 100.0 * ((1 + target / 100.0) ** (1 / n_years) - 1)
    if how == "mean_growth":
        return float(target)
    return 100.0 * (1 - (1 - target / 100.0) ** (1 / n_years))


def required_path(target_row, years=None) -> pd.Series:
    """The deterministic path from baseline to target (geometric for levels, even flow for cumulative).

    Parameters
    ----------
    target_row : Series or dict
        A :func:`~plananalysis.plan.load_targets` row.
    years : iterable of int, optional
        Years to evaluate (default: baseline year .. target year for levels,
        the period for cumulative targets).

    Returns
    -------
    Series
        Levels: ``baseline * (1 + required_cagr)^(year - baseline_year)``.
        Cumulative: running total of an even annual flow. Empty when a
        level target has no baseline. ``attrs["already_met"]`` is True when
        the target is not beyond the baseline (the path is then flat at the
        target: "stay above").

    Examples
    --------
    >>> row = {"cumulative": True, "target": 200.0, "period_start": 2021, "period_end": 2025}
    >>> required_path(row).tolist()
    [40.0, 80.0, 120.0, 160.0, 200.0]
    >>> row = {"cumulative": False, "target": 360.0, "target_year": 2025, "comparator": ">",
    ...        "baseline_year": 2020, "baseline_value": 395.5}
    >>> p = required_path(row); p.attrs["already_met"], float(p.iloc[0])
    (True, 360.0)
    """
    row = dict(target_row)
    if row.get("cumulative"):
        start, end = int(row["period_start"]), int(row["period_end"])
        yrs = list(range(start, end + 1)) if years is None else list(years)
        how = row.get("aggregation") or "sum"
        step = even_flow(row["target"], end - start + 1, how)
        vals = [float(aggregate([step] * (y - start + 1), how)) for y in yrs]
        out = pd.Series(vals, index=pd.Index(yrs, name="year"))
        out.attrs["already_met"] = False
        return out
    by, bv = row.get("baseline_year"), row.get("baseline_value")
    if by is None or pd.isna(by) or bv is None or pd.isna(bv):
        out = pd.Series(dtype=float, index=pd.Index([], name="year"))
        out.attrs["already_met"] = False
        return out
    by, ty = int(by), int(row["target_year"])
    yrs = list(range(by, ty + 1)) if years is None else list(years)
    higher = _direction(row.get("comparator", ">"), row["target"], bv)
    beyond = (row["target"] > bv) if higher else (row["target"] < bv)
    if not beyond:  # the baseline already meets it: required is to stay on the right side
        out = pd.Series([float(row["target"])] * len(yrs), index=pd.Index(yrs, name="year"))
        out.attrs["already_met"] = True
        return out
    rate = (row["target"] / bv) ** (1 / (ty - by)) - 1
    out = pd.Series([bv * (1 + rate) ** (y - by) for y in yrs], index=pd.Index(yrs, name="year"))
    out.attrs["already_met"] = False
    return out
