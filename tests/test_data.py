"""Statistics loader: validation errors, the source-selection rule, get_series, the target map."""

from __future__ import annotations

import pandas as pd
import pytest

from plananalysis import datasets, paths
from plananalysis.bundle import load_plan
from plananalysis.data import (
    get_series, load_series, load_target_series_map, validate_files,
)
from plananalysis.errors import DataError, DataErrors

STATS = datasets.technical_education().path("statistics")
HEADER = "indicator,year,value,qualifier,unit,source_title,source_url,quote,note"
SRC = "Bulletin,https://example.org/b,quoted phrase,"


def row(indicator="enrollment_in_school", year=2020, value="395.5", qualifier="", unit="万人",
        source=SRC):
    return f"{indicator},{year},{value},{qualifier},{unit},{source}"


def write(tmp_path, rows, header=HEADER, name="stats.csv", choices=None):
    """Write a statistics CSV (and, when given, a sibling source_choices.csv)."""
    path = tmp_path / name
    path.write_text("\n".join([header] + list(rows)) + "\n", encoding="utf-8")
    lines = ["indicator,year,value,reason"] + list(choices or [])
    (tmp_path / "source_choices.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def only_error(path, **kwargs):
    """Load and return the single DataError raised."""
    with pytest.raises(DataError) as info:
        load_series(path, **kwargs)
    assert not isinstance(info.value, DataErrors), str(info.value)
    return info.value


def all_errors(path):
    with pytest.raises(DataError) as info:
        load_series(path)
    return getattr(info.value, "errors", [info.value])


# ---------------------------------------------------------------- the bundled data

@pytest.fixture(scope="module")
def bundled():
    return load_series(STATS)


def test_bundled_columns_and_types(bundled):
    assert list(bundled.columns[:10]) == ["indicator", "year", "value", "qualifier", "unit",
                                          "source_title", "source_url", "quote", "note", "domain"]
    assert "selected" in bundled.columns
    assert bundled["year"].dtype.kind == "i" and bundled["value"].dtype.kind == "f"
    assert bundled["selected"].dtype == bool
    assert set(bundled["qualifier"]) <= {"", ">", ">=", "<", "<=", "~"}
    per_year = bundled.groupby(["indicator", "year"])["selected"].sum()
    assert (per_year == 1).all()
    assert (bundled["source_url"].str.startswith("http")).all()


def selected_value(frame, indicator, year):
    rows = frame[frame.selected & (frame.indicator == indicator) & (frame.year == year)]
    assert len(rows) == 1
    return rows["qualifier"].item() + repr(rows["value"].item())


def test_selection_rule_on_bundled_data(bundled):
    # 395 / 395.5 / 395.5 / 395.53 are consistent; 395.5 is published most often
    assert selected_value(bundled, "enrollment_in_school", 2020) == "395.5"
    # 341 ("3.41 million") vs 341.6: consistent (truncation); equal counts, the more precise wins
    assert selected_value(bundled, "enrollment_in_school", 2018) == "341.6"
    # exact 485.8 beats the bound ">400", which it agrees with
    assert selected_value(bundled, "training_to_society", 2020) == "485.8"
    # 101.41 vs 104.9 conflict: resolved by source_choices.csv
    assert selected_value(bundled, "graduates", 2020) == "101.41"
    assert selected_value(bundled, "graduates", 2021) == "108.7"
    # a bound alone stays a bound
    assert selected_value(bundled, "graduate_employment_rate", 2016) == ">97.0"
    assert selected_value(bundled, "new_enrollment", 2020) == "160.06"


def test_conflict_without_choice_is_an_error(raw_copy):
    choices = raw_copy / "source_choices.csv"
    kept = [ln for ln in choices.read_text(encoding="utf-8").splitlines() if not ln.startswith("graduates,2020")]
    choices.write_text("\n".join(kept) + "\n", encoding="utf-8")
    err = only_error(raw_copy / "technical_schools_statistics.csv")
    assert "graduates 2020" in str(err) and "101.41" in str(err) and "104.9" in str(err)
    assert err.column == "value" and err.line > 1
    assert err.path == raw_copy / "technical_schools_statistics.csv"


def test_choice_must_be_a_published_value(tmp_path):
    path = write(tmp_path, [row(value="101.41"), row(value="104.9")], choices=["enrollment_in_school,2020,103,why"])
    err = only_error(path)
    assert "none of the published values" in str(err)
    assert err.path == tmp_path / "source_choices.csv" and err.line == 2 and err.column == "value"


def test_choice_resolves_conflict(tmp_path):
    path = write(tmp_path, [row(value="101.41"), row(value="104.9")],
                 choices=["enrollment_in_school,2020,104.9,a reason"])
    frame = load_series(path)
    assert frame.loc[frame.selected, "value"].tolist() == [104.9]


def test_no_choices_option(tmp_path):
    path = write(tmp_path, [row(value="101.41"), row(value="104.9")],
                 choices=["enrollment_in_school,2020,104.9,a reason"])
    with pytest.raises(DataError, match="conflicting"):
        load_series(path, choices=False)


@pytest.mark.parametrize("rows, expected", [
    ([row(value="395"), row(value="395.5"), row(value="395.5"), row(value="395.53")], "395.5"),
    ([row(value="341"), row(value="341.6")], "341.6"),
    ([row(value="160.1"), row(value="160.06")], "160.06"),
    ([row(value="400", qualifier=">"), row(value="485.8")], "485.8"),
    ([row(value="97", qualifier=">", unit="%", indicator="rate"),
      row(value="97", unit="%", indicator="rate")], "97.0"),  # '>' read as 以上 (at least)
    ([row(value="400", qualifier=">"), row(value="500", qualifier=">")], ">500.0"),
    ([row(value="500", qualifier="~"), row(value="520", qualifier="~")], "~500.0"),  # tie: first in file
    ([row(value="500", qualifier="~"), row(value="510")], "510.0"),
])
def test_selection_rule_cases(tmp_path, rows, expected):
    frame = load_series(write(tmp_path, rows))
    chosen = frame[frame.selected]
    assert len(chosen) == 1
    assert chosen["qualifier"].item() + repr(chosen["value"].item()) == expected


@pytest.mark.parametrize("rows", [
    [row(value="395.5"), row(value="420")],                         # exact figures disagree
    [row(value="108.7"), row(value="109.5")],                       # beyond the coarser rounding
    [row(value="500", qualifier=">"), row(value="485.8")],          # bound contradicts exact
    [row(value="485.8"), row(value="400", qualifier="<")],
    [row(value="500", qualifier="~"), row(value="700")],            # 'about 500' vs 700
    [row(value="400", qualifier=">"), row(value="300", qualifier="<")],  # mixed bounds only
])
def test_conflicts_need_a_choice(tmp_path, rows):
    err = only_error(write(tmp_path, rows))
    assert "conflicting values for enrollment_in_school 2020" in str(err)
    assert err.path == tmp_path / "stats.csv" and err.line == 2 and err.column == "value"


# ---------------------------------------------------------------- validation errors

def test_missing_file(tmp_path):
    err = only_error(tmp_path / "nope.csv")
    assert "file not found" in str(err) and err.path == tmp_path / "nope.csv"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    err = only_error(path)
    assert "empty" in str(err) and err.path == path


def test_header_only_file(tmp_path):
    err = only_error(write(tmp_path, []))
    assert "no data rows" in str(err) and err.line == 1


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + "\n" + row(value="395.5") + "\n").encode("gb18030"))
    err = only_error(path)
    assert "UTF-8" in str(err) and err.line == 2 and err.path == path


