"""Calibration of P(meet) on the reference class: behaviour, leakage, stored fit."""

import json

import numpy as np
import pandas as pd
import pytest

from plananalysis import calibration as cal
from plananalysis.errors import DataError, ParameterError


@pytest.fixture(scope="module")
def cases():
    return cal.reference_cases(cal.default_reference_dir(), n_paths=cal.REFERENCE_N_PATHS, seed=0)


@pytest.fixture(scope="module")
def model():
    return cal.load_calibration()


def _row(**kw):
    row = {"indicator": "x", "p_trend": 0.4, "projected_median": 95.0, "projected_lo80": 93.0,
           "projected_hi80": 97.0, "target": 96.0, "comparator": ">=", "target_year": 2025,
           "latest_year": 2024, "cumulative": False, "unit": "%", "status": "at risk"}
    if "p_meet" in kw:  # an engine row: p_meet is the trend probability
        del row["p_trend"]
    row.update(kw)
    return row


# ------------------------------------------------------------------ reference cases
def test_reference_cases_are_all_assessed_by_the_engine(cases):
    assert len(cases) == 100 and int((~cases["outcome_met"]).sum()) == 29
    assert set(cases["engine"]) == {"assess"} and (cases["unsupported_reason"] == "").all()
    assert cases["p_trend"].between(0, 1).all()
    by = cases.set_index("case")
    assert by.loc["energy_fyp12", "aggregation"] == "compound_decline" and by.loc["jobs_rs12", "aggregation"] == "sum"
    assert by.loc["gdp_gwr2014", "domain"] == "rate" and by.loc["higher_ed_ger_fyp14", "domain"] == "share"
    assert cases.attrs["engine"]["n_paths"] == cal.REFERENCE_N_PATHS
    assert by.loc["gdp_fyp12", "aggregation"] == "mean_growth" and by.loc["caac_pax_caac2021", "domain"] == "count"


def test_one_shock_is_one_plan_group(cases):
    # README case 12: the CAAC 2021 and 2022 targets were missed together (COVID): one fold, one cluster
    by = cases.set_index("case")
    assert by.loc["caac_pax_caac2021", "plan_group"] == by.loc["caac_ttk_caac2022", "plan_group"]
    assert by.loc["caac_pax_caac2023", "plan_group"] != by.loc["caac_pax_caac2021", "plan_group"]
    assert by.loc["gdp_gwr2014", "plan_group"] == "GWR2014"  # an undeclared section is its own group


def test_a_case_the_engine_rejects_is_reported_with_its_reason(tmp_path):
    import shutil

    src = cal.default_reference_dir()
    for name in ("targets.csv", "plan.yaml"):
        shutil.copy(src / name, tmp_path / name)
    series = pd.read_csv(src / "series.csv", dtype=str, keep_default_na=False)
    series = series[(series["indicator"] != "grain_output") | (series["year"] == "2024")]  # one point only
    series.to_csv(tmp_path / "series.csv", index=False)
    targets = pd.read_csv(src / "targets.csv", dtype=str, keep_default_na=False)
    targets[targets["series"] == "grain_output"].to_csv(tmp_path / "targets.csv", index=False)
    cases = cal.reference_cases(tmp_path, n_paths=200)
    assert len(cases) == 2 and set(cases["engine"]) == {"unsupported"}
    assert cases["unsupported_reason"].str.len().gt(0).all() and cases["p_trend"].isna().all()


def test_a_two_sided_case_without_tolerance_is_unsupported_with_its_reason(tmp_path):
    import shutil

    src = cal.default_reference_dir()
    for name in ("targets.csv", "series.csv"):
        shutil.copy(src / name, tmp_path / name)
    yaml_text = (src / "plan.yaml").read_text(encoding="utf-8").replace("tolerance: {cpi_gwr2025: 0.5}", "")
    (tmp_path / "plan.yaml").write_text(yaml_text, encoding="utf-8")
    targets, _ = cal.load_reference_class(tmp_path)
    row = targets.set_index("indicator").loc["cpi_gwr2025"].to_dict() | {"indicator": "cpi_gwr2025"}
    assert "without a tolerance" in cal.unsupported_reason(row)
    assert cal.unsupported_reason(targets.iloc[0].to_dict()) == ""


