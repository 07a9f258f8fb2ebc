"""Plan targets: parsed from the plan text (专栏1, 专栏2-5) or read from a targets table.

:func:`load_targets` reads the file it is given: a targets table
(:mod:`plananalysis.targets_table`), or a plan text whose indicator table 专栏1
it parses (:mod:`plananalysis.targets_text`, which documents how each column
is read). Strictness: the plan writes ``>``; what the sign means at the
boundary (以上 = at least) is decided by :class:`plananalysis.comparator.Comparator`,
not here.

A targets table (``.csv``, ``.yaml``/``.yml``) with the same columns can
stand in for a plan text, so other plans can be analysed without code
changes; see ``data/raw/README.md`` and :func:`write_targets`. Which file
to read, with which ids and repairs, is the plan bundle's business
(:mod:`plananalysis.bundle`); this module knows no plan, and a plan
bundle's targets are ``load_plan(path).targets()``.

:func:`load_programme_targets` lists the numeric commitments of 专栏2-5 (and
the one in the body text, 30 思想政治理论课师资研修基地, with column ``正文``;
:mod:`plananalysis.programme`).

The work is split over :mod:`plananalysis.targets_text` (the 专栏1 parser),
:mod:`plananalysis.targets_table` (targets tables and the targets frame) and
:mod:`plananalysis.programme`; their public names stay importable from here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import DataError
from .programme import (MEASURE_WORDS, PROGRAMME_COLUMNS, load_programme_targets,
                        parse_programme_targets)
from .targets_table import (COMPARATORS, TABLE_REQUIRED, TARGET_COLUMNS, load_targets_table,
                            write_targets)
from .targets_text import parse_targets, plan_period
from .text import load_plan_text

__all__ = ["TARGET_COLUMNS", "TABLE_REQUIRED", "COMPARATORS", "plan_period", "parse_targets",
           "load_targets", "load_targets_table", "write_targets", "parse_programme_targets",
           "load_programme_targets", "PROGRAMME_COLUMNS", "MEASURE_WORDS"]


def load_targets(path, series_map=None, repairs=None) -> pd.DataFrame:
    """A plan's indicator targets from a targets table or a plan text, one row per target.

    Parameters
    ----------
    path : str or Path
        A targets table (``.csv``, ``.yaml``, ``.yml``) or a plan text
        (parsed for 专栏1 with generic ids ``indicator_<n>``). A plan
        bundle's targets (with its ids, repairs, aggregation and
        tolerances) are ``load_plan(path).targets()``; the shipped plans are
        in :mod:`plananalysis.datasets`.
    series_map : DataFrame, optional
        Target-series map for a table or text without ``series`` columns.
    repairs : dict, optional
        Scrape repairs of a plan text (:func:`plananalysis.text.normalise_text`).

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
        ``attrs["source_path"]`` names the file.

    Raises
    ------
    PlanParseError
        The plan text has no readable 专栏1 table.
    DataError
        The file is missing or not UTF-8, a targets table is invalid
        (names file, line/entry and column), or ``path`` is a plan bundle.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> plan = datasets.technical_education()
    >>> t = load_targets(plan.targets_path, repairs=plan.targets_config["repairs"])
    >>> t[["indicator", "comparator", "target", "cumulative"]].values.tolist()[:2]
    [['indicator_1', '>', 360.0, False], ['indicator_2', '>', 97.0, False]]
    """
    if path is None:
        raise DataError("load_targets needs the targets table or plan text to read; a plan bundle's "
                        "targets are plananalysis.load_plan(path).targets()")
    if not isinstance(path, (str, Path)):
        raise DataError(f"load_targets reads a file (str or Path), got {type(path).__name__}; a plan "
                        "bundle's targets are plan.targets()")
    path = Path(path)
    if path.is_dir() or path.name == "plan.yaml":
        raise DataError("a plan bundle, not a targets table or plan text; its targets are "
                        "plananalysis.load_plan(path).targets()", path=path)
    if path.suffix.lower() in (".csv", ".yaml", ".yml"):
        frame = load_targets_table(path, series_map=series_map)
    else:
        frame = parse_targets(load_plan_text(path, repairs=repairs), path=path, series_map=series_map)
    frame.attrs["source_path"] = str(path)  # lets later errors name the targets file
    return frame
