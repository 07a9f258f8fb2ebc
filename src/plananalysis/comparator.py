"""Comparators: the one rule for when a value, a bound or a simulated path meets a target.

Every part of the package that asks "is this target met?" asks a
:class:`Comparator`: the engine for an observed outcome, the forecast for the
share of simulated paths (:meth:`Comparator.prob`), the calibration for the
direction of a target. There is no other definition of ``>``.

Reading of comparators
    ``strict=False`` (default) reads ``'>'`` / ``'<'`` as the plan's
    以上 / 以下, i.e. *at least* / *at most* (the number itself counts; the
    Civil Code's reading); ``strict=True`` reads them as 超过 / 不满
    (exclusive). ``'>='`` / ``'<='`` are always inclusive. ``'~'`` (about)
    is two-sided: within ``tolerance`` of the number, bounds included.
Bounded observations
    ``'>97'`` published as "97%以上" means "at least 97" unless
    ``strict=True``. An approximate observation ``'~b'`` ("about b") is read
    as within :data:`~plananalysis.domain.APPROX_TOLERANCE` (10 %) of ``b``.

Examples
--------
>>> ge = Comparator(">")
>>> ge.met(97.0, 97.0), Comparator(">", strict=True).met(97.0, 97.0)
(True, False)
>>> ge.prob([96.0, 97.0, 98.0, 99.0], 97.0)
0.75
>>> ge.reading(), Comparator(">", strict=True).reading()
('≥', '>')
>>> bool(satisfies(2.4, "~", 2.0, tolerance=0.5)), bool(satisfies(0.0, "~", 2.0, tolerance=0.5))
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .domain import APPROX_TOLERANCE
from .errors import ParameterError

__all__ = ["COMPARATORS", "Comparator", "higher_is_better", "satisfies", "bound_outcome",
           "consistent_with_bound", "apply_bound"]

COMPARATORS = (">", ">=", "<", "<=", "~")
"""Comparator symbols a target may carry (``~``: within ``tolerance`` of the number)."""
_HIGHER = {">": True, ">=": True, "<": False, "<=": False}
_EPS = 1e-12


@dataclass(frozen=True)
class Comparator:
    """A target's comparator under one reading.

    Parameters
    ----------
    symbol : {'>', '>=', '<', '<=', '~'}
    strict : bool
        ``False`` reads ``'>'``/``'<'`` as inclusive (以上/以下).
    tolerance : float, optional
        Required for ``'~'``: met within ``target +/- tolerance``.

    Raises
    ------
    ParameterError
        Unknown symbol, or ``'~'`` without a finite tolerance.
    """

    symbol: str
    strict: bool = False
    tolerance: float | None = None

    def __post_init__(self):
        if self.symbol not in COMPARATORS:
            raise ParameterError(f"comparator must be one of {list(COMPARATORS)}, got {self.symbol!r}")
        if self.symbol == "~" and (self.tolerance is None or not np.isfinite(self.tolerance)):
            raise ParameterError("a '~' (about) target needs a tolerance")

    @property
    def higher_is_better(self) -> bool | None:
        """True for a floor (``>``, ``>=``), False for a cap (``<``, ``<=``), None for ``~``."""
        return _HIGHER.get(self.symbol)

    @property
    def inclusive(self) -> bool:
        """Whether the number itself meets the target."""
        return self.symbol in (">=", "<=", "~") or not self.strict

    def met(self, values, target):
        """Whether ``values`` meet ``self target`` (a bool for a scalar, else a bool array).

        Examples
        --------
        >>> Comparator("<").met([4.9, 5.0, 5.1], 5.0).tolist()
        [True, True, False]
        """
        v = np.asarray(values, dtype=float)
        t = float(target)
        if self.symbol == "~":
            out = np.abs(v - t) <= self.tolerance + _EPS
        elif self.higher_is_better:
            out = v >= t if self.inclusive else v > t
        else:
            out = v <= t if self.inclusive else v < t
        return out if out.ndim else bool(out)

    def prob(self, draws, target) -> float:
        """Share of simulated ``draws`` that meet the target (the same rule as :meth:`met`).

        Examples
        --------
        >>> Comparator(">=").prob([1.0, 2.0, 3.0, 4.0], 3.0)
        0.5
        """
        draws = np.asarray(draws, dtype=float)
        if draws.size == 0:
            raise ParameterError("prob needs at least one draw")
        return float(np.mean(self.met(draws, target)))

    def reading(self, lang: str = "en") -> str:
        """The comparator as read: ``'≥'`` for an inclusive ``'>'``, ``'≈'`` for ``'~'``, ..."""
        if self.symbol == "~":
            return "≈"
        if self.higher_is_better:
            return "≥" if self.inclusive else ">"
        return "≤" if self.inclusive else "<"

    def settled_by_bound(self, qualifier, bound, target) -> bool | None:
        """Decide the target from a published bound, if the bound settles it (see :func:`bound_outcome`)."""
        return bound_outcome(qualifier, bound, self.symbol, target, self.strict)


def higher_is_better(comparator) -> bool | None:
    """True for a floor (``>``, ``>=``), False for a cap (``<``, ``<=``), None for ``~``.

    Examples
    --------
    >>> higher_is_better(">"), higher_is_better("<="), higher_is_better("~")
    (True, False, None)
    """
    if comparator not in COMPARATORS:
        raise ParameterError(f"comparator must be one of {list(COMPARATORS)}, got {comparator!r}")
    return _HIGHER.get(comparator)


def satisfies(values, comparator, target, strict=False, tolerance=None):
    """Whether values meet ``comparator target``: ``Comparator(comparator, strict, tolerance).met``.

    Examples
    --------
    >>> bool(satisfies(97.0, ">", 97.0)), bool(satisfies(97.0, ">", 97.0, strict=True))
    (True, False)
    """
    tol = None if tolerance is None or not np.isfinite(tolerance) else float(tolerance)
    return Comparator(comparator, bool(strict), tol).met(values, target)


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
    symbol = qualifier if qualifier in _HIGHER else ">="
    return np.asarray(Comparator(symbol, bool(strict)).met(values, bound))


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
