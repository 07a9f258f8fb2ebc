"""Plan targets: 专栏1 parser on the bundled text and variants, targets tables, programme targets."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

import shutil

from plananalysis import paths
from plananalysis.bundle import load_plan
from plananalysis.errors import DataError, PlanParseError
from plananalysis.plan import (
    TARGET_COLUMNS, load_programme_targets, load_targets, plan_period, write_targets,
)
from plananalysis.text import normalise_text, remove_pinyin

PLAN_FILE = load_plan().targets_path
RAW = PLAN_FILE.read_text(encoding="utf-8")


def _variant(tmp_path, text, name="bundle"):
    """A copy of the default plan bundle whose plan text is ``text`` (the bundle folder)."""
    folder = tmp_path / name
    shutil.copytree(paths.DEFAULT_PLAN_DIR, folder)
    (folder / PLAN_FILE.name).write_text(text, encoding="utf-8")
    return folder


def _targets(folder):
    """The targets of a plan bundle folder (the bundle, not the reader, knows its ids and repairs)."""
    return load_plan(folder).targets()


def _text(tmp_path, text, name="plan.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def targets():
    return load_plan().targets()


def test_bundled_targets(targets):
    assert list(targets.columns[: len(TARGET_COLUMNS)]) == list(TARGET_COLUMNS)
    t = targets.set_index("indicator")
    assert list(t.index) == ["enrollment", "employment_rate", "high_skill_trained", "skills_training"]
    assert t["target"].tolist() == [360.0, 97.0, 200.0, 2000.0]
    assert t["comparator"].tolist() == [">"] * 4
    assert t["unit"].tolist() == ["万人", "%", "万人", "万人次"]
    assert t["cumulative"].tolist() == [False, False, True, True]
    assert set(t["target_year"]) == {2025}
    assert set(t["period_start"]) == {2021} and set(t["period_end"]) == {2025}
    assert t.loc["enrollment", "name_zh"] == "在校生规模"
    assert t.loc["skills_training", "name_zh"] == "面向企业职工和就业重点群体开展职业技能培训"
    assert t.loc["enrollment", "name_en"] == "Students on roll"
    assert t.loc["high_skill_trained", "name_en"] == "High-skilled talent trained (cumulative 2021-2025)"
    assert set(t["source_section"]) == {"专栏1"}


def test_baselines_from_plan_text(targets):
    t = targets.set_index("indicator")
    assert t.loc["enrollment", "baseline_year"] == 2020
    assert t.loc["enrollment", "baseline_value"] == 395.5
    assert t.loc["enrollment", "baseline_qualifier"] == ""
    assert t.loc["skills_training", "baseline_year"] == 2020
    assert t.loc["skills_training", "baseline_value"] == 400.0
    assert t.loc["skills_training", "baseline_qualifier"] == ">"
    assert "annual" in t.loc["skills_training", "baseline_note"]
    for ind in ("employment_rate", "high_skill_trained"):
        assert pd.isna(t.loc[ind, "baseline_year"]) and pd.isna(t.loc[ind, "baseline_value"])
        assert t.loc[ind, "baseline_qualifier"] == ""


def test_series_from_map(targets):
    t = targets.set_index("indicator")
    assert t.loc["enrollment", "series"] == "enrollment_in_school"
    assert t.loc["skills_training", "series"] == "training_to_society"
    assert t.loc["skills_training", "series_relation"] == "proxy"
    assert t.loc["employment_rate", "series_relation"] == "direct"
    assert "Proxy" in t.loc["skills_training", "series_note"]


def test_series_map_change_changes_targets(raw_copy):
    """The mapping is data: editing the bundle's target_series_map.csv changes the series column."""
    map_path = raw_copy / "target_series_map.csv"
    text = map_path.read_text(encoding="utf-8").replace(
        "skills_training,training_to_society,proxy", "skills_training,,")
    text = text.replace('"Proxy: the plan', '"Nothing measures it: the plan')
    map_path.write_text(text, encoding="utf-8")
    t = _targets(raw_copy).set_index("indicator")
    assert t.loc["skills_training", "series"] == "" and t.loc["skills_training", "series_relation"] == ""
    assert t.loc["enrollment", "series"] == "enrollment_in_school"


