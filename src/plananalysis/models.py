"""Forecasting models for short annual series with gaps -> :class:`Forecast`.

Every model works on a *modelling scale* (see :data:`TRANSFORMS`): counts are
modelled on the log scale and percentages (``unit == "%"``) on the logit
scale of ``value / 100``, so no simulated path goes negative or above 100%.
A percentage series with a value at exactly 0 or 100 (no logit) is modelled
in percentage points with the paths clipped to 0..100, and the note says so.
Each model simulates joint sample paths (years x paths) on that scale with a
:class:`numpy.random.Generator` seeded from ``seed`` (same seed, same
numbers) and back-transforms them. The **point forecast is the median of the
paths** (the median commutes with the monotone back-transform, the mean does
not); intervals are the 10/90% and 2.5/97.5% quantiles of the paths.

Rules that apply to every model
-------------------------------
* Years are ints; the series is reindexed internally to the full year range
  of the fit window; a missing year is a gap (NaN) and is **never filled** in
  the history. Models either use the actual spacing of the observations
  (naive, drift: a k-year difference has variance k*sigma^2; linear trends:
  OLS on the observed years), skip the update step in gap years (ETS, Theta:
  the state is carried forward, as a Kalman filter does with a missing
  observation) or use statsmodels' Kalman filter (ARIMA).
* ``fit_start`` (default None: the whole series) drops earlier years; a
  plan bundle declares it per series where the data have a break.
* Only exact observations are fitted. When a ``get_series`` frame is passed,
  bounded rows (qualifier such as ``'>'``) are excluded and the note says so.
* Unobserved years *inside* the fit window (e.g. 2023) get conditional draws
  in :attr:`Forecast.gap_paths` (used by cumulative targets only): a Brownian
  bridge between the neighbouring observations on the modelling scale for
  naive, drift, ETS and Theta; independent trend + noise draws for the
  linear trends (exact for those models); the Kalman smoother's marginal
  distribution for ARIMA.
* Short samples: for the models fitted here in numpy, the noise variance of
  each path is drawn from its scaled-inverse-chi^2 distribution
  (``s^2 * df / chi2_df``) and the drift / trend coefficients from their
  normal distribution given it, which gives the exact Student-t predictive
  for the linear trend and widens short-sample intervals for the others.
  ARIMA intervals condition on the estimated parameters (statsmodels).
  Residual degrees of freedom: n - 1 (naive), n - 2 (drift: one difference
  fewer plus the drift; linear trends: two coefficients), n - 5 (ETS: alpha,
  beta, phi and two initial states), n - 3 (Theta: alpha, initial level,
  slope), never below 1.
* Calibration on synthetic series (30 log-scale series, rolling origins,
  horizons 1-3): Theta, drift and naive cover close to nominal; ETS covers
  about 70% / 88-92% of outcomes at nominal 80% / 95% and ARIMA about
  50% / 67-75% (parameter uncertainty ignored), as Hyndman warns for
  model-based intervals. :func:`~plananalysis.backtesting.summarize` reports
  the empirical coverage next to the nominal level.

Models (:data:`MODELS`) and the minimum number of exact observations each
needs in the fit window (:data:`MIN_OBS`; fewer -> :class:`InsufficientDataError`):

``naive`` (2)
    Random walk, sigma from the scaled differences ``d_i / sqrt(k_i)``.
``drift`` (3)
    Random walk with drift ``mu = (z_last - z_first) / (t_last - t_first)``
    (the Gaussian MLE with gaps).
``linear`` (3)
    OLS trend in the **original units** (constant absolute change); the one
    model not on the log/logit scale. Paths are clipped to the domain
    (>= 0 for non-negative series, [0, 100] for percentages; the same
    clipping applies to any model run in original units) and
    ``params["n_clipped"]`` counts the clipped values.
``loglinear`` (3)
    OLS trend on the modelling scale: constant growth rate for counts,
    constant growth of the odds for percentages.
``ets`` (6)
    Damped-trend exponential smoothing ETS(A,Ad,N) on the modelling scale,
    implemented here in numpy (statsmodels' state-space version took
    ~0.15 s per fit and 0.5 s per 10,000-path simulation on this machine and
    often stopped at the parameter bounds). Smoothing parameters by a grid
    search (alpha in 0.05..0.95, beta = alpha x {0.01..0.9}, phi in
    0.80..0.98, the bounds of Hyndman et al. 2008), the two initial states
    concentrated out by least squares; missing years skip the update.
``arima`` (6)
    statsmodels ``ARIMA`` (state space, NaN gaps handled by the Kalman
    filter) with orders p, q in {0, 1}, d in {0, 1}, a linear trend for
    d = 0 and a drift for d = 1, chosen by AICc among the orders that leave
    at least one residual degree of freedom. AICc across d = 0 and d = 1
    is approximate (statsmodels' diffuse initialisation makes the
    likelihoods cover slightly different information; the textbook choice
    of d is a unit-root test, which has no power on ten annual points).
    Fits skip the parameter covariance (not used) and the search is cached
    per data set (``arima`` and ``combination`` share it). Convergence warnings are
    silenced and recorded; failed fits are skipped; if none succeeds the
    model falls back to ``drift`` (noted).
``theta`` (5)
    The Theta method as SES with drift equal to half the OLS slope (Hyndman
    & Billah 2003), implemented with the same gap-tolerant filter as ETS
    (statsmodels' ``ThetaModel`` does not accept gaps).
``combination`` (6)
    Pools the ETS, ARIMA and Theta paths (a third of the paths from each):
    a mixture, so the intervals keep each model's uncertainty plus the
    disagreement between them; the point forecast is the median of the
    pooled paths. Components that fail are left out (noted).
``auto``
    Rolling-origin backtest of :data:`AUTO_CANDIDATES` at the last
    :data:`AUTO_ORIGINS` observed years (horizons up to
    :data:`AUTO_HORIZON`), choosing the lowest MASE. With fewer than
    :data:`AUTO_MIN_OBS` exact observations the series is too short to
    backtest and ``auto`` uses :data:`AUTO_FALLBACK`, the random walk (naive)
    on the modelling scale: with so few points a drift or trend would be
    estimated from one or two differences and extrapolated with confidence
    the data do not support, while "no change, growing uncertainty" is the
    benchmark M4 found hard to beat on yearly data. ``params["auto"]``
    records why.

References
----------
Hyndman, R. J., Koehler, A. B., Ord, J. K. and Snyder, R. D. (2008).
*Forecasting with Exponential Smoothing: the State Space Approach*. Springer.

Hyndman, R. J. and Billah, B. (2003). Unmasking the Theta method.
*International Journal of Forecasting* 19(2), 287-290.

Makridakis, S., Spiliotis, E. and Assimakopoulos, V. (2020). The M4
Competition: 100,000 time series and 61 forecasting methods. *IJF* 36, 54-74.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InsufficientDataError, ParameterError


MODELS = ("naive", "drift", "linear", "loglinear", "ets", "arima", "theta", "combination")
"""Concrete model names; :func:`forecast` also accepts ``"auto"``."""

MIN_OBS = {"naive": 2, "drift": 3, "linear": 3, "loglinear": 3, "ets": 6, "arima": 6,
           "theta": 5, "combination": 6}
"""Minimum exact observations in the fit window per model."""

AUTO_CANDIDATES = ("naive", "drift", "linear", "loglinear", "theta", "ets")
"""Models ``auto`` compares (ARIMA is left out: its order search costs ~0.4 s a fit)."""
AUTO_ORIGINS = 3
AUTO_HORIZON = 3
AUTO_MIN_OBS = 7
AUTO_FALLBACK = "naive"

TRANSFORMS = ("auto", "none", "log", "logit")
DEFAULT_HORIZON = 5
_COMBINED = ("ets", "arima", "theta")


@dataclass
class Forecast:
    """A forecast of one annual series.

    Attributes
    ----------
    history : Series
        The exact observations used for the fit (original scale, year index).
    point : Series
        Median of the paths per forecast year.
    intervals : DataFrame
        ``lo80, hi80, lo95, hi95`` per forecast year (path quantiles).
    paths : DataFrame
        Forecast years x paths, original scale.
    model : str
        The model actually used (``auto`` resolves to a concrete name).
    params : dict
        Fitted parameters and diagnostics.
    transform : str
        ``none``, ``log`` or ``logit``.
    note : str
        What was done about gaps, the fit window, bounds and fallbacks.
    gap_paths : DataFrame
        Unobserved years inside the fit window x paths (conditional draws).
    """

    history: pd.Series
    point: pd.Series
    intervals: pd.DataFrame
    paths: pd.DataFrame
    model: str
    params: dict = field(default_factory=dict)
    transform: str = "none"
    note: str = ""
    gap_paths: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``year, point, lo80, hi80, lo95, hi95``.

        Examples
        --------
        >>> s = pd.Series([1.0, 2.0, 3.0, 4.0], index=[2018, 2019, 2020, 2021])
        >>> forecast(s, "linear", horizon=1, n_paths=200, transform="none").to_frame().columns.tolist()
        ['year', 'point', 'lo80', 'hi80', 'lo95', 'hi95']
        """
        out = self.intervals.copy()
        out.insert(0, "point", self.point)
        out.index.name = "year"
        return out.reset_index()