def test_cases_are_assessed_only_with_data_up_to_as_of(cases):
    row = cases.set_index("case").loc["zhongzhi_xdzj2014"]
    assert row["latest_year"] <= row["as_of"] == 2013


def test_missing_reference_files_are_errors(tmp_path):
    with pytest.raises(DataError, match="targets.csv: file not found"):
        cal.load_reference_class(tmp_path)


# ------------------------------------------------------------------ stored fit
def test_stored_reference_cases_equal_a_fresh_engine_run(cases):
    assert cal.cases_to_csv(cases) == cal.STORED_CASES.read_text(encoding="utf-8"), (
        "stored reference cases are stale: run `make calibration` (plananalysis calibrate refit --out DIR)")
    loaded = cal.load_reference_cases()
    assert len(loaded) == len(cases) and loaded["outcome_met"].dtype == bool
    a = cal.evaluate(loaded, "plan", n_boot=50, nested=False)["scores"]
    b = cal.evaluate(cases, "plan", n_boot=50, nested=False)["scores"]
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


def test_stored_coefficients_equal_a_fresh_fit(cases, model):
    fresh = cal.fit_calibration(cases)
    pd.testing.assert_frame_equal(fresh.coefficients, model.coefficients, atol=1e-8, check_exact=False)
    assert fresh.base_rate == pytest.approx(model.base_rate)
    assert fresh.info["cases"] == model.info["cases"]


def test_json_round_trip_predicts_the_same(model):
    again = cal.CalibrationModel.from_json(model.to_json())
    frame = pd.DataFrame([_row(), _row(p_trend=0.9)])
    pd.testing.assert_series_equal(again.predict(frame), model.predict(frame))


@pytest.mark.parametrize("text, match", [("{", "not JSON"), ('{"model": "other"}', "not a calibration"),
                                         ('{"model": "calibration.logistic_map_v1", "features": ["a"]}',
                                          "refit")])
def test_bad_calibration_files_are_errors(text, match):
    with pytest.raises(ParameterError, match=match):
        cal.CalibrationModel.from_json(text)


# ------------------------------------------------------------------ behaviour
def test_calibration_none_is_the_identity():
    frame = pd.DataFrame([_row(p_meet=p, status="at risk") for p in (0.0, 0.123456, 0.5, 1.0)])
    out = cal.apply_calibration(frame, "none")
    assert (out["p_meet"] == frame["p_meet"]).all() and (out["p_trend"] == frame["p_meet"]).all()


def test_p_meet_increases_with_p_trend(model):
    frame = pd.DataFrame([_row(p_trend=p) for p in np.linspace(0.02, 0.98, 25)])
    p = model.predict(frame).to_numpy()
    assert np.all(np.diff(p) > 0)
    # and with the trend's support as a whole: a higher target is never more likely met
    targets = pd.DataFrame([_row(target=t, p_trend=p) for t, p in [(94, 0.8), (96, 0.4), (98, 0.05)]])
    assert np.all(np.diff(model.predict(targets).to_numpy()) < 0)


def test_proxy_is_shrunk_halfway_to_the_base_rate_and_named(model):
    direct = pd.DataFrame([_row(p_trend=0.999)])
    proxy = pd.DataFrame([_row(p_trend=0.999, series_relation="proxy")])
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    pd_, pp = float(model.predict(direct).iloc[0]), float(model.predict(proxy).iloc[0])
    expected = (1 - cal.PROXY_SHRINK) * logit(pd_) + cal.PROXY_SHRINK * logit(model.base_rate)
    assert logit(pp) == pytest.approx(expected)
    assert abs(pp - model.base_rate) < abs(pd_ - model.base_rate)
    out = cal.apply_calibration(proxy, model=model)
    assert bool(out["proxy"].iloc[0]) and "proxy" in out["calibration_method"].iloc[0]


