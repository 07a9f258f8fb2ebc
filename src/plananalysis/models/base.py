"""The model registry and the fitted-model protocol every model follows.

A *model* is a small object with a ``name``, the minimum number of exact
observations it needs (``min_obs``), a ``scale`` (``"domain"``: fitted on the
series' modelling scale, log for counts and logit for shares; ``"original"``:
fitted in original units) and a ``fit(years, z)`` method that returns a
:class:`Fitted` object on that scale. A fitted object gives

* ``point(H)``: the exact median of the predictive distribution at horizons
  ``1..H`` (every model here has a symmetric predictive on its scale, so the
  median is the location; it commutes with the monotone back-transform);
* ``scale(H)`` and ``df``: the predictive is ``point + scale * t_df``
  (``df = inf``: normal), so ``quantile(H, probs)`` is exact;
* ``simulate(H, n, rng)``: joint sample paths (H x n) from the same model;
* ``gaps(n, rng)``: conditional draws for the unobserved years inside the
  fit window (gaps x n).

:data:`REGISTRY` maps each name to its model; :data:`MODELS`,
:data:`MIN_OBS` and the CLI help are derived from it, so a model is defined
in one place.

Examples
--------
>>> import numpy as np
>>> fit = REGISTRY["naive"].fit(np.array([2019, 2020, 2021]), np.array([1.0, 2.0, 2.5]))
>>> fit.point(2).tolist()
[2.5, 2.5]
"""

from __future__ import annotations

import numpy as np

__all__ = ["Model", "Fitted", "REGISTRY", "register", "gap_years", "full_grid"]


def gap_years(years):
    """Unobserved years strictly inside ``[years[0], years[-1]]``.

    Examples
    --------
    >>> gap_years(np.array([2015, 2016, 2019])).tolist()
    [2017, 2018]
    """
    if len(years) == 0 or years[-1] - years[0] + 1 == len(years):
        return np.empty(0, dtype=int)
    full = np.arange(years[0], years[-1] + 1)
    return full[~np.isin(full, years)]


def full_grid(t, z):
    """``z`` placed on every year from ``t[0]`` to ``t[-1]`` (NaN in gap years)."""
    full = np.full(int(t[-1] - t[0]) + 1, np.nan)
    full[t - t[0]] = z
    return full


def t_ppf(df, p):
    """Student-t quantile (normal when ``df`` is infinite)."""
    from scipy import special  # here, not at import: keeps `import plananalysis` light for the report runner

    p = np.asarray(p, dtype=float)
    if not np.isfinite(df):
        return special.ndtri(p)
    return special.stdtrit(df, p)


def t_cdf(df, x):
    """Student-t CDF (normal when ``df`` is infinite)."""
    from scipy import special

    if not np.isfinite(df):
        return special.ndtr(x)
    return special.stdtr(df, x)


def sigma_draws(s2, df, n, rng):
    """Per-path noise s.d. from the scaled-inverse-chi^2 posterior of sigma^2.

    Drawing sigma this way and the noise given sigma makes every h-step
    marginal an exact Student-t with ``df`` degrees of freedom.
    """
    df = max(int(df), 1)
    return np.sqrt(s2 * df / rng.chisquare(df, size=n))


def bridge(t, z, gaps, sig, rng, n):
    """Brownian-bridge draws (gaps x paths) between the neighbouring observations."""
    out = np.empty((len(gaps), n))
    if not len(gaps):
        return out
    pos = {y: i for i, y in enumerate(gaps)}
    for a, b, za, zb in zip(t[:-1], t[1:], z[:-1], z[1:]):
        prev = np.full(n, za)
        for g in range(a + 1, b):
            left = b - g + 1
            mean = prev + (zb - prev) / left
            sd = sig * np.sqrt((b - g) / left)
            prev = mean + sd * rng.standard_normal(n)
            out[pos[g]] = prev
    return out


class Fitted:
    """A model fitted to one series on its modelling scale.

    Subclasses set ``t``, ``z``, ``df``, ``params`` and implement
    :meth:`point`, :meth:`scale` and :meth:`simulate`; :meth:`quantile`
    and :meth:`gaps` have generic versions.
    """

    df: float = np.inf
    note: str = ""

    def __init__(self, t, z, params=None):
        self.t = np.asarray(t, dtype=int)
        self.z = np.asarray(z, dtype=float)
        self.params = {} if params is None else dict(params)

    def point(self, H):  # pragma: no cover - abstract
        """Exact predictive median at horizons ``1..H`` (modelling scale)."""
        raise NotImplementedError

    def scale(self, H):  # pragma: no cover - abstract
        """Predictive scale at horizons ``1..H`` (the predictive is point + scale x t_df)."""
        raise NotImplementedError

    def simulate(self, H, n, rng):  # pragma: no cover - abstract
        """Joint sample paths, H x n, on the modelling scale."""
        raise NotImplementedError

    def quantile(self, H, probs):
        """Exact predictive quantiles, ``len(probs) x H``."""
        q = t_ppf(self.df, np.asarray(probs, dtype=float))
        return self.point(H)[None, :] + np.outer(q, self.scale(H))

    def cdf(self, H, x):
        """Predictive CDF at ``x`` (``... x H`` array, broadcast) on the modelling scale."""
        s = np.maximum(self.scale(H), 1e-300)
        return t_cdf(self.df, (np.asarray(x, dtype=float) - self.point(H)) / s)

    def gaps(self, n, rng):
        """Conditional draws for the gap years (Brownian bridge with the model's sigma)."""
        gy = gap_years(self.t)
        sig = self._gap_sigma(n, rng) if len(gy) else np.zeros(n)
        return bridge(self.t, self.z, gy, sig, rng, n)

    def _gap_sigma(self, n, rng):
        sig = getattr(self, "_sig", None)  # the paths' own sigma: gaps and paths stay joint
        if sig is not None and len(sig) == n:
            return sig
        return sigma_draws(self.params["sigma"] ** 2, self.params["df"], n, rng)


class Model:
    """A forecasting model: ``name``, ``min_obs``, ``scale`` and ``fit(years, z)``.

    Attributes
    ----------
    name : str
        Registry key.
    min_obs : int
        Exact observations needed in the fit window.
    scale : {"domain", "original"}
        Fitted on the domain's modelling scale or in original units.
    summary : str
        One line for the CLI help and the docs.
    """

    name = ""
    min_obs = 2
    scale = "domain"
    summary = ""

    def fit(self, years, z) -> Fitted:  # pragma: no cover - abstract
        """Fit on the modelling scale; ``years`` sorted ints, ``z`` the values."""
        raise NotImplementedError

    def __repr__(self):
        return f"<model {self.name} (min_obs {self.min_obs}, {self.scale} scale)>"


REGISTRY: dict = {}
"""Model name -> :class:`Model` instance, in the order models were registered."""


def register(model):
    """Add a model instance (or class, instantiated) to :data:`REGISTRY`; returns it."""
    inst = model() if isinstance(model, type) else model
    REGISTRY[inst.name] = inst
    return model
