"""What the statistics cover: years per indicator, multi-source years, likely breaks, caveats.

Every function takes a statistics frame (:func:`~plananalysis.data.load_series`,
or a plan's ``statistics()``; required: nothing here loads a plan) and an
optional ``as_of`` (rows after that year are ignored), and returns a table.
Nothing is interpolated: a year without a figure is reported as ``missing``.

Rules
-----
Coverage status
    ``exact`` when the selected figure has no qualifier, ``derived`` when it was
    computed from other published figures (its note begins with "derived", see
    :func:`~plananalysis.data.is_derived`), ``bound <q>`` (e.g.
    ``bound >``) when it is only a bound or approximation, ``missing`` when
    nothing was published for that indicator-year.
Conflict
    An indicator-year whose sources give more than one distinct *exact*
    value and whose spread (highest minus lowest published value) exceeds
    ``tolerance_pct`` (default 0.5) percent of the selected value; smaller
    differences are rounding.
Possible definitional break
    A step between two consecutive *observed* years of one indicator that
    spans at least one missing year, changes the value by more than
    ``min_pct`` (default 10) percent, and is more than ``factor`` (default 3)
    times the indicator's typical step (the median absolute percentage change
    between consecutive observations, bounds included).
Caveat
    A source row whose ``note`` matches :data:`CAVEAT_PATTERN` (case-insensitive).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import is_derived
from .errors import DataError

#: Notes that flag a definitional caveat (regular expression, case-insensitive).
CAVEAT_PATTERN = "exclude|break|definition|derived|per-year level"


def _rows(data, as_of=None):
    """The statistics rows up to ``as_of`` (all rows when None)."""
    if not isinstance(data, pd.DataFrame):
        raise DataError("coverage needs a statistics frame (load_series(path) or a plan's statistics()), "
                        f"got {type(data).__name__}", column="data")
    return data if as_of is None else data[data["year"] <= as_of]


def _selected(data):
    chosen = data[data["selected"].astype(bool)].copy()
    qual = chosen["qualifier"].fillna("")
    derived = is_derived(chosen["note"]).to_numpy() if "note" in chosen else np.zeros(len(chosen), bool)
    chosen["kind"] = np.select([derived, qual.eq("")], ["derived", "exact"], default="bound " + qual)
    return chosen


def _default_order(indicators, targets=None):
    """Indicators measuring a target first (target order), then the rest alphabetically."""
    linked = [] if targets is None else [s for s in dict.fromkeys(targets["series"].astype(str)) if s]
    present = set(indicators)
    first = [s for s in linked if s in present]
    return first + sorted(present - set(first))


def coverage_matrix(data, as_of=None, order=None, targets=None) -> pd.DataFrame:
    """Indicator x year status of the selected figure: ``exact``, ``derived``, ``bound <q>`` or ``missing``.

    Parameters
    ----------
    data : DataFrame
        A :func:`~plananalysis.data.load_series` frame (or a plan's ``statistics()``).
    as_of : int, optional
        Ignore rows after this year.
    order : list of str, optional
        Row order; default: the series of ``targets`` first, then the others
        alphabetically.
    targets : DataFrame, optional
        A :func:`~plananalysis.plan.load_targets` frame, for the default order.

    Returns
    -------
    DataFrame
        Index ``indicator``, one column per year (int) from the first to the
        last observed year, string cells.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> data = datasets.technical_education().statistics()
    >>> m = coverage_matrix(data)
    >>> m.loc["enrollment_in_school", 2020], m.loc["enrollment_in_school", 2023]
    ('exact', 'derived')
    >>> m.loc["enrollment_in_school", 2014], m.loc["graduate_employment_rate", 2016]
    ('missing', 'bound >')
    """
    chosen = _selected(_rows(data, as_of))
    years = list(range(int(chosen["year"].min()), int(chosen["year"].max()) + 1))
    order = _default_order(chosen["indicator"], targets) if order is None else list(order)
    out = (chosen.pivot(index="indicator", columns="year", values="kind")
           .reindex(index=order, columns=years).astype(object).fillna("missing"))
    out.columns = out.columns.astype(int)
    out.columns.name = "year"
    return out


def observation_span(data, as_of=None) -> pd.DataFrame:
    """Per indicator: how many years have a figure, how many exact or bound, first and last year.

    Parameters
    ----------
    data : DataFrame
        A :func:`~plananalysis.data.load_series` frame (or a plan's ``statistics()``).
    as_of : int, optional
        Ignore rows after this year.

    Returns
    -------
    DataFrame
        Index ``indicator``; int columns ``n_years, n_exact, n_bound, first, last``.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> data = datasets.technical_education().statistics()
    >>> int(observation_span(data).loc["graduate_employment_rate", "n_bound"])
    3
    """
    chosen = _selected(_rows(data, as_of))
    g = chosen.groupby("indicator")
    out = pd.DataFrame({
        "n_years": g.size(), "n_exact": g["kind"].apply(lambda k: int((k == "exact").sum())),
        "first": g["year"].min(), "last": g["year"].max(),
    })
    out.insert(2, "n_bound", out["n_years"] - out["n_exact"])
    return out.astype(int)


def source_conflicts(data, as_of=None, tolerance_pct=0.5) -> pd.DataFrame:
    """Indicator-years published by more than one source, with the values and whether they conflict.

    Parameters
    ----------
    data : DataFrame
        A :func:`~plananalysis.data.load_series` frame (or a plan's ``statistics()``).
    as_of : int, optional
        Ignore rows after this year.
    tolerance_pct : float
        Spread (percent of the selected value) above which distinct exact
        values are a conflict rather than rounding.

    Returns
    -------
    DataFrame
        ``indicator, year, n_sources, n_values, lowest, highest, exact_values,
        selected, selected_qualifier, spread_pct, conflict`` (bool), one row
        per indicator-year with ``n_sources > 1``.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> data = datasets.technical_education().statistics()
    >>> t = source_conflicts(data)
    >>> t.loc[(t.indicator == "graduates") & (t.year == 2021), ["n_values", "conflict"]].values.tolist()
    [[2, True]]
    """
    rows = _rows(data, as_of)
    keys = ["indicator", "year"]
    out = rows.groupby(keys).agg(n_sources=("value", "size"), n_values=("value", "nunique"),
                                 lowest=("value", "min"), highest=("value", "max"))
    exact = rows[rows["qualifier"].fillna("").eq("")]
    out["exact_values"] = exact.groupby(keys)["value"].nunique().reindex(out.index).fillna(0).astype(int)
    chosen = rows[rows["selected"].astype(bool)].set_index(keys)
    out["selected"] = chosen["value"]
    out["selected_qualifier"] = chosen["qualifier"]
    out["spread_pct"] = 100 * (out["highest"] - out["lowest"]) / out["selected"]
    out["conflict"] = out["exact_values"].gt(1) & out["spread_pct"].gt(tolerance_pct)
    return out[out["n_sources"] > 1].reset_index()


def possible_breaks(data, as_of=None, factor=3.0, min_pct=10.0) -> pd.DataFrame:
    """Jumps across a gap that are much larger than usual: candidate definitional breaks.

    The rule is in the module docstring: a step across at least one missing
    year, larger than ``min_pct`` percent and than ``factor`` times the
    indicator's median absolute step.

    Parameters
    ----------
    data : DataFrame
        A :func:`~plananalysis.data.load_series` frame (or a plan's ``statistics()``).
    as_of : int, optional
        Ignore rows after this year.
    factor : float
        Multiple of the typical step a jump must exceed.
    min_pct : float
        Minimum absolute change, percent.

    Returns
    -------
    DataFrame
        ``indicator, prev_year, year, prev_value, value, qualifier,
        change_pct, gap_years, typical_pct`` (years as int), one row per
        flagged step.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> data = datasets.technical_education().statistics()
    >>> b = possible_breaks(data)
    >>> ("enrollment_in_school", 2012, 2015) in set(zip(b["indicator"], b["prev_year"], b["year"]))
    True
    """
    chosen = _selected(_rows(data, as_of))
    steps = chosen.sort_values(["indicator", "year"])[["indicator", "year", "value", "qualifier"]]
    g = steps.groupby("indicator")
    steps = steps.assign(prev_year=g["year"].shift(), prev_value=g["value"].shift())
    steps["change_pct"] = 100 * (steps["value"] / steps["prev_value"] - 1)
    steps["gap_years"] = steps["year"] - steps["prev_year"] - 1
    steps["typical_pct"] = steps["change_pct"].abs().groupby(steps["indicator"]).transform("median")
    jump = steps["change_pct"].abs()
    flagged = steps[steps["gap_years"].ge(1) & jump.gt(factor * steps["typical_pct"]) & jump.gt(min_pct)]
    cols = ["indicator", "prev_year", "year", "prev_value", "value", "qualifier", "change_pct",
            "gap_years", "typical_pct"]
    return flagged[cols].astype({"prev_year": int, "gap_years": int}).reset_index(drop=True)


def data_caveats(data, as_of=None, pattern=CAVEAT_PATTERN) -> pd.DataFrame:
    """Source rows whose note carries a definitional caveat (e.g. "excludes Shanghai").

    Parameters
    ----------
    data : DataFrame
        A :func:`~plananalysis.data.load_series` frame (or a plan's ``statistics()``).
    as_of : int, optional
        Ignore rows after this year.
    pattern : str
        Regular expression matched (case-insensitive) against ``note``.

    Returns
    -------
    DataFrame
        ``indicator, year, value, qualifier, note`` of the matching rows.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> data = datasets.technical_education().statistics()
    >>> list(data_caveats(data).columns)
    ['indicator', 'year', 'value', 'qualifier', 'note']
    """
    rows = _rows(data, as_of)
    hit = rows["note"].fillna("").str.contains(pattern, case=False, regex=True)
    return rows.loc[hit, ["indicator", "year", "value", "qualifier", "note"]].reset_index(drop=True)


def sources_table(data, as_of=None) -> pd.DataFrame:
    """Every figure with its source, the selected row of each indicator-year first.

    Parameters
    ----------
    data : DataFrame
        A :func:`~plananalysis.data.load_series` frame (or a plan's ``statistics()``).
    as_of : int, optional
        Ignore rows after this year.

    Returns
    -------
    DataFrame
        ``indicator, year, value, qualifier, unit, selected, source_title,
        source_url, note``, sorted by indicator and year.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> data = datasets.technical_education().statistics()
    >>> len(sources_table(data)) == len(data)
    True
    """
    cols = ["indicator", "year", "value", "qualifier", "unit", "selected", "source_title",
            "source_url", "note"]
    rows = _rows(data, as_of)[cols]
    return rows.sort_values(["indicator", "year", "selected"], ascending=[True, True, False],
                            kind="stable").reset_index(drop=True)


def coverage_summary(data, as_of=None) -> dict:
    """The data overview in numbers (JSON-ready): rows, years, per-indicator counts, conflicts, breaks.

    Parameters
    ----------
    data : DataFrame
        A :func:`~plananalysis.data.load_series` frame (or a plan's ``statistics()``).
    as_of : int, optional
        Ignore rows after this year.

    Returns
    -------
    dict
        ``as_of, n_source_rows, n_indicator_years, years [first, last],
        indicators {name: {n_years, n_exact, n_bound}}, n_multi_source_years,
        n_conflicts, possible_breaks [{indicator, prev_year, year}]``.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> data = datasets.technical_education().statistics()
    >>> coverage_summary(data)["indicators"]["graduate_employment_rate"]["n_bound"]
    3
    """
    rows = _rows(data, as_of)
    span = observation_span(rows)
    multi = source_conflicts(rows)
    breaks = possible_breaks(rows)
    return {
        "as_of": as_of,
        "n_source_rows": int(len(rows)),
        "n_indicator_years": int(span["n_years"].sum()),
        "years": [int(span["first"].min()), int(span["last"].max())],
        "indicators": {ind: {k: int(span.loc[ind, k]) for k in ("n_years", "n_exact", "n_bound")}
                       for ind in coverage_matrix(rows).index},
        "n_multi_source_years": int(len(multi)),
        "n_conflicts": int(multi["conflict"].sum()),
        "possible_breaks": [{"indicator": r.indicator, "prev_year": int(r.prev_year), "year": int(r.year)}
                            for r in breaks.itertuples()],
    }


__all__ = ["coverage_matrix", "observation_span", "source_conflicts", "possible_breaks",
           "data_caveats", "sources_table", "coverage_summary", "CAVEAT_PATTERN"]
