"""Number formatting, report words and the docstring examples of the report's modules."""

from __future__ import annotations

import doctest
import importlib
import math

import pandas as pd
import pytest

from plananalysis.formatting import (
    MISSING, fmt_count, fmt_probability, fmt_rate, fmt_value, fmt_year, format_frame,
)

MODULES = ["plananalysis.formatting", "plananalysis.fonts", "plananalysis.spreadsheet", "plananalysis.report",
           "plananalysis.report.runner", "plananalysis.report.html", "plananalysis.report.index",
           "plananalysis.report.publish", "plananalysis.labels"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("p, shown", [
    (1.0, "> 99.9%"), (0.99951, "> 99.9%"), (0.9994, "99.9%"), (0.9953, "99.5%"), (0.5, "50.0%"),
    (0.4999, "50.0%"), (0.0004, "< 0.1%"), (0.0, "< 0.1%"), (None, MISSING), (float("nan"), MISSING),
])
def test_probabilities_never_claim_certainty(p, shown):
    assert fmt_probability(p) == shown


def test_missing_is_one_dash_everywhere():
    for func in (fmt_year, fmt_probability, fmt_rate, fmt_count, fmt_value):
        for missing in (None, float("nan"), pd.NA, ""):
            assert func(missing) == MISSING, (func.__name__, missing)


def test_format_frame_kinds_and_typos():
    frame = pd.DataFrame({"latest_year": [2021.0, math.nan], "p_meet": [0.9953, 1.0],
                          "required_cagr": [-0.018634, 0.02], "schools": [2545.0, 12.0], "name": ["a", None]})
    kinds = {"latest_year": "year", "p_meet": "probability", "required_cagr": "rate", "schools": "count"}
    shown = format_frame(frame, kinds)
    assert shown.to_dict("list") == {"latest_year": ["2021", MISSING], "p_meet": ["99.5%", "> 99.9%"],
                                     "required_cagr": ["-1.9%", "+2.0%"], "schools": ["2,545", "12"],
                                     "name": ["a", MISSING]}
    assert frame["p_meet"].tolist() == [0.9953, 1.0]  # the data are not changed
    with pytest.raises(KeyError, match="no column.*p_meat"):
        format_frame(frame, {"p_meat": "probability"})
    with pytest.raises(ValueError, match="unknown format kind 'percentage'"):
        format_frame(frame, {"p_meet": "percentage"})
