"""Plan targets: parsed from the plan text (专栏1, 专栏2-5) or read from a targets table.

:func:`load_targets` parses the indicator table 专栏1 out of the normalised plan
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

A targets table (``.csv``, ``.yaml``/``.yml``) with the same columns can
stand in for a plan text, so other plans can be analysed without code
changes; see ``data/raw/README.md`` and :func:`write_targets`. Which file
to read, with which ids and repairs, is the plan bundle's business
(:mod:`plananalysis.bundle`); this module knows no plan.

:func:`load_programme_targets` lists the numeric commitments of 专栏2-5 (and
the one in the body text, 30 思想政治理论课师资研修基地, with column ``正文``).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from pathlib import Path

import pandas as pd

from .errors import DataError, DataErrors, PlanParseError
from .text import load_plan_text, parse_yaml, read_text_file

__all__ = ["TARGET_COLUMNS", "TABLE_REQUIRED", "COMPARATORS", "plan_period", "parse_targets",
           "load_targets", "load_targets_table", "write_targets", "parse_programme_targets",
           "load_programme_targets", "PROGRAMME_COLUMNS"]

#: Column order of :func:`load_targets`.
TARGET_COLUMNS = (
    "indicator", "name_zh", "name_en", "unit", "comparator", "target", "target_year",
    "cumulative", "period_start", "period_end", "baseline_year", "baseline_value",
    "baseline_qualifier", "series", "series_relation", "series_note", "source_section",
    "baseline_note", "aggregation", "tolerance",
)
#: Columns a targets table must have; the rest have defaults.
TABLE_REQUIRED = ("indicator", "unit", "comparator", "target", "target_year")
COMPARATORS = (">", ">=", "<", "<=", "~")
"""``~`` is a two-sided target: within ``tolerance`` of the number."""

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT_RE = re.compile(r"^(?:\d+[.、]\s*)?(?P<name>.+?)\s*\((?P<unit>[^()]+)\)\s*$")
_CELL_RE = re.compile(
    r"^(?P<cmp>>=|<=|≥|≤|>|<)?\s*(?P<open>\[)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<close>\])?\s*$")
_QUALIFIER_WORDS = {"超过": ">", "以上": ">=", "不少于": ">=", "不低于": ">=", "达到": "", "达": "",
                    "约": "~", "左右": "~"}


# ----------------------------------------------------------------------------
# parsing helpers
# ----------------------------------------------------------------------------

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


def _block(text: str, number: int, path):
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
    block = _block(text, int(number.group(1)), where)
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
    return _attach_series(pd.DataFrame.from_records(records), series_map)


def _attach_series(frame: pd.DataFrame, series_map=None, keep_existing=False) -> pd.DataFrame:
    """Fill series/series_relation/series_note from a target-series map (empty without one)."""
    if series_map is None:
        series_map = pd.DataFrame(columns=["indicator", "series", "relation", "note"])
    mapping = series_map.set_index("indicator")
    for col, src in (("series", "series"), ("series_relation", "relation"), ("series_note", "note")):
        mapped = frame["indicator"].map(mapping[src]).astype(object).fillna("").astype(str)
        if keep_existing and col in frame:
            frame[col] = frame[col].where(frame[col].astype(str) != "", mapped)
        else:
            frame[col] = mapped
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Column order and dtypes of a targets frame."""
    frame = frame.copy()
    for col in TARGET_COLUMNS:
        if col not in frame:
            frame[col] = ""
    frame["target"] = frame["target"].astype(float)
    frame["baseline_value"] = pd.to_numeric(frame["baseline_value"], errors="coerce").astype(float)
    for col in ("target_year",):
        frame[col] = frame[col].astype(int)
    for col in ("period_start", "period_end", "baseline_year"):
        frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    frame["cumulative"] = frame["cumulative"].astype(bool)
    frame["tolerance"] = pd.to_numeric(frame["tolerance"], errors="coerce").astype(float)
    frame["aggregation"] = frame["aggregation"].fillna("").astype(str).replace("", "sum")
    for col in ("indicator", "name_zh", "name_en", "unit", "comparator", "baseline_qualifier",
                "series", "series_relation", "series_note", "source_section", "baseline_note"):
        frame[col] = frame[col].fillna("").astype(str)
    extra = [c for c in frame.columns if c not in TARGET_COLUMNS]
    return frame[list(TARGET_COLUMNS) + extra].reset_index(drop=True)


