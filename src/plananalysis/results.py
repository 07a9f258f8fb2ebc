"""Result objects: :class:`Assessment` per target, :class:`Scorecard` per plan.

Statuses, bands and reasons are codes (enums); their words live in
:mod:`plananalysis.labels`. Tests and reports read codes; people read
messages. ``Scorecard.to_frame()`` is the tidy table (one row per target)
that the CSV, the CLI and the notebooks show.

Examples
--------
>>> Status.ON_TRACK.value, Status.ON_TRACK.label(), Band.ON_PACE.label()
('on_track', 'on track', 'on pace')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

import numpy as np
import pandas as pd

from .labels import label
from .messages import reason_message, reason_text
from .target import Target

__all__ = ["Status", "Band", "ReasonCode", "Reason", "Assessment", "Scorecard", "ASSESS_COLUMNS"]


class Status(str, Enum):
    """Headline status of a target (from ``p_meet`` and the thresholds, or observed)."""

    MET = "met"
    NOT_MET = "not_met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    PENDING = "pending"
    INSUFFICIENT = "insufficient_data"

    def label(self, lang="en") -> str:
        """Display words (see :mod:`plananalysis.labels`)."""
        return label("status", self.value, lang)

    @property
    def final(self) -> bool:
        """True when the outcome is observed (met / not met)."""
        return self in (Status.MET, Status.NOT_MET)


class Band(str, Enum):
    """Agency-style progress band (Eurostat / Open SDG growth ratio)."""

    ACHIEVED = "achieved"
    MAINTAIN = "achieved_maintain"
    ON_PACE = "on_pace"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED = "limited_progress"
    MOVING_AWAY = "moving_away"
    INSUFFICIENT = "insufficient_data"

    def label(self, lang="en") -> str:
        return label("band", self.value, lang)


class ReasonCode(str, Enum):
    """Why an assessment came out as it did."""

    NO_SERIES = "no_series"
    NO_OBSERVATION = "no_observation"
    OBSERVED_OUTCOME = "observed_outcome"
    BOUND_SETTLES = "bound_settles"
    CONDITIONAL_ON_BOUND = "conditional_on_bound"
    BOUNDS_NOT_FITTED = "bounds_not_fitted"
    BOUNDS_CENSORED = "bounds_censored"
    PROXY_SERIES = "proxy_series"
    GAPS_SIMULATED = "gaps_simulated"
    PAST_GAPS_DRAWN = "past_gaps_drawn"
    BOUNDED_FLOW = "bounded_flow"
    MC_NEAR_THRESHOLD = "mc_near_threshold"
    INSUFFICIENT_DATA = "insufficient_data"
    FIT_WINDOW = "fit_window"
    MODEL = "model"
    DOMAIN = "domain"
    ALREADY_MET = "already_met"
    CAP_BROKEN = "cap_broken"
    PERIOD_OBSERVED = "period_observed"
    OUTCOME_PENDING = "outcome_pending"
    FEW_BAND_OBS = "few_band_observations"
    NEEDED = "needed"
    CALIBRATION = "calibration"
    AS_PUBLISHED = "as_published"


@dataclass(frozen=True)
class Reason:
    """A reason code with its message and the parameters the message was made from.

    Attributes
    ----------
    code : ReasonCode
    message : str
        The English rendering (what ``str(reason)``, ``Assessment.note`` and
        the CSV's ``note`` column say).
    params : dict
        The numbers, years and codes in the message (language-neutral), so
        that :func:`~plananalysis.messages.reason_text` can say it in Chinese.
    template : str
        The key of its template in :data:`~plananalysis.messages.MESSAGES`
        (``""``: the code's value; ``"needed.sum"``: a variant).

    Examples
    --------
    >>> r = Reason(ReasonCode.PERIOD_OBSERVED, "whole period observed: total 10", {"observed": 10.0})
    >>> str(r), r.text("zh")
    ('whole period observed: total 10', '整个规划期已有观测值：合计 10')
    """

    code: ReasonCode
    message: str
    params: dict = field(default_factory=dict, compare=False, hash=False)
    template: str = ""

    def __str__(self) -> str:
        return self.message

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (:func:`~plananalysis.messages.reason_text`)."""
        return reason_text(self, lang)

    @classmethod
    def make(cls, code, template="", **params) -> "Reason":
        """A reason whose English message is its template filled with ``params``.

        Examples
        --------
        >>> Reason.make("needed", "needed.sum", observed=78.6, missing=[2021], per_year=30.35).message
        'observed 78.6 so far; the missing years 2021 need 30.35 a year on average'
        """
        code = ReasonCode(code)
        return cls(code, reason_message(template or code.value, "en", **params), dict(params), template)

    @classmethod
    def coerce(cls, item) -> "Reason":
        """A :class:`Reason` from a Reason or a tuple ``(code, message[, params[, template]])``."""
        if isinstance(item, Reason):
            return item
        code, message, *rest = item
        params = dict(rest[0]) if rest and rest[0] else {}
        template = rest[1] if len(rest) > 1 else ""
        return cls(ReasonCode(code), message, params, template)


#: Columns of :meth:`Scorecard.to_frame`, in order.
ASSESS_COLUMNS = [
    "indicator", "name_en", "target", "comparator", "target_year", "cumulative", "latest_year",
    "latest_value", "status", "status_label", "p_meet", "p_trend", "p_meet_lo", "p_meet_hi", "calibration", "projected_median",
    "projected_lo80", "projected_hi80", "projected_lo95", "projected_hi95", "required_cagr",
    "actual_cagr", "progress_ratio", "progress_band", "model", "n_obs", "relation", "reasons", "note",
    "unit", "series", "domain", "aggregation", "tolerance", "latest_qualifier", "observed_sum",
    "years_simulated", "needed_per_year", "needed_cagr", "baseline_year", "baseline_value", "mc_se",
    "trend_share", "name_zh", "period_start", "period_end",
]


@dataclass(frozen=True)
class Assessment:
    """One target assessed (a frozen result: :func:`~plananalysis.engine.finalize` returns a new one).

    Attributes
    ----------
    target : Target
        The target (:class:`~plananalysis.target.Target`).
    status : Status
    band : Band
    p_trend : float
        P(meet) from the forecast model's paths (NaN when not computed).
    p_meet : float
        The headline probability (calibrated unless ``calibration="none"``).
    calibration : str
        How ``p_meet`` was made (``"none"``, ``"reference_class"``).
    projection : dict
        ``median, lo80, hi80, lo95, hi95`` of the target quantity in the
        target year (or the period total).
    forecast : Forecast or None
        The forecast the probability came from.
    flows : DataFrame or None
        Cumulative targets: period years x paths, observed or simulated.
    reasons : tuple of Reason
    measures : dict
        ``required_cagr, actual_cagr, progress_ratio, baseline_year,
        baseline_value, observed_sum, needed_per_year, needed_cagr, ...``.
    latest : tuple
        ``(year, value, qualifier)`` of the latest observation.
    model : str
    n_obs : int
        Exact observations in the fit window.
    domain : Domain or None
    mc_se : float
        Monte-Carlo standard error of ``p_trend``.
    n_paths : int
        Simulated paths behind ``p_trend`` (0 when none were simulated).
    p_meet_lo, p_meet_hi : float
        95% interval of ``p_meet``: with the calibration, its parameter
        uncertainty (bootstrap refits over plans) and the Monte-Carlo error
        of ``p_trend``
        (:meth:`~plananalysis.calibration.CalibrationModel.predict_interval`);
        with ``calibration="none"`` the Wilson interval of ``p_trend`` over
        ``n_paths``; an observed outcome's is its 0 / 1; NaN without a
        probability.
    trend_share : float
        How much of the calibrated answer the trend carries (see the calibration).
    """

    target: Target
    status: Status = Status.INSUFFICIENT
    band: Band = Band.INSUFFICIENT
    p_trend: float = np.nan
    p_meet: float = np.nan
    calibration: str = ""
    projection: dict = field(default_factory=dict)
    forecast: object = None
    flows: pd.DataFrame | None = None
    reasons: tuple = ()
    measures: dict = field(default_factory=dict)
    latest: tuple = (None, np.nan, "")
    model: str = ""
    n_obs: int = 0
    domain: object = None
    mc_se: float = np.nan
    trend_share: float = np.nan
    n_paths: int = 0
    p_meet_lo: float = np.nan
    p_meet_hi: float = np.nan

    # ------------------------------------------------------------ reasons
    def has(self, code) -> bool:
        """Whether a reason with this code was recorded."""
        code = ReasonCode(code)
        return any(r.code == code for r in self.reasons)

    def with_reasons(self, *reasons) -> "Assessment":
        """A copy with reasons appended (duplicate messages kept once).

        Each is a :class:`Reason` or a tuple ``(code, message[, params[, template]])``.
        """
        out = list(self.reasons)
        for item in reasons:
            r = Reason.coerce(item)
            if r.message and all(x.message != r.message for x in out):
                out.append(r)
        return replace(self, reasons=tuple(out))

    def replace(self, **changes) -> "Assessment":
        """A copy with some fields changed (:func:`dataclasses.replace`)."""
        return replace(self, **changes)

    @property
    def indicator(self) -> str:
        return self.target.indicator

    @property
    def note(self) -> str:
        """Every reason's message, joined."""
        return "; ".join(r.message for r in self.reasons)

    # ------------------------------------------------------------ output
    def to_record(self) -> dict:
        """One row of :meth:`Scorecard.to_frame`."""
        t, m, p = self.target.to_dict(), self.measures, self.projection
        rec = {c: np.nan for c in ASSESS_COLUMNS}
        for c in ("indicator", "name_en", "target", "comparator", "target_year", "cumulative", "unit",
                  "series", "aggregation", "tolerance", "name_zh", "period_start", "period_end"):
            rec[c] = t.get(c)
        ly, lv, lq = self.latest
        rec.update(
            latest_year=ly, latest_value=lv, latest_qualifier=lq or "", status=self.status.value,
            status_label=self.status.label(), p_meet=self.p_meet, p_trend=self.p_trend,
            p_meet_lo=self.p_meet_lo, p_meet_hi=self.p_meet_hi,
            calibration=self.calibration, progress_band=self.band.value, model=self.model,
            n_obs=self.n_obs, relation=self.target.series_relation,
            reasons=";".join(dict.fromkeys(r.code.value for r in self.reasons)), note=self.note,
            domain="" if self.domain is None else self.domain.kind, mc_se=self.mc_se,
            trend_share=self.trend_share,
            years_simulated=m.get("years_simulated", ""),
        )
        for k in ("median", "lo80", "hi80", "lo95", "hi95"):
            rec[f"projected_{k}"] = p.get(k, np.nan)
        for k in ("required_cagr", "actual_cagr", "progress_ratio", "observed_sum", "needed_per_year",
                  "needed_cagr", "baseline_year", "baseline_value"):
            rec[k] = m.get(k, np.nan)
        return rec


class Scorecard:
    """The assessments of one plan under one :class:`~plananalysis.settings.Settings`.

    Iterate for :class:`Assessment` objects, index by target id
    (``scorecard["enrollment"]``) or position, and use :meth:`to_frame`
    for the tidy table.
    """

    def __init__(self, assessments, settings, plan_id="", plan_title=""):
        self.assessments = list(assessments)
        self.settings = settings
        self.plan_id = plan_id
        self.plan_title = plan_title

    def __iter__(self):
        return iter(self.assessments)

    def __len__(self) -> int:
        return len(self.assessments)

    def __getitem__(self, key) -> Assessment:
        if isinstance(key, (int, np.integer)):
            return self.assessments[key]
        for a in self.assessments:
            if a.indicator == key:
                return a
        raise KeyError(f"no target {key!r} in the scorecard; targets: "
                       f"{', '.join(a.indicator for a in self.assessments)}")

    def __repr__(self) -> str:
        rows = ", ".join(f"{a.indicator}: {a.status.value}" for a in self.assessments)
        return f"<Scorecard {self.plan_id} as_of={self.settings.as_of}: {rows}>"

    def to_frame(self) -> pd.DataFrame:
        """One row per target, columns :data:`ASSESS_COLUMNS`.

        ``status`` holds the code, ``status_label`` the English words,
        ``reasons`` the reason codes joined by ``;`` and ``note`` their
        messages.
        """
        table = pd.DataFrame([a.to_record() for a in self.assessments], columns=ASSESS_COLUMNS)
        table["cumulative"] = table["cumulative"].astype(bool)
        for col in ("target_year", "latest_year", "n_obs", "baseline_year", "period_start", "period_end"):
            table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
        for col in ("p_meet", "p_trend", "p_meet_lo", "p_meet_hi", "tolerance", "mc_se", "trend_share"):
            table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
        table.attrs["plan_id"] = self.plan_id
        table.attrs["settings"] = self.settings.to_dict()
        return table
