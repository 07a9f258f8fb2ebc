"""The statistics table and the target-series map: read and validated, every problem with file, line and column.

Validation (all problems of a file are collected in one pass) reports a
:class:`~plananalysis.errors.DataError` naming file, line (1-based, the header
is line 1), column and value for: a missing, empty or non-UTF-8 file; a
missing or misspelt column (with a suggestion); a non-numeric value or year;
a year outside 1949..2100; an unknown qualifier; a value outside its
series' domain (a negative count, a share above 100; the domain comes from
:func:`~plananalysis.domain.resolve_domain`: declared by the plan bundle,
given in the optional ``domain`` column, or inferred from the unit and
values, so a ``万人`` series is a count and a ``% yoy`` rate may be
negative); a row without ``source_title``/``source_url``/``quote``; one
indicator with two units; and conflicting duplicates without a choice (the
rule is in :mod:`plananalysis.sources`).

The functions here return ``(frame or None, errors)``; the loaders in
:mod:`plananalysis.data` raise them. Nothing here picks a file the caller did
not name, except the ``source_choices.csv`` sibling of a statistics file
(see :func:`validate_statistics`).

Examples
--------
>>> frame, errors = validate_statistics("no-such.csv")
>>> frame is None and str(errors[0])
'no-such.csv: file not found; expected the statistics table'
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from .csvrows import decimals, parse_number, parse_year, read_csv_rows
from .domain import as_domain, resolve_domain
from .errors import DataError, ParameterError
from .sources import CHOICES_FILE, read_choices, select_rows

__all__ = ["STAT_COLUMNS", "MAP_COLUMNS", "QUALIFIERS", "RELATIONS", "validate_statistics",
           "validate_map", "validate_files", "default_choices", "as_domains"]

#: Columns of the statistics table; ``note`` (and ``domain``) may be omitted.
STAT_COLUMNS = ("indicator", "year", "value", "qualifier", "unit",
                "source_title", "source_url", "quote", "note")
_STAT_REQUIRED = STAT_COLUMNS[:-1]
#: Optional columns of the statistics table.
_STAT_OPTIONAL = ("note", "domain")
#: Columns of ``target_series_map.csv``.
MAP_COLUMNS = ("indicator", "series", "relation", "note")
#: Allowed qualifiers: exact, bounds, approximate.
QUALIFIERS = ("", ">", ">=", "<", "<=", "~")
#: Allowed values of ``relation`` in the target-series map.
RELATIONS = ("direct", "proxy", "")


def as_domains(domains) -> dict:
    """``{series: Domain}`` from a mapping of domains, kinds or ``{kind, lower, upper}`` (None: empty).

    Examples
    --------
    >>> as_domains({"ger": {"kind": "share", "upper": 150}})["ger"].upper
    150.0
    """
    return {str(k): as_domain(v, why="declared") for k, v in (domains or {}).items()}


def default_choices(path) -> Path | None:
    """The ``source_choices.csv`` next to a statistics file, or None when there is none."""
    sibling = Path(path).parent / CHOICES_FILE
    return sibling if sibling.exists() else None


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
        year = parse_year(row["year"], path, line)
        value = parse_number(row["value"], path, line)
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
    """Every value inside its series' domain (:func:`~plananalysis.domain.resolve_domain`); return errors."""
    by_indicator = {}
    for rec in records:
        by_indicator.setdefault(rec["indicator"], []).append(rec)
    errors = []
    for name, recs in by_indicator.items():
        rows = pd.DataFrame({"unit": [r["unit"] for r in recs], "value": [r["value"] for r in recs],
                             "domain": [r["domain"] for r in recs], "line": [r["line"] for r in recs]})
        try:
            domain = resolve_domain(name, declared, rows)
        except DataError as exc:
            errors.append(DataError(exc.message, path=path, line=exc.line, column=exc.column, value=exc.value))
            continue
        inside = domain.contains(rows["value"].to_numpy())
        kind = {"count": "a count", "share": "a share"}.get(domain.kind, domain.kind)
        for rec, ok in zip(recs, inside):
            if not ok:
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


def validate_statistics(path, choices=None, domains=None):
    """Validate one statistics table; return ``(frame or None, errors)``.

    Parameters
    ----------
    path : str or Path
        The statistics CSV.
    choices : str or Path or False, optional
        The source-choices table. None: the ``source_choices.csv`` next to
        ``path`` when it exists; False: none.
    domains : dict, optional
        Series -> domain declared by a plan bundle.

    Returns
    -------
    tuple
        ``(frame, [])`` when valid (the frame of
        :func:`plananalysis.data.load_series`), else ``(None, errors)``.
    """
    path = Path(path)
    _, rows, errors = read_csv_rows(path, _STAT_REQUIRED, optional=_STAT_OPTIONAL, what="statistics table")
    if errors and not rows:
        return None, errors
    records, row_errors = _check_stat_rows(path, rows)
    errors += row_errors
    errors += _check_units(path, records)
    try:
        declared = as_domains(domains)
    except ParameterError as exc:
        return None, errors + [DataError(str(exc), path=path, column="domain")]
    errors += _check_domains(path, records, declared)
    choices_path = default_choices(path) if choices is None else (Path(choices) if choices else None)
    choice_map, choice_errors = read_choices(choices_path)
    errors += choice_errors
    errors += select_rows(path, records, choice_map, choices_path)
    if errors:
        return None, errors
    frame = pd.DataFrame.from_records(records)
    frame["selected"] = frame.get("selected", pd.Series(False, index=frame.index))
    frame["selected"] = frame["selected"].fillna(False).astype(bool)
    frame["decimals"] = [decimals(str(v)) for v in frame["raw_value"]]
    frame = frame[list(STAT_COLUMNS) + ["domain", "selected", "line", "decimals"]]
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    frame["line"] = frame["line"].astype(int)
    return frame, []


def validate_map(path, known_series=None):
    """Validate a target-series map; return ``(frame or None, errors)``.

    Parameters
    ----------
    path : str or Path
        A CSV with columns :data:`MAP_COLUMNS`.
    known_series : set of str, optional
        The statistics table's indicators: a mapped series must be one.
    """
    path = Path(path)
    _, rows, errors = read_csv_rows(path, MAP_COLUMNS, what="target-series map")
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


def validate_files(paths, domains=None) -> list:
    """Validate the data files given and return every problem found.

    Parameters
    ----------
    paths : list of str or Path
        Files to check. Statistics tables, target-series maps and
        source-choices tables are told apart by their header. (A whole plan
        bundle, with the check that each mapped series exists, is checked by
        :meth:`plananalysis.bundle.PlanBundle.validate`.)
    domains : dict, optional
        Series -> domain a plan declares
        (:meth:`~plananalysis.bundle.PlanBundle.declared_domains`);
        statistics are checked against them (others against the ``domain``
        column or the inferred domain).

    Returns
    -------
    list of DataError
        Empty when every file is valid.

    Examples
    --------
    >>> [str(e) for e in validate_files(["no-such.csv"])]
    ['no-such.csv: file not found; expected the statistics table']
    """
    if paths is None:
        raise ParameterError("validate_files needs the files to check (a list of paths); a plan bundle "
                             "is checked by plananalysis.load_plan(path).validate()")
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    errors = []
    for path in paths:
        kind = _kind(path)
        if kind == "map":
            errors += validate_map(path)[1]
        elif kind == "choices":
            errors += read_choices(Path(path))[1]
        else:
            errors += validate_statistics(path, domains=domains)[1]
    return errors
