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
    "SCORECARD_KINDS", "COLUMN_KINDS", "fmt_share", "fmt_gap", "fmt_bool", "fmt_bin", "mark",
    "projection_digits",
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


def fmt_share(value, digits: int = 0) -> str:
    """A share of things counted (interval coverage: 5 of 6 forecasts) as a plain percentage.

    Unlike :func:`fmt_probability` it is not a simulated chance, so 1.0 is ``100%``.

    Examples
    --------
    >>> fmt_share(0.8333), fmt_share(1.0), fmt_share(None)
    ('83%', '100%', '–')
    """
    x = _number(value)
    return MISSING if x is None else f"{100.0 * x:.{digits}f}%"


def fmt_gap(value, digits: int = 0) -> str:
    """A difference of two percentages (coverage minus nominal) in signed percentage points.

    Examples
    --------
    >>> fmt_gap(-0.05), fmt_gap(0.2), fmt_gap(-0.001), fmt_gap(None)
    ('-5 pp', '+20 pp', '0 pp', '–')
    """
    x = _number(value)
    if x is None:
        return MISSING
    pct = round(100.0 * x, digits)
    return f"{0:.{digits}f} pp" if pct == 0 else f"{pct:+.{digits}f} pp"


def fmt_bool(value, lang: str = "en") -> str:
    """A yes/no value as a word (never ``True``/``False`` on a page).

    Examples
    --------
    >>> fmt_bool(True), fmt_bool(False, "zh"), fmt_bool(None)
    ('yes', '否', '–')
    """
    if is_missing(value):
        return MISSING
    yes = bool(value) if not isinstance(value, str) else value.strip().lower() in ("true", "1", "yes")
    return ("是" if yes else "否") if lang == "zh" else ("yes" if yes else "no")


def fmt_bin(value) -> str:
    """A bin of probabilities (a ``pandas.Interval`` such as ``(-0.001, 0.5]``) as ``0-50%``.

    Bins of other numbers show as ``lo-hi`` with the numbers rounded for reading.

    Examples
    --------
    >>> import pandas as pd
    >>> fmt_bin(pd.Interval(-0.001, 0.5)), fmt_bin(pd.Interval(0.5, 1.0)), fmt_bin(pd.Interval(10.0, 20.5))
    ('0-50%', '50-100%', '10-20.5')
    """
    lo, hi = _number(getattr(value, "left", None)), _number(getattr(value, "right", None))
    if lo is None or hi is None:
        return MISSING if is_missing(value) else str(value)
    if -0.01 <= lo and hi <= 1.0:
        return f"{max(round(100 * lo), 0):d}-{round(100 * hi):d}%"
    return f"{lo:g}-{hi:g}"


def mark(shown: str, quantity: str, indicator: str = "", **more) -> str:
    """A displayed number wrapped in a ``<span>`` that names what it is, for tests and scripts.

    ``data-quantity`` is the scorecard column (``p_meet``, ``projected_median``...)
    and ``data-indicator`` the target id; the text a reader sees is unchanged.
    The published pages keep ``data-*`` attributes (see :mod:`plananalysis.report.html`),
    so a test can read every page's numbers without parsing sentences.

    Examples
    --------
    >>> mark("95.5%", "p_meet", "enrollment")
    '<span data-quantity="p_meet" data-indicator="enrollment">95.5%</span>'
    >>> mark("1.37", "mase", "enrollment", model="drift")
    '<span data-quantity="mase" data-indicator="enrollment" data-model="drift">1.37</span>'
    """
    import html

    attrs = {"quantity": quantity, "indicator": indicator, **more}
    inner = " ".join(f'data-{k}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items() if v != "")
    return f"<span {inner}>{shown}</span>"


def projection_digits(unit) -> int:
    """Decimals a projected value is shown with: two for a percentage (96.97%), one otherwise (445.7 万人).

    Examples
    --------
    >>> projection_digits("%"), projection_digits("万人")
    (2, 1)
    """
    return 2 if str(unit or "").strip() == "%" else 1


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
    "share": fmt_share, "gap": fmt_gap, "bool": fmt_bool, "bin": fmt_bin,
    "number2": lambda v: fmt_number(v, 2),
}


