"""Known-answer tests for plananalysis.coverage on small hand-built statistics tables."""

from __future__ import annotations

import doctest
import importlib

import pandas as pd
import pytest

from plananalysis.data import load_series
from plananalysis.coverage import (
    coverage_matrix, coverage_summary, data_caveats, observation_span, possible_breaks, source_conflicts,
    sources_table,
)


def _rows(records):
    """A load_series()-shaped frame from (indicator, year, value, qualifier, selected, note) tuples."""
    frame = pd.DataFrame(records, columns=["indicator", "year", "value", "qualifier", "selected", "note"])
    return frame.assign(unit="万人", source_title="t", source_url="u", quote="q")


@pytest.fixture
def tiny():
    # a: exact 2010, bound 2011, nothing in 2012, two sources in 2013 (rounding only)
    # b: two exact sources disagreeing by 20% in 2013 (a conflict), nothing else
    return _rows([
        ("a", 2010, 100.0, "", True, ""),
        ("a", 2011, 105.0, ">", True, "excludes Shanghai"),
        ("a", 2013, 110.0, "", True, ""),
        ("a", 2013, 110.2, "", False, ""),
        ("b", 2013, 50.0, "", True, ""),
        ("b", 2013, 60.0, "", False, ""),
    ])


def test_coverage_matrix_exact_bound_and_gap(tiny):
    m = coverage_matrix(tiny)
    assert list(m.columns) == [2010, 2011, 2012, 2013]
    assert list(m.index) == ["a", "b"]  # neither is mapped to a target: alphabetical
    assert m.loc["a"].tolist() == ["exact", "bound >", "missing", "exact"]
    assert m.loc["b"].tolist() == ["missing", "missing", "missing", "exact"]


def test_coverage_matrix_as_of_and_order(tiny):
    m = coverage_matrix(tiny, as_of=2011, order=["b", "a"])
    assert list(m.columns) == [2010, 2011]
    assert m.loc["b"].tolist() == ["missing", "missing"]  # b has no figure up to 2011: kept, all missing


def test_observation_span_counts(tiny):
    span = observation_span(tiny)
    assert span.loc["a"].to_dict() == {"n_years": 3, "n_exact": 2, "n_bound": 1, "first": 2010, "last": 2013}
    assert span.loc["b", "n_years"] == 1


def test_source_conflicts_flags_disagreement_not_rounding(tiny):
    t = source_conflicts(tiny).set_index("indicator")
    assert len(t) == 2  # only the two multi-source indicator-years
    assert not t.loc["a", "conflict"]  # 110 vs 110.2: 0.18% spread, rounding
    assert t.loc["a", "spread_pct"] == pytest.approx(100 * 0.2 / 110)
    assert t.loc["b", "conflict"]
    assert t.loc["b", "spread_pct"] == pytest.approx(20.0)
    assert (t.loc["b", "lowest"], t.loc["b", "highest"], t.loc["b", "selected"]) == (50.0, 60.0, 50.0)


def test_possible_breaks_flags_a_jump_across_a_gap_only():
    smooth = [(2010, 100.0), (2011, 102.0), (2012, 104.0), (2015, 110.0), (2016, 112.0)]
    jump = [(2010, 100.0), (2011, 102.0), (2012, 104.0), (2015, 70.0), (2016, 71.0)]
    data = _rows([("smooth", y, v, "", True, "") for y, v in smooth]
                 + [("jump", y, v, "", True, "") for y, v in jump])
    breaks = possible_breaks(data)
    assert breaks[["indicator", "prev_year", "year", "gap_years"]].values.tolist() == [["jump", 2012, 2015, 2]]
    assert breaks.loc[0, "change_pct"] == pytest.approx(100 * (70 / 104 - 1))


def test_possible_breaks_needs_a_gap():
    # the same -33% step between consecutive years is not flagged: no missing year in between
    data = _rows([("x", y, v, "", True, "") for y, v in [(2010, 100.0), (2011, 102.0), (2012, 104.0),
                                                         (2013, 70.0), (2014, 71.0)]])
    assert possible_breaks(data).empty


def test_data_caveats_and_sources_table(tiny):
    caveats = data_caveats(tiny)
    assert caveats[["indicator", "year"]].values.tolist() == [["a", 2011]]
    table = sources_table(tiny)
    assert len(table) == len(tiny)
    first_2013 = table[(table["indicator"] == "a") & (table["year"] == 2013)].iloc[0]
    assert first_2013["selected"]  # the selected row comes first within its indicator-year


def test_coverage_summary_numbers(tiny):
    s = coverage_summary(tiny)
    assert s["n_source_rows"] == 6 and s["n_indicator_years"] == 4 and s["years"] == [2010, 2013]
    assert s["indicators"]["a"] == {"n_years": 3, "n_exact": 2, "n_bound": 1}
    assert s["n_multi_source_years"] == 2 and s["n_conflicts"] == 1
    assert s["possible_breaks"] == []


def test_bundled_data_known_answers():
    from plananalysis import datasets

    plan = datasets.technical_education()
    data = plan.statistics()
    m = coverage_matrix(data, targets=plan.targets())
    empty = [y for y in m.columns if y not in set(data["year"])]
    assert all((m[y] == "missing").all() for y in empty)  # a year nothing was published for: a gap stays a gap
    assert m.index[0] == "enrollment_in_school"  # series linked to a target come first, in target order
    assert coverage_matrix(data).index[0] == sorted(m.index)[0]  # without targets: alphabetical
    breaks = possible_breaks(load_series(plan.path("statistics")))
    assert ("enrollment_in_school", 2012, 2015) in set(zip(breaks["indicator"], breaks["prev_year"], breaks["year"]))


def test_coverage_needs_a_frame():
    from plananalysis.errors import DataError

    for fn in (coverage_matrix, observation_span, source_conflicts, possible_breaks, data_caveats, sources_table,
               coverage_summary):
        with pytest.raises(TypeError):
            fn()
        with pytest.raises(DataError, match="statistics frame"):
            fn(None)


def test_docstring_examples():
    result = doctest.testmod(importlib.import_module("plananalysis.coverage"))
    assert result.failed == 0
