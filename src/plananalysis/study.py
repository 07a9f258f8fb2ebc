"""The study layer: a plan bundle and one Settings -> trend assessments, forecasts, backtests.

The study resolves a plan, its tables and the settings once (:func:`study`),
runs the engine on every target (:func:`run_engine`, through any
:class:`concurrent.futures.Executor`) and gives the forecasts behind them.
It knows nothing of the calibration: :func:`plananalysis.api.assess` applies
the calibration after the study; :func:`assess_trend` here is the trend
alone (``p_meet = p_trend``).
Each takes ``plan`` (a :class:`~plananalysis.bundle.PlanBundle`, a bundle
folder, or None for the default bundle) and ``settings`` (a
:class:`~plananalysis.settings.Settings`, default
:data:`~plananalysis.settings.DEFAULTS`); keyword overrides such as
``as_of=2022`` are a shorthand for ``settings.replace(as_of=2022)``.
``targets=`` and ``series=`` (frames or file paths) replace the plan's
tables, e.g. for a plan the package has never seen.

Examples
--------
>>> import datetime
>>> card = assess_trend(n_paths=2000, today=datetime.date(2026, 6, 1))  # 2025's figures not yet in the data
>>> card["enrollment"].status.value
'pending'
>>> card.to_frame()[["indicator", "status"]].shape
(4, 2)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .backtesting import BACKTEST_COLUMNS, backtest, exact_series, relative_accuracy
from .bundle import PlanBundle, load_plan
from .data import get_series, load_series
from .domain import resolve_domain
from .engine import assess_target, finalize
from .errors import DataError, InsufficientDataError, ParameterError
from .executors import map_in_order
from .models import DEFAULT_MODEL, REGISTRY
from .plan import load_targets
from .results import Scorecard
from .series import SeriesSpec
from .settings import DEFAULTS, Settings
from .target import Target, targets_from_frame

__all__ = ["Study", "study", "run_engine", "assess_trend", "forecast_target", "cumulative_paths",
           "backtest_plan", "explain_auto", "compare_models", "viewpoint_year", "default_vintage_years"]


def viewpoint_year(settings, today=None) -> int:
    """The year whose end the analyst stands at: ``as_of``, else the year before ``today``.

    Parameters
    ----------
    settings : Settings
    today : datetime.date, optional
        Default: the system date. Pass it to make a result independent of
        the day it is run on.

    Examples
    --------
    >>> import datetime
    >>> viewpoint_year(DEFAULTS, today=datetime.date(2026, 3, 1))
    2025
    >>> viewpoint_year(DEFAULTS.replace(as_of=2022))
    2022
    """
    if settings.as_of is not None:
        return int(settings.as_of)
    today = today or _dt.date.today()
    return today.year - 1


@dataclass(frozen=True)
class Study:
    """A plan with its tables and one Settings: what every entry point works on.

    Attributes
    ----------
    plan : PlanBundle or None
        None when only tables were given.
    targets, statistics : DataFrame
    settings : Settings
        Effective settings (plan thresholds applied where the caller kept the defaults).
    """

    plan: PlanBundle | None
    targets: pd.DataFrame
    statistics: pd.DataFrame
    settings: Settings

    @property
    def plan_id(self) -> str:
        return self.plan.id if self.plan is not None else str(self.targets.attrs.get("plan_id", ""))

    def title(self, lang="en") -> str:
        return self.plan.title(lang) if self.plan is not None else self.plan_id

    @cached_property
    def target_list(self) -> tuple:
        """Every target of the plan as a :class:`~plananalysis.target.Target`, in order."""
        return targets_from_frame(self.targets)

    def target(self, indicator) -> Target:
        """One target by id; a clear error for an unknown id."""
        if isinstance(indicator, Target):
            return indicator
        if isinstance(indicator, (pd.Series, dict)):
            return Target.from_row(indicator)
        for t in self.target_list:
            if t.indicator == indicator:
                return t
        raise ParameterError(f"indicator {indicator!r} is not a target of {self.plan_id or 'the plan'}; "
                             f"expected one of {', '.join(self.targets['indicator'])}")

    def spec(self, name) -> SeriesSpec:
        """What is declared about a series (inferred when only tables were given)."""
        if self.plan is not None and self.plan.path("statistics") is not None and \
                name in set(self.plan.statistics()["indicator"]):
            return self.plan.series_spec(name)
        declared = self.plan.declared_domains() if self.plan is not None else None
        rows = self.statistics[self.statistics["indicator"] == name]
        return SeriesSpec(name=name, domain=resolve_domain(name, declared, rows))

    def series(self, target, as_of=None):
        """The target's series frame, cut at ``as_of`` (None: no series mapped)."""
        name = target.series
        if not name:
            return None
        if not (self.statistics["indicator"] == name).any():
            raise DataError(f"target {target.indicator!r} maps to series {name!r}, which is not in the "
                            "statistics data", path=self.targets.attrs.get("source_path"),
                            column="series", value=str(name))
        frame = get_series(str(name), self.statistics)
        if as_of is not None:
            attrs = dict(frame.attrs)
            frame = frame[frame.index <= as_of]
            frame.attrs.update(attrs)
        return frame

    def series_names(self) -> list:
        return [str(s) for s in self.targets["series"].dropna() if str(s).strip()]


