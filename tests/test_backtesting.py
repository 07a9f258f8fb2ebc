"""Tests for plananalysis.backtesting: rolling origins, metrics, calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from plananalysis.backtesting import BACKTEST_COLUMNS, backtest, summarize
from plananalysis.study import compare_models
from plananalysis.errors import ParameterError


def _trend_noise(seed, n=13, sigma=2.0):
    rng = np.random.default_rng(seed)
    years = np.arange(2010, 2010 + n)
    return pd.Series(50 + 3.0 * np.arange(n) + rng.normal(0, sigma, n), index=years)


def test_rows_origins_and_horizons_on_a_gapped_series():
    s = _trend_noise(0).drop([2016])
    bt = backtest(s, models=["naive", "drift"], horizons=[1, 2], min_train=8, fit_start=2000)
    assert list(bt.columns) == BACKTEST_COLUMNS
    # training sets of >= 8 obs end at 2018, 2019, 2020, 2021; scored only on observed years
    assert sorted(bt["origin"].unique()) == [2018, 2019, 2020, 2021]
    assert set(bt["year"] - bt["origin"]) == {1, 2}
    assert not (bt["year"] == 2016).any()
    row = bt[(bt.model == "naive") & (bt.origin == 2020) & (bt.horizon == 2)].iloc[0]
    assert row["actual"] == pytest.approx(s[2022])
    assert row["forecast"] == pytest.approx(s[2020], rel=1e-12)  # naive: the exact median is the last value


def test_common_origins_use_the_largest_minimum():
    s = _trend_noise(1, n=9)
    bt = backtest(s, models=["naive", "ets"], horizons=[1], min_train=3, fit_start=2000)
    origins = bt.groupby("model")["origin"].apply(lambda o: tuple(sorted(set(o))))
    assert origins["naive"] == origins["ets"]
    assert bt["origin"].min() == 2015  # ets needs 6 observations: 2010..2015


def test_summarize_hand_computed():
    bt = pd.DataFrame({"model": ["m", "m"], "actual": [10.0, 20.0], "forecast": [12.0, 20.0],
                       "lo80": [11.0, 19.0], "hi80": [13.0, 21.0], "lo95": [9.0, 18.0],
                       "hi95": [14.0, 22.0], "scale": [2.0, 2.0]})
    out = summarize(bt).iloc[0]
    assert out["mae"] == pytest.approx(1.0)
    assert out["rmse"] == pytest.approx(np.sqrt(2.0))
    assert out["mase"] == pytest.approx(0.5)
    assert out["smape"] == pytest.approx((200 * 2 / 22 + 0) / 2)
    assert out["coverage80"] == pytest.approx(0.5) and out["coverage95"] == pytest.approx(1.0)
    # winkler80: (2 + 10*1) and 2 -> mean 7
    assert out["winkler80"] == pytest.approx(7.0)
    assert out["winkler95"] == pytest.approx((5 + 4) / 2)


def test_interval_coverage_near_nominal_on_trend_plus_noise():
    # Linear trend + iid Gaussian noise: the linear model's Student-t predictive is
    # exact, so coverage should be nominal. 120 series x 6 forecasts, seed fixed;
    # tolerance 0.05 (about 4 standard errors for 720 forecasts at 95%).
    frames = [backtest(_trend_noise(100 + i), models=["linear"], horizons=[1, 2, 3], min_train=10,
                       fit_start=2000) for i in range(120)]
    out = summarize(pd.concat(frames)).iloc[0]
    assert out["n"] == 720
    assert abs(out["coverage80"] - 0.80) < 0.05
    assert abs(out["coverage95"] - 0.95) < 0.03


def test_removed_parameters_say_what_to_do_instead():
    s = _trend_noise(2)
    for removed in ({"n_paths": 100}, {"seed": 1}):
        with pytest.raises(ParameterError, match=f"'{next(iter(removed))}' was removed in 0.3: .*simulates nothing"):
            backtest(s, models=["naive"], horizons=[1], **removed)
    with pytest.raises(ParameterError, match="unexpected argument"):
        backtest(s, models=["naive"], horizons=[1], n_pahts=3)


def test_bad_arguments():
    s = _trend_noise(2)
    with pytest.raises(ParameterError, match="unknown model"):
        backtest(s, models=["magic"])
    with pytest.raises(ParameterError, match="horizons"):
        backtest(s, horizons=[0, 1])
    with pytest.raises(ParameterError, match="lacks columns"):
        summarize(pd.DataFrame({"x": [1]}))


def test_too_short_series_gives_empty_frame_with_columns():
    s = pd.Series([1.0, 2.0, 3.0], index=[2020, 2021, 2022])
    bt = backtest(s, models=["naive"], min_train=5)
    assert bt.empty and list(bt.columns) == BACKTEST_COLUMNS


def test_compare_models_on_bundled_data_explains_auto():
    table = compare_models(models=["naive", "drift", "theta"], horizons=[1, 2], n_paths=200)
    enr = table[table.indicator == "enrollment"].set_index("model")
    assert enr.loc["naive", "relative_mase"] == pytest.approx(1.0)
    assert enr["auto_choice"].sum() <= 1
    short = table[table.indicator == "high_skill_trained"].iloc[0]
    assert "not backtested" in short["auto_reason"]


def _scored(model, indicator, errors, inside=True):
    n = len(errors)
    return pd.DataFrame({"indicator": indicator, "model": model, "horizon": list(range(1, n + 1)),
                         "actual": 10.0, "forecast": [10.0 - e for e in errors],
                         "lo80": 9.0 if inside else 11.0, "hi80": 11.0 if inside else 12.0,
                         "lo95": 8.0, "hi95": 12.0, "scale": 1.0})


def test_relative_accuracy_against_naive_per_indicator_and_pooled():
    from plananalysis.backtesting import relative_accuracy

    bt = pd.concat([_scored("naive", "x", [2.0, 2.0]), _scored("drift", "x", [1.0, 1.0], inside=False),
                    _scored("naive", "y", [1.0, 3.0]), _scored("drift", "y", [4.0, 4.0])])
    per = relative_accuracy(bt).set_index(["indicator", "model"])
    assert per.loc[("x", "drift"), "relative_mase"] == pytest.approx(0.5)
    assert per.loc[("y", "drift"), "relative_mase"] == pytest.approx(2.0)
    assert per.loc[("x", "naive"), "relative_mase"] == 1.0
    assert per.loc[("x", "drift"), "coverage80_gap"] == pytest.approx(-0.8)
    assert per.loc[("x", "naive"), "coverage95_gap"] == pytest.approx(0.05)
    pooled = relative_accuracy(bt, by=("model",)).set_index("model")
    assert pooled.loc["drift", "relative_mase"] == pytest.approx(2.5 / 2.0)
    by_h = relative_accuracy(bt, by=("model", "horizon")).set_index(["model", "horizon"])
    assert by_h.loc[("drift", 1), "relative_mase"] == pytest.approx(2.5 / 1.5)


def test_relative_accuracy_without_baseline_or_rows():
    from plananalysis.backtesting import relative_accuracy

    out = relative_accuracy(_scored("drift", "x", [1.0]))
    assert out["relative_mase"].isna().all()
    empty = relative_accuracy(pd.DataFrame(columns=BACKTEST_COLUMNS))
    assert empty.empty and "relative_mase" in empty.columns
    with pytest.raises(ParameterError, match="must include 'model'"):
        relative_accuracy(_scored("drift", "x", [1.0]), by=("indicator",))


def test_best_models_picks_lowest_mase_per_indicator():
    from plananalysis.backtesting import best_models

    acc = pd.DataFrame({"indicator": ["y", "x", "x", "y"], "model": ["naive", "naive", "drift", "drift"],
                        "mase": [1.0, 1.0, 0.4, float("nan")]})
    assert best_models(acc)[["indicator", "model"]].values.tolist() == [["x", "drift"], ["y", "naive"]]


def test_backtest_and_select_use_the_one_cross_validate():
    from plananalysis.domain import Domain
    from plananalysis.models import CV_COLUMNS, cross_validate
    from plananalysis.models.ensemble import Select

    s = _trend_noise(3, n=12).drop([2014])
    bt = backtest(s, models=["naive", "drift", "theta"], horizons=[1, 2, 3], min_train=5, domain="real")
    need = 6  # the origins of the reference set (ets needs 6), whatever models were asked for
    cv = cross_validate(s.index, s.to_numpy(), ["naive", "drift", "theta"], horizons=[1, 2, 3], min_train=need,
                        domain=Domain("real"))
    keys = ["model", "origin", "horizon"]
    pd.testing.assert_frame_equal(bt[CV_COLUMNS].sort_values(keys).reset_index(drop=True),
                                  cv[CV_COLUMNS].sort_values(keys).reset_index(drop=True))
    info = Select().choose(s.index, s.to_numpy(), Domain("real"))
    last = cross_validate(s.index, s.to_numpy(), ["naive"], horizons=[1, 2, 3], min_train=len(s) - 3,
                          last_origins=3, domain=Domain("real"), common=False)
    by_hand = ((last["actual"] - last["forecast"]).abs() / last["scale"]).groupby(last["origin"]).mean().mean()
    assert info["mase"]["naive"] == pytest.approx(by_hand)
    assert info["origins"] == sorted(last["origin"].unique().tolist())


def test_cross_validate_uses_only_data_up_to_each_origin():
    from plananalysis.models import cross_validate

    s = _trend_noise(4, n=10)
    cv = cross_validate(s.index, s.to_numpy(), ["drift"], horizons=[1], min_train=4, domain=None)
    for _, r in cv.iterrows():
        train = s[s.index <= r["origin"]]
        slope = (train.iloc[-1] - train.iloc[0]) / (train.index[-1] - train.index[0])
        assert r["forecast"] == pytest.approx(train.iloc[-1] + slope)
        assert r["scale"] == pytest.approx(np.mean(np.abs(np.diff(train.to_numpy()))))


def test_accuracy_registry_skill_against_a_baseline_and_msis():
    from plananalysis.models import MEASURES, accuracy

    bt = pd.concat([_scored("naive", "x", [2.0, 2.0]), _scored("drift", "x", [1.0, 3.0])])
    out = accuracy(bt, by=("model",), baseline="naive").set_index("model")
    assert out.loc["drift", "mae"] == pytest.approx(2.0)
    assert out.loc["drift", "rmse"] == pytest.approx(np.sqrt(5.0))
    assert out.loc["drift", "rmse_skill"] == pytest.approx(1 - np.sqrt(5.0) / 2.0)
    assert out.loc["naive", "mase_skill"] == 0.0
    # msis95: interval [8, 12] of width 4, actual 10 inside -> 4 / scale 1
    assert out.loc["naive", "msis95"] == pytest.approx(4.0)
    assert {"mae", "smape", "coverage80", "winkler95", "msis95"} <= set(MEASURES)
    with pytest.raises(ParameterError, match="unknown measure"):
        accuracy(bt, measures=["mape2"])


def test_origins_do_not_depend_on_the_models_asked_for():
    """Page 02 backtests a few models of a series, page 04 all of them: the same forecasts either way."""
    s = _trend_noise(3, n=12).drop([2014])
    few = backtest(s, models=["naive", "drift", "auto"], horizons=[1, 2, 3], min_train=5, domain="real")
    every = backtest(s, horizons=[1, 2, 3], min_train=5, domain="real")
    keep = every[every["model"].isin(["naive", "drift", "auto"])]
    keys = ["model", "origin", "horizon"]
    pd.testing.assert_frame_equal(few.sort_values(keys).reset_index(drop=True),
                                  keep.sort_values(keys).reset_index(drop=True))
    assert summarize(few)["mase"].tolist() == summarize(keep)["mase"].tolist()