def test_observed_outcomes_and_missing_trend_pass_through(model):
    frame = pd.DataFrame([_row(p_meet=1.0, status="met"), _row(p_meet=0.0, status="not_met"),
                          _row(p_meet=np.nan, status="insufficient data")])
    out = cal.apply_calibration(frame, model=model)
    assert out["p_meet"].iloc[0] == 1.0 and out["p_meet"].iloc[1] == 0.0 and np.isnan(out["p_meet"].iloc[2])
    assert out["calibration_method"].iloc[0] == "observed outcome"
    assert out["calibration_method"].iloc[2] == "none (no trend probability)"


def test_decomposition_adds_up_to_the_logit(model):
    out = cal.apply_calibration(pd.DataFrame([_row(p_meet=0.3), _row(p_meet=0.95),
                                              _row(p_meet=0.95, series_relation="proxy")]), model=model)
    logit = np.log(out["p_meet"] / (1 - out["p_meet"]))
    np.testing.assert_allclose(out["logit_trend_part"] + out["logit_class_part"], logit)
    assert out["trend_share"].between(0, 1).all()
    assert out["trend_share"].iloc[2] < out["trend_share"].iloc[1]  # a proxy leans more on the class
    neutral = cal.apply_calibration(pd.DataFrame([_row(p_meet=0.5)]), model=model)
    assert neutral["trend_share"].iloc[0] == 0.0  # a coin-toss trend: the answer is the reference class's


@pytest.mark.parametrize("change, match", [
    ({"comparator": "=="}, "unknown comparator '=='"),
    ({"p_trend": 1.5}, "p_trend must be a probability"),
])
def test_bad_rows_are_errors(model, change, match):
    with pytest.raises(ParameterError, match=match):
        model.predict(pd.DataFrame([_row(**change)]))


def test_missing_columns_are_named(model):
    with pytest.raises(ParameterError, match=r"projected_median"):
        model.predict(pd.DataFrame([{"p_trend": 0.5, "target": 1.0}]))
    with pytest.raises(ParameterError, match="calibration must be one of"):
        cal.apply_calibration(pd.DataFrame([_row()]), "platt")


def test_engine_calls_the_calibration_and_none_is_the_identity():
    from plananalysis import assess

    calibrated = assess(n_paths=2000).to_frame()
    plain = assess(n_paths=2000, calibration="none").to_frame()
    pd.testing.assert_series_equal(plain["p_meet"], plain["p_trend"], check_names=False)
    pd.testing.assert_series_equal(calibrated["p_trend"], plain["p_trend"])
    live = calibrated["p_trend"].notna() & ~calibrated["status"].isin(["met", "not_met"])
    assert (calibrated.loc[live, "p_meet"] != calibrated.loc[live, "p_trend"]).all()
    assert calibrated.loc[live, "trend_share"].between(0, 1).all()
    assert calibrated.loc[live, "reasons"].str.contains("calibration").all()
    proxy = calibrated["relation"] == "proxy"
    assert calibrated.loc[proxy & live, "note"].str.contains("proxy: logit shrunk").all()


def test_stored_model_uses_the_documented_features_and_the_full_model_is_available(cases, model):
    assert model.features == cal.MODEL_FEATURES
    full = cal.fit_calibration(cases, n_boot=0, features=cal.FEATURES)
    assert full.features == cal.FEATURES
    p = full.predict(pd.DataFrame([_row()]))
    assert 0 < float(p.iloc[0]) < 1
    with pytest.raises(ParameterError, match="subset"):
        cal.fit_calibration(cases, n_boot=0, features=("lp_trend", "gdp"))


def test_fit_needs_both_outcomes(cases):
    with pytest.raises(ParameterError, match="both outcomes"):
        cal.fit_calibration(cases[cases["outcome_met"]], n_boot=0)


# ------------------------------------------------------------------ evaluation
def test_cross_validation_never_sees_the_held_out_plan(cases):
    seen = []

    def spy(train):
        seen.append(set(train["case"]))
        return cal.fit_calibration(train, n_boot=0)

    preds = cal.cv_predictions(cases, "plan", fit=spy)
    folds = list(preds.groupby("fold", sort=True))
    assert len(folds) == cases["plan_group"].nunique() == len(seen)
    for (group, test), train in zip(folds, seen):
        assert not set(test["case"]) & train
        assert set(cases.loc[cases["plan_group"] == group, "case"]) == set(test["case"])