# ----------------------------------------------------------------------------
# targets tables (.csv / .yaml)
# ----------------------------------------------------------------------------

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


def _read_table(path: Path):
    """Read a targets table into (header, [(line or None, entry or None, row dict)])."""
    text = read_text_file(path)
    if not text.strip():
        raise DataError("file is empty; expected a targets table with columns "
                        + ",".join(TABLE_REQUIRED), path=path)
    if path.suffix.lower() in (".yaml", ".yml"):
        data = parse_yaml(text, path)
        if isinstance(data, dict):
            data = data.get("targets")
        if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
            raise DataError("expected a list of targets (mappings), or a mapping with key "
                            "'targets' holding that list", path=path)
        header = sorted({k for item in data for k in item})
        rows = [(None, idx, {k: ("" if v is None else v) for k, v in item.items()})
                for idx, item in enumerate(data, start=1)]
        return header, rows
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    rows = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise DataError(f"expected {len(header)} fields as in the header, found {len(fields)} "
                            "(a stray comma or an unquoted value containing one?)",
                            path=path, line=reader.line_num)
        rows.append((reader.line_num, None, dict(zip(header, (f.strip() for f in fields)))))
    return header, rows


def _cell_error(path, line, entry, column, message, value=None):
    if line is None and entry is not None:
        message = f"target #{entry}: {message}"
    return DataError(message, path=path, line=line, column=column, value=value)


def _parse_table_row(path, line, entry, row, errors):
    """Validate and convert one targets-table row; append problems to errors."""
    def err(column, message, value=None):
        errors.append(_cell_error(path, line, entry, column, message, value))

    out = {k: row.get(k, "") for k in row}
    out["indicator"] = str(row.get("indicator", "")).strip()
    if not out["indicator"]:
        err("indicator", "empty indicator id")
    comparator = str(row.get("comparator", "")).strip()
    comparator = {"≥": ">=", "≤": "<="}.get(comparator, comparator)
    if comparator not in COMPARATORS:
        err("comparator", "unknown comparator (expected one of >, >=, <, <=, ~)", comparator)
    out["comparator"] = comparator
    for col, kind in (("target", float), ("target_year", int), ("period_start", int),
                      ("period_end", int), ("baseline_year", int), ("baseline_value", float),
                      ("tolerance", float)):
        raw = row.get(col, "")
        raw_s = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
        if raw_s in ("", "<NA>", "nan", "NaN") and col not in ("target", "target_year"):
            out[col] = pd.NA if kind is int else math.nan
            continue
        try:
            number = float(raw_s)
            if not math.isfinite(number) or (kind is int and number != int(number)):
                raise ValueError
            out[col] = int(number) if kind is int else number
        except ValueError:
            what = "a number" if kind is float else "a year (integer)"
            err(col, f"expected {what}", raw)
            out[col] = pd.NA if kind is int else math.nan
    cum = str(row.get("cumulative", "")).strip().lower()
    if cum not in _TRUE | _FALSE:
        err("cumulative", "expected true or false", row.get("cumulative"))
    out["cumulative"] = cum in _TRUE
    if out["cumulative"] and (pd.isna(out.get("period_start")) or pd.isna(out.get("period_end"))):
        err("period_start", "a cumulative target needs period_start and period_end")
    if not str(row.get("unit", "")).strip():
        err("unit", "empty unit")
    agg = str(row.get("aggregation", "") or "").strip()
    if agg not in ("", "sum", "compound", "compound_decline"):
        err("aggregation", "expected sum, compound or compound_decline (how a cumulative target adds up "
                           "its years)", agg)
    if comparator == "~" and pd.isna(out.get("tolerance")):
        err("tolerance", "a '~' (about) target needs a tolerance: within +/- how much of the number")
    return out