def test_misspelt_column_suggests_the_close_name(tmp_path):
    path = write(tmp_path, [row()], header=HEADER.replace("qualifier", "qualifer"))
    err = only_error(path)
    assert err.column == "qualifier" and err.line == 1 and err.value == "qualifer"
    assert "missing column 'qualifier'" in str(err) and "'qualifer'" in str(err)


def test_missing_column(tmp_path):
    header = HEADER.replace(",unit", "")
    path = write(tmp_path, ["enrollment_in_school,2020,395.5,,Bulletin,https://e.org,q,"], header=header)
    err = only_error(path)
    assert err.column == "unit" and "missing column" in str(err)


def test_note_column_is_optional(tmp_path):
    header = HEADER.rsplit(",", 1)[0]
    path = write(tmp_path, ["enrollment_in_school,2020,395.5,,万人,Bulletin,https://e.org,q"], header=header)
    assert load_series(path)["note"].tolist() == [""]


@pytest.mark.parametrize("bad_row, column, value, message", [
    (row(value="3.9e"), "value", "3.9e", "expected a number"),
    (row(value="nan"), "value", "nan", "expected a number"),
    (row(year="20x0"), "year", "20x0", "expected a year"),
    (row(year="1900"), "year", "1900", "year out of range"),
    (row(year="2101"), "year", "2101", "1949..2100"),
    (row(indicator="rate", value="101.5", unit="%"), "value", "101.5", "a share in [0, 100]"),
    (row(qualifier="≈"), "qualifier", "≈", "unknown qualifier"),
    (row(source=",https://e.org,q,"), "source_title", None, "must carry its source"),
    (row(source="Bulletin,,q,"), "source_url", None, "must carry its source"),
    (row(source="Bulletin,https://e.org,,"), "quote", None, "must carry its source"),
])
def test_bad_value_named_with_file_line_column(tmp_path, bad_row, column, value, message):
    path = write(tmp_path, [row(year=2019), bad_row])
    err = only_error(path)
    assert message in str(err)
    assert (err.path, err.line, err.column, err.value) == (path, 3, column, value)
    assert f"{path}, line 3, column {column!r}" in str(err)


