"""Known-answer tests of the assessment engine (rules, progress, engine, study, present).

Behaviour only: analytic answers, hand-built series, leakage and reasons by
code. The bundled plan's numbers are pinned in one place only, the golden
snapshot (tests/test_snapshot.py).
"""

from __future__ import annotations

import datetime
import doctest
import importlib
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plananalysis import Settings, load_plan
from plananalysis.data import load_series
from plananalysis.plan import load_targets
from plananalysis.target import Target
from plananalysis.engine import finalize
from plananalysis.errors import DataError, ParameterError
from plananalysis.models import Forecast
from plananalysis.present import describe, required_path_table, summary_in_words, vintage_table
from plananalysis.progress import growth_band, progress_measures, required_path
from plananalysis.results import ASSESS_COLUMNS, Assessment, ReasonCode as R, Status
from plananalysis.comparator import bound_outcome, satisfies
from plananalysis.api import assess as _assess, vintages
from plananalysis.study import cumulative_paths as _cumulative_paths, forecast_target

STATUSES = {s.value for s in Status}


def assess(targets=None, series=None, **kw):
    """The scorecard table (``to_frame()``) for tables given directly."""
    return _assess(targets=targets, series=series, **kw).to_frame()


def cumulative_paths(indicator, targets, series, **kw):
    return _cumulative_paths(indicator, targets=targets, series=series, **kw)

N = 2000


@pytest.fixture(scope="module")
def bundled():
    return _assess(n_paths=N, as_of=2024).to_frame().set_index("indicator")


def _data(indicator, values, unit="万人", qualifiers=None):
    """A minimal load_series()-shaped frame for one indicator."""
    years = list(values)
    quals = qualifiers or {}
    return pd.DataFrame({
        "indicator": indicator, "year": years, "value": [float(values[y]) for y in years],
        "qualifier": [quals.get(y, "") for y in years], "unit": unit, "source_title": "t",
        "source_url": "u", "quote": "q", "note": "", "selected": True,
    })


def _target(indicator="x", series="x_series", target=100.0, comparator=">", cumulative=False,
            target_year=2025, baseline_year=None, baseline_value=np.nan, unit="万人"):
    return pd.DataFrame([{
        "indicator": indicator, "name_zh": "", "name_en": indicator, "unit": unit,
        "comparator": comparator, "target": float(target), "target_year": target_year,
        "cumulative": cumulative, "period_start": 2021, "period_end": 2025,
        "baseline_year": baseline_year, "baseline_value": baseline_value, "baseline_qualifier": "",
        "series": series, "series_relation": "direct", "series_note": "", "source_section": "专栏1",
    }])


# ------------------------------------------------------------------ bundled
def test_default_plan_scorecard_shape_and_statuses(bundled):
    assert list(bundled.reset_index().columns) == ASSESS_COLUMNS
    assert set(bundled["status"]) <= set(STATUSES)
    assert len(bundled) == 4


def test_cumulative_with_one_observation_is_insufficient_and_says_what_is_needed():
    data = _data("x_series", {2024: 78.6})
    row = assess(_target(target=200.0, cumulative=True), data, n_paths=200).iloc[0]
    assert row["status"] == "insufficient_data" and np.isnan(row["p_meet"]) and np.isnan(row["p_trend"])
    assert row["observed_sum"] == pytest.approx(78.6)
    assert row["needed_per_year"] == pytest.approx((200 - 78.6) / 4)
    assert {"needed", "insufficient_data", "few_band_observations"} <= set(row["reasons"].split(";"))
    assert row["progress_band"] == "insufficient_data" and "30.35 a year" in row["note"]


def test_proxy_series_with_a_past_gap_in_the_period_says_both():
    vals = {y: 500.0 + 10 * (y - 2015) for y in range(2015, 2025) if y not in (2019, 2023)}
    target = _target(target=2800.0, cumulative=True).assign(series_relation="proxy", series_note="broader")
    row = assess(target, _data("x_series", vals), n_paths=500, model="naive", as_of=2024).iloc[0]
    assert {"past_gaps_drawn", "proxy_series", "gaps_simulated"} <= set(row["reasons"].split(";"))
    assert row["relation"] == "proxy" and row["years_simulated"] == "2023, 2025"
    assert row["observed_sum"] == pytest.approx(560 + 570 + 590)


