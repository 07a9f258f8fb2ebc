"""Calibrated P(target met): a small logistic model learned from past plan targets.

The forecast engine gives ``p_trend``: the share of simulated trend paths
that meet the target. Chinese plan targets are not met or missed the way a
trend extrapolation says (plans pull outcomes toward the target; some
ambitious targets are missed widely), so the headline ``p_meet`` is
``p_trend`` passed through a model fitted on the *reference class*: 74
past targets of work reports, five-year plans and sector plans, each with
the history an analyst had at the time and the official outcome
(``data/raw/reference_class/``).

The model
---------
``logit P(met) = b0 + sum_j b_j * (x_j - m_j) / s_j`` over a subset of the
features :data:`FEATURES`:

``lp_trend``
    ``logit(p_trend)``, ``p_trend`` clipped to
    [:data:`P_CLIP`, 1 - :data:`P_CLIP`] (a finite Monte-Carlo share of 0
    or 1 is not a certainty).
``ambition``
    How far the target lies beyond the median projection, in predictive
    standard deviations: ``d * (target - median) / sd`` with ``d = +1`` for
    a floor, ``-1`` for a cap and ``sd = (hi80 - lo80) / (2 * 1.2816)``;
    for a two-sided ``~`` target ``|target - median| / sd``. Clipped to
    ``+-`` :data:`AMBITION_CLIP`. Positive = ambitious.
``log_horizon``
    ``log(target_year - latest observed year)``.
``is_cumulative``
    1 for a period total (sum or compounded), 0 for a level or annual target.
``is_rate``, ``is_share``
    Domain of the series (count is the reference level), as declared by the
    bundle (else :func:`plananalysis.domain.infer_domain`).
``is_cap``
    1 when lower is better (``<``, ``<=``).

``m_j`` and ``s_j`` are the training means and standard deviations (stored
with the coefficients). The coefficients are the posterior mode under
independent ``N(0, PRIOR_SD^2)`` priors on the standardised slopes
(:data:`PRIOR_SD` = 1) and a flat prior on the intercept, computed with
Newton-Raphson on the penalised log likelihood (the optimum of
:meth:`statsmodels.genmod.generalized_linear_model.GLM.fit_regularized`
with the binomial family, ``L1_wt=0``, ``alpha_j = 1 / (n * PRIOR_SD^2)``:
the ridge penalty that equals that prior, reached to machine precision
rather than statsmodels' optimiser tolerance, and fast enough for the
bootstrap and cross-validation refits). Intervals of the coefficients come
from a bootstrap over plans (:data:`N_BOOT` refits; the cases of one plan
or work-report year share shocks, so whole plans are resampled).

Model choice
    The pre-specified model used all seven features (``full_model`` in
    :func:`evaluate`). Out of sample it did no better than the base rate or
    the raw ``p_trend`` and worse than a recalibration of ``lp_trend`` alone
    in every scheme (leave-one-plan-out Brier 0.182 vs 0.171, log loss 0.562
    vs 0.514; leave-one-family-out 0.209 vs 0.170, 0.661 vs 0.512; forward in
    time 0.147 vs 0.132): on 74 cases with 17 misses the kind-of-target
    features fit noise. The stored model is therefore the two-parameter
    recalibration (:data:`MODEL_FEATURES`): an intercept (the reference
    class's say: how much more often plan targets are met than the trend
    suggests) and a slope that tempers the trend's confidence. This choice
    was made after seeing both models' cross-validated scores, so the scores
    of the chosen model carry a small selection optimism; ``full_model``
    stays in every evaluation so the comparison can be re-checked whenever
    the engine or the reference class changes.
Proxies
    The reference class holds no target measured through a proxy, so the
    model cannot learn what a proxy costs. A target whose series is only a
    proxy (``series_relation == "proxy"``) therefore gets a documented
    penalty instead: its calibrated logit is shrunk halfway
    (:data:`PROXY_SHRINK`) toward the logit of the reference-class base rate,
    ``logit p = (1 - w) * logit p_cal + w * logit base_rate``, and its
    ``calibration_method`` says ``proxy``.
Trend vs reference class
    :func:`apply_calibration` splits the logit into the part carried by
    the trend terms (``lp_trend`` and ``ambition`` where the model has it,
    on their raw scale, so a neutral trend, ``p_trend = 0.5``, contributes
    nothing) and the rest (the intercept, and the kind of target in the
    full model); ``trend_share`` is ``|trend| / (|trend| + |rest|)``. With the
    stored model, ``p_trend = 0.5`` gives ``p_meet`` = expit(intercept), all
    of it from the reference class.
Observed outcomes and missing probabilities
    A target already ``met`` / ``not met`` keeps its 1 / 0. A row without
    ``p_trend`` (insufficient data) keeps NaN: no trend, no calibration.
``calibration="none"``
    ``p_meet == p_trend`` exactly.

The coefficients are fitted once and stored in
``calibration_reference_class.json`` next to this module by the refit
command (``python -m plananalysis.calibration refit``); nothing refits at
run time, and a test checks that the stored file equals a fresh fit.

Evaluation (:func:`evaluate`) is out of sample only: leave-one-plan-out
(every case of one ``source_section`` out together),
leave-one-indicator-family-out (every case of one series) or forward in
time (learn only from outcomes known at the case's ``as_of``), with Brier
score, log loss, a reliability table, sharpness, and bootstrap intervals
that resample the held-out units (plans, families, years), for the model and the baselines of :data:`METHODS`:
``always_met`` (1), ``base_rate`` (training share met), ``p_trend``
(uncalibrated), ``platt`` (logistic recalibration of logit(p_trend) alone,
same prior: what the reference-class features add beyond it),
``growth_ratio_call`` (Eurostat / Open SDG band at ``as_of`` -> met when on
track or achieved) and ``german_rule_call`` (extrapolated mean change of the
last five years -> met when the shortfall is under 5% of the gap); a call
is 1 or 0, a case with too little history for it gets the training base
rate. Everything learnt is learnt on the training folds only.
``python -m plananalysis.calibration evaluate`` prints it.

Reference cases
---------------
:func:`reference_cases` assesses every case with the engine
(:func:`plananalysis.study.assess`) on the reference-class bundle
(``data/raw/reference_class/plan.yaml`` declares each series' domain, the
compounded energy totals and the ``~`` tolerance of CPI 2025), at the
case's ``as_of``, with the fit window lifted to the whole series and
``calibration="none"``. A case the engine cannot read (a ``~`` target
without a tolerance) is ``engine="unsupported"`` with its reason and no
probability, never silently dropped.

Doubtful cases (README of the reference class)
----------------------------------------------
Every case keeps its official ``outcome_met``; none is dropped or
relabelled. ``gdp_gwr2014`` / ``gdp_gwr2015`` (7.4 vs 7.5左右, 6.9 vs
7左右) are misses under the package's strict reading of 左右 on growth
targets (``>=`` the number), though the government called them achieved;
``cpi_gwr2025`` is a two-sided ``~`` target (+-0.5, declared in
``plan.yaml``) and a miss; ``rd_gwr2011`` (1.84 vs 1.85) and
``services_share_fyp11`` are misses on the first-published figures;
``energy_fyp13`` is a miss on the third-party estimate (compounding the
official annual rates, which the engine does, also gives a miss);
``zhongzhi_xdzj2014`` uses the 1922.97 bulletin figure for 2013. A reading
that tolerates 0.1-0.2 points on 左右 would turn the two GDP misses into
hits; the calibration would then have to be refitted (labels and
``p_trend`` change together).

Engine hook
-----------
:func:`calibrate_assessments` is what
:func:`plananalysis.study.assess` calls to turn each assessment's
``p_trend`` into ``p_meet``; :func:`apply_calibration` does the same on a
``Scorecard.to_frame()`` table.

Examples
--------
>>> model = load_calibration()                      # the stored fit
>>> row = {"p_trend": 0.3, "projected_median": 95.0, "projected_lo80": 93.0,
...        "projected_hi80": 97.0, "target": 96.0, "comparator": ">=",
...        "target_year": 2025, "latest_year": 2024, "cumulative": False,
...        "unit": "%", "domain": "share"}
>>> p = model.predict(pd.DataFrame([row]))
>>> 0 < float(p.iloc[0]) < 1
True
"""

