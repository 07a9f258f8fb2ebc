"""The indicator table of a plan text (专栏1), parsed into a targets frame.

:func:`parse_targets` parses the indicator table 专栏1 out of the normalised plan
text (:func:`plananalysis.text.load_plan_text`). Each row of the table gives an
indicator name with its unit in parentheses and a target cell such as ``>360``
or ``>[200]``:

* ``comparator`` is the sign as written (``>``, ``>=``, ``<``, ``<=``; ``≥``/``≤``
  are read as ``>=``/``<=``; a bare number is read as ``>=``);
* ``cumulative`` is True when the number is in ``[ ]`` *and* the table's note
  reads ``[ ]内为五年累计数`` (five-year cumulative); brackets without that
  note raise :class:`~plananalysis.errors.PlanParseError`;
* ``target_year`` comes from the table's year column (``2025年``), else from
  ``到2025年`` in the text; ``period_start``/``period_end`` from the plan's name
  (“十四五” = 2021-2025; the n-th five-year plan, n >= 3, starts in
  1966 + 5 (n - 3));
* ``baseline_*`` from the plan's own text where it states a base-year value
  (``截至2020年底 ... 在校生395.5万人`` -> 2020, 395.5; ``每年面向社会开展职业
  培训超过400万人次`` -> 2020, 400, qualifier ``>``), else empty;
* ``indicator`` is a stable id from keywords in the row name, as the plan
  bundle declares them (``targets.indicators`` in ``plan.yaml``; rows no
  keyword matches get ``indicator_<n>``); ``series``/``series_relation``/
  ``series_note`` come from the bundle's target-series map.

Strictness: the plan writes ``>``; what the sign means at the boundary (以上 =
at least) is decided downstream (assess), not here.

This module knows no plan: which file, ids and repairs to use is the plan
bundle's business (:mod:`plananalysis.bundle`).

Examples
--------
>>> plan_period(14)
(2021, 2025)
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .errors import PlanParseError
from .targets_table import attach_series

__all__ = ["plan_period", "parse_targets", "table_block"]

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT_RE = re.compile(r"^(?:\d+[.、]\s*)?(?P<name>.+?)\s*\((?P<unit>[^()]+)\)\s*$")
_CELL_RE = re.compile(
    r"^(?P<cmp>>=|<=|≥|≤|>|<)?\s*(?P<open>\[)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<close>\])?\s*$")
_QUALIFIER_WORDS = {"超过": ">", "以上": ">=", "不少于": ">=", "不低于": ">=", "达到": "", "达": "",
                    "约": "~", "左右": "~"}



def _cn_number(text: str) -> int:
    """Chinese numeral up to 99: '十四' -> 14, '十' -> 10, '二十一' -> 21."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS[text]


def plan_period(number: int) -> tuple[int, int]:
    """First and last year of China's ``number``-th five-year plan (n >= 3).

    Parameters
    ----------
    number : int
        The plan's ordinal (14 for “十四五”).

    Returns
    -------
    tuple of int
        (first year, last year).

    Examples
    --------
    >>> plan_period(14)
    (2021, 2025)
    """
    if number < 3:
        raise PlanParseError(f"five-year plan number {number} not supported (expected >= 3)")
    start = 1966 + 5 * (number - 3)
    return start, start + 4


def _find_period(text: str, where: str):
    """(start, end) of the plan named in ``where`` (or else the whole text), or None."""
    for chunk in (where, text):
        match = re.search(r"“?十([一二三四五六七八九]?)五”?(?:时期|期间|规划)", chunk) or \
            re.search(r"“十([一二三四五六七八九]?)五”", chunk)
        if match:
            return plan_period(_cn_number("十" + match.group(1)))
    return None


