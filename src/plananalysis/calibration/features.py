"""The calibration's features of a target, and the two agency baselines it is scored against.

:func:`case_features` turns an assessment-like table (an engine scorecard
or the reference cases) into the model's features :data:`FEATURES` (see
:mod:`plananalysis.calibration` for their definitions);
:func:`agency_calls` gives the growth-ratio (Eurostat / Open SDG) and
German-rule calls of one reference case, the rule-of-thumb baselines of
:func:`~plananalysis.calibration.evaluate`.

Comparators are read with :func:`plananalysis.comparator.higher_is_better` and
:func:`plananalysis.comparator.satisfies`; a domain not given is the documented
:func:`plananalysis.domain.resolve_domain` rule (the one every other module uses).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..domain import resolve_domain
from ..errors import ParameterError
from ..comparator import COMPARATORS, higher_is_better, satisfies
from ..progress import aggregate, even_flow

__all__ = ["FEATURES", "MODEL_FEATURES", "TREND_FEATURES", "DECLARED_FEATURES", "ALL_FEATURES", "CANDIDATES",
           "KIND_FEATURES", "REFERENCE_N_PATHS", "AMBITION_CLIP", "Z80",
           "clip_eps", "n_paths_of", "clipped_p", "case_features", "agency_calls", "aggregation"]

#: Features of the pre-specified full model (``full_model``), in order (see :mod:`plananalysis.calibration`).
FEATURES = ("lp_trend", "ambition", "log_horizon", "is_cumulative", "is_rate", "is_share", "is_cap")
#: Plan-kind indicators (work report is the reference level), from the declared ``plan_kind``.
KIND_FEATURES = ("kind_five_year", "kind_sector")
#: Features read from declarations (``lever``, ``plan_kind``): NaN where undeclared (``unknown``),
#: which the model treats as the training mean (no information: the reference class's average).
DECLARED_FEATURES = ("lever_direct", *KIND_FEATURES)
#: Every feature a model may use: :data:`FEATURES`, :data:`DECLARED_FEATURES` and ``track`` (the
#: family's track record, :mod:`plananalysis.calibration.track`; 0 where no family or no history).
ALL_FEATURES = (*FEATURES, *DECLARED_FEATURES, "track")
#: The candidate models, stated before they were scored (see "Model choice" in :mod:`plananalysis.calibration`).
CANDIDATES = {
    "M0_trend": ("lp_trend",),
    "M1_lever": ("lp_trend", "lever_direct"),
    "M2_track": ("lp_trend", "track"),
    "M3_lever_track": ("lp_trend", "lever_direct", "track"),
    "M4_lever_track_kind": ("lp_trend", "lever_direct", "track", *KIND_FEATURES),
}
#: Features of the stored (default) model: the candidate the one-standard-error selection picks on all
#: cases (see "Model choice"; a test checks that the selection still picks it).
MODEL_FEATURES = CANDIDATES["M0_trend"]
#: Features carried by the trend (the rest is the reference class's say).
TREND_FEATURES = ("lp_trend", "ambition")
#: Forecast paths used for the reference class (the stored fit uses this); also the resolution assumed
#: for a row whose number of paths is unknown (no ``n_paths`` column, argument or ``mc_se``).
REFERENCE_N_PATHS = 2000
#: Ambition is clipped to +- this many predictive standard deviations.
AMBITION_CLIP = 5.0
#: z of the 80% interval ends (the interval is 10%-90%).
Z80 = 1.2815515655446004


def _floor(comparator) -> bool:
    """True for a floor (``>``, ``>=``) and for ``~`` (read as a floor where a direction is needed)."""
    return higher_is_better(comparator) is not False


def _domain_kinds(frame) -> pd.Series:
    """The domain kind of each row: the ``domain`` column, else :func:`~plananalysis.domain.resolve_domain`.

    Without a ``domain`` column the one rule sees the row's ``unit`` and, when
    the table has one, its ``latest_value``.
    """
    if "domain" in frame:
        return frame["domain"].astype(str)
    units = frame.get("unit", pd.Series("", index=frame.index))
    values = pd.to_numeric(frame.get("latest_value", pd.Series(np.nan, index=frame.index)), errors="coerce")
    return pd.Series([resolve_domain("", None, pd.DataFrame({"unit": [u], "value": [v]})).kind
                      for u, v in zip(units, values)], index=frame.index, dtype=object)


def clip_eps(n_paths):
    """Half a path: ``p_trend`` is clipped to ``[1/(2n), 1 - 1/(2n)]`` before the logit.

    A share of 0 or 1 out of ``n`` paths is not a certainty; half a path is
    the Monte-Carlo resolution (no fixed ceiling: more paths, more room).

    Examples
    --------
    >>> float(clip_eps(2000)), float(clip_eps(10000))
    (0.00025, 5e-05)
    """
    return 0.5 / np.asarray(n_paths, dtype=float)


def n_paths_of(frame, n_paths=None) -> pd.Series:
    """Paths behind each row's ``p_trend``: an ``n_paths`` column, else ``n_paths``, else from ``mc_se``.

    ``mc_se`` is the engine's ``sqrt(max(p(1-p), 0.25/n) / n)``, so
    ``n = 0.5 / mc_se`` at ``p`` of 0 or 1 and ``p(1-p) / mc_se**2``
    otherwise; a row with none of these gets :data:`REFERENCE_N_PATHS`.

    Examples
    --------
    >>> n_paths_of(pd.DataFrame({"p_trend": [0.0, 0.5], "mc_se": [0.5 / 400, 0.5 / 20]})).tolist()
    [400.0, 400.0]
    """
    frame = pd.DataFrame(frame)
    out = pd.Series(np.nan, index=frame.index, dtype=float)
    if "n_paths" in frame:
        out = pd.to_numeric(frame["n_paths"], errors="coerce").astype(float)
    if n_paths is not None:
        out = out.fillna(float(n_paths))
    if "mc_se" in frame:
        se = pd.to_numeric(frame["mc_se"], errors="coerce").astype(float)
        p = pd.to_numeric(frame.get("p_trend", frame.get("p_meet")), errors="coerce").astype(float)
        edge = (p <= 0) | (p >= 1)
        derived = np.where(edge, 0.5 / se, p * (1 - p) / se ** 2)
        derived = pd.Series(np.round(derived), index=frame.index).where(se > 0)
        out = out.fillna(derived)
    return out.fillna(float(REFERENCE_N_PATHS)).clip(lower=1.0)


def clipped_p(p, n_paths):
    """``p`` clipped to the Monte-Carlo resolution of ``n_paths`` paths, and whether the clip bound.

    Monotone (non-decreasing) in ``p``.

    Examples
    --------
    >>> pc, bound = clipped_p(np.array([0.0, 0.5, 1.0]), 2000)
    >>> pc.tolist(), bound.tolist()
    ([0.00025, 0.5, 0.99975], [True, False, True])
    """
    p = np.asarray(p, dtype=float)
    eps = clip_eps(n_paths)
    pc = np.clip(p, eps, 1 - eps)
    return pc, (pc != p) & np.isfinite(p)


def case_features(frame, n_paths=None):
    """The model's features from an assessment-like table.

    Parameters
    ----------
    frame : DataFrame
        Columns ``p_trend`` (or ``p_meet`` read as the trend probability),
        ``projected_median``, ``projected_lo80``, ``projected_hi80``,
        ``target``, ``comparator``, ``target_year``, ``cumulative``, and
        ``latest_year`` (or ``as_of``); optional ``domain`` (else
        :func:`~plananalysis.domain.resolve_domain` of ``unit`` and
        ``latest_value``: ``% yoy`` or a negative value -> rate, ``%`` ->
        share) and ``series_relation`` (or ``relation``; ``proxy`` sets
        ``is_proxy``); optional ``n_paths`` or ``mc_se`` (the Monte-Carlo
        resolution of ``p_trend``, see :func:`n_paths_of`).
    n_paths : int, optional
        Paths behind ``p_trend`` for rows without an ``n_paths`` column.

    Returns
    -------
    DataFrame
        :data:`ALL_FEATURES` (``lever_direct`` 1 direct / 0 outcome / NaN
        unknown from a ``lever`` column; ``kind_*`` from ``plan_kind``, NaN
        unknown; ``track`` from a ``track`` column, else 0: neutral) plus
        ``is_proxy`` (0/1) and ``p_clipped`` (1 where
        ``p_trend`` was clipped to the Monte-Carlo resolution
        ``[1/(2n), 1 - 1/(2n)]`` before the logit), same index.

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
    bad = sorted(set(comps) - set(COMPARATORS))
    if bad:
        raise ParameterError(f"calibration: unknown comparator {bad[0]!r}; expected one of >, >=, <, <=, ~")
    p = pd.to_numeric(frame["p_trend"], errors="coerce").astype(float)
    if ((p < 0) | (p > 1)).any():
        raise ParameterError("calibration: p_trend must be a probability in [0, 1]")
    pc, bound = clipped_p(p, n_paths_of(frame, n_paths))
    med = pd.to_numeric(frame["projected_median"], errors="coerce").astype(float)
    sd = (pd.to_numeric(frame["projected_hi80"], errors="coerce")
          - pd.to_numeric(frame["projected_lo80"], errors="coerce")).astype(float) / (2 * Z80)
    sd = sd.where(sd > 0, np.nan)
    tgt = frame["target"].astype(float)
    sign = comps.map(lambda c: 1.0 if _floor(c) else -1.0)
    amb = np.where(comps == "~", (tgt - med).abs() / sd, sign * (tgt - med) / sd)
    # zero spread (a degenerate projection): ambition follows the sign of the gap
    amb = pd.Series(amb, index=frame.index).fillna(np.sign(sign * (tgt - med)) * AMBITION_CLIP)
    horizon = (frame["target_year"].astype(float) - pd.to_numeric(frame[year], errors="coerce")).clip(lower=1)
    dom = _domain_kinds(frame)
    rel = frame["series_relation"] if "series_relation" in frame else \
        frame.get("relation", pd.Series("", index=frame.index))  # Scorecard.to_frame() calls it 'relation'
    rel = rel.fillna("").astype(str)
    lever = frame["lever"].fillna("unknown").astype(str) if "lever" in frame else pd.Series("unknown", index=frame.index)
    kind = (frame["plan_kind"].fillna("unknown").astype(str) if "plan_kind" in frame
            else pd.Series("unknown", index=frame.index))
    known_kind = kind.isin(["work_report", "five_year_outline", "sector_plan"])
    out = pd.DataFrame({
        "lp_trend": np.log(pc / (1 - pc)),
        "ambition": amb.clip(-AMBITION_CLIP, AMBITION_CLIP),
        "log_horizon": np.log(horizon),
        "is_cumulative": frame["cumulative"].astype(bool).astype(float),
        "is_rate": (dom == "rate").astype(float),
        "is_share": (dom == "share").astype(float),
        "is_cap": comps.map(lambda c: float(higher_is_better(c) is False)),
        "lever_direct": lever.map({"direct": 1.0, "outcome": 0.0}).astype(float),
        "kind_five_year": (kind == "five_year_outline").astype(float).where(known_kind),
        "kind_sector": (kind == "sector_plan").astype(float).where(known_kind),
        "track": pd.to_numeric(frame["track"], errors="coerce").fillna(0.0) if "track" in frame else 0.0,
        "is_proxy": (rel == "proxy").astype(float),
        "p_clipped": bound.astype(float),
    }, index=frame.index)
    return out




