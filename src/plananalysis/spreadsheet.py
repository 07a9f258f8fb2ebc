"""``scorecard.xlsx``: the scorecard, its vintages and the sources, formatted for Excel and WPS.

Three sheets: *scorecard* (one row per target), *vintages* (the scorecard
for each as-of year, when given) and *sources* (every figure with its source
title as a hyperlink and the quoted phrase), named in the report language.

Two header rows
    Row 1 holds the readable headers in the report language (bold, frozen,
    with the auto-filter); row 2, hidden, holds the machine names of the
    columns (the codes of ``scorecard.csv``). A program reads a sheet with
    ``pandas.read_excel(path, sheet_name=0, header=1)`` (the hidden row
    becomes the header, the data start below it) or with
    :func:`read_scorecard_xlsx`. ``scorecard.csv`` stays the machine-readable
    table (codes, full precision); the spreadsheet is for people.
Values in words
    Statuses, bands, relations, domains, models, calibrations and reasons are
    written as words in the report language, booleans as yes/no (是/否), the
    engine's messages in the report language
    (:func:`~plananalysis.messages.reason_text`, when the assessments are
    given). Numbers keep full precision; only the cell format rounds, and
    probabilities use :data:`PROBABILITY_FORMAT`, which shows what
    :func:`~plananalysis.formatting.fmt_probability` shows (``> 99.9%`` for
    0.9997, never ``100.0%``).
Links
    On the scorecard sheet each target's name links to its page
    (:data:`PAGE_PATTERN`, relative to the report folder) and the *sources*
    cell to its first figure on the sources sheet; on the sources sheet each
    source title links to its URL. Text from data files is written as text
    (a cell starting with ``=`` is never a formula).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from .formatting import is_missing
from .labels import label, status_label
from .labels import text as words
from .messages import column_label, reason_text
from .sources import split_urls

__all__ = ["write_scorecard_xlsx", "read_scorecard_xlsx", "COLUMN_FORMATS", "PROBABILITY_FORMAT", "PAGE_PATTERN"]

#: Excel number format of a probability: what ``fmt_probability`` writes (``> 99.9%`` from 99.95%, ``< 0.1%`` below 0.05%).
PROBABILITY_FORMAT = '[>=0.9995]"> 99.9%";[<0.0005]"< 0.1%";0.0%'

#: The page of a target in the report folder (the trajectory notebook's page).
PAGE_PATTERN = "02_indicator_trajectory-{indicator}.html"

#: Excel number formats by column name (others: general).
COLUMN_FORMATS = {
    "p_meet": PROBABILITY_FORMAT, "p_trend": PROBABILITY_FORMAT, "p_meet_lo": PROBABILITY_FORMAT,
    "p_meet_hi": PROBABILITY_FORMAT, "trend_share": "0%", "mc_se": "0.000",
    "required_cagr": "0.0%", "actual_cagr": "0.0%", "needed_cagr": "0.0%",
    "target_year": "0", "latest_year": "0", "baseline_year": "0", "year": "0", "as_of": "0", "n_obs": "0",
    "period_start": "0", "period_end": "0",
    "target": "#,##0.0", "latest_value": "#,##0.0", "value": "#,##0.0", "baseline_value": "#,##0.0",
    "projected_median": "#,##0.0", "projected_lo80": "#,##0.0", "projected_hi80": "#,##0.0",
    "projected_lo95": "#,##0.0", "projected_hi95": "#,##0.0", "observed_sum": "#,##0.0",
    "needed_per_year": "#,##0.0", "progress_ratio": "0.00",
}
_MAX_WIDTH = 60
_LINK = "0563C1"
#: Columns written as words (label kind), and columns a reader does not need twice.
_WORDS = {"progress_band": "band", "relation": "relation", "domain": "domain", "calibration": "calibration",
          "aggregation": "aggregation"}
_DROP = ("status_label",)


def _cell_value(value):
    """A value openpyxl can store: missing -> None, numpy scalars -> Python, strings never formulas."""
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    return value


def _width(value) -> int:
    """Display width of a cell (a CJK character counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _in_words(frame: pd.DataFrame, lang: str, notes=None) -> pd.DataFrame:
    """Codes and booleans as words in ``lang``; ``notes`` (indicator -> text) replace the English note."""
    out = frame.drop(columns=[c for c in _DROP if c in frame.columns])
    for col in out.columns:
        kind = _WORDS.get(col)
        if col == "status":
            out[col] = [None if is_missing(v) else status_label(v, lang) for v in out[col]]
        elif kind:
            out[col] = [None if is_missing(v) or v == "" else label(kind, v, lang) for v in out[col]]
        elif col == "model" and lang == "zh":
            out[col] = [None if is_missing(v) or v == "" else label("model", v, lang) for v in out[col]]
        elif col == "reasons":
            out[col] = ["; ".join(dict.fromkeys(label("reason", c, lang) for c in str(v).split(";") if c))
                        if not is_missing(v) else None for v in out[col]]
        elif out[col].dtype == bool or out[col].map(lambda v: isinstance(v, bool)).all() and len(out):
            out[col] = [label("bool", bool(v), lang) for v in out[col]]
    if "note" in out.columns:
        if notes is not None and "indicator" in out.columns:
            out["note"] = [notes.get(i, n) for i, n in zip(out["indicator"], out["note"])]
        elif lang != "en":
            out = out.drop(columns="note")  # the English note only; the reasons column says it in words
    return out


def _sheet(wb, title, frame, lang="en", link_column=None, url_column=None):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title[:31])
    columns = list(frame.columns)
    ws.append([column_label(c, lang) for c in columns])
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="888888")
    ws.row_dimensions[2].hidden = True
    for record in frame.itertuples(index=False):
        ws.append([_cell_value(v) for v in record])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text from a data file, never a formula
    for j, col in enumerate(columns, start=1):
        fmt = COLUMN_FORMATS.get(col)
        letter = get_column_letter(j)
        width = max([min(_width(ws.cell(1, j).value), 24)]
                    + [_width(c.value) for c in ws[letter][2:200] if c.value is not None])
        ws.column_dimensions[letter].width = min(_MAX_WIDTH, max(8, width + 2))
        if fmt:
            for c in ws[letter][2:]:
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    c.number_format = fmt
    if link_column in columns and url_column in columns:
        jl, ju = columns.index(link_column) + 1, columns.index(url_column) + 1
        for i in range(3, ws.max_row + 1):
            urls = split_urls(ws.cell(i, ju).value)  # a derived figure cites several pages: link the first
            if urls:
                cell = ws.cell(i, jl)
                cell.hyperlink = urls[0]
                cell.font = Font(color=_LINK, underline="single")
    ws.freeze_panes = "A3"
    if ws.max_row > 2:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{ws.max_row}"
    return ws


