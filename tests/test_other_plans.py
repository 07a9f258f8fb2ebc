"""Plans the package has never seen: a second bundle in the box, and plain tables given on the command line.

No code is written for either: a bundle folder (plan.yaml) or two tables in
the documented schemas are enough, signed rates and shares included.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from plananalysis import assess, load_plan, paths
from plananalysis.bundle import write_bundle
from plananalysis.cli import main
from plananalysis.report import run_report

SECOND = paths.DEFAULT_PLAN_DIR / "plans" / "national_14th_fyp_education"
REFERENCE = paths.DEFAULT_PLAN_DIR / "reference_class"
SMALL = {"n_paths": 200, "04_model_backtest": {"max_horizon": 2}, "05_calibration": {"n_boot": 50}}


@pytest.fixture(scope="module")
def unseen(tmp_path_factory):
    """A targets table and a statistics table for an 'unknown' plan: GDP growth (signed rate) and two shares."""
    folder = tmp_path_factory.mktemp("unseen")
    targets = pd.read_csv(REFERENCE / "targets.csv", dtype=str, keep_default_na=False)
    keep = ["gdp_gwr2018", "cpi_gwr2018", "urbanization_fyp14", "upper_sec_ger_fyp14"]
    table = targets.set_index("indicator").loc[keep].reset_index()
    table["series_relation"] = "direct"
    cols = ["indicator", "name_en", "unit", "comparator", "target", "target_year", "cumulative", "period_start",
            "period_end", "series", "series_relation"]
    table[cols].to_csv(folder / "targets.csv", index=False)
    series = pd.read_csv(REFERENCE / "series.csv", dtype=str, keep_default_na=False)
    series = series[series["indicator"].isin(table["series"])]
    series.to_csv(folder / "series.csv", index=False)
    return folder


def test_second_bundle_is_a_plan_like_any_other():
    plan = load_plan(SECOND)
    assert plan.id == "national_14th_fyp_education" and not plan.is_default
    card = assess(plan, n_paths=500, as_of=2020).to_frame().set_index("indicator")
    assert list(card.index) == ["preschool_ger_fyp14", "upper_sec_ger_fyp14", "higher_ed_ger_fyp14",
                                "urbanization_fyp14"]
    assert card["p_meet"].notna().all() and (card["latest_year"] == 2020).all()
    assert set(card["domain"]) == {"share"}
    final = assess(plan, n_paths=200).to_frame()
    assert set(final["status"]) <= {"met", "not_met"}  # every 2025 outcome is in the data


def test_unseen_plan_from_two_tables_cli_assess(unseen, capsys):
    code = main(["assess", "--targets", str(unseen / "targets.csv"), "--series", str(unseen / "series.csv"),
                 "--as-of", "2017", "--n-paths", "500", "--format", "csv"])
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, na_values=[""])
    assert code == 0
    by = frame.set_index("indicator")
    assert by.loc["gdp_gwr2018", "domain"] == "rate" and by.loc["cpi_gwr2018", "domain"] == "rate"
    assert by.loc["urbanization_fyp14", "domain"] == "share"
    enough = by["n_obs"] >= 3
    assert enough.all() and by.loc[enough, "p_meet"].notna().all()  # >= 3 exact observations: a probability
    assert (by["latest_year"] <= 2017).all()


@pytest.mark.slow
def test_unseen_plan_report_and_new_plan_bundle(unseen, tmp_path):
    out = run_report(targets=unseen / "targets.csv", series=unseen / "series.csv", as_of=2017, out=tmp_path / "r",
                     params=SMALL, jobs=2, progress=False)
    card = pd.read_csv(out / "scorecard.csv")
    assert len(card) == 4 and card["p_meet"].notna().all()
    assert (out / "plan" / "plan.yaml").is_file()  # the report carries the bundle it analysed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["as_of"] == 2017
    bundle = write_bundle(tmp_path / "bundle", unseen / "targets.csv", unseen / "series.csv", plan_id="unseen")
    plan = load_plan(bundle.parent)
    assert plan.series_spec("gdp_growth").domain.kind == "rate"
    pd.testing.assert_frame_equal(assess(plan, n_paths=300, as_of=2017).to_frame().drop(columns=["note"]),
                                  assess(targets=unseen / "targets.csv", series=unseen / "series.csv", n_paths=300,
                                         as_of=2017).to_frame().drop(columns=["note"]))


@pytest.mark.slow
def test_report_for_the_second_bundle(tmp_path):
    out = run_report(plan=SECOND, as_of=2020, out=tmp_path / "r2", params=SMALL, jobs=2, progress=False)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert load_plan(SECOND).title_en in index
    for ind in load_plan(SECOND).targets()["indicator"]:
        assert (out / f"02_indicator_trajectory-{ind}.html").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"] == "national_14th_fyp_education"
    assert "targets.csv" in manifest["data_sha256"] and "series.csv" in manifest["data_sha256"]


def test_new_plan_cli_refuses_to_overwrite(unseen, tmp_path, capsys):
    args = ["new-plan", str(tmp_path / "b"), "--targets", str(unseen / "targets.csv"),
            "--series", str(unseen / "series.csv")]
    assert main(args) == 0
    assert main(args) == 1 and "already a plan bundle" in capsys.readouterr().err
    assert main(args + ["--force"]) == 0