def test_values_are_checked_against_the_series_domain(tmp_path):
    from plananalysis.domain import Domain

    # a negative value in an undeclared series makes it a signed rate (GDP growth, CPI) ...
    path = write(tmp_path, [row(year=2019, value="2.1", unit="% yoy"), row(value="-0.8", unit="% yoy")])
    assert load_series(path)["value"].tolist() == [2.1, -0.8]
    path = write(tmp_path, [row(year=2019, value="2.1", unit="pp"), row(value="-0.8", unit="pp")])
    assert load_series(path)["value"].tolist() == [2.1, -0.8]
    # ... but a series declared a count (by a plan bundle or the domain column) may not go negative
    path = write(tmp_path, [row(year=2019), row(value="-3")])
    err = only_error(path, domains={"enrollment_in_school": Domain("count")})
    assert (err.line, err.column, err.value) == (3, "value", "-3") and "a count >= 0" in str(err)
    col = HEADER + ",domain"
    path = write(tmp_path, [row(year=2019) + ",count", row(value="-3") + ",count"], header=col)
    assert only_error(path).line == 3
    path = write(tmp_path, [row(year=2019) + ",volume", row() + ",volume"], header=col)
    assert "domain must be one of" in str(only_error(path))
    # a gross enrolment rate may pass 100 once declared: share with a higher bound
    path = write(tmp_path, [row(indicator="ger", value="101.5", unit="%")])
    assert load_series(path, domains={"ger": Domain("share", upper=150)})["value"].tolist() == [101.5]


def test_two_units_for_one_indicator(tmp_path):
    path = write(tmp_path, [row(year=2019), row(year=2020, value="3955306", unit="人")])
    err = only_error(path)
    assert "two units" in str(err) and "'万人'" in str(err)
    assert (err.line, err.column, err.value) == (3, "unit", "人")


def test_wrong_field_count(tmp_path):
    err = only_error(write(tmp_path, [row(), "enrollment_in_school,2021,1"]))
    assert err.line == 3 and "fields" in str(err)


def test_all_problems_collected_in_one_pass(tmp_path):
    path = write(tmp_path, [row(year=2016), row(year="x"), row(year=2018, value="1e"),
                            row(year=2019, qualifier="?"), row(year=2020, value="1"), row(year=2020, value="9")])
    errors = all_errors(path)
    assert [(e.line, e.column) for e in errors] == [(3, "year"), (4, "value"), (5, "qualifier"), (6, "value")]
    assert "conflicting" in str(errors[-1])