def table_block(text: str, number: int, path):
    """Cells of 专栏<number>: (title, [cell, ...]) or None when absent.

    The table is the run of lines after the heading that end in ``|``; cells
    are separated by ``|`` (one cell per line, as scraped, or several).
    """
    lines = text.split("\n")
    head = re.compile(rf"^专栏\s*{number}\s*[::]?\s*(?P<title>.*?)\s*\|?\s*$")
    for i, line in enumerate(lines):
        match = head.match(line)
        if match:
            cells = []
            for follow in lines[i + 1:]:
                if not follow.rstrip().endswith("|"):
                    break
                cells.extend(cell.strip() for cell in follow.rstrip()[:-1].split("|"))
            return match.group("title"), cells
    return None


def _indicator_spec(name_zh: str, position: int, indicators=()) -> dict:
    for spec in indicators:
        if spec["keyword"] in name_zh:
            return spec
    return {"id": f"indicator_{position}", "keyword": "", "name_en": "", "baseline": None}


def _baseline(text: str, spec: dict, unit: str):
    """(year, value, qualifier) the plan text states for an indicator, or (NA, nan, '')."""
    if not spec.get("baseline"):
        return pd.NA, math.nan, ""
    for sentence in re.split(r"[。\n]", text):
        year = re.search(r"截至(\d{4})年底", sentence)
        if not year:
            continue
        pattern = (rf"{spec['baseline']}(?P<word>超过|不少于|不低于|达到|达|约)?"
                   rf"(?P<num>\d+(?:\.\d+)?)(?:{re.escape(unit)})(?P<after>以上|左右)?")
        match = re.search(pattern, sentence)
        if match:
            qualifier = _QUALIFIER_WORDS.get(match.group("word") or "", "")
            if match.group("after"):
                qualifier = _QUALIFIER_WORDS[match.group("after")]
            return int(year.group(1)), float(match.group("num")), qualifier
    return pd.NA, math.nan, ""


def _parse_row(name_cell: str, value_cell: str, position: int, path):
    """One 专栏1 row -> dict (without year/period/baseline/series)."""
    name = _UNIT_RE.match(name_cell)
    if not name:
        raise PlanParseError(f"{path}: 专栏1 row {position}: expected 'name(unit)', got {name_cell!r}")
    cell = _CELL_RE.match(value_cell.replace(" ", ""))
    if not cell:
        raise PlanParseError(f"{path}: 专栏1 row {position} ({name.group('name')}): expected a target "
                             f"such as '>360' or '>[200]', got {value_cell!r}")
    if bool(cell.group("open")) != bool(cell.group("close")):
        raise PlanParseError(f"{path}: 专栏1 row {position}: unbalanced brackets in {value_cell!r}")
    comparator = {"≥": ">=", "≤": "<=", None: ">="}.get(cell.group("cmp"), cell.group("cmp"))
    return {"name_zh": name.group("name"), "unit": name.group("unit"), "comparator": comparator,
            "target": float(cell.group("num")), "bracketed": bool(cell.group("open"))}