from __future__ import annotations

import functools
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .engine import finalize
from .errors import DataError, ParameterError
from .results import ReasonCode

__all__ = [
    "FEATURES", "MODEL_FEATURES", "METHODS", "PROXY_SHRINK", "PRIOR_SD", "CalibrationModel", "reference_cases",
    "load_reference_cases", "cases_to_csv", "STORED", "STORED_CASES",
    "load_reference_class", "case_features", "fit_calibration", "load_calibration",
    "apply_calibration", "evaluate", "cv_predictions", "score_table", "paired_differences",
    "reliability_table",
    "similar_cases", "plot_reliability", "plot_coefficients", "calibrate_assessments", "main",
]

#: Features of the model, in order (see the module docstring).
FEATURES = ("lp_trend", "ambition", "log_horizon", "is_cumulative", "is_rate", "is_share", "is_cap")
#: Features of the stored (default) model: the trend's logit alone (see "Model choice").
MODEL_FEATURES = ("lp_trend",)
#: Features carried by the trend (the rest is the reference class's say).
TREND_FEATURES = ("lp_trend", "ambition")
#: p_trend is clipped to [P_CLIP, 1 - P_CLIP] before the logit.
P_CLIP = 0.01
#: Ambition is clipped to +- this many predictive standard deviations.
AMBITION_CLIP = 5.0
#: Prior standard deviation of each standardised slope.
PRIOR_SD = 1.0
#: Bootstrap refits for the coefficient intervals.
N_BOOT = 200
#: Weight of the base rate in a proxy target's logit.
PROXY_SHRINK = 0.5
#: Probabilities are clipped to [LOGLOSS_CLIP, 1 - LOGLOSS_CLIP] in the log loss (every method).
LOGLOSS_CLIP = 0.01
#: z of the 80% interval ends (the interval is 10%-90%).
Z80 = 1.2815515655446004
#: Forecast paths used for the reference class (the stored fit uses this).
REFERENCE_N_PATHS = 2000
#: Methods scored by :func:`evaluate` (calibrated model first, then the baselines).
METHODS = ("calibrated", "full_model", "always_met", "base_rate", "p_trend", "growth_ratio_call",
           "german_rule_call")
#: The stored coefficients (written only by ``python -m plananalysis.calibration refit``).
STORED = Path(__file__).with_name("calibration_reference_class.json")
#: The reference cases the stored model was fitted on (p_trend and features per case), written with it.
STORED_CASES = Path(__file__).with_name("calibration_reference_cases.csv")
_HIGHER = {">": True, ">=": True, "<": False, "<=": False}
CASE_COLUMNS = ["case", "plan_group", "family", "engine", "unsupported_reason", "p_trend",
                "projected_median", "projected_lo80", "projected_hi80", "target", "comparator",
                "target_year", "as_of", "latest_year", "cumulative", "aggregation", "domain",
                "series_relation", *FEATURES, "is_proxy", "growth_ratio_call", "german_rule_call",
                "outcome_met"]


def cases_to_csv(cases) -> str:
    """The reference cases as stored next to the coefficients (``STORED_CASES``), byte-reproducible."""
    return cases.to_csv(index=False, float_format="%.10g")


def load_reference_cases(path=None):
    """The reference cases the stored calibration was fitted on (no engine run; fast).

    Written by ``python -m plananalysis.calibration refit`` together with the
    coefficients; a test checks that it equals a fresh :func:`reference_cases`
    run, so it cannot go stale. Use :func:`reference_cases` to assess the
    cases under other engine settings.

    Examples
    --------
    >>> cases = load_reference_cases()
    >>> len(cases), int((~cases["outcome_met"]).sum())
    (74, 17)
    """
    path = STORED_CASES if path is None else Path(path)
    if not path.is_file():
        raise DataError("stored reference cases not found; run `python -m plananalysis.calibration refit`",
                        path=path)
    frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for col in ("unsupported_reason", "aggregation", "series_relation", "domain"):
        if col in frame:
            frame[col] = frame[col].astype(object).fillna("").astype(str)
    for col in ("outcome_met", "cumulative"):
        if col in frame:
            frame[col] = frame[col].astype(bool)
    return frame


def _reference_dir():
    # the one place that names the bundled reference class (the plan bundle will replace it)
    from .paths import DEFAULT_PLAN_DIR

    return DEFAULT_PLAN_DIR / "reference_class"


# ---------------------------------------------------------------- reference class
def load_reference_class(directory=None):
    """Read the reference class tables (no engine run).

    Parameters
    ----------
    directory : str or Path, optional
        Folder holding ``targets.csv`` and ``series.csv`` in the schemas of
        its README. Default: the bundled ``data/raw/reference_class``.

    Returns
    -------
    (DataFrame, DataFrame)
        Targets (one row per case, with ``aggregation`` and ``tolerance``
        from the folder's ``plan.yaml`` when present: ``sum`` and NaN
        otherwise) and series rows, as read (strings kept).

    Raises
    ------
    DataError
        A file is missing or lacks a required column.

    Examples
    --------
    >>> targets, series = load_reference_class()
    >>> len(targets), int((~targets["outcome_met"]).sum())
    (74, 17)
    """
    d = Path(_reference_dir() if directory is None else directory)
    out = []  # targets.csv and series.csv are read as tables; plan.yaml (if any) adds aggregation/tolerance
    need = {"targets.csv": {"indicator", "comparator", "target", "target_year", "cumulative", "series",
                            "source_section", "as_of", "outcome_met", "unit"},
            "series.csv": {"indicator", "year", "value", "qualifier", "unit"}}
    for name, cols in need.items():
        path = d / name
        if not path.is_file():
            raise DataError(f"reference class: {path}: file not found", path=str(path))
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = sorted(cols - set(frame.columns))
        if missing:
            raise DataError(f"reference class: {path} lacks columns {missing}", path=str(path),
                            column=missing[0])
        out.append(frame)
    targets, series = out
    for col in ("target",):
        targets[col] = pd.to_numeric(targets[col]).astype(float)
    for col in ("target_year", "as_of"):
        targets[col] = pd.to_numeric(targets[col]).astype(int)
    for col in ("period_start", "period_end", "baseline_year"):
        if col in targets:
            targets[col] = pd.to_numeric(targets[col].replace("", np.nan)).astype("Int64")
    if "baseline_value" in targets:
        targets["baseline_value"] = pd.to_numeric(targets["baseline_value"].replace("", np.nan))
    for col in ("cumulative", "outcome_met"):
        bad = ~targets[col].isin(["True", "False"])
        if bad.any():
            raise DataError(f"reference class: column {col!r} must be True/False, got "
                            f"{targets.loc[bad, col].iloc[0]!r}", column=col)
        targets[col] = targets[col] == "True"
    series["year"] = pd.to_numeric(series["year"]).astype(int)
    series["value"] = pd.to_numeric(series["value"]).astype(float)
    cfg = {}
    if (d / "plan.yaml").is_file():
        from .bundle import load_plan

        cfg = load_plan(d).config.get("targets") or {}
    agg, tol = cfg.get("aggregation") or {}, cfg.get("tolerance") or {}
    targets["aggregation"] = [agg.get(i, "sum") if c else "" for i, c in
                              zip(targets["indicator"], targets["cumulative"])]
    targets["tolerance"] = [float(tol[i]) if i in tol else np.nan for i in targets["indicator"]]
    return targets, series


def _aggregation(row):
    """How a cumulative case aggregates its years: sum, compound or compound_decline ('' for a level)."""
    return str(row.get("aggregation") or "") if row["cumulative"] else ""


def _case_domain(bundle, name, rows):
    """The series' domain kind: declared in the bundle, else the documented inference rule."""
    from .domain import infer_domain

    declared = bundle.declared_domains().get(name) if bundle is not None else None
    if declared is not None:
        return declared.kind
    return infer_domain(rows["unit"].iloc[0] if len(rows) else None, rows["value"].to_numpy()).kind


def _unsupported(row):
    """Why the engine cannot assess a case as the bundle declares it ('' when it can)."""
    if row["comparator"] == "~" and pd.isna(row.get("tolerance")):
        return "comparator '~' without a tolerance (declare it under targets.tolerance in plan.yaml)"
    return ""


