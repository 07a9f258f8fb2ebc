"""Declared lever / family / plan kind, and the family track record of the calibration (issue 15, item 2)."""

import numpy as np
import pandas as pd
import pytest

from plananalysis import calibration as cal
from plananalysis.bundle import load_plan
from plananalysis.errors import DataError
from plananalysis.series import LEVERS, PLAN_KINDS


@pytest.fixture(scope="module")
def cases():
    return cal.load_reference_cases()


def _hist():
    return pd.DataFrame({
        "case": ["a1", "a2", "a3", "a4", "b1"],
        "family": ["a", "a", "a", "a", "b"],
        "plan_group": ["P1", "P2", "P2", "P3", "P4"],
        "target_year": [2010, 2012, 2013, 2016, 2011],
        "outcome_met": [True, False, False, True, True],
    })


# ------------------------------------------------------------------ track record
def test_track_record_uses_only_outcomes_known_at_as_of():
    rows = pd.DataFrame({"family": ["a"] * 3, "as_of": [2009, 2012, 2016], "plan_group": ["X"] * 3})
    t = cal.track_records(rows, _hist(), base_rate=0.5, k=2.0)
    # 2009: nothing known; 2012: P1 (met) and P2's 2012 case (missed); 2016: every plan group
    assert t["track_n"].tolist() == [0.0, 2.0, 3.0]
    assert t["track_met"].tolist() == [0.0, 1.0, 2.0]
    assert t["track"].iloc[0] == 0.0


def test_track_record_never_uses_the_cases_own_plan_group():
    rows = pd.DataFrame({"family": ["a", "a"], "as_of": [2020, 2020], "plan_group": ["P2", "X"]})
    t = cal.track_records(rows, _hist(), base_rate=0.5, k=2.0)
    assert t["track_n"].tolist() == [2.0, 3.0]  # P2 (two missed cases) is not its own track record
    assert t["track_met"].tolist() == [2.0, 2.0]


def test_one_shock_counts_once_in_a_track_record():
    # P2's two misses (one shock) weigh as one plan group
    t = cal.track_records(pd.DataFrame({"family": ["a"], "as_of": [2013]}), _hist(), base_rate=0.5, k=1.0)
    assert float(t["track_n"].iloc[0]) == 2.0 and float(t["track_met"].iloc[0]) == 1.0


def test_no_family_or_unknown_family_is_neutral():
    rows = pd.DataFrame({"family": ["", None, "zzz"], "as_of": [2020] * 3})
    t = cal.track_records(rows, _hist(), base_rate=0.7, k=3.0)
    assert (t["track"] == 0).all() and (t["track_rate"] == 0.7).all()
    notes = cal.add_track_record(pd.DataFrame({"family": ["", "zzz"], "as_of": [2024, 2024]}))["track_note"]
    assert notes.iloc[0] == "no family declared: track record neutral"
    assert "no reference cases" in notes.iloc[1]


def test_shrinkage_pulls_toward_the_base_rate_and_k_follows_the_spread():
    rows = pd.DataFrame({"family": ["a"], "as_of": [2020]})
    weak = cal.track_records(rows, _hist(), 0.5, 1000.0)["track"].iloc[0]
    strong = cal.track_records(rows, _hist(), 0.5, 0.5)["track"].iloc[0]
    assert abs(weak) < abs(strong)
    alike = pd.DataFrame({"family": list("aabbccdd"), "plan_group": list("ABCDEFGH"),
                          "outcome_met": [True, False] * 4})
    apart = pd.DataFrame({"family": list("aaaabbbb"), "plan_group": list("ABCDEFGH"),
                          "outcome_met": [True] * 4 + [False] * 4})
    assert cal.estimate_k(alike) == cal.K_GRID[-1] > cal.estimate_k(apart)