def _plan_settings(settings, plan):
    """Plan thresholds replace the package defaults the caller did not change."""
    if plan is None:
        return settings
    changes = {k: v for k, v in plan.thresholds().items()
               if k in ("on_track", "at_risk") and getattr(settings, k) == getattr(DEFAULTS, k)}
    return settings.from_mapping(changes, source=f"{plan.config_path}: thresholds", base=settings) \
        if changes else settings


def study(plan=None, settings=None, targets=None, series=None, **overrides) -> Study:
    """Resolve a plan, its tables and the settings into a :class:`Study` (validated).

    Parameters
    ----------
    plan : PlanBundle or str or Path or Study, optional
        Default: the default bundle, unless ``targets`` and ``series``
        are both given (then no bundle is used). A :class:`Study` is
        returned as it is (with ``settings``/``overrides`` applied), so every
        entry point accepts one.
    settings : Settings, optional
    targets, series : DataFrame or str or Path, optional
        Replace the plan's targets / statistics tables.
    **overrides
        Settings to change (``as_of=2022``).

    Raises
    ------
    ParameterError
        Unknown setting, a fit window or ``as_of`` that excludes every
        observation of the target series.
    DataError
        A target maps to a series that is not in the statistics.
    """
    if isinstance(plan, Study):
        if targets is not None or series is not None:
            raise ParameterError("give either a Study or targets/series tables, not both")
        s = plan.settings if settings is None else settings
        s = s.replace(**overrides) if overrides else s
        return plan if s == plan.settings else Study(plan.plan, plan.targets, plan.statistics, s)
    settings = DEFAULTS if settings is None else settings
    if not isinstance(settings, Settings):
        settings = Settings.from_mapping(dict(settings))
    if overrides:
        settings = settings.replace(**overrides)
    bundle = None
    if plan is not None or targets is None or series is None:
        bundle = load_plan(plan)
    if isinstance(targets, (str, Path)):
        targets = load_targets(targets, series_map=bundle.target_series_map() if bundle else None)
    if isinstance(series, (str, Path)):
        series = load_series(series, domains=bundle.declared_domains() if bundle else None)
    targets = bundle.targets() if targets is None else targets
    data = bundle.statistics() if series is None else series
    settings = _plan_settings(settings, bundle)
    st = Study(plan=bundle, targets=targets, statistics=data, settings=settings)
    _check(st)
    return st


