"""Verdicts: the status a reader is shown for a probability and its interval.

The Monte-Carlo interval of a simulated share, P's own interval where the
scorecard has one, the coin-toss rule and the verdict words the index, page 02
and the charts share.
"""

from __future__ import annotations

from types import SimpleNamespace

from .engine import status_for
from .formatting import fmt_probability, is_missing
from .labels import status_label, text

__all__ = ["mc_interval", "display_status", "p_interval", "verdict"]


def mc_interval(p, n, z: float = 1.96):
    """Wilson interval of a share ``p`` of ``n`` simulated paths (the Monte-Carlo error of P).

    :func:`statsmodels.stats.proportion.proportion_confint` with
    ``method="wilson"`` at the level whose normal quantile is ``z``.

    Returns ``(lo, hi)``, or ``(None, None)`` when ``p`` or ``n`` is missing.

    Examples
    --------
    >>> lo, hi = mc_interval(0.5, 10000)
    >>> round(lo, 3), round(hi, 3)
    (0.49, 0.51)
    >>> lo, hi = mc_interval(1.0, 200)
    >>> round(lo, 3), hi
    (0.981, 1.0)
    """
    if is_missing(p) or not n:
        return None, None
    from scipy.stats import norm  # heavy: imported only when an interval is drawn
    from statsmodels.stats.proportion import proportion_confint

    n = int(n)
    lo, hi = proportion_confint(float(p) * n, n, alpha=2 * norm.sf(z), method="wilson")
    return max(0.0, float(lo)), min(1.0, float(hi))


def display_status(status: str, p, n, on_track: float = 0.9, at_risk: float = 0.5, interval=None) -> str:
    """The status code to show: ``"coin_toss"`` when the interval of P straddles ``at_risk``.

    ``status`` is a :class:`plananalysis.results.Status` value. Only forecast
    statuses (on/at/off track) can become a coin toss; an observed outcome
    (met / not met) or insufficient data stays as it is. A P interval
    straddling ``on_track`` keeps its status (the interval is shown).
    ``interval`` is P's own interval (``p_meet_lo, p_meet_hi``) where the
    assessment has one; else the Monte-Carlo interval of ``p`` over ``n`` paths.

    Examples
    --------
    >>> display_status("off_track", 0.4999, 10000), display_status("at_risk", 0.6, 10000)
    ('coin_toss', 'at_risk')
    >>> display_status("met", 0.5, 100)
    'met'
    >>> display_status("at_risk", 0.6, 10000, interval=(0.45, 0.7))
    'coin_toss'
    """
    code = str(getattr(status, "value", status)).strip()
    if code in ("on_track", "at_risk", "off_track"):
        lo, hi = p_interval(p, n, interval)
        if lo is not None and lo < at_risk <= hi:
            return "coin_toss"
    return code


def p_interval(p, n, interval=None):
    """P's interval: ``interval`` (``p_meet_lo, p_meet_hi``) where it is known, else the Monte-Carlo interval.

    Examples
    --------
    >>> p_interval(0.6, 10000, (0.45, 0.7))
    (0.45, 0.7)
    >>> [round(x, 3) for x in p_interval(0.5, 10000)]
    [0.49, 0.51]
    """
    if interval is not None and not any(is_missing(x) for x in interval):
        return float(interval[0]), float(interval[1])
    return mc_interval(p, n)


def verdict(row, n_paths=None, on_track=0.9, at_risk=0.5, lang="en") -> tuple[str, str]:
    """``(code, words)``: the verdict the index shows for one scorecard row.

    An observed outcome (met / not met) and insufficient data stay as they
    are; a forecast status can become a coin toss (:func:`display_status`).
    A pending outcome (target year past, figure not yet published) gets the
    status its P(meet) earns under the thresholds (:func:`plananalysis.engine.status_for`,
    as the vintages table shows it) next to the pending word.

    Examples
    --------
    >>> verdict({"status": "pending", "p_meet": 0.97, "p_meet_lo": 0.95, "p_meet_hi": 0.98})
    ('on_track', 'pending: on track, 97.0%')
    >>> verdict({"status": "met", "p_meet": float("nan")})
    ('met', 'met')
    """
    status = str(row.get("status", "")).strip()
    p = row.get("p_meet")
    interval = (row.get("p_meet_lo"), row.get("p_meet_hi")) if "p_meet_lo" in row else None
    if status == "pending" and not is_missing(p):
        earned = status_for(float(p), SimpleNamespace(on_track=on_track, at_risk=at_risk)).value
        code = display_status(earned, p, n_paths, on_track, at_risk, interval)
        return code, text("index.pending_verdict", lang, status=status_label(code, lang), p=fmt_probability(p))
    code = display_status(status, p, n_paths, on_track, at_risk, interval)
    return code, status_label(code, lang)
