"""Random walks and linear trends, fitted in closed form with gaps.

Examples
--------
>>> import numpy as np
>>> t = np.array([2018, 2019, 2020, 2022])
>>> fit = Drift().fit(t, np.array([1.0, 2.0, 3.0, 5.0]))
>>> fit.point(2).tolist()
[6.0, 7.0]
"""

from __future__ import annotations

import numpy as np

from .base import Fitted, Model, gap_years, register, sigma_draws

__all__ = ["Naive", "Drift", "LogDrift", "Linear", "LogLinear"]


class _RWFit(Fitted):
    """Random walk (with drift): a k-year difference has variance k sigma^2."""

    def __init__(self, t, z, drift):
        super().__init__(t, z)
        k = np.diff(self.t).astype(float)
        d = np.diff(self.z)
        self.span = float(self.t[-1] - self.t[0])
        self.mu = (self.z[-1] - self.z[0]) / self.span if drift else 0.0
        self.has_drift = drift
        self.df = max(len(d) - (1 if drift else 0), 1)
        self.s2 = float(np.sum((d - k * self.mu) ** 2 / k) / self.df)
        self.params = {"sigma": float(np.sqrt(self.s2)), "df": self.df}
        if drift:
            self.params["drift"] = float(self.mu)

    def point(self, H):
        return self.z[-1] + self.mu * np.arange(1, H + 1)

    def scale(self, H):
        h = np.arange(1, H + 1, dtype=float)
        return np.sqrt(self.s2 * (h + (h * h / self.span if self.has_drift else 0.0)))

    def simulate(self, H, n, rng):
        sig = sigma_draws(self.s2, self.df, n, rng)
        mus = self.mu + (sig / np.sqrt(self.span) * rng.standard_normal(n) if self.has_drift else 0.0)
        steps = mus + sig * rng.standard_normal((H, n))
        self._sig = sig
        return self.z[-1] + np.cumsum(steps, axis=0)


@register
class Naive(Model):
    """Random walk: "no change", sigma from the scaled differences ``d_i / sqrt(k_i)``."""

    name, min_obs, scale = "naive", 2, "domain"
    summary = "random walk (no change)"

    def fit(self, years, z):
        return _RWFit(years, z, drift=False)


@register
class Drift(Model):
    """Random walk with additive drift in original units (constant absolute change).

    ``mu = (y_last - y_first) / (t_last - t_first)``, the Gaussian MLE with
    gaps; the drift's uncertainty is simulated (``Var = sigma^2 / span``).
    """

    name, min_obs, scale = "drift", 3, "original"
    summary = "random walk with additive drift (original units)"

    def fit(self, years, z):
        return _RWFit(years, z, drift=True)


@register
class LogDrift(Drift):
    """Random walk with drift on the modelling scale (constant growth rate for counts)."""

    name, min_obs, scale = "logdrift", 3, "domain"
    summary = "random walk with drift on the log/logit scale (constant growth)"


class _OLSFit(Fitted):
    def __init__(self, t, z):
        super().__init__(t, z)
        self.tbar = self.t.mean()
        X = np.column_stack([np.ones(len(self.t)), self.t - self.tbar])
        self.beta, *_ = np.linalg.lstsq(X, self.z, rcond=None)
        resid = self.z - X @ self.beta
        self.df = max(len(self.t) - 2, 1)
        self.s2 = float(resid @ resid / self.df)
        self.xtx_inv = np.linalg.inv(X.T @ X)
        self.params = {"intercept": float(self.beta[0] - self.beta[1] * self.tbar),
                       "slope": float(self.beta[1]), "sigma": float(np.sqrt(self.s2)), "df": self.df}

    def _x(self, years):
        return np.column_stack([np.ones(len(years)), np.asarray(years, float) - self.tbar])

    def point(self, H):
        return self._x(self.t[-1] + np.arange(1, H + 1)) @ self.beta

    def scale(self, H):
        x = self._x(self.t[-1] + np.arange(1, H + 1))
        return np.sqrt(self.s2 * (1 + np.einsum("ij,jk,ik->i", x, self.xtx_inv, x)))

    def _draw(self, years, n, rng, betas, sig):
        return betas[0] + np.outer(np.asarray(years, float) - self.tbar, betas[1]) \
            + sig * rng.standard_normal((len(years), n))

    def simulate(self, H, n, rng):
        sig = sigma_draws(self.s2, self.df, n, rng)
        chol = np.linalg.cholesky(self.xtx_inv)
        self._betas = self.beta[:, None] + chol @ rng.standard_normal((2, n)) * sig
        self._sig = sig
        return self._draw(self.t[-1] + np.arange(1, H + 1), n, rng, self._betas, sig)

    def gaps(self, n, rng):
        gy = gap_years(self.t)
        if not hasattr(self, "_betas"):
            self.simulate(1, n, rng)
        return self._draw(gy, n, rng, self._betas, self._sig)


@register
class Linear(Model):
    """OLS trend in original units (constant absolute change); exact Student-t predictive."""

    name, min_obs, scale = "linear", 3, "original"
    summary = "OLS linear trend (original units)"

    def fit(self, years, z):
        return _OLSFit(years, z)


@register
class LogLinear(Linear):
    """OLS trend on the modelling scale: constant growth rate for counts."""

    name, min_obs, scale = "loglinear", 3, "domain"
    summary = "OLS trend on the log/logit scale (constant growth)"