def load_targets_table(path, series_map=None, tolerances=None, select=None) -> pd.DataFrame:
    """Read and validate a targets table (``.csv``, ``.yaml``, ``.yml``).

    Parameters
    ----------
    path : str or Path
        The table: columns :data:`TABLE_REQUIRED`, the other
        :data:`TARGET_COLUMNS` optional, extra columns kept.
    series_map : DataFrame, optional
        Fills ``series*`` when the table has no ``series`` column.
    tolerances : dict, optional
        ``{target id: tolerance}`` for ``~`` targets (a bundle's
        ``targets.tolerance``), applied before validation.
    select : list of str, optional
        Read only these targets (a bundle's ``targets.select``), in this
        order; the other rows are not validated. Unknown ids are errors.

    Returns
    -------
    DataFrame
        As :func:`load_targets`.
    """
    path = Path(path)
    header, rows = _read_table(path)
    errors = []
    extra = [h for h in header if h not in TARGET_COLUMNS]
    for name in TABLE_REQUIRED:
        if name not in header:
            close = difflib.get_close_matches(name, extra, n=1, cutoff=0.6)
            hint = f"; found {close[0]!r}, a misspelling?" if close else ""
            errors.append(DataError(f"missing column {name!r} (required: {','.join(TABLE_REQUIRED)})"
                                    f"{hint}", path=path, line=1 if rows and rows[0][0] else None,
                                    column=name))
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
    if select is not None:
        by_id = {str(r.get("indicator", "")).strip(): (line, entry, r) for line, entry, r in rows}
        missing = [i for i in select if i not in by_id]
        if missing:
            raise DataError(f"selected targets not in the table: {missing}", path=path, column="indicator",
                            value=missing[0])
        rows = [by_id[i] for i in select]
    if not rows:
        raise DataError("no targets in the table", path=path)
    records, seen = [], {}
    for line, entry, row in rows:
        ind = str(row.get("indicator", "")).strip()
        if tolerances and ind in tolerances and str(row.get("tolerance", "") or "").strip() == "":
            row = {**row, "tolerance": tolerances[ind]}
        rec = _parse_table_row(path, line, entry, row, errors)
        if rec["indicator"] in seen:
            errors.append(_cell_error(path, line, entry, "indicator",
                                      f"duplicate indicator (first at {seen[rec['indicator']]})",
                                      rec["indicator"]))
        seen.setdefault(rec["indicator"], line or f"target #{entry}")
        records.append(rec)
    if errors:
        raise errors[0] if len(errors) == 1 else DataErrors(errors)
    frame = pd.DataFrame.from_records(records)
    if "series" not in header:
        return _attach_series(frame, series_map)
    return _typed(frame)


