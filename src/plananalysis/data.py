"""Official statistics: read, validate, choose among sources, one series per indicator.

A statistics table (a plan bundle's ``statistics`` file) holds one
row per figure per source, with columns
``indicator,year,value,qualifier,unit,source_title,source_url,quote,note``.
Several rows may describe one indicator-year (reprints, rounding such as 395
vs 395.5, bounds such as ">400"). :func:`load_series` validates every row and
marks exactly one row per indicator-year as ``selected`` by this rule:

Source-selection rule
---------------------
1. **Exact beats bound.** Rows with an empty qualifier (exact figures) beat
   rows with a qualifier (``>``, ``>=``, ``<``, ``<=`` bounds and ``~``
   approximations).
2. **Consistent exact figures.** Two exact figures are consistent when they
   differ by less than one unit in the last decimal place of the coarser one
   (``395`` vs ``395.53``: |diff| < 1; ``160.1`` vs ``160.06``: < 0.1), i.e.
   the coarser could be the finer one rounded *or truncated* (``341`` vs
   ``341.6`` from "3.41 million"). Decimal places are counted as written in
   the file. When all exact figures of an indicator-year are pairwise
   consistent, the **most frequently published** value wins; ties go to the
   **most precise** (most decimals); the first such row in file order is the
   one marked ``selected``.
3. **Bounds must agree.** Every bound row must be consistent with the chosen
   exact value: ``>b``/``>=b`` need value >= b, ``<b``/``<=b`` need value <= b
   (sources write ``>`` for 以上, which includes the number), ``~b`` needs the
   value within 10 % of b. Otherwise the indicator-year is a conflict.
4. **Only bounds.** With no exact figure, a single row is selected; several
   lower bounds select the tightest (highest); several ``~`` rows must agree;
   anything else is a conflict.
5. **Conflicts** are resolved only by ``source_choices.csv``
   (``indicator,year,value,reason``): its value must equal one of the values
   published for that indicator-year, and the (first, exact-preferred) row
   with that value is selected. A conflict without a choice raises
   :class:`~plananalysis.errors.DataError` naming the file, lines and values.
   Choices are consulted only for conflicts; a choice for an indicator-year
   that is not in the data is ignored.

By default the choices file is ``source_choices.csv`` next to the
statistics file when it exists (a plan bundle names its own); no other
file is consulted behind the caller's back.

Nothing is interpolated or smoothed: a year without a row is absent from
:func:`get_series`, and a bound stays a bound (its ``qualifier`` is kept).

Validation (all problems of a file are collected in one pass) raises a
:class:`~plananalysis.errors.DataError` naming file, line (1-based, the header
is line 1), column and value for: a missing, empty or non-UTF-8 file; a
missing or misspelt column (with a suggestion); a non-numeric value or year;
a year outside 1949..2100; an unknown qualifier; a value outside its
series' domain (a negative count, a share above 100; the domain is declared
by the plan bundle, given in the optional ``domain`` column, or inferred by
:func:`~plananalysis.domain.infer_domain`, so a ``% yoy`` rate may be
negative); a row without ``source_title``/``source_url``/``quote``;
one indicator with two units; and conflicting duplicates without a choice.
Several problems raise :class:`~plananalysis.errors.DataErrors`.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import math
from collections import Counter
from pathlib import Path

import pandas as pd

from .domain import as_domain, infer_domain
from .errors import DataError, DataErrors, ParameterError

__all__ = ["STAT_COLUMNS", "MAP_COLUMNS", "CHOICE_COLUMNS", "QUALIFIERS", "RELATIONS",
           "APPROX_TOLERANCE", "load_series", "get_series", "load_target_series_map", "validate_files"]

#: Columns of the statistics table; ``note`` (and ``domain``) may be omitted.
STAT_COLUMNS = ("indicator", "year", "value", "qualifier", "unit",
                "source_title", "source_url", "quote", "note")
_STAT_REQUIRED = STAT_COLUMNS[:-1]
#: Optional columns of the statistics table.
_STAT_OPTIONAL = ("note", "domain")
#: File name of a statistics file's sibling source-choices table.
CHOICES_FILE = "source_choices.csv"
#: Columns of ``target_series_map.csv``.
MAP_COLUMNS = ("indicator", "series", "relation", "note")
#: Columns of ``source_choices.csv``.
CHOICE_COLUMNS = ("indicator", "year", "value", "reason")
#: Allowed qualifiers: exact, bounds, approximate.
QUALIFIERS = ("", ">", ">=", "<", "<=", "~")
#: Allowed values of ``relation`` in the target-series map.
RELATIONS = ("direct", "proxy", "")
#: Plausible years.
YEAR_MIN, YEAR_MAX = 1949, 2100
#: Relative tolerance for ``~`` (approximate) rows.
APPROX_TOLERANCE = 0.10


# ----------------------------------------------------------------------------
# reading CSV files with line numbers
# ----------------------------------------------------------------------------

def _read_csv_rows(path, required, optional=(), what="table", allow_no_rows=False):
    """Read a UTF-8 CSV into (header, rows, errors); rows are (line, dict).

    Header problems (missing/misspelt columns) are returned as errors and
    no rows are read.
    """
    path = Path(path)
    if not path.exists():
        return [], [], [DataError(f"file not found; expected the {what}", path=path)]
    if path.is_dir():
        return [], [], [DataError("expected a CSV file, found a directory", path=path)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [], [DataError(f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8",
                                  path=path, line=line, value=raw[exc.start:exc.start + 4])]
    if not text.strip():
        return [], [], [DataError(f"file is empty; expected a CSV {what} with columns "
                                  + ",".join(required), path=path)]
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    errors = []
    extra = [h for h in header if h not in required and h not in optional]
    for name in required:
        if name not in header:
            close = difflib.get_close_matches(name, extra, n=1, cutoff=0.6)
            hint = f"; found {close[0]!r}, a misspelling?" if close else ""
            errors.append(DataError(f"missing column {name!r} (expected columns "
                                    f"{','.join(required)}){hint}", path=path, line=1, column=name,
                                    value=close[0] if close else None))
    dupes = [h for h, n in Counter(header).items() if n > 1]
    for name in dupes:
        errors.append(DataError("column appears more than once", path=path, line=1, column=name))
    if errors:
        return header, [], errors
    rows = []
    for fields in reader:
        line = reader.line_num
        if not any(f.strip() for f in fields):
            continue  # blank line
        if len(fields) != len(header):
            errors.append(DataError(f"expected {len(header)} fields, found {len(fields)}",
                                    path=path, line=line))
            continue
        rows.append((line, {h: f.strip() for h, f in zip(header, fields)}))
    if not rows and not errors and not allow_no_rows:
        errors.append(DataError(f"file has a header but no data rows; expected a {what}",
                                path=path, line=1))
    return header, rows, errors


def _parse_year(text, path, line, column="year"):
    """Parse a year, or return a DataError."""
    try:
        year = int(text)
    except ValueError:
        return DataError("expected a year (an integer such as 2020)", path=path, line=line,
                         column=column, value=text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        return DataError(f"year out of range (expected {YEAR_MIN}..{YEAR_MAX})", path=path,
                         line=line, column=column, value=text)
    return year


def _parse_number(text, path, line, column="value"):
    """Parse a finite float, or return a DataError."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        return DataError("expected a number (digits with an optional decimal point)", path=path,
                         line=line, column=column, value=text)
    return value