def _flip_check(cases, nested):
    flipped = cases.copy()
    held = flipped["plan_group"] == "GWR2014"
    flipped.loc[held, "outcome_met"] = ~flipped.loc[held, "outcome_met"]
    cols = ["calibrated", *cal.CANDIDATES, "full_model", "base_rate", "p_trend", "growth_ratio_call",
            "german_rule_call", "track"]
    names = cases.loc[held, "case"]
    a = cal.cv_predictions(cases, "plan", nested=nested).set_index("case")
    b = cal.cv_predictions(flipped, "plan", nested=nested).set_index("case")
    pd.testing.assert_frame_equal(a.loc[names, cols], b.loc[names, cols])
    # while the other folds do learn from them (their coefficients and their track records)
    other = cases.loc[~held, "case"]
    assert not a.loc[other, "calibrated"].equals(b.loc[other, "calibrated"])
    assert not a.loc[other, "track"].equals(b.loc[other, "track"])


def test_held_out_outcomes_do_not_move_their_predictions_or_track_records(cases):
    _flip_check(cases, nested=False)


@pytest.mark.slow
def test_held_out_outcomes_do_not_move_the_nested_selection(cases):
    _flip_check(cases, nested=True)


def test_nested_selection_never_sees_the_outer_fold(cases, monkeypatch):
    from plananalysis.calibration import evaluation
    seen = []

    def spy(train, prior_sd=cal.PRIOR_SD, candidates=None):
        seen.append(set(train["case"]))
        return "M2_track", pd.Series(dtype=float)

    monkeypatch.setattr(evaluation, "select_candidate", spy)
    preds = cal.cv_predictions(cases, "family")
    folds = list(preds.groupby("fold", sort=True))
    assert len(folds) == len(seen)
    for (_, test), train in zip(folds, seen):
        assert not set(test["case"]) & train
    assert (preds["calibrated"] == preds["M2_track"]).all() and (preds["selected"] == "M2_track").all()


def test_selection_on_all_cases_picks_the_stored_model_features(cases, model):
    name, scores = cal.select_candidate(cases)
    assert cal.CANDIDATES[name] == cal.MODEL_FEATURES == model.features
    assert scores[name] - scores.min() < 0.02  # within noise of the best, never a clearly worse model


def test_the_one_standard_error_rule_prefers_the_simpler_unless_the_richer_is_clearly_better(cases):
    # the trend is far better than a feature without information: it wins although listed second
    name, scores = cal.select_candidate(cases, candidates={"horizon": ("log_horizon",), "trend": ("lp_trend",)})
    assert name == "trend" and scores["horizon"] - scores["trend"] > 0.05
    # the track record adds little over the trend: the simpler candidate listed first is kept
    name, scores = cal.select_candidate(cases, candidates={"trend": ("lp_trend",), "more": ("lp_trend", "track")})
    assert name == "trend"
    name, _ = cal.select_candidate(cases, candidates={"more": ("lp_trend", "track"), "trend": ("lp_trend",)})
    assert name == "more"  # order states simplicity: the first candidate within one SE wins


def test_forward_in_time_learns_only_from_outcomes_known_at_as_of(cases):
    seen = []

    def spy(train):
        seen.append(int(train["target_year"].max()))
        return cal.fit_calibration(train, n_boot=0)

    preds = cal.cv_predictions(cases, "time", fit=spy)
    for (year, test), latest in zip(preds.groupby("fold", sort=True), seen):
        assert latest <= int(year)
        assert (cases.set_index("case").loc[test["case"], "as_of"] == int(year)).all()
    assert 0 < len(preds) < len(cases)  # the earliest years have too little history to learn from


def test_base_rate_baseline_uses_the_training_folds_only(cases):
    preds = cal.cv_predictions(cases, "family", nested=False)
    for fam, test in preds.groupby("fold"):
        train = cases[cases["family"] != fam]
        assert test["base_rate"].iloc[0] == pytest.approx(train["outcome_met"].mean())