def _engine_case(row, bundle, settings):
    """p_trend and the projection of one case from the engine (the one engine call).

    Calls :func:`plananalysis.study.assess` with the reference-class bundle,
    the case as a one-row targets table and ``settings`` (``as_of`` and
    ``fit_start`` of the case, ``calibration="none"``: the trend alone), and
    reads ``p_trend``, ``projected_median/lo80/hi80`` and ``latest_year``
    from ``Scorecard.to_frame()``.
    """
    from .plan import TARGET_COLUMNS
    from .study import assess_trend as assess

    text = {"series_relation": "direct", "series_note": "", "baseline_qualifier": "", "baseline_note": "",
            "name_zh": "", "name_en": ""}
    rec = {c: row.get(c, np.nan) for c in TARGET_COLUMNS}
    for col, default in text.items():
        value = rec.get(col)
        rec[col] = default if value is None or pd.isna(value) or value == "" else str(value)
    rec["aggregation"] = rec["aggregation"] or "sum"
    target = pd.DataFrame([rec])
    for col in ("period_start", "period_end", "baseline_year"):
        target[col] = pd.to_numeric(target[col], errors="coerce").astype("Int64")
    out = assess(plan=bundle, settings=settings, targets=target).to_frame().iloc[0]
    return {"p_trend": float(out["p_trend"]), "projected_median": float(out["projected_median"]),
            "projected_lo80": float(out["projected_lo80"]), "projected_hi80": float(out["projected_hi80"]),
            "latest_year": out["latest_year"], "status": out["status"], "note": out["note"]}


def _agency_calls(row, rows, domain):
    """Growth-ratio (Eurostat / Open SDG) and German-rule calls at ``as_of`` (1 met, 0 not, NaN none)."""
    hist = rows[(rows["year"] <= int(row["as_of"])) & (rows["qualifier"] == "")].sort_values("year")
    if len(hist) < 2:
        return np.nan, np.nan
    y, v = hist["year"].to_numpy(), hist["value"].to_numpy()
    higher = _HIGHER.get(row["comparator"], True)
    d = 1 if higher else -1
    target, comp = float(row["target"]), row["comparator"]
    ly, lv = int(y[-1]), float(v[-1])
    horizon = int(row["target_year"]) - ly
    # flows of a cumulative target: required even flow (or even annual rate) vs latest flow
    if row["cumulative"]:
        n = int(row["period_end"]) - int(row["period_start"]) + 1
        target = 100 * (1 - (1 - target / 100) ** (1 / n)) if _aggregation(row) == "compound_decline" else target / n
        comp = ">=" if higher else "<="
        horizon = 1
    window = hist[hist["year"] >= ly - 5]
    y0, v0 = int(window["year"].iloc[0]), float(window["value"].iloc[0])
    # growth ratio: actual change per year over the last <= 5 years vs required per year
    additive = domain == "rate" or v0 <= 0 or lv <= 0 or target <= 0
    tol = row.get("tolerance")
    tol = np.nan if tol is None or pd.isna(tol) else float(tol)
    if row["comparator"] == "~":  # within the tolerance now = achieved (NaN without a tolerance)
        gr = float(abs(lv - target) <= tol) if np.isfinite(tol) else np.nan
    else:
        from .comparator import satisfies

        if bool(satisfies(lv, comp, target)) and not row["cumulative"]:
            gr = 1.0  # achieved (the latest value already meets the target)
        elif y0 == ly or horizon <= 0:
            gr = np.nan
        else:
            if additive:
                actual, required = (lv - v0) / (ly - y0), (target - lv) / horizon
            else:
                actual = (lv / v0) ** (1 / (ly - y0)) - 1
                required = (target / lv) ** (1 / horizon) - 1
            if row["cumulative"]:
                ratio = lv / target if higher else target / lv
                gr = float(ratio >= 0.95)
            elif required == 0:
                gr = 1.0
            else:
                gr = float(d * actual / abs(required) >= 0.95)
    # German rule: extrapolate the mean annual change of the last 5 years (>= 4 points)
    window = hist[hist["year"] >= ly - 5]
    if len(window) < 4 or row["comparator"] == "~":
        extrapolated = lv + (lv - v0) / (ly - y0) * (int(row["target_year"]) - ly)
        de = np.nan if len(window) < 4 or not np.isfinite(tol) else float(abs(extrapolated - target) <= tol)
    else:
        slope = (lv - v0) / (ly - y0)
        if row["cumulative"]:
            n = int(row["period_end"]) - int(row["period_start"]) + 1
            flows = lv + slope * np.arange(1, n + 1)
            total = 100 * (1 - np.prod(1 - flows / 100)) if _aggregation(row) == "compound_decline" else flows.sum()
            gap, value, tgt = abs(float(row["target"])), total, float(row["target"])
        else:
            value = lv + slope * (int(row["target_year"]) - ly)
            tgt = float(row["target"])
            gap = abs(tgt - lv)
        shortfall = d * (tgt - value)
        de = float(shortfall <= 0.05 * gap)
    return gr, de


def reference_cases(directory=None, settings=None, **overrides):
    """Run the engine on every reference-class case at its ``as_of`` (whole series as fit window).

    Parameters
    ----------
    directory : str or Path, optional
        Reference-class bundle folder (see :func:`load_reference_class`).
    settings : Settings, optional
        Engine settings (``model``, ``n_paths``, ``seed``, ``strict``);
        default :data:`~plananalysis.settings.DEFAULTS` with ``n_paths`` =
        :data:`REFERENCE_N_PATHS`. Per case, ``as_of`` is the case's and
        ``fit_start`` the first year of its series; ``calibration`` is
        ``"none"`` (the trend alone).
    **overrides
        Settings to change, e.g. ``n_paths=500``.

    Returns
    -------
    DataFrame
        One row per case, columns :data:`CASE_COLUMNS`: ``case`` (the
        case id), ``plan_group`` (``source_section``), ``family`` (the
        series), ``engine`` (``assess`` / ``unsupported``),
        ``unsupported_reason``, ``p_trend``, the projection, the target,
        the features :data:`FEATURES`, the two agency calls and
        ``outcome_met`` (bool). ``attrs["engine"]`` holds the settings.

    Examples
    --------
    >>> cases = reference_cases(n_paths=500)  # doctest: +SKIP
    >>> cases.groupby("engine").size()  # doctest: +SKIP
    """
    from .bundle import load_plan
    from .settings import DEFAULTS, Settings

    settings = DEFAULTS.replace(n_paths=REFERENCE_N_PATHS) if settings is None else settings
    if not isinstance(settings, Settings):
        raise ParameterError(f"settings must be a Settings, got {type(settings).__name__}")
    settings = settings.replace(calibration="none", n_jobs=1, **overrides)
    d = Path(_reference_dir() if directory is None else directory)
    targets, series = load_reference_class(d)
    unknown = sorted(set(targets["series"]) - set(series["indicator"]))
    if unknown:
        raise DataError(f"reference class: cases map to series {unknown} missing from series.csv",
                        column="series", value=unknown[0])
    bundle = load_plan(d)
    records = []
    for _, row in targets.iterrows():
        rows = series[series["indicator"] == row["series"]].sort_values("year")
        domain = _case_domain(bundle, row["series"], rows)
        reason = _unsupported(row)
        rec = {"case": row["indicator"], "plan_group": row["source_section"], "family": row["series"],
               "target": float(row["target"]), "comparator": row["comparator"],
               "target_year": int(row["target_year"]), "as_of": int(row["as_of"]),
               "cumulative": bool(row["cumulative"]), "aggregation": _aggregation(row),
               "domain": domain, "series_relation": row.get("series_relation") or "direct",
               "outcome_met": bool(row["outcome_met"]), "unsupported_reason": reason}
        if reason:
            rec.update(engine="unsupported", p_trend=np.nan)
        else:
            case_settings = settings.replace(as_of=int(row["as_of"]), fit_start=int(rows["year"].min()))
            res = _engine_case(row, bundle, case_settings)
            rec.update(engine="assess", **{k: res[k] for k in (
                "p_trend", "projected_median", "projected_lo80", "projected_hi80", "latest_year")})
        gr, de = _agency_calls(row, rows, domain)
        rec.update(growth_ratio_call=gr, german_rule_call=de)
        records.append(rec)
    cases = pd.DataFrame(records)
    cases["latest_year"] = pd.to_numeric(cases.get("latest_year"), errors="coerce")
    feats = case_features(cases)
    for c in (*FEATURES, "is_proxy"):
        cases[c] = feats[c]
    cases = cases.reindex(columns=CASE_COLUMNS)
    cases.attrs["engine"] = {"n_paths": settings.n_paths, "seed": settings.seed, "model": settings.model,
                             "strict": settings.strict, "fit_start": "first year of each series",
                             "as_of": "each case's as_of"}
    return cases


