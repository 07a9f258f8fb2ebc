"""Meta-models: an equal-weight combination of cheap models, and per-series selection.

A combination is the *mixture* of its components' predictive distributions
(weight 1/k each): its paths pool n/k paths from each component, its exact
median and quantiles solve ``mean_i F_i(x) = p`` by bisection on the
components' exact CDFs (each a Student-t on its own scale, back-transformed
and clipped), so intervals keep each model's uncertainty plus the
disagreement between them. A component that needs more observations than
the series has is left out and the fit records which were used.

Selection (``select``) refits every candidate at the last rolling origins
with :func:`~plananalysis.models.validation.cross_validate` and keeps the
one with the lowest MASE; on M3 yearly this costs accuracy and coverage
against a fixed combination (see :mod:`plananalysis.models`), so it is
offered, not the default.

Examples
--------
>>> import numpy as np
>>> from plananalysis.domain import Domain
>>> from plananalysis.models.base import REGISTRY
>>> fit = REGISTRY["combination"].fit_values(np.arange(2015, 2018), np.array([1.0, 2.0, 3.0]),
...                                          Domain("real"), "auto")
>>> fit.params["components"]
['drift', 'naive']
"""

from __future__ import annotations

import numpy as np

from ..errors import PlanAnalysisError
from .base import REGISTRY, Model, register
from .scale import _bounds, fit_scaled

__all__ = ["Combination", "MixtureFit", "Select"]

_BISECT_STEPS, _ROOT_STEPS = 4, 6  # M3 yearly: within 3e-9 of the series level of a 100-step bisection


