"""CLI: --version, targets (formats, --path), validate (exit 0 / exit 1 with every problem)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from plananalysis import __version__, paths
from plananalysis.bundle import load_plan
from plananalysis.cli import main

SCRIPT = shutil.which("plananalysis", path=str(Path(sys.executable).parent))


def run(*args):
    """Run the CLI as a module in a subprocess."""
    return subprocess.run([sys.executable, "-m", "plananalysis.cli", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.mark.skipif(SCRIPT is None, reason="console script not installed next to the interpreter")
def test_console_script_version_and_targets():
    out = subprocess.run([SCRIPT, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == f"plananalysis {__version__}"
    out = subprocess.run([SCRIPT, "targets", "--format", "csv"], capture_output=True, text=True,
                         encoding="utf-8", timeout=60)
    assert out.returncode == 0, out.stderr
    frame = pd.read_csv(io.StringIO(out.stdout), keep_default_na=False)
    assert frame["indicator"].tolist() == ["enrollment", "employment_rate", "high_skill_trained",
                                           "skills_training"]


def test_module_version():
    out = run("--version")
    assert out.returncode == 0 and __version__ in out.stdout


def test_targets_csv(capsys):
    assert main(["targets", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert frame["target"].tolist() == [360.0, 97.0, 200.0, 2000.0]
    assert frame["cumulative"].tolist() == [False, False, True, True]
    assert frame.loc[0, "baseline_value"] == "395.5" and frame.loc[1, "baseline_value"] == ""


def test_targets_json(capsys):
    assert main(["targets", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["indicator"] for r in records][:2] == ["enrollment", "employment_rate"]
    assert records[3]["comparator"] == ">" and records[3]["target"] == 2000.0
    assert records[1]["baseline_year"] is None and records[0]["baseline_year"] == 2020
    assert records[0]["name_zh"] == "在校生规模"  # not escaped


def test_targets_table(capsys):
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    assert "enrollment" in out and "skills_training" in out and "≥ 360 万人" in out


def test_targets_path_modified_copy(raw_copy, capsys):
    plan = raw_copy / load_plan().targets_path.name
    plan.write_text(plan.read_text(encoding="utf-8").replace(">360 |", ">370 |"), encoding="utf-8")
    assert main(["targets", "--plan", str(raw_copy), "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert frame.set_index("indicator").loc["enrollment", "target"] == 370.0


def test_targets_path_table_and_errors(tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("indicator,unit,comparator,target,target_year\nenrollment,万人,>,20,2030\n",
                     encoding="utf-8")
    assert main(["targets", "--path", str(table), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["target_year"] == 2030
    no_table = tmp_path / "plan.txt"
    no_table.write_text("技工教育规划\n没有表格\n", encoding="utf-8")
    assert main(["targets", "--path", str(no_table)]) == 1
    err = capsys.readouterr().err
    assert "专栏1" in err and str(no_table) in err and "Traceback" not in err


def test_validate_bundled(capsys):
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_bad_file_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "indicator,year,value,qualifier,unit,source_title,source_url,quote,note\n"
        "enrollment_in_school,20x0,395.5,,万人,T,https://e.org,q,\n"
        "enrollment_in_school,2021,-4,,万人,T,https://e.org,q,\n"
        "graduate_employment_rate,2021,102,,%,T,https://e.org,q,\n"
        "graduate_employment_rate,2022,97,≈,%,T,,q,\n",
        encoding="utf-8")
    # -4 万人 is a negative count whether the plan declares the series a count or only its unit says so
    for args in ((str(bad),), ("--plan", str(paths.DEFAULT_PLAN_DIR), str(bad))):
        out = run("validate", *args)
        assert out.returncode == 1
        assert "5 problem(s) found" in out.stderr
        for where in ("line 2, column 'year'", "line 3, column 'value'", "line 4, column 'value'",
                      "line 5, column 'qualifier'", "line 5, column 'source_url'"):
            assert f"{bad}, {where}" in out.stderr
        assert out.stdout == ""


@pytest.mark.parametrize("unit", ["万人", "万人次", "所"])
def test_validate_refuses_a_negative_count(tmp_path, capsys, unit):
    """A student count of -3 (unit 万人) is not 'all data files valid': file, line and column value."""
    stats = tmp_path / "stats.csv"
    stats.write_text(
        "indicator,year,value,qualifier,unit,source_title,source_url,quote,note\n"
        f"students,2020,395.5,,{unit},T,https://e.org,q,\n"
        f"students,2021,-3,,{unit},T,https://e.org,q,\n",
        encoding="utf-8")
    assert main(["validate", str(stats)]) == 1
    captured = capsys.readouterr()
    assert "all data files valid" not in captured.out
    assert f"{stats}, line 3, column 'value'" in captured.err and "a count >= 0" in captured.err


def test_validate_refuses_a_negative_count_in_a_bundle(raw_copy, capsys):
    stats = raw_copy / load_plan().path("statistics").name
    lines = stats.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("graduates,"))
    fields = lines[i].split(",")
    fields[2] = "-3"
    lines[i] = ",".join(fields)
    stats.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["validate", "--plan", str(raw_copy)]) == 1
    assert f"{stats}, line {i + 1}, column 'value'" in capsys.readouterr().err


def test_targets_path_may_name_a_bundle_folder(raw_copy, capsys):
    assert main(["targets", "--path", str(raw_copy), "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert frame["indicator"].tolist() == load_plan().targets()["indicator"].tolist()


def test_validate_good_copy_and_missing_file(raw_copy, tmp_path, capsys):
    good = raw_copy / load_plan().path("statistics").name
    assert main(["validate", str(good)]) == 0
    capsys.readouterr()
    assert main(["validate", str(good), str(tmp_path / "nope.csv")]) == 1
    err = capsys.readouterr().err
    assert "1 problem(s) found" in err and "nope.csv" in err and "file not found" in err