def test_validate_files_returns_the_list(tmp_path):
    assert load_plan().validate() == []
    good = write(tmp_path, [row()], name="good.csv")
    bad = write(tmp_path, [row(year="x"), row(value="-2x")], name="bad.csv")
    assert validate_files([good]) == []
    problems = validate_files([good, bad, tmp_path / "missing.csv"])
    assert [(p.path.name, p.line, p.column) for p in problems] == [
        ("bad.csv", 2, "year"), ("bad.csv", 3, "value"), ("missing.csv", None, None)]
    assert all(isinstance(p, DataError) for p in problems)


def test_validate_map_and_choices_files(tmp_path):
    bad_map = tmp_path / "map.csv"
    bad_map.write_text("indicator,series,relation,note\nenrollment,x,sometimes,\n", encoding="utf-8")
    bad_choices = tmp_path / "choices.csv"
    bad_choices.write_text("indicator,year,value,reason\ngraduates,2020,abc,\n", encoding="utf-8")
    problems = validate_files([bad_map, bad_choices])
    assert {(p.path.name, p.line, p.column) for p in problems} == {
        ("map.csv", 2, "relation"), ("choices.csv", 2, "value"), ("choices.csv", 2, "reason")}


def test_bundle_map_series_must_exist(raw_copy):
    map_path = raw_copy / "target_series_map.csv"
    map_path.write_text(map_path.read_text(encoding="utf-8").replace(
        "enrollment,enrollment_in_school", "enrollment,enrolment_in_school"), encoding="utf-8")
    problems = load_plan(raw_copy).validate()
    assert len(problems) == 1 and "did you mean 'enrollment_in_school'" in str(problems[0])


# ---------------------------------------------------------------- get_series, filters, cache

def test_get_series_shape(bundled):
    s = get_series("enrollment_in_school", bundled)
    assert list(s.columns[:6]) == ["value", "qualifier", "unit", "source_title", "source_url", "n_sources"]
    assert s.index.name == "year" and s.index.is_monotonic_increasing and s.index.dtype.kind == "i"
    rows = bundled
    published = set(rows.loc[rows["indicator"] == "enrollment_in_school", "year"])
    assert set(s.index) == published  # a year without a row is absent, never filled: gaps stay gaps
    assert (s["n_sources"] >= 1).all()
    assert s.attrs["unit"] == "万人"


def test_get_series_keeps_bounds(bundled):
    s = get_series("graduate_employment_rate", bundled)
    assert s.loc[2016, "qualifier"] == ">" and s.loc[2016, "value"] == 97.0  # "97%以上" stays a bound
    assert s.attrs["unit"] == "%"


def test_get_series_unknown_indicator(bundled):
    with pytest.raises(DataError, match="did you mean 'enrollment_in_school'"):
        get_series("enrolment_in_school", bundled)


def test_get_series_on_custom_data(tmp_path):
    data = load_series(write(tmp_path, [row(year=2021, value="1"), row(year=2019, value="2")]))
    s = get_series("enrollment_in_school", data)
    assert s["value"].tolist() == [2.0, 1.0] and s.index.tolist() == [2019, 2021]


def test_indicators_filter():
    frame = load_series(STATS, indicators=["graduates"])
    assert set(frame.indicator) == {"graduates"}
    assert set(load_series(STATS, indicators="graduates").indicator) == {"graduates"}
    with pytest.raises(DataError, match="unknown indicator"):
        load_series(STATS, indicators=["nope"])


def test_cache_returns_copies_and_sees_edits(tmp_path):
    first = load_series(STATS)
    first.loc[:, "value"] = -1.0
    assert (load_series(STATS)["value"] >= 0).all()
    plan_copy = load_plan().statistics()
    plan_copy.loc[:, "value"] = -1.0
    assert (load_plan().statistics()["value"] >= 0).all()
    path = write(tmp_path, [row(value="1")])
    assert load_series(path)["value"].tolist() == [1.0]
    path.write_text(HEADER + "\n" + row(value="22.5") + "\n", encoding="utf-8")
    assert load_series(path)["value"].tolist() == [22.5]