def _check(st):
    needed = st.series_names()
    unknown = sorted(set(needed) - set(st.statistics["indicator"]))
    if unknown:
        bad = st.targets[st.targets["series"].isin(unknown)]["indicator"].tolist()
        raise DataError(f"targets {bad} map to series {unknown}, which are not in the statistics data "
                        "(fix the 'series' column or add the series' rows to the statistics file)",
                        path=st.targets.attrs.get("source_path"), column="series", value=unknown[0])
    rel = st.statistics[st.statistics["indicator"].isin(needed)] if needed else st.statistics
    first, last = (int(rel["year"].min()), int(rel["year"].max())) if len(rel) else (None, None)
    s = st.settings
    if s.as_of is not None and (first is None or s.as_of < first):
        raise ParameterError(f"as_of={s.as_of} is before the first observation ({first}) of the "
                             "target series")
    if s.fit_start is not None and (last is None or s.fit_start > min(last, s.as_of or last)):
        raise ParameterError(f"fit_start={s.fit_start} is after the last observation "
                             f"({min(last, s.as_of or last) if last else None}) of the target series: "
                             "every fit window would be empty")


# ------------------------------------------------------------------ scorecards
def _run_chunk(args):
    jobs, settings, viewpoint = args
    return [assess_target(t, f, spec, settings, viewpoint) for t, f, spec in jobs]


def run_engine(st, executor=None, today=None) -> list:
    """The engine's provisional assessment of every target of a study (``p_trend``, no ``p_meet`` yet).

    Parameters
    ----------
    st : Study
    executor : concurrent.futures.Executor, optional
        Where the targets are assessed: any executor (a process pool, a
        dask ``Client.get_executor()``); the caller owns it. Default: in
        this process when ``settings.n_jobs == 1``, else a process pool of
        ``n_jobs`` workers. Results do not depend on where they ran.
    today : datetime.date, optional
        For the viewpoint when ``settings.as_of`` is None (:func:`viewpoint_year`).

    Returns
    -------
    list of Assessment
        In the order of the plan's targets; call
        :func:`~plananalysis.engine.finalize` (or the calibration) for the
        headline probability and status.
    """
    s = st.settings
    viewpoint = viewpoint_year(s, today)
    jobs = []
    for t in st.target_list:
        frame = st.series(t, s.as_of)
        jobs.append((t, frame, st.spec(t.series) if frame is not None else None))
    return map_in_order(_run_chunk, jobs, lambda chunk: (chunk, s, viewpoint), executor=executor,
                        n_jobs=s.n_jobs)


def assess_trend(plan=None, settings=None, *, targets=None, series=None, executor=None, today=None,
                 **overrides) -> Scorecard:
    """Every target assessed on the trend alone: ``p_meet = p_trend``, no calibration.

    :func:`plananalysis.api.assess` is the headline (calibrated) scorecard;
    this is what the calibration starts from and what
    ``calibration="none"`` gives.

    Parameters
    ----------
    plan, settings, targets, series, **overrides
        See :func:`study`.
    executor, today
        See :func:`run_engine`.

    Returns
    -------
    Scorecard
    """
    st = study(plan, settings, targets, series, **overrides)
    results = [finalize(a, a.p_trend, "none", st.settings) for a in run_engine(st, executor, today)]
    return Scorecard(results, st.settings, plan_id=st.plan_id, plan_title=st.title())


def default_vintage_years(st) -> range:
    """The ``as_of`` years :func:`plananalysis.api.vintages` uses by default.

    From the plan's ``base_year`` (else the year before the earliest period
    start) to the latest year of the target series (or ``settings.as_of``),
    never before their first observation.
    """
    rel = st.statistics[st.statistics["indicator"].isin(st.series_names())]
    base = st.plan.base_year if st.plan is not None and st.plan.base_year else None
    if base is None:
        starts = pd.to_numeric(st.targets["period_start"], errors="coerce").dropna()
        base = int(starts.min()) - 1 if len(starts) else int(rel["year"].min())
    last = int(rel["year"].max())
    if st.settings.as_of is not None:
        last = min(last, st.settings.as_of)
    return range(min(max(base, int(rel["year"].min())), last), last + 1)