def _decimals(text: str) -> int:
    """Decimal places as written: '395' -> 0, '395.53' -> 2."""
    return len(text.split(".", 1)[1]) if "." in text else 0


# ----------------------------------------------------------------------------
# statistics table
# ----------------------------------------------------------------------------

def _check_stat_rows(path, rows):
    """Validate statistics rows; return (records, errors)."""
    records, errors = [], []
    for line, row in rows:
        problems = []
        for col in ("indicator", "unit", "source_title", "source_url", "quote"):
            if not row[col]:
                why = ("every number must carry its source" if col.startswith("source") or col == "quote"
                       else "expected a non-empty value")
                problems.append(DataError(f"empty {col}; {why}", path=path, line=line, column=col))
        year = _parse_year(row["year"], path, line)
        value = _parse_number(row["value"], path, line)
        qualifier = row["qualifier"]
        if qualifier not in QUALIFIERS:
            problems.append(DataError("unknown qualifier (allowed: empty, '>', '>=', '<', '<=', '~')",
                                      path=path, line=line, column="qualifier", value=qualifier))
        problems += [x for x in (year, value) if isinstance(x, DataError)]
        errors += problems
        if not problems:
            records.append(dict(row, year=year, value=value, raw_value=row["value"],
                                note=row.get("note", ""), domain=row.get("domain", ""), line=line))
    return records, errors


