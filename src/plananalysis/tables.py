"""Tables for the report's pages: one computation per quantity, formatted by one layer.

The forecast, backtest and required-path tables of page 02 read the
scorecard's own numbers (the same simulated paths, the same backtest as page
04); :func:`reader_table` shows any frame as a reader reads it (no RangeIndex,
names instead of ids, booleans and shares in words, headers in words).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .formatting import MISSING, fmt_number, fmt_value, fmt_year, format_frame, is_missing, mark, projection_digits
from .labels import label, text

__all__ = ["forecast_table", "backtest_table", "BACKTEST_COLUMNS", "required_path_display", "reader_table",
           "names_for", "humanize"]


def _quantiles(values) -> list:
    """Median, 80% and 95% bounds of simulated values: the computation behind the scorecard's projection."""
    return [float(x) for x in np.quantile(np.asarray(values, dtype=float), [0.5, 0.1, 0.9, 0.025, 0.975])]


def forecast_table(assessment, lang="en", marks=False) -> pd.DataFrame:
    """The forecast of one assessment per year, from the same simulated paths as the scorecard.

    Every row is the median and the 80% / 95% bounds of the simulated values
    of that year; the scorecard's own quantity (the target year of a level
    target, the period total of a cumulative one) is its ``projection``, the
    very numbers ``scorecard.csv`` holds, so the table and the headline cannot
    disagree.

    Parameters
    ----------
    assessment : Assessment
    lang : {"en", "zh"}
    marks : bool
        Wrap the scorecard's numbers in :func:`~plananalysis.formatting.mark` spans (HTML pages).

    Returns
    -------
    DataFrame
        Display strings: year (or period), median, 80% interval, 95% interval
        (headers in ``lang``); empty when there is no forecast.

    Examples
    --------
    >>> from plananalysis import assess
    >>> a = assess(n_paths=400)["enrollment"]
    >>> t = forecast_table(a)
    >>> list(t.columns), t.iloc[-1, 1] == f"{a.projection['median']:,.1f}"
    (['Year', 'median', '80% interval', '95% interval'], True)
    """
    fc, target = assessment.forecast, assessment.target
    cols = [text(k, lang) for k in ("col.year", "col.median", "col.interval80", "col.interval95")]
    if fc is None:
        return pd.DataFrame(columns=cols)
    d = projection_digits(target.unit)
    ind = target.indicator
    rows = []

    def cells(q, scored):
        def f(x, name):
            shown = fmt_number(x, d)
            return mark(shown, f"projected_{name}", ind) if marks and scored else shown
        return [f(q[0], "median"), f"{f(q[1], 'lo80')}–{f(q[2], 'hi80')}", f"{f(q[3], 'lo95')}–{f(q[4], 'hi95')}"]

    proj = assessment.projection or {}
    own = [proj.get(k) for k in ("median", "lo80", "hi80", "lo95", "hi95")]
    for year, values in fc.paths.iterrows():
        scored = not target.cumulative and int(year) == int(target.target_year) and not any(
            is_missing(x) for x in own)
        rows.append([fmt_year(year)] + cells(own if scored else _quantiles(values), scored))
    if target.cumulative and not any(is_missing(x) for x in own):
        period = text("say.period", lang, start=target.period_start, end=target.period_end).strip(" ,，()（）")
        rows.append([text("col.total", lang, period=period)] + cells(own, True))
    return pd.DataFrame(rows, columns=cols)


#: Columns of :func:`backtest_table`, in order.
BACKTEST_COLUMNS = ("model", "n", "mase", "relative_mase", "coverage80", "coverage95", "winkler80", "winkler95")


def backtest_table(accuracy, indicator, lang="en", marks=False) -> pd.DataFrame:
    """One series' rows of a :func:`~plananalysis.backtesting.relative_accuracy` table, for a page.

    Page 02 and page 04 show the rows of the same table (the same backtest,
    window and scoring), so the numbers agree; sorted by MASE.

    Examples
    --------
    >>> acc = pd.DataFrame({"indicator": ["a", "a"], "model": ["naive", "drift"], "n": [4, 4], "mase": [1.867, 1.367],
    ...     "relative_mase": [1.0, 0.732], "coverage80": [0.75, 0.75], "coverage95": [1.0, 0.75],
    ...     "winkler80": [88.6, 109.9], "winkler95": [135.6, 111.3]})
    >>> backtest_table(acc, "a").iloc[0].tolist()
    ['drift', '4', '1.37', '0.73', '75%', '75%', '109.9', '111.3']
    """
    rows = accuracy[accuracy["indicator"] == indicator].sort_values("mase", kind="stable")
    shown = format_frame(rows[list(BACKTEST_COLUMNS)], {}, default="auto", lang=lang)
    shown["model"] = [label("model", m, lang) for m in rows["model"]]  # the model's words, as page 04 names it
    if marks:
        shown["mase"] = [mark(s, "mase", indicator, model=m) for s, m in zip(shown["mase"], rows["model"])]
        shown["n"] = [mark(s, "n_forecasts", indicator, model=m) for s, m in zip(shown["n"], rows["model"])]
    return shown.rename(columns={c: text(f"bt.{c}", lang) for c in BACKTEST_COLUMNS}).reset_index(drop=True)