class MixtureFit:
    """Equal-weight mixture of fitted models (original units)."""

    def __init__(self, name, fits, notes=()):
        self.name = name
        self.fits = list(fits)
        self.params = {"components": [f.name for f in self.fits],
                       **{f.name: f.params for f in self.fits}}
        self.note = "; ".join(n for n in list(notes) + [f.note for f in self.fits] if n)
        self.transform = "+".join(dict.fromkeys(f.transform for f in self.fits))
        self._cache = {}

    @property
    def n_clipped(self):
        return sum(f.n_clipped for f in self.fits)

    def _parts(self, H):
        """Stacked locations, scales, df and bounds of the components at horizons 1..H (cached)."""
        if H not in self._cache:
            trs = [f.transform for f in self.fits]
            loc = np.array([f.fitted.point(H) for f in self.fits])[:, None, :]
            scl = np.array([np.maximum(f.fitted.scale(H), 1e-300) for f in self.fits])[:, None, :]
            df = np.array([f.fitted.df for f in self.fits], dtype=float)[:, None, None]
            groups = {tr: (np.array([i for i, x in enumerate(trs) if x == tr]),
                           _bounds(self.fits[trs.index(tr)].domain, tr)) for tr in dict.fromkeys(trs)}
            dlo, dhi = self.fits[0].domain.bounds
            clip_none = "none" in groups and (dlo is not None or dhi is not None)
            self._cache[H] = (groups, loc, scl, df, np.isfinite(df).all(), dlo, dhi, clip_none)
        return self._cache[H]

    def cdf(self, H, x):
        """Mixture CDF at ``x`` (``P x H``), original units: one t-CDF call for all components."""
        from scipy import special  # imported on use (see models.base.t_ppf)

        x = np.asarray(x, dtype=float)
        groups, loc, scl, df, finite, dlo, dhi, clip_none = self._parts(H)
        z = np.empty((loc.shape[0],) + x.shape)
        for tr, (idx, (lo, hi)) in groups.items():
            if tr == "log":
                z[idx] = np.log(np.maximum(x - lo, 1e-300))
            elif tr == "logit":
                p = np.clip((x - lo) / (hi - lo), 1e-300, 1 - 1e-16)
                z[idx] = np.log(p / (1 - p))
            else:
                z[idx] = x
        u = (z - loc) / scl
        if finite:
            c = special.stdtr(df, u)
        else:
            c = np.where(np.isfinite(df), special.stdtr(np.where(np.isfinite(df), df, 1.0), u), special.ndtr(u))
        if clip_none:
            idx = groups["none"][0]
            if dlo is not None:
                c[idx] = np.where(x < dlo, 0.0, c[idx])
            if dhi is not None:
                c[idx] = np.where(x >= dhi, 1.0, c[idx])
        return c.mean(axis=0)

    def quantile(self, H, probs):
        """Exact mixture quantiles (``len(probs) x H``): root of ``F(x) = p`` between the components' quantiles.

        The root is sought in ``u = asinh(x / c)`` (``c`` the size of the
        components' medians), where tails that span orders of magnitude are
        short: :data:`_BISECT_STEPS` bisection steps, then
        :data:`_ROOT_STEPS` Illinois (regula falsi) steps.
        """
        probs = np.asarray(probs, dtype=float)
        if len(self.fits) == 1:
            return self.fits[0].quantile(H, probs)
        qs = np.array([f.quantile(H, probs) for f in self.fits])
        c = np.maximum(np.abs(np.array([f.point(H) for f in self.fits])).mean(axis=0), 1e-12)
        lo, hi = np.arcsinh(qs.min(axis=0) / c), np.arcsinh(qs.max(axis=0) / c)
        target = probs[:, None]

        def g(u):
            return self.cdf(H, c * np.sinh(u)) - target

        lo0, hi0 = lo, hi
        flo, fhi = g(lo), g(hi)
        at_lo = flo >= 0  # F jumps over p at the lower end (a clipped component's mass at a bound)
        for _ in range(_BISECT_STEPS):
            mid = 0.5 * (lo + hi)
            gm = g(mid)
            below = gm < 0
            lo, flo = np.where(below, mid, lo), np.where(below, gm, flo)
            hi, fhi = np.where(below, hi, mid), np.where(below, fhi, gm)
        last = np.zeros(lo.shape)
        for _ in range(_ROOT_STEPS):  # Illinois: regula falsi that halves a stale end
            den = fhi - flo
            u = np.where(den > 0, hi - fhi * (hi - lo) / np.where(den > 0, den, 1.0), 0.5 * (lo + hi))
            fu = g(u)
            left = fu < 0
            fhi = np.where(left & (last == 1), fhi * 0.5, fhi)
            flo = np.where(~left & (last == -1), flo * 0.5, flo)
            lo, flo = np.where(left, u, lo), np.where(left, fu, flo)
            hi, fhi = np.where(left, hi, u), np.where(left, fhi, fu)
            last = np.where(left, 1, -1)
        den = fhi - flo
        u = np.where(den > 0, hi - fhi * (hi - lo) / np.where(den > 0, den, 1.0), 0.5 * (lo + hi))
        u = np.where(at_lo, lo0, np.clip(u, lo0, hi0))
        return c * np.sinh(u)

    def point(self, H):
        """Exact mixture median."""
        return self.quantile(H, [0.5])[0]

    def draw(self, H, n, rng):
        """Joint (paths H x n, gap draws) pooled from the components, n/k paths each."""
        k = len(self.fits)
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        parts, gparts = [], []
        for f, size, child in zip(self.fits, sizes, rng.spawn(k)):
            if size == 0:
                continue
            p, g = f.draw(H, size, child)
            parts.append(p)
            gparts.append(g)
        return np.concatenate(parts, axis=1), np.concatenate(gparts, axis=1)


class Combination(Model):
    """Equal-weight mixture of registered models.

    Parameters
    ----------
    name : str
        Registry name.
    components : tuple of str
        Registered model names.
    summary : str
        One line for the help.
    """

    scale = "mixed"

    def __init__(self, name, components, summary="", stand_in="naive"):
        self.name = name
        self.components = tuple(components)
        self.stand_in = stand_in
        self.summary = summary or "equal-weight mixture of " + ", ".join(self.components)

    @property
    def min_obs(self):
        return min(REGISTRY[c].min_obs for c in self.components + ((self.stand_in,) if self.stand_in else ()))

    def fit_values(self, years, values, domain, transform="auto"):
        """Fit every component the series is long enough for; returns a :class:`MixtureFit`.

        Components the series is too short for are replaced by one
        ``stand_in`` component (the random walk: "no change" is the
        conservative guess when a trend model cannot be fitted).
        """
        n = len(years)
        fits, notes = [], []
        short = [c for c in self.components if REGISTRY[c].min_obs > n]
        use = [c for c in self.components if c not in short]
        if short:
            if self.stand_in and self.stand_in not in use:
                use.append(self.stand_in)
            notes.append(f"{self.name}: {', '.join(short)} left out ({n} observations; "
                         + ", ".join(f"{c} needs {REGISTRY[c].min_obs}" for c in short) + ")"
                         + (f", {self.stand_in} stands in" if self.stand_in in use else ""))
        for c in use:
            try:
                fits.append(fit_scaled(REGISTRY[c], years, values, domain, transform))
            except (ValueError, np.linalg.LinAlgError, FloatingPointError) as exc:
                notes.append(f"{c} left out ({type(exc).__name__})")
        if not fits:
            raise PlanAnalysisError(f"{self.name}: every component failed")
        return MixtureFit(self.name, fits, notes)