def _check_domains(path, records, declared=None):
    """Every value inside its series' domain (declared, column, or inferred); return errors."""
    declared = declared or {}
    by_indicator = {}
    for rec in records:
        by_indicator.setdefault(rec["indicator"], []).append(rec)
    errors = []
    for name, recs in by_indicator.items():
        domain = declared.get(name)
        column = {r["domain"] for r in recs if r.get("domain")}
        if domain is None and len(column) > 1:
            errors.append(DataError(f"indicator {name!r} has several domains {sorted(column)}; expected one",
                                    path=path, line=recs[0]["line"], column="domain"))
            continue
        try:
            if domain is None and column:
                domain = as_domain(column.pop(), why="domain column")
        except ParameterError as exc:
            errors.append(DataError(str(exc), path=path, line=recs[0]["line"], column="domain"))
            continue
        if domain is None:
            domain = infer_domain(recs[0]["unit"], [r["value"] for r in recs])
        for rec in recs:
            if not domain.contains(rec["value"]):
                kind = {"count": "a count", "share": "a share"}.get(domain.kind, domain.kind)
                errors.append(DataError(
                    f"value outside the domain of {name!r}: {kind}{domain.describe()[len(domain.kind):]}; "
                    "declare another domain in plan.yaml (series.<name>.domain) or the domain column "
                    "if the value is right",
                    path=path, line=rec["line"], column="value", value=rec["raw_value"]))
    return errors


def _check_units(path, records):
    """One unit per indicator; return errors."""
    first = {}
    errors = []
    for rec in records:
        seen = first.setdefault(rec["indicator"], (rec["unit"], rec["line"]))
        if rec["unit"] != seen[0]:
            errors.append(DataError(
                f"indicator {rec['indicator']!r} has two units: {seen[0]!r} (line {seen[1]}) "
                f"and {rec['unit']!r}; expected one unit per indicator",
                path=path, line=rec["line"], column="unit", value=rec["unit"]))
    return errors


def _consistent_exact(a, b) -> bool:
    """Two exact figures agree within the last decimal place of the coarser one."""
    step = 10.0 ** -min(_decimals(a["raw_value"]), _decimals(b["raw_value"]))
    return abs(a["value"] - b["value"]) < step - 1e-9


def _bound_agrees(value, bound) -> bool:
    """Is an exact value consistent with a bound or approximate row?"""
    q, b = bound["qualifier"], bound["value"]
    if q in (">", ">="):
        return value >= b - 1e-9
    if q in ("<", "<="):
        return value <= b + 1e-9
    return abs(value - b) <= APPROX_TOLERANCE * abs(b)


def _pick_exact(exact):
    """Most frequent value, ties to the most precise; first such row."""
    counts = Counter(r["value"] for r in exact)
    return max(exact, key=lambda r: (counts[r["value"]], _decimals(r["raw_value"]),
                                     -r["line"]))


