"""Numbers as a reader expects them: pure functions from values to display strings.

Years are integers, probabilities and rates are percentages, counts carry no
fake decimals, and every missing value (None, NaN, ``pd.NA``, "") shows as
:data:`MISSING`. :func:`format_frame` applies one kind per column to a table
for display; the data themselves (CSV, xlsx) keep full precision.

Examples
--------
>>> fmt_year(2021.0), fmt_probability(0.9953), fmt_probability(1.0), fmt_rate(-0.018634)
('2021', '99.5%', '> 99.9%', '-1.9%')
>>> fmt_count(2545.0), fmt_number(428.838056), fmt_number(float("nan"))
('2,545', '428.8', '–')
"""

from __future__ import annotations

import math

__all__ = [
    "MISSING", "KINDS", "AUTO_DIGITS", "is_missing", "fmt_year", "fmt_probability", "fmt_rate", "fmt_percent_points",
    "fmt_count", "fmt_number", "fmt_value", "fmt_interval", "format_value", "format_frame", "format_record",
    "SCORECARD_KINDS", "mc_interval", "display_status",
]

#: What a missing value looks like (an en dash).
MISSING = "–"


def is_missing(value) -> bool:
    """True for None, NaN, ``pd.NA``, ``pd.NaT`` and empty or blank strings.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), "", " ", 0, "0")]
    [True, True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    try:
        return bool(math.isnan(value))
    except (TypeError, ValueError):
        return False


def _number(value):
    """``value`` as a float, or None when it is missing or not a number."""
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fmt_year(value) -> str:
    """A year as an integer: ``2021.0`` -> ``'2021'`` (no thousands separator).

    Examples
    --------
    >>> fmt_year(2021.0), fmt_year("2024"), fmt_year(None)
    ('2021', '2024', '–')
    """
    x = _number(value)
    if x is None:
        return MISSING if is_missing(value) else str(value)
    return str(int(round(x)))


def fmt_probability(p, digits: int = 1) -> str:
    """A probability as a percentage; simulated near-certainties as ``'> 99.9%'`` / ``'< 0.1%'``.

    A share of simulated paths of exactly 0 or 1 does not mean "impossible" or
    "certain", only that no path said otherwise; values closer to 0 or 1 than
    the shown precision are written as bounds.

    Parameters
    ----------
    p : float
        Probability in [0, 1].
    digits : int
        Decimals of the percentage.

    Examples
    --------
    >>> fmt_probability(0.4999), fmt_probability(0.0), fmt_probability(0.99951), fmt_probability(0.0004)
    ('50.0%', '< 0.1%', '> 99.9%', '< 0.1%')
    >>> fmt_probability(0.25, digits=0), fmt_probability(None)
    ('25%', '–')
    """
    x = _number(p)
    if x is None:
        return MISSING
    step = 10.0 ** -digits  # in percentage points
    pct = 100.0 * x
    if pct >= 100.0 - step / 2:
        return f"> {100.0 - step:.{digits}f}%"
    if pct < step / 2 or pct <= 0:
        return f"< {step:.{digits}f}%"
    return f"{pct:.{digits}f}%"


def fmt_rate(value, digits: int = 1) -> str:
    """A rate given as a fraction (growth rate, CAGR) as a signed percentage.

    Examples
    --------
    >>> fmt_rate(-0.018634), fmt_rate(0.020356), fmt_rate(0.0), fmt_rate(None)
    ('-1.9%', '+2.0%', '0.0%', '–')
    """
    x = _number(value)
    if x is None:
        return MISSING
    pct = round(100.0 * x, digits)
    if pct == 0:
        return f"{0:.{digits}f}%"
    return f"{pct:+.{digits}f}%"


def fmt_percent_points(value, digits: int = 1) -> str:
    """A value already in percent (an employment rate of ``97.2``) with a ``%`` sign.

    Examples
    --------
    >>> fmt_percent_points(97.25), fmt_percent_points(97)
    ('97.2%', '97.0%')
    """
    x = _number(value)
    return MISSING if x is None else f"{x:.{digits}f}%"


def fmt_count(value) -> str:
    """A count without fake decimals, with thousands separators.

    Examples
    --------
    >>> fmt_count(2545.0), fmt_count(1234567), fmt_count(2.6), fmt_count(None)
    ('2,545', '1,234,567', '3', '–')
    """
    x = _number(value)
    return MISSING if x is None else f"{int(round(x)):,}"


def fmt_number(value, digits: int = 1) -> str:
    """A measurement with ``digits`` decimals and thousands separators (``-0.0`` shows as ``0.0``).

    Examples
    --------
    >>> fmt_number(428.838056), fmt_number(2990.39), fmt_number(-0.01), fmt_number(5, digits=0)
    ('428.8', '2,990.4', '0.0', '5')
    """
    x = _number(value)
    if x is None:
        return MISSING
    text = f"{x:,.{digits}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def fmt_value(value, unit: str = "", digits: int | None = None) -> str:
    """A statistic in its unit: percentages as ``97.2%``, other values as numbers plus the unit.

    ``digits=None`` shows whole numbers without decimals (a target of 360, not
    360.0) and others with one.

    Examples
    --------
    >>> fmt_value(97.25, "%"), fmt_value(428.7, "万人"), fmt_value(None, "万人"), fmt_value(2000.0, "万人次")
    ('97.2%', '428.7 万人', '–', '2,000 万人次')
    >>> fmt_value(97, "%")
    '97%'
    """
    x = _number(value)
    if x is None:
        return MISSING
    if digits is None:
        digits = 0 if float(x).is_integer() else 1
    unit = (unit or "").strip()
    if unit == "%":
        return fmt_percent_points(x, digits)
    text = fmt_number(x, digits)
    return f"{text} {unit}" if unit else text


def fmt_interval(lo, hi, kind: str = "number", **kw) -> str:
    """An interval ``lo – hi`` in one kind (see :data:`KINDS`); missing bounds give :data:`MISSING`.

    Examples
    --------
    >>> fmt_interval(0.48, 0.52, "probability")
    '48.0% – 52.0%'
    """
    if is_missing(lo) or is_missing(hi):
        return MISSING
    return f"{format_value(lo, kind, **kw)} – {format_value(hi, kind, **kw)}"


#: Column kinds understood by :func:`format_value` and :func:`format_frame`.
KINDS = {
    "year": fmt_year, "probability": fmt_probability, "rate": fmt_rate, "percent": fmt_percent_points,
    "count": fmt_count, "number": fmt_number, "value": fmt_value, "text": None, "auto": None,
}


def format_value(value, kind: str, **kw) -> str:
    """Format one value as ``kind`` (a key of :data:`KINDS`).

    Raises
    ------
    ValueError
        Unknown kind.

    Examples
    --------
    >>> format_value(0.5, "probability"), format_value(None, "text"), format_value("a", "text")
    ('50.0%', '–', 'a')
    >>> format_value(1, "money")
    Traceback (most recent call last):
    ...
    ValueError: unknown format kind 'money'; known: year, probability, rate, percent, count, number, value, text, auto
    """
    if kind not in KINDS:
        raise ValueError(f"unknown format kind {kind!r}; known: {', '.join(KINDS)}")
    if kind == "auto":
        return _auto_column([value])[0]
    func = KINDS[kind]
    if func is None:
        return MISSING if is_missing(value) else str(value)
    return func(value, **kw)


AUTO_DIGITS = 3
"""Decimals of the ``auto`` kind's non-integer numbers (measures such as MASE or a Brier score)."""


