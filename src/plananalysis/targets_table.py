"""Targets tables (``.csv``, ``.yaml``/``.yml``): the schema of a targets frame, read, validated, written.

A targets table with the columns :data:`TARGET_COLUMNS` (only
:data:`TABLE_REQUIRED` are required) stands in for a plan text, so any plan
can be analysed without code changes; see ``data/raw/README.md``. Every
problem names the file, the line (CSV) or entry (YAML) and the column.

This module also owns the targets frame itself (:data:`TARGET_COLUMNS`, its
column order and dtypes), which the plan-text parser
(:mod:`plananalysis.targets_text`) produces too.

Examples
--------
>>> sorted(TABLE_REQUIRED)
['comparator', 'indicator', 'target', 'target_year', 'unit']
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from pathlib import Path

import pandas as pd

from .comparator import COMPARATORS
from .errors import DataError, DataErrors
from .series import LEVERS
from .target import AGGREGATIONS, TARGET_COLUMNS
from .text import parse_yaml, read_text_file

__all__ = ["TARGET_COLUMNS", "TABLE_REQUIRED", "COMPARATORS", "load_targets_table", "write_targets",
           "attach_series", "typed_targets"]

#: Columns a targets table must have; the rest have defaults (column order: :data:`TARGET_COLUMNS`).
TABLE_REQUIRED = ("indicator", "unit", "comparator", "target", "target_year")


def attach_series(frame: pd.DataFrame, series_map=None, keep_existing=False) -> pd.DataFrame:
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
    return typed_targets(frame)


def typed_targets(frame: pd.DataFrame) -> pd.DataFrame:
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
    if agg not in ("", *AGGREGATIONS):
        err("aggregation", "expected sum, compound, compound_decline or mean_growth (how a cumulative target adds up "
                           "its years)", agg)
    lever = str(row.get("lever", "") or "").strip()
    if lever not in ("", *LEVERS):
        err("lever", f"expected one of {', '.join(LEVERS)} (declared: does the issuing body control the "
                     "quantity directly?)", lever)
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
        return attach_series(frame, series_map)
    return typed_targets(frame)


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
    >>> from plananalysis import datasets
    >>> write_targets(datasets.technical_education().targets(), "targets.yaml")  # doctest: +SKIP
    """
    path = Path(path)
    frame = typed_targets(frame)
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
