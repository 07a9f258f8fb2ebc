"""ARIMA through statsmodels' state-space ``ARIMA`` (NaN gaps handled by the Kalman filter).

Orders p, q in {0, 1}, d in {0, 1}, a linear trend for d = 0 and a drift
for d = 1, chosen by AICc among the orders that leave at least one residual
degree of freedom; the parameter covariance is skipped (not used) and the
search is cached per data set. Intervals condition on the estimated
parameters (normal predictive). Not a default candidate: an order search
costs about 0.4 s per series (see ``bench/bench_m3.py``), a hundred times the
numpy models.

Examples
--------
>>> import numpy as np
>>> fit = ARIMA().fit(np.arange(2010, 2020), np.arange(10.0) + np.sin(np.arange(10.0)))
>>> fit.point(3).shape
(3,)
"""

from __future__ import annotations

import warnings

import numpy as np

from .base import Fitted, Model, full_grid, gap_years, register
from .simple import _RWFit

__all__ = ["ARIMA"]

_ARIMA_ORDERS = [((p, d, q), "ct" if d == 0 else "t") for d in (1, 0) for p in (0, 1) for q in (0, 1)]
_ARIMA_CACHE: dict = {}
_ARIMA_CACHE_SIZE = 64


def _arima_search(zfull, n_obs):
    """Best ARIMA by AICc; cached per data."""
    key = np.asarray(zfull, dtype=float).tobytes()
    if key not in _ARIMA_CACHE:
        if len(_ARIMA_CACHE) >= _ARIMA_CACHE_SIZE:
            _ARIMA_CACHE.pop(next(iter(_ARIMA_CACHE)))
        _ARIMA_CACHE[key] = _arima_search_uncached(zfull, n_obs)
    return _ARIMA_CACHE[key]


def _arima_search_uncached(zfull, n_obs):
    from statsmodels.tsa.arima.model import ARIMA as _SM_ARIMA

    best, tried = None, []
    for order, trend in _ARIMA_ORDERS:
        k = order[0] + order[2] + len(trend) + 1  # + sigma2
        if n_obs - order[1] - k - 1 <= 0:
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                res = _SM_ARIMA(zfull, order=order, trend=trend).fit(cov_type="none")
        except Exception as exc:  # noqa: BLE001 - any statsmodels failure: skip this order
            tried.append((order, trend, f"failed: {type(exc).__name__}"))
            continue
        n_eff = n_obs - order[1]
        aicc = -2 * res.llf + 2 * k + 2 * k * (k + 1) / (n_eff - k - 1)
        if not np.isfinite(aicc):
            continue
        converged = bool(res.mle_retvals.get("converged", True)) if res.mle_retvals else True
        tried.append((order, trend, round(float(aicc), 3), converged, len(caught)))
        if best is None or aicc < best[0]:
            best = (aicc, order, trend, res, converged)
    return best, tried


def _ss_noise(res, H, n, rng):
    """Joint forecast noise (H x n) of a time-invariant statsmodels state-space result."""
    fr = res.filter_results

    def mat(name):
        m = np.asarray(getattr(fr, name))
        return m[..., -1] if m.ndim == 3 else m

    T, R, Q, Z, Hc = mat("transition"), mat("selection"), mat("state_cov"), mat("design"), mat("obs_cov")
    P = np.asarray(fr.predicted_state_cov)[:, :, -1]
    w, V = np.linalg.eigh((P + P.T) / 2)
    a = (V * np.sqrt(np.clip(w, 0, None))) @ rng.standard_normal((len(w), n))
    wq, Vq = np.linalg.eigh(Q)
    Lq = Vq * np.sqrt(np.clip(wq, 0, None))
    out = np.empty((H, n))
    for h in range(H):
        out[h] = (Z @ a)[0] + np.sqrt(max(Hc[0, 0], 0)) * rng.standard_normal(n)
        a = T @ a + R @ (Lq @ rng.standard_normal((Lq.shape[1], n)))
    return out


class _ArimaFit(Fitted):
    df = np.inf

    def __init__(self, t, z, best, tried):
        super().__init__(t, z)
        aicc, order, trend, res, converged = best
        self.res = res
        self.params = {"order": order, "trend": trend, "aicc": float(aicc), "converged": converged,
                       "coef": {k: float(v) for k, v in zip(res.model.param_names, res.params)},
                       "orders_tried": list(tried)}
        self.note = "" if converged else "ARIMA optimiser reported non-convergence"
        self._fc = {}

    def _forecast(self, H):
        if H not in self._fc:
            f = self.res.get_forecast(H)
            self._fc[H] = (np.asarray(f.predicted_mean), np.sqrt(np.asarray(f.var_pred_mean)))
        return self._fc[H]

    def point(self, H):
        return self._forecast(H)[0]

    def scale(self, H):
        return self._forecast(H)[1]

    def simulate(self, H, n, rng):
        return self.point(H)[:, None] + _ss_noise(self.res, H, n, rng)

    def gaps(self, n, rng):
        gy = gap_years(self.t)
        if not len(gy):
            return np.empty((0, n))
        pred = self.res.get_prediction(start=0, end=int(self.t[-1] - self.t[0]), information_set="smoothed")
        idx = gy - self.t[0]
        m = np.asarray(pred.predicted_mean)[idx]
        v = np.clip(np.asarray(pred.var_pred_mean)[idx], 0, None)
        return m[:, None] + np.sqrt(v)[:, None] * rng.standard_normal((len(gy), n))


@register
class ARIMA(Model):
    """ARIMA(p, d, q), p, q <= 1, d <= 1, by AICc (statsmodels, Kalman filter over gaps).

    Falls back to the random walk with drift (noted) when no order can be fitted.
    """

    name, min_obs, scale = "arima", 6, "domain"
    summary = "ARIMA(p<=1, d<=1, q<=1) by AICc (statsmodels; slow)"

    def fit(self, years, z):
        t = np.asarray(years, dtype=int)
        z = np.asarray(z, dtype=float)
        best, tried = _arima_search(full_grid(t, z), len(z))
        if best is None:
            fit = _RWFit(t, z, drift=True)
            fit.params.update(fallback_from="arima", arima_tried=tried)
            fit.note = "ARIMA: no order could be fitted; used drift instead"
            return fit
        return _ArimaFit(t, z, best, tried)
