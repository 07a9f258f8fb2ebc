"""Known-answer tests for plananalysis.models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plananalysis.errors import ParameterError
from plananalysis.models import (
    MODELS, InsufficientDataError, _holt_filter, choose_auto, forecast,
)


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


def test_noiseless_geometric_series_loglinear_and_drift_continue_growth():
    s = _series([50.0 * 1.1 ** i for i in range(6)], list(range(2016, 2022)))
    for model in ("loglinear", "drift"):
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
    fc = forecast(s, "drift" if drift else "naive", horizon=h, n_paths=n, seed=3,
                  transform="none", fit_start=2000)
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
    a = forecast(s, "ets", horizon=3, n_paths=500, seed=7, fit_start=2000)
    b = forecast(s, "ets", horizon=3, n_paths=500, seed=7, fit_start=2000)
    c = forecast(s, "ets", horizon=3, n_paths=500, seed=8, fit_start=2000)
    pd.testing.assert_frame_equal(a.paths, b.paths)
    assert not np.allclose(a.paths.to_numpy(), c.paths.to_numpy())


def test_percentages_stay_inside_0_100_and_counts_stay_positive():
    pct = _series([97.0, 98.5, 99.2, 99.6, 99.8, 99.9], list(range(2015, 2021)), unit="%")
    fc = forecast(pct, "drift", horizon=10, n_paths=2000)
    assert fc.transform == "logit"
    assert ((fc.paths > 0) & (fc.paths < 100)).all().all()
    cnt = _series([10.0, 5.0, 2.0, 1.0, 0.5], list(range(2015, 2020)))
    assert (forecast(cnt, "drift", horizon=10, n_paths=2000).paths > 0).all().all()
    lin = forecast(cnt, "linear", horizon=10, n_paths=2000)
    assert (lin.paths >= 0).all().all() and lin.params["n_clipped"] > 0


def test_percentage_at_100_is_modelled_in_points_not_an_error():
    # 100 % passes data validation, so it must not crash forecast (the logit of 1 is infinite)
    pct = _series([97.0, 98.0, 99.0, 100.0, 99.5, 100.0, 99.8, 100.0], list(range(2015, 2023)), unit="%")
    for model in ("auto", "drift", "ets"):
        fc = forecast(pct, model, horizon=3, n_paths=2000)
        assert fc.transform == "none"
        assert ((fc.paths >= 0) & (fc.paths <= 100)).all().all()
        assert "0 or 100" in fc.note
    with pytest.raises(ParameterError, match="logit"):
        forecast(pct, "drift", transform="logit")


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


def test_fit_window_is_the_whole_series_unless_given_and_bounds_excluded_from_frames():
    frame = pd.DataFrame({"value": [1.0, 2.0, 97.0, 4.0, 5.0, 6.0],
                          "qualifier": ["", "", ">", "", "", ""]},
                         index=pd.Index([2012, 2015, 2016, 2017, 2018, 2019], name="year"))
    fc = forecast(frame, "drift", horizon=1, n_paths=50)
    assert fc.history.index.tolist() == [2012, 2015, 2017, 2018, 2019]
    assert "2016 >97" in fc.note
    fc = forecast(frame, "drift", horizon=1, n_paths=50, fit_start=2015)
    assert fc.history.index.tolist() == [2015, 2017, 2018, 2019] and "2015" in fc.note


def test_holt_filter_matches_statsmodels_holt_with_known_parameters():
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    y = np.array([3.0, 3.4, 3.9, 4.1, 4.8, 5.0, 5.6, 5.9])
    a, b, phi, l0, b0 = 0.6, 0.2, 0.9, 2.8, 0.3
    res = ExponentialSmoothing(y, trend="add", damped_trend=True, initialization_method="known",
                               initial_level=l0, initial_trend=b0).fit(
        smoothing_level=a, smoothing_trend=b, damping_trend=phi, optimized=False)
    # statsmodels' smoothing_trend b is beta* of the component form; the
    # error-correction form used here has beta = alpha * beta*.
    errs, lvl, trd = _holt_filter(y, a, a * b, phi, l0, b0)
    assert errs == pytest.approx(y - res.fittedvalues, abs=1e-10)
    assert lvl + phi * trd == pytest.approx(res.forecast(1)[0], abs=1e-10)


def test_auto_falls_back_on_short_series_and_backtests_long_ones():
    short = forecast(_series([1.0, 2.0, 2.5], [2019, 2020, 2021]), "auto", horizon=1, n_paths=50)
    assert short.model == "naive" and "fallback" in short.note
    assert short.params["auto"]["chosen"] == "naive"
    fc = forecast(LINE, "auto", horizon=1, n_paths=50)
    assert fc.model == "linear"  # the only candidate with zero error on a straight line
    assert fc.params["auto"]["mase"]["linear"] == pytest.approx(0.0, abs=1e-9)
    assert len(fc.params["auto"]["origins"]) == 3


def test_choose_auto_reports_every_candidate():
    info = choose_auto(LINE.index, LINE.to_numpy(), "log")
    assert set(info["mase"]) == {"naive", "drift", "linear", "loglinear", "theta"}
    assert "needs 6" in info["ineligible"]["ets"]  # 8 obs -> smallest training set 5
    s = _rw(6, n=10)
    info = choose_auto(s.index, s.to_numpy(), "log")
    assert set(info["mase"]) == {"naive", "drift", "linear", "loglinear", "theta", "ets"}
    assert info["chosen"] == min(info["mase"], key=info["mase"].get)


@pytest.mark.parametrize("model", ["ets", "theta", "arima"])
def test_state_models_tolerate_gaps(model):
    s = _rw(4, n=12).drop([2016, 2020])
    fc = forecast(s, model, horizon=2, n_paths=300, fit_start=2000)
    assert fc.paths.shape == (2, 300)
    assert fc.gap_paths.index.tolist() == [2016, 2020]
    assert np.isfinite(fc.paths.to_numpy()).all()


def test_combination_pools_three_models():
    fc = forecast(_rw(5), "combination", horizon=2, n_paths=301, fit_start=2000)
    assert fc.params["pooled"] == ["ets", "arima", "theta"]
    assert fc.paths.shape == (2, 301)


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
    assert forecast(gap, "naive", n_paths=10, fit_start=2000).history.index.tolist() == [2018, 2020, 2021]


def test_too_few_observations_raise_insufficient_data():
    with pytest.raises(InsufficientDataError, match="at least 6"):
        forecast(_series([1.0, 2.0, 3.0], [2020, 2021, 2022]), "ets")
    with pytest.raises(InsufficientDataError):
        forecast(LINE, "naive", as_of=2010)


def test_models_tuple_lists_every_concrete_model():
    assert MODELS == ("naive", "drift", "linear", "loglinear", "ets", "arima", "theta", "combination")


@pytest.mark.parametrize("model", ["ets", "theta", "drift", "loglinear"])
def test_auto_point_path_is_the_median_of_the_paths(model):
    from plananalysis.models import _point_path

    s = _rw(8, n=11) + 50
    fc = forecast(s, model, horizon=3, n_paths=20000, fit_start=2000, transform="none")
    t, z = s.index.to_numpy(), s.to_numpy()
    assert fc.point.to_numpy() == pytest.approx(_point_path(model, t, z, 3), rel=0.01)


def test_docstring_examples():
    import doctest
    import importlib

    for name in ("plananalysis.models", "plananalysis.backtesting"):
        assert doctest.testmod(importlib.import_module(name)).failed == 0
