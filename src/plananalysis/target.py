"""One plan target as a typed, frozen value: :class:`Target`.

Readers (:mod:`plananalysis.plan`) return targets as a tidy DataFrame (one
row per target, columns :data:`TARGET_COLUMNS`), which is what a researcher
reads and writes. Everything between the readers and the outputs (the
engine, the study, the calibration) works on :class:`Target` values made once
from those rows by :func:`targets_from_frame`: typed fields instead of
``dict`` lookups and ``pd.isna`` guards, and one :class:`Comparator` per
target.

Examples
--------
>>> t = Target.from_row({"indicator": "enrollment", "unit": "万人", "comparator": ">", "target": 360,
...                      "target_year": 2025, "series": "enrollment_in_school"})
>>> t.value, t.end_year, t.cumulative, t.rule().reading()
(360.0, 2025, False, '≥')
>>> t.to_dict()["target"]
360.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import pandas as pd

from .comparator import COMPARATORS, Comparator
from .errors import ParameterError

__all__ = ["Target", "TARGET_COLUMNS", "AGGREGATIONS", "targets_from_frame"]

#: Column order of a targets frame (:func:`plananalysis.plan.load_targets`).
TARGET_COLUMNS = (
    "indicator", "name_zh", "name_en", "unit", "comparator", "target", "target_year",
    "cumulative", "period_start", "period_end", "baseline_year", "baseline_value",
    "baseline_qualifier", "series", "series_relation", "series_note", "source_section",
    "baseline_note", "aggregation", "tolerance",
)
#: How a cumulative target adds up its years (see :func:`plananalysis.progress.aggregate`).
AGGREGATIONS = ("sum", "compound", "compound_decline", "mean_growth")


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value) -> str:
    return "" if _missing(value) else str(value).strip()


def _opt_int(value, name, indicator):
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"target {indicator!r}: {name} must be a year, got {value!r}") from None
    if not f.is_integer():
        raise ParameterError(f"target {indicator!r}: {name} must be a whole year, got {value!r}")
    return int(f)


def _opt_float(value, name, indicator):
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"target {indicator!r}: {name} must be a number, got {value!r}") from None


@dataclass(frozen=True)
class Target:
    """One target of a plan.

    Attributes
    ----------
    indicator : str
        The target id (unique within its plan).
    comparator : {'>', '>=', '<', '<=', '~'}
    value : float
        The target number (column ``target`` of a targets frame).
    target_year : int
        The year the target is judged in (the period's last year for a
        cumulative target).
    unit, name_zh, name_en : str
    cumulative : bool
        A period total (``aggregation`` over ``period_start..period_end``).
    period_start, period_end : int or None
    aggregation : {'sum', 'compound', 'compound_decline', 'mean_growth'}
    tolerance : float or None
        ``'~'`` targets: met within ``value +/- tolerance``.
    baseline_year : int or None
    baseline_value : float
        NaN when the plan states none.
    baseline_qualifier : str
    series : str
        The statistics series the target is measured on (``''``: none).
    series_relation : {'direct', 'proxy', ''}
    series_note, source_section, baseline_note : str
    extra : dict
        Any further columns of the targets table (kept, not interpreted).
    """

    indicator: str
    comparator: str
    value: float
    target_year: int
    unit: str = ""
    name_zh: str = ""
    name_en: str = ""
    cumulative: bool = False
    period_start: int | None = None
    period_end: int | None = None
    aggregation: str = "sum"
    tolerance: float | None = None
    baseline_year: int | None = None
    baseline_value: float = math.nan
    baseline_qualifier: str = ""
    series: str = ""
    series_relation: str = ""
    series_note: str = ""
    source_section: str = ""
    baseline_note: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self):
        if self.comparator not in COMPARATORS:
            raise ParameterError(f"target {self.indicator!r}: comparator must be one of {list(COMPARATORS)}, "
                                 f"got {self.comparator!r}")
        if self.aggregation not in AGGREGATIONS:
            raise ParameterError(f"target {self.indicator!r}: aggregation must be one of {list(AGGREGATIONS)}, "
                                 f"got {self.aggregation!r}")
        if self.cumulative and (self.period_start is None or self.period_end is None):
            raise ParameterError(f"target {self.indicator!r}: a cumulative target needs period_start and "
                                 "period_end")

    # ------------------------------------------------------------ building
    @classmethod
    def from_row(cls, row: Mapping) -> "Target":
        """A target from one row of a targets frame (or any mapping with its columns)."""
        row = dict(row)
        ind = _text(row.get("indicator"))
        if not ind:
            raise ParameterError("a target needs an 'indicator' id")
        year = _opt_int(row.get("target_year"), "target_year", ind)
        if year is None:
            raise ParameterError(f"target {ind!r}: target_year is required")
        value = _opt_float(row.get("target"), "target", ind)
        if math.isnan(value):
            raise ParameterError(f"target {ind!r}: the target number is required")
        tol = _opt_float(row.get("tolerance"), "tolerance", ind)
        cumulative = row.get("cumulative")
        extra = {k: v for k, v in row.items() if k not in TARGET_COLUMNS}
        return cls(
            indicator=ind, comparator=_text(row.get("comparator")), value=value, target_year=year,
            unit=_text(row.get("unit")), name_zh=_text(row.get("name_zh")), name_en=_text(row.get("name_en")),
            cumulative=False if _missing(cumulative) else bool(cumulative),
            period_start=_opt_int(row.get("period_start"), "period_start", ind),
            period_end=_opt_int(row.get("period_end"), "period_end", ind),
            aggregation=_text(row.get("aggregation")) or "sum",
            tolerance=None if math.isnan(tol) else tol,
            baseline_year=_opt_int(row.get("baseline_year"), "baseline_year", ind),
            baseline_value=_opt_float(row.get("baseline_value"), "baseline_value", ind),
            baseline_qualifier=_text(row.get("baseline_qualifier")), series=_text(row.get("series")),
            series_relation=_text(row.get("series_relation")), series_note=_text(row.get("series_note")),
            source_section=_text(row.get("source_section")), baseline_note=_text(row.get("baseline_note")),
            extra=extra,
        )

    # ------------------------------------------------------------ reading
    def rule(self, strict: bool = False) -> Comparator:
        """The target's :class:`~plananalysis.comparator.Comparator` under the chosen reading."""
        return Comparator(self.comparator, bool(strict), self.tolerance)

    @property
    def end_year(self) -> int:
        """The year the outcome is known: the period's end (cumulative) or the target year."""
        return int(self.period_end) if self.cumulative else int(self.target_year)

    @property
    def period(self) -> list:
        """The years of a cumulative target's period (``[]`` for a level target)."""
        return list(range(self.period_start, self.period_end + 1)) if self.cumulative else []

    @property
    def has_series(self) -> bool:
        return bool(self.series)

    @property
    def is_proxy(self) -> bool:
        return self.series_relation == "proxy"

    def to_dict(self) -> dict:
        """The target as a row of a targets frame (columns :data:`TARGET_COLUMNS`, then ``extra``)."""
        out = {c: getattr(self, c) for c in TARGET_COLUMNS if c not in ("target",)}
        out["target"] = self.value
        out["tolerance"] = math.nan if self.tolerance is None else self.tolerance
        return {**{c: out[c] for c in TARGET_COLUMNS}, **self.extra}


def targets_from_frame(frame: pd.DataFrame) -> tuple:
    """Every row of a targets frame as a :class:`Target`, in order.

    Raises
    ------
    ParameterError
        A row that is not a valid target (the message names the target id).
    """
    return tuple(Target.from_row(row) for row in frame.to_dict("records"))
