"""Known-answer tests for plananalysis.models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plananalysis.errors import InsufficientDataError as ErrorsInsufficientDataError
from plananalysis.errors import ParameterError
from plananalysis.models import (
    MIN_OBS, MODELS, REGISTRY, InsufficientDataError, forecast, holt_filter, model_help,
)
from plananalysis.models.ensemble import Select


def _series(values, years, unit=None):
    s = pd.Series(values, index=years, dtype=float)
    s.attrs["unit"] = unit
    return s


LINE = _series([100.0 + 7.0 * i for i in range(8)], list(range(2015, 2023)))


@pytest.mark.parametrize("model", ["drift", "linear"])
def test_noiseless_linear_series_continues_exactly(model):
    fc = forecast(LINE, model, horizon=4, n_paths=300, transform="none")
    expected = [100.0 + 7.0 * i for i in range(8, 12)]
    assert fc.point.index.tolist() == [2023, 2024, 2025, 2026]
    assert fc.point.to_numpy() == pytest.approx(expected, abs=1e-8)
    assert (fc.intervals["hi95"] - fc.intervals["lo95"]).max() < 1e-6


def test_noiseless_geometric_series_loglinear_and_logdrift_continue_growth():
    s = _series([50.0 * 1.1 ** i for i in range(6)], list(range(2016, 2022)))
    for model in ("loglinear", "logdrift"):
        fc = forecast(s, model, horizon=2, n_paths=200)
        assert fc.transform == "log"
        assert fc.point.to_numpy() == pytest.approx([50 * 1.1 ** 6, 50 * 1.1 ** 7], rel=1e-9)


def _rw(seed, n=12, sigma=3.0):
    rng = np.random.default_rng(seed)
    return _series(100 + np.cumsum(rng.normal(0, sigma, n)), list(range(2013, 2013 + n)))


@pytest.mark.parametrize("drift", [False, True])
def test_random_walk_probability_matches_student_t_predictive(drift):
    # With sigma^2 ~ s^2 df / chi2_df the h-step predictive is z_T + h*mu + s*c*t_df,
    # c = sqrt(h) for naive and sqrt(h + h^2/span) for drift (drift uncertainty).
    s = _rw(1)
    h, n = 3, 20000
    fc = forecast(s, "drift" if drift else "naive", horizon=h, n_paths=n, seed=3, transform="none")
    z, t = s.to_numpy(), s.index.to_numpy()
    d = np.diff(z)
    mu = (z[-1] - z[0]) / (t[-1] - t[0]) if drift else 0.0
    df = len(d) - drift
    sd = np.sqrt(np.sum((d - mu) ** 2) / df)
    scale = sd * np.sqrt(h + (h * h / (t[-1] - t[0]) if drift else 0.0))
    threshold = z[-1] + h * mu + 0.5 * scale
    analytic = 1 - stats.t.cdf((threshold - z[-1] - h * mu) / scale, df)
    simulated = (fc.paths.loc[t[-1] + h] > threshold).mean()
    se = np.sqrt(analytic * (1 - analytic) / n)
    assert abs(simulated - analytic) < 4 * se


def test_gapped_differences_scale_with_gap_length():
    # years 0,1,3: differences 1 (k=1) and 2 (k=2) -> sigma^2 = (1 + 4/2) / 2 = 1.5
    s = _series([0.0, 1.0, 3.0], [2020, 2021, 2023])
    fc = forecast(s, "naive", horizon=1, n_paths=10, transform="none")
    assert fc.params["sigma"] == pytest.approx(np.sqrt(1.5))
    assert fc.gap_paths.index.tolist() == [2022]
    assert "2022" in fc.note and "gap" in fc.note
    assert 2022 not in fc.history.index  # history stays unfilled


def test_bridge_draws_centre_between_neighbours():
    s = _series([10.0, 11.0, 12.0, 20.0, 21.0], [2018, 2019, 2020, 2022, 2023])
    fc = forecast(s, "drift", horizon=1, n_paths=20000, transform="none")
    assert fc.gap_paths.loc[2021].mean() == pytest.approx(16.0, abs=0.1)


def test_same_seed_same_numbers_and_different_seed_differs():
    s = _rw(2)
    a = forecast(s, "ets", horizon=3, n_paths=500, seed=7)
    b = forecast(s, "ets", horizon=3, n_paths=500, seed=7)
    c = forecast(s, "ets", horizon=3, n_paths=500, seed=8)
    pd.testing.assert_frame_equal(a.paths, b.paths)
    assert not np.allclose(a.paths.to_numpy(), c.paths.to_numpy())


def test_percentages_stay_inside_0_100_and_counts_stay_positive():
    pct = _series([97.0, 98.5, 99.2, 99.6, 99.8, 99.9], list(range(2015, 2021)), unit="%")
    fc = forecast(pct, "logdrift", horizon=10, n_paths=2000)
    assert fc.transform == "logit" and fc.domain.kind == "share"
    assert ((fc.paths > 0) & (fc.paths < 100)).all().all()
    add = forecast(pct, "drift", horizon=10, n_paths=2000)  # additive drift: original units, clipped
    assert add.transform == "none" and (add.paths <= 100).all().all() and add.params["n_clipped"] > 0
    cnt = _series([10.0, 5.0, 2.0, 1.0, 0.5], list(range(2015, 2020)))
    assert (forecast(cnt, "logdrift", horizon=10, n_paths=2000).paths > 0).all().all()
    for model in ("linear", "drift"):
        fc = forecast(cnt, model, horizon=10, n_paths=2000)
        assert (fc.paths >= 0).all().all() and fc.params["n_clipped"] > 0
        assert (fc.intervals >= 0).all().all()


def test_percentage_at_100_is_modelled_in_points_not_an_error():
    # 100 % passes data validation, so it must not crash forecast (the logit of 1 is infinite)
    pct = _series([97.0, 98.0, 99.0, 100.0, 99.5, 100.0, 99.8, 100.0], list(range(2015, 2023)), unit="%")
    for model in ("auto", "logdrift", "ets"):
        fc = forecast(pct, model, horizon=3, n_paths=2000)
        assert fc.transform == "none"
        assert ((fc.paths >= 0) & (fc.paths <= 100)).all().all()
        assert "0 or 100" in fc.note
    with pytest.raises(ParameterError, match="logit"):
        forecast(pct, "logdrift", transform="logit")


def test_as_of_note_does_not_mention_later_bounded_observations():
    frame = pd.DataFrame({"value": [96.0, 97.0, 97.5, 97.0, 98.0], "qualifier": ["", ">", "", ">", ""]},
                         index=[2015, 2016, 2017, 2020, 2021])
    frame.attrs["unit"] = "%"
    fc = forecast(frame, "naive", as_of=2017, n_paths=50)
    assert "2016 >97" in fc.note and "2020" not in fc.note


def test_count_series_with_a_zero_never_goes_negative():
    # a zero has no log, so the model works in original units; the paths must still stay >= 0
    cnt = _series([0.0, 3.0, 1.0, 4.0, 0.0, 2.0], list(range(2015, 2021)), unit="万人")
    fc = forecast(cnt, "naive", horizon=5, n_paths=2000)
    assert fc.transform == "none"
    assert (fc.paths >= 0).all().all() and fc.params["n_clipped"] > 0


def test_whole_series_by_default_fit_start_drops_earlier_years_and_bounds_are_excluded():
    frame = pd.DataFrame({"value": [1.0, 2.0, 97.0, 4.0, 5.0, 6.0],
                          "qualifier": ["", "", ">", "", "", ""]},
                         index=pd.Index([2012, 2015, 2016, 2017, 2018, 2019], name="year"))
    fc = forecast(frame, "drift", horizon=1, n_paths=50)
    assert fc.history.index.tolist() == [2012, 2015, 2017, 2018, 2019]
    assert "2016 >97" in fc.note and "fit window" not in fc.note
    fc = forecast(frame, "drift", horizon=1, n_paths=50, fit_start=2015)
    assert fc.history.index.tolist() == [2015, 2017, 2018, 2019]
    assert "fit window starts 2015" in fc.note


def test_old_series_forecasts_and_long_random_walk_probability_uses_the_whole_history():
    # issue 7: a 1990-2019 random walk; P(y_2023 > y_2019 + 2) from the whole series is the
    # Student-t random-walk answer (about 0.12 here), not the five-point answer (0.011).
    rng = np.random.default_rng(11)
    s = _series(100 + np.cumsum(rng.normal(0, 1.0, 30)), list(range(1990, 2020)))
    fc = forecast(s, "naive", horizon=4, n_paths=20000, seed=2, domain="real")
    d = np.diff(s.to_numpy())
    sd = np.sqrt(np.sum(d ** 2) / len(d))
    analytic = 1 - stats.t.cdf(2 / (sd * 2), len(d))
    assert fc.prob(">", s.iloc[-1] + 2, 2023) == pytest.approx(analytic, abs=4 * np.sqrt(analytic / 20000))
    old = _series(np.linspace(5, 9, 30), list(range(1980, 2010)))
    assert forecast(old, "auto", horizon=2, n_paths=100).point.index.tolist() == [2010, 2011]


def test_holt_filter_matches_statsmodels_holt_with_known_parameters():
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    y = np.array([3.0, 3.4, 3.9, 4.1, 4.8, 5.0, 5.6, 5.9])
    a, b, phi, l0, b0 = 0.6, 0.2, 0.9, 2.8, 0.3
    res = ExponentialSmoothing(y, trend="add", damped_trend=True, initialization_method="known",
                               initial_level=l0, initial_trend=b0).fit(
        smoothing_level=a, smoothing_trend=b, damping_trend=phi, optimized=False)
    # statsmodels' smoothing_trend b is beta* of the component form; the
    # error-correction form used here has beta = alpha * beta*.
    errs, lvl, trd = holt_filter(y, a, a * b, phi, l0, b0)
    assert errs == pytest.approx(y - res.fittedvalues, abs=1e-10)
    assert lvl + phi * trd == pytest.approx(res.forecast(1)[0], abs=1e-10)


def test_select_falls_back_on_short_series_and_backtests_long_ones():
    short = forecast(_series([1.0, 2.0, 2.5], [2019, 2020, 2021]), "select", horizon=1, n_paths=50)
    assert short.model == "naive" and "fallback" in short.note
    assert short.params["select"]["chosen"] == "naive"
    fc = forecast(LINE, "select", horizon=1, n_paths=50)
    # additive drift and the linear trend are exact on a straight line; a tie goes to the earlier
    assert fc.model == "drift"
    assert fc.params["select"]["mase"]["linear"] == pytest.approx(0.0, abs=1e-9)
    assert fc.params["select"]["mase"]["naive"] > 0.5
    assert fc.params["select"]["origins"] == [2019, 2020, 2021]


def test_select_reports_every_eligible_candidate():
    dom = forecast(LINE, "naive", n_paths=10).domain
    info = Select().choose(LINE.index, LINE.to_numpy(), dom)
    assert set(info["mase"]) == {"naive", "drift", "logdrift", "linear", "loglinear", "theta"}
    assert "needs 6" in info["ineligible"]["ets"]  # 8 obs -> smallest training set 5
    s = _rw(6, n=10)
    info = Select().choose(s.index, s.to_numpy(), dom)
    assert set(info["mase"]) == set(Select.candidates)
    assert info["chosen"] == min(info["mase"], key=info["mase"].get)


def test_auto_is_the_default_combination_and_says_so():
    fc = forecast(_rw(3), "auto", horizon=2, n_paths=300)
    assert fc.model == "combination" and fc.params["auto"]["chosen"] == "combination"
    assert fc.params["components"] == ["drift", "theta", "ets"]
    assert "auto: default model combination" in fc.note
    short = forecast(_series([5.0, 6.0, 6.5, 7.5], [2018, 2019, 2020, 2021]), "auto", n_paths=300)
    assert short.params["components"] == ["drift", "naive"]  # theta, ets need 5 and 6
    assert "naive stands in" in short.note


@pytest.mark.parametrize("model", ["ets", "theta", "arima"])
def test_state_models_tolerate_gaps(model):
    s = _rw(4, n=12).drop([2016, 2020])
    fc = forecast(s, model, horizon=2, n_paths=300)
    assert fc.paths.shape == (2, 300)
    assert fc.gap_paths.index.tolist() == [2016, 2020]
    assert np.isfinite(fc.paths.to_numpy()).all()


def test_combination_pools_its_components_and_its_quantiles_solve_the_mixture_cdf():
    fc = forecast(_rw(5), "combination", horizon=3, n_paths=301)
    assert fc.params["components"] == ["drift", "theta", "ets"]
    assert fc.paths.shape == (3, 301)
    probs = np.array([0.5, 0.1, 0.9, 0.025, 0.975])
    q = fc.fitted.quantile(3, probs)
    assert fc.fitted.cdf(3, q) == pytest.approx(np.repeat(probs[:, None], 3, axis=1), abs=1e-9)
    # the mixture's median lies between its components' medians
    meds = np.array([f.point(3) for f in fc.fitted.fits])
    assert (meds.min(0) <= fc.point.to_numpy()).all() and (fc.point.to_numpy() <= meds.max(0)).all()


@pytest.mark.parametrize("kwargs, match", [
    ({"model": "prophet"}, "model"),
    ({"horizon": 0}, "horizon"),
    ({"horizon": -2}, "horizon"),
    ({"n_paths": 0}, "n_paths"),
    ({"transform": "sqrt"}, "transform"),
])
def test_bad_parameters_raise_parameter_error(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        forecast(LINE, **kwargs)


def test_date_index_is_a_clear_parameter_error_not_a_huge_allocation():
    dated = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2018", "2019", "2020"]))
    with pytest.raises(ParameterError, match="integer years"):
        forecast(dated, "naive", horizon=1, n_paths=10)
    with pytest.raises(ParameterError, match="integer years"):
        forecast(pd.Series([1.0, 2.0, 3.0], index=[2018, 2019, 10 ** 12]), "naive", n_paths=10)


def test_non_numeric_value_is_an_error_not_a_silent_gap():
    bad = pd.Series([1.0, "n/a", 3.0, 4.0], index=[2018, 2019, 2020, 2021], dtype=object)
    with pytest.raises(ParameterError, match="2019"):
        forecast(bad, "naive", n_paths=10)
    gap = pd.Series([1.0, None, 3.0, 4.0], index=[2018, 2019, 2020, 2021], dtype=object)
    assert forecast(gap, "naive", n_paths=10).history.index.tolist() == [2018, 2020, 2021]


def test_too_few_observations_raise_insufficient_data():
    with pytest.raises(InsufficientDataError, match="at least 6"):
        forecast(_series([1.0, 2.0, 3.0], [2020, 2021, 2022]), "ets")
    with pytest.raises(InsufficientDataError):
        forecast(LINE, "naive", as_of=2010)


def test_models_min_obs_and_help_are_derived_from_the_registry():
    assert MODELS == tuple(REGISTRY)
    assert MIN_OBS == {name: m.min_obs for name, m in REGISTRY.items()}
    assert {"naive", "drift", "logdrift", "ets", "theta", "arima", "combination", "select"} <= set(MODELS)
    assert all(f"{name}:" in model_help() for name in MODELS)
    assert InsufficientDataError is ErrorsInsufficientDataError


def test_naive_point_is_exactly_the_last_value_not_a_path_median():
    # issue 9: the sample median of 2000 paths drifted ~2.8% from the last value at h = 6
    s = _series([100.0, 130.0, 90.0, 140.0, 80.0, 120.0], list(range(2015, 2021)))
    fc = forecast(s, "naive", horizon=6, n_paths=2000, seed=4)
    assert fc.point.to_numpy() == pytest.approx(np.full(6, 120.0), rel=1e-12)  # exp(log(120))
    assert np.median(fc.paths.loc[2026]) != pytest.approx(120.0, rel=1e-6)  # the paths' median is not


@pytest.mark.parametrize("model", ["naive", "drift", "logdrift", "linear", "loglinear", "ets", "theta",
                                   "combination"])
def test_exact_median_and_quantiles_agree_with_the_simulated_paths(model):
    s = _rw(8, n=11) + 50
    fc = forecast(s, model, horizon=3, n_paths=40000, seed=5)
    paths = fc.paths.to_numpy()
    for year, (lo80, hi80) in zip(fc.intervals.index, fc.intervals[["lo80", "hi80"]].to_numpy()):
        row = fc.paths.loc[year].to_numpy()
        # share of paths below each exact quantile: binomial s.e. at n = 40000 is <= 0.0025
        assert np.mean(row <= fc.point[year]) == pytest.approx(0.5, abs=0.012)
        assert np.mean(row <= lo80) == pytest.approx(0.1, abs=0.008)
        assert np.mean(row <= hi80) == pytest.approx(0.9, abs=0.008)
    assert paths.shape == (3, 40000)


def test_signed_rate_forecasts_in_original_units_without_clipping():
    cpi = _series([2.0, 2.9, 2.5, 0.9, 0.2, -0.8, 0.2], list(range(2017, 2024)), unit="% yoy")
    for model in ("auto", "naive", "theta", "drift"):
        fc = forecast(cpi, model, horizon=2, n_paths=2000)
        assert fc.domain.kind == "rate" and fc.transform == "none"
        assert "domain: rate" in fc.note
        assert (fc.paths < 0).any().any() and fc.params["n_clipped"] == 0


def test_domain_argument_decides_scale_and_bounds():
    gross = _series([88.0, 91.0, 95.0, 99.0, 102.0, 104.0], list(range(2016, 2022)), unit="%")
    fc = forecast(gross, "logdrift", horizon=10, n_paths=2000, domain={"kind": "share", "upper": 120})
    assert fc.transform == "logit" and fc.domain.upper == 120
    assert (fc.paths < 120).all().all() and (fc.paths > 100).any().any()
    counts = _series([5.0, 6.0, 7.0, 8.0], list(range(2018, 2022)))
    assert forecast(counts, "naive", n_paths=10, domain="count").transform == "log"
    assert forecast(counts, "naive", n_paths=10, domain="real").transform == "none"
    with pytest.raises(ParameterError, match="outside the domain"):
        forecast(_series([1.0, -2.0, 3.0], [2019, 2020, 2021]), "naive", domain="count")


def test_summary_frame_any_levels_and_prob_comparators():
    s = _series([10.0, 12.0, 11.0, 13.0, 12.0, 14.0], list(range(2016, 2022)))
    fc = forecast(s, "naive", horizon=2, n_paths=20000, seed=9, domain="real")
    sf = fc.summary_frame(levels=(50, 80, 99))
    assert list(sf.columns) == ["point", "lo50", "hi50", "lo80", "hi80", "lo99", "hi99"]
    assert sf[["lo80", "hi80"]].to_numpy() == pytest.approx(fc.intervals[["lo80", "hi80"]].to_numpy())
    assert (sf["lo99"] < sf["lo80"]).all() and (sf["lo80"] < sf["lo50"]).all()
    hi50 = sf.loc[2023, "hi50"]
    assert fc.prob(">", hi50, 2023) == pytest.approx(0.25, abs=0.015)
    assert fc.prob("<=", hi50, 2023) == pytest.approx(0.75, abs=0.015)
    assert fc.prob(">=", 14.0, 2021) == 1.0 and fc.prob("<", 14.0, 2021, strict=True) == 0.0
    assert fc.prob("<", 14.0, 2021) == 1.0  # '<' is the plan's 以下 (at most) unless strict, as everywhere
    with pytest.raises(ParameterError, match="comparator"):
        fc.prob("==", 1.0, 2022)
    with pytest.raises(ParameterError, match="levels"):
        fc.summary_frame(levels=(100,))


def test_docstring_examples():
    import doctest
    import importlib

    for name in ("plananalysis.models", "plananalysis.models.base", "plananalysis.models.simple",
                 "plananalysis.models.smoothing", "plananalysis.models.arima", "plananalysis.models.ensemble",
                 "plananalysis.models.scale", "plananalysis.models.validation", "plananalysis.models.accuracy",
                 "plananalysis.models.core", "plananalysis.backtesting", "plananalysis.errors"):
        result = doctest.testmod(importlib.import_module(name))
        assert result.failed == 0, name
        assert result.attempted > 0, name


def test_cli_model_help_comes_from_the_registry_and_loads_it_lazily(capsys):
    import subprocess
    import sys

    from plananalysis.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["assess", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert all(f"{name}:" in out for name in MODELS)
    code = ("import sys; from plananalysis.cli import build_parser; build_parser(); "
            "print('plananalysis.models' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