def test_evaluate_scores_every_method_out_of_sample(cases):
    res = cal.evaluate(cases, "plan", n_boot=200, nested=False)
    s = res["scores"]
    assert list(s.index) == list(cal.METHODS)
    assert (s["brier_lo"] <= s["brier"]).all() and (s["brier"] <= s["brier_hi"]).all()
    assert s.loc["always_met", "brier"] == pytest.approx(29 / 100)
    assert res["reliability"]["n"].sum() == 100
    with pytest.raises(ParameterError, match="scheme must be one of plan, family, time"):
        cal.evaluate(cases, "year")


def test_similar_cases_rank_by_distance(cases, model):
    frame = pd.DataFrame([_row(indicator="a"), _row(indicator="b", comparator="<=", unit="% yoy")])
    sim = cal.similar_cases(frame, cases, k=3)
    assert sim.groupby("indicator").size().tolist() == [3, 3]
    assert (sim.groupby("indicator")["distance"].apply(lambda d: d.is_monotonic_increasing)).all()


def test_stored_file_is_valid_json_naming_its_cases(model):
    doc = json.loads(cal.STORED.read_text(encoding="utf-8"))
    assert doc["n_cases"] == len(doc["info"]["cases"]) == model.n_cases


def test_docstring_examples():
    import doctest
    import importlib
    import pkgutil

    assert doctest.testmod(cal).failed == 0
    for info in pkgutil.iter_modules(cal.__path__):
        module = importlib.import_module(f"{cal.__name__}.{info.name}")
        assert doctest.testmod(module).failed == 0, info.name


@pytest.mark.slow
def test_notebook_05_runs_under_papermill_and_writes_its_results(tmp_path):
    import nbformat
    import papermill as pm

    from plananalysis import paths

    nb_path = paths.NOTEBOOKS / "05_calibration.ipynb"
    nb = nbformat.read(str(nb_path), as_version=4)
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    assert all(len(c.source.splitlines()) <= 15 for c in nb.cells
               if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))
    pm.execute_notebook(str(nb_path), str(tmp_path / "out.ipynb"), kernel_name="plananalysis",
                        parameters={"results_dir": str(tmp_path), "n_boot": 100}, progress_bar=False)
    scores = pd.read_csv(tmp_path / "cv_scores.csv")
    assert set(scores["method"]) == set(cal.METHODS) and len(scores) == len(cal.SCHEMES) * len(cal.METHODS)
    calibrated = pd.read_csv(tmp_path / "calibrated_scorecard.csv")
    assert {"p_trend", "p_meet", "trend_share", "calibration"} <= set(calibrated.columns)
    assert (calibrated["calibration"] == "reference_class").all()
    similar = pd.read_csv(tmp_path / "similar_cases.csv", keep_default_na=False)
    assert {"family", "track_n", "track_met", "target_track"} <= set(similar.columns)
    enrol = similar[similar["indicator"] == "enrollment"]["target_track"]
    assert enrol.str.startswith("family zhongzhi_enrolment").all()
    summary = json.loads((tmp_path / "calibration_summary.json").read_text(encoding="utf-8"))
    assert set(summary["selected"]) == set(cal.SCHEMES) and summary["calibration"]["features"] == list(
        cal.MODEL_FEATURES)


def test_fit_is_the_penalised_maximum_statsmodels_approaches():
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    toy = pd.DataFrame({f: rng.normal(size=60) for f in cal.FEATURES})
    toy["outcome_met"] = 1.5 * toy["lp_trend"] + rng.normal(size=60) > -0.5
    m = cal.fit_calibration(toy, n_boot=0, features=cal.FEATURES)
    X = (toy[list(cal.FEATURES)] - m.coefficients["mean"].iloc[1:].to_numpy()) / m.coefficients["scale"].iloc[1:].to_numpy()
    exog = np.column_stack([np.ones(len(toy)), X.to_numpy()])
    y = toy["outcome_met"].to_numpy(dtype=float)
    b = m.coefficients["estimate"].to_numpy()
    # optimality: the gradient of the log likelihood minus the N(0, 1) prior's is zero
    p = 1 / (1 + np.exp(-exog @ b))
    grad = exog.T @ (y - p) - np.r_[0.0, b[1:]] / cal.PRIOR_SD ** 2
    assert np.abs(grad).max() < 1e-8
    alpha = np.r_[0.0, np.full(len(cal.FEATURES), 1 / (len(y) * cal.PRIOR_SD ** 2))]
    ref = sm.GLM(y, exog, family=sm.families.Binomial()).fit_regularized(alpha=alpha, L1_wt=0.0, maxiter=500,
                                                                          cnvrg_tol=1e-12)
    np.testing.assert_allclose(b, ref.params, atol=1e-3)


