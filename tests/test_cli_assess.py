"""The ``plananalysis assess`` command."""

from __future__ import annotations

import io
import json
import sys

import pandas as pd

from plananalysis.cli import main


def _run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_table_is_rounded_and_has_notes(capsys):
    code, out, _ = _run(["assess", "--n-paths", "500"], capsys)
    assert code == 0
    assert "insufficient data" in out and "reasons:" in out
    assert out.splitlines()[0].startswith("14th Five-Year Plan for Technical Education (default plan bundle")
    assert "%" in out.splitlines()[2]  # p_meet shown as a percentage
    assert "0.99530" not in out  # no long floats


def test_csv_and_json_round_trip(capsys):
    code, out, _ = _run(["assess", "--as-of", "2022", "--model", "drift", "--n-paths", "300",
                         "--format", "csv", "--seed", "4"], capsys)
    frame = pd.read_csv(io.StringIO(out))
    assert code == 0 and (frame["latest_year"].dropna() <= 2022).all()
    assert set(frame["model"].dropna()) <= {"drift"}
    code, out, _ = _run(["assess", "--n-paths", "300", "--format", "json"], capsys)
    records = json.loads(out)
    assert code == 0 and {r["indicator"] for r in records} >= {"enrollment", "skills_training"}


def test_targets_and_series_files(capsys, raw_copy):
    code, out, _ = _run(["assess", "--series", str(raw_copy / "technical_schools_statistics.csv"),
                         "--n-paths", "200", "--format", "csv"], capsys)
    assert code == 0 and "enrollment" in out


def test_errors_exit_1_with_message(capsys):
    code, _, err = _run(["assess", "--model", "magic"], capsys)
    assert code == 1 and "model" in err
    code, _, err = _run(["assess", "--as-of", "1900"], capsys)
    assert code == 1 and "as_of" in err



def test_output_piped_into_a_closed_reader_exits_quietly(monkeypatch, tmp_path):
    class ClosedPipe:
        """Stands for stdout piped into `head`, which has already exited."""

        def __init__(self, handle):
            self.handle = handle

        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

        def fileno(self):
            return self.handle.fileno()

    with open(tmp_path / "sink", "w") as handle:
        monkeypatch.setattr(sys, "stdout", ClosedPipe(handle))
        assert main(["targets"]) == 0
