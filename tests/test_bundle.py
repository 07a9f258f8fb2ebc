"""Plan bundles: plan.yaml validation, what is declared per series, and nothing guessed behind the caller's back."""

from __future__ import annotations

import shutil

import pytest
import yaml

from plananalysis import paths
from plananalysis.bundle import PlanBundle, load_plan
from plananalysis.domain import Domain, infer_domain
from plananalysis.errors import DataError, ParameterError


def _bundle(tmp_path, **changes):
    folder = tmp_path / "b"
    shutil.copytree(paths.DEFAULT_PLAN_DIR, folder, ignore=shutil.ignore_patterns("reference_class", "plans"))
    config = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    (folder / "plan.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return folder


def test_default_bundle_says_it_is_the_default():
    plan = load_plan()
    assert plan.is_default and "default plan bundle" in plan.source
    assert load_plan("") is plan and load_plan(plan) is plan
    assert plan.title("zh") == "技工教育“十四五”规划" and plan.title("en").startswith("14th Five-Year Plan")
    assert [p.name for p in plan.files()][:2] == ["plan.yaml", "plan_technical_education_14th_fyp.txt"]


def test_declared_break_sets_the_fit_window_and_domains_are_declared():
    plan = load_plan()
    spec = plan.series_spec("enrollment_in_school")
    assert spec.fit_start == 2015 and spec.breaks[0][:2] == (2012, 2015)
    assert "declared break between 2012 and 2015" in spec.window_note()
    table = plan.declared_breaks()
    assert set(table["between"]) == {"2012-2015"} and (table["fit_start"] == 2015).all()
    assert set(table["series"]) == set(plan.statistics()["indicator"])  # series_defaults: every series
    assert plan.series_spec("graduate_employment_rate").domain == Domain("share", why="x")
    assert plan.series_spec("graduate_employment_rate").domain.why == "declared in plan.yaml"


def test_a_copy_of_the_bundle_is_a_plan_of_its_own(tmp_path):
    folder = _bundle(tmp_path, id="copy", title={"en": "A copy"}, series_defaults=None)
    plan = load_plan(folder)
    assert not plan.is_default and plan.id == "copy"
    assert plan.series_spec("enrollment_in_school").fit_start is None  # no declared break: the whole series
    assert list(plan.targets()["indicator"]) == list(load_plan().targets()["indicator"])


@pytest.mark.parametrize("changes, message", [
    ({"id": "has space"}, "'id' must be a short name"),
    ({"title": None}, "'title' needs an English title"),
    ({"statistics": None}, "'statistics'"),
    ({"statistics": "nope.csv"}, "statistics: file not found"),
    ({"targets": {"text": "plan_technical_education_14th_fyp.txt", "table": "t.csv"}}, "exactly one of"),
    ({"targets": {"text": "plan_technical_education_14th_fyp.txt", "agregation": {}}}, "unknown key"),
    ({"period": [2025, 2021]}, "'period' must be"),
    ({"colour": "red"}, "unknown key"),
])
def test_bad_plan_yaml_names_the_file_and_key(tmp_path, changes, message):
    folder = _bundle(tmp_path, **changes)
    with pytest.raises(DataError, match=message) as info:
        load_plan(folder)
    assert str(folder / "plan.yaml") in str(info.value)


def test_bad_aggregation_break_and_domain_are_named(tmp_path):
    targets = yaml.safe_load((paths.DEFAULT_PLAN_DIR / "plan.yaml").read_text(encoding="utf-8"))["targets"]
    with pytest.raises(DataError, match="aggregation"):
        load_plan(_bundle(tmp_path, targets={**targets, "aggregation": {"skills_training": "avg"}}))
    folder = _bundle(tmp_path / "2", series_defaults={"breaks": [{"between": [2015, 2012]}]})
    with pytest.raises(DataError, match="break #1"):
        load_plan(folder).series_spec("enrollment_in_school")
    folder = _bundle(tmp_path / "3", series={"enrollment_in_school": {"domain": "volume"}})
    with pytest.raises(ParameterError, match="domain must be one of"):
        load_plan(folder).statistics()


def test_not_a_bundle(tmp_path):
    with pytest.raises(DataError, match="not a plan bundle"):
        load_plan(tmp_path)


def test_from_tables_infers_domains_and_declares_nothing(tmp_path):
    ref = paths.DEFAULT_PLAN_DIR / "reference_class"
    plan = PlanBundle.from_tables(ref / "targets.csv", ref / "series.csv")
    assert plan.id == "targets" and plan.series_spec("gdp_growth").domain.kind == "rate"
    assert plan.series_spec("urbanization_rate").domain.kind == "share"
    assert plan.series_spec("urban_new_jobs").fit_start is None


def test_infer_domain_rule():
    assert infer_domain("% yoy", [8.0, 7.5]).kind == "rate"
    assert infer_domain("%", [-0.8, 2.0]).kind == "rate"
    assert infer_domain("%", [90.0, 101.0]).kind == "share"  # a share that passes 100 must be declared
    assert infer_domain("per 1,000", [13.1]).kind == "count"
    assert Domain("share", upper=120).contains([119.0, 121.0]).tolist() == [True, False]
    with pytest.raises(ParameterError, match="lower"):
        Domain("share", lower=100, upper=50)


# ---------------------------------------------------------------- one domain rule; shipped datasets

def test_resolve_domain_is_the_one_rule():
    import pandas as pd

    from plananalysis.domain import resolve_domain

    rows = pd.DataFrame({"indicator": ["x", "x", "y"], "unit": ["万人", "万人", "%"], "value": [3.0, -1.0, 50.0],
                         "domain": ["", "share", ""], "line": [2, 3, 4]})
    assert resolve_domain("x", {"x": Domain("real")}, rows).kind == "real"      # 1. declared
    got = resolve_domain("x", None, rows)                                        # 2. the domain column,
    assert got.kind == "share" and "domain column" in got.why                    #    even below an empty cell
    assert resolve_domain("y", None, rows) == infer_domain("%", [50.0])          # 3. inferred
    assert resolve_domain("x", None, rows.drop(columns="domain")).kind == "count"  # 万人 counts things
    with pytest.raises(DataError, match="several domains") as info:
        resolve_domain("x", None, rows.assign(domain=["count", "share", ""]))
    assert (info.value.line, info.value.column) == (2, "domain")


def test_bundle_series_spec_uses_the_statistics_reader_rule(tmp_path):
    """A domain column whose first cell is empty still decides (bundle and reader agree)."""
    folder = _bundle(tmp_path, series=None)
    stats = folder / load_plan().path("statistics").name
    lines = stats.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",domain"]
    seen = False
    for ln in lines[1:]:
        mark = ""
        if ln.startswith("graduate_employment_rate,"):
            mark = "share" if seen else ""
            seen = True
        out.append(ln + "," + mark)
    stats.write_text("\n".join(out) + "\n", encoding="utf-8")
    spec = load_plan(folder).series_spec("graduate_employment_rate")
    assert spec.domain.kind == "share" and "domain column" in spec.domain.why