@pytest.mark.slow  # the refit reruns the nested cross-validation (about 30 s)
def test_refit_needs_an_output_folder_and_reproduces_the_stored_files(tmp_path, capsys):
    from plananalysis.cli import main

    assert main(["calibrate", "refit"]) == 1
    assert "--out DIR is required" in capsys.readouterr().err
    assert main(["calibrate", "refit", "--out", str(tmp_path)]) == 0
    for name, stored in zip(cal.STORED_NAMES, (cal.STORED, cal.STORED_CASES)):
        assert (tmp_path / name).read_bytes() == stored.read_bytes(), f"{name} differs from a fresh refit"


def test_observed_outcomes_are_status_codes(model):
    out = cal.apply_calibration(pd.DataFrame([_row(p_meet=0.0, status="not_met")]), model=model)
    assert out["calibration_method"].iloc[0] == "observed outcome"
    assert cal.OBSERVED == ("met", "not_met")


# ------------------------------------------------------------------ no hidden ceiling
def test_p_meet_is_monotone_in_p_trend_up_to_the_monte_carlo_resolution(model):
    n = 10000
    ps = np.r_[0.0, 0.5 / n, 1 / n, np.linspace(0.001, 0.999, 60), 1 - 1 / n, 1 - 0.5 / n, 1.0]
    frame = pd.DataFrame([_row(p_trend=p, n_paths=n) for p in ps])
    p = model.predict(frame).to_numpy()
    assert np.all(np.diff(p) >= 0)
    # no fixed cap: a trend of 99.5% and one of 99.9% get different P(meet), above the old 95.53% ceiling
    hi = model.predict(pd.DataFrame([_row(p_trend=q, n_paths=n) for q in (0.99, 0.995, 0.999)])).to_numpy()
    assert hi[0] < hi[1] < hi[2]
    # more paths, finer resolution: p_trend = 1 moves further with more paths
    ones = model.predict(pd.DataFrame([_row(p_trend=1.0, n_paths=m) for m in (500, 2000, 10000)])).to_numpy()
    assert ones[0] < ones[1] < ones[2] < 1


def test_the_clip_is_half_a_path_and_is_said_where_it_binds(model):
    f = cal.case_features(pd.DataFrame([_row(p_trend=p, n_paths=2000) for p in (0.0, 0.3, 1.0)]))
    assert f["lp_trend"].iloc[2] == pytest.approx(np.log(0.99975 / 0.00025))
    assert f["p_clipped"].tolist() == [1.0, 0.0, 1.0]
    # without n_paths, the resolution comes from mc_se (the engine's formula)
    g = cal.case_features(pd.DataFrame([_row(p_trend=1.0, mc_se=0.5 / 400)]))
    assert g["lp_trend"].iloc[0] == pytest.approx(np.log(799.0))


def test_engine_says_where_the_clip_binds():
    import plananalysis as pa
    from plananalysis.results import ReasonCode
    card = pa.assess(pa.load_plan(), pa.Settings(n_paths=200, as_of=2024))
    for a in card:
        clipped = any("clipped to the Monte-Carlo resolution" in r.message for r in a.reasons
                      if r.code == ReasonCode.CALIBRATION)
        assert clipped == (a.p_trend in (0.0, 1.0) and a.calibration == "reference_class"
                           and a.status.value not in cal.OBSERVED)


# ------------------------------------------------------------------ interval of P(meet)
def test_interval_contains_p_meet_is_wider_than_monte_carlo_alone_and_stays_in_0_1(model):
    assert model.boot is not None and len(model.boot) > 100  # the stored fit carries its bootstrap refits
    ps = [0.0, 0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999, 1.0]
    frame = pd.DataFrame([_row(p_trend=p, n_paths=2000) for p in ps]
                         + [_row(p_trend=0.9, n_paths=2000, series_relation="proxy")])
    out = cal.apply_calibration(frame, model=model)
    lo, hi, p = out["p_meet_lo"], out["p_meet_hi"], out["p_meet"]
    assert ((0 <= lo) & (lo <= p) & (p <= hi) & (hi <= 1)).all()
    mc = model.predict_interval(frame, 2000, parameter=False)
    assert ((hi - lo) > (mc["p_meet_hi"] - mc["p_meet_lo"])).all()
    assert ((mc["p_meet_lo"] <= p) & (p <= mc["p_meet_hi"])).all()


