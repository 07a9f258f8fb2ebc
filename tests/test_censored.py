"""Published bounds as censored observations (plananalysis.models.censored).

The synthetic study at the bottom is the evidence that ``bounds="censored"``
beats ``bounds="drop"``; ``python tests/test_censored.py`` prints its table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from plananalysis.comparator import consistent_with_bound
from plananalysis.errors import ParameterError
from plananalysis.models import InsufficientDataError, forecast
from plananalysis.models.censored import Bound, read_bounds, truncated_normal

C = 97.0  # the threshold the synthetic series are published against (">97")


def _frame(values, qualifiers, years, unit="%"):
    f = pd.DataFrame({"value": np.asarray(values, dtype=float), "qualifier": qualifiers},
                     index=pd.Index(years, name="year"))
    f.attrs["unit"] = unit
    return f


# the employment-rate pattern since its 2015 break: three exact figures, three '>97' bounds
EMPLOYMENT = _frame([97.4, 97.0, 97.0, 97.0, 97.2, 97.0], ["", ">", ">", ">", "", ""],
                    [2015, 2016, 2017, 2020, 2021, 2024])


# ----------------------------------------------------------------------------- unit tests


@pytest.mark.parametrize("lo, hi", [(1.5, np.inf), (-np.inf, -2.0), (-0.3, 0.1), (40.0, np.inf),
                                    (-np.inf, -40.0), (5.0, 5.5)])
def test_truncated_draws_respect_the_interval_even_far_in_the_tail(lo, hi):
    x = truncated_normal(np.zeros(2000), 1.0, lo, hi, np.random.default_rng(3))
    assert np.all(x >= lo) and np.all(x <= hi) and np.all(np.isfinite(x))
    if np.isfinite(lo) and np.isfinite(hi) and hi - lo < 1:  # a short interval is filled, not piled at an end
        assert x.std() > 0.2 * (hi - lo) / np.sqrt(12)


def test_truncated_draws_follow_the_truncated_normal():
    x = truncated_normal(np.full(20000, 1.0), 2.0, 2.0, np.inf, np.random.default_rng(0))
    ref = stats.truncnorm((2.0 - 1.0) / 2.0, np.inf, loc=1.0, scale=2.0)
    assert stats.kstest(x, ref.cdf).pvalue > 0.01
    with pytest.raises(ParameterError, match="empty"):
        truncated_normal(np.zeros(1), 1.0, 1.0, 0.0, np.random.default_rng(0))


def test_bounds_are_read_by_the_comparator_and_approximations_are_intervals():
    f = _frame([97.4, 97.0, 5.0, 3.0, 97.2], ["", ">", "~", "<=", ""], [2015, 2016, 2017, 2018, 2021])
    used, left = read_bounds(f)
    assert [b.label() for b in used] == ["2016 ≥97", "2017 ≈5", "2018 ≤3"]
    assert left == []
    assert used[1].interval() == pytest.approx((4.5, 5.5))  # within APPROX_TOLERANCE (10%)
    assert used[1].holds([4.4, 4.5, 5.5, 5.6]).tolist() == [False, True, True, False]
    assert used[1].enforce([4.0, 5.0, 6.0]).tolist() == pytest.approx([4.5, 5.0, 5.5])
    assert [b.label() for b in read_bounds(f, strict=True)[0]] == ["2016 >97", "2017 ≈5", "2018 ≤3"]
    assert [b.year for b in read_bounds(f, fit_start=2017, as_of=2017)[0]] == [2017]
    assert [b.year for b in read_bounds(f, fit_start=2019, as_of=2021)[0]] == []
    assert read_bounds(f["value"]) == ([], [])
    assert Bound(2016, ">", 97.0).holds([96.9, 97.0, 97.1]).tolist() == [False, True, True]
    near = [97.0 - 1e-14, 97.0, 97.5]  # a back-transform may round across the bound
    assert Bound(2016, ">", 97.0).enforce(near).tolist() == [97.0, 97.0, 97.5]
    assert (Bound(2016, ">", 97.0, strict=True).enforce(near) > 97.0).all()
    assert (Bound(2016, "<", 3.0, strict=True).enforce([3.0, 2.0]) < 3.0).all()


@pytest.mark.parametrize("model", ["naive", "drift", "linear", "auto"])
def test_imputed_bounded_years_respect_their_bounds_in_every_path(model):
    f = _frame([97.4, 97.0, 96.0, 97.0, 97.2, 97.0, 97.1], ["", ">", "<", ">", "", "", ""],
               [2015, 2016, 2017, 2020, 2021, 2022, 2024])
    fc = forecast(f, model, n_paths=600, seed=2, bounds="censored", domain="share", n_imputations=8)
    for year, q, b in [(2016, ">", 97.0), (2017, "<", 96.0), (2020, ">", 97.0)]:
        draws = fc.gap_paths.loc[year].to_numpy()
        assert consistent_with_bound(draws, q, b).all(), year
        assert fc.prob(q, b, year) == 1.0
    assert fc.gap_paths.loc[2016].nunique() > 1  # the imputations vary: their uncertainty reaches the paths
    assert list(fc.gap_paths.index) == [2016, 2017, 2018, 2019, 2020, 2023]
    assert list(fc.history.index) == [2015, 2021, 2022, 2024]  # history stays the exact figures


@pytest.mark.parametrize("model", ["naive", "drift", "auto"])
def test_an_approximation_is_an_interval_observation(model):
    # a derived '~' figure between exact years: imputed within 10% in every path, never taken as exact
    years = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]
    values = [322.0, 323.0, 338.0, 341.0, 360.3, 395.5, 426.7, 445.0, 439.9, 428.7]
    quals = ["", "", "", "", "", "", "", "", "~", ""]
    fc = forecast(_frame(values, quals, years, unit="万人"), model, horizon=1, n_paths=400, seed=0,
                  domain="count", bounds="censored", n_imputations=10)
    draws = fc.gap_paths.loc[2023].to_numpy()
    assert ((draws >= 439.9 * 0.9) & (draws <= 439.9 * 1.1)).all() and np.unique(draws).size > 1
    assert fc.params["bounds"]["read_as"] == ["2023 ≈439.9"]
    assert 2023 not in fc.history.index  # the history stays the exact figures
    far = forecast(_frame(values[:8] + [600.0, 428.7], quals, years, unit="万人"), model, horizon=1,
                   n_paths=400, seed=0, domain="count", bounds="censored", n_imputations=10)
    assert far.gap_paths.loc[2023].min() >= 540.0  # the interval binds: the figure carries information


@pytest.mark.parametrize("model", ["logdrift", "loglinear", "theta", "ets", "select"])
def test_every_model_augments_leading_and_interior_bounds(model):
    years = [2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021]
    values = [40.0, 45.0, 44.0, 47.0, 52.0, 50.0, 55.0, 56.0, 58.0, 61.0]
    quals = [">", "", "", "", "<=", "", "", "", "", ""]  # 2012 at least 40 (before the first exact year)
    fc = forecast(_frame(values, quals, years, unit="万人"), model, horizon=2, n_paths=400, seed=0,
                  domain="count", bounds="censored", n_imputations=10)
    assert consistent_with_bound(fc.gap_paths.loc[2012].to_numpy(), ">", 40.0).all()
    assert consistent_with_bound(fc.gap_paths.loc[2016].to_numpy(), "<=", 52.0).all()
    assert np.isfinite(fc.paths.to_numpy()).all() and (fc.paths.to_numpy() > 0).all()
    lo, hi = fc.intervals.loc[2023, ["lo95", "hi95"]]
    assert lo < fc.point[2023] < hi and 45.0 < fc.point[2023] < 90.0
    assert fc.params["bounds"]["years"] == [2012, 2016]


@pytest.mark.parametrize("model", ["naive", "drift", "logdrift", "linear", "theta", "ets", "auto", "select"])
def test_default_drop_leaves_every_number_unchanged(model):
    rng = np.random.default_rng(11)
    years = list(range(2010, 2022))
    values = 60 + np.cumsum(rng.normal(0.5, 1.0, len(years)))
    quals = ["", "", ">", "", "", ">", "", "~", "", "", "", ""]
    f = _frame(values, quals, years)
    base = forecast(f, model, horizon=3, n_paths=500, seed=4, domain="share")
    for other in (forecast(f, model, horizon=3, n_paths=500, seed=4, domain="share", bounds="drop"),
                  forecast(f, model, horizon=3, n_paths=500, seed=4, domain="share", bounds="drop",
                           strict=True, n_imputations=3)):
        pd.testing.assert_frame_equal(base.paths, other.paths)
        pd.testing.assert_frame_equal(base.gap_paths, other.gap_paths)
        pd.testing.assert_frame_equal(base.intervals, other.intervals)
        pd.testing.assert_series_equal(base.point, other.point)
        assert base.note == other.note and "bounded observations excluded from the fit" in base.note
        assert base.params == other.params and "bounds" not in base.params


def test_censored_without_bounds_is_the_plain_fit():
    s = pd.Series([10.0, 12.0, 11.0, 13.0, 12.0], index=range(2017, 2022))
    a = forecast(s, "auto", horizon=2, n_paths=400, seed=1)
    b = forecast(s, "auto", horizon=2, n_paths=400, seed=1, bounds="censored")
    pd.testing.assert_frame_equal(a.paths, b.paths)
    assert a.note == b.note


def test_note_and_params_say_how_the_bounds_were_used():
    fc = forecast(EMPLOYMENT, "auto", target_year=2025, n_paths=800, seed=0, domain="share",
                  bounds="censored", n_imputations=12)
    assert "bounds used as censored observations (2016 ≥97, 2017 ≥97, 2020 ≥97)" in fc.note
    assert "data augmentation" in fc.note and "12 completed series" in fc.note
    assert "excluded from the fit" not in fc.note
    info = fc.params["bounds"]
    assert info["M"] == 12 and info["years"] == [2016, 2017, 2020]
    assert all(v["q10"] >= 97.0 for v in info["imputed"].values())
    assert fc.params["n_obs"] == 3 and fc.params["n_censored"] == 3
    assert fc.params["components"] == ["drift", "naive"]  # chosen on the 3 exact figures, as when dropped
    assert list(fc.point.index) == [2025]


def test_same_seed_same_numbers_when_censored():
    a = forecast(EMPLOYMENT, "auto", horizon=2, n_paths=300, seed=5, domain="share", bounds="censored")
    b = forecast(EMPLOYMENT, "auto", horizon=2, n_paths=300, seed=5, domain="share", bounds="censored")
    pd.testing.assert_frame_equal(a.paths, b.paths)
    pd.testing.assert_frame_equal(a.gap_paths, b.gap_paths)


def test_a_trailing_bound_extends_the_span_and_sits_in_gap_paths():
    f = _frame([97.4, 97.3, 97.1, 97.0], ["", "", "", ">"], [2018, 2019, 2020, 2022])
    fc = forecast(f, "naive", target_year=2024, n_paths=500, seed=0, domain="share", bounds="censored")
    assert list(fc.point.index) == [2023, 2024]
    assert fc.prob(">=", 97.0, 2022) == 1.0
    assert fc.point[2023] >= 97.0  # the level starts from the bounded year, not from 97.1 in 2020
    drop = forecast(f, "naive", target_year=2024, n_paths=500, seed=0, domain="share")
    assert list(drop.point.index) == [2021, 2022, 2023, 2024]


def test_only_bounds_and_too_few_exact_values_still_raise_insufficient_data():
    f = _frame([97.4, 97.0, 97.0, 97.0, 97.0], ["", ">", ">", ">", ">"], range(2015, 2020))
    for bounds in ("drop", "censored"):
        with pytest.raises(InsufficientDataError, match="needs at least 3 exact observations") as err:
            forecast(f, "drift", n_paths=100, bounds=bounds)
        assert err.value.n_obs == 1
    only = _frame([97.0, 97.0, 97.0], [">", ">", ">"], range(2015, 2018))
    with pytest.raises(InsufficientDataError, match="no exact observations"):
        forecast(only, "naive", n_paths=100, bounds="censored")


def test_bad_bounds_arguments_are_parameter_errors():
    with pytest.raises(ParameterError, match="bounds must be one of"):
        forecast(EMPLOYMENT, "naive", bounds="tobit")
    with pytest.raises(ParameterError, match="n_imputations"):
        forecast(EMPLOYMENT, "naive", bounds="censored", n_imputations=0)
    count = _frame([5.0, 0.0, 6.0, 7.0], ["", "<", "", ""], [2015, 2016, 2017, 2018], unit="万人")
    with pytest.raises(ParameterError, match="2016 ≤0 leaves no value inside the domain"):
        forecast(count, "naive", bounds="censored", domain="count")


def test_docstring_examples():
    import doctest

    import plananalysis.models.censored as mod

    result = doctest.testmod(mod)
    assert result.failed == 0 and result.attempted > 0


# ----------------------------------------------------------------------------- synthetic evidence


def simulate(rng, dgp, n_years=8, bound_years=None):
    """One series with known truth, 3-4 of its years published only as '>97'.

    ``rw``: a random walk (sigma 0.4) started near 97; ``ar1``: AR(1) with
    phi 0.6 and sigma 0.4 around the level 97.3. A year is published as
    '>97' when its value is at least 97 (the statistical body's practice),
    among ``bound_years`` (positions; default every year after the first);
    series with fewer than 3 or more than 4 such years are redrawn. Returns
    the published frame, the true conditional mean and s.d. of the value two
    years after the last published year, and that value.
    """
    years = np.arange(2015, 2015 + n_years + 2)
    cand = np.arange(1, n_years) if bound_years is None else np.asarray(bound_years)
    while True:
        if dgp == "rw":
            y = C + rng.uniform(-0.4, 0.8) + np.cumsum(np.r_[0.0, 0.4 * rng.standard_normal(len(years) - 1)])
            mean2, sd2 = y[n_years - 1], 0.4 * np.sqrt(2.0)
        else:
            phi, lev = 0.6, C + 0.3
            y = np.empty(len(years))
            y[0] = lev + 0.4 / np.sqrt(1 - phi ** 2) * rng.standard_normal()
            for i in range(1, len(years)):
                y[i] = lev + phi * (y[i - 1] - lev) + 0.4 * rng.standard_normal()
            mean2, sd2 = lev + phi ** 2 * (y[n_years - 1] - lev), 0.4 * np.sqrt(1 + phi ** 2)
        bounded = np.zeros(n_years, dtype=bool)
        bounded[cand] = y[cand] >= C
        if 3 <= bounded.sum() <= 4:
            break
    frame = _frame(np.where(bounded, C, y[:n_years]), np.where(bounded, ">", ""), years[:n_years], unit=None)
    return frame, mean2, sd2, y[n_years + 1]


def study(dgp, model, reps, seed, bound_years=None, n_paths=1000, n_imputations=20):
    """Mean errors of both methods over ``reps`` series: P vs truth, Brier, |median - true median|, 80% cover.

    ``n_imputations=20`` (not the default 100) keeps the study fast; fewer
    imputations only add Monte-Carlo noise to the censored fit.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(reps):
        frame, mean2, sd2, outcome = simulate(rng, dgp, bound_years=bound_years)
        T = int(frame.index[-1]) + 2
        p_true = float(stats.norm.sf(C, mean2, sd2))
        met = float(outcome >= C)
        row = {"oracle_brier": (p_true - met) ** 2}
        for method in ("drop", "censored"):
            fc = forecast(frame, model, n_paths=n_paths, seed=r, target_year=T, domain="real", bounds=method,
                          n_imputations=n_imputations)
            p = fc.prob(">=", C, T)
            lo, hi = fc.intervals.loc[T, ["lo80", "hi80"]]
            row.update({f"{method}_mae_p": abs(p - p_true), f"{method}_brier": (p - met) ** 2,
                        f"{method}_ae_median": abs(float(fc.point[T]) - mean2),
                        f"{method}_cover80": float(lo <= outcome <= hi)})
        rows.append(row)
    return pd.DataFrame(rows).mean()


def test_censored_beats_dropped_on_random_walks_published_as_bounds_when_high():
    res = study("rw", "naive", reps=150, seed=20261204)
    # the probability: mean |P - true P| and Brier against the simulated outcome
    assert res["censored_mae_p"] < 0.12 and res["drop_mae_p"] < 0.30
    assert res["censored_mae_p"] <= res["drop_mae_p"] - 0.08
    assert res["censored_brier"] <= res["drop_brier"] - 0.04
    assert res["censored_brier"] <= res["oracle_brier"] + 0.05
    # the level: the exact median two years ahead against the true conditional median
    assert res["censored_ae_median"] < 0.25
    assert res["censored_ae_median"] <= res["drop_ae_median"] - 0.08
    assert abs(res["censored_cover80"] - 0.80) <= 0.08  # the intervals stay honest


def test_censored_beats_dropped_on_ar1_series_with_the_default_model():
    res = study("ar1", "auto", reps=100, seed=20261205)
    assert res["censored_mae_p"] < 0.25 and res["drop_mae_p"] < 0.45
    assert res["censored_mae_p"] <= res["drop_mae_p"] - 0.10
    assert res["censored_brier"] <= res["drop_brier"] - 0.06
    assert res["censored_ae_median"] <= res["drop_ae_median"] - 0.05
    assert res["censored_cover80"] >= res["drop_cover80"] + 0.10


def test_interior_bounds_between_exact_years_do_no_harm():
    """The employment-rate pattern (bounds inside, the last year exact) carries little information: no harm."""
    res = study("rw", "naive", reps=100, seed=20261206, bound_years=[1, 2, 5])
    assert res["censored_mae_p"] < 0.06 and res["drop_mae_p"] < 0.06
    assert res["censored_mae_p"] <= res["drop_mae_p"] + 0.01
    assert res["censored_brier"] <= res["drop_brier"] + 0.01


if __name__ == "__main__":  # the table for the report: python tests/test_censored.py
    cases = [("rw", "naive", 150, 20261204, None, "any year"), ("ar1", "auto", 100, 20261205, None, "any year"),
             ("rw", "naive", 100, 20261206, [1, 2, 5], "2016,2017,2020"),
             ("rw", "naive", 150, 1, list(range(1, 7)), "not the last"),
             ("ar1", "auto", 100, 1, list(range(1, 7)), "not the last")]
    table = pd.DataFrame({f"{d}/{m}/{where}": study(d, m, n, s, b) for d, m, n, s, b, where in cases})
    print(table.round(3).to_string())
