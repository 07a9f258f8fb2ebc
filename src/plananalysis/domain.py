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

:func:`resolve_domain` is the one rule that decides a series' domain
everywhere (the statistics reader, the plan bundle, the engine, calibration):
declared in ``plan.yaml``, else the statistics table's ``domain`` column,
else :func:`infer_domain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .errors import DataError, ParameterError

__all__ = ["DOMAIN_KINDS", "COUNT_UNIT", "APPROX_TOLERANCE", "Domain", "infer_domain", "as_domain",
           "resolve_domain", "is_count_unit"]

DOMAIN_KINDS = ("count", "share", "rate", "real")

#: Relative tolerance of ``~`` (approximate) figures and targets: ``~b`` means within 10 % of b.
APPROX_TOLERANCE = 0.10

#: Units of counted things: an optional magnitude (十/百/千/万/亿) and a measure word
#: (人, 人次, 所, 个, 家, ...). A series in such a unit is a ``count`` whatever its values say.
COUNT_UNIT = re.compile(r"^[十百千万亿]*(?:人次|人|所|个|家|种|项|本|门|户|名|座|套|台|辆|件|间|次|位)$")

#: Why a domain taken from the statistics table's ``domain`` column says so.
_COLUMN_WHY = "from the statistics table's domain column"


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

    1. A unit containing ``yoy`` (``"% yoy"``) means a signed ``rate``.
    2. A unit of counted things (:data:`COUNT_UNIT`: ``万人``, ``万人次``,
       ``人``, ``所``, ``个``, ...) means a ``count``, even when a value is
       negative: a negative student count is a data error, which the
       statistics reader reports, not a reason to call the series a rate.
    3. Else any negative value means a signed ``rate``.
    4. Else a unit of exactly ``"%"`` means a ``share`` in 0..100 (a
       percentage that can pass 100, such as a gross enrolment rate, must
       be declared: ``domain: {kind: share, upper: 150}`` or ``count``).
    5. Else every value non-negative means a ``count``.
    6. Else ``real``.

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
    >>> infer_domain("万人", [321.0, -3.0]).describe()
    "count >= 0 (inferred: unit '万人' counts things)"
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    u = "" if unit is None else str(unit).strip()
    if "yoy" in u.lower():
        return Domain("rate", why=f"inferred: unit {u!r} is a change on the year before")
    if is_count_unit(u):
        return Domain("count", why=f"inferred: unit {u!r} counts things")
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


def is_count_unit(unit) -> bool:
    """Is ``unit`` a unit of counted things (:data:`COUNT_UNIT`)?

    Examples
    --------
    >>> is_count_unit("万人次"), is_count_unit("所"), is_count_unit("%")
    (True, True, False)
    """
    return unit is not None and bool(COUNT_UNIT.match(str(unit).strip()))


def resolve_domain(name, declared, rows) -> Domain:
    """The domain of one series: the one rule used everywhere.

    1. Declared by the plan bundle (``series.<name>.domain`` in ``plan.yaml``).
    2. Else the statistics table's optional ``domain`` column (one value per
       series; empty cells are ignored).
    3. Else :func:`infer_domain` from the series' unit and values.

    Parameters
    ----------
    name : str
        The series (statistics ``indicator``).
    declared : dict or None
        Series -> domain declared by a plan bundle
        (:meth:`plananalysis.bundle.PlanBundle.declared_domains`): a
        :class:`Domain`, a kind or a mapping (read with :func:`as_domain`).
    rows : DataFrame
        The series' statistics rows: columns ``unit`` and ``value``, and
        optionally ``domain``, ``line`` (for error messages) and
        ``indicator`` (rows of other series are ignored).

    Returns
    -------
    Domain
        With ``why`` saying which rule applied.

    Raises
    ------
    DataError
        The ``domain`` column gives several domains for the series, or one
        that is not a domain (column ``domain``, first line of the series).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"unit": ["万人", "万人"], "value": [395.5, 398.0]})
    >>> resolve_domain("enrollment", None, rows).kind
    'count'
    >>> resolve_domain("enrollment", {"enrollment": "real"}, rows).describe()
    'real (declared)'
    >>> resolve_domain("ger", None, pd.DataFrame({"unit": ["%"], "value": [101.0], "domain": ["share"]})).why
    "from the statistics table's domain column"
    """
    given = (declared or {}).get(name)
    if given is not None:
        return as_domain(given, why="declared")
    if "indicator" in rows:
        rows = rows[rows["indicator"] == name]
    line = int(rows["line"].iloc[0]) if "line" in rows and len(rows) else None
    if "domain" in rows:
        column = [d for d in dict.fromkeys(rows["domain"].fillna("").astype(str).str.strip()) if d]
        if len(column) > 1:
            raise DataError(f"indicator {name!r} has several domains {sorted(column)}; expected one",
                            line=line, column="domain")
        if column:
            try:
                return as_domain(column[0], why=_COLUMN_WHY)
            except ParameterError as exc:
                raise DataError(str(exc), line=line, column="domain", value=column[0]) from None
    unit = rows["unit"].iloc[0] if len(rows) else None
    return infer_domain(unit, rows["value"].to_numpy(dtype=float))
