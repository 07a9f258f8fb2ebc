"""The domain of a series: which values it can take, and the scale it is modelled on.

A forecast must not guess from a unit string whether ``%`` means a share
(0-100), a signed rate of change (GDP growth, -0.8 % CPI) or a gross
enrolment rate that may pass 100. A plan bundle declares each series'
domain; :func:`infer_domain` is the documented fallback when only a
statistics table is given.

Domains
-------
``count``
    Non-negative quantities (students, schools, persons trained): modelled
    on the log scale when every value is positive; paths never go below 0.
``share``
    A percentage between ``lower`` and ``upper`` (default 0 and 100):
    modelled on the logit scale of ``(x - lower) / (upper - lower)``, so
    no path leaves the interval.
``rate``
    A signed rate (``% yoy`` growth, inflation): modelled in original units
    with no bounds.
``real``
    Any real number, modelled in original units (``lower``/``upper``
    optional clipping bounds).

Examples
--------
>>> infer_domain("% yoy", [7.5, 6.9, -0.8]).kind
'rate'
>>> infer_domain("%", [95.6, 97.0]).kind
'share'
>>> infer_domain("万人", [321.0, 398.0]).kind
'count'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import ParameterError

__all__ = ["DOMAIN_KINDS", "APPROX_TOLERANCE", "Domain", "infer_domain", "as_domain"]

DOMAIN_KINDS = ("count", "share", "rate", "real")

#: An approximate observation "~b" (about b) is read as within this share of b.
APPROX_TOLERANCE = 0.10


@dataclass(frozen=True)
class Domain:
    """Which values a series can take.

    Parameters
    ----------
    kind : {"count", "share", "rate", "real"}
        See the module docstring.
    lower, upper : float, optional
        Bounds. ``count`` defaults to ``lower=0``; ``share`` to ``0`` and
        ``100``; ``rate`` and ``real`` have none unless given.
    why : str
        How the domain was decided ("declared in plan.yaml", "inferred from
        unit '% yoy'", ...); shown in outputs.

    Examples
    --------
    >>> Domain("share").bounds
    (0.0, 100.0)
    >>> Domain("count").scale
    'log'
    """

    kind: str
    lower: float | None = None
    upper: float | None = None
    why: str = field(default="", compare=False)

    def __post_init__(self):
        if self.kind not in DOMAIN_KINDS:
            raise ParameterError(f"domain must be one of {', '.join(DOMAIN_KINDS)}, got {self.kind!r}")
        defaults = {"count": (0.0, None), "share": (0.0, 100.0)}.get(self.kind, (None, None))
        lo = defaults[0] if self.lower is None else float(self.lower)
        hi = defaults[1] if self.upper is None else float(self.upper)
        if lo is not None and hi is not None and not lo < hi:
            raise ParameterError(f"domain {self.kind!r}: lower ({lo:g}) must be below upper ({hi:g})")
        object.__setattr__(self, "lower", lo)
        object.__setattr__(self, "upper", hi)

    @property
    def bounds(self) -> tuple:
        """``(lower, upper)``; ``None`` where unbounded."""
        return (self.lower, self.upper)

    @property
    def scale(self) -> str:
        """Preferred modelling scale: ``log`` (count), ``logit`` (share) or ``none``."""
        return {"count": "log", "share": "logit"}.get(self.kind, "none")

    def scale_for(self, values) -> str:
        """The modelling scale usable for ``values`` (falls back to ``none`` on the boundary).

        A count with a zero has no log and a share at its bound no logit:
        those are modelled in original units and clipped to the domain.
        """
        v = np.asarray(values, dtype=float)
        if self.scale == "log" and len(v) and np.all(v > self.lower):
            return "log"
        if self.scale == "logit" and len(v) and np.all((v > self.lower) & (v < self.upper)):
            return "logit"
        return "none"

    def contains(self, values) -> np.ndarray:
        """Boolean mask: which values lie inside the domain (bounds included)."""
        v = np.asarray(values, dtype=float)
        ok = np.ones(v.shape, dtype=bool)
        if self.lower is not None:
            ok &= v >= self.lower
        if self.upper is not None:
            ok &= v <= self.upper
        return ok

    def describe(self) -> str:
        """One line such as ``"share in [0, 100] (declared in plan.yaml)"``."""
        lo, hi = self.bounds
        rng = ""
        if lo is not None and hi is not None:
            rng = f" in [{lo:g}, {hi:g}]"
        elif lo is not None:
            rng = f" >= {lo:g}"
        elif hi is not None:
            rng = f" <= {hi:g}"
        return f"{self.kind}{rng}" + (f" ({self.why})" if self.why else "")

    def to_dict(self) -> dict:
        """Plain mapping, as written in ``plan.yaml``."""
        out = {"kind": self.kind}
        if self.lower is not None:
            out["lower"] = self.lower
        if self.upper is not None:
            out["upper"] = self.upper
        return out


def infer_domain(unit, values) -> Domain:
    """The documented rule used when a series' domain is not declared.

    1. A unit containing ``yoy`` (``"% yoy"``), or any negative value,
       means a signed ``rate``.
    2. Else a unit of exactly ``"%"`` means a ``share`` in 0..100 (a
       percentage that can pass 100, such as a gross enrolment rate, must
       be declared: ``domain: {kind: share, upper: 150}`` or ``count``).
    3. Else every value non-negative means a ``count``.
    4. Else ``real``.

    Parameters
    ----------
    unit : str or None
        The series' unit as published.
    values : array-like
        Its values (bounds included).

    Returns
    -------
    Domain
        With ``why`` saying which rule applied.

    Examples
    --------
    >>> infer_domain("per 1,000", [13.1, 5.4]).describe()
    "count >= 0 (inferred: unit 'per 1,000' and no negative value)"
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    u = "" if unit is None else str(unit).strip()
    if "yoy" in u.lower():
        return Domain("rate", why=f"inferred: unit {u!r} is a change on the year before")
    if len(v) and np.any(v < 0):
        return Domain("rate", why="inferred: the series has negative values")
    if u == "%":
        return Domain("share", why="inferred: unit '%' and no negative value")
    if len(v):
        return Domain("count", why=f"inferred: unit {u!r} and no negative value")
    return Domain("real", why="inferred: no values to go by")


def as_domain(value, why="declared") -> Domain:
    """Coerce ``"share"``, ``{"kind": "share", "upper": 120}`` or a :class:`Domain` to a Domain.

    Examples
    --------
    >>> as_domain({"kind": "share", "upper": 120}).upper
    120.0
    """
    if isinstance(value, Domain):
        return value
    if isinstance(value, str):
        return Domain(value.strip(), why=why)
    if isinstance(value, dict):
        unknown = set(value) - {"kind", "lower", "upper"}
        if unknown or "kind" not in value:
            raise ParameterError(f"a domain is a kind or a mapping with 'kind' and optional "
                                 f"'lower'/'upper'; got {value!r}")
        return Domain(str(value["kind"]), value.get("lower"), value.get("upper"), why=why)
    raise ParameterError(f"a domain is one of {', '.join(DOMAIN_KINDS)} or a mapping; got {value!r}")