@pytest.mark.parametrize("transform", [
    pytest.param(normalise_text, id="simplified"),
    pytest.param(remove_pinyin, id="no-pinyin"),
    pytest.param(lambda s: s.replace(",", "，").replace("(", "（").replace(")", "）")
                 .replace(">", "＞").replace(":", "："), id="full-width"),
    pytest.param(lambda s: s.replace("\n", "\r\n"), id="crlf"),
])
def test_variants_give_same_targets(tmp_path, targets, transform):
    parsed = _targets(_variant(tmp_path, transform(RAW)))
    pd.testing.assert_frame_equal(parsed, targets)


def test_changed_target_value_changes_result(tmp_path, targets):
    assert ">360 |" in RAW
    parsed = _targets(_variant(tmp_path, RAW.replace(">360 |", ">370 |")))
    t = parsed.set_index("indicator")
    assert t.loc["enrollment", "target"] == 370.0
    assert t.loc["employment_rate", "target"] == 97.0
    parsed = _targets(_variant(tmp_path, RAW.replace(">[2000] |", ">=[2500] |"), "b"))
    t = parsed.set_index("indicator")
    assert t.loc["skills_training", "target"] == 2500.0
    assert t.loc["skills_training", "comparator"] == ">="


def test_brackets_decide_cumulative(tmp_path):
    text = RAW.replace(">[200] |", ">200 |").replace(">360 |", ">[1800] |")
    t = _targets(_variant(tmp_path, text)).set_index("indicator")
    assert not t.loc["high_skill_trained", "cumulative"]
    assert t.loc["enrollment", "cumulative"] and t.loc["enrollment", "target"] == 1800.0
    assert t.loc["high_skill_trained", "name_en"] == "High-skilled talent trained"


def test_baseline_changes_with_text(tmp_path):
    text = RAW.replace("在校生395.5萬人", "在校生401.2萬人")
    t = _targets(_variant(tmp_path, text)).set_index("indicator")
    assert t.loc["enrollment", "baseline_value"] == 401.2


def test_period_and_year_from_text(tmp_path):
    text = RAW.replace("十四五", "十五五").replace("2025年 |", "2030年 |")
    t = _targets(_variant(tmp_path, text))
    assert set(t["target_year"]) == {2030}
    assert set(t["period_start"]) == {2026} and set(t["period_end"]) == {2030}
    assert plan_period(13) == (2016, 2020)


def test_missing_table_raises_plan_parse_error(tmp_path):
    lines = [ln for ln in RAW.split("\n") if not ln.startswith("專欄1")]
    path = _variant(tmp_path, "\n".join(lines))
    with pytest.raises(PlanParseError, match="专栏1") as info:
        _targets(path)
    assert str(path) in str(info.value)


def test_brackets_without_note_raise(tmp_path):
    path = _variant(tmp_path, RAW.replace("注:[ ]內(nèi)為五年累計數(shù)。 |", ""))
    with pytest.raises(PlanParseError, match="累计数"):
        _targets(path)


def test_unreadable_target_cell_raises(tmp_path):
    path = _variant(tmp_path, RAW.replace(">360 |", "三百六十 |"))
    with pytest.raises(PlanParseError, match="在校生规模"):
        _targets(path)


def test_missing_plan_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_targets(tmp_path / "missing.txt")
    with pytest.raises(DataError, match="a plan bundle, not a targets table"):
        load_targets(tmp_path)  # a folder: the reader reads files; load_plan(folder).targets() reads bundles
    with pytest.raises(DataError, match="not a plan bundle"):
        load_plan(tmp_path)


# ---------------------------------------------------------------- targets tables

@pytest.mark.parametrize("suffix", [".csv", ".yaml", ".yml"])
def test_targets_table_round_trip(tmp_path, targets, suffix):
    path = write_targets(targets, tmp_path / f"targets{suffix}")
    pd.testing.assert_frame_equal(load_targets(path), targets)


def test_minimal_csv_table_gets_defaults_and_series(tmp_path):
    path = tmp_path / "province.csv"
    path.write_text("indicator,unit,comparator,target,target_year\n"
                    "enrollment,万人,>=,20.5,2025\n", encoding="utf-8")
    t = load_targets(path)
    assert list(t.columns[: len(TARGET_COLUMNS)]) == list(TARGET_COLUMNS)
    row = t.iloc[0]
    assert row["comparator"] == ">=" and row["target"] == 20.5 and row["target_year"] == 2025
    assert row["series"] == "" and not row["cumulative"]  # no map given: nothing is filled in silently
    assert pd.isna(row["baseline_year"])
    mapped = load_targets(path, series_map=load_plan().target_series_map()).iloc[0]
    assert mapped["series"] == "enrollment_in_school" and mapped["series_relation"] == "direct"