# ---------------------------------------------------------------- features
def case_features(frame):
    """The model's features from an assessment-like table.

    Parameters
    ----------
    frame : DataFrame
        Columns ``p_trend`` (or ``p_meet`` read as the trend probability),
        ``projected_median``, ``projected_lo80``, ``projected_hi80``,
        ``target``, ``comparator``, ``target_year``, ``cumulative``, and
        ``latest_year`` (or ``as_of``); optional ``domain`` (else
        ``unit``: ``% yoy`` -> rate, ``%`` -> share, else count) and
        ``series_relation`` (or ``relation``; ``proxy`` sets ``is_proxy``).

    Returns
    -------
    DataFrame
        :data:`FEATURES` plus ``is_proxy`` (0/1), same index.

    Raises
    ------
    ParameterError
        A required column is missing, or a comparator is unknown.

    Examples
    --------
    >>> f = case_features(pd.DataFrame([{"p_trend": 0.5, "projected_median": 10.0,
    ...     "projected_lo80": 8.0, "projected_hi80": 12.0, "target": 11.0, "comparator": ">=",
    ...     "target_year": 2025, "latest_year": 2024, "cumulative": False, "domain": "rate"}]))
    >>> round(float(f["ambition"].iloc[0]), 3), float(f["is_rate"].iloc[0]), float(f["lp_trend"].iloc[0])
    (0.641, 1.0, 0.0)
    """
    frame = pd.DataFrame(frame)
    if "p_trend" not in frame and "p_meet" in frame:
        frame = frame.assign(p_trend=frame["p_meet"])
    year = "latest_year" if "latest_year" in frame else "as_of"
    need = ["p_trend", "projected_median", "projected_lo80", "projected_hi80", "target", "comparator",
            "target_year", "cumulative", year]
    missing = [c for c in need if c not in frame]
    if missing:
        raise ParameterError(f"calibration features need columns {missing} (an assess() table or "
                             "reference_cases() output)")
    comps = frame["comparator"].astype(str)
    bad = sorted(set(comps) - set(_HIGHER) - {"~"})
    if bad:
        raise ParameterError(f"calibration: unknown comparator {bad[0]!r}; expected one of >, >=, <, <=, ~")
    p = pd.to_numeric(frame["p_trend"], errors="coerce").astype(float)
    if ((p < 0) | (p > 1)).any():
        raise ParameterError("calibration: p_trend must be a probability in [0, 1]")
    pc = p.clip(P_CLIP, 1 - P_CLIP)
    med = pd.to_numeric(frame["projected_median"], errors="coerce").astype(float)
    sd = (pd.to_numeric(frame["projected_hi80"], errors="coerce")
          - pd.to_numeric(frame["projected_lo80"], errors="coerce")).astype(float) / (2 * Z80)
    sd = sd.where(sd > 0, np.nan)
    tgt = frame["target"].astype(float)
    sign = comps.map(lambda c: 1.0 if _HIGHER.get(c, True) else -1.0)
    amb = np.where(comps == "~", (tgt - med).abs() / sd, sign * (tgt - med) / sd)
    # zero spread (a degenerate projection): ambition follows the sign of the gap
    amb = pd.Series(amb, index=frame.index).fillna(np.sign(sign * (tgt - med)) * AMBITION_CLIP)
    horizon = (frame["target_year"].astype(float) - pd.to_numeric(frame[year], errors="coerce")).clip(lower=1)
    if "domain" in frame:
        dom = frame["domain"].astype(str)
    else:
        unit = frame.get("unit", pd.Series("", index=frame.index)).astype(str)
        dom = unit.map(lambda u: "rate" if "yoy" in u.lower() else ("share" if u.strip() == "%" else "count"))
    rel = frame["series_relation"] if "series_relation" in frame else \
        frame.get("relation", pd.Series("", index=frame.index))  # Scorecard.to_frame() calls it 'relation'
    rel = rel.fillna("").astype(str)
    out = pd.DataFrame({
        "lp_trend": np.log(pc / (1 - pc)),
        "ambition": amb.clip(-AMBITION_CLIP, AMBITION_CLIP),
        "log_horizon": np.log(horizon),
        "is_cumulative": frame["cumulative"].astype(bool).astype(float),
        "is_rate": (dom == "rate").astype(float),
        "is_share": (dom == "share").astype(float),
        "is_cap": comps.isin(["<", "<="]).astype(float),
        "is_proxy": (rel == "proxy").astype(float),
    }, index=frame.index)
    return out


# ---------------------------------------------------------------- the model
def _logit(p):
    return np.log(p / (1 - p))


def _expit(z):
    return 1 / (1 + np.exp(-z))


@dataclass
class CalibrationModel:
    """A fitted calibration (see the module docstring for the model).

    Attributes
    ----------
    coefficients : DataFrame
        Index ``intercept`` and :data:`FEATURES`; columns ``estimate``
        (standardised scale), ``boot_lo``, ``boot_hi`` (95% bootstrap
        interval, plans resampled), ``mean``, ``scale`` (of the training feature).
    base_rate : float
        Share of training cases met (the proxy shrinkage target).
    n_cases, n_not_met : int
    info : dict
        Prior, penalty, bootstrap size, cases used, engine settings.
    """

    coefficients: pd.DataFrame
    base_rate: float
    n_cases: int
    n_not_met: int
    info: dict = field(default_factory=dict)

    @property
    def features(self) -> tuple:
        """The model's features (the coefficient rows after the intercept)."""
        return tuple(i for i in self.coefficients.index if i != "intercept")

    def linear_parts(self, features):
        """Trend part, reference-class part and total logit for a :func:`case_features` frame.

        On the raw feature scale: the trend part is ``sum b_j x_j`` over the
        trend features (zero when the trend is neutral: ``p_trend = 0.5``,
        target at the median projection); the rest is the intercept and the
        kind-of-target terms.
        """
        c, names = self.coefficients, list(self.features)
        rows = c.loc[names]
        slope = rows["estimate"].to_numpy(dtype=float) / rows["scale"].to_numpy(dtype=float)  # per raw unit
        intercept = float(c.at["intercept", "estimate"]) - float(slope @ rows["mean"].to_numpy(dtype=float))
        contrib = features[names].to_numpy(dtype=float) * slope
        is_trend = np.array([f in TREND_FEATURES for f in names])
        # a missing feature contributes nothing (rows without p_trend are masked by predict)
        trend = pd.Series(np.nansum(contrib[:, is_trend], axis=1), index=features.index)
        rest = pd.Series(np.nansum(contrib[:, ~is_trend], axis=1) + intercept, index=features.index)
        return trend, rest, trend + rest

    def predict(self, frame, proxy=True):
        """Calibrated P(met) for an assessment-like frame (see :func:`case_features`).

        Parameters
        ----------
        frame : DataFrame
            :func:`case_features` input (or its output, when it already has
            the :data:`FEATURES` columns).
        proxy : bool
            Apply the proxy shrinkage to rows whose series is a proxy.

        Returns
        -------
        Series
            ``p_meet`` (NaN where ``p_trend`` is NaN), same index.
        """
        feats = frame if set(FEATURES) <= set(frame.columns) and "is_proxy" in frame else case_features(frame)
        _, _, eta = self.linear_parts(feats)
        if proxy:
            w = PROXY_SHRINK * feats["is_proxy"]
            eta = (1 - w) * eta + w * _logit(self.base_rate)
        p = pd.Series(_expit(eta.to_numpy(dtype=float)), index=feats.index, name="p_meet")
        return p.where(feats["lp_trend"].notna())

    def to_json(self):
        """The model as a JSON string (stable key order, rounded to 10 digits)."""
        c = self.coefficients.round(10)
        doc = {"model": "calibration.logistic_map_v1", "features": list(self.features),
               "base_rate": round(self.base_rate, 10), "n_cases": self.n_cases,
               "n_not_met": self.n_not_met, "info": self.info,
               "coefficients": {k: {col: (None if pd.isna(v) else float(v)) for col, v in row.items()}
                                for k, row in c.iterrows()}}
        return json.dumps(doc, indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text):
        """Read :meth:`to_json` output; raises ParameterError when it is not a calibration."""
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParameterError(f"calibration file is not JSON: {exc}") from exc
        if not isinstance(doc, dict) or doc.get("model") != "calibration.logistic_map_v1":
            raise ParameterError("calibration file: not a calibration.logistic_map_v1 model")
        feats = doc.get("features")
        if not isinstance(feats, list) or not feats or not set(feats) <= set(FEATURES):
            raise ParameterError(f"calibration file: features {feats} are not a subset of "
                                 f"{list(FEATURES)}; refit with `python -m plananalysis.calibration refit`")
        coefs = pd.DataFrame(doc["coefficients"]).T.astype(float)
        if list(coefs.index) != ["intercept", *feats]:
            raise ParameterError("calibration file: coefficients do not match its features")
        return cls(coefs, float(doc["base_rate"]), int(doc["n_cases"]), int(doc["n_not_met"]), doc["info"])


