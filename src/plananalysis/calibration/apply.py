"""Applying the calibration: trend probability ``p_trend`` in, calibrated ``p_meet`` out.

:func:`apply_calibration` works on a table (``Scorecard.to_frame()`` or
any assessment-like frame); :func:`calibrate_assessments` on the
:class:`~plananalysis.results.Assessment` objects of a study, applied after
the study (the study never imports the calibration). A target already
observed (status ``met`` / ``not_met``) keeps its 1 / 0; a row without
``p_trend`` keeps NaN; a proxy target's logit is shrunk toward the base rate
(:data:`~plananalysis.calibration.PROXY_SHRINK`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine import finalize, wilson_interval
from ..errors import ParameterError
from ..messages import reason_message
from ..results import Reason, ReasonCode, Status
from ..settings import CALIBRATIONS, Settings
from .features import case_features, clip_eps, n_paths_of
from .model import PROXY_SHRINK, _logit
from .store import load_calibration, load_reference_cases
from .track import TRACK_COLUMNS, track_records

__all__ = ["OBSERVED", "apply_calibration", "calibrate_assessments", "add_track_record"]

#: Status codes of an observed outcome: their probability stays 1 / 0.
OBSERVED = (Status.MET.value, Status.NOT_MET.value)


def add_track_record(frame, model=None, cases=None):
    """``frame`` with its family's track record from the stored reference cases (:data:`TRACK_COLUMNS`).

    Each row's ``family`` (declared: a reference-class series id; '' or no
    column: none) is looked up in the reference cases with ``target_year <=
    as_of`` (``as_of`` column, else ``latest_year``) and shrunk with the
    model's stored base rate and ``k`` (``info["track"]``; without them the
    cases' base rate and :func:`~plananalysis.calibration.track.estimate_k`).
    ``track_note`` says what was used, or that no family was declared.

    Examples
    --------
    >>> t = add_track_record(pd.DataFrame({"family": ["zhongzhi_enrolment", ""], "as_of": [2024, 2024]}))
    >>> t["track_n"].tolist(), t["track_note"].iloc[1]
    ([1.0, 0.0], 'no family declared: track record neutral')
    """
    from .track import estimate_k
    out = pd.DataFrame(frame).copy()
    cases = load_reference_cases() if cases is None else cases
    info = (model.info.get("track") if model is not None else None) or {}
    base = float(info.get("base_rate", cases["outcome_met"].astype(float).mean()))
    k = float(info["k"]) if "k" in info else estimate_k(cases, base)
    fam = out["family"].fillna("").astype(str) if "family" in out else pd.Series("", index=out.index)
    asof = out["as_of"] if "as_of" in out else pd.Series(np.nan, index=out.index)
    if "latest_year" in out:
        asof = pd.to_numeric(asof, errors="coerce").fillna(pd.to_numeric(out["latest_year"], errors="coerce"))
    rows = pd.DataFrame({"family": fam, "as_of": asof}, index=out.index)  # no own plan group: a new plan
    t = track_records(rows, cases, base, k)
    for c in TRACK_COLUMNS:
        out[c] = t[c]
    known = set(cases["family"].astype(str))
    keys, params = [], []
    for f, a, n, m, r in zip(fam, rows["as_of"], t["track_n"], t["track_met"], t["track_rate"]):
        if not f:
            keys.append("calibration.track.none"), params.append({})
        elif f not in known:
            keys.append("calibration.track.unknown"), params.append({"family": f})
        elif n == 0:
            keys.append("calibration.track.no_outcome"), params.append({"family": f, "as_of": int(a)})
        else:
            keys.append("calibration.track"), params.append({"family": f, "as_of": int(a), "met": float(m),
                                                             "n": float(n), "rate": float(r), "base": float(base),
                                                             "k": float(k)})
    out["track_note"] = [reason_message(key, "en", **p).removeprefix("track record: ")
                         for key, p in zip(keys, params)]
    out["track_key"], out["track_params"] = keys, params
    return out


def apply_calibration(frame, calibration="reference_class", model=None, seed=0):
    """The engine hook: add ``p_trend``, calibrated ``p_meet`` and the decomposition to a scorecard.

    Parameters
    ----------
    frame : DataFrame
        An assessment table whose ``p_meet`` (or ``p_trend``) is the trend
        probability, with the columns :func:`case_features` needs and
        ``status`` (optional: the observed outcomes
        :attr:`~plananalysis.results.Status.MET` / ``NOT_MET``, ``met`` /
        ``not_met``, keep their 0/1).
    calibration : {"reference_class", "none"} or Settings
        ``Settings.calibration`` (or the Settings object itself); ``"none"``
        returns ``p_meet == p_trend``.
    model : CalibrationModel, optional
        Default: :func:`load_calibration`.
    seed : int
        Seed of the Monte-Carlo draws of the interval.

    Returns
    -------
    DataFrame
        A copy with ``p_trend``, ``p_meet``, ``calibration_method``,
        ``logit_trend_part``, ``logit_class_part``, ``trend_share``,
        ``proxy``, ``n_paths`` (the Monte-Carlo resolution of ``p_trend``:
        an ``n_paths`` column, else from ``mc_se``, see
        :func:`~plananalysis.calibration.features.n_paths_of`) and
        ``p_clipped`` (``p_trend`` was 0 or 1 and was clipped to half a
        path before the logit), ``p_meet_lo`` and ``p_meet_hi``: the 95%
        interval of ``p_meet`` (calibrated: percentiles over the bootstrap
        refits over plans of the calibrated map applied to ``p_trend`` drawn
        from its Monte-Carlo distribution,
        :meth:`~plananalysis.calibration.CalibrationModel.predict_interval`;
        ``"none"``: the Wilson interval of ``p_trend``; an observed
        outcome: its 0 / 1); calibrated, also the family's track record
        (:func:`add_track_record`: ``track``, ``track_n``, ``track_met``,
        ``track_rate``, ``track_note``). Declared ``lever`` and
        ``plan_kind`` columns are read when present (else ``unknown``: the
        reference class's average).

    Examples
    --------
    >>> t = pd.DataFrame([{"p_meet": 0.2, "projected_median": 1.0, "projected_lo80": 0.5,
    ...     "projected_hi80": 1.5, "target": 1.2, "comparator": ">=", "target_year": 2025,
    ...     "latest_year": 2024, "cumulative": False, "unit": "%", "status": "off_track"}])
    >>> apply_calibration(t, "none")[["p_trend", "p_meet"]].values.tolist()
    [[0.2, 0.2]]
    """
    if isinstance(calibration, Settings):
        calibration = calibration.calibration
    if calibration not in CALIBRATIONS:
        raise ParameterError(f"calibration must be one of {', '.join(CALIBRATIONS)}, got {calibration!r}")
    out = pd.DataFrame(frame).copy()
    if "p_trend" not in out:
        if "p_meet" not in out:
            raise ParameterError("apply_calibration needs a 'p_meet' or 'p_trend' column")
        out["p_trend"] = out["p_meet"]
    out["n_paths"] = n_paths_of(out)
    feats = case_features(out)
    out["proxy"] = feats["is_proxy"].astype(bool)
    out["p_clipped"] = feats["p_clipped"].astype(bool)
    if calibration == "none":
        out["p_meet"] = out["p_trend"]
        out["calibration_method"] = "none (trend paths)"
        out["logit_trend_part"] = out["logit_class_part"] = np.nan
        out["trend_share"] = 1.0
        iv = [wilson_interval(p, n) for p, n in zip(out["p_trend"], out["n_paths"])]
        out["p_meet_lo"], out["p_meet_hi"] = [x[0] for x in iv], [x[1] for x in iv]
        return out
    model = load_calibration() if model is None else model
    out = add_track_record(out, model)
    feats["track"] = out["track"]
    trend, rest, _ = model.linear_parts(feats)
    w = PROXY_SHRINK * feats["is_proxy"]  # a proxy's shrinkage scales the trend part, adds to the rest
    trend, rest = (1 - w) * trend, (1 - w) * rest + w * _logit(model.base_rate)
    p = model.predict(feats)
    decided = out.get("status", pd.Series("", index=out.index)).isin(OBSERVED)
    out["p_meet"] = p.where(~decided, out["p_trend"])
    iv = model.predict_interval(feats.assign(p_trend=out["p_trend"]), out["n_paths"].to_numpy(float), seed=seed)
    out["p_meet_lo"] = iv["p_meet_lo"].where(~decided, out["p_trend"])
    out["p_meet_hi"] = iv["p_meet_hi"].where(~decided, out["p_trend"])
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
        ``calibration: FILE``; default
        :data:`~plananalysis.calibration.STORED`).

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
        why = (Reason.make(ReasonCode.CALIBRATION, "calibration.unavailable", error=str(exc)),)
        return [finalize(a, a.p_trend, "none", s, reasons=why) for a in assessments]
    plan = getattr(st, "plan", None)
    decl = plan.declarations().set_index("indicator") if plan is not None else pd.DataFrame()
    rows = []
    for a in assessments:
        t, p = a.target, a.projection or {}
        d = decl.loc[t.indicator] if t.indicator in decl.index else {}
        rows.append({"p_trend": a.p_trend, "projected_median": p.get("median", np.nan),
                     "projected_lo80": p.get("lo80", np.nan), "projected_hi80": p.get("hi80", np.nan),
                     "target": t.value, "comparator": t.comparator, "target_year": t.target_year,
                     "cumulative": t.cumulative,
                     "latest_year": a.latest[0] if a.latest[0] is not None else np.nan,
                     "domain": "" if a.domain is None else a.domain.kind,
                     "series_relation": t.series_relation, "status": a.status.value,
                     "n_paths": a.n_paths if a.n_paths else np.nan, "mc_se": a.mc_se,
                     "lever": d.get("lever", "unknown"), "family": d.get("family", ""),
                     "plan_kind": d.get("plan_kind", "unknown"),
                     "as_of": s.as_of if s.as_of is not None else np.nan})
    out = apply_calibration(pd.DataFrame(rows), method, model, seed=s.seed)
    final = []
    for a, (_, r) in zip(assessments, out.iterrows()):
        share = float(r["trend_share"]) if pd.notna(r["trend_share"]) else np.nan
        why = ()
        if pd.notna(r["p_meet"]) and r["calibration_method"] != "observed outcome":
            proxy = str(r["calibration_method"]).startswith("reference_class (proxy")
            common = dict(p_meet=float(r["p_meet"]), p_trend=float(r["p_trend"]),
                          trend_share=float(r["trend_share"]), method=r["calibration_method"])
            why = (Reason.make(ReasonCode.CALIBRATION, "calibration.proxy", shrink=PROXY_SHRINK, **common)
                   if proxy else Reason.make(ReasonCode.CALIBRATION, "calibration", **common),)
            if "track" in model.features:
                why += (Reason.make(ReasonCode.CALIBRATION, r["track_key"], **r["track_params"]),)
            if "lever_direct" in model.features:
                why += (Reason.make(ReasonCode.CALIBRATION, "calibration.lever", lever=r["lever"]),)
            if model.boot is None or not len(model.boot):
                why += (Reason.make(ReasonCode.CALIBRATION, "calibration.no_boot"),)
            if r["p_clipped"]:
                n = int(r["n_paths"])
                why += (Reason.make(ReasonCode.CALIBRATION, "calibration.clipped", p_trend=float(r["p_trend"]),
                                    share="all" if r["p_trend"] >= 0.5 else "none", n_paths=n,
                                    lo=float(clip_eps(n)), hi=float(1 - clip_eps(n))),)
        final.append(finalize(a, r["p_meet"], method, s, trend_share=share, reasons=why,
                              interval=(r["p_meet_lo"], r["p_meet_hi"])))
    return final
