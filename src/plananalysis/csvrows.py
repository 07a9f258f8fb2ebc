"""Reading CSV tables with line numbers: rows, years, numbers and the precision they were written with.

Every reader of a CSV table (statistics, target-series map, source choices)
goes through :func:`read_csv_rows`, so every problem names the file, the
line (1-based; the header is line 1) and the column. Problems are returned,
not raised, so a reader can collect all of a file's problems in one pass and
raise them together with :func:`raise_all`.

Examples
--------
>>> parse_year("2020", "s.csv", 2)
2020
>>> str(parse_number("1e", "s.csv", 3))
"s.csv, line 3, column 'value': expected a number (digits with an optional decimal point) (got '1e')"
>>> decimals("395.53")
2
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections import Counter
from pathlib import Path

from .errors import DataError, DataErrors

__all__ = ["YEAR_MIN", "YEAR_MAX", "read_csv_rows", "parse_year", "parse_number", "decimals",
           "raise_all"]

#: Plausible years.
YEAR_MIN, YEAR_MAX = 1949, 2100


def read_csv_rows(path, required, optional=(), what="table", allow_no_rows=False):
    """Read a UTF-8 CSV into ``(header, rows, errors)``; rows are ``(line, {column: text})``.

    Parameters
    ----------
    path : str or Path
        The file.
    required, optional : tuple of str
        Columns that must be present, and those that may be.
    what : str
        What the file is, for messages ("statistics table").
    allow_no_rows : bool
        A header without data rows is fine (else an error).

    Returns
    -------
    tuple
        ``(header, rows, errors)``. Header problems (missing, misspelt or
        repeated columns) are returned as errors and no rows are read.

    Examples
    --------
    >>> header, rows, errors = read_csv_rows("no-such.csv", ("a",))
    >>> str(errors[0])
    'no-such.csv: file not found; expected the table'
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


def parse_year(text, path, line, column="year"):
    """Parse a year in :data:`YEAR_MIN`..:data:`YEAR_MAX`, or return a DataError."""
    try:
        year = int(text)
    except ValueError:
        return DataError("expected a year (an integer such as 2020)", path=path, line=line,
                         column=column, value=text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        return DataError(f"year out of range (expected {YEAR_MIN}..{YEAR_MAX})", path=path,
                         line=line, column=column, value=text)
    return year


def parse_number(text, path, line, column="value"):
    """Parse a finite float, or return a DataError."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        return DataError("expected a number (digits with an optional decimal point)", path=path,
                         line=line, column=column, value=text)
    return value


def decimals(text: str) -> int:
    """Decimal places as written: ``'395'`` -> 0, ``'395.53'`` -> 2."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def raise_all(errors):
    """Raise one :class:`DataError`, or :class:`DataErrors` for several."""
    if len(errors) == 1:
        raise errors[0]
    raise DataErrors(errors)
