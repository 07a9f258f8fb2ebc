"""The calibration model: a ridge-penalised logistic map from the features to P(met), and its fit.

:class:`CalibrationModel` holds the coefficients on the standardised scale
(with their training means and scales) and predicts; :func:`fit_calibration`
finds the posterior mode by Newton-Raphson (:func:`_fit_params`) and its
cluster-bootstrap intervals, resampling whole plans. The bootstrap draws
(:func:`boot_indices`, :func:`boot_weights`) are shared with the scores of
:mod:`plananalysis.calibration.evaluation`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .features import (ALL_FEATURES, DECLARED_FEATURES, FEATURES, MODEL_FEATURES, TREND_FEATURES, case_features,
                       clipped_p)
from .track import with_track

__all__ = ["PRIOR_SD", "N_BOOT", "PROXY_SHRINK", "INTERVAL_LEVEL", "MC_DRAWS", "CalibrationModel", "fit_calibration", "usable_cases",
           "boot_indices", "boot_weights"]

#: Prior standard deviation of each standardised slope.
PRIOR_SD = 1.0
#: Bootstrap refits for the coefficient intervals.
N_BOOT = 200
#: Weight of the base rate in a proxy target's logit.
PROXY_SHRINK = 0.5
#: Level of the interval of P(meet).
INTERVAL_LEVEL = 0.95
#: Monte-Carlo draws of p_trend per bootstrap coefficient draw in the interval of P(meet).
MC_DRAWS = 10
#: How to write a new fit (named in the errors of a stale or missing file).
REFIT_HINT = "`make calibration` (plananalysis calibrate refit --out DIR)"


def _logit(p):
    return np.log(p / (1 - p))


def _expit(z):
    return 1 / (1 + np.exp(-z))


def _features_of(frame):
    """``frame`` itself when it already holds features (``lp_trend``, ``is_proxy``), else :func:`case_features`.

    Feature columns a model may use but the frame lacks are added neutral:
    NaN (undeclared) for :data:`DECLARED_FEATURES`, 0 for ``track``.
    """
    if "lp_trend" in frame and "is_proxy" in frame:
        feats = frame.copy()
    else:
        feats = case_features(frame)
    for f in DECLARED_FEATURES:
        if f not in feats:
            feats[f] = np.nan
    if "track" not in feats:
        feats["track"] = 0.0
    return feats


def _neutral_fill(x, names, mean):
    """Raw feature matrix with the neutral value where a declared feature is unknown (NaN).

    Declared features (lever, plan kind) -> the training mean (their term is
    then 0 on the standardised scale: the reference class's average);
    ``track`` -> 0 (no history: the family's rate is the base rate).
    """
    x = np.array(x, dtype=float, copy=True)
    for j, name in enumerate(names):
        if name in DECLARED_FEATURES:
            x[..., j] = np.where(np.isnan(x[..., j]), mean[j], x[..., j])
        elif name == "track":
            x[..., j] = np.where(np.isnan(x[..., j]), 0.0, x[..., j])
    return x


@dataclass
class CalibrationModel:
    """A fitted calibration (the model is stated in :mod:`plananalysis.calibration`).

    Attributes
    ----------
    coefficients : DataFrame
        Index ``intercept`` and the model's features (a subset of :data:`ALL_FEATURES`); columns ``estimate``
        (standardised scale), ``boot_lo``, ``boot_hi`` (95% bootstrap
        interval, plans resampled), ``mean``, ``scale`` (of the training feature).
    base_rate : float
        Share of training cases met (the proxy shrinkage target).
    n_cases, n_not_met : int
    info : dict
        Prior, penalty, bootstrap size, cases used, engine settings.
    boot : ndarray or None
        The bootstrap refits' coefficients (rows: refits over resampled
        plans; columns: ``intercept`` and the features, standardised
        scale), the parameter uncertainty of :meth:`predict_interval`;
        None for a file written before they were stored.

    Examples
    --------
    >>> from plananalysis.calibration import load_calibration
    >>> m = load_calibration()
    >>> m.features, m.n_cases, m.n_not_met
    (('lp_trend',), 100, 29)
    """

    coefficients: pd.DataFrame
    base_rate: float
    n_cases: int
    n_not_met: int
    info: dict = field(default_factory=dict)
    boot: np.ndarray | None = field(default=None, repr=False, compare=False)

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
        x = _neutral_fill(features[names].to_numpy(dtype=float), names, rows["mean"].to_numpy(dtype=float))
        contrib = x * slope
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
        feats = _features_of(frame)
        _, _, eta = self.linear_parts(feats)
        if proxy:
            w = PROXY_SHRINK * feats["is_proxy"]
            eta = (1 - w) * eta + w * _logit(self.base_rate)
        p = pd.Series(_expit(eta.to_numpy(dtype=float)), index=feats.index, name="p_meet")
        return p.where(feats["lp_trend"].notna())

    def _eta(self, coefs, feats, lp):
        """Linear predictors (standardised coefficient rows ``coefs``) with ``lp_trend`` replaced by ``lp``.

        ``coefs``: (d, k+1); ``feats``: one row of features; ``lp``: (d, m) draws of the trend's logit.
        Returns (d, m).
        """
        c, names = self.coefficients, list(self.features)
        mean, scale = c.loc[names, "mean"].to_numpy(float), c.loc[names, "scale"].to_numpy(float)
        x = _neutral_fill(np.array([float(feats[f]) for f in names]), names, mean)
        eta = np.repeat(coefs[:, :1], lp.shape[1], axis=1)
        for j, name in enumerate(names):
            xj = lp if name == "lp_trend" else np.full(lp.shape, x[j])
            eta = eta + coefs[:, [j + 1]] * (xj - mean[j]) / scale[j]
        return eta

    def predict_interval(self, frame, n_paths, level=INTERVAL_LEVEL, seed=0, parameter=True, proxy=True,
                         mc_draws=MC_DRAWS):
        """Interval of the calibrated P(met): calibration parameter uncertainty and Monte-Carlo error.

        For each row: for every bootstrap refit over plans (:attr:`boot`,
        the same refits as the coefficient intervals) and ``mc_draws``
        draws of the trend probability from its Monte-Carlo distribution
        (``k ~ Binomial(n_paths, p_trend)``, ``p* = k / n_paths``, clipped
        to half a path like ``p_trend`` itself), the calibrated
        ``expit(model_b(logit p*))`` (proxy shrinkage included); the
        interval is the ``(1 - level) / 2`` and ``(1 + level) / 2``
        percentiles of those draws, widened if needed to contain the point
        prediction. ``parameter=False`` (or a model without :attr:`boot`)
        uses the point coefficients only: the Monte-Carlo error alone.

        Parameters
        ----------
        frame : DataFrame
            :func:`case_features` input (or output) with ``p_trend``.
        n_paths : array-like
            Paths behind each row's ``p_trend``.
        level : float
        seed : int
            Seed of the Monte-Carlo draws (row ``i`` draws from ``(seed, i)``).
        parameter : bool
            Include the calibration's parameter uncertainty.
        proxy : bool
            Apply the proxy shrinkage.
        mc_draws : int
            Draws of ``p_trend`` per coefficient draw.

        Returns
        -------
        DataFrame
            ``p_meet_lo``, ``p_meet_hi`` (NaN where ``p_trend`` is NaN), same index.

        Examples
        --------
        >>> from plananalysis.calibration import load_calibration
        >>> m = load_calibration()
        >>> row = pd.DataFrame([{"p_trend": 0.6, "projected_median": 10.0, "projected_lo80": 8.0,
        ...     "projected_hi80": 12.0, "target": 10.5, "comparator": ">=", "target_year": 2025,
        ...     "latest_year": 2024, "cumulative": False, "domain": "rate"}])
        >>> iv = m.predict_interval(row, [2000]).iloc[0]
        >>> bool(iv["p_meet_lo"] < m.predict(row).iloc[0] < iv["p_meet_hi"])
        True
        """
        feats = _features_of(frame)
        col = "p_trend" if "p_trend" in frame else "p_meet"
        if col not in frame:
            raise ParameterError("predict_interval needs a 'p_trend' column (the trend probability to redraw)")
        p_trend = pd.to_numeric(frame[col], errors="coerce").to_numpy(float)
        n_paths = np.broadcast_to(np.asarray(n_paths, dtype=float), p_trend.shape)
        point = self.predict(feats, proxy=proxy).to_numpy(float)
        est = self.coefficients["estimate"].to_numpy(float)[None, :]
        coefs = self.boot if parameter and self.boot is not None and len(self.boot) else est
        tail = (1 - level) / 2
        out = np.full((len(feats), 2), np.nan)
        for i in range(len(feats)):
            p, n = p_trend[i], n_paths[i]
            if not (np.isfinite(p) and np.isfinite(point[i]) and n >= 1):
                continue
            rng = np.random.default_rng([int(seed), i])
            n = int(round(n))
            draws = rng.binomial(n, p, size=(len(coefs), mc_draws)) / n
            pc, _ = clipped_p(draws, n)
            eta = self._eta(coefs, feats.iloc[i], np.log(pc / (1 - pc)))
            if proxy:
                w = PROXY_SHRINK * float(feats["is_proxy"].iloc[i])
                eta = (1 - w) * eta + w * _logit(self.base_rate)
            q = np.quantile(_expit(eta), [tail, 1 - tail])
            out[i] = min(q[0], point[i]), max(q[1], point[i])
        return pd.DataFrame(out, index=feats.index, columns=["p_meet_lo", "p_meet_hi"])

    def to_json(self):
        """The model as a JSON string (stable key order, rounded to 10 digits)."""
        c = self.coefficients.round(10)
        doc = {"model": "calibration.logistic_map_v1", "features": list(self.features),
               "base_rate": round(self.base_rate, 10), "n_cases": self.n_cases,
               "n_not_met": self.n_not_met, "info": self.info,
               "coefficients": {k: {col: (None if pd.isna(v) else float(v)) for col, v in row.items()}
                                for k, row in c.iterrows()}}
        if self.boot is not None:
            doc["bootstrap"] = np.round(self.boot, 10).tolist()
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
        if not isinstance(feats, list) or not feats or not set(feats) <= set(ALL_FEATURES):
            raise ParameterError(f"calibration file: features {feats} are not a subset of "
                                 f"{list(ALL_FEATURES)}; refit with {REFIT_HINT}")
        coefs = pd.DataFrame(doc["coefficients"]).T.astype(float)
        if list(coefs.index) != ["intercept", *feats]:
            raise ParameterError("calibration file: coefficients do not match its features")
        boot = doc.get("bootstrap")
        if boot is not None:
            boot = np.asarray(boot, dtype=float).reshape(-1, len(coefs))
        return cls(coefs, float(doc["base_rate"]), int(doc["n_cases"]), int(doc["n_not_met"]), doc["info"],
                   boot=boot)


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


def usable_cases(cases, features=FEATURES):
    """The cases whose ``features`` are all known (rows without ``p_trend`` are dropped).

    Raises
    ------
    ParameterError
        No ``outcome_met`` column, or a feature column is missing.

    Examples
    --------
    >>> usable_cases(pd.DataFrame({"outcome_met": [True, False], "lp_trend": [0.1, np.nan]}), ("lp_trend",))
       outcome_met  lp_trend
    0         True       0.1
    """
    if "outcome_met" not in cases:
        raise ParameterError("calibration: cases need an 'outcome_met' column (reference_cases() output)")
    missing = [c for c in features if c not in cases and c != "track"]
    if missing:
        raise ParameterError(f"calibration: cases lack feature columns {missing}")
    required = [f for f in features if f not in DECLARED_FEATURES and f != "track"]
    ok = cases[required].notna().all(axis=1)
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
        A subset of :data:`ALL_FEATURES` (default :data:`MODEL_FEATURES`;
        ``FEATURES`` gives the full model). With ``track`` and no ``track``
        column in ``cases``, the track record of every case is computed from
        the others (:func:`~plananalysis.calibration.track.with_track`) and its
        base rate and ``k`` stored in ``info["track"]``; an unknown declared
        feature (NaN) takes the training mean.

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
    if not features or not set(features) <= set(ALL_FEATURES):
        raise ParameterError(f"features must be a non-empty subset of {list(ALL_FEATURES)}, got {list(features)}")
    data = usable_cases(cases, features)
    y = data["outcome_met"].astype(bool).to_numpy().astype(float)
    if len(y) < 10 or y.min() == y.max():
        raise ParameterError(f"calibration needs at least 10 cases with both outcomes; got {len(y)} "
                             f"cases, {int(y.sum())} met")
    if not prior_sd > 0:
        raise ParameterError(f"prior_sd must be positive, got {prior_sd!r}")
    track_info = None
    if "track" in features and "track" not in data:
        # the track record of every case from the others (its own plan group and later outcomes excluded)
        data, track_info = with_track(data, data)
    raw = data[list(features)].to_numpy(dtype=float)
    mean = np.nanmean(raw, axis=0) if len(raw) else np.zeros(len(features))
    mean = np.where(np.isnan(mean), 0.0, mean)  # a declared feature unknown everywhere: constant
    raw = _neutral_fill(raw, features, mean)
    mean = raw.mean(axis=0)
    scale = raw.std(axis=0)
    scale[scale == 0] = 1.0
    X = (raw - mean) / scale
    est = _fit_params(X, y, prior_sd)
    boot = np.full((n_boot, len(est)), np.nan)
    clusters = data["plan_group"] if "plan_group" in data else pd.Series(range(len(y)))
    for b, idx in enumerate(boot_indices(clusters, n_boot, np.random.default_rng(seed))):
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
    if track_info is not None:
        info["track"] = {"base_rate": round(track_info["base_rate"], 10), "k": round(track_info["k"], 10),
                         "rule": "empirical-Bayes beta-binomial shrinkage toward the base rate; history = "
                                 "earlier outcomes (target_year <= as_of) of the family outside the case's "
                                 "plan group, each plan group once"}
    kept = boot[np.isfinite(boot).all(axis=1)] if n_boot else None
    return CalibrationModel(coefs, float(y.mean()), int(len(y)), int((y == 0).sum()), info, boot=kept)


# ---------------------------------------------------------------- cluster bootstrap
def _cluster_draws(clusters, n_boot, rng):
    """Cluster code of each case, and ``n_boot`` rows of clusters drawn with replacement."""
    codes, uniq = pd.factorize(pd.Series(clusters).astype(str))
    return codes, rng.integers(0, len(uniq), (n_boot, len(uniq)))


def boot_indices(clusters, n_boot, rng):
    """Case indices of ``n_boot`` cluster-bootstrap samples: whole clusters drawn with replacement.

    Examples
    --------
    >>> [idx.tolist() for idx in boot_indices(["a", "a", "b"], 2, np.random.default_rng(0))]
    [[2, 2], [2, 0, 1]]
    """
    codes, draws = _cluster_draws(clusters, n_boot, rng)
    members = [np.flatnonzero(codes == k) for k in range(draws.shape[1])]
    return [np.concatenate([members[k] for k in row]) for row in draws]


def boot_weights(clusters, n_boot, rng):
    """How often each case occurs in each of ``n_boot`` cluster-bootstrap samples.

    The same draws as :func:`boot_indices`, as an ``(n_boot, n_cases)``
    count matrix, so a resampled mean is one matrix product instead of a
    Python loop over samples.

    Examples
    --------
    >>> boot_weights(["a", "a", "b"], 2, np.random.default_rng(0)).tolist()
    [[0.0, 0.0, 2.0], [1.0, 1.0, 1.0]]
    """
    codes, draws = _cluster_draws(clusters, n_boot, rng)
    counts = np.zeros(draws.shape)
    np.add.at(counts, (np.repeat(np.arange(n_boot), draws.shape[1]), draws.ravel()), 1.0)
    return counts[:, codes]