def test_yaml_list_form(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump([{"indicator": "employment_rate", "unit": "%", "comparator": ">",
                                     "target": 98, "target_year": 2030}]), encoding="utf-8")
    assert load_targets(path).loc[0, "target"] == 98.0


def _table(tmp_path, rows, name="bad.csv"):
    header = "indicator,unit,comparator,target,target_year,cumulative,period_start,period_end"
    path = tmp_path / name
    path.write_text("\n".join([header] + rows) + "\n", encoding="utf-8")
    return path


def test_table_bad_comparator(tmp_path):
    path = _table(tmp_path, ["enrollment,万人,>,360,2025,false,2021,2025",
                             "employment_rate,%,=>,97,2025,false,2021,2025"])
    with pytest.raises(DataError, match="comparator") as info:
        load_targets(path)
    assert (info.value.path, info.value.line, info.value.column, info.value.value) == \
        (path, 3, "comparator", "=>")


def test_table_non_numeric_target(tmp_path):
    path = _table(tmp_path, ["enrollment,万人,>,lots,2025,false,2021,2025"])
    with pytest.raises(DataError, match="number") as info:
        load_targets(path)
    assert (info.value.line, info.value.column, info.value.value) == (2, "target", "lots")


def test_table_missing_misspelt_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("indicator,unit,comparater,target,target_year\nenrollment,万人,>,360,2025\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match="comparater") as info:
        load_targets(path)
    assert info.value.column == "comparator" and info.value.path == path


def test_table_cumulative_needs_period(tmp_path):
    path = _table(tmp_path, ["skills_training,万人次,>,2000,2025,true,,"])
    with pytest.raises(DataError, match="period") as info:
        load_targets(path)
    assert info.value.line == 2


def test_table_several_problems_listed(tmp_path):
    path = _table(tmp_path, ["enrollment,万人,?,x,2025,false,2021,2025",
                             "enrollment,万人,>,1,20x5,maybe,2021,2025"])
    with pytest.raises(DataError) as info:
        load_targets(path)
    found = {(e.line, e.column) for e in info.value.errors}
    assert {(2, "comparator"), (2, "target"), (3, "target_year"), (3, "cumulative"),
            (3, "indicator")} <= found


def test_yaml_table_error_names_entry(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump({"targets": [
        {"indicator": "enrollment", "unit": "万人", "comparator": ">", "target": 360, "target_year": 2025},
        {"indicator": "employment_rate", "unit": "%", "comparator": "!", "target": 97, "target_year": 2025},
    ]}), encoding="utf-8")
    with pytest.raises(DataError, match="target #2") as info:
        load_targets(path)
    assert info.value.column == "comparator" and info.value.path == path


def test_write_targets_rejects_unknown_suffix(tmp_path, targets):
    with pytest.raises(DataError):
        write_targets(targets, tmp_path / "t.xlsx")


# ---------------------------------------------------------------- programme targets

def test_programme_targets():
    p = load_plan().programme_targets()
    assert list(p.columns) == ["column", "column_title", "item", "quantity", "unit", "approximate",
                               "name_zh", "name_en", "quote", "has_data"]
    got = {(r.column, r.quantity, r.unit, r.name_zh) for r in p.itertuples()}
    assert got == {
        ("正文", 30.0, "个", "技工教育思想政治理论课师资研修基地"),
        ("专栏2", 300.0, "所", "优质技工院校"),
        ("专栏2", 500.0, "个", "优质专业"),
        ("专栏3", 100.0, "个", "技工教育联盟(集团)"),
        ("专栏4", 100.0, "个", "技工院校和职业培训机构"),
        ("专栏5", 1500.0, "种", "技工教育规划教材"),
        ("专栏5", 100.0, "所", "技工教育数字化资源建设与应用优秀院校"),
        ("专栏5", 50.0, "个", "一体化师资研修基地"),
    }
    assert p["approximate"].all() and not p["has_data"].any()
    schools = p[p.name_zh == "优质技工院校"].iloc[0]
    assert schools["column_title"] == "优质技工院校建设计划" and schools["item"] == 1
    assert schools["quote"] == "在全国遴选300所左右优质技工院校、500个左右优质专业"
    books = p[p.name_zh == "技工教育规划教材"].iloc[0]
    assert books["item"] == 2 and books["quote"] == "开发、遴选1500种左右技工教育规划教材"
    assert p.loc[p.column == "专栏4", "quote"].item() == "新建、改(扩)建100个左右技工院校和职业培训机构"


def _programme(folder):
    return load_plan(folder).programme_targets()


def test_programme_reader_reads_the_text_it_is_given(tmp_path):
    plan = load_plan()
    text = _text(tmp_path, RAW)
    read = load_programme_targets(text, repairs=plan.targets_config["repairs"],
                                  names_en=plan.targets_config.get("programme_names_en"))
    pd.testing.assert_frame_equal(read, plan.programme_targets())
    with pytest.raises(DataError, match="programme_targets"):
        load_programme_targets(paths.DEFAULT_PLAN_DIR)


def test_targets_reader_parses_a_text_with_generic_ids(tmp_path):
    t = load_targets(_text(tmp_path, RAW), repairs=load_plan().targets_config["repairs"])
    assert t["indicator"].tolist() == ["indicator_1", "indicator_2", "indicator_3", "indicator_4"]
    assert t["target"].tolist() == [360.0, 97.0, 200.0, 2000.0]
    assert t.attrs["source_path"] == str(tmp_path / "plan.txt")


def test_plan_names_stay_importable():
    from plananalysis import plan, programme, targets_table, targets_text

    assert plan.parse_targets is targets_text.parse_targets
    assert plan.load_targets_table is targets_table.load_targets_table
    assert plan.parse_programme_targets is programme.parse_programme_targets
    for name in plan.__all__:
        assert hasattr(plan, name), name


def test_programme_targets_follow_the_text(tmp_path):
    text = RAW.replace("1500種左右", "1800種").replace("遴選300所左右", "遴選320所左右")
    p = _programme(_variant(tmp_path, text))
    books = p[p.name_zh == "技工教育规划教材"].iloc[0]
    assert books["quantity"] == 1800.0 and not books["approximate"]
    assert p.loc[p.name_zh == "优质技工院校", "quantity"].item() == 320.0


def test_programme_targets_missing_columns(tmp_path):
    lines = [ln for ln in RAW.split("\n") if not ln.startswith(("專欄2", "專欄3", "專欄4", "專欄5"))]
    with pytest.raises(PlanParseError, match="专栏2"):
        _programme(_variant(tmp_path, "\n".join(lines)))


def test_readme_examples_load(tmp_path):
    """The CSV and YAML examples in data/raw/README.md are valid targets tables."""
    import re

    readme = (paths.DEFAULT_PLAN_DIR / "README.md").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"```(csv|yaml)\n(.*?)```", readme, flags=re.S))
    (tmp_path / "t.csv").write_text(blocks["csv"], encoding="utf-8")
    (tmp_path / "t.yaml").write_text(blocks["yaml"], encoding="utf-8")
    from_csv, from_yaml = load_targets(tmp_path / "t.csv"), load_targets(tmp_path / "t.yaml")
    for frame in (from_csv, from_yaml):
        t = frame.set_index("indicator")
        assert t.loc["skills_training", "cumulative"] and t.loc["skills_training", "period_start"] == 2026
        assert t.loc["enrollment", "target"] == 380.0 and t.loc["enrollment", "series"] == "enrollment_in_school"


def test_table_with_several_cells_per_line(tmp_path, targets):
    """A table written one row per line ('| name | target |') parses the same."""
    lines = RAW.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("專欄1"))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("注:[ ]"))
    cells = [ln[:-1].strip() for ln in lines[start + 1:end] if ln.strip() != "|"]
    rows = ["| " + " | ".join(cells[i:i + 2]) + " |" for i in range(0, len(cells), 2)]
    text = "\n".join(lines[:start + 1] + rows + lines[end:])
    pd.testing.assert_frame_equal(_targets(_variant(tmp_path, text)), targets)


def test_row_without_unit_raises(tmp_path):
    path = _variant(tmp_path, RAW.replace("1.在校生規(guī)模(萬人) |", "1.在校生規(guī)模 |"))
    with pytest.raises(PlanParseError, match="name\\(unit\\)"):
        _targets(path)


def test_targets_csv_row_with_extra_fields_is_an_error_naming_the_line(tmp_path, targets):
    path = tmp_path / "targets.csv"
    write_targets(targets, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2] + ",stray"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 3: expected \d+ fields as in the header, found \d+") as info:
        load_targets(path)
    assert info.value.path == path