# ------------------------------------------------------------------ one target
def forecast_target(indicator, plan=None, settings=None, *, targets=None, series=None, **overrides):
    """The :class:`~plananalysis.models.Forecast` behind one target's row of :func:`assess`.

    Same series, fit window, domain, model, paths and seed as the scorecard,
    so the fan chart and the scorecard agree.

    Raises
    ------
    InsufficientDataError
        The series is too short for the model.
    ParameterError, DataError
        Unknown indicator, series missing from the data.

    Examples
    --------
    >>> fc = forecast_target("enrollment", n_paths=1000)
    >>> int(fc.history.index.min())
    2015
    """
    st = study(plan, settings, targets, series, **overrides)
    a = _one(indicator, st)
    if a.forecast is None:
        if a.status.final:
            raise InsufficientDataError(f"target {a.indicator!r}: the outcome is observed; no forecast "
                                        f"was needed ({a.note})", n_obs=a.n_obs)
        raise InsufficientDataError(f"target {a.indicator!r}: no forecast ({a.note})", n_obs=a.n_obs)
    return a.forecast


def _one(indicator, st):
    t = st.target(indicator)
    frame = st.series(t, st.settings.as_of)
    if frame is None:
        raise DataError(f"target {t.indicator!r} has no statistics series", column="series")
    return assess_target(t, frame, st.spec(t.series), st.settings, viewpoint_year(st.settings))


def cumulative_paths(indicator, plan=None, settings=None, *, targets=None, series=None, **overrides):
    """Annual values over a cumulative target's period, observed or simulated (years x paths).

    Exactly the flows :func:`assess` aggregates; ``attrs["observed"]``
    lists the observed years. Raises :class:`InsufficientDataError` when the
    model cannot be fitted.
    """
    st = study(plan, settings, targets, series, **overrides)
    if not st.target(indicator).cumulative:
        raise ParameterError(f"target {indicator!r} is not cumulative")
    a = _one(indicator, st)
    if a.flows is None:
        raise InsufficientDataError(f"target {a.indicator!r}: no simulated flows ({a.note})", n_obs=a.n_obs)
    out = a.flows.copy()
    out.attrs["model"] = a.model
    return out


# ------------------------------------------------------------------ backtests
def _target_series(st, indicators=None):
    out = []
    for t in st.target_list:
        if indicators is not None and t.indicator not in indicators:
            continue
        frame = st.series(t, st.settings.as_of)
        if frame is not None:
            out.append((t.indicator, t.series, frame, st.spec(t.series)))
    return out


def _window(st, spec):
    return st.settings.fit_start if st.settings.fit_start is not None else spec.fit_start


def backtest_plan(plan=None, settings=None, models=None, horizons=range(1, 6), min_train=5,
                  indicators=None, *, targets=None, series=None, **overrides) -> pd.DataFrame:
    """:func:`~plananalysis.backtesting.backtest` for every target's series (``indicator`` = target).

    Each series is fitted in the window and on the scale (domain) its plan
    declares. The backtest scores exact predictive quantiles, so it does not
    depend on ``n_paths`` or ``seed``. ``indicators`` restricts it to some
    targets (unknown ids are errors).

    Examples
    --------
    >>> bt = backtest_plan(indicators=["enrollment"], models=["naive"], horizons=[1])
    >>> sorted(bt["model"].unique())
    ['naive']
    """
    st = study(plan, settings, targets, series, **overrides)
    for ind in indicators or ():
        st.target(ind)
    frames = [backtest(frame, models=models, horizons=horizons, min_train=min_train,
                       fit_start=_window(st, spec), indicator=ind, domain=spec.domain)
              for ind, _, frame, spec in _target_series(st, indicators)]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=BACKTEST_COLUMNS)


