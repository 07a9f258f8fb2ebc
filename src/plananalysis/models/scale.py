"""Modelling scales: a :class:`~plananalysis.domain.Domain` decides log, logit or original units.

``count`` -> log of ``x - lower`` (``lower`` = 0); ``share`` -> logit of
``(x - lower) / (upper - lower)``; ``rate`` and ``real`` -> original units.
A count with a zero (no log) or a share at a bound (no logit) is modelled in
original units and clipped to the domain. A model whose ``scale`` is
``"original"`` (drift, linear) always works in original units, clipped to
the domain's bounds (a ``rate`` has none, so nothing is clipped).

:class:`ScaledFit` wraps a model fitted on its scale and answers in original
units: exact point (median) and quantiles (the back-transform and the
clipping are monotone, so quantiles map to quantiles), the CDF, sample
paths and gap draws.

Examples
--------
>>> from plananalysis.domain import Domain
>>> d = Domain("share")
>>> z = forward([25.0, 50.0], "logit", d)
>>> [round(float(v), 4) for v in z]
[-1.0986, 0.0]
>>> [float(v) for v in backward(z, "logit", d)]
[25.0, 50.0]
"""

from __future__ import annotations

import numpy as np

from ..domain import Domain
from ..errors import ParameterError

__all__ = ["TRANSFORMS", "resolve_transform", "forward", "backward", "clip", "ScaledFit", "fit_scaled"]

TRANSFORMS = ("auto", "none", "log", "logit")


def _bounds(domain, transform):
    lo, hi = domain.bounds
    if transform == "log":
        return (0.0 if lo is None else lo), None
    if transform == "logit":
        return (0.0 if lo is None else lo), (100.0 if hi is None else hi)
    return lo, hi


def resolve_transform(transform, model_scale, domain, values):
    """The scale a model is fitted on: explicit ``transform`` wins, else the domain's."""
    if transform not in TRANSFORMS:
        raise ParameterError(f"transform must be one of {TRANSFORMS}, got {transform!r}")
    if transform != "auto":
        return transform
    if model_scale == "original":
        return "none"
    return domain.scale_for(values)


def forward(x, transform, domain):
    """Original units -> modelling scale (raises on values the scale cannot take)."""
    x = np.asarray(x, dtype=float)
    lo, hi = _bounds(domain, transform)
    if transform == "log":
        if np.any(x <= lo):
            raise ParameterError(f"transform 'log' needs values above {lo:g}; use transform='none'")
        return np.log(x - lo)
    if transform == "logit":
        if np.any((x <= lo) | (x >= hi)):
            raise ParameterError(f"transform 'logit' needs values strictly between {lo:g} and {hi:g}")
        p = (x - lo) / (hi - lo)
        return np.log(p / (1 - p))
    return x


def backward(z, transform, domain):
    """Modelling scale -> original units (overflow in a t-tail gives inf, which is honest)."""
    z = np.asarray(z, dtype=float)
    lo, hi = _bounds(domain, transform)
    with np.errstate(over="ignore"):
        if transform == "log":
            return lo + np.exp(z)
        if transform == "logit":
            return lo + (hi - lo) / (1.0 + np.exp(-z))
    return z


def clip(x, domain):
    """Values clipped to the domain's bounds and how many were clipped."""
    lo, hi = domain.bounds
    n = 0
    if lo is not None:
        n += int(np.sum(x < lo))
    if hi is not None:
        n += int(np.sum(x > hi))
    if n:
        x = np.clip(x, lo, hi)
    return x, n


class ScaledFit:
    """A fitted model answering in original units.

    Parameters
    ----------
    model : Model
        The registered model.
    fitted : Fitted
        Its fit on the modelling scale.
    transform : str
        ``log``, ``logit`` or ``none``.
    domain : Domain
        Bounds used for the back-transform and the clipping.
    """

    def __init__(self, model, fitted, transform, domain):
        self.model, self.fitted, self.transform, self.domain = model, fitted, transform, domain
        self.name = model.name
        self.params = fitted.params
        self.note = fitted.note
        self.n_clipped = 0

    def point(self, H):
        """Exact median at horizons ``1..H``."""
        return clip(backward(self.fitted.point(H), self.transform, self.domain), self.domain)[0]

    def quantile(self, H, probs):
        """Exact quantiles, ``len(probs) x H``."""
        return clip(backward(self.fitted.quantile(H, probs), self.transform, self.domain), self.domain)[0]

    def cdf(self, H, x):
        """P(Y_h <= x) for horizons ``1..H`` (``x`` broadcast against ``(..., H)``)."""
        x = np.asarray(x, dtype=float)
        lo, hi = _bounds(self.domain, self.transform)
        if self.transform == "none":
            out = self.fitted.cdf(H, x)
            dlo, dhi = self.domain.bounds
            if dlo is not None:
                out = np.where(x < dlo, 0.0, out)
            if dhi is not None:
                out = np.where(x >= dhi, 1.0, out)
            return out
        inside = x > lo if hi is None else (x > lo) & (x < hi)
        xs = np.where(inside, x, lo + 1.0 if hi is None else (lo + hi) / 2)
        out = self.fitted.cdf(H, forward(xs, self.transform, self.domain))
        out = np.where(x <= lo, 0.0, out)
        if hi is not None:
            out = np.where(x >= hi, 1.0, out)
        return out

    def simulate(self, H, n, rng):
        """Sample paths (H x n) in original units, clipped to the domain."""
        paths, k = clip(backward(self.fitted.simulate(H, n, rng), self.transform, self.domain), self.domain)
        self.n_clipped += k
        return paths

    def draw(self, H, n, rng):
        """Joint ``(paths, gap draws)``: the gap draws reuse the paths' sigma draws."""
        paths = self.simulate(H, n, rng)
        return paths, self.gaps(n, rng)

    def gaps(self, n, rng):
        """Gap-year draws (gaps x n) in original units, clipped to the domain."""
        g, k = clip(backward(self.fitted.gaps(n, rng), self.transform, self.domain), self.domain)
        self.n_clipped += k
        return g


def fit_scaled(model, years, values, domain, transform="auto"):
    """Fit ``model`` on its scale for this domain; returns a :class:`ScaledFit` (or a mixture).

    Meta-models (combination, selection) define ``fit_values`` and are
    called through it.
    """
    if hasattr(model, "fit_values"):
        return model.fit_values(years, values, domain, transform)
    tr = resolve_transform(transform, model.scale, domain, values)
    return ScaledFit(model, model.fit(np.asarray(years, dtype=int), forward(values, tr, domain)), tr, domain)


def as_domain_or_infer(domain, unit, values):
    """A :class:`Domain` from ``domain`` (Domain, name or mapping) or inferred from unit and values."""
    from ..domain import as_domain, infer_domain

    if domain is None:
        return infer_domain(unit, values)
    if isinstance(domain, Domain):
        return domain
    return as_domain(domain, why="given to forecast()")