def _link(cell, target, internal=False):
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    if internal:
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target, display=str(cell.value))
    else:
        cell.hyperlink = target
    cell.font = Font(color=_LINK, underline="single")


def _scorecard_frame(scorecard, lang, sources):
    """The scorecard sheet's table: name, page and sources first, then every column in words."""
    notes = None
    if hasattr(scorecard, "to_frame"):
        notes = {a.indicator: "; ".join(dict.fromkeys(reason_text(r, lang) for r in a.reasons)) for a in scorecard}
        scorecard = scorecard.to_frame()
    frame = _in_words(scorecard, lang, notes)
    if "indicator" in frame.columns:
        names = scorecard.get("name_zh" if lang == "zh" else "name_en")
        names = [n if isinstance(n, str) and n else i
                 for i, n in zip(scorecard["indicator"], names if names is not None else scorecard["indicator"])]
        series = scorecard["series"] if "series" in scorecard else pd.Series([""] * len(scorecard))
        counts = sources["indicator"].value_counts() if sources is not None and "indicator" in sources else {}
        frame.insert(0, "sources", [words("xl.figure" if counts.get(s, 0) == 1 else "xl.figures", lang,
                                          n=int(counts.get(s, 0))) if counts.get(s, 0) else None
                                    for s in series])
        frame.insert(0, "name", names)
    return frame


