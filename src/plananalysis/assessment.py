"""Targets x statistics -> scorecard: probability of meeting each target, plus agency-style measures.

For each target (a row of :func:`~plananalysis.plan.load_targets`) the
mapped statistics series is forecast with :func:`~plananalysis.models.forecast`
and the simulated paths answer "how likely is the target met?". Next to the
probability, the deterministic measures statistical agencies publish are
computed (required path, actual CAGR, Eurostat / Open SDG growth ratio and band).

Rules (each one is tested)
--------------------------
Reading of comparators
    ``strict=False`` (default) reads ``'>'`` / ``'<'`` as the plan's
    以上 / 以下, i.e. *at least* / *at most* (the number itself counts; see
    REFERENCES section 6); ``strict=True`` reads them as 超过 / 不满
    (exclusive). ``'>='`` / ``'<='`` are always inclusive. The same reading
    applies to bounded observations: ``'>97'`` published as "97%以上" means
    "at least 97" unless ``strict=True``.
Final outcomes
    A level target whose target year has an exact observation (up to
    ``as_of``) is ``met`` / ``not met`` with probability 1 / 0. A cumulative
    target whose period is fully observed likewise. A cumulative target whose
    observed flows already satisfy a ``'>'`` target is ``met`` (flows are
    non-negative); one whose observed flows already break a ``'<'`` cap is
    ``not met``.
Bounded observations
    Never fitted. A bound in the target year decides the outcome only if it
    settles the comparator logically: the values the bound allows must all
    satisfy the target (``met``) or all fail it (``not met``); e.g. ``'>97'``
    against a ``'>97'`` target is met under the default reading. Otherwise
    the year is unresolved: the probability is computed from the paths that
    agree with the bound (conditional probability), and the note says so.
    A bounded flow inside a cumulative period is simulated and the draws are
    floored (``'>'``) or capped (``'<'``) at the bound. An approximate
    observation (``'~b'``, "about b") is read as within
    :data:`~plananalysis.data.APPROX_TOLERANCE` (10 %) of ``b``: paths are
    conditioned on that interval in the target year, and flows are clipped
    to it.
Cumulative targets
    Observed exact flows inside the period plus simulated flows for every
    other period year, summed path by path (never by adding interval bounds).
    Unobserved *past* years inside the period (2023) are simulated from the
    model conditionally on the observations on both sides
    (:attr:`Forecast.gap_paths`); the note names them.
Insufficient data
    When the model cannot be fitted (too few exact observations, see
    :data:`~plananalysis.models.MIN_OBS`) the status is ``insufficient data``,
    ``p_meet`` is NaN, and the row gives the latest value, the observed
    partial sum (cumulative) and ``needed_per_year`` (average annual flow
    still needed over the missing period years) or ``needed_cagr`` (annual
    growth from the latest exact value that reaches the target).
Status
    ``met``, ``not met``, ``on track`` (p >= ``on_track``, default 0.9),
    ``at risk`` (``at_risk`` <= p < ``on_track``, default 0.5), ``off track``
    (p < ``at_risk``), ``insufficient data``.
Deterministic measures (level targets)
    Baseline = the plan's baseline value and year (ignored when the year is
    after ``as_of``: that value was not known then), else the exact
    observation in ``period_start - 1``. ``required_cagr = (target /
    baseline)^(1/(target_year - baseline_year)) - 1``; ``actual_cagr`` from
    the baseline to the latest exact observation; ``progress_ratio R = d *
    actual / |required|`` with ``d = +1`` for ``'>'`` targets and ``-1`` for
    ``'<'``; bands ``on track`` (R >= 0.95), ``acceleration needed`` (0.60 <=
    R < 0.95), ``limited progress`` (0 <= R < 0.60), ``moving away`` (R < 0).
    ``achieved`` when the latest exact value already satisfies the target;
    ``achieved/maintain`` (no ratio) when the target is not beyond the
    baseline ("stay above 360" with a baseline of 395.5) and the latest value
    satisfies it. A zero base or target is replaced by 0.001 (Eurostat).
Deterministic measures (cumulative targets)
    The required path is an even annual flow ``target / n_years``;
    ``progress_ratio`` = observed average annual flow in the period /
    required even flow (inverted for a ``'<'`` cap, so that staying under
    the even flow scores >= 1), with the same bands (the CAGR columns are NaN).

References
----------
Eurostat (2023). *Sustainable development in the European Union:
Monitoring report*, methodological annex (growth-ratio method).
Open SDG, ``sdg-build`` ``sdg/ProgressMeasure`` (progress thresholds).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from .data import APPROX_TOLERANCE
from .errors import DataError, ParameterError
from .models import MODELS, InsufficientDataError, forecast

_BUNDLED_FIT_START = 2015  # the bundled plan's series break (2012-2015); the plan bundle will declare it

ON_TRACK = 0.9
AT_RISK = 0.5
BAND_THRESHOLDS = (0.95, 0.60, 0.0)
STATUSES = ("met", "not met", "on track", "at risk", "off track", "insufficient data")
ASSESS_COLUMNS = [
    "indicator", "name_en", "target", "comparator", "target_year", "cumulative", "latest_year",
    "latest_value", "status", "p_meet", "projected_median", "projected_lo80", "projected_hi80",
    "projected_lo95", "projected_hi95", "required_cagr", "actual_cagr", "progress_ratio",
    "progress_band", "model", "n_obs", "note",
    # extras
    "unit", "series", "latest_qualifier", "observed_sum", "years_simulated", "needed_per_year",
    "needed_cagr", "baseline_year", "baseline_value",
]
_HIGHER = {">": True, ">=": True, "<": False, "<=": False}


# ----------------------------------------------------------------- comparators
def satisfies(values, comparator, target, strict=False):
    """Whether values meet ``comparator target`` under the chosen reading.

    Parameters
    ----------
    values : array-like or float
    comparator : {'>', '>=', '<', '<='}
    target : float
    strict : bool
        ``False`` reads ``'>'``/``'<'`` as inclusive (以上/以下).

    Returns
    -------
    ndarray of bool (or bool for a scalar)

    Examples
    --------
    >>> bool(satisfies(97.0, ">", 97.0)), bool(satisfies(97.0, ">", 97.0, strict=True))
    (True, False)
    """
    v = np.asarray(values, dtype=float)
    if comparator not in _HIGHER:
        raise ParameterError(f"comparator must be one of {list(_HIGHER)}, got {comparator!r}")
    if comparator == ">":
        out = v > target if strict else v >= target
    elif comparator == ">=":
        out = v >= target
    elif comparator == "<":
        out = v < target if strict else v <= target
    else:
        out = v <= target
    return out if out.ndim else bool(out)


def bound_outcome(qualifier, bound, comparator, target, strict=False):
    """Decide a target from a bounded observation, if the bound settles it.

    Parameters
    ----------
    qualifier : {'>', '>=', '<', '<='}
        The bound as published (``'>'`` read like the plan's 以上 unless ``strict``).
    bound : float
    comparator, target, strict
        The target, as in :func:`satisfies`.

    Returns
    -------
    bool or None
        True (every value the bound allows meets the target), False (none
        does) or None (unresolved).

    Examples
    --------
    >>> bound_outcome(">", 97.0, ">", 97.0), bound_outcome(">", 97.0, ">", 97.0, strict=True)
    (True, True)
    >>> print(bound_outcome(">", 96.0, ">", 97.0))
    None
    """
    if qualifier not in _HIGHER:
        return None
    # allowed values: an interval [lo, hi] with open/closed ends
    closed = qualifier in (">=", "<=") or not strict
    if _HIGHER[qualifier]:
        lo, lo_closed, hi, hi_closed = bound, closed, np.inf, False
    else:
        lo, lo_closed, hi, hi_closed = -np.inf, False, bound, closed
    t_closed = comparator in (">=", "<=") or not strict
    if _HIGHER[comparator]:  # satisfying set [target, inf) or (target, inf)
        all_ok = lo > target or (lo == target and (t_closed or not lo_closed))
        none_ok = hi < target or (hi == target and not (hi_closed and t_closed))
    else:
        all_ok = hi < target or (hi == target and (t_closed or not hi_closed))
        none_ok = lo > target or (lo == target and not (lo_closed and t_closed))
    if all_ok:
        return True
    if none_ok:
        return False
    return None


def _bound_mask(values, qualifier, bound, strict):
    if qualifier == "~":  # "about b": within APPROX_TOLERANCE of b, not a lower bound
        return np.abs(np.asarray(values, dtype=float) - bound) <= APPROX_TOLERANCE * abs(bound)
    return satisfies(values, qualifier if qualifier in _HIGHER else ">=", bound, strict)


def _bounded_draws(draws, qualifier, bound):
    """Simulated flows made consistent with a bound (floored / capped) or an approximation (clipped)."""
    if qualifier == "~":
        tol = APPROX_TOLERANCE * abs(bound)
        return np.clip(draws, bound - tol, bound + tol)
    return np.maximum(draws, bound) if _HIGHER.get(qualifier, True) else np.minimum(draws, bound)


# ---------------------------------------------------------- growth ratio / bands
#: Observed years a cumulative target needs before a progress band is given
#: (Eurostat / Open SDG ask for at least two data points).
MIN_BAND_OBS = 2


def growth_band(ratio):
    """Eurostat / Open SDG band of a growth ratio R.

    Examples
    --------
    >>> [growth_band(r) for r in (1.2, 0.95, 0.7, 0.1, -0.2)]
    ['on track', 'on track', 'acceleration needed', 'limited progress', 'moving away']
    """
    if ratio is None or not np.isfinite(ratio):
        return "insufficient data"
    hi, mid, lo = BAND_THRESHOLDS
    if ratio >= hi:
        return "on track"
    if ratio >= mid:
        return "acceleration needed"
    if ratio >= lo:
        return "limited progress"
    return "moving away"


def progress_measures(baseline_year, baseline_value, latest_year, latest_value, target, target_year,
                      comparator, strict=False):
    """Required and actual CAGR, growth ratio and band for a level target.

    Parameters
    ----------
    baseline_year, baseline_value : int, float
        Start of the required path (NaN when unknown).
    latest_year, latest_value : int, float
        Latest exact observation.
    target, target_year, comparator, strict
        The target.

    Returns
    -------
    dict
        ``required_cagr``, ``actual_cagr``, ``progress_ratio``, ``progress_band``.

    Examples
    --------
    >>> m = progress_measures(2020, 100.0, 2022, 110.25, 130.0, 2025, ">")
    >>> round(m["actual_cagr"], 4), round(m["required_cagr"], 4), m["progress_band"]
    (0.05, 0.0539, 'acceleration needed')
    >>> progress_measures(2020, 395.5, 2024, 428.7, 360.0, 2025, ">")["progress_band"]
    'achieved/maintain'
    """
    out = {"required_cagr": np.nan, "actual_cagr": np.nan, "progress_ratio": np.nan,
           "progress_band": "insufficient data"}
    achieved = latest_value is not None and np.isfinite(latest_value) and \
        bool(satisfies(latest_value, comparator, target, strict))
    has_base = baseline_value is not None and np.isfinite(baseline_value) and baseline_year is not None \
        and not pd.isna(baseline_year)
    if has_base:
        b = baseline_value if baseline_value != 0 else 0.001
        tgt = target if target != 0 else 0.001
        if target_year > baseline_year:
            out["required_cagr"] = (tgt / b) ** (1 / (target_year - baseline_year)) - 1
        if latest_year is not None and latest_year > baseline_year and np.isfinite(latest_value):
            lv = latest_value if latest_value != 0 else 0.001
            out["actual_cagr"] = (lv / b) ** (1 / (latest_year - baseline_year)) - 1
        beyond = (tgt > b) if _HIGHER[comparator] else (tgt < b)
        if not beyond:
            out["progress_band"] = "achieved/maintain" if achieved else "moving away"
            return out
        d = 1 if _HIGHER[comparator] else -1
        if np.isfinite(out["actual_cagr"]) and np.isfinite(out["required_cagr"]) and out["required_cagr"]:
            out["progress_ratio"] = d * out["actual_cagr"] / abs(out["required_cagr"])
            out["progress_band"] = growth_band(out["progress_ratio"])
    if achieved:
        out["progress_band"] = "achieved"
    return out


def required_path(target_row, years=None):
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
        Cumulative: running total of an even annual flow, ``target / n * k``.
        Empty when a level target has no baseline.

    Examples
    --------
    >>> row = {"cumulative": True, "target": 200.0, "period_start": 2021, "period_end": 2025}
    >>> required_path(row).tolist()
    [40.0, 80.0, 120.0, 160.0, 200.0]
    """
    row = dict(target_row)
    if row.get("cumulative"):
        start, end = int(row["period_start"]), int(row["period_end"])
        yrs = list(range(start, end + 1)) if years is None else list(years)
        step = row["target"] / (end - start + 1)
        return pd.Series([step * (y - start + 1) for y in yrs], index=pd.Index(yrs, name="year"))
    by, bv = row.get("baseline_year"), row.get("baseline_value")
    if by is None or pd.isna(by) or bv is None or pd.isna(bv):
        return pd.Series(dtype=float, index=pd.Index([], name="year"))
    by, ty = int(by), int(row["target_year"])
    yrs = list(range(by, ty + 1)) if years is None else list(years)
    rate = (row["target"] / bv) ** (1 / (ty - by)) - 1
    return pd.Series([bv * (1 + rate) ** (y - by) for y in yrs], index=pd.Index(yrs, name="year"))


# --------------------------------------------------------------- per target
def _series_frame(row, data, as_of):
    from .data import get_series

    name = row.get("series")
    if name is None or pd.isna(name) or str(name).strip() == "":
        return None
    if not (data["indicator"] == str(name)).any():
        raise DataError(f"target {row['indicator']!r} maps to series {name!r}, which is not in the "
                        "statistics data", column="series", value=str(name))
    frame = get_series(str(name), data)
    if as_of is not None:
        attrs = dict(frame.attrs)
        frame = frame[frame.index <= as_of]
        frame.attrs.update(attrs)
    return frame


def _baseline(row, exact, as_of=None):
    by, bv = row.get("baseline_year"), row.get("baseline_value")
    if by is not None and not pd.isna(by) and bv is not None and not pd.isna(bv) \
            and not str(row.get("baseline_qualifier") or "") and (as_of is None or int(by) <= as_of):
        return int(by), float(bv)
    start = row.get("period_start")
    if start is not None and not pd.isna(start) and int(start) - 1 in exact.index:
        return int(start) - 1, float(exact[int(start) - 1])
    return None, np.nan


def _status(p, on_track, at_risk):
    if p >= on_track:
        return "on track"
    if p >= at_risk:
        return "at risk"
    return "off track"


def _set_probability(out, notes, p, n_draws, opts):
    """Store P(meet) and its status; note when Monte-Carlo error could flip the status.

    The Monte-Carlo standard error of a simulated probability is
    ``sqrt(p (1 - p) / n)``; within two of them of a threshold the status is
    not settled by the simulation, and the note says so.
    """
    out.update(p_meet=p, status=_status(p, opts["on_track"], opts["at_risk"]))
    se = float(np.sqrt(max(p * (1 - p), 0.25 / n_draws) / n_draws))
    for name, threshold in (("on track", opts["on_track"]), ("at risk", opts["at_risk"])):
        if abs(p - threshold) < 2 * se:
            notes.append(f"P(meet) {p:.3f} is within Monte-Carlo error (2 x {se:.3f}) of the "
                         f"'{name}' threshold {threshold:g}: the status could go either way")


def _quantiles(values, out):
    q = np.quantile(values, [0.5, 0.1, 0.9, 0.025, 0.975])
    out.update(projected_median=q[0], projected_lo80=q[1], projected_hi80=q[2],
               projected_lo95=q[3], projected_hi95=q[4])


def _fit(frame, row, opts, as_of, horizon_to):
    return forecast(frame, opts["model"], n_paths=opts["n_paths"], seed=opts["seed"],
                    fit_start=opts["fit_start"] or _BUNDLED_FIT_START, target_year=horizon_to, as_of=as_of)


def _year_draws(fc, year):
    if year in fc.paths.index:
        return fc.paths.loc[year].to_numpy()
    if year in fc.gap_paths.index:
        return fc.gap_paths.loc[year].to_numpy()
    return None


def _assess_level(row, frame, exact, out, opts, notes, as_of):
    comp, target, ty, strict = row["comparator"], float(row["target"]), int(row["target_year"]), opts["strict"]
    if ty in exact.index:
        met = satisfies(exact[ty], comp, target, strict)
        out.update(status="met" if met else "not met", p_meet=float(met), projected_median=exact[ty])
        notes.append(f"target year observed: {exact[ty]:g}")
        return
    bounded = frame[(frame["qualifier"] != "") & (frame.index == ty)]
    bound = None
    if len(bounded):
        q, b = str(bounded["qualifier"].iloc[0]), float(bounded["value"].iloc[0])
        decided = bound_outcome(q, b, comp, target, strict)
        if decided is not None:
            out.update(status="met" if decided else "not met", p_meet=float(decided))
            notes.append(f"target year observed as a bound {q}{b:g}, which settles the comparator")
            return
        bound = (q, b)
    try:
        fc = _fit(frame, row, opts, as_of, ty)
    except InsufficientDataError as exc:
        _insufficient_level(row, exact, out, notes, exc)
        return
    draws = _year_draws(fc, ty)
    out.update(model=fc.model, n_obs=len(fc.history))
    if fc.note:
        notes.append(fc.note)
    if draws is None:
        _insufficient_level(row, exact, out, notes, None)
        return
    ok = satisfies(draws, comp, target, strict)
    if bound is not None:
        keep = _bound_mask(draws, bound[0], bound[1], strict)
        notes.append(f"target year observed only as a bound {bound[0]}{bound[1]:g}: probability "
                     f"conditional on the {int(keep.sum())} paths consistent with it")
        if keep.sum() == 0:
            _insufficient_level(row, exact, out, notes, None)
            return
        draws, ok = draws[keep], ok[keep]
    _set_probability(out, notes, float(np.mean(ok)), len(ok), opts)
    _quantiles(draws, out)


def _insufficient_level(row, exact, out, notes, exc):
    out.update(status="insufficient data", p_meet=np.nan)
    if exc is not None:
        out["n_obs"] = exc.n_obs
        notes.append(str(exc))
    if len(exact):
        ly, lv = int(exact.index[-1]), float(exact.iloc[-1])
        ty = int(row["target_year"])
        if ty > ly and lv > 0:
            out["needed_cagr"] = (float(row["target"]) / lv) ** (1 / (ty - ly)) - 1
            notes.append(f"reaching {row['target']:g} in {ty} needs {out['needed_cagr']:+.1%} a year "
                         f"from {lv:g} in {ly}")


def _assess_cumulative(row, frame, exact, out, opts, notes, as_of):
    comp, target, strict = row["comparator"], float(row["target"]), opts["strict"]
    start, end = int(row["period_start"]), int(row["period_end"])
    period = list(range(start, end + 1))
    obs = exact[(exact.index >= start) & (exact.index <= end)]
    bounds = frame[(frame["qualifier"] != "") & (frame.index >= start) & (frame.index <= end)]
    bounds = bounds[~bounds.index.isin(obs.index)]
    missing = [y for y in period if y not in obs.index]
    observed_sum = float(obs.sum())
    out.update(observed_sum=observed_sum, years_simulated="")
    n = len(period)
    if len(obs) >= MIN_BAND_OBS:
        pace = (observed_sum / len(obs)) / (target / n)
        # lower is better (a cap): under the even flow is progress, so the ratio is inverted
        out["progress_ratio"] = pace if _HIGHER[comp] else (1 / pace if pace else np.inf)
        out["progress_band"] = growth_band(out["progress_ratio"])
    elif len(obs):
        notes.append(f"progress band needs {MIN_BAND_OBS} observed years in the period; "
                     f"{len(obs)} observed")
    if not missing:
        met = satisfies(observed_sum, comp, target, strict)
        out.update(status="met" if met else "not met", p_meet=float(met), projected_median=observed_sum)
        notes.append(f"whole period observed: total {observed_sum:g}")
        return
    if _HIGHER[comp] and satisfies(observed_sum, comp, target, strict):
        out.update(status="met", p_meet=1.0, progress_band="achieved")
        notes.append(f"observed flows already total {observed_sum:g} (flows are non-negative)")
        return
    if not _HIGHER[comp] and not satisfies(observed_sum, comp, target, strict):
        out.update(status="not met", p_meet=0.0, projected_median=np.nan)
        notes.append(f"observed flows already total {observed_sum:g}, beyond the cap "
                     f"(flows are non-negative)")
        return
    out["needed_per_year"] = (target - observed_sum) / len(missing)
    try:
        fc = _fit(frame, row, opts, as_of, end)
    except InsufficientDataError as exc:
        _insufficient_cumulative(out, notes, exc, observed_sum, missing)
        return
    out.update(model=fc.model, n_obs=len(fc.history))
    if fc.note:
        notes.append(fc.note)
    total = np.full(fc.paths.shape[1], observed_sum)
    for y in missing:
        draws = _year_draws(fc, y)
        if draws is None:
            _insufficient_cumulative(out, notes, None, observed_sum, missing,
                                     why=f"{y} is outside the fitted window")
            return
        if y in bounds.index:
            q, b = str(bounds.loc[y, "qualifier"]), float(bounds.loc[y, "value"])
            draws = _bounded_draws(draws, q, b)
            notes.append(f"{y} observed only as {q}{b:g}: simulated flow bounded by it")
        total = total + draws
    past = [y for y in missing if y <= fc.history.index[-1]]
    out["years_simulated"] = ", ".join(map(str, missing))
    notes.append(f"summed path by path: observed {', '.join(map(str, obs.index)) or 'none'} "
                 f"({observed_sum:g}) + simulated {', '.join(map(str, missing))}"
                 + (f" (past gap{'s' if len(past) > 1 else ''} {', '.join(map(str, past))} drawn "
                    "conditionally on the observations on both sides)" if past else ""))
    _set_probability(out, notes, float(np.mean(satisfies(total, comp, target, strict))), len(total), opts)
    _quantiles(total, out)


def _insufficient_cumulative(out, notes, exc, observed_sum, missing, why=None):
    out.update(status="insufficient data", p_meet=np.nan)
    if exc is not None:
        out["n_obs"] = exc.n_obs
        notes.append(str(exc))
    if why:
        notes.append(why)
    notes.append(f"observed {observed_sum:g} so far; the missing years {', '.join(map(str, missing))} "
                 f"need {out['needed_per_year']:g} a year on average")


def assess_target(row, data, as_of=None, model="auto", n_paths=10000, seed=0, fit_start=None,
                  strict=False, on_track=ON_TRACK, at_risk=AT_RISK):
    """Assess one target (one :func:`assess` row as a dict).

    Parameters
    ----------
    row : Series or dict
        A ``load_targets()`` row.
    data : DataFrame
        A ``load_series()`` frame.
    as_of, model, n_paths, seed, fit_start, strict, on_track, at_risk
        As in :func:`assess`.

    Returns
    -------
    dict
        Keys :data:`ASSESS_COLUMNS`.
    """
    row = dict(row)
    opts = dict(model=model, n_paths=n_paths, seed=seed, fit_start=fit_start, strict=strict,
                on_track=on_track, at_risk=at_risk)
    out = {c: np.nan for c in ASSESS_COLUMNS}
    for c in ("indicator", "name_en", "target", "comparator", "target_year", "cumulative", "unit", "series"):
        out[c] = row.get(c)
    out.update(model="", n_obs=0, latest_qualifier="", years_simulated="", progress_band="insufficient data")
    notes = []
    frame = _series_frame(row, data, as_of)
    if frame is None or frame.empty:
        out["status"] = "insufficient data"
        if row.get("cumulative") and not pd.isna(row.get("period_start")):
            n_years = int(row["period_end"]) - int(row["period_start"]) + 1
            out.update(observed_sum=0.0, needed_per_year=float(row["target"]) / n_years)
        notes.append("no statistics series mapped to this target" if frame is None
                     else "no observation up to as_of")
        out["note"] = "; ".join(notes)
        return out
    if row.get("series_relation") == "proxy":
        notes.append(f"series {row['series']} is a proxy")
    frame = frame.copy()
    frame["qualifier"] = frame["qualifier"].fillna("").astype(str)
    exact = frame.loc[frame["qualifier"] == "", "value"].astype(float)
    last = frame.index[-1]
    out.update(latest_year=int(last), latest_value=float(frame.loc[last, "value"]),
               latest_qualifier=str(frame.loc[last, "qualifier"]),
               n_obs=int(((exact.index >= (fit_start or _BUNDLED_FIT_START))).sum()))
    if row.get("cumulative"):
        _assess_cumulative(row, frame, exact, out, opts, notes, as_of)
    else:
        by, bv = _baseline(row, exact, as_of)
        out.update(baseline_year=by, baseline_value=bv)
        if len(exact):
            out.update(progress_measures(by, bv, int(exact.index[-1]), float(exact.iloc[-1]),
                                         float(row["target"]), int(row["target_year"]),
                                         row["comparator"], strict))
        _assess_level(row, frame, exact, out, opts, notes, as_of)
    out["note"] = "; ".join(dict.fromkeys(n for n in notes if n))
    return out


def _run_chunk(args):
    pairs, kwargs = args
    return [assess_target(r, d, **kwargs) for r, d in pairs]


def _check_args(model, n_paths, on_track, at_risk, n_jobs):
    if model != "auto" and model not in MODELS:
        raise ParameterError(f"model must be 'auto' or one of {', '.join(MODELS)}; got {model!r}")
    if not isinstance(n_paths, (int, np.integer)) or n_paths < 1:
        raise ParameterError(f"n_paths must be a positive integer, got {n_paths!r}")
    if not 0 <= at_risk <= on_track <= 1:
        raise ParameterError(f"thresholds must satisfy 0 <= at_risk <= on_track <= 1, "
                             f"got at_risk={at_risk}, on_track={on_track}")
    if not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0 or n_jobs < -1:
        raise ParameterError(f"n_jobs must be a positive integer or -1, got {n_jobs!r}")


def assess(targets=None, series=None, as_of=None, model="auto", n_paths=10000, seed=0, fit_start=None,
           strict=False, on_track=ON_TRACK, at_risk=AT_RISK, n_jobs=1):
    """Scorecard: one row per target with status, probability and agency-style measures.

    Parameters
    ----------
    targets : DataFrame, optional
        A ``load_targets()`` frame (default: the bundled plan).
    series : DataFrame, optional
        A ``load_series()`` frame (default: the bundled statistics).
    as_of : int, optional
        Drop every observation after this year ("what would we have said then?").
    model : str
        ``"auto"`` or one of :data:`~plananalysis.models.MODELS`.
    n_paths : int
        Simulated paths per target.
    seed : int
        Seed; every target uses it, so a row does not depend on the other rows.
    fit_start : int, optional
        Fit window start (default :data:`~plananalysis.models.FIT_START`).
    strict : bool
        Read ``'>'``/``'<'`` as exclusive (default False: 以上/以下, inclusive).
    on_track, at_risk : float
        Probability thresholds of the status.
    n_jobs : int
        Worker processes (``-1``: all CPUs); targets are split into chunks.

    Returns
    -------
    DataFrame
        Columns :data:`ASSESS_COLUMNS` (see the module docstring for the rules).

    Raises
    ------
    ParameterError
        Unknown model, bad ``n_paths``/thresholds/``n_jobs``, ``as_of``
        before the first observation of every target series.
    DataError
        A target maps to a series that is not in ``series``.

    Examples
    --------
    >>> table = assess(n_paths=2000)  # doctest: +SKIP
    >>> table[["indicator", "status", "p_meet"]]  # doctest: +SKIP
    """
    from .data import load_series
    from .plan import load_targets

    _check_args(model, n_paths, on_track, at_risk, n_jobs)
    targets = load_targets() if targets is None else targets
    data = load_series() if series is None else series
    needed = [str(s) for s in targets.get("series", pd.Series(dtype=str)).dropna() if str(s).strip()]
    unknown = sorted(set(needed) - set(data["indicator"]))
    if unknown:
        bad = targets[targets["series"].isin(unknown)]["indicator"].tolist()
        raise DataError(f"targets {bad} map to series {unknown}, which are not in the statistics data "
                        "(fix the 'series' column or add the series' rows to the statistics file)",
                        path=targets.attrs.get("source_path"), column="series", value=unknown[0])
    if as_of is not None:
        as_of = int(as_of)
        rel = data[data["indicator"].isin(needed)] if needed else data
        first = int(rel["year"].min()) if len(rel) else None
        if first is None or as_of < first:
            raise ParameterError(f"as_of={as_of} is before the first observation ({first}) of the "
                                 "target series")
    kwargs = dict(as_of=as_of, model=model, n_paths=n_paths, seed=seed, fit_start=fit_start,
                  strict=strict, on_track=on_track, at_risk=at_risk)
    # each target gets only its own series' rows (cheap to select and to send to a worker)
    groups = dict(tuple(data.groupby("indicator", sort=False)))
    empty = data.iloc[:0]
    pairs = [(dict(r), groups.get(r.get("series"), empty)) for _, r in targets.iterrows()]
    jobs = (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)
    if jobs == 1 or len(pairs) < 2:
        results = _run_chunk((pairs, kwargs))
    else:
        chunks = [pairs[i::jobs] for i in range(jobs)]
        order = [i for c in range(jobs) for i in range(c, len(pairs), jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = [r for part in pool.map(_run_chunk, [(c, kwargs) for c in chunks if c])
                     for r in part]
        results = [None] * len(pairs)
        for i, res in zip(order, parts):
            results[i] = res
    table = pd.DataFrame(results, columns=ASSESS_COLUMNS)
    table["cumulative"] = table["cumulative"].astype(bool)
    for col in ("target_year", "latest_year", "n_obs", "baseline_year"):
        table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
    return table


def vintages(targets=None, series=None, years=None, **kwargs):
    """:func:`assess` for each past ``as_of`` year, stacked with an ``as_of`` column.

    Parameters
    ----------
    targets, series : DataFrame, optional
        As in :func:`assess`.
    years : iterable of int, optional
        The ``as_of`` years; default: from the plan's base year (the year
        before the earliest period start, 2020 for the bundled plan: what
        could be said when the plan was written) to the latest year in the
        target series, never before their first observation.
    **kwargs
        Passed to :func:`assess` (model, n_paths, seed, ...).

    Returns
    -------
    DataFrame
        ``as_of`` followed by :data:`ASSESS_COLUMNS`.
    """
    from .data import load_series
    from .plan import load_targets

    targets = load_targets() if targets is None else targets
    data = load_series() if series is None else series
    if years is None:
        base = int(pd.to_numeric(targets["period_start"], errors="coerce").min()) - 1
        rel = data[data["indicator"].isin(targets["series"].dropna())]
        years = range(max(base, int(rel["year"].min())), int(rel["year"].max()) + 1)
    frames = []
    for y in years:
        t = assess(targets, data, as_of=int(y), **kwargs)
        t.insert(0, "as_of", int(y))
        frames.append(t)
    return pd.concat(frames, ignore_index=True)


def _target_row(indicator, targets):
    if isinstance(indicator, (pd.Series, dict)):
        return dict(indicator)
    from .plan import load_targets

    targets = load_targets() if targets is None else targets
    hit = targets[targets["indicator"] == indicator]
    if hit.empty:
        raise ParameterError(f"indicator {indicator!r} is not a target; expected one of "
                             f"{', '.join(targets['indicator'])}")
    return dict(hit.iloc[0])


def forecast_target(indicator, targets=None, series=None, as_of=None, model="auto", n_paths=5000,
                    seed=0, fit_start=None):
    """The :class:`~plananalysis.models.Forecast` behind one target's row.

    Parameters
    ----------
    indicator : str or Series
        A target indicator (``"enrollment"`` ...) or a ``load_targets()`` row.
    targets, series, as_of, model, n_paths, seed, fit_start
        As in :func:`assess`; the horizon reaches the target year (the
        period end for cumulative targets).

    Returns
    -------
    Forecast
        Fitted on the target's series; bounded observations excluded (noted).

    Raises
    ------
    InsufficientDataError
        The series is too short for the model.
    ParameterError, DataError
        Unknown indicator, series missing from the data.

    Examples
    --------
    >>> fc = forecast_target("enrollment", n_paths=1000)  # doctest: +SKIP
    >>> fc.to_frame()  # doctest: +SKIP
    """
    from .data import load_series

    row = _target_row(indicator, targets)
    data = load_series() if series is None else series
    frame = _series_frame(row, data, as_of)
    if frame is None:
        raise DataError(f"target {row['indicator']!r} has no statistics series", column="series")
    end = int(row["period_end"]) if row.get("cumulative") else int(row["target_year"])
    return forecast(frame, model, n_paths=n_paths, seed=seed, fit_start=fit_start or _BUNDLED_FIT_START,
                    target_year=end,
                    as_of=as_of)


def cumulative_paths(indicator, targets=None, series=None, as_of=None, model="auto", n_paths=5000,
                     seed=0, fit_start=None):
    """Annual flows over a cumulative target's period, observed or simulated (years x paths).

    Observed exact flows are repeated across paths; every other period year
    holds the model's draws (future paths or conditional gap draws), exactly
    as :func:`assess` sums them. ``frame.attrs["observed"]`` lists the
    observed years. Raises :class:`InsufficientDataError` when the model
    cannot be fitted.

    Returns
    -------
    DataFrame
        Period years x paths.
    """
    from .data import load_series

    row = _target_row(indicator, targets)
    if not row.get("cumulative"):
        raise ParameterError(f"target {row['indicator']!r} is not cumulative")
    data = load_series() if series is None else series
    frame = _series_frame(row, data, as_of)
    if frame is None:
        raise DataError(f"target {row['indicator']!r} has no statistics series", column="series")
    exact = frame.loc[frame["qualifier"].fillna("") == "", "value"].astype(float)
    period = range(int(row["period_start"]), int(row["period_end"]) + 1)
    fc = forecast(frame, model, n_paths=n_paths, seed=seed, fit_start=fit_start or _BUNDLED_FIT_START,
                  target_year=int(row["period_end"]), as_of=as_of)
    out = {}
    for y in period:
        if y in exact.index:
            out[y] = np.full(n_paths, exact[y])
        else:
            draws = _year_draws(fc, y)
            if draws is None:
                raise InsufficientDataError(f"{y} is outside the fitted window", n_obs=len(fc.history))
            bound = frame[(frame.index == y) & (frame["qualifier"].fillna("") != "")]
            if len(bound):
                q, b = str(bound["qualifier"].iloc[0]), float(bound["value"].iloc[0])
                draws = _bounded_draws(draws, q, b)
            out[y] = draws
    result = pd.DataFrame(out).T
    result.index.name = "year"
    result.attrs["observed"] = [y for y in period if y in exact.index]
    result.attrs["model"] = fc.model
    return result


def _fmt(x, digits=1):
    return "" if x is None or pd.isna(x) else f"{x:,.{digits}f}"


def summary_table(scorecard):
    """A compact, rounded, human-readable view of an :func:`assess` table.

    Parameters
    ----------
    scorecard : DataFrame
        Output of :func:`assess`.

    Returns
    -------
    DataFrame
        String columns ``indicator, target, latest, status, p_meet`` (as a
        percentage), ``projected [80%]`` (median and 80% interval), ``band``,
        ``model``, ``n_obs``.

    Examples
    --------
    >>> summary_table(assess(n_paths=500)).columns.tolist()  # doctest: +SKIP
    """
    rows = []
    for _, r in scorecard.iterrows():
        cum = " (5-year sum)" if r["cumulative"] else ""
        latest = "" if pd.isna(r["latest_year"]) else \
            f"{int(r['latest_year'])}: {r['latest_qualifier'] or ''}{_fmt(r['latest_value'])}"
        if r["cumulative"] and not pd.isna(r["observed_sum"]):
            latest += ("; " if latest else "") + f"sum so far {_fmt(r['observed_sum'])}"
        d = 2 if r["unit"] == "%" else 1
        proj = "" if pd.isna(r["projected_median"]) else (
            f"{_fmt(r['projected_median'], d)} [{_fmt(r['projected_lo80'], d)}, "
            f"{_fmt(r['projected_hi80'], d)}]" if not pd.isna(r["projected_lo80"])
            else _fmt(r["projected_median"], d))
        rows.append({
            "indicator": r["indicator"],
            "target": f"{r['comparator']}{r['target']:g} in {r['target_year']}{cum}",
            "latest": latest, "status": r["status"],
            "p_meet": "" if pd.isna(r["p_meet"]) else f"{r['p_meet']:.1%}",
            "projected [80%]": proj, "band": r["progress_band"], "model": r["model"] or "",
            "n_obs": "" if pd.isna(r["n_obs"]) else str(int(r["n_obs"])),
        })
    return pd.DataFrame(rows)


def required_path_table(target_row, history, flows=None):
    """The required path next to what was published (and the simulated running total).

    Parameters
    ----------
    target_row : Series or dict
        A :func:`~plananalysis.plan.load_targets` row.
    history : DataFrame
        The target series as from :func:`~plananalysis.data.get_series`
        (columns ``value`` and ``qualifier``, indexed by year).
    flows : DataFrame, optional
        :func:`cumulative_paths` output (years x paths) for a cumulative
        target: adds the median and 80% interval of the running total.

    Returns
    -------
    DataFrame
        Indexed by ``year``: ``required`` (:func:`required_path`),
        ``published``, ``qualifier`` and, with ``flows``, ``total_median``,
        ``total_lo80``, ``total_hi80``.

    Examples
    --------
    >>> row = {"cumulative": True, "target": 200.0, "period_start": 2021, "period_end": 2022}
    >>> hist = pd.DataFrame({"value": [90.0], "qualifier": [""]}, index=[2021])
    >>> required_path_table(row, hist)["published"].tolist()
    [90.0, nan]
    """
    table = required_path(target_row).rename("required").to_frame()
    table["published"] = history["value"].reindex(table.index)
    table["qualifier"] = history["qualifier"].reindex(table.index)
    if flows is not None:
        running = flows.cumsum()
        table["total_median"] = running.median(axis=1)
        table["total_lo80"] = running.quantile(0.1, axis=1)
        table["total_hi80"] = running.quantile(0.9, axis=1)
    return table


def vintage_table(vintages_frame, value="p_meet", order=None):
    """One column of a :func:`vintages` table as indicator x ``as_of``.

    Parameters
    ----------
    vintages_frame : DataFrame
        Output of :func:`vintages`.
    value : str
        The column to show, e.g. ``"p_meet"`` or ``"status"``.
    order : list of str, optional
        Row order (e.g. ``targets["indicator"]``); default: first appearance.

    Returns
    -------
    DataFrame
        Index ``indicator``, one column per ``as_of`` year.

    Examples
    --------
    >>> v = pd.DataFrame({"as_of": [2020, 2020, 2021, 2021], "indicator": ["b", "a", "b", "a"],
    ...                   "p_meet": [0.5, 0.1, 0.7, 0.2]})
    >>> vintage_table(v).to_dict("index")
    {'b': {2020: 0.5, 2021: 0.7}, 'a': {2020: 0.1, 2021: 0.2}}
    """
    if value not in vintages_frame.columns:
        raise ParameterError(f"vintage_table: no column {value!r} in the vintages table")
    order = list(dict.fromkeys(vintages_frame["indicator"])) if order is None else list(order)
    return vintages_frame.pivot(index="indicator", columns="as_of", values=value).reindex(order)


def _percent(p):
    return "> 99%" if p >= 0.995 else ("< 1%" if p <= 0.005 else f"{100 * p:.0f}%")


def _needed_text(r):
    """What an 'insufficient data' row still needs, in words ('' when unknown)."""
    if pd.notna(r["needed_per_year"]):
        return (f" Observed so far: {r['observed_sum']:g}; the missing years need {r['needed_per_year']:g} "
                f"a year on average to reach the target.")
    if pd.notna(r["needed_cagr"]) and abs(r["needed_cagr"]) < 0.0005:
        return " The latest figure is at the target level; it has to hold."
    if pd.notna(r["needed_cagr"]):
        return f" Reaching the target needs {100 * r['needed_cagr']:+.1f}% a year from the latest figure."
    return ""


def describe(row):
    """One scorecard row in plain words (markdown), using only the row's numbers.

    Parameters
    ----------
    row : Series or dict
        A row of :func:`assess`.

    Returns
    -------
    str
        Target, latest figure, status and, by status: the observed outcome,
        what is still needed (``insufficient data``), or P(meet), the
        projection and its 80% interval; then the agency-style band.
    """
    r = pd.Series(dict(row))
    head = f"**{r['name_en']}** — target {r['comparator']} {r['target']:g} {r['unit']} in {r['target_year']}"
    head += " (5-year total)" if r["cumulative"] else ""
    qualifier = r["latest_qualifier"] if isinstance(r["latest_qualifier"], str) else ""
    latest = "" if pd.isna(r["latest_value"]) else \
        f"; latest figure {qualifier}{r['latest_value']:g} ({int(r['latest_year'])})"
    if r["status"] in ("met", "not met"):
        text = f"{head}{latest}: **{r['status']}** (observed)."
    elif r["status"] == "insufficient data":
        n = int(r["n_obs"]) if pd.notna(r["n_obs"]) else 0
        text = (f"{head}{latest}: **insufficient data** for a forecast ({n} usable observation"
                f"{'' if n == 1 else 's'}).{_needed_text(r)}")
    else:
        text = (f"{head}{latest}: **{r['status']}**, P(meet) {_percent(r['p_meet'])}; projected "
                f"{r['projected_median']:.4g} (80% interval {r['projected_lo80']:.4g}–"
                f"{r['projected_hi80']:.4g}, model {r['model']}).")
    if isinstance(r["progress_band"], str) and r["progress_band"]:
        text += f" Agency-style progress band: {r['progress_band']}."
    return text


def summary_in_words(scorecard):
    """The scorecard as a markdown bullet list, one :func:`describe` sentence group per target.

    Parameters
    ----------
    scorecard : DataFrame
        Output of :func:`assess`.

    Returns
    -------
    str
        ``"- ..."`` lines joined by newlines; every number comes from the table.

    Examples
    --------
    >>> print(summary_in_words(assess(n_paths=500)))  # doctest: +SKIP
    - **Students on roll** — target > 360 万人 in 2025; latest figure 446.3 (2024): **on track** ...
    """
    return "\n".join("- " + describe(r) for _, r in scorecard.iterrows())
