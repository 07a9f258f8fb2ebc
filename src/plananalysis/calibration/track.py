"""The track record of a target's family: how often its earlier targets were met, known at ``as_of``.

For a target (a reference case or a current plan's target) with a declared
``family`` (a reference-class series id), an ``as_of`` and a ``plan_group``,
the *history* is the set of earlier cases of the same family whose outcome
was known at ``as_of`` (``target_year <= as_of``) and that are **not** in the
target's own plan group: plan groups already merge sections that share one
shock (the CAAC's 2021 and 2022 targets), so a shock cannot teach its own
cases their track record. Within the history, each plan group counts once
(its cases of the family share the weight 1: their share met), so one shock
year is one observation, not three.

Partial pooling is an empirical-Bayes beta-binomial shrinkage toward the
training base rate ``b``: the family's rate is

    ``r = (met + k * b) / (n + k)``

with ``n`` plan groups in the history, ``met`` their (weighted) count met and
``k`` pseudo-cases. ``k`` is estimated by maximising the beta-binomial
marginal likelihood, with its mean fixed at ``b``, of every family's
(group-weighted) outcomes in the training data over the grid
:data:`K_GRID` (:func:`estimate_k`): the data say how different families
really are; a large ``k`` means "families differ little, trust the base
rate". Empirical Bayes rather than a random intercept in the logistic
model because the feature must be computable for one new target from the
stored cases alone, and the shrinkage has a closed form that the
cross-validation can redo on every training fold cheaply. The feature is

    ``track = logit(r) - logit(b)``

(0: neutral, for a target with no declared family or no earlier outcome).
In cross-validation ``b`` and ``k`` come from the training folds only, and
the history of every case is drawn from the training folds only.

Examples
--------
>>> hist = pd.DataFrame({"family": ["x", "x", "y"], "plan_group": ["A", "B", "C"],
...                      "target_year": [2010, 2011, 2012], "outcome_met": [False, False, True]})
>>> rows = pd.DataFrame({"family": ["x", "x", ""], "plan_group": ["D", "D", "D"], "as_of": [2011, 2010, 2011]})
>>> t = track_records(rows, hist, base_rate=0.5, k=2.0)
>>> t["track_n"].tolist(), [round(v, 3) for v in t["track"]]
([2.0, 1.0, 0.0], [-1.099, -0.693, 0.0])
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln

from ..errors import ParameterError

__all__ = ["K_GRID", "TRACK_COLUMNS", "track_records", "estimate_k", "family_counts", "with_track"]

#: Candidate pseudo-case counts ``k`` of the shrinkage (log-spaced 0.5 .. 1000).
K_GRID = np.geomspace(0.5, 1000.0, 61)
#: Columns :func:`track_records` adds.
TRACK_COLUMNS = ("track_n", "track_met", "track_rate", "track")
#: A shrunk rate is kept inside [RATE_CLIP, 1 - RATE_CLIP] before the logit.
RATE_CLIP = 1e-3


def _logit(p):
    return np.log(p / (1 - p))


def _group_weights(eligible, groups):
    """Per row, each eligible history case's weight: 1 / (its plan group's eligible cases)."""
    codes, _ = pd.factorize(pd.Series(groups).astype(str))
    onehot = np.zeros((len(codes), codes.max() + 1 if len(codes) else 0))
    onehot[np.arange(len(codes)), codes] = 1.0
    per_group = eligible @ onehot  # (rows, groups): eligible cases per group
    denom = per_group[:, codes]  # (rows, history)
    return np.where(eligible, 1.0 / np.where(denom > 0, denom, 1.0), 0.0)


def family_counts(history):
    """Per family: ``n`` (plan groups) and ``met`` (group-weighted) over all of ``history``.

    Examples
    --------
    >>> h = pd.DataFrame({"family": ["x", "x", "x"], "plan_group": ["A", "A", "B"],
    ...                   "outcome_met": [False, True, True]})
    >>> family_counts(h).to_dict("records")
    [{'family': 'x', 'n': 2.0, 'met': 1.5}]
    """
    h = pd.DataFrame(history)
    w = 1.0 / h.groupby(["family", "plan_group"])["family"].transform("size")
    t = pd.DataFrame({"family": h["family"].astype(str), "w": w, "wy": w * h["outcome_met"].astype(float)})
    g = t.groupby("family", sort=True)
    return pd.DataFrame({"family": list(g.groups), "n": g["w"].sum().to_numpy(), "met": g["wy"].sum().to_numpy()})


def estimate_k(history, base_rate=None, grid=K_GRID):
    """Pseudo-cases ``k`` of the shrinkage: maximum beta-binomial marginal likelihood over ``grid``.

    The prior of a family's rate is ``Beta(k b, k (1 - b))`` (mean ``b``, the
    base rate of ``history`` unless given); the marginal likelihood of the
    families' group-weighted counts is ``prod B(met + k b, n - met + k (1 - b))
    / B(k b, k (1 - b))``. Ties go to the larger ``k`` (more shrinkage).

    Examples
    --------
    >>> h = pd.DataFrame({"family": list("aaaabbbb"), "plan_group": list("ABCDEFGH"),
    ...                   "outcome_met": [True] * 4 + [False] * 4})
    >>> float(estimate_k(h)) < 2
    True
    """
    h = pd.DataFrame(history)
    b = float(h["outcome_met"].astype(float).mean()) if base_rate is None else float(base_rate)
    if not 0 < b < 1:
        raise ParameterError(f"track record: the base rate must be inside (0, 1), got {b!r}")
    c = family_counts(h)
    n, s = c["n"].to_numpy(float)[:, None], c["met"].to_numpy(float)[:, None]
    k = np.asarray(grid, dtype=float)[None, :]
    ll = (betaln(s + k * b, n - s + k * (1 - b)) - betaln(k * b, k * (1 - b))).sum(axis=0)
    best = np.flatnonzero(ll >= ll.max() - 1e-9)
    return float(np.asarray(grid, dtype=float)[best[-1]])


def track_records(rows, history, base_rate, k):
    """The track record of each row's family, known at its ``as_of``, shrunk toward ``base_rate``.

    Parameters
    ----------
    rows : DataFrame
        ``family`` ('' or NaN: none declared), ``as_of`` and ``plan_group``
        (optional: a row without one has no own group to exclude).
    history : DataFrame
        Past cases: ``family``, ``plan_group``, ``target_year``, ``outcome_met``.
    base_rate : float
        The shrinkage target (the training share met).
    k : float
        Pseudo-cases (:func:`estimate_k`).

    Returns
    -------
    DataFrame
        :data:`TRACK_COLUMNS`, same index as ``rows``: ``track_n`` plan groups
        in the history, ``track_met`` of them met (group-weighted),
        ``track_rate`` the shrunk rate and ``track`` = ``logit(rate) -
        logit(base_rate)`` (0 with no history).
    """
    rows = pd.DataFrame(rows)
    h = pd.DataFrame(history)
    fam_r = rows["family"].fillna("").astype(str).to_numpy() if "family" in rows else np.full(len(rows), "")
    grp_r = (rows["plan_group"].fillna("").astype(str).to_numpy() if "plan_group" in rows
             else np.full(len(rows), "\x00none"))
    asof = pd.to_numeric(rows["as_of"], errors="coerce").to_numpy(float)
    eligible = ((fam_r[:, None] == h["family"].astype(str).to_numpy()[None, :]) & (fam_r[:, None] != "")
                & (h["target_year"].astype(float).to_numpy()[None, :] <= asof[:, None])
                & (grp_r[:, None] != h["plan_group"].astype(str).to_numpy()[None, :]))
    w = _group_weights(eligible, h["plan_group"]) if len(h) else np.zeros((len(rows), 0))
    n = w.sum(axis=1)
    met = w @ h["outcome_met"].astype(float).to_numpy() if len(h) else np.zeros(len(rows))
    b = float(base_rate)
    rate = np.clip((met + k * b) / (n + k), RATE_CLIP, 1 - RATE_CLIP)
    track = np.where(n > 0, _logit(rate) - _logit(b), 0.0)
    return pd.DataFrame({"track_n": n, "track_met": met, "track_rate": np.where(n > 0, rate, b),
                         "track": track}, index=rows.index)


def with_track(rows, history, base_rate=None, k=None):
    """``rows`` with :data:`TRACK_COLUMNS` from ``history`` (base rate and ``k`` estimated on it when not given).

    Returns
    -------
    (DataFrame, dict)
        The rows with the track columns, and ``{"base_rate": b, "k": k}``.
    """
    h = pd.DataFrame(history)
    b = float(h["outcome_met"].astype(float).mean()) if base_rate is None else float(base_rate)
    k = estimate_k(h, b) if k is None else float(k)
    out = pd.DataFrame(rows).copy()
    t = track_records(out, h, b, k)
    for c in TRACK_COLUMNS:
        out[c] = t[c]
    return out, {"base_rate": b, "k": k}
