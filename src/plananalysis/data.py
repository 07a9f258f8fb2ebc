"""Official statistics: load a statistics table, one series per indicator, the target-series map.

A statistics table (a plan bundle's ``statistics`` file) holds one row per
figure per source, with columns
``indicator,year,value,qualifier,unit,source_title,source_url,quote,note``
(and an optional ``domain``). :func:`load_series` validates every row
(:mod:`plananalysis.statistics`: every problem names file, line and column, and a
value outside its series' domain, such as a negative count, is an error) and
marks exactly one row per indicator-year as ``selected`` by the
source-selection rule of :mod:`plananalysis.sources`. Conflicts are
resolved only by a source-choices table (by default ``source_choices.csv``
next to the statistics file when it exists); no other file is consulted
behind the caller's back.

Every reader here reads the file it is given: none of them knows a default
plan. The shipped plans are in :mod:`plananalysis.datasets`
(``datasets.technical_education().statistics()``).

Nothing is interpolated or smoothed: a year without a row is absent from
:func:`get_series`, and a bound stays a bound (its ``qualifier`` is kept).

The names of the modules this one was split into stay importable from here
(``STAT_COLUMNS``, ``validate_files``, ``APPROX_TOLERANCE``, ...).
"""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

import pandas as pd

from .csvrows import YEAR_MAX, YEAR_MIN, raise_all
from .domain import APPROX_TOLERANCE
from .errors import DataError
from .sources import CHOICE_COLUMNS, CHOICES_FILE
from .statistics import (MAP_COLUMNS, QUALIFIERS, RELATIONS, STAT_COLUMNS, as_domains, default_choices,
                     validate_files, validate_map, validate_statistics)

__all__ = ["STAT_COLUMNS", "MAP_COLUMNS", "CHOICE_COLUMNS", "CHOICES_FILE", "QUALIFIERS", "RELATIONS",
           "APPROX_TOLERANCE", "YEAR_MIN", "YEAR_MAX", "load_series", "get_series", "is_derived",
           "load_target_series_map", "validate_files"]


def _file_key(path):
    """A cache key for a file: ``(resolved path, mtime_ns, size)``; None for no file."""
    if path is None:
        return None
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=16)
def _statistics(key, choices_key, choices, domains):
    """Validated statistics frame, cached on the files' path, mtime and size (a new file: a new entry)."""
    frame, errors = validate_statistics(key[0], choices=choices, domains=dict(domains))
    if errors:
        raise_all(errors)
    return frame


@functools.lru_cache(maxsize=8)
def _series_map(key):
    frame, errors = validate_map(key[0])
    if errors:
        raise_all(errors)
    return frame


def load_series(path, indicators=None, choices=None, domains=None) -> pd.DataFrame:
    """Load and validate a statistics table, marking the selected source rows.

    Parameters
    ----------
    path : str or Path
        A statistics CSV (columns ``indicator,year,value,qualifier,unit,
        source_title,source_url,quote[,note][,domain]``). Required: the
        shipped plans' tables are in :mod:`plananalysis.datasets`.
    indicators : str or list of str, optional
        Keep only these indicators (after validating the whole file).
    choices : str or Path or False, optional
        The source-choices CSV used to resolve conflicts. Default: the
        ``source_choices.csv`` next to ``path`` if present. ``False``: no
        choices.
    domains : dict, optional
        Series -> :class:`~plananalysis.domain.Domain` (or kind) declared by
        a plan bundle; values are checked against them (others against the
        ``domain`` column or the inferred domain, see
        :func:`~plananalysis.domain.resolve_domain`).

    Returns
    -------
    DataFrame
        Every source row, columns ``indicator, year (int), value (float),
        qualifier ('' when exact), unit, source_title, source_url, quote,
        note, domain ('' unless the file has the column), selected (bool),
        line`` (the row's line in the file), ``decimals`` (decimal places of
        the value as written: the precision it was published with).
        ``selected`` is True on exactly one row per indicator-year.

    Raises
    ------
    DataError, DataErrors
        The file is missing, empty, not UTF-8 or fails validation (e.g. a
        negative value of a count series: file, line, column ``value``).

    Examples
    --------
    >>> from plananalysis import datasets
    >>> s = load_series(datasets.technical_education().path("statistics"))
    >>> s.loc[s.selected & (s.indicator == "enrollment_in_school") & (s.year == 2020), "value"].item()
    395.5
    """
    if path is None:
        raise DataError("load_series needs the statistics file to read; a plan's statistics are "
                        "plananalysis.load_plan(path).statistics() (shipped plans: plananalysis.datasets)")
    path = Path(path)
    if choices is None:
        choices_arg, choices_key = None, _file_key(default_choices(path))
    elif choices is False:
        choices_arg, choices_key = False, None
    else:
        choices_arg, choices_key = str(choices), _file_key(choices)
    declared = tuple(sorted(as_domains(domains).items()))
    frame = _statistics(_file_key(path), choices_key, choices_arg, declared).copy()
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