def _fit_params(X, y, prior_sd, tol=1e-10, maxiter=100):
    """Posterior mode of a logistic regression with N(0, prior_sd^2) priors on the slopes.

    Newton-Raphson with step halving on the penalised log likelihood
    ``sum(y log p + (1-y) log(1-p)) - sum(b_j^2) / (2 prior_sd^2)`` (flat
    intercept): the optimum statsmodels' ``GLM(Binomial).fit_regularized(L1_wt=0,
    alpha=1/(n prior_sd^2))`` approaches (it stops at a gradient of about 5e-4;
    tested against it to 1e-3), about 15 times faster, which matters for the
    bootstrap and the cross-validation refits.
    """
    n, k = X.shape
    exog = np.column_stack([np.ones(n), X])
    penalty = np.r_[0.0, np.full(k, 1.0 / prior_sd ** 2)]

    def objective(b):
        eta = exog @ b
        return float(y @ eta - np.logaddexp(0.0, eta).sum() - 0.5 * penalty @ (b * b))

    b = np.zeros(k + 1)
    current = objective(b)
    for _ in range(maxiter):
        p = 0.5 * (1.0 + np.tanh(0.5 * (exog @ b)))  # the logistic function, without overflow
        grad = exog.T @ (y - p) - penalty * b
        hess = (exog * (p * (1.0 - p))[:, None]).T @ exog + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-8:
            trial = objective(b + t * step)
            if trial >= current - 1e-12:
                break
            t /= 2
        b = b + t * step
        current = trial
        if np.max(np.abs(t * step)) < tol:
            break
    return b


def _usable(cases, features=FEATURES):
    if "outcome_met" not in cases:
        raise ParameterError("calibration: cases need an 'outcome_met' column (reference_cases() output)")
    missing = [c for c in features if c not in cases]
    if missing:
        raise ParameterError(f"calibration: cases lack feature columns {missing}")
    ok = cases[list(features)].notna().all(axis=1)
    return cases[ok]


def fit_calibration(cases, prior_sd=PRIOR_SD, n_boot=N_BOOT, seed=0, features=MODEL_FEATURES):
    """Fit the calibration model on reference cases.

    Parameters
    ----------
    cases : DataFrame
        :func:`reference_cases` output (rows without a ``p_trend`` are
        skipped; ``info["cases"]`` lists the ones used).
    prior_sd : float
        Prior standard deviation of the standardised slopes.
    n_boot : int
        Bootstrap refits for the coefficient intervals (0: none); whole
        plans (``plan_group``) are resampled when the column is present.
    seed : int
        Bootstrap seed.
    features : sequence of str
        A subset of :data:`FEATURES` (default :data:`MODEL_FEATURES`;
        ``FEATURES`` gives the full model).

    Returns
    -------
    CalibrationModel

    Raises
    ------
    ParameterError
        Fewer than 10 usable cases, or all of one outcome.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> toy = pd.DataFrame({f: rng.normal(size=40) for f in FEATURES})
    >>> toy["outcome_met"] = toy["lp_trend"] + rng.normal(size=40) > 0
    >>> m = fit_calibration(toy, n_boot=0, features=FEATURES)
    >>> bool(m.coefficients.loc["lp_trend", "estimate"] > 0)
    True
    """
    features = tuple(features)
    if not features or not set(features) <= set(FEATURES):
        raise ParameterError(f"features must be a non-empty subset of {list(FEATURES)}, got {list(features)}")
    data = _usable(cases, features)
    y = data["outcome_met"].astype(bool).to_numpy().astype(float)
    if len(y) < 10 or y.min() == y.max():
        raise ParameterError(f"calibration needs at least 10 cases with both outcomes; got {len(y)} "
                             f"cases, {int(y.sum())} met")
    if not prior_sd > 0:
        raise ParameterError(f"prior_sd must be positive, got {prior_sd!r}")
    raw = data[list(features)].to_numpy(dtype=float)
    mean = raw.mean(axis=0)
    scale = raw.std(axis=0)
    scale[scale == 0] = 1.0
    X = (raw - mean) / scale
    est = _fit_params(X, y, prior_sd)
    boot = np.full((n_boot, len(est)), np.nan)
    clusters = data["plan_group"] if "plan_group" in data else pd.Series(range(len(y)))
    for b, idx in enumerate(_boot_indices(clusters, n_boot, np.random.default_rng(seed))):
        if y[idx].min() == y[idx].max():
            continue
        boot[b] = _fit_params(X[idx], y[idx], prior_sd)
    names = ["intercept", *features]
    coefs = pd.DataFrame({"estimate": est}, index=names)
    if n_boot:
        coefs["boot_lo"] = np.nanquantile(boot, 0.025, axis=0)
        coefs["boot_hi"] = np.nanquantile(boot, 0.975, axis=0)
    else:
        coefs["boot_lo"] = coefs["boot_hi"] = np.nan
    coefs["mean"] = np.r_[0.0, mean]
    coefs["scale"] = np.r_[1.0, scale]
    info = {"prior": f"N(0, {prior_sd:g}^2) on standardised slopes, flat intercept",
            "fit": "posterior mode by Newton-Raphson (the optimum of statsmodels GLM(Binomial).fit_regularized(L1_wt=0, alpha=1/(n*prior_sd^2)))",
            "n_boot": int(n_boot), "boot_seed": int(seed), "engine": dict(cases.attrs.get("engine", {})),
            "cases": [str(c) for c in data.get("case", pd.Series(range(len(data)))).tolist()]}
    return CalibrationModel(coefs, float(y.mean()), int(len(y)), int((y == 0).sum()), info)


def load_calibration(path=None):
    """The stored calibration (written by ``python -m plananalysis.calibration refit``).

    Examples
    --------
    >>> load_calibration().n_cases
    74
    """
    path = STORED if path is None else Path(path)
    if not path.is_file():
        raise ParameterError(f"no stored calibration at {path}; run `python -m plananalysis.calibration refit`")
    stat = path.stat()
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _load_cached(path, mtime_ns, size):  # keyed by file stamp: a refit is picked up at once
    return CalibrationModel.from_json(Path(path).read_text(encoding="utf-8"))


