"""Comparator rules: when does a value, a bound or a simulated path meet a target?

Reading of comparators
    ``strict=False`` (default) reads ``'>'`` / ``'<'`` as the plan's
    以上 / 以下, i.e. *at least* / *at most* (the number itself counts; the
    Civil Code's reading); ``strict=True`` reads them as 超过 / 不满
    (exclusive). ``'>='`` / ``'<='`` are always inclusive. ``'~'`` (about)
    is two-sided: within ``tolerance`` of the number, bounds included.
Bounded observations
    ``'>97'`` published as "97%以上" means "at least 97" unless
    ``strict=True``. An approximate observation ``'~b'`` ("about b") is read
    as within :data:`~plananalysis.data.APPROX_TOLERANCE` (10 %) of ``b``.

Examples
--------
>>> bool(satisfies(97.0, ">", 97.0)), bool(satisfies(97.0, ">", 97.0, strict=True))
(True, False)
>>> bool(satisfies(2.4, "~", 2.0, tolerance=0.5)), bool(satisfies(0.0, "~", 2.0, tolerance=0.5))
(True, False)
"""

from __future__ import annotations

import numpy as np

from .data import APPROX_TOLERANCE
from .errors import ParameterError

__all__ = ["COMPARATORS", "higher_is_better", "satisfies", "bound_outcome", "consistent_with_bound",
           "apply_bound"]

COMPARATORS = (">", ">=", "<", "<=", "~")
_HIGHER = {">": True, ">=": True, "<": False, "<=": False}


def higher_is_better(comparator) -> bool | None:
    """True for a floor (``>``, ``>=``), False for a cap (``<``, ``<=``), None for ``~``."""
    if comparator not in COMPARATORS:
        raise ParameterError(f"comparator must be one of {list(COMPARATORS)}, got {comparator!r}")
    return _HIGHER.get(comparator)


def satisfies(values, comparator, target, strict=False, tolerance=None):
    """Whether values meet ``comparator target`` under the chosen reading.

    Parameters
    ----------
    values : array-like or float
    comparator : {'>', '>=', '<', '<=', '~'}
    target : float
    strict : bool
        ``False`` reads ``'>'``/``'<'`` as inclusive (以上/以下).
    tolerance : float, optional
        Required for ``'~'``: the target is met within ``target +/- tolerance``.

    Returns
    -------
    ndarray of bool (or bool for a scalar)
    """
    v = np.asarray(values, dtype=float)
    higher_is_better(comparator)
    if comparator == "~":
        if tolerance is None or not np.isfinite(tolerance):
            raise ParameterError("a '~' (about) target needs a tolerance")
        out = np.abs(v - target) <= tolerance + 1e-12
    elif comparator == ">":
        out = v > target if strict else v >= target
    elif comparator == ">=":
        out = v >= target
    elif comparator == "<":
        out = v < target if strict else v <= target
    else:
        out = v <= target
    return out if out.ndim else bool(out)


def bound_outcome(qualifier, bound, comparator, target, strict=False):
    """Decide a target from a bounded observation, if the bound settles it.

    Parameters
    ----------
    qualifier : {'>', '>=', '<', '<='}
        The bound as published (``'>'`` read like the plan's 以上 unless ``strict``).
    bound : float
    comparator, target, strict
        The target, as in :func:`satisfies`.

    Returns
    -------
    bool or None
        True (every value the bound allows meets the target), False (none
        does) or None (unresolved; always for ``'~'`` targets and bounds).

    Examples
    --------
    >>> bound_outcome(">", 97.0, ">", 97.0), bound_outcome(">", 97.0, ">", 97.0, strict=True)
    (True, True)
    >>> print(bound_outcome(">", 96.0, ">", 97.0))
    None
    """
    if qualifier not in _HIGHER or comparator not in _HIGHER:
        return None
    closed = qualifier in (">=", "<=") or not strict
    if _HIGHER[qualifier]:
        lo, lo_closed, hi, hi_closed = bound, closed, np.inf, False
    else:
        lo, lo_closed, hi, hi_closed = -np.inf, False, bound, closed
    t_closed = comparator in (">=", "<=") or not strict
    if _HIGHER[comparator]:  # satisfying set [target, inf) or (target, inf)
        all_ok = lo > target or (lo == target and (t_closed or not lo_closed))
        none_ok = hi < target or (hi == target and not (hi_closed and t_closed))
    else:
        all_ok = hi < target or (hi == target and (t_closed or not hi_closed))
        none_ok = lo > target or (lo == target and not (lo_closed and t_closed))
    if all_ok:
        return True
    if none_ok:
        return False
    return None


def consistent_with_bound(values, qualifier, bound, strict=False):
    """Mask of simulated values that agree with a published bound or approximation.

    Examples
    --------
    >>> consistent_with_bound([95.0, 97.0, 99.0], ">", 97.0).tolist()
    [False, True, True]
    >>> consistent_with_bound([80.0, 100.0], "~", 100.0).tolist()
    [False, True]
    """
    if qualifier == "~":  # "about b": within APPROX_TOLERANCE of b, not a lower bound
        return np.abs(np.asarray(values, dtype=float) - bound) <= APPROX_TOLERANCE * abs(bound)
    return np.asarray(satisfies(values, qualifier if qualifier in _HIGHER else ">=", bound, strict))


def apply_bound(draws, qualifier, bound):
    """Simulated flows made consistent with a bound (floored / capped) or an approximation (clipped).

    Examples
    --------
    >>> apply_bound([300.0, 450.0], ">", 400.0).tolist()
    [400.0, 450.0]
    """
    draws = np.asarray(draws, dtype=float)
    if qualifier == "~":
        tol = APPROX_TOLERANCE * abs(bound)
        return np.clip(draws, bound - tol, bound + tol)
    return np.maximum(draws, bound) if _HIGHER.get(qualifier, True) else np.minimum(draws, bound)