def test_bundle_validate_lists_problems(raw_copy):
    assert load_plan().validate() == []
    (raw_copy / "technical_schools_statistics.csv").write_text(
        "indicator,year,value,qualifier,unit,source_title,source_url,quote,note\n"
        "enrollment_in_school,2020,-3,,万人,T,https://e.org,q,\n", encoding="utf-8")
    problems = load_plan(raw_copy).validate()
    assert [(p.line, p.column) for p in problems][0] == (2, "value")


def test_datasets_name_the_shipped_bundles():
    from plananalysis import datasets

    assert datasets.names() == ["reference_class", "technical_education"]
    plan = datasets.technical_education()
    assert plan is load_plan() and plan.is_default
    assert datasets.technical_education_dir() == paths.DEFAULT_PLAN_DIR
    assert datasets.reference_class_dir() == paths.DEFAULT_PLAN_DIR / "reference_class"
    assert datasets.reference_class().id == "reference_class" and not datasets.reference_class().is_default
    assert datasets.load("technical_education") is plan
    with pytest.raises(ParameterError, match="unknown dataset"):
        datasets.load("nope")


def test_bundle_tables_are_cached_and_returned_as_copies():
    plan = load_plan()
    first = plan.targets()
    first.loc[:, "target"] = -1.0
    assert (plan.targets()["target"] > 0).all()
    assert plan.targets().attrs["plan_id"] == plan.id
    assert plan.statistics().attrs["source_path"] == str(plan.path("statistics"))
    assert plan.series_spec("graduates") is plan.series_spec("graduates")
