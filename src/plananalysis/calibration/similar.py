"""Past targets most like a current one: the reference cases nearest in the calibration's features."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .features import FEATURES, case_features
from .model import usable_cases
from .track import with_track

__all__ = ["similar_cases"]


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
        ``indicator, rank, case, case_name_en, case_name_zh, plan_group, family, distance, p_trend,
        outcome_met``, the past case's own family track record at its
        ``as_of`` (``track_n`` earlier plan groups, ``track_met`` of them met;
        its own plan group excluded) and ``target_track``: the current
        target's family track record (:func:`~plananalysis.calibration.add_track_record`,
        from a ``family`` column; "no family declared" without one).

    Examples
    --------
    >>> from plananalysis.calibration import load_reference_cases
    >>> row = {"indicator": "x", "p_trend": 0.4, "projected_median": 95.0, "projected_lo80": 93.0,
    ...        "projected_hi80": 97.0, "target": 96.0, "comparator": ">=", "target_year": 2025,
    ...        "latest_year": 2024, "cumulative": False, "domain": "share"}
    >>> similar_cases(pd.DataFrame([row]), load_reference_cases(), k=2)["rank"].tolist()
    [1, 2]
    """
    from .apply import add_track_record
    f = case_features(frame)
    ref, _ = with_track(usable_cases(cases), usable_cases(cases))
    notes = add_track_record(frame, cases=cases)["track_note"].tolist()
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
            rows.append({"indicator": name, "rank": rank, "case": r["case"], "case_name_en": r.get("name_en", ""),
                         "case_name_zh": r.get("name_zh", ""), "plan_group": r["plan_group"],
                         "family": r["family"], "distance": float(dist[j]), "p_trend": float(r["p_trend"]),
                         "outcome_met": bool(r["outcome_met"]), "track_n": float(r["track_n"]),
                         "track_met": float(r["track_met"]), "target_track": notes[i]})
    return pd.DataFrame(rows, columns=["indicator", "rank", "case", "case_name_en", "case_name_zh", "plan_group",
                                       "family", "distance", "p_trend",
                                       "outcome_met", "track_n", "track_met", "target_track"])