class Select(Model):
    """Per-series choice by rolling-origin MASE among cheap candidates.

    Origins are the last :attr:`origins` observed years with a later
    observation within :attr:`horizon` years; each candidate is refitted on
    the observations up to the origin (:func:`cross_validate`) and scored by
    its exact point forecast, so the choice does not depend on the seed.
    With fewer than :attr:`min_backtest` observations the series is too short
    to backtest and :attr:`fallback` (the random walk) is used. The fitted
    object's ``params["select"]`` records the choice, the reason and every
    candidate's MASE.
    """

    name, min_obs, scale = "select", 2, "mixed"
    summary = "per-series choice by rolling-origin MASE (under-covers: not the default)"
    candidates = ("naive", "drift", "logdrift", "linear", "loglinear", "theta", "ets")
    origins, horizon, min_backtest, fallback = 3, 3, 7, "naive"

    def choose(self, years, values, domain, transform="auto"):
        """The choice and its evidence as a dict (``chosen``, ``reason``, ``mase``, ``origins``, ...)."""
        from .validation import cross_validate

        t = np.asarray(years, dtype=int)
        n = len(t)
        info = {"n_obs": n, "origins": [], "mase": {}, "ineligible": {}}
        if n < self.min_backtest:
            info.update(chosen=self.fallback, reason=(
                f"{n} exact observations, fewer than the {self.min_backtest} needed to backtest; "
                f"used the documented fallback {self.fallback}"))
            return info
        min_train = n - self.origins
        eligible = [m for m in self.candidates if REGISTRY[m].min_obs <= min_train]
        info["ineligible"] = {m: f"needs {REGISTRY[m].min_obs} observations, smallest training set "
                                 f"has {min_train}" for m in self.candidates if m not in eligible}
        cv = cross_validate(t, values, eligible, horizons=range(1, self.horizon + 1),
                            min_train=min_train, last_origins=self.origins, domain=domain,
                            transform=transform, intervals=False)
        info["origins"] = sorted(int(o) for o in cv["origin"].unique())
        err = (cv["actual"] - cv["forecast"]).abs() / cv["scale"].replace(0, np.nan)
        per_origin = err.groupby([cv["model"], cv["origin"]]).mean().groupby(level=0).mean()
        info["mase"] = {m: float(per_origin.get(m, np.nan)) for m in eligible}
        score = {m: (np.inf if np.isnan(v) else v) for m, v in info["mase"].items()}
        chosen = min(eligible, key=lambda m: (score[m], eligible.index(m)))
        info.update(chosen=chosen, reason=(
            f"lowest rolling-origin MASE ({info['mase'][chosen]:.2f}; naive "
            f"{info['mase'].get('naive', np.nan):.2f}) among {', '.join(eligible)} "
            f"at origins {', '.join(map(str, info['origins']))}"))
        return info

    def fit_values(self, years, values, domain, transform="auto"):
        info = self.choose(years, values, domain, transform)
        fit = fit_scaled(REGISTRY[info["chosen"]], years, values, domain, transform)
        fit.params = {**fit.params, "select": info}
        fit.note = "; ".join(x for x in (f"select chose {info['chosen']}: {info['reason']}", fit.note) if x)
        return fit


DEFAULT_COMPONENTS = ("drift", "theta", "ets")
register(Combination("combination", DEFAULT_COMPONENTS))
register(Select())
