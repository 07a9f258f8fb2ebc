"""The command line's rough edges: suggestions for misspellings, one-line errors for a bad --out."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from plananalysis.cli import main


def _usage_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_a_misspelt_option_gets_a_suggestion(capsys):
    err = _usage_error(["report", "--jobz", "2"], capsys)
    assert "unrecognized arguments: --jobz 2 (did you mean --jobs?)" in err
    assert err.startswith("usage: plananalysis report") and "Traceback" not in err
    err = _usage_error(["assess", "--calibraton", "none"], capsys)
    assert "did you mean --calibration?" in err


def test_a_misspelt_command_gets_a_suggestion(capsys):
    err = _usage_error(["asses"], capsys)
    assert "invalid choice: 'asses'" in err and "did you mean 'assess'?" in err
    err = _usage_error(["reprot"], capsys)
    assert "did you mean 'report'?" in err


def test_nothing_close_gives_no_suggestion(capsys):
    err = _usage_error(["report", "--zzzzzz"], capsys)
    assert "unrecognized arguments: --zzzzzz" in err and "did you mean" not in err


def test_an_out_folder_under_a_file_is_one_line_and_nothing_is_written(tmp_path, capsys):
    afile = tmp_path / "page.html"
    afile.write_text("x", encoding="utf-8")
    assert main(["report", "--out", str(afile / "sub")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"{afile} is a file" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    assert main(["report", "--out", str(afile)]) == 1
    assert "is a file, not a report folder" in capsys.readouterr().err


def test_an_out_folder_that_cannot_be_created_is_one_line(tmp_path, capsys, monkeypatch):
    import plananalysis.cli as cli

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli.tempfile, "TemporaryDirectory", refuse)
    assert main(["report", "--out", str(tmp_path / "new" / "report")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cannot create folders in" in err and "Permission denied" in err


def test_targets_prints_a_readable_table_and_csv_keeps_every_column_with_the_reading(capsys):
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    assert "≥ 360 万人" in out and "NaN" not in out and "<NA>" not in out and "360.0" not in out
    assert main(["targets", "--format", "csv"]) == 0
    header, first = capsys.readouterr().out.splitlines()[:2]
    assert header.startswith("indicator,") and header.endswith(",reading") and first.endswith(",≥")


def test_a_future_as_of_is_refused(capsys, monkeypatch):
    import datetime

    import plananalysis.cli as cli

    monkeypatch.setattr(cli, "_today", lambda: datetime.date(2026, 12, 4))
    assert main(["assess", "--as-of", "2030", "--n-paths", "100"]) == 1
    assert "as_of 2030 is in the future (today is 2026-12-04)" in capsys.readouterr().err
    assert main(["assess", "--as-of", "2023", "--n-paths", "100", "--format", "csv"]) == 0


def test_assess_in_chinese_prints_chinese_status_words_and_headers(capsys):
    assert main(["assess", "--lang", "zh", "--n-paths", "300", "--as-of", "2023"]) == 0
    out = capsys.readouterr().out
    assert "状态" in out and "达成概率" in out and "理由：" in out
    assert any(word in out for word in ("进展顺利", "有风险", "偏离目标"))
    assert "on track" not in out and "at risk" not in out and "insufficient data" not in out
    assert "≥360" in out
    heading = out.splitlines()[0]
    assert "默认规划数据包" in heading and "default plan bundle" not in heading and "reference_class" not in heading


def test_suggestions_come_from_the_subcommands_own_options(capsys):
    err = _usage_error(["targets", "--n-path", "3"], capsys)  # --n-paths belongs to assess, not targets
    assert "did you mean --path?" in err and "--n-paths" not in err
    assert err.startswith("usage: plananalysis targets")
    err = _usage_error(["assess", "--sed", "1", "--calibraton", "none"], capsys)
    assert "--sed: did you mean --seed?" in err and "--calibraton: did you mean --calibration?" in err


def test_a_misspelt_choice_of_any_argument_gets_a_suggestion(capsys):
    err = _usage_error(["calibrate", "evalute"], capsys)
    assert "invalid choice: 'evalute'" in err and "did you mean 'evaluate'?" in err


def test_report_help_separates_pages_at_once_from_worker_processes(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    settings, pages = out.index("settings ("), out.index("report pages (how the notebooks run)")
    assert "--n-jobs PROCESSES" in out[settings:pages]  # a setting: worker processes inside one page
    assert "--jobs NOTEBOOKS" in out[pages:]  # the report's own: pages at the same time
    assert "--executor NAME" in out[pages:]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_an_out_folder_in_proc_is_one_line(capsys):
    assert main(["report", "--out", "/proc/plananalysis-x"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "/proc" in err
    assert not Path("/proc/plananalysis-x").exists()


def test_targets_strict_reads_greater_than_as_exclusive(capsys):
    assert main(["targets", "--strict"]) == 0
    out = capsys.readouterr().out
    assert "> 360 万人" in out and "≥" not in out
    assert main(["targets", "--strict", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["reading"] == ">"


def test_tables_line_up_with_chinese_text_and_keep_no_index():
    from plananalysis.present import text_table

    lines = text_table(pd.DataFrame({"状态": ["进展顺利", "on track"], "p": [0.5, float("nan")]})).splitlines()
    assert lines == ["状态" + " " * 9 + "p", "进展顺利 0.500", "on track     –"]  # a CJK character is two columns