def test_boundary_reading_of_an_observed_target_year():
    data = _data("x_series", {2022: 96.0, 2023: 96.5, 2024: 97.0}, unit="%")
    row = _target(target=97.0, target_year=2024, unit="%")
    inclusive = assess(row, data, n_paths=200).iloc[0]
    strict = assess(row, data, n_paths=200, strict=True).iloc[0]
    assert inclusive["status"] == "met" and inclusive["p_meet"] == 1.0  # 97.0 is "97以上"
    assert strict["status"] == "not_met" and strict["p_meet"] == 0.0


# ------------------------------------------------------------- comparators
def test_satisfies_reading():
    assert satisfies(97.0, ">", 97.0) and not satisfies(97.0, ">", 97.0, strict=True)
    assert satisfies(97.0, ">=", 97.0, strict=True)
    assert satisfies(5.0, "<", 5.0) and not satisfies(5.0, "<", 5.0, strict=True)
    with pytest.raises(ParameterError):
        satisfies(1.0, "==", 1.0)
    assert satisfies(2.5, "~", 2.0, tolerance=0.5) and not satisfies(2.51, "~", 2.0, tolerance=0.5)
    with pytest.raises(ParameterError, match="tolerance"):
        satisfies(1.0, "~", 1.0)


@pytest.mark.parametrize("q, b, comp, t, strict, expected", [
    (">", 97.0, ">", 97.0, False, True),    # ">97" observed against ">97" (both "at least 97")
    (">", 97.0, ">", 97.0, True, True),     # value > 97 also satisfies "> 97"
    (">=", 97.0, ">", 97.0, True, None),    # 97 itself would fail the strict target
    (">", 96.0, ">", 97.0, False, None),    # could be 96.5 or 98
    (">", 98.0, ">", 97.0, False, True),
    ("<", 96.0, ">", 97.0, False, False),
    ("<", 97.0, ">", 97.0, False, None),    # "at most 97" may equal 97
    ("<", 97.0, ">", 97.0, True, False),
    ("<", 50.0, "<", 60.0, False, True),
])
def test_bound_outcome_truth_table(q, b, comp, t, strict, expected):
    assert bound_outcome(q, b, comp, t, strict) is expected


def test_bound_in_target_year_settles_or_conditions():
    vals = {2015: 90, 2016: 91, 2017: 92, 2018: 93, 2019: 94, 2020: 95, 2021: 95.5, 2022: 96, 2025: 97}
    data = _data("x_series", vals, unit="%", qualifiers={2025: ">"})
    met = assess(_target(target=97.0, unit="%"), data, n_paths=500).iloc[0]
    assert met["status"] == "met" and met["p_meet"] == 1.0 and met["reasons"].split(";")[-1] != ""
    assert "bound_settles" in met["reasons"]
    data = _data("x_series", {**vals, 2025: 96.5}, unit="%", qualifiers={2025: ">"})
    cond = assess(_target(target=97.0, unit="%"), data, n_paths=2000, model="drift").iloc[0]
    assert "conditional_on_bound" in cond["reasons"] and 0 < cond["p_meet"] < 1


def test_approximate_observation_is_read_as_about_not_as_a_lower_bound():
    # "~100" (about 100: within 10 %, as in plananalysis.data) in the target year must not be read
    # as ">=100": values such as 93 are consistent with it and satisfy "< 95"
    vals = {2015: 100, 2016: 104, 2017: 99, 2018: 103, 2019: 101, 2020: 98, 2021: 102, 2022: 100,
            2025: 100}
    data = _data("x_series", vals, qualifiers={2025: "~"})
    row = assess(_target(target=95, comparator="<"), data, n_paths=4000, model="naive").iloc[0]
    assert "conditional_on_bound" in row["reasons"]
    assert 0 < row["p_meet"] < 1
    assert row["projected_lo95"] >= 90 - 1e-9 and row["projected_hi95"] <= 110 + 1e-9
    # an approximate flow inside a cumulative period stays within 10 % of the figure
    vals = {2015: 100, 2016: 104, 2017: 99, 2018: 103, 2019: 101, 2020: 98, 2021: 102, 2022: 50}
    data = _data("x_series", vals, qualifiers={2022: "~"})
    flows = cumulative_paths("x", _target(target=500, cumulative=True), data, n_paths=2000, model="naive")
    assert flows.loc[2022].between(45, 55).all()
    row = assess(_target(target=500, cumulative=True), data, n_paths=2000, model="naive").iloc[0]
    assert row["projected_median"] == pytest.approx(np.median(flows.sum(axis=0)))


