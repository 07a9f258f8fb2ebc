"""The core values: one meaning per comparator, frozen targets and results, the executor seam."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from plananalysis.calibration import case_features
from plananalysis.comparator import COMPARATORS, Comparator, bound_outcome, satisfies
from plananalysis.engine import assess_target
from plananalysis.errors import ParameterError
from plananalysis.executors import map_in_order, open_executor
from plananalysis.models import forecast
from plananalysis.results import Status
from plananalysis.settings import Settings
from plananalysis.target import Target, targets_from_frame

TARGET = 97.0
TOL = 0.5
OFFSETS = {"at": 0.0, "just below": -1e-6, "just above": +1e-6, "below by more than tol": -0.6,
           "above by more than tol": +0.6}


def _series(value, year=2025):
    """An observed series whose target year holds ``value`` exactly."""
    years = list(range(2018, year + 1))
    vals = [95.0, 95.5, 96.0, 96.2, 96.5, 96.8, 97.1][: len(years) - 1] + [value]
    frame = pd.DataFrame({"value": vals, "qualifier": [""] * len(years)}, index=pd.Index(years, name="year"))
    frame.attrs["unit"] = "%"
    return frame


def _cases():
    for symbol in COMPARATORS:
        for strict in (False, True):
            for where, d in OFFSETS.items():
                yield symbol, strict, where, TARGET + d


@pytest.mark.parametrize("symbol,strict,where,value", list(_cases()))
def test_every_comparator_has_one_answer_everywhere(symbol, strict, where, value):
    tol = TOL if symbol == "~" else None
    rule = Comparator(symbol, strict, tol)
    expected = rule.met(value, TARGET)
    # the plain function, the forecast probability of an observed and of a simulated value, the engine
    assert satisfies(value, symbol, TARGET, strict, tol) == expected
    fc = forecast(_series(value).loc[:2024, "value"], "naive", horizon=1, n_paths=10, seed=0, domain="real")
    assert fc.prob(symbol, TARGET, 2024, strict=strict, tolerance=tol) == float(rule.met(fc.history[2024], TARGET))
    assert rule.prob(np.full(7, value), TARGET) == float(expected)
    target = Target("x", symbol, TARGET, 2025, unit="%", tolerance=tol, series="x")
    a = assess_target(target, _series(value), None, Settings(strict=strict), viewpoint=2025)
    assert a.status == (Status.MET if expected else Status.NOT_MET), (symbol, strict, where)
    # the calibration reads the same direction: a cap is a cap, and a projection that falls short is ambitious
    f = case_features(pd.DataFrame([{"p_trend": 0.5, "projected_median": value, "projected_lo80": value - 1,
                                     "projected_hi80": value + 1, "target": TARGET, "comparator": symbol,
                                     "target_year": 2025, "latest_year": 2024, "cumulative": False,
                                     "domain": "share"}])).iloc[0]
    assert f["is_cap"] == float(rule.higher_is_better is False)
    if symbol != "~" and value != TARGET:
        assert (f["ambition"] > 0) == (not expected)


@pytest.mark.parametrize("symbol,strict", [(s, st) for s in COMPARATORS for st in (False, True)])
def test_the_reading_matches_the_rule(symbol, strict):
    rule = Comparator(symbol, strict, TOL if symbol == "~" else None)
    reading = rule.reading()
    assert reading in ("≥", ">", "≤", "<", "≈")
    assert (reading in ("≥", "≤", "≈")) == bool(rule.met(TARGET, TARGET))
    if rule.higher_is_better is not None:
        assert rule.met(TARGET + 1, TARGET) == rule.higher_is_better


def test_a_bound_that_settles_a_target_agrees_with_the_rule():
    # '>97' published (at least 97 unless strict) settles '> 97' either way only where the rule allows it
    assert bound_outcome(">", 97.0, ">", 97.0) is True
    assert Comparator(">").settled_by_bound(">", 97.0, 97.0) is True
    assert Comparator(">").settled_by_bound(">", 96.0, 97.0) is None
    assert Comparator("<").settled_by_bound(">", 98.0, 97.0) is False


def test_bad_comparators_are_refused_with_the_reason():
    with pytest.raises(ParameterError, match="comparator must be one of"):
        Comparator("=>")
    with pytest.raises(ParameterError, match="needs a tolerance"):
        Comparator("~")
    with pytest.raises(ParameterError, match="target 'x': comparator"):
        Target("x", "=", 1.0, 2025)
    with pytest.raises(ParameterError, match="cumulative target needs period_start"):
        Target("x", ">", 1.0, 2025, cumulative=True)


def test_targets_are_typed_frozen_and_round_trip_to_a_row():
    row = {"indicator": "t", "unit": "万人", "comparator": ">", "target": "200", "target_year": 2025.0,
           "cumulative": True, "period_start": 2021, "period_end": pd.NA, "tolerance": np.nan,
           "family": "jobs"}
    with pytest.raises(ParameterError, match="period_start and period_end"):
        Target.from_row(row)
    t = Target.from_row({**row, "period_end": 2025})
    assert (t.value, t.target_year, t.period, t.tolerance, t.extra) == (200.0, 2025, list(range(2021, 2026)),
                                                                         None, {"family": "jobs"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.value = 1.0
    back = t.to_dict()
    assert back["target"] == 200.0 and back["family"] == "jobs" and np.isnan(back["tolerance"])
    assert targets_from_frame(pd.DataFrame([back]))[0] == t
    with pytest.raises(ParameterError, match="target 't': target_year must be a year"):
        Target.from_row({**row, "period_end": 2025, "target_year": "soon"})


def test_assessments_are_frozen():
    a = assess_target(Target("x", ">", 97.0, 2025, series="x"), _series(98.0), None, Settings(), 2025)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.status = Status.NOT_MET
    assert a.replace(p_meet=0.5).p_meet == 0.5 and np.isnan(a.p_meet)


def _square_all(chunk):
    return [x * x for x in chunk]


def test_map_in_order_keeps_the_order_on_every_executor():
    items = list(range(7))
    expected = [x * x for x in items]
    assert map_in_order(_square_all, items, list) == expected
    assert map_in_order(_square_all, items, list, n_jobs=2) == expected
    with ThreadPoolExecutor(3) as ex:
        assert map_in_order(_square_all, items, list, executor=ex) == expected
    with open_executor("process:2") as ex:
        assert map_in_order(_square_all, items, list, executor=ex) == expected
    assert map_in_order(_square_all, [], list) == []


def test_unknown_executors_are_refused():
    with pytest.raises(ParameterError, match="executor 'spark' is not known"):
        with open_executor("spark"):
            pass
    with pytest.raises(ParameterError, match="process:N"):
        with open_executor("process:zero"):
            pass
    with pytest.raises(ParameterError, match="concurrent.futures.Executor"):
        map_in_order(_square_all, [1, 2], list, executor=object())


def test_status_codes_are_the_status_enum_everywhere():
    from plananalysis.api import assess
    from plananalysis.labels import LABELS

    codes = {s.value for s in Status}
    card = assess(n_paths=300, as_of=2023).to_frame()
    assert set(card["status"]) <= codes
    assert codes <= set(LABELS["status"])  # every code has its words