def write_targets(frame: pd.DataFrame, path) -> Path:
    """Write a targets frame as a CSV or YAML targets table.

    Parameters
    ----------
    frame : DataFrame
        A :func:`load_targets` frame (or one with the same columns).
    path : str or Path
        Destination; ``.csv``, ``.yaml`` or ``.yml``.

    Returns
    -------
    Path
        ``path``. Reading it back with :func:`load_targets` gives an equal frame.

    Examples
    --------
    >>> write_targets(load_targets(), "targets.yaml")  # doctest: +SKIP
    """
    path = Path(path)
    frame = _typed(frame)
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        records = []
        for rec in frame.to_dict("records"):
            records.append({k: (None if _isna(v) else v.item() if hasattr(v, "item") else v)
                            for k, v in rec.items()})
        path.write_text(yaml.safe_dump({"targets": records}, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    elif path.suffix.lower() == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8")
    else:
        raise DataError("expected a .csv, .yaml or .yml file name", path=path)
    return path


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def load_targets(path=None, series_map=None) -> pd.DataFrame:
    """The plan's indicator targets, one row per target.

    Parameters
    ----------
    path : str or Path or PlanBundle, optional
        A plan bundle (a folder with ``plan.yaml``, or a loaded bundle), a
        targets table (``.csv``, ``.yaml``, ``.yml``) or a plan text
        (parsed for 专栏1 with generic ids). ``None``: the default plan
        bundle (:func:`plananalysis.bundle.load_plan`).
    series_map : DataFrame, optional
        Target-series map for a table or text without ``series`` columns.

    Returns
    -------
    DataFrame
        Columns, in order: ``indicator`` (the target's id), ``name_zh``, ``name_en``,
        ``unit``, ``comparator``, ``target`` (float), ``target_year`` (int),
        ``cumulative`` (bool), ``period_start``, ``period_end`` (Int64),
        ``baseline_year`` (Int64, <NA> when the plan states none),
        ``baseline_value`` (float, NaN when none), ``baseline_qualifier``,
        ``series``, ``series_relation``, ``series_note`` ('' when no series),
        ``source_section``, ``baseline_note``, ``aggregation`` (``sum`` or
        ``compound``), ``tolerance`` (float, for ``~`` targets).

    Raises
    ------
    PlanParseError
        The plan text has no readable 专栏1 table.
    DataError
        The file is missing or not UTF-8, or a targets table is invalid
        (names file, line/entry and column).

    Examples
    --------
    >>> t = load_targets()
    >>> t[["indicator", "comparator", "target", "cumulative"]].values.tolist()[:2]
    [['enrollment', '>', 360.0, False], ['employment_rate', '>', 97.0, False]]
    """
    from .bundle import PlanBundle, load_plan

    if path is None or isinstance(path, PlanBundle) or Path(path).is_dir() or Path(path).name == "plan.yaml":
        return load_plan(path).targets()
    path = Path(path)
    if path.suffix.lower() in (".csv", ".yaml", ".yml"):
        frame = load_targets_table(path, series_map=series_map)
    else:
        frame = parse_targets(load_plan_text(path), path=path, series_map=series_map)
    frame.attrs["source_path"] = str(path)  # lets later errors name the targets file
    return frame


# ----------------------------------------------------------------------------
# programme targets (专栏2-5 and the body text)
# ----------------------------------------------------------------------------

#: Columns of :func:`load_programme_targets`.
PROGRAMME_COLUMNS = ("column", "column_title", "item", "quantity", "unit", "approximate",
                     "name_zh", "name_en", "quote", "has_data")
#: Measure words that mark a countable commitment.
MEASURE_WORDS = "所个种家项本门"
_QUANTITY = re.compile(rf"(?P<num>\d+(?:\.\d+)?)(?P<unit>[{MEASURE_WORDS}])(?P<about>左右)?")
_CLAUSE_END = ",。;:!?"


def _paren_depth(text: str):
    """Parenthesis depth before each character position."""
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        depth += ch == "("
        depth -= ch == ")" and depth > 0
    return out


def _counted_thing(text: str, start: int) -> str:
    """The noun phrase after a quantity: up to the next 、 or clause end (outside parentheses)."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth == 0 and (ch in _CLAUSE_END or ch in "、 "):
            return text[start:i]
    return text[start:]


def _clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], bounded by , 。 ; : (outside parentheses)."""
    left = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END) + 1
    right = min([i for i in (text.find(ch, end) for ch in _CLAUSE_END) if i >= 0] or [len(text)])
    return re.sub(r"^\d+\.", "", text[left:right].strip())


def _quantities(text: str, approximate_only: bool):
    """Yield (match, name, quote) for the commitments in a passage."""
    depth = _paren_depth(text)
    for match in _QUANTITY.finditer(text):
        if depth[match.start()] > 0:
            continue  # inside an explanatory parenthesis, e.g. (即...+6个地市技工院校)
        if approximate_only and not match.group("about"):
            continue
        name = _counted_thing(text, match.end())
        if not name:
            continue
        yield match, name, _clause(text, match.start(), match.end())


def _programme_record(column, title, item, match, name, quote, names_en):
    return {"column": column, "column_title": title, "item": item,
            "quantity": float(match.group("num")), "unit": match.group("unit"),
            "approximate": bool(match.group("about")), "name_zh": name,
            "name_en": names_en.get(name, ""), "quote": quote, "has_data": False}


def parse_programme_targets(text: str, path=None, names_en=None) -> pd.DataFrame:
    """Parse the numeric commitments of 专栏2 onwards (and 左右 quantities in the body).

    Parameters
    ----------
    text : str
        A normalised plan text.
    path : str or Path, optional
        Used in error messages only.
    names_en : dict, optional
        ``{name_zh: name_en}`` (a bundle's ``targets.programme_names_en``).

    Returns
    -------
    DataFrame
        As :func:`load_programme_targets`.

    Examples
    --------
    >>> from plananalysis.text import normalise_text
    >>> t = normalise_text("专栏2:计划 |\\n1.遴选300所左右优质技工院校、500个左右优质专业。 |")
    >>> parse_programme_targets(t)[["quantity", "unit", "name_zh"]].values.tolist()
    [[300.0, '所', '优质技工院校'], [500.0, '个', '优质专业']]
    """
    names_en = names_en or {}
    if not re.search(r"^专栏\s*([2-9]|\d{2,})", text, flags=re.M):
        raise PlanParseError(f"{path or 'plan text'}: no programme columns found; expected lines starting "
                             "'专栏2', '专栏3', ... holding the programme targets")
    lines = text.split("\n")
    records, in_block, heading = [], set(), ""
    for i, line in enumerate(lines):
        head = re.match(r"^专栏\s*(\d+)\s*[::]?\s*(.*?)\s*\|?\s*$", line)
        if head:
            number = int(head.group(1))
            _, cells = _block(text[text.find(line):], number, path) or ("", [])
            in_block.update(range(i, i + len(cells) + 1))
            if number == 1:
                continue
            joined = " ".join(c for c in cells if c)
            items = re.split(r"(?:^|(?<=\s)|(?<=[。;]))(\d+)\.(?=\D)", joined)
            pairs = [(None, items[0])] + list(zip(items[1::2], items[2::2]))
            for item, body in pairs:
                for match, name, quote in _quantities(body, approximate_only=False):
                    records.append(_programme_record(f"专栏{number}", head.group(2),
                                                     None if item is None else int(item),
                                                     match, name, quote, names_en))
            continue
        if i in in_block:
            continue
        if re.match(r"^\([一二三四五六七八九十]+\)", line):
            heading = line
        for match, name, quote in _quantities(line, approximate_only=True):
            records.append(_programme_record("正文", heading, None, match, name, quote, names_en))
    frame = pd.DataFrame.from_records(records, columns=list(PROGRAMME_COLUMNS))
    frame["item"] = pd.array(frame["item"].tolist(), dtype="Int64")
    frame["quantity"] = frame["quantity"].astype(float)
    frame["approximate"] = frame["approximate"].astype(bool)
    frame["has_data"] = frame["has_data"].astype(bool)
    return frame


def load_programme_targets(path=None) -> pd.DataFrame:
    """The plan's programme targets: quantities committed in 专栏2-5 and the body.

    Every quantity with a measure word (所, 个, 种, ...) in the columns 专栏2
    onwards is listed, except numbers inside an explanatory parenthesis (the
    ``+6个地市技工院校`` of Tibet's "1+6" system describes a structure, not a
    count to reach). In the body text only quantities marked 左右 (about) are
    listed, which picks up 30个左右 思想政治理论课师资研修基地 (column ``正文``)
    and leaves out statements of fact such as ``2423所``.

    Parameters
    ----------
    path : str or Path, optional
        A plan text, or a plan bundle (folder; its text and English
        names). ``None``: the default plan bundle.

    Returns
    -------
    DataFrame
        Columns ``column`` ('专栏2'..'专栏5' or '正文'), ``column_title``
        (the column's title, or the body section heading), ``item``
        (numbered item within the column, Int64; <NA> in the body),
        ``quantity`` (float), ``unit`` (所/个/种), ``approximate`` (bool, 左右),
        ``name_zh`` (the thing counted), ``name_en``, ``quote`` (the clause
        as normalised), ``has_data`` (False: no published series tracks
        these counts).

    Raises
    ------
    PlanParseError
        The text has no programme column (专栏2 or later).

    Examples
    --------
    >>> p = load_programme_targets()
    >>> p.loc[p.name_zh == "优质技工院校", ["quantity", "approximate"]].values.tolist()
    [[300.0, True]]
    """
    from .bundle import PlanBundle, load_plan

    if path is None or isinstance(path, PlanBundle) or Path(path).is_dir() or Path(path).name == "plan.yaml":
        return load_plan(path).programme_targets()
    path = Path(path)
    return parse_programme_targets(load_plan_text(path), path=path)