def apply_calibration(frame, calibration="reference_class", model=None):
    """The engine hook: add ``p_trend``, calibrated ``p_meet`` and the decomposition to a scorecard.

    Parameters
    ----------
    frame : DataFrame
        An assessment table whose ``p_meet`` (or ``p_trend``) is the trend
        probability, with the columns :func:`case_features` needs and
        ``status`` (optional: ``met`` / ``not met`` keep their 0/1).
    calibration : {"reference_class", "none"} or Settings
        ``Settings.calibration`` (or the Settings object itself); ``"none"``
        returns ``p_meet == p_trend``.
    model : CalibrationModel, optional
        Default: :func:`load_calibration`.

    Returns
    -------
    DataFrame
        A copy with ``p_trend``, ``p_meet``, ``calibration_method``,
        ``logit_trend_part``, ``logit_class_part``, ``trend_share`` and
        ``proxy``.

    Examples
    --------
    >>> t = pd.DataFrame([{"p_meet": 0.2, "projected_median": 1.0, "projected_lo80": 0.5,
    ...     "projected_hi80": 1.5, "target": 1.2, "comparator": ">=", "target_year": 2025,
    ...     "latest_year": 2024, "cumulative": False, "unit": "%", "status": "off track"}])
    >>> apply_calibration(t, "none")[["p_trend", "p_meet"]].values.tolist()
    [[0.2, 0.2]]
    """
    from .settings import CALIBRATIONS, Settings

    if isinstance(calibration, Settings):
        calibration = calibration.calibration
    if calibration not in CALIBRATIONS:
        raise ParameterError(f"calibration must be one of {', '.join(CALIBRATIONS)}, got {calibration!r}")
    out = pd.DataFrame(frame).copy()
    if "p_trend" not in out:
        if "p_meet" not in out:
            raise ParameterError("apply_calibration needs a 'p_meet' or 'p_trend' column")
        out["p_trend"] = out["p_meet"]
    feats = case_features(out)
    out["proxy"] = feats["is_proxy"].astype(bool)
    if calibration == "none":
        out["p_meet"] = out["p_trend"]
        out["calibration_method"] = "none (trend paths)"
        out["logit_trend_part"] = out["logit_class_part"] = np.nan
        out["trend_share"] = 1.0
        return out
    model = load_calibration() if model is None else model
    trend, rest, _ = model.linear_parts(feats)
    w = PROXY_SHRINK * feats["is_proxy"]  # a proxy's shrinkage scales the trend part, adds to the rest
    trend, rest = (1 - w) * trend, (1 - w) * rest + w * _logit(model.base_rate)
    p = model.predict(feats)
    decided = out.get("status", pd.Series("", index=out.index)).isin(["met", "not met", "not_met"])
    out["p_meet"] = p.where(~decided, out["p_trend"])
    method = np.where(out["proxy"], f"reference_class (proxy: logit shrunk {PROXY_SHRINK:.0%} to base rate)",
                      "reference_class")
    out["calibration_method"] = np.where(decided, "observed outcome",
                                         np.where(p.isna(), "none (no trend probability)", method))
    out["logit_trend_part"] = trend.where(~decided & p.notna())
    out["logit_class_part"] = rest.where(~decided & p.notna())
    denom = trend.abs() + rest.abs()
    out["trend_share"] = (trend.abs() / denom.where(denom > 0)).where(~decided & p.notna())
    return out


def _model_for(st):
    """The plan bundle's calibration file when it declares one, else the stored reference-class fit."""
    plan = getattr(st, "plan", None)
    path = plan.path("calibration") if plan is not None else None
    return load_calibration(path)


def calibrate_assessments(assessments, st):
    """Apply the calibration to the engine's assessments: the final assessments with ``p_meet``.

    Called by :func:`plananalysis.api.assess` after the study. Builds the
    table :func:`apply_calibration` needs from each
    :class:`~plananalysis.results.Assessment` (``p_trend``, ``projection``
    median/lo80/hi80, the target's comparator, target, target year,
    cumulative flag and ``series_relation``, ``latest[0]``,
    ``domain.kind``, ``status``) and returns each assessment finalized
    (:func:`plananalysis.engine.finalize`) with its ``p_meet``,
    ``trend_share`` and a ``calibration`` reason saying how the probability
    was made. ``settings.calibration == "none"``: ``p_meet = p_trend``.

    Parameters
    ----------
    assessments : list of Assessment
        As :func:`plananalysis.study.run_engine` returns them.
    st : Study
        Its ``settings`` and ``plan`` (a bundle may declare
        ``calibration: FILE``; default :data:`STORED`).

    Returns
    -------
    list of Assessment
    """
    s = st.settings
    method = s.calibration
    if method == "none" or not assessments:
        return [finalize(a, a.p_trend, "none", s) for a in assessments]
    try:
        model = _model_for(st)
    except ParameterError as exc:  # e.g. a wheel built without the JSON file: say so, do not guess
        why = ((ReasonCode.CALIBRATION, f"no calibration model available ({exc}): p_meet is p_trend"),)
        return [finalize(a, a.p_trend, "none", s, reasons=why) for a in assessments]
    rows = []
    for a in assessments:
        t, p = a.target, a.projection or {}
        rows.append({"p_trend": a.p_trend, "projected_median": p.get("median", np.nan),
                     "projected_lo80": p.get("lo80", np.nan), "projected_hi80": p.get("hi80", np.nan),
                     "target": t.value, "comparator": t.comparator, "target_year": t.target_year,
                     "cumulative": t.cumulative,
                     "latest_year": a.latest[0] if a.latest[0] is not None else np.nan,
                     "domain": "" if a.domain is None else a.domain.kind,
                     "series_relation": t.series_relation, "status": a.status.value})
    out = apply_calibration(pd.DataFrame(rows), method, model)
    final = []
    for a, (_, r) in zip(assessments, out.iterrows()):
        share = float(r["trend_share"]) if pd.notna(r["trend_share"]) else np.nan
        why = ()
        if pd.notna(r["p_meet"]) and r["calibration_method"] != "observed outcome":
            why = ((ReasonCode.CALIBRATION,
                    f"P(meet) {r['p_meet']:.3f} calibrated on past plan targets ({r['calibration_method']}) from "
                    f"the trend's {r['p_trend']:.3f}; the trend carries {r['trend_share']:.0%} of the answer"),)
        final.append(finalize(a, r["p_meet"], method, s, trend_share=share, reasons=why))
    return final


# ---------------------------------------------------------------- evaluation
#: Cross-validation schemes of :func:`cv_predictions`.
SCHEMES = ("plan", "family", "time")
#: The forward-in-time scheme needs this many training cases (with both outcomes) before a fold is scored.
MIN_TRAIN_TIME = 20


def _folds(cases, scheme):
    """(fold name, test mask, train mask) for each fold of a scheme."""
    if scheme not in SCHEMES:
        raise ParameterError(f"scheme must be one of {', '.join(SCHEMES)}, got {scheme!r}")
    if scheme == "time":
        # stand at each case's as_of: learn only from cases whose outcome year is <= as_of
        for year in sorted(cases["as_of"].astype(int).unique()):
            test = cases["as_of"].astype(int) == year
            train = cases["target_year"].astype(int) <= year
            y = cases.loc[train, "outcome_met"].astype(bool)
            if train.sum() >= MIN_TRAIN_TIME and y.nunique() == 2:
                yield str(year), test, train
        return
    groups = cases["plan_group" if scheme == "plan" else "family"].astype(str)
    for g in sorted(groups.unique()):
        yield g, groups == g, groups != g


def _call_prob(train_calls, train_y, test_calls):
    """An agency call as a probability: 1/0, missing calls get the training base rate."""
    p = test_calls.astype(float)
    return p.fillna(float(train_y.mean()))