def get_series(indicator, data) -> pd.DataFrame:
    """One indicator as a year-indexed table of the selected figures.

    Parameters
    ----------
    indicator : str
        A statistics indicator, e.g. ``"enrollment_in_school"``.
    data : DataFrame
        A :func:`load_series` frame (or a plan's ``statistics()``).

    Returns
    -------
    DataFrame
        Indexed by ``year`` (int, sorted, observed years only: a missing
        year is absent, never filled), columns ``value`` (float),
        ``qualifier`` (str, '' for exact), ``unit``, ``source_title``,
        ``source_url``, ``n_sources`` (rows published for that year),
        ``quote``, ``note``, ``decimals`` (published precision), ``derived``
        (True where the figure was computed from other published figures
        rather than published: its ``note`` begins with "derived", see
        :func:`is_derived`). ``.attrs["unit"]`` and ``.attrs["indicator"]`` are set.

    Raises
    ------
    DataError
        The indicator is unknown, or ``data`` is not a statistics frame.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> s = get_series("training_to_society", datasets.technical_education().statistics())
    >>> float(s.loc[2020, "value"]), s.loc[2020, "qualifier"], int(s.loc[2020, "n_sources"])
    (485.8, '', 2)
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"get_series needs a statistics frame (load_series(path) or a plan's statistics()), "
                        f"got {type(data).__name__}", column="data")
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
    if "decimals" not in chosen:
        chosen["decimals"] = pd.NA
    out = chosen.set_index("year").sort_index()[
        ["value", "qualifier", "unit", "source_title", "source_url", "n_sources", "quote", "note", "decimals"]]
    out["derived"] = is_derived(out["note"])
    out.index = out.index.astype(int)
    out["value"] = out["value"].astype(float)
    out.attrs["unit"] = str(out["unit"].iloc[0])
    out.attrs["indicator"] = indicator
    return out


def is_derived(notes) -> pd.Series:
    """Mask of derived figures: a ``note`` that begins with "derived" (any case).

    A derived figure was computed from other published figures (a
    subtraction of national totals, last year's figure plus a stated
    increase), not published itself; ``data/raw/README.md`` documents the
    convention, and pages and charts mark such figures.

    Examples
    --------
    >>> is_derived(pd.Series(["derived, not published: 4542 - 2803.63 - 1298.46", "", "DERIVED check"])).tolist()
    [True, False, True]
    """
    notes = pd.Series(notes, dtype=object).fillna("").astype(str)
    return notes.str.strip().str.lower().str.startswith("derived")


def load_target_series_map(path) -> pd.DataFrame:
    """Which statistics series measures each plan target.

    Parameters
    ----------
    path : str or Path
        A CSV with columns ``indicator,series,relation,note`` (a plan's map
        is ``load_plan(path).target_series_map()``).

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
    >>> from plananalysis import datasets
    >>> m = load_target_series_map(datasets.technical_education().path("target_series")).set_index("indicator")
    >>> m.loc["skills_training", ["series", "relation"]].tolist()
    ['training_to_society', 'proxy']
    """
    if path is None:
        raise DataError("load_target_series_map needs the map file to read; a plan's map is "
                        "plananalysis.load_plan(path).target_series_map()")
    return _series_map(_file_key(Path(path))).copy()