# ------------------------------------------------------------- cumulative
def test_cumulative_fully_observed_period_is_final():
    data = _data("x_series", {2019: 90, 2020: 95, 2021: 100, 2022: 100, 2023: 100, 2024: 100, 2025: 100})
    met = assess(_target(target=500, cumulative=True), data, n_paths=50).iloc[0]
    assert (met["status"], met["p_meet"], met["projected_median"]) == ("met", 1.0, 500.0)
    miss = assess(_target(target=500.5, cumulative=True, comparator=">"), data, n_paths=50).iloc[0]
    assert (miss["status"], miss["p_meet"]) == ("not_met", 0.0)


def test_cumulative_observed_plus_simulated_hand_built():
    # constant flows of 100 (noiseless): 2021, 2022, 2024 observed = 300; 2023 (gap) and
    # 2025 simulated = 100 each on every path -> total 500 exactly
    vals = {y: 100.0 for y in range(2015, 2025) if y != 2023}
    data = _data("x_series", vals)
    for target, p in ((499.5, 1.0), (500.5, 0.0)):
        row = assess(_target(target=target, cumulative=True), data, n_paths=300, model="naive").iloc[0]
        assert row["observed_sum"] == 300.0
        assert row["projected_median"] == pytest.approx(500.0)
        assert row["p_trend"] == p
        assert row["years_simulated"] == "2023, 2025"


def test_cumulative_sum_is_path_by_path():
    vals = {2015: 80, 2016: 85, 2017: 83, 2018: 90, 2019: 95, 2020: 97, 2021: 99, 2022: 104}
    data = _data("x_series", vals)
    row = assess(_target(target=520, cumulative=True), data, n_paths=4000, model="drift").iloc[0]
    flows = cumulative_paths("x", _target(target=520, cumulative=True), data, n_paths=4000, model="drift")
    total = flows.sum(axis=0)
    assert row["projected_median"] == pytest.approx(np.median(total))
    assert row["p_trend"] == pytest.approx(np.mean(total >= 520))
    assert flows.loc[2021].nunique() == 1 and flows.attrs["observed"] == [2021, 2022]
    # adding interval bounds would overstate the width: the path sum's 95% width is smaller
    assert row["projected_hi95"] - row["projected_lo95"] < (
        flows.quantile(0.975, axis=1) - flows.quantile(0.025, axis=1)).sum()


def test_partial_sum_already_above_target_is_met():
    data = _data("x_series", {2019: 600, 2020: 600, 2021: 700, 2022: 700})
    row = assess(_target(target=1000, cumulative=True), data, n_paths=50).iloc[0]
    assert row["status"] == "met" and row["progress_band"] == "achieved"


def test_lower_is_better_cumulative_band_and_final_outcome():
    vals = {y: 100.0 + (y % 2) for y in range(2015, 2023)}  # 2021: 101, 2022: 100
    data = _data("x_series", vals)
    # a cap of 450 over five years allows 90 a year; 100.5 a year so far is over that pace
    cap = assess(_target(target=450, cumulative=True, comparator="<"), data, n_paths=200).iloc[0]
    assert cap["progress_ratio"] == pytest.approx(90 / 100.5)
    assert cap["progress_band"] == "acceleration_needed"
    under = assess(_target(target=600, cumulative=True, comparator="<"), data, n_paths=200).iloc[0]
    assert under["progress_band"] == "on_pace"
    # the observed flows alone (201) already break a cap of 150: final, whatever the model says
    broken = assess(_target(target=150, cumulative=True, comparator="<"), data, n_paths=200,
                    model="ets").iloc[0]
    assert (broken["status"], broken["p_meet"]) == ("not_met", 0.0)
    assert "cap_broken" in broken["reasons"] and "already total 201" in broken["note"]