def format_value(value, kind: str, lang: str = "en", **kw) -> str:
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
    ValueError: unknown format kind 'money'; known: year, probability, rate, percent, count, number, value, text, auto, share, gap, bool, bin, number2
    """
    if kind not in KINDS:
        raise ValueError(f"unknown format kind {kind!r}; known: {', '.join(KINDS)}")
    if kind == "auto":
        return _auto_column([value], lang)[0]
    func = KINDS[kind]
    if func is None:
        return MISSING if is_missing(value) else str(value)
    if kind == "bool":
        return fmt_bool(value, lang)
    return func(value, **kw)


AUTO_DIGITS = 3
"""Decimals of the ``auto`` kind's non-integer numbers (measures such as MASE or a Brier score) in plain text;
pages pass fewer (:func:`plananalysis.tables.reader_table`)."""


def _auto_column(values, lang: str = "en", digits: int = AUTO_DIGITS) -> list:
    """``auto`` kind, one column at a time: all-integer numbers as integers, other numbers with
    :data:`AUTO_DIGITS` decimals, booleans as words, bins as ``0-50%``, text unchanged, missing as
    :data:`MISSING`."""
    nums = [_number(v) if not isinstance(v, (str, bool)) and type(v).__name__ != "bool_" else None
            for v in values]
    present = [x for x in nums if x is not None]
    whole = bool(present) and all(float(x).is_integer() for x in present)
    out = []
    for v, x in zip(values, nums):
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            out.append(fmt_bool(v, lang))
        elif hasattr(v, "left") and hasattr(v, "right"):
            out.append(fmt_bin(v))
        elif is_missing(v):
            out.append(MISSING)
        elif x is None:
            out.append(str(v))
        elif whole:
            out.append(str(int(x)))
        else:
            out.append(fmt_number(x, digits))
    return out


def format_frame(frame, kinds: dict, default: str = "text", lang: str = "en", digits: int = AUTO_DIGITS):
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
        Kind of the other columns; with ``auto``, a column named in
        :data:`COLUMN_KINDS` (``coverage80``, ``mase``, ``p_meet``...) gets its kind from there.
    lang : {"en", "zh"}
        Words for booleans.
    digits : int
        Decimals of the ``auto`` kind's non-integer numbers (default :data:`AUTO_DIGITS`).

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
    [['naive', '6', '1.64'], ['theta', '6', '–']]
    >>> format_frame(pd.DataFrame({"x": [1.6401]}), {}, default="auto").values.tolist()
    [['1.640']]
    >>> format_frame(pd.DataFrame({"coverage80": [0.8333], "ok": [True]}), {}, "auto", "zh").values.tolist()
    [['83%', '是']]
    """
    missing = [c for c in kinds if c not in frame.columns]
    if missing:
        raise KeyError(f"format_frame: no column(s) {', '.join(map(str, missing))} in the table "
                       f"(columns: {', '.join(map(str, frame.columns))})")
    out = frame.copy().astype(object)
    for col in frame.columns:
        kind = kinds.get(col, default)
        if kind == "auto" and isinstance(col, str) and col in COLUMN_KINDS:  # text already formatted stays
            out[col] = [v if isinstance(v, str) else format_value(v, COLUMN_KINDS[col], lang) for v in frame[col]]
            continue
        out[col] = (_auto_column(list(frame[col]), lang, digits) if kind == "auto"
                    else [format_value(v, kind, lang) for v in frame[col]])
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


#: Kinds of the columns the package's own tables carry, by name: ``format_frame(..., default="auto")``
#: uses them, so a backtest or calibration table shows coverage as ``83%``, not ``0.833``.
COLUMN_KINDS = {
    **SCORECARD_KINDS,
    **dict.fromkeys(("coverage80", "coverage95", "coverage", "observed_rate", "share", "hit_rate"), "share"),
    **dict.fromkeys(("coverage80_gap", "coverage95_gap"), "gap"),
    **dict.fromkeys(("mase", "relative_mase", "mase_naive", "mase_drift", "mase_logdrift", "mase_linear",
                     "mase_loglinear", "mase_theta", "mase_ets", "mase_arima", "mase_combination"), "number2"),
    **dict.fromkeys(("mae", "rmse", "winkler80", "winkler95", "smape"), "number"),
    **dict.fromkeys(("n", "n_obs", "n_forecasts", "n_cases"), "count"),
    **dict.fromkeys(("year", "as_of", "origin"), "year"),
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