def write_scorecard_xlsx(path, scorecard, vintages=None, sources=None, lang: str = "en") -> Path:
    """Write the report's spreadsheet (see the module's text for the two header rows and the links).

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` to write.
    scorecard : Scorecard or pandas.DataFrame
        One row per target (as in ``scorecard.csv``); a
        :class:`~plananalysis.results.Scorecard` also gives the engine's
        messages in ``lang``.
    vintages : pandas.DataFrame, optional
        The scorecard by as-of year.
    sources : pandas.DataFrame, optional
        Statistics rows with ``indicator`` (the series), ``source_title``,
        ``source_url`` and ``quote``.
    lang : {"en", "zh"}
        Language of the sheet names, the headers and the words.

    Returns
    -------
    Path

    Examples
    --------
    >>> import pandas as pd, tempfile, openpyxl
    >>> p = Path(tempfile.mkdtemp()) / "s.xlsx"
    >>> card = pd.DataFrame({"indicator": ["a"], "series": ["s"], "p_meet": [0.9997], "cumulative": [True]})
    >>> _ = write_scorecard_xlsx(p, card, lang="zh")
    >>> ws = openpyxl.load_workbook(p)["目标达成情况"]
    >>> [c.value for c in ws[1]], ws.row_dimensions[2].hidden
    (['目标', '数据来源', '目标代码', '统计序列', '达成概率', '规划期累计'], True)
    >>> ws["E3"].value, ws["E3"].number_format == PROBABILITY_FORMAT, ws["F3"].value, ws["A3"].hyperlink.target
    (0.9997, True, '是', '02_indicator_trajectory-a.html')
    >>> read_scorecard_xlsx(p).columns.tolist()
    ['name', 'sources', 'indicator', 'series', 'p_meet', 'cumulative']
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    src_title = words("sheet.sources", lang)
    frame = _scorecard_frame(scorecard, lang, sources)
    ws = _sheet(wb, words("sheet.scorecard", lang), frame, lang)
    if vintages is not None and len(vintages):
        _sheet(wb, words("sheet.vintages", lang), _in_words(vintages, lang), lang)
    first = {}
    if sources is not None and len(sources):
        raw = scorecard.to_frame() if hasattr(scorecard, "to_frame") else scorecard
        if {"series", "indicator"} <= set(raw.columns) and "indicator" in sources:
            key = "name_zh" if lang == "zh" else "name_en"
            names = {s: (n if isinstance(n, str) and n else i)
                     for s, n, i in zip(raw["series"], raw.get(key, raw["indicator"]), raw["indicator"])}
            sources = sources.copy()
            sources.insert(0, "name", [names.get(s, s) for s in sources["indicator"]])
            sources = sources.rename(columns={"indicator": "series"})
        _sheet(wb, src_title, sources, lang, link_column="source_title", url_column="source_url")
        for i, s in enumerate(sources["series" if "series" in sources else "indicator"], start=3):
            first.setdefault(s, i)
    if "name" in frame.columns:
        raw = scorecard.to_frame() if hasattr(scorecard, "to_frame") else scorecard
        series = raw["series"] if "series" in raw else pd.Series([""] * len(raw))
        for i, (ind, s) in enumerate(zip(raw["indicator"], series), start=3):
            if isinstance(s, str) and s:
                _link(ws.cell(i, 1), PAGE_PATTERN.format(indicator=ind))
            if s in first:
                _link(ws.cell(i, 2), f"'{src_title[:31]}'!A{first[s]}", internal=True)
    path = Path(path)
    wb.save(path)
    return path


def read_scorecard_xlsx(path, sheet=0) -> pd.DataFrame:
    """A sheet of ``scorecard.xlsx`` with the machine names as columns (the hidden second header row).

    The same as ``pandas.read_excel(path, sheet_name=sheet, header=1)``; values are the words the
    sheet shows (``scorecard.csv`` has the codes).
    """
    return pd.read_excel(path, sheet_name=sheet, header=1)
