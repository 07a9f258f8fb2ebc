"""One target x its series -> :class:`~plananalysis.results.Assessment` (the per-target engine).

The mapped series is forecast with :func:`~plananalysis.models.forecast`
and the simulated paths give ``p_trend``, the probability that the target
is met if the series follows the model. The headline ``p_meet`` and the
status are set afterwards (:func:`finalize`), once the calibration
(:mod:`plananalysis.calibration`) has turned ``p_trend`` into ``p_meet``.
This module reads no file and knows no plan: it is a pure function of
core values (:class:`~plananalysis.target.Target`,
:class:`~plananalysis.series.SeriesSpec`, a series frame) and
:class:`~plananalysis.settings.Settings`.

Rules (each one is tested)
--------------------------
Final outcomes
    A level target whose target year has an exact observation is ``met`` /
    ``not met``. A cumulative target whose period is fully observed
    likewise. A cumulative ``sum`` target whose observed flows already
    satisfy a floor is ``met`` (flows are non-negative counts); one whose
    observed flows already break a cap is ``not met``.
Bounded observations
    In the fit window they enter the fit as censored observations
    (``settings.bounds="censored"``, the default: data augmentation,
    :mod:`plananalysis.models.censored`); ``bounds="drop"`` leaves them out of
    the fit. Either way, a bound in the target year decides the outcome only if it
    settles the comparator logically (:meth:`~plananalysis.comparator.Comparator.settled_by_bound`);
    otherwise the probability is computed from the paths that agree with it
    (conditional probability). A bounded flow inside a cumulative period is
    simulated and floored or capped at the bound; an approximate one
    (``~b``) clipped to within 10 % of ``b``.
Cumulative targets
    Observed exact values inside the period plus simulated values for every
    other period year, aggregated path by path (``sum``, compounded for
    rates, or the compounded mean rate for ``mean_growth``), never by adding interval bounds. Unobserved *past* years inside
    the period are drawn conditionally on the observations on both sides.
Insufficient data
    When the model cannot be fitted the status is ``insufficient data``,
    ``p_trend`` is NaN, and the measures give what is still needed
    (``needed_per_year`` or ``needed_cagr``).
Judged as published
    A level target is judged on the figure as it will be published: the
    simulated target-year values are rounded (half up) to the precision the
    series is published with before they are compared with the target. That
    precision is the finest of the exact figures in the fit window (the
    graduate employment rate appears as 97.4, 97.2 and 97: one decimal, so
    a simulated 96.96 is published as 97.0 and meets "97以上"); the finest
    precision is the reading that moves the probability least. The reason
    says so.
Outcome pending publication
    When the target year (period end) is not after the viewpoint year (the
    ``as_of`` year, else the last completed calendar year) and the outcome
    is not in the data, the status is ``pending``: the probability is a
    nowcast of an outcome that exists but is not yet published.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .comparator import apply_bound, consistent_with_bound
from .domain import resolve_domain
from .errors import InsufficientDataError
from .models import forecast
from .progress import MIN_BAND_OBS, aggregate, growth_band, progress_measures
from .results import Assessment, Band, Reason, ReasonCode as R, Status
from .series import SeriesSpec
from .target import Target

#: Qualifiers the censored fit uses: bounds, and approximations ``~`` (an interval within 10 %).
BOUND_QUALIFIERS = (">", ">=", "<", "<=", "~")

__all__ = ["assess_target", "finalize", "status_for", "wilson_interval"]


class _Draft:
    """The mutable working copy of an assessment while the engine builds it (frozen at the end)."""

    def __init__(self, target):
        self.target, self.status, self.band = target, Status.INSUFFICIENT, Band.INSUFFICIENT
        self.p_trend, self.projection, self.forecast, self.flows = np.nan, {}, None, None
        self.reasons, self.measures, self.latest = [], {}, (None, np.nan, "")
        self.model, self.n_obs, self.domain, self.mc_se, self.n_paths = "", 0, None, np.nan, 0

    def add(self, code, message, params=None, template="") -> None:
        """Record a reason whose English message is given (a model's or a plan's note)."""
        if message and all(r.message != message for r in self.reasons):
            self.reasons.append(Reason(R(code), message, dict(params or {}), template))

    def say(self, code, template="", **params) -> None:
        """Record a reason whose message is its template (:data:`~plananalysis.messages.MESSAGES`) filled in."""
        r = Reason.make(code, template, **params)
        self.add(r.code, r.message, r.params, r.template)

    def has(self, code) -> bool:
        return any(r.code == R(code) for r in self.reasons)

    def freeze(self) -> Assessment:
        return Assessment(target=self.target, status=self.status, band=self.band, p_trend=self.p_trend,
                          projection=self.projection, forecast=self.forecast, flows=self.flows,
                          reasons=tuple(self.reasons), measures=self.measures, latest=self.latest,
                          model=self.model, n_obs=self.n_obs, domain=self.domain, mc_se=self.mc_se,
                          n_paths=self.n_paths)


def _meets(values, target, settings):
    return target.rule(settings.strict).met(values, target.value)


def _baseline(target, exact, as_of=None):
    by, bv = target.baseline_year, target.baseline_value
    if by is not None and not np.isnan(bv) and not target.baseline_qualifier and (as_of is None or by <= as_of):
        return by, float(bv)
    start = target.period_start
    if start is not None and start - 1 in exact.index:
        return start - 1, float(exact[start - 1])
    return None, np.nan


def _projection(values) -> dict:
    q = np.quantile(values, [0.5, 0.1, 0.9, 0.025, 0.975])
    return dict(zip(("median", "lo80", "hi80", "lo95", "hi95"), map(float, q)))


def _year_draws(fc, year):
    if year in fc.paths.index:
        return fc.paths.loc[year].to_numpy()
    if year in fc.gap_paths.index:
        return fc.gap_paths.loc[year].to_numpy()
    return None


def _fit(frame, spec, settings, horizon_to, a):
    fit_start = settings.fit_start if settings.fit_start is not None else spec.fit_start
    if settings.fit_start is None and spec.fit_start is not None:
        if spec.breaks:
            a.say(R.FIT_WINDOW, start=spec.fit_start, before=spec.breaks[-1][0], after=spec.breaks[-1][1])
        else:
            a.say(R.FIT_WINDOW, "fit_window.declared", start=spec.fit_start)
    fc = forecast(frame, settings.model, n_paths=settings.n_paths, seed=settings.seed,
                  fit_start=fit_start, target_year=horizon_to, domain=spec.domain,
                  bounds=settings.bounds, strict=settings.strict)
    a.model, a.n_obs, a.forecast = fc.model, len(fc.history), fc
    if fc.note:
        parts = [c for c in fc.params.get("components", ()) if c != fc.model]
        start, end = fc.params.get("fit_window", (int(fc.history.index[0]), int(fc.history.index[-1])))
        a.add(R.MODEL, fc.note, dict(model=fc.model, components=list(dict.fromkeys(parts)), transform=fc.transform,
                                     n_obs=len(fc.history), start=start, end=end),
              "model" if parts else "model.single")
    return fc


def _set_trend(a, ok, values):
    a.p_trend = float(np.mean(ok))
    n = len(ok)
    a.n_paths = n
    a.mc_se = float(np.sqrt(max(a.p_trend * (1 - a.p_trend), 0.25 / n) / n))
    a.projection = _projection(values)


def _insufficient(a, exc=None, why=None, model=""):
    a.status, a.p_trend = Status.INSUFFICIENT, np.nan
    if exc is not None:
        a.n_obs = exc.n_obs
        a.add(R.INSUFFICIENT_DATA, str(exc), dict(model=model, needed=exc.needed, n_obs=exc.n_obs))
    if why:
        a.say(R.INSUFFICIENT_DATA, why[0], **why[1])


def _level(a, target, frame, exact, spec, settings):
    ty = target.target_year
    if ty in exact.index:
        met = bool(_meets(exact[ty], target, settings))
        a.status, a.p_trend = (Status.MET if met else Status.NOT_MET), float(met)
        a.projection = {"median": float(exact[ty])}
        a.say(R.OBSERVED_OUTCOME, value=float(exact[ty]))
        return
    bounded = frame[(frame["qualifier"] != "") & (frame.index == ty)]
    bound = None
    if len(bounded):
        q, b = str(bounded["qualifier"].iloc[0]), float(bounded["value"].iloc[0])
        decided = target.rule(settings.strict).settled_by_bound(q, b, target.value)
        if decided is not None:
            a.status, a.p_trend = (Status.MET if decided else Status.NOT_MET), float(decided)
            a.say(R.BOUND_SETTLES, qualifier=q, bound=b)
            return
        bound = (q, b)
    try:
        fc = _fit(frame, spec, settings, ty, a)
    except InsufficientDataError as exc:
        _insufficient(a, exc, model=settings.model)
        _needed_level(a, target, exact)
        return
    draws = _year_draws(fc, ty)
    if draws is None:
        _insufficient(a, why=("insufficient_data.outside", {"year": ty}))
        return
    ok = _meets(_as_published(draws, frame, exact, a), target, settings)
    if bound is not None:
        keep = consistent_with_bound(draws, bound[0], bound[1], settings.strict)
        a.say(R.CONDITIONAL_ON_BOUND, qualifier=bound[0], bound=bound[1], n_paths=int(keep.sum()))
        if keep.sum() == 0:
            _insufficient(a, why=("insufficient_data.bound", {}))
            return
        draws, ok = draws[keep], ok[keep]
    _set_trend(a, ok, draws)


def _as_published(draws, frame, exact, a):
    """Target-year draws rounded (half up) to the precision the series is published with."""
    if "decimals" not in frame or not len(exact):
        return draws
    years = exact.index if a.forecast is None else exact.index[exact.index >= a.forecast.history.index.min()]
    decimals = pd.to_numeric(frame.loc[years, "decimals"], errors="coerce").dropna()
    if decimals.empty:
        return draws
    d = int(decimals.max())
    a.say(R.AS_PUBLISHED, decimals=d, s="" if d == 1 else "s")
    return np.floor(np.asarray(draws) * 10.0 ** d + 0.5) / 10.0 ** d


def _needed_level(a, target, exact):
    if len(exact):
        ly, lv = int(exact.index[-1]), float(exact.iloc[-1])
        ty = target.target_year
        if ty > ly and lv > 0 and target.value > 0:
            a.measures["needed_cagr"] = (target.value / lv) ** (1 / (ty - ly)) - 1
            a.say(R.NEEDED, target=target.value, year=ty, cagr=a.measures["needed_cagr"], latest=lv,
                  latest_year=ly)


def _progress_band(a, target, obs, observed, settings):
    """The growth-ratio band of a cumulative sum target (observed pace against the even pace)."""
    higher = target.rule(settings.strict).higher_is_better
    if len(obs) >= MIN_BAND_OBS and higher is not None and target.aggregation == "sum" and target.value:
        pace = (observed / len(obs)) / (target.value / len(target.period))
        a.measures["progress_ratio"] = pace if higher else (1 / pace if pace else np.inf)
        a.band = growth_band(a.measures["progress_ratio"])
    elif len(obs) and target.aggregation == "sum":
        a.say(R.FEW_BAND_OBS, min_obs=MIN_BAND_OBS, n_obs=len(obs))


def _settled_early(a, target, observed, missing, spec, settings) -> bool:
    """Outcomes the observed flows already decide; True when the assessment is complete."""
    if not missing:
        met = bool(_meets(observed, target, settings))
        a.status, a.p_trend, a.projection = (Status.MET if met else Status.NOT_MET), float(met), {"median": observed}
        a.say(R.PERIOD_OBSERVED, observed=observed)
        return True
    higher = target.rule(settings.strict).higher_is_better
    counts = spec.domain.kind == "count" and target.aggregation == "sum"
    if counts and higher is True and _meets(observed, target, settings):
        a.status, a.p_trend, a.band = Status.MET, 1.0, Band.ACHIEVED
        a.say(R.ALREADY_MET, observed=observed)
        return True
    if counts and higher is False and not _meets(observed, target, settings):
        a.status, a.p_trend = Status.NOT_MET, 0.0
        a.say(R.CAP_BROKEN, observed=observed)
        return True
    return False


def _cumulative(a, target, frame, exact, spec, settings):
    start, end, period, how = target.period_start, target.period_end, target.period, target.aggregation
    obs = exact[(exact.index >= start) & (exact.index <= end)]
    bounds = frame[(frame["qualifier"] != "") & (frame.index >= start) & (frame.index <= end)]
    bounds = bounds[~bounds.index.isin(obs.index)]
    missing = [y for y in period if y not in obs.index]
    observed = float(aggregate(obs.to_numpy(), how)) if len(obs) else 0.0
    a.measures.update(observed_sum=observed, years_simulated="")
    _progress_band(a, target, obs, observed, settings)
    if _settled_early(a, target, observed, missing, spec, settings):
        return
    if how == "sum":
        a.measures["needed_per_year"] = (target.value - observed) / len(missing)
    try:
        fc = _fit(frame, spec, settings, end, a)
    except InsufficientDataError as exc:
        _insufficient(a, exc, model=settings.model)
        _needed_cumulative(a, observed, missing)
        return
    columns = {y: np.full(fc.paths.shape[1], exact[y]) for y in obs.index}
    for y in missing:
        draws = _year_draws(fc, y)
        if draws is None:
            _insufficient(a, why=("insufficient_data.outside_window", {"year": y}))
            _needed_cumulative(a, observed, missing)
            return
        if y in bounds.index:
            q, b = str(bounds.loc[y, "qualifier"]), float(bounds.loc[y, "value"])
            draws = apply_bound(draws, q, b)
            a.say(R.BOUNDED_FLOW, year=y, qualifier=q, bound=b)
        columns[y] = draws
    flows = pd.DataFrame({y: columns[y] for y in period}).T
    flows.index.name = "year"
    flows.attrs["observed"] = [y for y in period if y in obs.index]
    a.flows = flows
    total = aggregate(flows.to_numpy(), how, axis=0)
    past = [y for y in missing if y <= fc.history.index[-1]]
    a.measures["years_simulated"] = ", ".join(map(str, missing))
    variant = {"sum": "gaps_simulated", "mean_growth": "gaps_simulated.mean_growth"}.get(how, "gaps_simulated.compounded")
    a.say(R.GAPS_SIMULATED, variant, observed_years=[int(y) for y in obs.index], observed=observed,
          missing=[int(y) for y in missing])
    if past:
        a.say(R.PAST_GAPS_DRAWN, years=[int(y) for y in past], s="s" if len(past) > 1 else "")
    _set_trend(a, _meets(total, target, settings), total)


def _needed_cumulative(a, observed, missing):
    if "needed_per_year" in a.measures:
        a.say(R.NEEDED, "needed.sum", observed=observed, missing=[int(y) for y in missing],
              per_year=a.measures["needed_per_year"])


def _no_data(a, target, frame):
    a.status = Status.INSUFFICIENT
    if target.cumulative:
        a.measures.update(observed_sum=0.0, needed_per_year=target.value / len(target.period))
    a.say(R.NO_SERIES if frame is None else R.NO_OBSERVATION)
    return a.freeze()


def assess_target(target, frame, spec, settings, viewpoint=None) -> Assessment:
    """Assess one target from its series.

    Parameters
    ----------
    target : Target
        The target (a targets-frame row is accepted and converted with
        :meth:`Target.from_row`).
    frame : DataFrame or None
        The target's series (:func:`~plananalysis.data.get_series`), already
        cut at ``settings.as_of``; None when the target has no series.
    spec : SeriesSpec or None
        What the plan declares about the series (domain, fit window); None:
        the domain is inferred from the frame's unit and values.
    settings : Settings
    viewpoint : int, optional
        The year whose end the analyst stands at (for ``pending``).

    Returns
    -------
    Assessment
        With ``p_trend`` set and a provisional status; :func:`finalize`
        returns the assessment with its headline probability and status.
    """
    if not isinstance(target, Target):
        target = Target.from_row(target)
    a = _Draft(target)
    if frame is None or frame.empty:
        return _no_data(a, target, frame)
    if spec is None:
        rows = frame.assign(unit=frame.attrs.get("unit")) if "unit" not in frame else frame
        spec = SeriesSpec(name=target.series, domain=resolve_domain(target.series, None, rows))
    a.domain = spec.domain
    if target.is_proxy:
        note = f"series {target.series} is a proxy: {target.series_note}".rstrip(": ")
        a.add(R.PROXY_SERIES, note, dict(series=target.series, note=target.series_note),
              "proxy_series" if target.series_note else "proxy_series.bare")
    frame = frame.copy()
    frame["qualifier"] = frame["qualifier"].fillna("").astype(str)
    exact = frame.loc[frame["qualifier"] == "", "value"].astype(float)
    last = frame.index[-1]
    a.latest = (int(last), float(frame.loc[last, "value"]), str(frame.loc[last, "qualifier"]))
    window = settings.fit_start if settings.fit_start is not None else spec.fit_start
    a.n_obs = int((exact.index >= window).sum()) if window is not None else len(exact)
    if (frame["qualifier"] != "").any():
        b = frame[frame["qualifier"] != ""]
        derived = b["derived"] if "derived" in b else pd.Series(False, index=b.index)
        listed = [f"{y} {'≈' if q == '~' else q}{v:g}" for y, q, v in zip(b.index, b["qualifier"], b["value"])]
        extra = {"derived": [int(y) for y, d in zip(b.index, derived) if d]}
        variant = ".derived" if extra["derived"] else ""
        if not extra["derived"]:
            extra = {}
        if settings.bounds == "censored" and b["qualifier"].isin(BOUND_QUALIFIERS).any():
            a.say(R.BOUNDS_CENSORED, "bounds_censored" + variant, bounds=listed, **extra)
        else:
            a.say(R.BOUNDS_NOT_FITTED, "bounds_not_fitted" + variant, bounds=listed, **extra)
    if target.cumulative:
        _cumulative(a, target, frame, exact, spec, settings)
    else:
        _level_measures(a, target, exact, spec, settings)
        _level(a, target, frame, exact, spec, settings)
    _pending(a, target, viewpoint)
    return a.freeze()


def _level_measures(a, target, exact, spec, settings):
    by, bv = _baseline(target, exact, settings.as_of)
    a.measures.update(baseline_year=by, baseline_value=bv)
    if len(exact):
        m = progress_measures(by, bv, int(exact.index[-1]), float(exact.iloc[-1]), target.value,
                              target.target_year, target.comparator, settings.strict, target.tolerance,
                              signed=spec.domain.kind in ("rate", "real"))
        a.band = m.pop("band")
        a.measures.update(m)


def _pending(a, target, viewpoint):
    end = target.end_year
    if viewpoint is None or a.status.final or end > viewpoint:
        return
    no_p = a.p_trend is None or not np.isfinite(a.p_trend)
    a.say(R.OUTCOME_PENDING, "outcome_pending.no_p" if no_p else "", year=end, viewpoint=viewpoint, bulletin=end + 1)


def status_for(p, settings) -> Status:
    """The status a probability earns under the thresholds."""
    if p >= settings.on_track:
        return Status.ON_TRACK
    if p >= settings.at_risk:
        return Status.AT_RISK
    return Status.OFF_TRACK


def wilson_interval(p, n, level=0.95):
    """Wilson interval of a share ``p`` of ``n`` simulated paths (the Monte-Carlo error of a probability).

    :func:`statsmodels.stats.proportion.proportion_confint` with
    ``method="wilson"``; ``(nan, nan)`` when ``p`` or ``n`` is missing.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(1.0, 2000)]
    [0.9981, 1.0]
    """
    if p is None or not np.isfinite(p) or not n:
        return np.nan, np.nan
    from statsmodels.stats.proportion import proportion_confint  # heavy: only when needed

    lo, hi = proportion_confint(round(float(p) * int(n)), int(n), alpha=1 - level, method="wilson")
    return max(0.0, float(lo)), min(1.0, float(hi))


def finalize(a, p_meet, method, settings, trend_share=np.nan, reasons=(), interval=None) -> Assessment:
    """The assessment with its headline ``p_meet`` (from the calibration) and status.

    Observed outcomes keep their status and probability; insufficient data
    stays so. Otherwise the status follows ``p_meet`` and the thresholds,
    or is ``pending`` when the outcome is past but unpublished; a reason is
    added when Monte-Carlo error could flip the status.

    Parameters
    ----------
    a : Assessment
        As :func:`assess_target` returned it.
    p_meet : float
    method : str
        How ``p_meet`` was made (``"none"``: it is ``p_trend``).
    settings : Settings
    trend_share : float, optional
        The calibration's share of the answer carried by the trend.
    reasons : iterable of Reason or (code, message[, params[, template]]), optional
        Reasons the calibration adds (with ``params`` and a template key of
        :data:`~plananalysis.messages.MESSAGES` they read in Chinese too).
    interval : (float, float), optional
        The interval of ``p_meet`` (the calibration's); default: with
        ``method="none"`` the Wilson interval of ``p_trend`` over the
        assessment's ``n_paths`` (:func:`wilson_interval`), else NaN. An
        observed outcome's interval is its probability.

    Returns
    -------
    Assessment
        A new, final assessment (``a`` is not changed).
    """
    a = a.replace(calibration=method, trend_share=float(trend_share)).with_reasons(*reasons)
    if a.status.final or not np.isfinite(a.p_trend):
        return a.replace(p_meet=a.p_trend, status=a.status if a.status.final else Status.INSUFFICIENT,
                         p_meet_lo=a.p_trend, p_meet_hi=a.p_trend)
    status = Status.PENDING if a.has(R.OUTCOME_PENDING) else status_for(float(p_meet), settings)
    if interval is None:
        interval = wilson_interval(a.p_trend, a.n_paths) if method == "none" else (np.nan, np.nan)
    a = a.replace(p_meet=float(p_meet), status=status, p_meet_lo=float(interval[0]), p_meet_hi=float(interval[1]))
    se, notes = a.mc_se, []
    for name, threshold in ((Status.ON_TRACK, settings.on_track), (Status.AT_RISK, settings.at_risk)):
        if np.isfinite(se) and abs(a.p_meet - threshold) < 2 * se:
            notes.append(Reason.make(R.MC_NEAR_THRESHOLD, p=a.p_meet, se=se, status=name.value,
                                     threshold=threshold))
    return a.with_reasons(*notes)