def cv_predictions(cases, scheme="plan", prior_sd=PRIOR_SD, fit=None):
    """Out-of-sample predictions of every method, one fold per plan (or family).

    Parameters
    ----------
    cases : DataFrame
        :func:`reference_cases` output; rows without ``p_trend`` are dropped.
    scheme : {"plan", "family", "time"}
        ``plan``: every case of one ``plan_group`` out together;
        ``family``: every case of one indicator family (series);
        ``time``: forward in time, what could have been said then: the
        cases of one ``as_of`` year are predicted from the cases whose
        target year is at most that year (outcome known); years with fewer
        than :data:`MIN_TRAIN_TIME` such cases (or one outcome only) are not
        scored, so ``time`` scores fewer cases.
    prior_sd : float
        As in :func:`fit_calibration`.
    fit : callable, optional
        ``fit(train_cases) -> CalibrationModel`` for the ``calibrated``
        column (default :func:`fit_calibration` without bootstrap); tests
        pass a spy here. ``full_model`` always refits all :data:`FEATURES`.

    Returns
    -------
    DataFrame
        ``case, fold, outcome_met`` and one column per :data:`METHODS`.
    """
    data = _usable(cases).copy()
    fit = fit or (lambda train: fit_calibration(train, prior_sd=prior_sd, n_boot=0))
    rows = []
    for g, test_mask, train_mask in _folds(data, scheme):
        test, train = data[test_mask], data[train_mask]
        ty = train["outcome_met"].astype(bool)
        model = fit(train)
        base = float(ty.mean())
        rows.append(pd.DataFrame({
            "case": test["case"], "fold": g, "outcome_met": test["outcome_met"].astype(bool),
            "calibrated": model.predict(test[[*FEATURES, "is_proxy"]]),
            "full_model": fit_calibration(train, prior_sd=prior_sd, n_boot=0, features=FEATURES).predict(
                test[[*FEATURES, "is_proxy"]]),
            "always_met": 1.0, "base_rate": base,
            "p_trend": test["p_trend"].astype(float),
            "growth_ratio_call": _call_prob(train["growth_ratio_call"], ty, test["growth_ratio_call"]),
            "german_rule_call": _call_prob(train["german_rule_call"], ty, test["german_rule_call"]),
        }))
    return pd.concat(rows).reset_index(drop=True)


def _cluster_draws(clusters, n_boot, rng):
    """Cluster code of each case, and ``n_boot`` rows of clusters drawn with replacement."""
    codes, uniq = pd.factorize(pd.Series(clusters).astype(str))
    return codes, rng.integers(0, len(uniq), (n_boot, len(uniq)))


def _boot_indices(clusters, n_boot, rng):
    """Case indices of ``n_boot`` cluster-bootstrap samples: whole clusters drawn with replacement."""
    codes, draws = _cluster_draws(clusters, n_boot, rng)
    members = [np.flatnonzero(codes == k) for k in range(draws.shape[1])]
    return [np.concatenate([members[k] for k in row]) for row in draws]


def _boot_weights(clusters, n_boot, rng):
    """How often each case occurs in each of ``n_boot`` cluster-bootstrap samples.

    The same draws as :func:`_boot_indices`, as an ``(n_boot, n_cases)``
    count matrix, so a resampled mean is one matrix product instead of a
    Python loop over samples.
    """
    codes, draws = _cluster_draws(clusters, n_boot, rng)
    counts = np.zeros(draws.shape)
    np.add.at(counts, (np.repeat(np.arange(n_boot), draws.shape[1]), draws.ravel()), 1.0)
    return counts[:, codes]