def _auto_column(values) -> list:
    """``auto`` kind, one column at a time: all-integer numbers as integers, other numbers with
    :data:`AUTO_DIGITS` decimals, text unchanged, missing as :data:`MISSING`."""
    nums = [_number(v) if not isinstance(v, str) else None for v in values]
    present = [x for x in nums if x is not None]
    whole = bool(present) and all(float(x).is_integer() for x in present)
    out = []
    for v, x in zip(values, nums):
        if is_missing(v):
            out.append(MISSING)
        elif x is None:
            out.append(str(v))
        elif whole:
            out.append(str(int(x)))
        else:
            out.append(fmt_number(x, AUTO_DIGITS))
    return out


def format_frame(frame, kinds: dict, default: str = "text"):
    """A copy of ``frame`` with every cell formatted for display (all strings).

    Parameters
    ----------
    frame : pandas.DataFrame
    kinds : dict
        Column -> kind (see :data:`KINDS`); columns not named get ``default``.
        ``auto`` decides per column: integers stay integers, other numbers get
        :data:`AUTO_DIGITS` decimals, text is kept, missing becomes "–".
        Naming a column the frame lacks is an error (a typo would silently
        leave raw floats on a page).
    default : str
        Kind of the other columns.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    KeyError
        A column in ``kinds`` is not in ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"year": [2021.0, None], "p": [0.9953, 1.0], "n": [2545.0, 12.0]})
    >>> format_frame(f, {"year": "year", "p": "probability", "n": "count"}).values.tolist()
    [['2021', '99.5%', '2,545'], ['–', '> 99.9%', '12']]
    >>> m = pd.DataFrame({"model": ["naive", "theta"], "n": [6.0, 6.0], "mase": [1.64, float("nan")]})
    >>> format_frame(m, {}, default="auto").values.tolist()  # integer columns stay integers
    [['naive', '6', '1.640'], ['theta', '6', '–']]
    """
    missing = [c for c in kinds if c not in frame.columns]
    if missing:
        raise KeyError(f"format_frame: no column(s) {', '.join(map(str, missing))} in the table "
                       f"(columns: {', '.join(map(str, frame.columns))})")
    out = frame.copy().astype(object)
    for col in frame.columns:
        kind = kinds.get(col, default)
        out[col] = _auto_column(list(frame[col])) if kind == "auto" else [format_value(v, kind) for v in frame[col]]
    return out