# ------------------------------------------------------------ probability
def test_random_walk_probability_matches_analytic():
    rng = np.random.default_rng(11)
    years = list(range(2012, 2025))
    logs = np.log(200) + np.cumsum(rng.normal(0, 0.05, len(years)))
    data = _data("x_series", dict(zip(years, np.exp(logs))))
    target = float(np.exp(logs[-1]) * 1.02)
    row = assess(_target(target=target), data, n_paths=20000, model="naive", calibration="none").iloc[0]
    d = np.diff(logs)
    s, df = np.sqrt(np.sum(d ** 2) / len(d)), len(d)
    analytic = 1 - stats.t.cdf((np.log(target) - logs[-1]) / s, df)
    assert abs(row["p_meet"] - analytic) < 4 * np.sqrt(analytic * (1 - analytic) / 20000)


def test_calibration_none_gives_p_trend_and_the_default_calibrates():
    card = _assess(n_paths=500, as_of=2024).to_frame().set_index("indicator")
    raw = _assess(n_paths=500, as_of=2024, calibration="none").to_frame().set_index("indicator")
    pd.testing.assert_series_equal(raw["p_meet"], raw["p_trend"], check_names=False)
    pd.testing.assert_series_equal(card["p_trend"], raw["p_trend"])
    assert card.loc["employment_rate", "p_meet"] != card.loc["employment_rate", "p_trend"]
    assert (card["calibration"].dropna() != "none").any() and "calibration" in card.loc["enrollment", "reasons"]


def test_status_thresholds_are_settings(bundled):
    p = bundled.loc["enrollment", "p_meet"]
    assert bundled.loc["enrollment", "status"] == ("on_track" if p >= 0.9 else "at_risk")
    strict = assess(load_plan().targets().iloc[[0]], load_plan().statistics(), n_paths=N, as_of=2024, on_track=0.9999,
                    at_risk=0.999).iloc[0]
    assert strict["status"] == ("at_risk" if p >= 0.999 else "off_track")


# ---------------------------------------------------------- growth ratio
def test_growth_bands_at_thresholds():
    assert [growth_band(r).value for r in (0.95, 0.9499, 0.60, 0.5999, 0.0, -1e-9, np.nan)] == [
        "on_pace", "acceleration_needed", "acceleration_needed", "limited_progress",
        "limited_progress", "moving_away", "insufficient_data"]


def test_progress_measures_hand_computed():
    up = progress_measures(2020, 100.0, 2022, 110.25, 150.0, 2025, ">")
    assert up["actual_cagr"] == pytest.approx(0.05)
    assert up["required_cagr"] == pytest.approx(1.5 ** 0.2 - 1)
    assert up["progress_ratio"] == pytest.approx(0.05 / (1.5 ** 0.2 - 1))  # 0.592
    assert up["band"] == "limited_progress"
    down = progress_measures(2020, 100.0, 2022, 95.0, 80.0, 2025, "<")  # lower is better
    assert down["progress_ratio"] == pytest.approx((1 - 0.95 ** 0.5) / (1 - 0.8 ** 0.2))  # 0.580
    assert down["band"] == "limited_progress"
    away = progress_measures(2020, 100.0, 2022, 105.0, 80.0, 2025, "<")
    assert away["progress_ratio"] < 0 and away["band"] == "moving_away"
    done = progress_measures(2020, 100.0, 2022, 151.0, 150.0, 2025, ">")
    assert done["band"] == "achieved"
    keep = progress_measures(2020, 395.5, 2024, 428.7, 360.0, 2025, ">")
    assert keep["band"] == "achieved_maintain" and np.isnan(keep["progress_ratio"])
    lost = progress_measures(2020, 395.5, 2024, 350.0, 360.0, 2025, ">")
    assert lost["band"] == "moving_away"
    zero = progress_measures(2020, 0.0, 2022, 1.0, 2.0, 2025, ">")  # zero base -> 0.001
    assert zero["required_cagr"] == pytest.approx((2 / 0.001) ** 0.2 - 1)