def _scores(p, y, weights=None):
    """Brier score and log loss of ``p`` against ``y``; with ``weights``, one pair per weight row."""
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    pc = np.clip(p, LOGLOSS_CLIP, 1 - LOGLOSS_CLIP)
    sq = (p - y) ** 2
    ll = -(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    if weights is None:
        return float(np.mean(sq)), float(np.mean(ll))
    total = weights.sum(axis=1)
    return (weights @ sq) / total, (weights @ ll) / total


def score_table(preds, n_boot=2000, seed=0):
    """Brier, log loss (with cluster-bootstrap 95% intervals) and sharpness per method.

    The intervals resample the held-out units of the cross-validation (the
    ``fold`` column: plans, families or years) with replacement, because the
    cases of one plan or year share shocks; without a ``fold`` column, cases.

    Parameters
    ----------
    preds : DataFrame
        :func:`cv_predictions` output.
    n_boot : int
        Bootstrap resamples.
    seed : int

    Returns
    -------
    DataFrame
        Index :data:`METHODS`; columns ``brier, brier_lo, brier_hi,
        logloss, logloss_lo, logloss_hi, sharpness`` (standard deviation of
        the predictions), ``n``.

    Examples
    --------
    >>> preds = pd.DataFrame({"outcome_met": [True, False], **{m: [0.9, 0.2] for m in METHODS}})
    >>> round(float(score_table(preds, n_boot=10).loc["calibrated", "brier"]), 3)
    0.025
    """
    y = preds["outcome_met"].astype(float).to_numpy()
    clusters = preds["fold"] if "fold" in preds else pd.Series(range(len(y)))
    weights = _boot_weights(clusters, n_boot, np.random.default_rng(seed))
    out = {}
    for m in METHODS:
        p = preds[m].to_numpy(dtype=float)
        b, ll = _scores(p, y)
        bb, bl = _scores(p, y, weights)
        out[m] = {"brier": b, "brier_lo": np.quantile(bb, 0.025),
                  "brier_hi": np.quantile(bb, 0.975), "logloss": ll,
                  "logloss_lo": np.quantile(bl, 0.025), "logloss_hi": np.quantile(bl, 0.975),
                  "sharpness": float(np.std(p)), "n": len(y)}
    return pd.DataFrame(out).T.astype(float).astype({"n": int})


def paired_differences(preds, n_boot=2000, seed=0, method="calibrated"):
    """Score of ``method`` minus each baseline's, with paired cluster-bootstrap 95% intervals.

    Negative = ``method`` is better. The same resampled units (the
    ``fold`` clusters, as in :func:`score_table`) score both methods, so the
    interval reflects the difference, not two separate uncertainties.

    Returns
    -------
    DataFrame
        Index: the other :data:`METHODS`; columns ``brier_diff, brier_diff_lo,
        brier_diff_hi, logloss_diff, logloss_diff_lo, logloss_diff_hi``.

    Examples
    --------
    >>> preds = pd.DataFrame({"outcome_met": [True, False], **{m: [0.9, 0.2] for m in METHODS}})
    >>> float(paired_differences(preds, n_boot=10).loc["p_trend", "brier_diff"])
    0.0
    """
    y = preds["outcome_met"].astype(float).to_numpy()
    clusters = preds["fold"] if "fold" in preds else pd.Series(range(len(y)))
    weights = _boot_weights(clusters, n_boot, np.random.default_rng(seed))
    q = preds[method].to_numpy(dtype=float)
    mb, ml = _scores(q, y)
    mine_b, mine_l = _scores(q, y, weights)
    out = {}
    for m in METHODS:
        if m == method:
            continue
        p = preds[m].to_numpy(dtype=float)
        ob, ol = _scores(p, y)
        other_b, other_l = _scores(p, y, weights)
        db, dl = mine_b - other_b, mine_l - other_l
        out[m] = {"brier_diff": mb - ob, "brier_diff_lo": np.quantile(db, 0.025),
                  "brier_diff_hi": np.quantile(db, 0.975), "logloss_diff": ml - ol,
                  "logloss_diff_lo": np.quantile(dl, 0.025), "logloss_diff_hi": np.quantile(dl, 0.975)}
    return pd.DataFrame(out).T.astype(float)


def reliability_table(preds, method="calibrated", bins=(0, 0.5, 0.7, 0.8, 0.9, 1.0)):
    """Binned predicted vs observed frequency of one method.

    Returns
    -------
    DataFrame
        ``bin, n, mean_predicted, observed`` (share met), one row per
        non-empty bin.

    Examples
    --------
    >>> preds = pd.DataFrame({"outcome_met": [True, False, True], "calibrated": [0.95, 0.3, 0.85]})
    >>> reliability_table(preds)["n"].tolist()
    [1, 1, 1]
    """
    if method not in preds:
        raise ParameterError(f"reliability_table: no method {method!r}; have {list(preds.columns)}")
    p = preds[method].astype(float)
    cut = pd.cut(p, list(bins), include_lowest=True)
    t = pd.DataFrame({"bin": cut, "p": p, "y": preds["outcome_met"].astype(float)})
    g = t.groupby("bin", observed=True)
    out = pd.DataFrame({"n": g.size(), "mean_predicted": g["p"].mean(), "observed": g["y"].mean()})
    return out.reset_index().assign(bin=lambda d: d["bin"].astype(str))


def evaluate(cases, scheme="plan", n_boot=2000, seed=0, prior_sd=PRIOR_SD):
    """Cross-validated scores of the calibration and every baseline.

    Parameters
    ----------
    cases : DataFrame
        :func:`reference_cases` output.
    scheme : {"plan", "family", "time"}
        Leave-one-plan-out, leave-one-indicator-family-out, or forward in
        time (see :func:`cv_predictions`).
    n_boot, seed
        Bootstrap of the scores.
    prior_sd : float
        As in :func:`fit_calibration`.

    Returns
    -------
    dict
        ``scores`` (:func:`score_table`), ``differences``
        (:func:`paired_differences`, calibrated minus each baseline), ``reliability``
        (:func:`reliability_table` of the calibrated model), ``predictions``
        (:func:`cv_predictions`), ``scheme``.

    Examples
    --------
    >>> result = evaluate(reference_cases(n_paths=500), "plan")  # doctest: +SKIP
    >>> result["scores"][["brier", "logloss"]]  # doctest: +SKIP
    """
    preds = cv_predictions(cases, scheme, prior_sd=prior_sd)
    return {"scheme": scheme, "predictions": preds, "scores": score_table(preds, n_boot, seed),
            "differences": paired_differences(preds, n_boot, seed),
            "reliability": reliability_table(preds)}


# ---------------------------------------------------------------- similar cases
def similar_cases(frame, cases, k=3):
    """For each target, the ``k`` most similar past targets and their outcomes.

    Similarity is Euclidean distance on all :data:`FEATURES` (trend
    probability, ambition, horizon and kind of target), each standardised by
    its mean and standard deviation over the reference cases.

    Parameters
    ----------
    frame : DataFrame
        Targets to explain (an assess-like table, see :func:`case_features`),
        with an ``indicator`` column.
    cases : DataFrame
        :func:`reference_cases` output.
    k : int

    Returns
    -------
    DataFrame
        ``indicator, rank, case, plan_group, distance, p_trend, outcome_met``.
    """
    f = case_features(frame)
    ref = _usable(cases)
    mean, scale = ref[list(FEATURES)].mean(), ref[list(FEATURES)].std(ddof=0).replace(0, 1.0)
    a = ((f[list(FEATURES)] - mean) / scale).to_numpy(dtype=float)
    b = ((ref[list(FEATURES)] - mean) / scale).to_numpy(dtype=float)
    rows = []
    names = frame["indicator"].tolist() if "indicator" in frame else list(frame.index)
    for i, name in enumerate(names):
        if np.isnan(a[i]).any():
            continue
        dist = np.sqrt(((b - a[i]) ** 2).sum(axis=1))
        for rank, j in enumerate(np.argsort(dist, kind="stable")[:k], start=1):
            r = ref.iloc[j]
            rows.append({"indicator": name, "rank": rank, "case": r["case"], "plan_group": r["plan_group"],
                         "distance": float(dist[j]), "p_trend": float(r["p_trend"]),
                         "outcome_met": bool(r["outcome_met"])})
    return pd.DataFrame(rows, columns=["indicator", "rank", "case", "plan_group", "distance", "p_trend",
                                       "outcome_met"])


# ---------------------------------------------------------------- plots (move to plots.py)
def plot_reliability(result, methods=("calibrated", "p_trend", "base_rate"), ax=None, lang="en"):
    """Reliability diagram of cross-validated predictions (an :func:`evaluate` result).

    ``lang="zh"`` labels it in Chinese (with a CJK font; see :mod:`plananalysis.plots`).
    Method names stay codes: they name the rows of the score table.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from .plots import _apply_font, _labels

    lab, font = _labels(lang)
    ax = ax or plt.subplots(figsize=(5, 5))[1]
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label=lab["perfect"])
    for m in methods:
        t = reliability_table(result["predictions"], m)
        ax.plot(t["mean_predicted"], t["observed"], marker="o", label=m)
        for _, r in t.iterrows():
            ax.annotate(str(int(r["n"])), (r["mean_predicted"], r["observed"]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")
    ax.set(xlim=(0, 1), ylim=(0, 1.02), xlabel=lab["predicted"], ylabel=lab["observed_share"],
           title=f"{lab['reliability']}: {lab['scheme_' + result['scheme']]}")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(fontsize=8)
    _apply_font(ax, font)
    return ax


def plot_coefficients(model, ax=None, lang="en"):
    """Coefficients (standardised) with their bootstrap 95% intervals (labels in ``lang``)."""
    import matplotlib.pyplot as plt

    from .plots import _apply_font, _labels

    lab, font = _labels(lang)
    c = model.coefficients
    ax = ax or plt.subplots(figsize=(6, 3.5))[1]
    ys = np.arange(len(c))[::-1]
    ax.errorbar(c["estimate"], ys, xerr=[c["estimate"] - c["boot_lo"], c["boot_hi"] - c["estimate"]],
                fmt="o", capsize=3)
    ax.axvline(0, color="grey", lw=1)
    ax.set_yticks(ys, c.index)
    ax.set(xlabel=lab["coef_axis"], title=lab["coefficients"])
    _apply_font(ax, font)
    return ax


# ---------------------------------------------------------------- command line
def _print_cv(cases, n_boot, out=sys.stdout, prior_sd=PRIOR_SD):
    print(f"calibration: prior sd {prior_sd:g} on the standardised slopes", file=out)
    for scheme in SCHEMES:
        res = evaluate(cases, scheme, n_boot=n_boot, prior_sd=prior_sd)
        s = res["scores"]
        label = "forward in time" if scheme == "time" else f"leave-one-{scheme}-out"
        print(f"\n{label} ({int(s['n'].iloc[0])} cases, "
              f"{res['predictions']['fold'].nunique()} folds)", file=out)
        for m, r in s.iterrows():
            print(f"  {m:<18} Brier {r['brier']:.3f} [{r['brier_lo']:.3f}, {r['brier_hi']:.3f}]  "
                  f"log loss {r['logloss']:.3f} [{r['logloss_lo']:.3f}, {r['logloss_hi']:.3f}]  "
                  f"sharpness {r['sharpness']:.3f}", file=out)
        print("  calibrated minus baseline (paired bootstrap 95%; negative = calibrated better):", file=out)
        for m, r in res["differences"].iterrows():
            print(f"    vs {m:<18} Brier {r['brier_diff']:+.3f} [{r['brier_diff_lo']:+.3f}, "
                  f"{r['brier_diff_hi']:+.3f}]  log loss {r['logloss_diff']:+.3f} "
                  f"[{r['logloss_diff_lo']:+.3f}, {r['logloss_diff_hi']:+.3f}]", file=out)
        print("  reliability (calibrated):", file=out)
        print(res["reliability"].to_string(index=False, float_format=lambda x: f"{x:.3f}"), file=out)


def main(argv=None):
    """``python -m plananalysis.calibration {refit,evaluate,coefficients} [--n-boot N]``.

    ``refit`` rewrites the stored coefficients from the bundled reference
    class (the only command that writes them); ``evaluate`` prints the
    cross-validation table of both schemes; ``coefficients`` prints the
    stored model.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m plananalysis.calibration")
    parser.add_argument("command", choices=["refit", "evaluate", "coefficients"])
    parser.add_argument("--n-boot", type=int, default=2000)
    parser.add_argument("--prior-sd", type=float, default=PRIOR_SD,
                        help=f"prior sd of the standardised slopes (evaluate only; default {PRIOR_SD:g}, "
                             "the stored model's)")
    args = parser.parse_args(argv)
    if args.command == "coefficients":
        m = load_calibration()
        print(f"{m.n_cases} cases, {m.n_not_met} not met, base rate {m.base_rate:.3f}")
        print(m.coefficients.to_string(float_format=lambda x: f"{x:.3f}"))
        return 0
    t0 = time.perf_counter()
    cases = reference_cases()
    print(f"reference cases: {len(cases)} ({cases['engine'].value_counts().to_dict()}), "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.command == "refit":
        model = fit_calibration(cases)
        STORED.write_text(model.to_json(), encoding="utf-8")
        STORED_CASES.write_text(cases_to_csv(cases), encoding="utf-8")
        print(f"wrote {STORED} and {STORED_CASES.name}")
        print(model.coefficients.to_string(float_format=lambda x: f"{x:.3f}"))
        return 0
    _print_cv(cases, args.n_boot, prior_sd=args.prior_sd)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
