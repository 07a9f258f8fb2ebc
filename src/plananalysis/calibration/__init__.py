"""Calibrated P(target met): a small logistic model learned from past plan targets.

The forecast engine gives ``p_trend``: the share of simulated trend paths
that meet the target. Chinese plan targets are not met or missed the way a
trend extrapolation says (plans pull outcomes toward the target; some
ambitious targets are missed widely), so the headline ``p_meet`` is
``p_trend`` passed through a model fitted on the *reference class*: 100
past targets of work reports, five-year plans and sector plans, each with
the history an analyst had at the time and the official outcome
(``data/raw/reference_class/``).

The model
---------
``logit P(met) = b0 + sum_j b_j * (x_j - m_j) / s_j`` over a subset of the
features :data:`FEATURES`:

``lp_trend``
    ``logit(p_trend)``, ``p_trend`` clipped to ``[1/(2n), 1 - 1/(2n)]``
    with ``n`` the number of simulated paths (:func:`clip_eps`: a finite
    Monte-Carlo share of 0 or 1 is not a certainty, but there is no fixed
    ceiling; the reference cases use :data:`REFERENCE_N_PATHS`). Where the
    clip binds the calibration reason says so.
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

Declared features (never guessed by the code)
    ``lever_direct``
        1 when the target's series is declared ``lever: direct`` (the issuing
        body controls the quantity: places, enrolment, construction,
        programme counts, subsidised training), 0 for ``outcome`` (the wider
        economy: growth rates, shares of GDP, intensities, prices,
        unemployment, mortality). Declared per series in ``plan.yaml``
        (``series.NAME.lever`` with a one-line ``lever_reason``; the reference
        class declares all 21 series) or as a ``lever`` column of a targets
        table; anything else is an error naming the file and the series (or
        row). ``unknown`` (the default) is NaN, which the model replaces by the
        training mean: the term contributes nothing, the reference class's
        average.
    ``kind_five_year``, ``kind_sector``
        The plan's declared kind (``plan.yaml`` ``kind:``; for the reference
        class ``targets.plan_kinds`` per section): five-year outline or
        sector plan against the annual work report; ``unknown`` as above.
    ``track``
        The family's track record (:mod:`~plananalysis.calibration.track`):
        the earlier cases of the declared ``family`` (a reference-class series
        id; for a reference case, its own series) whose outcome was known at
        ``as_of`` (``target_year <= as_of``) and that are outside the case's
        own plan group (plan groups merge the CAAC 2021-2022 shock, so one
        shock cannot teach its own cases; each plan group counts once),
        shrunk toward the base rate by empirical-Bayes beta-binomial
        pooling, ``(met + k b) / (n + k)``, with ``k`` pseudo-cases chosen
        by the marginal likelihood across families (empirical Bayes rather
        than a random intercept: a closed form that a new target and every
        cross-validation fold can compute from the stored cases); the
        feature is ``logit(shrunk) - logit(b)``, 0 with no family or no
        earlier outcome (the output then says "no family declared"). For a
        current plan's target the history is the stored reference cases of
        its declared family with ``target_year <= as_of``.
Model choice
    The candidates, stated before they were scored (:data:`CANDIDATES`):
    ``M0_trend`` (``lp_trend``: the two-parameter recalibration),
    ``M1_lever`` (+ ``lever_direct``), ``M2_track`` (+ ``track``),
    ``M3_lever_track`` (+ both) and ``M4_lever_track_kind`` (M3 + the two
    plan-kind indicators); ``full_model`` (the seven :data:`FEATURES`) is
    kept in every table. The rule (:func:`select_candidate`): leave-one-plan-out
    log loss with the **one-standard-error rule** -- the simplest candidate
    (first in :data:`CANDIDATES`) whose log loss is within one standard
    error (clustered by plan) of the lowest, so a richer model is chosen
    only when it is better by more than noise. Its honest score is nested:
    in every outer fold of every scheme the inner leave-one-plan-out on the
    training plans applies the rule, the pick is refit there and scored on
    the held-out fold (``calibrated`` in :func:`evaluate`, "selected
    (nested)"); the base rate, ``k`` and every track record are learnt on
    the training folds only. On the 100 cases (29 misses) the rule picks
    ``M0_trend`` (:data:`MODEL_FEATURES`, stored): leave-one-plan-out log
    loss 0.545 for M0 against 0.541 for M2 (the track record), 0.559 M1,
    0.556 M3, 0.602 M4; M2's gain is far inside one standard error. (Picking
    the plain minimum instead chose M2 in 26 of 35 outer folds and M0 in
    the rest, and that wavering scored worse out of sample, 0.194 / 0.567,
    than either model alone.) Out of sample, leave one plan out, Brier / log
    loss: selected (nested) 0.185 / 0.545 (M0 in all 35 folds), M2 0.181 /
    0.541, full_model 0.212 / 0.611, base rate 0.216 / 0.627, raw
    ``p_trend`` 0.173 / 0.535; the lead over the base rate is -0.031
    [-0.072, +0.010] (Brier). Leave one family out: 0.179 / 0.533, lead
    -0.040 [-0.086, -0.009] (clear of zero); forward in time 0.164 / 0.500.
    **The goal of issue 15 (Brier <= 0.15, log loss <= 0.48, the lead's
    interval below 0, reliability within 0.10 in bins of at least 8 cases)
    is not reached by any candidate**; reliability holds leave one plan out
    (largest gap 0.03) and leave one family out, and fails forward in time
    (the 0.5-0.7 bin: 0.59 predicted, 0.87 met). The lever is declared for
    all 21 series but only 6 of the 100 cases are ``direct`` (5 met), too
    few to learn from; the track record helps where a family has a long
    record (new urban jobs, trade growth) and is neutral elsewhere. What
    would reach the goal: more misses in more families (direct-lever misses
    above all) and outcomes of the current plan's own families. The track
    record is shown beside every current target (notebook 05, similar past
    targets) without entering its P(meet).
Proxies
    The reference class holds no target measured through a proxy, so the
    model cannot learn what a proxy costs. A target whose series is only a
    proxy (``series_relation == "proxy"``) therefore gets a documented
    penalty instead: its calibrated logit is shrunk halfway
    (:data:`PROXY_SHRINK`) toward the logit of the reference-class base rate,
    ``logit p = (1 - w) * logit p_cal + w * logit base_rate``, and its
    ``calibration_method`` says ``proxy``.
Interval of P(meet)
    Every calibrated ``p_meet`` has a 95% interval ``p_meet_lo``,
    ``p_meet_hi`` that carries both the calibration's parameter uncertainty
    and the Monte-Carlo error of ``p_trend``: the percentiles, over the
    :data:`N_BOOT` bootstrap refits over plans stored with the fit (the
    same refits as the coefficient intervals) times
    :data:`~plananalysis.calibration.model.MC_DRAWS` draws of the trend
    probability from its Monte-Carlo distribution (``Binomial(n_paths,
    p_trend) / n_paths``), of the calibrated map applied to that draw
    (:meth:`CalibrationModel.predict_interval`). With
    ``calibration="none"`` it is the Wilson interval of ``p_trend``
    (:func:`plananalysis.engine.wilson_interval`).
Trend vs reference class
    :func:`apply_calibration` splits the logit into the part carried by
    the trend terms (``lp_trend`` and ``ambition`` where the model has it,
    on their raw scale, so a neutral trend, ``p_trend = 0.5``, contributes
    nothing) and the rest (the intercept, and the kind of target in the
    full model); ``trend_share`` is ``|trend| / (|trend| + |rest|)``. With the
    stored model, ``p_trend = 0.5`` gives ``p_meet`` = expit(intercept), all
    of it from the reference class.
Observed outcomes and missing probabilities
    A target already ``met`` / ``not_met`` keeps its 1 / 0. A row without
    ``p_trend`` (insufficient data) keeps NaN: no trend, no calibration.
``calibration="none"``
    ``p_meet == p_trend`` exactly.

The coefficients are fitted once and stored in ``reference_class.json`` in
this package's folder (:data:`STORED`, with the cases in
``reference_cases.csv``) by ``plananalysis calibrate refit --out DIR``
(``make calibration`` writes the source tree's ``src/plananalysis/calibration``);
nothing refits at run time, and a test checks that the stored file equals a
fresh fit.

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
``plananalysis calibrate evaluate`` prints it (:func:`evaluation_text`).

Reference cases
---------------
:func:`reference_cases` assesses every case with the engine
(:func:`plananalysis.study.assess`) on the reference-class bundle it is
given (the shipped one, :func:`default_reference_dir`, is
``data/raw/reference_class``; its ``plan.yaml`` declares each series' domain, the
compounded energy totals, the five-year average-growth targets
(``mean_growth``: the compounded mean of the annual rates), the ``~``
tolerance of CPI 2025 and ``plan_groups``: sections that share one shock,
such as the CAAC's 2021 and 2022 targets missed together during COVID, are
one plan group, so one fold and one bootstrap cluster), at the
case's ``as_of``, with the fit window lifted to the whole series and
``calibration="none"``. A case the engine cannot read (a ``~`` target
without a tolerance, an error the engine raises, no trend probability) is
``engine="unsupported"`` with its reason and no probability, never
silently dropped.

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

Applying it
-----------
:func:`calibrate_assessments` turns each assessment's ``p_trend`` into
``p_meet`` after the study (the study never imports this package);
:func:`apply_calibration` does the same on a ``Scorecard.to_frame()`` table.

Modules
-------
``features``
    :func:`case_features` and the agency baselines (:func:`agency_calls`).
``reference``
    Reading a reference-class folder and running the engine on each case.
``track``
    The family track record: :func:`track_records`, :func:`estimate_k`, :func:`with_track`.
``model``
    :class:`CalibrationModel`, the Newton fit, :func:`fit_calibration`, the cluster bootstrap.
``store``
    The stored fit and cases: :func:`load_calibration`,
    :func:`load_reference_cases`, :func:`write_calibration`.
``apply``
    :func:`apply_calibration`, :func:`calibrate_assessments`.
``evaluation``
    Folds, :func:`cv_predictions`, scores, :func:`evaluate`.
``similar``
    :func:`similar_cases`.

Charts of the calibration are in :mod:`plananalysis.plots`
(``plot_reliability``, ``plot_coefficients``).

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

import pandas as pd  # noqa: F401  (the examples above use it)

from .apply import OBSERVED, add_track_record, apply_calibration, calibrate_assessments
from .evaluation import (GOAL, LOGLOSS_CLIP, METHODS, MIN_TRAIN_TIME, RELIABILITY_MIN_N, SCHEMES, cv_predictions,
                         evaluate, evaluation_text, goal_check, paired_differences, reliability_table, score_table,
                         select_candidate)
from .features import (ALL_FEATURES, AMBITION_CLIP, CANDIDATES, DECLARED_FEATURES, FEATURES, MODEL_FEATURES,
                       TREND_FEATURES, Z80, agency_calls, case_features, clip_eps, clipped_p)
from .track import K_GRID, estimate_k, track_records, with_track
from .model import N_BOOT, PRIOR_SD, PROXY_SHRINK, CalibrationModel, fit_calibration
from .reference import (CASE_COLUMNS, REFERENCE_N_PATHS, default_reference_dir, load_reference_class,
                        reference_cases, unsupported_reason)
from .similar import similar_cases
from .store import (STORED, STORED_CASES, STORED_NAMES, STORED_PREDICTIONS, cases_to_csv, load_calibration,
                    load_cv_predictions, load_reference_cases, write_calibration)

__all__ = [
    # features and constants
    "FEATURES", "MODEL_FEATURES", "TREND_FEATURES", "ALL_FEATURES", "DECLARED_FEATURES", "CANDIDATES", "GOAL",
    "RELIABILITY_MIN_N", "K_GRID", "AMBITION_CLIP", "Z80", "PRIOR_SD", "N_BOOT",
    "PROXY_SHRINK", "METHODS", "SCHEMES", "MIN_TRAIN_TIME", "LOGLOSS_CLIP", "REFERENCE_N_PATHS",
    "CASE_COLUMNS", "OBSERVED", "STORED", "STORED_CASES", "STORED_NAMES",
    # reference class
    "default_reference_dir", "load_reference_class", "reference_cases", "unsupported_reason",
    "load_reference_cases", "cases_to_csv",
    # features, model, stored fit
    "case_features", "track_records", "estimate_k", "with_track", "add_track_record", "clip_eps", "clipped_p", "agency_calls", "CalibrationModel", "fit_calibration", "load_calibration",
    "write_calibration", "load_cv_predictions", "STORED_PREDICTIONS",
    # applying it
    "apply_calibration", "calibrate_assessments",
    # evaluation
    "evaluate", "evaluation_text", "select_candidate", "goal_check", "cv_predictions", "score_table", "paired_differences", "reliability_table",
    "similar_cases",
]