def parse_targets(text: str, path=None, indicators=(), section="专栏1", series_map=None) -> pd.DataFrame:
    """Parse the indicator table (专栏1) from a normalised plan text.

    Parameters
    ----------
    text : str
        Output of :func:`plananalysis.text.load_plan_text` or
        :func:`plananalysis.text.normalise_text`.
    path : str or Path, optional
        Used in error messages only.
    indicators : list of dict, optional
        ``{id, keyword, name_en, baseline}`` per row kind (a plan bundle's
        ``targets.indicators``): the first whose keyword is in the row name
        gives the row its id and English name, and ``baseline`` the phrase
        that introduces the base-year value in the text. Rows without a
        match get ``indicator_<position>`` and no baseline.
    section : str
        The table's heading, ``专栏<n>`` (default ``专栏1``).
    series_map : DataFrame, optional
        A :func:`~plananalysis.data.load_target_series_map` frame for the
        ``series*`` columns (empty when None).

    Returns
    -------
    DataFrame
        As :func:`load_targets`.

    Raises
    ------
    PlanParseError
        No such table, or a row that cannot be read.

    Examples
    --------
    >>> from plananalysis.text import normalise_text
    >>> t = normalise_text("“十四五”规划\\n专栏1:主要指标 |\\n指标 |\\n2025年 |\\n1.在校生规模(万人) |\\n>360 |")
    >>> ids = [{"id": "enrollment", "keyword": "在校生", "name_en": "Students on roll"}]
    >>> parse_targets(t, indicators=ids)[["indicator", "comparator", "target", "target_year"]].values.tolist()
    [['enrollment', '>', 360.0, 2025]]
    >>> parse_targets(t)["indicator"].tolist()
    ['indicator_1']
    """
    where = path or "plan text"
    number = re.fullmatch(r"专栏\s*(\d+)", str(section).strip())
    if not number:
        raise PlanParseError(f"{where}: table_section must look like '专栏1', got {section!r}")
    block = table_block(text, int(number.group(1)), where)
    if block is None:
        raise PlanParseError(f"{where}: no indicator table found; expected a line starting "
                             "'专栏1' followed by table rows ending in '|' (indicator name with "
                             "unit, then a target such as '>360')")
    title, cells = block
    cells = [c for c in cells if c]
    note = next((c for c in cells if c.startswith("注")), "")
    cumulative_note = bool(re.search(r"\[\s*\]\s*内为(?:五年)?累计数", note))
    years = [int(m.group(1)) for c in cells if (m := re.fullmatch(r"(\d{4})年", c))]
    if not years:
        found = re.search(r"到(\d{4})年", text)
        years = [int(found.group(1))] if found else []
    if not years:
        raise PlanParseError(f"{where}: 专栏1: no target year found (expected a column '2025年' "
                             "or '到2025年' in the text)")
    period = _find_period(text, title)
    body = [c for c in cells if c != note and not re.fullmatch(r"\d{4}年|指标|指标名称", c)]
    if len(body) % 2:
        raise PlanParseError(f"{where}: 专栏1: expected pairs of cells 'name(unit) | target |', "
                             f"found an odd number of cells ({len(body)}): {body}")
    rows = [_parse_row(body[i], body[i + 1], i // 2 + 1, where) for i in range(0, len(body), 2)]
    if not rows:
        raise PlanParseError(f"{where}: 专栏1 has no readable rows; expected 'name(unit) |' "
                             "followed by a target such as '>360 |'")
    return _finish_targets(rows, text, years[0], period, cumulative_note, where, indicators, series_map)


def _finish_targets(rows, text, target_year, period, cumulative_note, where, indicators, series_map):
    """Add ids, years, baselines and series to parsed 专栏1 rows."""
    records = []
    for position, row in enumerate(rows, start=1):
        if row["bracketed"] and not cumulative_note:
            raise PlanParseError(f"{where}: 专栏1 row {position} ({row['name_zh']}) is in [ ] but the "
                                 "table has no note '注:[ ]内为五年累计数' saying what [ ] means")
        spec = _indicator_spec(row["name_zh"], position, indicators)
        start, end = period if period else (pd.NA, pd.NA)
        if row["bracketed"] and period is None:
            start, end = target_year - 4, target_year
        b_year, b_value, b_qual = _baseline(text, spec, row["unit"])
        name_en = spec["name_en"]
        if row["bracketed"] and name_en:
            name_en += f" (cumulative {start}-{end})"
        b_note = ""
        if not pd.isna(b_year) and row["bracketed"]:
            b_note = f"annual level stated in the plan text; the target is a {start}-{end} cumulative total"
        records.append({
            "indicator": spec["id"], "name_zh": row["name_zh"], "name_en": name_en,
            "unit": row["unit"], "comparator": row["comparator"], "target": row["target"],
            "target_year": target_year, "cumulative": row["bracketed"],
            "period_start": start, "period_end": end, "baseline_year": b_year,
            "baseline_value": b_value, "baseline_qualifier": b_qual, "source_section": "专栏1",
            "baseline_note": b_note,
        })
    return attach_series(pd.DataFrame.from_records(records), series_map)