def required_path_display(table, unit="", lang="en", indicator="", marks=False) -> pd.DataFrame:
    """A :func:`required_path_table` as a reader reads it: years as a column, values in the unit, words as headers.

    A bound (">97") shows with its qualifier; the simulated running total of a
    cumulative target ends on the scorecard's projection (marked with ``marks``).

    Examples
    --------
    >>> row = {"cumulative": True, "target": 200.0, "period_start": 2021, "period_end": 2022}
    >>> hist = pd.DataFrame({"value": [90.0], "qualifier": [""]}, index=[2021])
    >>> from plananalysis.present import required_path_table
    >>> required_path_display(required_path_table(row, hist), "万人").values.tolist()
    [['2021', '100', '90', '90'], ['2022', '200', '–', '–']]
    """
    d = projection_digits(unit)
    out = pd.DataFrame({text("rp.year", lang): [fmt_year(y) for y in table.index]})

    def num(x, digits=None):
        return fmt_value(x, "", digits)

    out[text("rp.required", lang)] = [num(x) for x in table["required"]]
    quals = table["qualifier"].fillna("") if "qualifier" in table else pd.Series("", index=table.index)
    out[text("rp.published", lang)] = [MISSING if is_missing(v) else f"{q}{num(v)}"
                                       for v, q in zip(table["published"], quals)]
    if "published_total" in table:
        out[text("rp.published_total", lang)] = [num(x) for x in table["published_total"]]
    if "total_median" in table:
        last = len(table) - 1
        med = [fmt_number(x, d) for x in table["total_median"]]
        lo = [fmt_number(x, d) for x in table["total_lo80"]]
        hi = [fmt_number(x, d) for x in table["total_hi80"]]
        if marks:
            med[last] = mark(med[last], "projected_median", indicator)
            lo[last] = mark(lo[last], "projected_lo80", indicator)
            hi[last] = mark(hi[last], "projected_hi80", indicator)
        out[text("rp.total_median", lang)] = med
        out[text("rp.total_80", lang)] = [f"{a}–{b}" for a, b in zip(lo, hi)]
    return out


def names_for(targets, lang="en", others=()) -> dict:
    """``{id: name}`` for every target id and its series id (the target's name in ``lang``).

    ``others``: more ids (series no target uses), named by their words (``new_enrollment`` -> ``new enrollment``).

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": ["x"], "name_en": ["Students"], "name_zh": ["在校生"], "series": ["x_in_school"]})
    >>> names_for(t, "zh")
    {'x': '在校生', 'x_in_school': '在校生'}
    """
    out = {}
    for r in targets.to_dict("records"):
        name = (r.get("name_zh") if lang == "zh" and not is_missing(r.get("name_zh")) else None) or \
            r.get("name_en") or r["indicator"]
        out[r["indicator"]] = name
        if not is_missing(r.get("series")):
            out.setdefault(r["series"], name)
    for other in others:
        out.setdefault(other, humanize(other, lang))
    return out


_HEADERS = {"p_meet": "P(meet)", "p_trend": "trend alone", "n": "n", "n_obs": "observations"}


def humanize(column, lang="en") -> str:
    """A column name as words: ``target_year`` -> ``target year``, ``p_meet`` -> ``P(meet)``.

    Examples
    --------
    >>> humanize("target_year"), humanize("p_meet"), humanize(2024)
    ('target year', 'P(meet)', '2024')
    """
    if not isinstance(column, str):
        return fmt_year(column) if isinstance(column, (int, np.integer)) else str(column)
    return _HEADERS.get(column, column.replace("_", " "))


def reader_table(frame, lang="en", names=None, kinds=None, index=False):
    """Any frame as a reader reads it, as a pandas ``Styler`` for a page.

    Cells go through :func:`~plananalysis.formatting.format_frame` (``auto``
    with :data:`~plananalysis.formatting.COLUMN_KINDS`, booleans as words),
    ids are replaced by ``names`` (see :func:`names_for`) in cells and in the
    index, headers become words (:func:`humanize`) and a meaningless
    RangeIndex is hidden (``index=True`` keeps a meaningful one, named).

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": ["x"], "has_data": [True], "coverage80": [0.8333]})
    >>> reader_table(f, names={"x": "Students"}).data.values.tolist()
    [['Students', 'yes', '83%']]
    """
    names = names or {}
    shown = format_frame(frame, kinds or {}, default="auto", lang=lang, digits=1)
    shown = shown.map(lambda v: names.get(v, v) if isinstance(v, str) else v)
    shown.columns = [names.get(c, humanize(c, lang)) if isinstance(c, str) else humanize(c, lang)
                     for c in shown.columns]
    if index:
        shown.index = [names.get(i, i) if isinstance(i, str) else humanize(i, lang) for i in shown.index]
        return shown.style
    return shown.reset_index(drop=True).style.hide(axis="index")
