"""scorecard.xlsx: readable headers in the report language over a hidden row of machine names, words
instead of codes and booleans, probabilities shown as the index shows them, links to pages and sources."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from plananalysis import assess
from plananalysis.formatting import fmt_probability
from plananalysis.spreadsheet import PROBABILITY_FORMAT, read_scorecard_xlsx, write_scorecard_xlsx

SOURCES = pd.DataFrame({
    "indicator": ["enrollment_in_school", "enrollment_in_school", "graduate_employment_rate"],
    "year": [2023, 2024, 2024], "value": [420.0, 428.7, 97.0], "source_title": ["A", "B", "C"],
    "source_url": ["https://a.cn", "https://b.cn", "https://c.cn"], "quote": ["q", "q", "q"]})


@pytest.fixture(scope="module")
def card():
    return assess(n_paths=200)


@pytest.fixture(scope="module", params=["en", "zh"])
def book(request, card, tmp_path_factory):
    lang = request.param
    path = tmp_path_factory.mktemp(lang) / "scorecard.xlsx"
    vint = card.to_frame().assign(as_of=2024)
    write_scorecard_xlsx(path, card, vint, SOURCES, lang=lang)
    return lang, path, openpyxl.load_workbook(path)


def _shown(value, fmt):
    """What Excel shows for ``value`` under a format of the form ``[>=a]"x";[<b]"y";0.0%``."""
    m = re.fullmatch(r'\[>=([\d.]+)\]"([^"]+)";\[<([\d.]+)\]"([^"]+)";0\.0%', fmt)
    hi, hi_text, lo, lo_text = float(m[1]), m[2], float(m[3]), m[4]
    return hi_text if value >= hi else lo_text if value < lo else f"{100 * value:.1f}%"


@pytest.mark.parametrize("p", [0.0, 0.0004, 0.0005, 0.25, 0.4999, 0.9994, 0.99949, 0.9995, 0.9997, 1.0])
def test_probability_format_shows_what_the_index_shows(p):
    assert _shown(p, PROBABILITY_FORMAT) == fmt_probability(p)


def test_headers_readable_in_the_report_language_codes_hidden(book, card):
    lang, path, wb = book
    ws = wb.worksheets[0]
    top, codes = [c.value for c in ws[1]], [c.value for c in ws[2]]
    assert ws.row_dimensions[2].hidden and ws.freeze_panes == "A3" and ws.cell(1, 1).font.bold
    assert {"indicator", "p_meet", "status", "note", "name", "sources"} <= set(codes)
    assert not [h for h in top if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h)]  # no snake_case
    if lang == "zh":
        assert wb.sheetnames == ["目标达成情况", "历次评估", "数据来源"]
        assert all(re.search(r"[\u4e00-\u9fff]", h) for h in top), top
    else:
        assert wb.sheetnames == ["scorecard", "vintages", "sources"]
        assert top[codes.index("p_meet")] == "P(meet)"
    frame = read_scorecard_xlsx(path)
    assert frame.columns.tolist() == codes and len(frame) == len(card)
    assert frame["indicator"].tolist() == [a.indicator for a in card]
    for sheet in range(3):
        assert pd.read_excel(path, sheet_name=sheet, header=1).columns.tolist() == \
            [c.value for c in wb.worksheets[sheet][2]]


def test_words_not_codes_or_booleans(book):
    lang, path, wb = book
    frame = read_scorecard_xlsx(path)
    for ws in wb.worksheets:
        assert not [c.coordinate for row in ws.iter_rows(min_row=3) for c in row
                    if isinstance(c.value, bool) or c.value in ("True", "False")]
    assert set(frame["cumulative"]) == ({"是", "否"} if lang == "zh" else {"yes", "no"})
    assert "pending" not in set(frame["status"]) and "on_track" not in set(frame["status"])
    if lang == "zh":
        assert "结果待公布" in set(frame["status"])
        notes = " ".join(frame["note"].dropna())
        assert "拟合区间自 2015 年起" in notes and "fit window" not in notes
        vint = pd.read_excel(path, sheet_name=1, header=1)
        assert "note" not in vint.columns  # the English note is not shown in a Chinese book


def test_probabilities_keep_full_precision_and_the_index_format(book, card):
    _, _, wb = book
    ws = wb.worksheets[0]
    codes = [c.value for c in ws[2]]
    j = codes.index("p_trend") + 1
    first = ws.cell(3, j)
    assert first.number_format == PROBABILITY_FORMAT
    assert first.value == pytest.approx(card[0].p_trend)
    assert _shown(first.value, first.number_format) == fmt_probability(card[0].p_trend)


def test_targets_link_to_their_page_and_sources(book, card):
    lang, _, wb = book
    ws, src = wb.worksheets[0], wb.worksheets[2]
    enrol = ws.cell(3, 1)
    assert enrol.value == (card[0].target.name_zh if lang == "zh" else card[0].target.name_en)
    assert enrol.hyperlink.target == "02_indicator_trajectory-enrollment.html"
    link = ws.cell(3, 2).hyperlink
    sheet, cell = link.location.rsplit("!", 1)
    assert sheet.strip("'") == src.title and src[cell].value == enrol.value  # its first figure
    assert ws.cell(3, 2).value == ("2 个数据" if lang == "zh" else "2 figures")
    head = [c.value for c in src[2]]
    assert src.cell(3, head.index("source_title") + 1).hyperlink.target == "https://a.cn"