def explain_auto(plan=None, settings=None, *, targets=None, series=None, **overrides) -> pd.DataFrame:
    """What ``auto`` (the default model) does for every target's series, and why.

    ``auto`` is the fixed combination :data:`~plananalysis.models.DEFAULT_MODEL`
    (chosen on the M3 benchmark, not per series); the table says which of its
    components each series is long enough for, in the fit window and on the
    scale its plan declares. For comparison it also lists what per-series
    selection (``select``) would pick and its rolling-origin MASE per candidate.

    Returns
    -------
    DataFrame
        ``indicator, series, n_obs, chosen, components, reason, select_choice,
        origins`` and one ``mase_<model>`` column per ``select`` candidate.
    """
    st = study(plan, settings, targets, series, **overrides)
    chosen = DEFAULT_MODEL if st.settings.model == "auto" else st.settings.model
    combo, select = REGISTRY[DEFAULT_MODEL], REGISTRY["select"]
    rows = []
    for ind, name, frame, spec in _target_series(st):
        s = exact_series(frame, _window(st, spec))
        n = len(s)
        used = [c for c in combo.components if REGISTRY[c].min_obs <= n]
        stand_in = getattr(combo, "stand_in", None)
        if used and len(used) < len(combo.components) and stand_in and stand_in not in used:
            used.append(stand_in)  # as the fit does (models.ensemble): the random walk stands in
        info = select.choose(s.index.to_numpy(), s.to_numpy(), spec.domain) if n >= 2 else \
            {"chosen": "", "origins": [], "mase": {}, "reason": "fewer than 2 observations"}
        if st.settings.model == "auto":
            reason = (f"auto = {DEFAULT_MODEL}, the default chosen on M3 yearly; with {n} exact observations "
                      + (f"it combines {', '.join(used)}" if len(used) > 1 else
                         f"only {used[0]} can be fitted" if used else "no model can be fitted (too short)"))
        else:
            reason = f"the settings ask for {chosen}"
        shown = chosen if st.settings.model != "auto" or len(used) > 1 else (used[0] if used else "none")
        row = {"indicator": ind, "series": name, "n_obs": n, "chosen": shown, "components": ", ".join(used),
               "reason": reason, "select_choice": info["chosen"], "origins": ", ".join(map(str, info["origins"]))}
        row.update({f"mase_{m}": info["mase"].get(m, np.nan) for m in select.candidates})
        rows.append(row)
    return pd.DataFrame(rows)


def compare_models(plan=None, settings=None, models=None, horizons=range(1, 6), min_train=5,
                   *, targets=None, series=None, **overrides) -> pd.DataFrame:
    """Every model per target series against naive, with coverage and the ``auto`` choice.

    Returns
    -------
    DataFrame
        One row per indicator x model: :func:`~plananalysis.backtesting.summarize`
        metrics, ``relative_mase``, coverage gaps, ``auto_choice``,
        ``auto_chosen`` and ``auto_reason``. Series too short to backtest get
        one row with ``model`` NaN and the reason.
    """
    st = study(plan, settings, targets, series, **overrides)
    bt = backtest_plan(st.plan, st.settings, models=models, horizons=horizons, min_train=min_train,
                       targets=st.targets, series=st.statistics)
    summary = relative_accuracy(bt, by=("indicator", "model"))
    auto = explain_auto(st.plan, st.settings, targets=st.targets, series=st.statistics)
    rows = []
    for _, a in auto.iterrows():
        part = summary[summary["indicator"] == a["indicator"]].copy()
        if part.empty:
            part = pd.DataFrame([{"indicator": a["indicator"], "model": np.nan, "n": 0}])
            reason = f"not backtested: too few exact observations ({a['n_obs']}); auto: {a['reason']}"
        else:
            reason = a["reason"]
        part["auto_choice"] = part["model"] == a["chosen"]
        part["auto_chosen"] = a["chosen"]
        part["auto_reason"] = reason
        rows.append(part)
    return pd.concat(rows, ignore_index=True) if rows else summary