def test_track_records_of_the_reference_cases_respect_as_of_and_plan_group(cases):
    t, params = cal.with_track(cases, cases)
    assert 0 < params["base_rate"] < 1 and params["k"] > 0
    for _, r in t.sample(25, random_state=0).iterrows():
        hist = cases[(cases["family"] == r["family"]) & (cases["target_year"] <= r["as_of"])
                     & (cases["plan_group"] != r["plan_group"])]
        assert r["track_n"] == hist["plan_group"].nunique()
    caac = t.set_index("case").loc["caac_pax_caac2022"]  # the 2021 miss shares its plan group: not used
    assert caac["track_n"] == 1.0  # the 2018 targets only


def test_fit_with_track_stores_its_base_rate_and_k(cases, tmp_path):
    m = cal.fit_calibration(cases, n_boot=0, features=("lp_trend", "track"))
    assert set(m.info["track"]) >= {"base_rate", "k"}
    again = cal.CalibrationModel.from_json(m.to_json())
    assert again.info["track"]["k"] == pytest.approx(m.info["track"]["k"])


# ------------------------------------------------------------------ declared fields
def test_reference_class_declares_every_series_lever_and_every_section_kind(cases):
    assert set(cases["lever"]) <= {"direct", "outcome"}
    assert set(cases["plan_kind"]) <= set(PLAN_KINDS) - {"unknown"}
    plan = load_plan(cal.default_reference_dir())
    for series in cases["family"].unique():
        spec = plan.series_spec(series)
        assert spec.lever in ("direct", "outcome") and spec.lever_reason, series


def test_technical_education_bundle_declares_lever_family_and_kind():
    d = load_plan().declarations().set_index("indicator")
    assert d.loc["enrollment", "lever"] == "direct" and d.loc["enrollment", "family"] == "zhongzhi_enrolment"
    assert d.loc["employment_rate", "lever"] == "outcome" and d.loc["employment_rate", "family"] == ""
    assert (d.loc[["high_skill_trained", "skills_training"], "lever"] == "direct").all()
    assert d["lever_reason"].str.len().gt(0).all() and (d["plan_kind"] == "sector_plan").all()