#: Kind of every numeric column of a scorecard (:meth:`~plananalysis.results.Scorecard.to_frame`);
#: the other columns are text.
SCORECARD_KINDS = {
    **dict.fromkeys(("target_year", "latest_year", "baseline_year", "period_start", "period_end"), "year"),
    **dict.fromkeys(("p_meet", "p_trend", "p_meet_lo", "p_meet_hi", "mc_se", "trend_share"), "probability"),
    **dict.fromkeys(("required_cagr", "actual_cagr", "needed_cagr"), "rate"),
    "n_obs": "count",
    # published figures and targets as given (360, 428.7); model output with one decimal
    **dict.fromkeys(("target", "latest_value", "observed_sum", "baseline_value", "tolerance"), "value"),
    **dict.fromkeys(("projected_median", "projected_lo80", "projected_hi80", "projected_lo95", "projected_hi95",
                     "progress_ratio", "needed_per_year"), "number"),
}


def format_record(record, kinds: dict, default: str = "text", name: str = "value"):
    """One record (a Series or mapping, e.g. one scorecard row) as a one-column table of display strings.

    Parameters
    ----------
    record : pandas.Series or mapping
    kinds : dict
        Field -> kind (see :data:`KINDS`); fields not named get ``default``.
        Unlike :func:`format_frame`, naming a field the record lacks is fine
        (one kinds table, e.g. :data:`SCORECARD_KINDS`, serves every row).
    default : str
    name : str
        Column name of the result.

    Returns
    -------
    pandas.DataFrame
        Index: the record's fields; one column ``name``.

    Examples
    --------
    >>> format_record({"latest_year": 2024.0, "p_meet": 0.955271, "needed_cagr": float("nan"),
    ...                "model": "combination"}, SCORECARD_KINDS)["value"].tolist()
    ['2024', '95.5%', '–', 'combination']
    """
    import pandas as pd

    items = dict(record)
    return pd.DataFrame({name: [format_value(v, kinds.get(k, default)) for k, v in items.items()]},
                        index=pd.Index(list(items), dtype=object))


# ------------------------------------------------------------------ Monte-Carlo error of a probability
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