def test_interval_is_wilson_without_calibration_and_0_1_for_observed_outcomes(model):
    from statsmodels.stats.proportion import proportion_confint
    frame = pd.DataFrame([_row(p_trend=0.3, n_paths=1000), _row(p_trend=1.0, n_paths=1000, status="met")])
    none = cal.apply_calibration(frame, "none")
    lo, hi = proportion_confint(300, 1000, alpha=0.05, method="wilson")
    assert none["p_meet_lo"].iloc[0] == pytest.approx(lo) and none["p_meet_hi"].iloc[0] == pytest.approx(hi)
    out = cal.apply_calibration(frame, model=model)
    assert out["p_meet_lo"].iloc[1] == out["p_meet_hi"].iloc[1] == 1.0


def test_engine_interval_in_assessment_and_frame():
    import plananalysis as pa
    for method in ("reference_class", "none"):
        card = pa.assess(pa.load_plan(), pa.Settings(n_paths=500, as_of=2024, calibration=method))
        f = card.to_frame()
        assert list(f.columns[f.columns.get_loc("p_trend") + 1:][:2]) == ["p_meet_lo", "p_meet_hi"]
        ok = f["p_meet"].notna()
        assert (f.loc[ok, "p_meet_lo"] <= f.loc[ok, "p_meet"]).all()
        assert (f.loc[ok, "p_meet"] <= f.loc[ok, "p_meet_hi"]).all()
        assert f["p_meet_lo"].isna().eq(~ok).all()


def test_bootstrap_draws_round_trip(model):
    again = cal.CalibrationModel.from_json(model.to_json())
    np.testing.assert_allclose(again.boot, model.boot, atol=1e-9)


def test_a_file_without_bootstrap_refits_gives_the_monte_carlo_interval(model):
    doc = json.loads(model.to_json())
    del doc["bootstrap"]
    old = cal.CalibrationModel.from_json(json.dumps(doc))
    assert old.boot is None
    frame = pd.DataFrame([_row(p_trend=0.7, n_paths=2000)])
    a = old.predict_interval(frame, 2000)
    b = model.predict_interval(frame, 2000, parameter=False)
    pd.testing.assert_frame_equal(a, b)


def test_stored_predictions_cover_every_scheme_and_the_stored_cases(cases):
    stored = cal.load_cv_predictions()
    assert sorted(stored["scheme"].unique()) == sorted(cal.SCHEMES)
    assert set(stored.loc[stored["scheme"] == "plan", "case"]) == set(cases.loc[cases["p_trend"].notna(), "case"])
    res = cal.evaluate(cases, "plan", n_boot=50, predictions=stored)
    assert (res["selected"].index == "M0_trend").all()  # the one-SE rule kept the stored model in every fold
    with pytest.raises(ParameterError, match="no scheme"):
        cal.evaluate(cases, "plan", n_boot=50, predictions=stored[stored["scheme"] == "time"])


@pytest.mark.slow
def test_stored_predictions_equal_a_fresh_nested_cross_validation(cases):
    stored = cal.load_cv_predictions()
    for scheme in cal.SCHEMES:
        fresh = cal.cv_predictions(cases, scheme)
        mine = stored[stored["scheme"] == scheme].drop(columns="scheme").reset_index(drop=True)
        assert fresh["case"].tolist() == mine["case"].tolist(), scheme
        assert fresh["selected"].tolist() == mine["selected"].tolist(), scheme
        for col in ("calibrated", *cal.CANDIDATES, "p_trend"):
            np.testing.assert_allclose(fresh[col].astype(float), mine[col].astype(float), rtol=1e-8,
                                       err_msg=f"{scheme}/{col}: stored predictions are stale: `make calibration`")