def test_required_path_geometric_and_even():
    row = _target(target=121.0, baseline_year=2020, baseline_value=100.0, target_year=2022).iloc[0]
    assert required_path(row).to_numpy() == pytest.approx([100.0, 110.0, 121.0])
    cum = _target(target=500.0, cumulative=True).iloc[0]
    assert required_path(cum).to_numpy() == pytest.approx([100, 200, 300, 400, 500])
    # a target the baseline already meets: the path is flat at the target ("stay above"), not sloping down
    keep = _target(target=360.0, baseline_year=2020, baseline_value=395.5).iloc[0]
    path = required_path(keep)
    assert path.attrs["already_met"] and path.tolist() == [360.0] * 6
    # compounded rates (five-year cut in energy intensity): even annual cut that compounds to the target
    comp = {**_target(target=16.0, cumulative=True).iloc[0], "aggregation": "compound_decline"}
    assert required_path(comp).iloc[-1] == pytest.approx(16.0)
    assert required_path(comp).iloc[0] == pytest.approx(100 * (1 - 0.84 ** 0.2))
    # a five-year average growth target: the running compounded mean stays at the target rate
    avg = {**_target(target=7.0, cumulative=True).iloc[0], "aggregation": "mean_growth"}
    assert required_path(avg).to_numpy() == pytest.approx([7.0] * 5)


def test_mean_growth_is_the_compounded_mean_of_annual_rates_path_by_path():
    from plananalysis.progress import aggregate, even_flow
    rates = [10.4, 9.5, 7.9, 7.8, 7.3]  # GDP 2011-2015 (gdp_fyp12 target "年均增长7%")
    expected = 100 * (np.prod([1 + r / 100 for r in rates]) ** (1 / 5) - 1)
    assert float(aggregate(rates, "mean_growth")) == pytest.approx(expected) and 8.0 < expected < 8.7
    assert float(aggregate(rates, "mean_growth")) < float(np.mean(rates))  # geometric, not arithmetic
    paths = np.array([rates, [5.0] * 5]).T  # years x paths: aggregated per path (axis 0)
    assert aggregate(paths, "mean_growth", axis=0) == pytest.approx([expected, 5.0])
    assert float(aggregate([-150.0, 10.0], "mean_growth")) == pytest.approx(-100.0)  # no NaN below -100%
    assert even_flow(7.0, 5, "mean_growth") == 7.0
    with pytest.raises(ParameterError, match="mean_growth"):
        aggregate(rates, "mean")


def test_engine_assesses_an_average_growth_target_path_by_path():
    vals = [8.3, 9.1, 10.0, 10.1, 11.4, 12.7, 14.2, 9.7, 9.4, 10.6, 9.5, 7.9, 7.8]
    data = _data("gdp", dict(zip(range(2001, 2014), vals)), unit="% yoy")
    row = _target(indicator="gdp_avg", series="gdp", target=7.0, comparator=">=", cumulative=True,
                  target_year=2015, unit="% yoy")
    row["period_start"], row["period_end"], row["aggregation"] = 2011, 2015, "mean_growth"
    out = assess(row, data, as_of=2013, n_paths=400, seed=1, calibration="none").iloc[0]
    # 2011-2013 observed (9.5, 7.9, 7.8): two more years near the trend keep the 5-year mean above 7%
    assert 0.5 < out["p_trend"] <= 1.0
    assert "averaged" in str(out["note"])
    # the whole period observed: decided by the compounded mean itself (8.0 >= 7), not by a sum
    done = _data("gdp", dict(zip(range(2001, 2016), vals + [7.3, 6.9])), unit="% yoy")
    assert assess(row, done, as_of=2015, n_paths=100, calibration="none").iloc[0]["status"] == Status.MET.value


# ----------------------------------------------------------- reproducibility
def test_same_seed_same_numbers_and_parallel_equals_serial():
    a = _assess(n_paths=500, seed=3).to_frame()
    pd.testing.assert_frame_equal(a, _assess(n_paths=500, seed=3).to_frame())
    pd.testing.assert_frame_equal(a, _assess(n_paths=500, seed=3, n_jobs=2).to_frame())


def test_as_of_never_leaks_later_observations():
    data, targets = load_plan().statistics(), load_plan().targets()
    before = assess(targets, data, as_of=2022, n_paths=500)
    changed = data.copy()
    changed.loc[changed["year"] > 2022, "value"] = 9999.0
    pd.testing.assert_frame_equal(before, assess(targets, changed, as_of=2022, n_paths=500))
    assert (before["latest_year"] <= 2022).all()
    fc = forecast_target("enrollment", targets=targets, series=changed, as_of=2022, n_paths=200)
    assert fc.history.index.max() == 2022