# ----------------------------------------------------------------- transforms
def _resolve_transform(transform, model, unit, values):
    if transform not in TRANSFORMS:
        raise ParameterError(f"transform must be one of {TRANSFORMS}, got {transform!r}")
    if transform != "auto":
        return transform
    if model == "linear":
        return "none"
    if unit == "%":
        # a value at 0 or 100 has no logit: model in percentage points, clipped to 0..100
        return "logit" if np.all((values > 0) & (values < 100)) else "none"
    if len(values) and np.all(values > 0):
        return "log"
    return "none"


def _forward(x, transform):
    x = np.asarray(x, dtype=float)
    if transform == "log":
        if np.any(x <= 0):
            raise ParameterError("transform 'log' needs positive values; use transform='none'")
        return np.log(x)
    if transform == "logit":
        if np.any((x <= 0) | (x >= 100)):
            raise ParameterError("transform 'logit' needs percentages strictly between 0 and 100")
        p = x / 100.0
        return np.log(p / (1 - p))
    return x


def _backward(z, transform):
    with np.errstate(over="ignore"):  # t-tails with 1 degree of freedom can overflow: inf is honest
        if transform == "log":
            return np.exp(z)
        if transform == "logit":
            return 100.0 / (1.0 + np.exp(-z))
    return z