def _pick_bounds(group):
    """Select among bound/approximate rows only, or None for a conflict."""
    if len(group) == 1:
        return group[0]
    kinds = {r["qualifier"] for r in group}
    if kinds <= {">", ">="}:
        return max(group, key=lambda r: (r["value"], -r["line"]))
    if kinds == {"~"} and all(_bound_agrees(a["value"], b) for a in group for b in group):
        return _pick_exact(group)
    return None


def _select_group(group):
    """Apply rules 1-4 to one indicator-year; return the chosen row or None (conflict)."""
    exact = [r for r in group if r["qualifier"] == ""]
    if not exact:
        return _pick_bounds(group)
    if not all(_consistent_exact(a, b) for i, a in enumerate(exact) for b in exact[i + 1:]):
        return None
    chosen = _pick_exact(exact)
    bounds = [r for r in group if r["qualifier"] != ""]
    if not all(_bound_agrees(chosen["value"], b) for b in bounds):
        return None
    return chosen


def _select(path, records, choices, choices_path):
    """Mark the selected row per indicator-year; return errors for unresolved conflicts."""
    groups = {}
    for rec in records:
        groups.setdefault((rec["indicator"], rec["year"]), []).append(rec)
    errors = []
    for (indicator, year), group in groups.items():
        chosen = _select_group(group)
        if chosen is None:
            chosen, err = _apply_choice(path, indicator, year, group, choices, choices_path)
            if err is not None:
                errors.append(err)
                continue
        chosen["selected"] = True
    return errors


def _apply_choice(path, indicator, year, group, choices, choices_path):
    """Resolve a conflict from source_choices; return (row, error)."""
    published = ", ".join(f"{r['qualifier']}{r['raw_value']} (line {r['line']})" for r in group)
    choice = choices.get((indicator, year))
    if choice is None:
        return None, DataError(
            f"conflicting values for {indicator} {year}: {published}; add a row "
            f"'{indicator},{year},<value>,<reason>' to {choices_path.name if choices_path else 'source_choices.csv'}"
            " to choose one", path=path, line=group[0]["line"], column="value")
    value, line = choice
    matches = [r for r in group if abs(r["value"] - value) < 1e-9]
    if not matches:
        return None, DataError(
            f"choice {value:g} for {indicator} {year} is none of the published values ({published})",
            path=choices_path, line=line, column="value", value=value)
    matches.sort(key=lambda r: (r["qualifier"] != "", r["line"]))
    return matches[0], None


def _read_choices(path):
    """Read source_choices.csv into ({(indicator, year): (value, line)}, errors)."""
    if path is None:
        return {}, []
    _, rows, errors = _read_csv_rows(path, CHOICE_COLUMNS, what="source-choices table",
                                     allow_no_rows=True)
    choices = {}
    for line, row in rows:
        year = _parse_year(row["year"], path, line)
        value = _parse_number(row["value"], path, line)
        bad = [x for x in (year, value) if isinstance(x, DataError)]
        if not row["indicator"]:
            bad.append(DataError("empty indicator", path=path, line=line, column="indicator"))
        if not row["reason"]:
            bad.append(DataError("empty reason; every choice must say why", path=path, line=line,
                                 column="reason"))
        if not bad and (row["indicator"], year) in choices:
            bad.append(DataError(f"second choice for {row['indicator']} {year}", path=path,
                                 line=line, column="year", value=row["year"]))
        errors += bad
        if not bad:
            choices[(row["indicator"], year)] = (value, line)
    return choices, errors


def _default_choices(path: Path):
    """source_choices.csv next to the statistics file, or None."""
    sibling = path.parent / CHOICES_FILE
    return sibling if sibling.exists() else None