def test_as_of_ignores_a_plan_baseline_from_a_later_year():
    # the plan states a 2020 baseline; "what would we have said in 2018?" cannot use it
    vals = {2015: 80, 2016: 85, 2017: 90, 2018: 95, 2019: 100, 2020: 104}
    target = _target(target=150.0, baseline_year=2020, baseline_value=104.0)
    row = assess(target, _data("x_series", vals), as_of=2018, n_paths=200, model="drift").iloc[0]
    assert pd.isna(row["baseline_year"]) and np.isnan(row["baseline_value"])
    assert np.isnan(row["required_cagr"]) and row["progress_band"] == "insufficient_data"
    later = assess(target, _data("x_series", vals), as_of=2020, n_paths=200, model="drift").iloc[0]
    assert later["baseline_year"] == 2020 and later["baseline_value"] == 104.0


def test_vintages_stack_as_of_years():
    v = vintages(years=[2021, 2022], n_paths=300)
    assert v.columns[0] == "as_of" and sorted(v["as_of"].unique()) == [2021, 2022]
    assert len(v) == 8
    default = vintages(n_paths=200, model="naive")
    assert sorted(default["as_of"].unique()) == [2020, 2021, 2022, 2023, 2024]  # base year .. latest data
    assert sorted(vintages(n_paths=200, model="naive", as_of=2022)["as_of"].unique()) == [2020, 2021, 2022]


def test_forecast_target_reaches_target_year():
    fc = forecast_target("skills_training", n_paths=300)
    assert isinstance(fc, Forecast)
    assert fc.paths.index.max() == 2025 and 2023 in fc.gap_paths.index


# -------------------------------------------------------------- bad input
def test_bad_input_errors():
    with pytest.raises(ParameterError, match="model"):
        _assess(model="prophet")
    with pytest.raises(ParameterError, match="as_of"):
        _assess(as_of=1990)
    with pytest.raises(ParameterError, match="fit_start=2030 is after the last observation"):
        _assess(fit_start=2030)
    with pytest.raises(ParameterError, match="thresholds"):
        _assess(on_track=0.4, at_risk=0.6)
    with pytest.raises(ParameterError, match="unknown setting 'n_pahts'"):
        _assess(n_pahts=10)
    with pytest.raises(DataError, match="not in the statistics"):
        assess(_target(series="no_such_series"), load_plan().statistics())
    with pytest.raises(ParameterError, match="not a target"):
        forecast_target("nope")


@pytest.mark.parametrize("module", ["comparator", "target", "series", "api", "executors", "progress", "results", "engine", "study", "present", "labels",
                                    "bundle", "domain", "settings"])