def test_load_target_series_map():
    m = load_target_series_map(load_plan().path("target_series"))
    assert list(m.columns) == ["indicator", "series", "relation", "note"]
    assert m.set_index("indicator").loc["skills_training", "relation"] == "proxy"
    bundled = pd.read_csv(load_plan().path("target_series"), keep_default_na=False)
    assert len(m) == len(bundled)


def test_load_target_series_map_errors(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_target_series_map(tmp_path / "none.csv")
    bad = tmp_path / "map.csv"
    bad.write_text("indicator,series,relation,note\nskills_training,training_to_society,proxy,\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match="proxy needs a note") as info:
        load_target_series_map(bad)
    assert info.value.line == 2 and info.value.column == "note"


# ---------------------------------------------------------------- counts refuse negative values

@pytest.mark.parametrize("unit", ["万人", "万人次", "人", "所", "个"])
def test_negative_count_is_an_error_by_its_unit(tmp_path, unit):
    """A series in a unit of counted things is a count, declared or not: -3 is a data error."""
    path = write(tmp_path, [row(year=2019, value="395.5", unit=unit), row(value="-3", unit=unit)])
    err = only_error(path)
    assert (err.path, err.line, err.column, err.value) == (path, 3, "value", "-3")
    assert "a count >= 0" in str(err) and f"{path}, line 3, column 'value'" in str(err)
    problems = validate_files([path])
    assert [(p.path, p.line, p.column) for p in problems] == [(path, 3, "value")]


def test_negative_count_in_a_bundle_is_refused_when_loaded(raw_copy):
    stats = raw_copy / "technical_schools_statistics.csv"
    lines = stats.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("enrollment_in_school,2019,"))
    fields = lines[i].split(",")
    fields[2] = "-3"
    lines[i] = ",".join(fields)
    stats.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_plan(raw_copy).statistics()
    errors = getattr(info.value, "errors", [info.value])
    assert any((e.path, e.line, e.column) == (stats, i + 1, "value") for e in errors)
    assert any(e.line == i + 1 and e.column == "value" for e in load_plan(raw_copy).validate())


# ---------------------------------------------------------------- readers read only what they are given

def test_readers_need_their_input():
    from plananalysis.coverage import coverage_matrix
    from plananalysis.plan import load_programme_targets, load_targets
    from plananalysis.text import load_plan_text

    for reader in (load_series, load_target_series_map, load_targets, load_plan_text, load_programme_targets,
                   coverage_matrix):
        with pytest.raises(TypeError):
            reader()
        with pytest.raises(DataError):
            reader(None)
    with pytest.raises(TypeError):
        get_series("graduates")
    with pytest.raises(DataError, match="statistics frame"):
        get_series("graduates", None)


def test_readers_do_not_import_the_bundle():
    """Importing every reader loads no bundle module (the bundle imports the readers, never the reverse)."""
    import subprocess
    import sys

    code = ("import sys, plananalysis.data, plananalysis.plan, plananalysis.text, plananalysis.coverage, "
            "plananalysis.statistics, plananalysis.sources, plananalysis.programme; "
            "print(sorted(m for m in sys.modules if m in ('plananalysis.bundle', 'plananalysis.datasets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_names_stay_importable_from_data():
    from plananalysis import data, domain

    assert data.APPROX_TOLERANCE is domain.APPROX_TOLERANCE == 0.10
    for name in data.__all__:
        assert hasattr(data, name), name


def test_the_derived_2023_students_figure_is_marked_derived_and_cites_every_input():
    from plananalysis import datasets
    from plananalysis.sources import split_urls

    s = get_series("enrollment_in_school", datasets.technical_education().statistics())
    row = s.loc[2023]
    assert (row["value"], row["qualifier"], bool(row["derived"])) == (439.9, "~", True)
    assert len(split_urls(row["source_url"])) == 3
    assert not s.drop(index=2023)["derived"].any()  # published figures are not marked
    # and the engine says so where it uses it
    from plananalysis import assess
    reasons = assess(as_of=2024)["enrollment"].reasons
    assert "2023 ≈439.9; derived, not published: 2023" in " ".join(r.message for r in reasons)
    assert "推算值（非官方公布）：2023" in " ".join(r.text("zh") for r in reasons)
