"""Gap-tolerant exponential smoothing: damped-trend ETS(A,Ad,N) and the Theta method.

statsmodels' ``ETSModel`` and ``ThetaModel`` do not accept missing years;
the filters here skip the update step in a gap year (the state is carried
forward, as a Kalman filter does with a missing observation). On gap-free
series they agree with statsmodels (``tests/test_parity.py``): with the same
parameters and initial states the one-step errors and forecasts of
:func:`holt_filter` equal ``ETSModel(error="add", trend="add",
damped_trend=True)`` to 1e-9; the fitted ETS forecasts (grid search here,
MLE there) and the Theta forecasts are compared at the tolerances stated in
that file.

Examples
--------
>>> import numpy as np
>>> t = np.arange(2010, 2020)
>>> fit = ETS().fit(t, 1.0 + 0.5 * np.arange(10.0))
>>> bool(np.allclose(fit.point(2), [6.0, 6.5], atol=0.05))
True
"""

from __future__ import annotations

import numpy as np

from .base import Fitted, Model, full_grid, register, sigma_draws

__all__ = ["ETS", "Theta", "holt_filter"]


def holt_filter(zfull, alpha, beta, phi, l0, b0):
    """One-step errors (n_obs x G) and final states of damped Holt, vectorised over a grid.

    Error-correction form: ``yhat = l + phi b``, ``e = y - yhat``,
    ``l' = yhat + alpha e``, ``b' = phi b + beta e``. Missing years (NaN)
    skip the update: the state is carried forward.
    """
    lvl = np.broadcast_to(np.asarray(l0, float), np.shape(alpha)).copy()
    trd = np.broadcast_to(np.asarray(b0, float), np.shape(alpha)).copy()
    errs = []
    for y in zfull:
        yhat = lvl + phi * trd
        if np.isnan(y):
            lvl, trd = yhat, phi * trd
            continue
        e = y - yhat
        errs.append(e)
        lvl = yhat + alpha * e
        trd = phi * trd + beta * e
    return np.array(errs), lvl, trd


_RESPONSES: dict = {}


def _unit_responses(zfull, alpha, beta, phi, trend=True):
    """One-step errors of zero data from a unit initial level (and trend).

    They depend only on the gap pattern and the grid, not on the data, so
    they are cached (the fit then costs one filter pass instead of three).
    """
    mask = np.isnan(zfull)
    key = (mask.tobytes(), np.asarray(alpha).tobytes(), np.asarray(beta).tobytes(),
           np.asarray(phi).tobytes(), trend)
    if key not in _RESPONSES:
        if len(_RESPONSES) > 256:
            _RESPONSES.clear()
        zero = np.where(mask, np.nan, 0.0)
        e1, _, _ = holt_filter(zero, alpha, beta, phi, 1.0, 0.0)
        e2 = holt_filter(zero, alpha, beta, phi, 0.0, 1.0)[0] if trend else None
        _RESPONSES[key] = (e1, e2)
    return _RESPONSES[key]


def _concentrate(zfull, alpha, beta, phi, b_fixed=None):
    """Least-squares initial states for every grid point; returns SSE, l0, b0.

    The filter is linear in the initial states, so the errors are
    ``e0 + l0 e1 + b0 e2`` and the SSE-minimising ``(l0, b0)`` solve a 2x2
    system per grid point.
    """
    if b_fixed is None:
        e0, _, _ = holt_filter(zfull, alpha, beta, phi, 0.0, 0.0)
        e1, e2 = _unit_responses(zfull, alpha, beta, phi)
        a11, a12, a22 = (e1 * e1).sum(0), (e1 * e2).sum(0), (e2 * e2).sum(0)
        c1, c2 = (e1 * e0).sum(0), (e2 * e0).sum(0)
        det = a11 * a22 - a12 ** 2 + 1e-12
        l0 = -(a22 * c1 - a12 * c2) / det
        b0 = -(a11 * c2 - a12 * c1) / det
        err = e0 + l0 * e1 + b0 * e2
    else:
        e0, _, _ = holt_filter(zfull, alpha, beta, phi, 0.0, b_fixed)
        e1, _ = _unit_responses(zfull, alpha, beta, phi, trend=False)
        l0 = -(e1 * e0).sum(0) / ((e1 * e1).sum(0) + 1e-12)
        b0 = np.full_like(l0, b_fixed)
        err = e0 + l0 * e1
    return (err ** 2).sum(0), l0, b0