def test_docstring_examples(module):
    mod = importlib.import_module(f"plananalysis.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_status_near_a_threshold_says_monte_carlo_could_flip_it():
    settings = Settings()
    x = Target("x", ">", 1.0, 2025)
    provisional = Assessment(target=x, p_trend=0.499, mc_se=0.005)
    near = finalize(provisional, 0.499, "none", settings)
    assert near.status == Status.OFF_TRACK and near.has(R.MC_NEAR_THRESHOLD)
    assert "'at risk' threshold 0.5" in near.note
    assert provisional.status == Status.INSUFFICIENT and not provisional.reasons  # results are frozen
    far = finalize(Assessment(target=x, p_trend=0.7, mc_se=0.005), 0.7, "none", settings)
    assert far.status == Status.AT_RISK and not far.reasons


def test_level_targets_are_judged_on_the_figure_as_published():
    vals = {2017: 96.0, 2018: 97.0, 2019: 96.0, 2020: 97.0, 2021: 97.0, 2022: 96.0, 2023: 97.0, 2024: 97.0}
    plain = _data("x_series", vals, unit="%")
    published = plain.assign(decimals=0)  # every figure published to the integer
    target = _target(target=97.0, unit="%", comparator=">=")
    raw = assess(target, plain, n_paths=4000, model="naive", as_of=2024, calibration="none").iloc[0]
    rounded = assess(target, published, n_paths=4000, model="naive", as_of=2024, calibration="none").iloc[0]
    assert "as_published" in rounded["reasons"] and "as_published" not in raw["reasons"]
    assert rounded["p_trend"] > raw["p_trend"] + 0.05  # 96.5..97 is published as 97 and meets it
    assert "rounded to 0 decimals" in rounded["note"]


def test_outcome_pending_when_the_target_year_is_past_but_unpublished():
    vals = {y: 100.0 + y - 2015 for y in range(2015, 2025)}
    data = _data("x_series", vals)
    row = assess(_target(target=105.0), data, n_paths=500, model="drift",  # viewpoint: the year before today
                 today=datetime.date(2026, 3, 1)).iloc[0]
    assert row["status"] == "pending" and "outcome_pending" in row["reasons"] and row["p_trend"] > 0.9
    then = assess(_target(target=105.0), data, n_paths=500, model="drift", as_of=2024).iloc[0]
    assert then["status"] in ("on_track", "at_risk") and "outcome_pending" not in then["reasons"]
    assert _assess(targets=_target(target=105.0), series=data, n_paths=500, model="drift", as_of=2024,
                   calibration="none").to_frame().iloc[0]["status"] == "on_track"


# ------------------------------------------------------------------ tables and words
def _card_row(**kw):
    row = dict.fromkeys(ASSESS_COLUMNS, np.nan)
    row.update({"indicator": "x", "name_en": "Students", "comparator": ">", "target": 360.0, "unit": "万人",
                "target_year": 2025, "cumulative": False, "latest_qualifier": "", "progress_band": "",
                "model": "", "note": ""})
    row.update(kw)
    return row


def test_describe_on_track_mentions_probability_projection_and_interval():
    text = describe(_card_row(status="on_track", p_meet=0.934, projected_median=431.42, projected_lo80=400.2,
                              projected_hi80=461.5, model="naive", latest_value=428.7, latest_year=2024,
                              progress_band="achieved_maintain"))
    assert text.startswith("**Students** — target ≥ 360 万人 in 2025; latest figure 428.7 (2024)")
    assert "**on track**, P(meet) 93.4%" in text
    assert "projected 431.4 (80% interval 400.2–461.5, model naive)" in text
    assert text.endswith("Agency-style progress band: achieved, maintain.")


def test_describe_met_and_extreme_probabilities():
    met = describe(_card_row(status="met", p_meet=1.0, latest_value=97.0, latest_qualifier=">",
                             latest_year=2025))
    assert "latest figure >97 (2025): **met** (observed)." in met
    sure = describe(_card_row(status="on_track", p_meet=0.9999, projected_median=1.0, projected_lo80=1.0,
                              projected_hi80=1.0, model="drift"))
    assert "P(meet) > 99.9%" in sure and "latest figure" not in sure


def test_describe_insufficient_data_says_what_is_needed():
    text = describe(_card_row(status="insufficient_data", cumulative=True, target=200.0, n_obs=1,
                              latest_value=78.6, latest_year=2024, observed_sum=78.6, needed_per_year=30.35,
                              period_start=2021, period_end=2025))
    assert "(2021-2025 total)" in text
    assert "**insufficient data** for a forecast (1 usable observation)." in text
    assert "Observed so far: 78.6; the missing years need 30.4 a year" in text  # as the tables round it
    level = describe(_card_row(status="insufficient_data", n_obs=3, needed_cagr=0.021))
    assert "(3 usable observations)" in level and "needs +2.1% a year" in level


def test_describe_in_chinese_uses_the_plan_name_and_chinese_words():
    from nbconvert.filters.markdown import markdown2html

    row = _card_row(status="on_track", p_meet=0.934, projected_median=431.42, projected_lo80=400.2,
                    projected_hi80=461.5, model="naive", latest_value=428.7, latest_year=2024,
                    progress_band="achieved_maintain", name_zh="在校生规模")
    text = describe(row, "zh")
    assert text.startswith("**在校生规模**：2025 年目标 ≥ 360 万人；最新数据 428.7（2024 年）")
    assert "**进展顺利**，达成概率 93.4%" in text and "Students" not in text and "on track" not in text
    for status in ("met", "insufficient_data", "on_track"):
        shown = markdown2html(describe({**row, "status": status, "n_obs": 1}, "zh"))
        assert "**" not in shown and "<strong>" in shown


def test_summary_in_words_one_bullet_per_row():
    card = pd.DataFrame([_card_row(status="met", name_en="A"), _card_row(status="not_met", name_en="B")])
    lines = summary_in_words(card).splitlines()
    assert len(lines) == 2 and lines[0].startswith("- **A**") and "**not met**" in lines[1]


def test_vintage_table_pivots_in_given_order():
    v = pd.DataFrame({"as_of": [2020, 2020, 2021, 2021], "indicator": ["b", "a", "b", "a"],
                      "p_meet": [0.5, 0.1, 0.7, 0.2], "status": ["at_risk", "off_track", "at_risk", "off_track"]})
    table = vintage_table(v, order=["a", "b", "c"])
    assert list(table.index) == ["a", "b", "c"] and list(table.columns) == [2020, 2021]
    assert table.loc["b", 2021] == 0.7 and table.loc["c"].isna().all()
    assert vintage_table(v, "status").loc["a", 2020] == "off track"
    with pytest.raises(ParameterError):
        vintage_table(v, "nope")


def test_required_path_table_with_running_total():
    row = {"cumulative": True, "target": 100.0, "period_start": 2021, "period_end": 2022}
    hist = pd.DataFrame({"value": [45.0], "qualifier": [""]}, index=pd.Index([2021], name="year"))
    flows = pd.DataFrame([[45.0, 45.0, 45.0], [50.0, 60.0, 70.0]], index=[2021, 2022])
    table = required_path_table(row, hist, flows)
    assert table["required"].tolist() == [50.0, 100.0]
    assert table.loc[2021, "published"] == 45.0 and np.isnan(table.loc[2022, "published"])
    assert table["total_median"].tolist() == [45.0, 105.0]
    assert table.loc[2022, "total_lo80"] == pytest.approx(97.0)  # 10% quantile of 95, 105, 115


def test_targets_file_naming_an_unknown_series_is_an_error_naming_that_file(tmp_path):
    from plananalysis.plan import write_targets

    targets = load_plan().targets()
    targets.loc[0, "series"] = "no_such_series"
    path = tmp_path / "province_targets.csv"
    write_targets(targets, path)
    with pytest.raises(DataError, match="province_targets.csv, column 'series'") as info:
        assess(load_targets(path), load_plan().statistics(), n_paths=100)
    with pytest.raises(DataError, match="province_targets.csv, column 'series'"):
        assess(str(path), load_plan().statistics(), n_paths=100)
    assert info.value.value == "no_such_series"


def test_every_bold_phrase_of_the_word_table_renders_in_both_languages():
    import string

    from nbconvert.filters.markdown import markdown2html

    from plananalysis.labels import WORDS

    for key, pair in WORDS.items():
        for words in pair:
            if "**" not in words:
                continue
            fields = {f: "x1" for _, f, _, _ in string.Formatter().parse(words) if f}
            shown = markdown2html(words.format(**fields))
            assert "**" not in shown, f"{key}: {shown}"


def test_every_reason_code_has_a_meaning_in_both_languages():
    from plananalysis.labels import LABELS
    from plananalysis.results import ReasonCode

    for code in ReasonCode:
        en, zh = LABELS["reason"][code.value]
        assert en and re.search(r"[\u4e00-\u9fff]", zh), code


def test_bounds_setting_reaches_the_fit_and_the_reason_says_which():
    from plananalysis.api import assess
    plan = load_plan()
    got = {}
    for mode in ("censored", "drop"):
        a = assess(plan, Settings(n_paths=500, as_of=2024, bounds=mode, calibration="none"))["employment_rate"]
        codes = {r.code for r in a.reasons}
        assert (R.BOUNDS_CENSORED in codes) == (mode == "censored")
        assert (R.BOUNDS_NOT_FITTED in codes) == (mode == "drop")
        got[mode] = a
    assert "censored observations" in got["censored"].note and "censored" in got["censored"].forecast.note
    assert got["censored"].p_trend != got["drop"].p_trend  # the three '>97' bounds move the fit
    assert Settings().bounds == "censored"