def _validate_statistics(path, choices=None, domains=None):
    """Validate one statistics file; return (frame or None, errors)."""
    path = Path(path)
    _, rows, errors = _read_csv_rows(path, _STAT_REQUIRED, optional=_STAT_OPTIONAL,
                                     what="statistics table")
    if errors and not rows:
        return None, errors
    records, row_errors = _check_stat_rows(path, rows)
    errors += row_errors
    errors += _check_units(path, records)
    errors += _check_domains(path, records, domains)
    choices_path = _default_choices(path) if choices is None else (Path(choices) if choices else None)
    choice_map, choice_errors = _read_choices(choices_path)
    errors += choice_errors
    errors += _select(path, records, choice_map, choices_path)
    if errors:
        return None, errors
    frame = pd.DataFrame.from_records(records)
    frame["selected"] = frame.get("selected", pd.Series(False, index=frame.index))
    frame["selected"] = frame["selected"].fillna(False).astype(bool)
    frame = frame[list(STAT_COLUMNS) + ["domain", "selected", "line"]]
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    frame["line"] = frame["line"].astype(int)
    return frame, []


def _raise(errors):
    """Raise one DataError or DataErrors for several."""
    if len(errors) == 1:
        raise errors[0]
    raise DataErrors(errors)


def _stamp(path):
    """A cache key for a file: (resolved path, mtime_ns, size) or None if missing."""
    if path is None:
        return None
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=16)
def _load_statistics_cached(stamp, choices_stamp, choices_arg, domains):
    frame, errors = _validate_statistics(stamp[0], choices=choices_arg, domains=dict(domains))
    if errors:
        _raise(errors)
    return frame


def load_series(path=None, indicators=None, choices=None, domains=None) -> pd.DataFrame:
    """Load and validate the statistics table, marking the selected source rows.

    Parameters
    ----------
    path : str or Path, optional
        A statistics CSV (columns ``indicator,year,value,qualifier,unit,
        source_title,source_url,quote[,note][,domain]``). ``None``: the
        default plan bundle's statistics (:func:`plananalysis.bundle.load_plan`).
    indicators : str or list of str, optional
        Keep only these indicators (after validating the whole file).
    choices : str or Path or False, optional
        The source-choices CSV used to resolve conflicts. Default: the
        ``source_choices.csv`` next to ``path`` if present. ``False``: no
        choices.
    domains : dict, optional
        Series -> :class:`~plananalysis.domain.Domain` declared by a plan
        bundle; values are checked against them (others against the
        ``domain`` column or the inferred domain).

    Returns
    -------
    DataFrame
        Every source row, columns ``indicator, year (int), value (float),
        qualifier ('' when exact), unit, source_title, source_url, quote,
        note, domain ('' unless the file has the column), selected (bool),
        line`` (the row's line in the file).
        ``selected`` is True on exactly one row per indicator-year, chosen
        by the rule in the module docstring.

    Raises
    ------
    DataError, DataErrors
        The file is missing, empty, not UTF-8 or fails validation.

    Examples
    --------
    >>> s = load_series()
    >>> s.loc[s.selected & (s.indicator == "enrollment_in_school") & (s.year == 2020), "value"].item()
    395.5
    """
    if path is None:
        from .bundle import load_plan

        frame = load_plan().statistics()
        return frame if indicators is None else _keep(frame, indicators, None)
    path = Path(path)
    if choices is None:
        choices_arg = None
        choices_stamp = _stamp(_default_choices(path))
    elif choices is False:
        choices_arg, choices_stamp = False, None
    else:
        choices_arg, choices_stamp = str(choices), _stamp(choices)
    key = tuple(sorted((domains or {}).items()))
    frame = _load_statistics_cached(_stamp(path), choices_stamp, choices_arg, key).copy()
    frame.attrs["source_path"] = str(path)
    return frame if indicators is None else _keep(frame, indicators, path)


