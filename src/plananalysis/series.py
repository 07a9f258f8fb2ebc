"""What a plan declares about one statistics series: :class:`SeriesSpec`.

A core value: the bundle (:meth:`plananalysis.bundle.PlanBundle.series_spec`)
makes it from ``plan.yaml`` and the statistics; the engine and the study read
it. It knows no file.

Examples
--------
>>> from plananalysis.domain import Domain
>>> spec = SeriesSpec("enrollment_in_school", Domain("count"), fit_start=2015,
...                   breaks=((2012, 2015, "definition changed"),))
>>> spec.window_note()
'fit window starts 2015: declared break between 2012 and 2015'
"""

from __future__ import annotations

from dataclasses import dataclass

from .domain import Domain

__all__ = ["SeriesSpec", "LEVERS", "PLAN_KINDS"]

#: Declared lever of a series (``plan.yaml`` ``series.NAME.lever`` or a targets table's ``lever`` column):
#: ``direct`` (the issuing body controls the quantity: places, enrolment, construction, programme
#: counts, subsidised training), ``outcome`` (an outcome of the wider economy: growth rates, shares of
#: GDP, intensities, prices, unemployment, mortality) or ``unknown`` (the default).
LEVERS = ("direct", "outcome", "unknown")
#: Declared kind of a plan (``plan.yaml`` ``kind``): annual work report, five-year outline, sector plan.
PLAN_KINDS = ("work_report", "five_year_outline", "sector_plan", "unknown")


@dataclass(frozen=True)
class SeriesSpec:
    """What a plan declares about one statistics series.

    Attributes
    ----------
    name : str
        The series (statistics ``indicator``).
    domain : Domain
        Declared, from the statistics table's ``domain`` column, or
        inferred (``domain.why`` says which).
    fit_start : int or None
        First year of the fit window: declared, else the later year of the
        last declared break, else None (the whole series).
    breaks : tuple of (int, int, str)
        Declared definitional breaks ``(last year before, first year after, note)``.
    lever : str
        One of :data:`LEVERS` (declared; default ``unknown``), ``lever_reason`` its one-line reason.
    family : str
        The reference-class series whose past targets are this series' track record ('' none declared).
    """

    name: str
    domain: Domain
    fit_start: int | None = None
    breaks: tuple = ()
    lever: str = "unknown"
    lever_reason: str = ""
    family: str = ""

    def window_note(self) -> str:
        """Why the fit window starts where it does ('' for the whole series)."""
        if self.fit_start is None:
            return ""
        if self.breaks:
            a, b, _ = self.breaks[-1]
            return f"fit window starts {self.fit_start}: declared break between {a} and {b}"
        return f"fit window starts {self.fit_start} (declared in the plan bundle)"