# ---------------------------------------------------------------- preparation
def _prepare(series, fit_start, as_of=None):
    """Exact observations in the fit window as (years, values, unit, notes)."""
    notes = []
    if isinstance(series, pd.DataFrame):
        if "value" not in series.columns:
            raise ParameterError("series frame needs a 'value' column (a get_series() frame)")
        if as_of is not None:  # later rows (bounds included) are not known at as_of
            series = series[series.index <= as_of]
        qual = series["qualifier"].fillna("").astype(str) if "qualifier" in series else None
        unit = series.attrs.get("unit") or (series["unit"].iloc[0] if "unit" in series and len(series) else None)
        if qual is not None and (qual != "").any():
            bounded = series.index[qual != ""]
            notes.append("bounded observations excluded from the fit: "
                         + ", ".join(f"{y} {q}{v:g}" for y, q, v in
                                     zip(bounded, qual[qual != ""], series.loc[qual != "", "value"])))
            series = series.loc[qual == "", "value"]
        else:
            series = series["value"]
        series = series.copy()
        series.attrs["unit"] = unit
    if not isinstance(series, pd.Series):
        raise ParameterError(f"series must be a pandas Series indexed by year, got {type(series).__name__}")
    unit = series.attrs.get("unit")
    if isinstance(series.index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex)):
        raise ParameterError("series index must hold integer years, got dates; "
                             "use series.set_axis(series.index.year)")
    try:
        years = np.asarray(series.index, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ParameterError("series index must hold integer years") from exc
    if np.any(np.isnan(years)) or np.any(years != np.round(years)) or np.any(np.abs(years) > 9999):
        raise ParameterError("series index must hold integer years (at most 4 digits)")
    numeric = pd.to_numeric(series.to_numpy(), errors="coerce")
    bad = pd.isna(numeric) & ~pd.isna(series.to_numpy())
    if bad.any():
        raise ParameterError("series values must be numbers (missing years may be NaN); not a number in "
                             + ", ".join(f"{int(y)}: {v!r}" for y, v in zip(years[bad], series.to_numpy()[bad])))
    s = pd.Series(numeric, index=years.astype(int)).dropna()
    if s.index.has_duplicates:
        raise ParameterError("series has duplicate years: "
                             f"{sorted(set(s.index[s.index.duplicated()]))}")
    s = s.sort_index()
    if as_of is not None:
        s = s[s.index <= as_of]
    if fit_start is not None and (s.index < fit_start).any():
        notes.append(f"fit window starts {fit_start} (earlier years dropped)")
        s = s[s.index >= fit_start]
    s.attrs["unit"] = unit
    return s, unit, notes


def _gap_years(years):
    full = np.arange(years[0], years[-1] + 1)
    return full[~np.isin(full, years)]


# ------------------------------------------------------ numpy-fitted models
def _sigma_draws(s2, df, n, rng):
    """Per-path noise s.d. from the scaled-inverse-chi^2 posterior of sigma^2."""
    df = max(int(df), 1)
    return np.sqrt(s2 * df / rng.chisquare(df, size=n))


def _bridge(t, z, gaps, sig, rng, n):
    """Brownian-bridge draws (gaps x paths) between the neighbouring observations."""
    out = np.empty((len(gaps), n))
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


def _fit_rw(t, z, H, n, rng, drift):
    k = np.diff(t).astype(float)
    d = np.diff(z)
    mu = (z[-1] - z[0]) / (t[-1] - t[0]) if drift else 0.0
    resid = d - k * mu
    df = len(d) - (1 if drift else 0)
    s2 = float(np.sum(resid ** 2 / k) / df)
    sig = _sigma_draws(s2, df, n, rng)
    mus = mu + (sig / np.sqrt(t[-1] - t[0]) * rng.standard_normal(n) if drift else 0.0)
    steps = mus + sig * rng.standard_normal((H, n))
    paths = z[-1] + np.cumsum(steps, axis=0)
    gaps = _bridge(t, z, _gap_years(t), sig, rng, n)
    params = {"sigma": float(np.sqrt(s2)), "df": df}
    if drift:
        params["drift"] = float(mu)
    return paths, gaps, params, ""


def _fit_ols(t, z, H, n, rng):
    tbar = t.mean()
    X = np.column_stack([np.ones(len(t)), t - tbar])
    beta, *_ = np.linalg.lstsq(X, z, rcond=None)
    resid = z - X @ beta
    df = len(t) - 2
    s2 = float(resid @ resid / df)
    sig = _sigma_draws(s2, df, n, rng)
    chol = np.linalg.cholesky(np.linalg.inv(X.T @ X))
    betas = beta[:, None] + chol @ rng.standard_normal((2, n)) * sig
    fut = np.arange(t[-1] + 1, t[-1] + H + 1) - tbar
    paths = betas[0] + np.outer(fut, betas[1]) + sig * rng.standard_normal((H, n))
    gy = _gap_years(t) - tbar
    gaps = betas[0] + np.outer(gy, betas[1]) + sig * rng.standard_normal((len(gy), n))
    params = {"intercept": float(beta[0] - beta[1] * tbar), "slope": float(beta[1]),
              "sigma": float(np.sqrt(s2)), "df": df}
    return paths, gaps, params, ""


def _holt_filter(zfull, alpha, beta, phi, l0, b0):
    """One-step errors (n_obs x G) and final states of damped Holt, vectorised over a grid.

    Missing years (NaN) skip the update: the state is carried forward.
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


def _concentrate(zfull, alpha, beta, phi, b_fixed=None):
    """Least-squares initial states for every grid point; returns SSE, l0, b0."""
    zero = np.where(np.isnan(zfull), np.nan, 0.0)
    if b_fixed is None:
        e0, _, _ = _holt_filter(zfull, alpha, beta, phi, 0.0, 0.0)
        e1, _, _ = _holt_filter(zero, alpha, beta, phi, 1.0, 0.0)
        e2, _, _ = _holt_filter(zero, alpha, beta, phi, 0.0, 1.0)
        a11, a12, a22 = (e1 * e1).sum(0), (e1 * e2).sum(0), (e2 * e2).sum(0)
        c1, c2 = (e1 * e0).sum(0), (e2 * e0).sum(0)
        det = a11 * a22 - a12 ** 2 + 1e-12
        l0 = -(a22 * c1 - a12 * c2) / det
        b0 = -(a11 * c2 - a12 * c1) / det
        err = e0 + l0 * e1 + b0 * e2
    else:
        e0, _, _ = _holt_filter(zfull, alpha, beta, phi, 0.0, b_fixed)
        e1, _, _ = _holt_filter(zero, alpha, beta, phi, 1.0, 0.0)
        l0 = -(e1 * e0).sum(0) / ((e1 * e1).sum(0) + 1e-12)
        b0 = np.full_like(l0, b_fixed)
        err = e0 + l0 * e1
    return (err ** 2).sum(0), l0, b0


_ETS_GRID = np.array([(a, a * f, p)
                      for a in np.linspace(0.05, 0.95, 10)
                      for f in (0.01, 0.1, 0.3, 0.6, 0.9)
                      for p in (0.80, 0.85, 0.90, 0.95, 0.98)]).T
_SES_GRID = np.linspace(0.02, 1.0, 50)


def _full(t, z):
    full = np.full(t[-1] - t[0] + 1, np.nan)
    full[t - t[0]] = z
    return full


def _simulate_holt(lvl, trd, alpha, beta, phi, sig, H, rng, n):
    lvl = np.full(n, lvl)
    trd = np.full(n, trd)
    out = np.empty((H, n))
    for h in range(H):
        e = sig * rng.standard_normal(n)
        yhat = lvl + phi * trd
        out[h] = yhat + e
        lvl = yhat + alpha * e
        trd = phi * trd + beta * e
    return out


def _ets_state(t, z):
    """Grid-fitted damped Holt: (alpha, beta, phi, final level, final trend, SSE)."""
    zfull = _full(t, z)
    alpha, beta, phi = _ETS_GRID
    sse, l0, b0 = _concentrate(zfull, alpha, beta, phi)
    i = int(np.argmin(sse))
    a, b, p = alpha[i], beta[i], phi[i]
    _, lvl, trd = _holt_filter(zfull, a, b, p, l0[i], b0[i])
    return a, b, p, float(lvl), float(trd), float(sse[i])


def _theta_state(t, z):
    """SES with drift = half the OLS slope: (alpha, drift, slope, final level, SSE)."""
    slope = float(np.polyfit(t, z, 1)[0])
    drift = slope / 2.0
    zfull = _full(t, z)
    alpha = _SES_GRID
    sse, l0, _ = _concentrate(zfull, alpha, 0.0, 1.0, b_fixed=drift)
    i = int(np.argmin(sse))
    _, lvl, _ = _holt_filter(zfull, alpha[i], 0.0, 1.0, l0[i], drift)
    return float(alpha[i]), drift, slope, float(lvl), float(sse[i])


def _fit_ets(t, z, H, n, rng):
    a, b, p, lvl, trd, sse = _ets_state(t, z)
    df = max(len(z) - 5, 1)  # alpha, beta, phi and two initial states were fitted
    s2 = sse / df
    sig = _sigma_draws(s2, df, n, rng)
    paths = _simulate_holt(lvl, trd, a, b, p, sig, H, rng, n)
    gaps = _bridge(t, z, _gap_years(t), sig, rng, n)
    params = {"alpha": float(a), "beta": float(b), "phi": float(p), "level": lvl,
              "trend": trd, "sigma": float(np.sqrt(s2)), "df": df}
    return paths, gaps, params, ""


def _fit_theta(t, z, H, n, rng):
    alpha, drift, slope, lvl, sse = _theta_state(t, z)
    df = max(len(z) - 3, 1)  # alpha, the initial level and the slope were fitted
    s2 = sse / df
    sig = _sigma_draws(s2, df, n, rng)
    paths = _simulate_holt(lvl, drift, alpha, 0.0, 1.0, sig, H, rng, n)
    gaps = _bridge(t, z, _gap_years(t), sig, rng, n)
    params = {"alpha": alpha, "drift": drift, "ols_slope": slope, "level": lvl,
              "sigma": float(np.sqrt(s2)), "df": df}
    return paths, gaps, params, ""


# ----------------------------------------------------------- statsmodels ARIMA
_ARIMA_ORDERS = [((p, d, q), "ct" if d == 0 else "t") for d in (1, 0) for p in (0, 1) for q in (0, 1)]


_ARIMA_CACHE: dict = {}
_ARIMA_CACHE_SIZE = 64


def _arima_search(zfull, n_obs):
    """Best ARIMA by AICc; cached per data so arima and combination share one search."""
    key = np.asarray(zfull, dtype=float).tobytes()
    if key not in _ARIMA_CACHE:
        if len(_ARIMA_CACHE) >= _ARIMA_CACHE_SIZE:
            _ARIMA_CACHE.pop(next(iter(_ARIMA_CACHE)))
        _ARIMA_CACHE[key] = _arima_search_uncached(zfull, n_obs)
    return _ARIMA_CACHE[key]


def _arima_search_uncached(zfull, n_obs):
    from statsmodels.tsa.arima.model import ARIMA

    best, tried = None, []
    for order, trend in _ARIMA_ORDERS:
        k = order[0] + order[2] + len(trend) + 1  # + sigma2
        if n_obs - order[1] - k - 1 <= 0:
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                res = ARIMA(zfull, order=order, trend=trend).fit(cov_type="none")
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
    """Joint forecast noise (H x n) of a time-invariant statsmodels state-space result.

    Starts from the predicted state distribution after the last observation
    and propagates it with the transition, selection and state covariance
    matrices; exact for a linear Gaussian model and much faster than
    ``results.simulate`` with many repetitions.
    """
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


def _fit_arima(t, z, H, n, rng):
    zfull = _full(t, z)
    best, tried = _arima_search(zfull, len(z))
    if best is None:
        paths, gaps, params, _ = _fit_rw(t, z, H, n, rng, drift=True)
        params["fallback_from"] = "arima"
        params["arima_tried"] = tried
        return paths, gaps, params, "ARIMA: no order could be fitted; used drift instead"
    aicc, order, trend, res, converged = best
    mean = np.asarray(res.get_forecast(H).predicted_mean)
    paths = mean[:, None] + _ss_noise(res, H, n, rng)
    gy = _gap_years(t)
    if len(gy):
        pred = res.get_prediction(start=0, end=len(zfull) - 1, information_set="smoothed")
        idx = gy - t[0]
        m = np.asarray(pred.predicted_mean)[idx]
        v = np.clip(np.asarray(pred.var_pred_mean)[idx], 0, None)
        gaps = m[:, None] + np.sqrt(v)[:, None] * rng.standard_normal((len(gy), n))
    else:
        gaps = np.empty((0, n))
    params = {"order": order, "trend": trend, "aicc": float(aicc), "converged": converged,
              "coef": {k: float(v) for k, v in zip(res.model.param_names, res.params)},
              "orders_tried": list(tried)}
    note = "" if converged else "ARIMA optimiser reported non-convergence"
    return paths, gaps, params, note


def _fit_combination(t, z, H, n, rng):
    sizes = [n // 3 + (1 if i < n % 3 else 0) for i in range(3)]
    parts, gparts, params, notes = [], [], {}, []
    for name, size, child in zip(_COMBINED, sizes, rng.spawn(3)):
        try:
            p, g, par, note = _FITTERS[name](t, z, H, max(size, 1), child)
        except Exception as exc:  # noqa: BLE001 - a failing component is left out, noted
            notes.append(f"{name} left out ({type(exc).__name__})")
            continue
        parts.append(p[:, :size])
        gparts.append(g[:, :size])
        params[name] = par
        if note:
            notes.append(note)
    if not parts:
        raise PlanAnalysisError("combination: every component failed")
    paths = np.concatenate(parts, axis=1)
    gaps = np.concatenate(gparts, axis=1)
    if paths.shape[1] < n:  # refill from what worked so the path count is as asked
        idx = rng.integers(0, paths.shape[1], n - paths.shape[1])
        paths = np.concatenate([paths, paths[:, idx]], axis=1)
        gaps = np.concatenate([gaps, gaps[:, idx]], axis=1)
    params["pooled"] = [k for k in _COMBINED if k in params]
    return paths, gaps, params, "; ".join(notes)


_FITTERS = {
    "naive": lambda t, z, H, n, rng: _fit_rw(t, z, H, n, rng, drift=False),
    "drift": lambda t, z, H, n, rng: _fit_rw(t, z, H, n, rng, drift=True),
    "linear": _fit_ols,
    "loglinear": _fit_ols,
    "ets": _fit_ets,
    "arima": _fit_arima,
    "theta": _fit_theta,
    "combination": _fit_combination,
}


# ------------------------------------------------------------------- auto
def _point_path(model, t, z, H):
    """Deterministic point forecast on the modelling scale (the paths' median without noise)."""
    h = np.arange(1, H + 1)
    if model == "naive":
        return np.full(H, z[-1])
    if model == "drift":
        return z[-1] + (z[-1] - z[0]) / (t[-1] - t[0]) * h
    if model in ("linear", "loglinear"):
        b = np.polyfit(t, z, 1)
        return np.polyval(b, t[-1] + h)
    if model == "ets":
        a, b, p, lvl, trd, _ = _ets_state(t, z)
        return lvl + trd * np.cumsum(p ** h)
    if model == "theta":
        _, drift, _, lvl, _ = _theta_state(t, z)
        return lvl + drift * h
    raise ParameterError(f"auto cannot use {model!r} as a candidate")


def choose_auto(years, values, transform, unit=None, candidates=AUTO_CANDIDATES):
    """Pick a model for ``auto`` by rolling-origin MASE; explain the choice.

    Parameters
    ----------
    years, values : array-like
        Exact observations in the fit window (original scale), sorted by year.
    transform : str
        ``log``, ``logit`` or ``none``: the modelling scale of the other models
        (``linear`` always works in original units).
    unit : str, optional
        Only used to resolve the ``linear`` model's scale.
    candidates : tuple of str
        Models to compare (default :data:`AUTO_CANDIDATES`; ARIMA and the
        combination are not allowed: too slow to refit at every origin).

    Returns
    -------
    dict
        ``chosen``, ``reason``, ``mase`` (per eligible candidate),
        ``ineligible`` (candidate -> why not evaluated), ``origins`` (the last
        training years) and ``n_obs``.

    Notes
    -----
    Origins are the last :data:`AUTO_ORIGINS` observed years before the last
    observation; each candidate is refitted on the observations up to the
    origin and its deterministic point forecast (no simulation, so the
    choice does not depend on the seed) is scored on the later observations
    within :data:`AUTO_HORIZON` years, in original units. MASE divides by the mean absolute annual change
    of the training observations (``|y_i+1 - y_i| / k_i``). A candidate is
    eligible only if its :data:`MIN_OBS` fits the smallest training set; ties
    go to the earlier (simpler) candidate.

    Examples
    --------
    >>> choose_auto([2018, 2019], [1.0, 2.0], "log")["chosen"]
    'naive'
    """
    t = np.asarray(years, dtype=int)
    y = np.asarray(values, dtype=float)
    n = len(t)
    info = {"n_obs": n, "origins": [], "mase": {}}
    if n < AUTO_MIN_OBS:
        chosen = AUTO_FALLBACK
        info.update(chosen=chosen, reason=(
            f"{n} exact observations in the fit window, fewer than the {AUTO_MIN_OBS} needed to "
            f"backtest; used the documented fallback {chosen} on the {transform} scale"))
        return info
    positions = list(range(n - AUTO_ORIGINS, n))
    min_train = positions[0]
    eligible = [m for m in candidates if MIN_OBS[m] <= min_train]
    info["ineligible"] = {m: f"needs {MIN_OBS[m]} observations, smallest training set has {min_train}"
                          for m in candidates if m not in eligible}
    scores = {m: [] for m in eligible}
    for pos in positions:
        tt, yy = t[:pos], y[:pos]
        ahead = (t > tt[-1]) & (t <= tt[-1] + AUTO_HORIZON)
        if not ahead.any():
            continue
        info["origins"].append(int(tt[-1]))
        scale = np.mean(np.abs(np.diff(yy)) / np.diff(tt))
        H = int(t[ahead][-1] - tt[-1])
        for m in eligible:
            tr = _resolve_transform("auto" if m == "linear" else transform, m, unit, yy)
            zz = _forward(yy, tr)
            pt = _backward(_point_path(m, tt, zz, H), tr)
            err = np.abs(y[ahead] - pt[t[ahead] - tt[-1] - 1])
            scores[m].append(np.mean(err) / scale if scale > 0 else np.inf)
    info["mase"] = {m: float(np.mean(v)) if v else np.nan for m, v in scores.items()}
    chosen = min(eligible, key=lambda m: (info["mase"][m], eligible.index(m)))
    info.update(chosen=chosen, reason=(
        f"lowest rolling-origin MASE ({info['mase'][chosen]:.2f}; naive "
        f"{info['mase'].get('naive', np.nan):.2f}) among {', '.join(eligible)} "
        f"at origins {', '.join(map(str, info['origins']))}"))
    return info


# --------------------------------------------------------------- public API
def forecast(series, model="auto", horizon=None, n_paths=5000, seed=0, fit_start=None,
             transform="auto", target_year=None, as_of=None, domain=None):
    """Forecast an annual series with intervals and joint sample paths.

    Parameters
    ----------
    series : Series or DataFrame
        Values indexed by int year (missing years absent or NaN). A
        ``get_series()`` frame is accepted: only rows with an empty
        ``qualifier`` are fitted (bounds are noted). ``series.attrs["unit"]``
        (or the frame's) set to ``"%"`` selects the logit scale.
    model : str
        One of :data:`MODELS` or ``"auto"``.
    horizon : int, optional
        Years to forecast after the last observation. Default: up to
        ``target_year`` when given (at least 1), else :data:`DEFAULT_HORIZON`.
    n_paths : int
        Number of simulated paths.
    seed : int
        Seed of the :func:`numpy.random.default_rng` generator.
    fit_start : int, optional
        First year of the fit window (default None: the whole series).
    transform : {"auto", "none", "log", "logit"}
        Modelling scale; ``auto`` = logit for ``%``, log for positive
        values, original units for ``linear``.
    target_year : int, optional
        Used only to choose the default horizon.
    as_of : int, optional
        Drop observations after this year before anything else.

    Returns
    -------
    Forecast

    Raises
    ------
    ParameterError
        Unknown model or transform, ``horizon <= 0``, ``n_paths < 1``,
        non-integer years.
    InsufficientDataError
        Fewer exact observations than the model needs (:data:`MIN_OBS`).

    Examples
    --------
    >>> s = pd.Series([100.0, 110.0, 121.0, 133.1], index=[2018, 2019, 2020, 2021])
    >>> fc = forecast(s, "drift", horizon=2, n_paths=1000, seed=1)
    >>> round(float(fc.point[2023]), 1)
    161.1
    """
    if model != "auto" and model not in MODELS:
        raise ParameterError(f"model must be 'auto' or one of {', '.join(MODELS)}; got {model!r}")
    if horizon is not None and (not isinstance(horizon, (int, np.integer)) or horizon <= 0):
        raise ParameterError(f"horizon must be a positive integer, got {horizon!r}")
    if not isinstance(n_paths, (int, np.integer)) or n_paths < 1:
        raise ParameterError(f"n_paths must be a positive integer, got {n_paths!r}")
    s, unit, notes = _prepare(series, fit_start, as_of)
    if domain is not None:  # interim: the declared domain decides the scale (share -> logit)
        from .domain import as_domain

        domain = as_domain(domain)
        unit = {"share": "%", "rate": "signed", "real": "signed"}.get(domain.kind)
        if domain.kind in ("rate", "real") and transform == "auto":
            transform = "none"
    t = s.index.to_numpy().astype(int)
    yv = s.to_numpy(dtype=float)
    if len(t) == 0:
        raise InsufficientDataError(
            "no exact observations" + (f" from {fit_start}" if fit_start else "")
            + (f" up to {as_of}" if as_of else ""),
            n_obs=0, needed=MIN_OBS["naive"])
    if horizon is None:
        horizon = max(int(target_year) - int(t[-1]), 1) if target_year is not None else DEFAULT_HORIZON
    base_tr = _resolve_transform(transform, "drift", unit, yv)
    params = {}
    if model == "auto":
        if len(t) < MIN_OBS["naive"]:
            raise InsufficientDataError(
                f"auto: {len(t)} exact observation{'s' if len(t) != 1 else ''} "
                f"({', '.join(map(str, t))}); every model needs at least {MIN_OBS['naive']}",
                n_obs=len(t), needed=MIN_OBS["naive"])
        info = choose_auto(t, yv, base_tr, unit)
        params["auto"] = info
        notes.append(f"auto chose {info['chosen']}: {info['reason']}")
        model = info["chosen"]
    need = MIN_OBS[model]
    if len(t) < need:
        raise InsufficientDataError(
            f"model {model!r} needs at least {need} exact observations, "
            f"got {len(t)} ({', '.join(map(str, t))})", n_obs=len(t), needed=need)
    tr = _resolve_transform(transform, model, unit, yv)
    if transform == "auto" and unit == "%" and model != "linear" and tr == "none":
        notes.append("a percentage at 0 or 100 has no logit: modelled in percentage points, "
                     "paths clipped to 0..100")
    z = _forward(yv, tr)
    rng = np.random.default_rng(seed)
    paths, gaps, fit_params, fit_note = _FITTERS[model](t, z, horizon, n_paths, rng)
    params.update(fit_params)
    params["n_obs"] = len(t)
    params["fit_window"] = (int(t[0]), int(t[-1]))
    if fit_note:
        notes.append(fit_note)
    gy = _gap_years(t)
    if len(gy):
        notes.append(f"gaps {', '.join(map(str, gy))} left unfilled in the fit; "
                     "conditional draws kept in gap_paths")
    paths, gaps = _backward(paths, tr), _backward(gaps, tr)
    if tr == "none":
        paths, gaps, clipped = _clip_domain(paths, gaps, unit, yv)
        params["n_clipped"] = clipped
        if clipped:
            notes.append(f"{clipped} simulated values clipped to the domain")
    return _assemble(s, paths, gaps, gy, model, params, tr, notes)


def _clip_domain(paths, gaps, unit, values):
    lo, hi = None, None
    if unit == "signed":
        return paths, gaps, 0
    if unit == "%":
        lo, hi = 0.0, 100.0
    elif len(values) and np.all(values >= 0):  # counts (a zero included) stay non-negative
        lo = 0.0
    if lo is None:
        return paths, gaps, 0
    clipped = int(np.sum(paths < lo) + np.sum(gaps < lo))
    if hi is not None:
        clipped += int(np.sum(paths > hi) + np.sum(gaps > hi))
    return np.clip(paths, lo, hi), np.clip(gaps, lo, hi), clipped


def _assemble(s, paths, gaps, gy, model, params, tr, notes):
    years = pd.Index(np.arange(s.index[-1] + 1, s.index[-1] + 1 + paths.shape[0]), name="year")
    cols = pd.RangeIndex(paths.shape[1], name="path")
    pf = pd.DataFrame(paths, index=years, columns=cols)
    q = np.quantile(paths, [0.5, 0.1, 0.9, 0.025, 0.975], axis=1)
    intervals = pd.DataFrame({"lo80": q[1], "hi80": q[2], "lo95": q[3], "hi95": q[4]}, index=years)
    history = s.rename("value")
    history.index.name = "year"
    return Forecast(
        history=history, point=pd.Series(q[0], index=years, name="point"), intervals=intervals,
        paths=pf, model=model, params=params, transform=tr, note="; ".join(notes),
        gap_paths=pd.DataFrame(gaps, index=pd.Index(gy, name="year"), columns=cols),
    )
