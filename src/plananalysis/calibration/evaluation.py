"""Out-of-sample evaluation of the calibration against its baselines.

Cross-validation folds (:data:`SCHEMES`: leave-one-plan-out,
leave-one-indicator-family-out, forward in time), the predictions of every
method of :data:`METHODS` on the held-out cases (:func:`cv_predictions`;
everything learnt is learnt on the training folds only), their Brier score
and log loss with cluster-bootstrap intervals (:func:`score_table`,
:func:`paired_differences`), the reliability table, and :func:`evaluate`
that runs them all. See :mod:`plananalysis.calibration` for the baselines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .features import FEATURES
from .model import PRIOR_SD, boot_weights, fit_calibration, usable_cases

__all__ = ["SCHEMES", "METHODS", "MIN_TRAIN_TIME", "LOGLOSS_CLIP", "cv_predictions", "score_table",
           "paired_differences", "reliability_table", "evaluate", "evaluation_text"]

#: Cross-validation schemes of :func:`cv_predictions`.
SCHEMES = ("plan", "family", "time")
#: The forward-in-time scheme needs this many training cases (with both outcomes) before a fold is scored.
MIN_TRAIN_TIME = 20
#: Methods scored by :func:`evaluate` (calibrated model first, then the baselines).
METHODS = ("calibrated", "full_model", "always_met", "base_rate", "p_trend", "growth_ratio_call",
           "german_rule_call")
#: Probabilities are clipped to [LOGLOSS_CLIP, 1 - LOGLOSS_CLIP] in the log loss (every method).
LOGLOSS_CLIP = 0.01


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

    Examples
    --------
    >>> from plananalysis.calibration import load_reference_cases
    >>> preds = cv_predictions(load_reference_cases(), "family")
    >>> len(preds), list(preds.columns[:3])
    (100, ['case', 'fold', 'outcome_met'])
    """
    data = usable_cases(cases).copy()
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
    weights = boot_weights(clusters, n_boot, np.random.default_rng(seed))
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
    weights = boot_weights(clusters, n_boot, np.random.default_rng(seed))
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
    >>> from plananalysis.calibration import load_reference_cases
    >>> result = evaluate(load_reference_cases(), "plan", n_boot=200)
    >>> list(result["scores"].index[:3])
    ['calibrated', 'full_model', 'always_met']
    """
    preds = cv_predictions(cases, scheme, prior_sd=prior_sd)
    return {"scheme": scheme, "predictions": preds, "scores": score_table(preds, n_boot, seed),
            "differences": paired_differences(preds, n_boot, seed),
            "reliability": reliability_table(preds)}


def evaluation_text(cases, n_boot=2000, prior_sd=PRIOR_SD, schemes=SCHEMES) -> str:
    """The cross-validation of every scheme as plain text (what ``plananalysis calibrate evaluate`` prints).

    Parameters
    ----------
    cases : DataFrame
        :func:`~plananalysis.calibration.reference_cases` output.
    n_boot : int
        Bootstrap resamples of the score intervals.
    prior_sd : float
        As in :func:`~plananalysis.calibration.fit_calibration`.
    schemes : sequence of str
        Subset of :data:`SCHEMES`.

    Returns
    -------
    str
        Per scheme: Brier, log loss (95% intervals) and sharpness per method,
        the paired differences to the calibrated model and its reliability
        table.

    Examples
    --------
    >>> from plananalysis.calibration import load_reference_cases
    >>> print(evaluation_text(load_reference_cases(), n_boot=50, schemes=("plan",)))  # doctest: +ELLIPSIS
    calibration: prior sd 1 on the standardised slopes
    <BLANKLINE>
    leave-one-plan-out (100 cases, ... folds)
    ...
    """
    lines = [f"calibration: prior sd {prior_sd:g} on the standardised slopes"]
    for scheme in schemes:
        res = evaluate(cases, scheme, n_boot=n_boot, prior_sd=prior_sd)
        s = res["scores"]
        label = "forward in time" if scheme == "time" else f"leave-one-{scheme}-out"
        lines.append(f"\n{label} ({int(s['n'].iloc[0])} cases, {res['predictions']['fold'].nunique()} folds)")
        for m, r in s.iterrows():
            lines.append(f"  {m:<18} Brier {r['brier']:.3f} [{r['brier_lo']:.3f}, {r['brier_hi']:.3f}]  "
                         f"log loss {r['logloss']:.3f} [{r['logloss_lo']:.3f}, {r['logloss_hi']:.3f}]  "
                         f"sharpness {r['sharpness']:.3f}")
        lines.append("  calibrated minus baseline (paired bootstrap 95%; negative = calibrated better):")
        for m, r in res["differences"].iterrows():
            lines.append(f"    vs {m:<18} Brier {r['brier_diff']:+.3f} [{r['brier_diff_lo']:+.3f}, "
                         f"{r['brier_diff_hi']:+.3f}]  log loss {r['logloss_diff']:+.3f} "
                         f"[{r['logloss_diff_lo']:+.3f}, {r['logloss_diff_hi']:+.3f}]")
        lines.append("  reliability (calibrated):")
        lines.append(res["reliability"].to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return "\n".join(lines)