def _keep(frame, indicators, path):
    wanted = [indicators] if isinstance(indicators, str) else list(indicators)
    known = set(frame["indicator"])
    for name in wanted:
        if name not in known:
            raise _unknown_indicator(name, known, path)
    return frame[frame["indicator"].isin(wanted)].reset_index(drop=True)


def _unknown_indicator(name, known, path=None):
    close = difflib.get_close_matches(str(name), sorted(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return DataError(f"unknown indicator {name!r} (known: {', '.join(sorted(known))}){hint}",
                     path=path, column="indicator", value=None)


def get_series(indicator, data=None) -> pd.DataFrame:
    """One indicator as a year-indexed table of the selected figures.

    Parameters
    ----------
    indicator : str
        A statistics indicator, e.g. ``"enrollment_in_school"``.
    data : DataFrame, optional
        A :func:`load_series` frame. ``None``: the default plan bundle's statistics.

    Returns
    -------
    DataFrame
        Indexed by ``year`` (int, sorted, observed years only: a missing
        year is absent, never filled), columns ``value`` (float),
        ``qualifier`` (str, '' for exact), ``unit``, ``source_title``,
        ``source_url``, ``n_sources`` (rows published for that year),
        ``quote``, ``note``. ``.attrs["unit"]`` and ``.attrs["indicator"]``
        are set.

    Raises
    ------
    DataError
        The indicator is unknown.

    Examples
    --------
    >>> s = get_series("training_to_society")
    >>> float(s.loc[2020, "value"]), s.loc[2020, "qualifier"], int(s.loc[2020, "n_sources"])
    (485.8, '', 2)
    """
    data = load_series() if data is None else data
    missing = {"indicator", "year", "value", "qualifier", "unit", "selected"} - set(data.columns)
    if missing:
        raise DataError(f"data lacks columns {sorted(missing)}; pass a load_series() frame",
                        column=sorted(missing)[0])
    rows = data[data["indicator"] == indicator]
    if rows.empty:
        raise _unknown_indicator(indicator, set(data["indicator"]))
    counts = rows.groupby("year").size()
    chosen = rows[rows["selected"].astype(bool)].copy()
    chosen["n_sources"] = chosen["year"].map(counts).astype(int)
    for col in ("source_title", "source_url", "quote", "note"):
        if col not in chosen:
            chosen[col] = ""
    out = chosen.set_index("year").sort_index()[
        ["value", "qualifier", "unit", "source_title", "source_url", "n_sources", "quote", "note"]]
    out.index = out.index.astype(int)
    out["value"] = out["value"].astype(float)
    out.attrs["unit"] = str(out["unit"].iloc[0])
    out.attrs["indicator"] = indicator
    return out


# ----------------------------------------------------------------------------
# target -> series map
# ----------------------------------------------------------------------------

def _validate_map(path, known_series=None):
    """Validate target_series_map.csv; return (frame or None, errors)."""
    path = Path(path)
    _, rows, errors = _read_csv_rows(path, MAP_COLUMNS, what="target-series map")
    seen = {}
    for line, row in rows:
        if not row["indicator"]:
            errors.append(DataError("empty indicator", path=path, line=line, column="indicator"))
        elif row["indicator"] in seen:
            errors.append(DataError(f"indicator already mapped on line {seen[row['indicator']]}",
                                    path=path, line=line, column="indicator", value=row["indicator"]))
        seen.setdefault(row["indicator"], line)
        if row["relation"] not in RELATIONS:
            errors.append(DataError("unknown relation (allowed: direct, proxy, or empty when no "
                                    "series)", path=path, line=line, column="relation",
                                    value=row["relation"]))
        if row["series"] and not row["relation"]:
            errors.append(DataError("a series needs a relation (direct or proxy)", path=path,
                                    line=line, column="relation"))
        if not row["series"] and row["relation"]:
            errors.append(DataError("relation given without a series", path=path, line=line,
                                    column="series"))
        if row["relation"] == "proxy" and not row["note"]:
            errors.append(DataError("a proxy needs a note saying how it differs", path=path,
                                    line=line, column="note"))
        if known_series is not None and row["series"] and row["series"] not in known_series:
            close = difflib.get_close_matches(row["series"], sorted(known_series), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            errors.append(DataError(f"series not in the statistics table{hint}", path=path,
                                    line=line, column="series", value=row["series"]))
    if errors:
        return None, errors
    frame = pd.DataFrame([row for _, row in rows], columns=list(MAP_COLUMNS))
    return frame.astype(str), []


@functools.lru_cache(maxsize=8)
def _load_map_cached(stamp):
    frame, errors = _validate_map(stamp[0])
    if errors:
        _raise(errors)
    return frame


def load_target_series_map(path=None) -> pd.DataFrame:
    """Which statistics series measures each plan target.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with columns ``indicator,series,relation,note``. ``None``:
        the default plan bundle's map.

    Returns
    -------
    DataFrame
        Columns ``indicator`` (target id), ``series`` (statistics indicator,
        '' when none), ``relation`` ('direct', 'proxy' or ''), ``note``.

    Raises
    ------
    DataError, DataErrors
        The file is missing or invalid.

    Examples
    --------
    >>> m = load_target_series_map().set_index("indicator")
    >>> m.loc["skills_training", ["series", "relation"]].tolist()
    ['training_to_society', 'proxy']
    """
    if path is None:
        from .bundle import load_plan

        frame = load_plan().target_series_map()
        if frame is None:
            raise DataError("the default plan bundle has no target-series map", column="target_series")
        return frame
    path = Path(path)
    return _load_map_cached(_stamp(path)).copy()


# ----------------------------------------------------------------------------
# validate files (CLI: plananalysis validate)
# ----------------------------------------------------------------------------

def _kind(path):
    """Guess a file's kind from its header: 'statistics', 'map' or 'choices'."""
    try:
        first = Path(path).read_bytes().split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    except OSError:
        return "statistics"
    header = {h.strip() for h in first.split(",")}
    if "relation" in header or "series" in header:
        return "map"
    if "reason" in header:
        return "choices"
    return "statistics"


def validate_files(paths=None, plan=None) -> list:
    """Validate data files and return every problem found.

    Parameters
    ----------
    paths : list of str or Path, optional
        Files to check. Statistics tables, target-series maps and
        source-choices tables are told apart by their header. Default: the
        plan bundle's statistics (with its declared domains and choices),
        target-series map and targets, including the check that each mapped
        series exists in the statistics.
    plan : str or Path or PlanBundle, optional
        The bundle to check when ``paths`` is None (default: the default
        bundle); with ``paths``, statistics files are checked against the
        domains this plan declares (without it, domains are inferred).

    Returns
    -------
    list of DataError
        Empty when every file is valid.

    Examples
    --------
    >>> validate_files()
    []
    """
    errors = []
    if paths is None:
        from .bundle import load_plan

        bundle = load_plan(plan)
        frame, errs = _validate_statistics(bundle.path("statistics"),
                                           choices=bundle.path("source_choices") or False,
                                           domains=bundle.declared_domains())
        errors += errs
        known = set(frame["indicator"]) if frame is not None else None
        if bundle.path("target_series") is not None:
            errors += _validate_map(bundle.path("target_series"), known_series=known)[1]
        if not errors:
            try:
                bundle.targets()
            except DataError as exc:
                errors += list(getattr(exc, "errors", [exc]))
        return errors
    declared = {}
    if plan is not None:
        from .bundle import load_plan

        declared = load_plan(plan).declared_domains()
    for path in paths:
        kind = _kind(path)
        if kind == "map":
            errors += _validate_map(path)[1]
        elif kind == "choices":
            errors += _read_choices(Path(path))[1]
        else:
            errors += _validate_statistics(path, domains=declared)[1]
    return errors