# ---------------------------------------------------------------- agency baselines
def aggregation(row) -> str:
    """How a cumulative case aggregates its years: sum, compound, compound_decline or mean_growth ('' for a level).

    Examples
    --------
    >>> aggregation({"cumulative": True, "aggregation": "compound_decline"}), aggregation({"cumulative": False})
    ('compound_decline', '')
    """
    return str(row.get("aggregation") or "") if row["cumulative"] else ""


def agency_calls(row, rows, domain):
    """Growth-ratio (Eurostat / Open SDG) and German-rule calls at ``as_of`` (1 met, 0 not, NaN none).

    Parameters
    ----------
    row : dict or Series
        One reference case (``comparator``, ``target``, ``target_year``,
        ``as_of``, ``cumulative``, ``period_start``/``period_end`` for a
        cumulative case, optional ``aggregation`` and ``tolerance``).
    rows : DataFrame
        The case's series (``year``, ``value``, ``qualifier``).
    domain : str
        The series' domain kind (a ``rate`` changes additively).

    Returns
    -------
    (float, float)
        Growth-ratio call and German-rule call: 1.0 met, 0.0 not met, NaN
        when the history is too short for the rule.

    Examples
    --------
    >>> rows = pd.DataFrame({"year": range(2015, 2021), "value": [90.0, 91, 92, 93, 94, 95],
    ...                      "qualifier": ""})
    >>> row = {"comparator": ">=", "target": 97.0, "target_year": 2022, "as_of": 2020, "cumulative": False}
    >>> agency_calls(row, rows, "share")
    (1.0, 1.0)
    """
    hist = rows[(rows["year"] <= int(row["as_of"])) & (rows["qualifier"] == "")].sort_values("year")
    if len(hist) < 2:
        return np.nan, np.nan
    y, v = hist["year"].to_numpy(), hist["value"].to_numpy()
    higher = _floor(row["comparator"])
    d = 1 if higher else -1
    target, comp = float(row["target"]), row["comparator"]
    ly, lv = int(y[-1]), float(v[-1])
    horizon = int(row["target_year"]) - ly
    # flows of a cumulative target: required even flow (or even annual rate) vs latest flow
    if row["cumulative"]:
        n = int(row["period_end"]) - int(row["period_start"]) + 1
        target = even_flow(target, n, aggregation(row) or "sum")
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
            total = float(aggregate(flows, aggregation(row) or "sum"))
            gap, value, tgt = abs(float(row["target"])), total, float(row["target"])
        else:
            value = lv + slope * (int(row["target_year"]) - ly)
            tgt = float(row["target"])
            gap = abs(tgt - lv)
        shortfall = d * (tgt - value)
        de = float(shortfall <= 0.05 * gap)
    return gr, de
