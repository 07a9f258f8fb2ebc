"""Source selection: one figure per indicator-year out of several published ones.

A statistics table may hold several rows for one indicator-year (reprints,
rounding such as 395 vs 395.5, bounds such as ">400"). :func:`select_rows`
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
   value within :data:`~plananalysis.domain.APPROX_TOLERANCE` (10 %) of b.
   Otherwise the indicator-year is a conflict.
4. **Only bounds.** With no exact figure, a single row is selected; several
   lower bounds select the tightest (highest); several ``~`` rows must agree;
   anything else is a conflict.
5. **Conflicts** are resolved only by ``source_choices.csv``
   (``indicator,year,value,reason``, read by :func:`read_choices`): its value
   must equal one of the values published for that indicator-year, and the
   (first, exact-preferred) row with that value is selected. A conflict
   without a choice is a :class:`~plananalysis.errors.DataError` naming the
   file, lines and values. Choices are consulted only for conflicts; a choice
   for an indicator-year that is not in the data is ignored.

Examples
--------
>>> rows = [{"indicator": "x", "year": 2020, "value": 395.0, "raw_value": "395", "qualifier": "", "line": 2},
...         {"indicator": "x", "year": 2020, "value": 395.5, "raw_value": "395.5", "qualifier": "", "line": 3}]
>>> select_rows("s.csv", rows, {}, None), [r.get("selected", False) for r in rows]
([], [False, True])
"""

from __future__ import annotations

from collections import Counter

from .csvrows import decimals, parse_number, parse_year, read_csv_rows
from .domain import APPROX_TOLERANCE
from .errors import DataError

__all__ = ["CHOICE_COLUMNS", "CHOICES_FILE", "select_rows", "read_choices", "split_urls"]

#: Columns of ``source_choices.csv``.
CHOICE_COLUMNS = ("indicator", "year", "value", "reason")
#: File name of a statistics file's sibling source-choices table.
CHOICES_FILE = "source_choices.csv"


def _consistent_exact(a, b) -> bool:
    """Two exact figures agree within the last decimal place of the coarser one."""
    step = 10.0 ** -min(decimals(a["raw_value"]), decimals(b["raw_value"]))
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
    return max(exact, key=lambda r: (counts[r["value"]], decimals(r["raw_value"]), -r["line"]))


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


def select_rows(path, records, choices, choices_path) -> list:
    """Mark the selected row of each indicator-year (``record["selected"] = True``).

    Parameters
    ----------
    path : str or Path
        The statistics file (for messages).
    records : list of dict
        Validated rows: ``indicator, year, value, raw_value, qualifier, line``.
    choices : dict
        ``{(indicator, year): (value, line)}`` from :func:`read_choices`.
    choices_path : Path or None
        The choices file (for messages).

    Returns
    -------
    list of DataError
        One per conflict the choices do not resolve (empty when none).
    """
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
            f"'{indicator},{year},<value>,<reason>' to {choices_path.name if choices_path else CHOICES_FILE}"
            " to choose one", path=path, line=group[0]["line"], column="value")
    value, line = choice
    matches = [r for r in group if abs(r["value"] - value) < 1e-9]
    if not matches:
        return None, DataError(
            f"choice {value:g} for {indicator} {year} is none of the published values ({published})",
            path=choices_path, line=line, column="value", value=value)
    matches.sort(key=lambda r: (r["qualifier"] != "", r["line"]))
    return matches[0], None


def read_choices(path):
    """Read a source-choices table into ``({(indicator, year): (value, line)}, errors)``.

    Parameters
    ----------
    path : str or Path or None
        The table (columns :data:`CHOICE_COLUMNS`); None: no choices.

    Examples
    --------
    >>> read_choices(None)
    ({}, [])
    """
    if path is None:
        return {}, []
    _, rows, errors = read_csv_rows(path, CHOICE_COLUMNS, what="source-choices table", allow_no_rows=True)
    choices = {}
    for line, row in rows:
        year = parse_year(row["year"], path, line)
        value = parse_number(row["value"], path, line)
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


def split_urls(text) -> list[str]:
    """The web addresses of a ``source_url`` cell: one, or several separated by ``;``.

    A derived figure cites every page it was computed from in one cell
    (``"https://a ; https://b"``); anything that is not an ``http(s)`` address
    is dropped.

    Examples
    --------
    >>> split_urls("https://a.cn/x ; http://b.cn/y")
    ['https://a.cn/x', 'http://b.cn/y']
    >>> split_urls(None), split_urls("see the yearbook")
    ([], [])
    """
    if text is None or text != text:  # None or NaN
        return []
    parts = [p.strip() for p in str(text).split(";")]
    return [p for p in parts if p.lower().startswith(("http://", "https://")) and " " not in p]
