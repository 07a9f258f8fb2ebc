"""``scorecard.xlsx``: the scorecard, its vintages and the sources, formatted for Excel and WPS.

Three sheets: *scorecard* (one row per target; probabilities and rates as
percentages, years as integers), *vintages* (the scorecard for each as-of
year, when given) and *sources* (every figure with its source title as a
hyperlink and the quoted phrase). Every sheet has a bold, frozen header row,
an auto-filter and sensible column widths. Values keep full precision; only
the cell format rounds. Text from data files is written as text (a cell
starting with ``=`` is never a formula).
"""

from __future__ import annotations

from pathlib import Path

from .formatting import is_missing
from .labels import text as label

__all__ = ["write_scorecard_xlsx", "COLUMN_FORMATS"]

#: Excel number formats by column name (others: general).
COLUMN_FORMATS = {
    "p_meet": "0.0%", "p_trend": "0.0%", "required_cagr": "0.0%", "actual_cagr": "0.0%", "needed_cagr": "0.0%",
    "target_year": "0", "latest_year": "0", "baseline_year": "0", "year": "0", "as_of": "0", "n_obs": "0",
    "target": "#,##0.0", "latest_value": "#,##0.0", "value": "#,##0.0", "baseline_value": "#,##0.0",
    "projected_median": "#,##0.0", "projected_lo80": "#,##0.0", "projected_hi80": "#,##0.0",
    "projected_lo95": "#,##0.0", "projected_hi95": "#,##0.0", "observed_sum": "#,##0.0",
    "needed_per_year": "#,##0.0", "progress_ratio": "0.00",
}
_MAX_WIDTH = 60


def _cell_value(value):
    """A value openpyxl can store: missing -> None, numpy scalars -> Python, strings never formulas."""
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    return value


def _sheet(wb, title, frame, link_column=None, url_column=None):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=title[:31])
    columns = list(frame.columns)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
        cell.alignment = Alignment(vertical="top")
    for record in frame.itertuples(index=False):
        ws.append([_cell_value(v) for v in record])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text from a data file, never a formula
    for j, col in enumerate(columns, start=1):
        fmt = COLUMN_FORMATS.get(col)
        letter = get_column_letter(j)
        width = max([len(str(col))] + [len(str(c.value)) for c in ws[letter][1:200] if c.value is not None])
        ws.column_dimensions[letter].width = min(_MAX_WIDTH, max(8, width + 2))
        if fmt:
            for c in ws[letter][1:]:
                if isinstance(c.value, (int, float)):
                    c.number_format = fmt
    if link_column in columns and url_column in columns:
        jl, ju = columns.index(link_column) + 1, columns.index(url_column) + 1
        for i in range(2, ws.max_row + 1):
            url = ws.cell(i, ju).value
            if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
                cell = ws.cell(i, jl)
                cell.hyperlink = url
                cell.font = Font(color="0563C1", underline="single")
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    return ws


def write_scorecard_xlsx(path, scorecard, vintages=None, sources=None, lang: str = "en") -> Path:
    """Write the report's spreadsheet.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` to write.
    scorecard : pandas.DataFrame
        One row per target (as in ``scorecard.csv``).
    vintages : pandas.DataFrame, optional
        The scorecard by as-of year.
    sources : pandas.DataFrame, optional
        Statistics rows with ``source_title``, ``source_url`` and ``quote``.
    lang : {"en", "zh"}
        Language of the sheet names.

    Returns
    -------
    Path

    Examples
    --------
    >>> import pandas as pd, tempfile, openpyxl
    >>> p = Path(tempfile.mkdtemp()) / "s.xlsx"
    >>> _ = write_scorecard_xlsx(p, pd.DataFrame({"indicator": ["a"], "p_meet": [0.25]}))
    >>> ws = openpyxl.load_workbook(p)["scorecard"]
    >>> ws["B2"].value, ws["B2"].number_format, ws.freeze_panes
    (0.25, '0.0%', 'A2')
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, label("sheet.scorecard", lang), scorecard)
    if vintages is not None and len(vintages):
        _sheet(wb, label("sheet.vintages", lang), vintages)
    if sources is not None and len(sources):
        _sheet(wb, label("sheet.sources", lang), sources, link_column="source_title", url_column="source_url")
    path = Path(path)
    wb.save(path)
    return path