# alpha in 0.05..0.95, beta = alpha x {0.01..0.9}, phi in 0.80..0.98 (Hyndman et al. 2008 bounds)
_ETS_GRID = np.array([(a, a * f, p)
                      for a in np.linspace(0.05, 0.95, 10)
                      for f in (0.01, 0.1, 0.3, 0.6, 0.9)
                      for p in (0.80, 0.85, 0.90, 0.95, 0.98)]).T
_SES_GRID = np.linspace(0.02, 1.0, 50)


class _HoltFit(Fitted):
    """Damped Holt state after the last observation, with additive Gaussian errors."""

    def __init__(self, t, z, alpha, beta, phi, lvl, trd, sse, n_par, params):
        super().__init__(t, z, params)
        self.alpha, self.beta, self.phi = float(alpha), float(beta), float(phi)
        self.lvl, self.trd = float(lvl), float(trd)
        self.df = max(len(self.z) - n_par, 1)
        self.s2 = sse / self.df
        self.params.update(alpha=self.alpha, level=self.lvl, sigma=float(np.sqrt(self.s2)), df=self.df)

    def point(self, H):
        return self.lvl + self.trd * np.cumsum(self.phi ** np.arange(1, H + 1))

    def scale(self, H):
        # y_{T+h} - yhat = e_h + sum_{j=1}^{h-1} (alpha + beta phi_j) e_{h-j}, phi_j = phi + ... + phi^j
        phij = np.cumsum(self.phi ** np.arange(1, H))
        c = np.concatenate([[1.0], 1.0 + np.cumsum((self.alpha + self.beta * phij) ** 2)])
        return np.sqrt(self.s2 * c)

    def simulate(self, H, n, rng):
        sig = sigma_draws(self.s2, self.df, n, rng)
        self._sig = sig
        lvl, trd = np.full(n, self.lvl), np.full(n, self.trd)
        out = np.empty((H, n))
        for h in range(H):
            e = sig * rng.standard_normal(n)
            yhat = lvl + self.phi * trd
            out[h] = yhat + e
            lvl = yhat + self.alpha * e
            trd = self.phi * trd + self.beta * e
        return out


@register
class ETS(Model):
    """Damped-trend exponential smoothing ETS(A,Ad,N) on the modelling scale.

    Smoothing parameters by a grid search (alpha in 0.05..0.95,
    beta = alpha x {0.01..0.9}, phi in 0.80..0.98), the two initial states
    concentrated out by least squares; missing years skip the update.
    Residual degrees of freedom n - 5.
    """

    name, min_obs, scale = "ets", 6, "domain"
    summary = "damped-trend exponential smoothing ETS(A,Ad,N)"

    def fit(self, years, z):
        t = np.asarray(years, dtype=int)
        zfull = full_grid(t, z)
        alpha, beta, phi = _ETS_GRID
        sse, l0, b0 = _concentrate(zfull, alpha, beta, phi)
        i = int(np.argmin(sse))
        a, b, p = alpha[i], beta[i], phi[i]
        _, lvl, trd = holt_filter(zfull, a, b, p, l0[i], b0[i])
        return _HoltFit(t, z, a, b, p, float(lvl), float(trd), float(sse[i]), 5,
                        {"beta": float(b), "phi": float(p), "trend": float(trd),
                         "initial": (float(l0[i]), float(b0[i]))})


@register
class Theta(Model):
    """The Theta method as SES with drift equal to half the OLS slope (Hyndman & Billah 2003).

    alpha by least squares on a grid (0.02..1), the initial level
    concentrated out; residual degrees of freedom n - 3.
    """

    name, min_obs, scale = "theta", 5, "domain"
    summary = "Theta method (SES with drift = half the OLS slope)"

    def fit(self, years, z):
        t = np.asarray(years, dtype=int)
        z = np.asarray(z, dtype=float)
        slope = float(np.polyfit(t, z, 1)[0])
        drift = slope / 2.0
        zfull = full_grid(t, z)
        sse, l0, _ = _concentrate(zfull, _SES_GRID, 0.0, 1.0, b_fixed=drift)
        i = int(np.argmin(sse))
        _, lvl, _ = holt_filter(zfull, _SES_GRID[i], 0.0, 1.0, l0[i], drift)
        return _HoltFit(t, z, _SES_GRID[i], 0.0, 1.0, float(lvl), drift, float(sse[i]), 3,
                        {"drift": drift, "ols_slope": slope, "initial_level": float(l0[i])})