def _bundle(tmp_path, series_extra="", top_extra="", table_extra=("", "")):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "targets.csv").write_text(
        "indicator,unit,comparator,target,target_year,cumulative,series" + table_extra[0] + "\n"
        "x,万人,>=,10,2025,false,s" + table_extra[1] + "\n", encoding="utf-8")
    (tmp_path / "stats.csv").write_text("indicator,year,value,qualifier,unit,source_title,source_url,quote\n"
                                        + "".join(f"s,{y},{y - 2010},,万人,t,https://x.cn,q\n"
                                                  for y in range(2015, 2024)),
                                        encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(
        f"id: t\ntitle: {{en: T}}\n{top_extra}targets: {{table: targets.csv}}\nstatistics: stats.csv\n"
        f"series:\n  s: {{domain: count{series_extra}}}\n", encoding="utf-8")
    return tmp_path


def test_an_invalid_lever_is_an_error_naming_file_and_series(tmp_path):
    with pytest.raises(DataError, match=r"plan\.yaml.*series\.s\.lever.*direct, outcome, unknown.*'sometimes'"):
        load_plan(_bundle(tmp_path, ", lever: sometimes"))


def test_an_invalid_plan_kind_is_an_error_naming_the_key(tmp_path):
    with pytest.raises(DataError, match=r"plan\.yaml.*kind: expected one of work_report"):
        load_plan(_bundle(tmp_path, top_extra="kind: manifesto\n"))


def test_an_invalid_lever_in_a_targets_table_names_file_row_and_column(tmp_path):
    with pytest.raises(DataError, match=r"targets\.csv, line 2, column 'lever'"):
        load_plan(_bundle(tmp_path, table_extra=(",lever", ",maybe"))).targets()


def test_targets_table_columns_override_and_undeclared_is_unknown(tmp_path):
    plain = load_plan(_bundle(tmp_path / "plain")).declarations().iloc[0]
    assert (plain["lever"], plain["family"], plain["plan_kind"]) == ("unknown", "", "unknown")
    d = load_plan(_bundle(tmp_path / "table", ", lever: outcome", table_extra=(",lever,family", ",direct,gdp_growth"))
                  ).declarations().iloc[0]
    assert (d["lever"], d["family"]) == ("direct", "gdp_growth")
    assert LEVERS[-1] == "unknown"


def test_unknown_lever_and_kind_take_the_training_average(cases):
    m = cal.fit_calibration(cases, n_boot=0, features=cal.CANDIDATES["M4_lever_track_kind"])
    row = cases.iloc[[0]].copy()
    unknown = row.assign(lever="unknown", plan_kind="unknown")
    feats = cal.case_features(unknown)
    assert np.isnan(feats["lever_direct"].iloc[0]) and np.isnan(feats["kind_sector"].iloc[0])
    p = float(m.predict(feats).iloc[0])
    # the same as a row whose declared features sit at the training means
    means = m.coefficients["mean"]
    at_mean = cal.case_features(row)
    for f in ("lever_direct", "kind_five_year", "kind_sector"):
        at_mean[f] = means[f]
    assert p == pytest.approx(float(m.predict(at_mean).iloc[0]))
    assert 0 < p < 1


def test_candidates_were_stated_and_the_full_model_kept():
    assert list(cal.CANDIDATES) == ["M0_trend", "M1_lever", "M2_track", "M3_lever_track", "M4_lever_track_kind"]
    assert all(f[0] == "lp_trend" for f in cal.CANDIDATES.values())
    assert {"calibrated", *cal.CANDIDATES, "full_model", "base_rate", "p_trend"} <= set(cal.METHODS)


def test_goal_check_reports_every_item(cases):
    res = cal.evaluate(cases, "plan", n_boot=100, nested=False)
    g = cal.goal_check(res)
    assert g["item"].tolist() == ["brier", "logloss", "lead_hi", "reliability"]
    assert g["reached"].dtype == bool
    assert (res["reliability"]["bin"].str.match(r"^\d\.\d\d-\d\.\d\d$")).all()


def test_evaluation_says_when_the_goal_is_not_reached_with_every_candidate(cases):
    text = cal.evaluation_text(cases, n_boot=50, schemes=("plan",), nested=False)
    for name in (*cal.CANDIDATES, "full_model", "base_rate", "p_trend"):
        assert f"  {name} " in text
    reached = bool(cal.goal_check(cal.evaluate(cases, "plan", n_boot=50, nested=False))["reached"].all())
    assert ("NOT REACHED" in text) == (not reached)


@pytest.fixture(scope="module")
def track_model():
    """The trend + track-record candidate (M2), fitted on the stored cases (the stored model is M0)."""
    return cal.fit_calibration(cal.load_reference_cases(), features=cal.CANDIDATES["M2_track"], n_boot=20)


def test_a_declared_family_brings_its_track_record_into_p_meet(track_model):
    model = track_model
    assert "track" in model.features
    row = {"p_trend": 0.9, "projected_median": 100.0, "projected_lo80": 95.0, "projected_hi80": 105.0,
           "target": 98.0, "comparator": ">=", "target_year": 2025, "latest_year": 2024, "cumulative": False,
           "domain": "count", "as_of": 2024}
    out = cal.apply_calibration(pd.DataFrame([{**row, "family": ""}, {**row, "family": "zhongzhi_enrolment"},
                                              {**row, "family": "urban_new_jobs"},
                                              {**row, "family": "zhongzhi_enrolment", "as_of": 2019}]), model=model)
    none, missed, met, before = out["p_meet"].tolist()
    assert missed < none < met  # one earlier miss pulls down, a long record of hits pulls up
    assert before == pytest.approx(none)  # the 2020 outcome was not known in 2019
    assert out["track_note"].iloc[0] == "no family declared: track record neutral"


def test_engine_assessments_say_which_track_record_they_used(track_model, monkeypatch):
    import plananalysis as pa
    from plananalysis.calibration import apply

    monkeypatch.setattr(apply, "load_calibration", lambda path=None: track_model)
    card = pa.assess(pa.load_plan(), pa.Settings(n_paths=300, as_of=2024))
    notes = {a.target.indicator: [r.message for r in a.reasons if "track record" in r.message]
             for a in card.assessments}
    assert "zhongzhi_enrolment" in notes["enrollment"][0]
    assert "no family declared" in notes["employment_rate"][0]
