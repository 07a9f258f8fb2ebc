"""The ``plananalysis assess`` command."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap

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


# ------------------------------------------------------------------ portable, light commands
def test_targets_and_assess_work_where_fcntl_does_not_exist():
    """Windows has no fcntl: no command but ``report`` loads the report package, and these need none of it."""
    code = textwrap.dedent("""
        import sys
        sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError, as on Windows
        from plananalysis.cli import main
        assert main(["targets"]) == 0
        assert main(["assess", "--n-paths", "200", "--format", "csv"]) == 0
        loaded = sorted(m for m in sys.modules if m.startswith("plananalysis.report"))
        assert not loaded, f"commands loaded {loaded}"
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "enrollment" in result.stdout and "\nindicator," in result.stdout and ",p_meet," in result.stdout


def _blas_threads_during(command, argv, monkeypatch):
    from threadpoolctl import threadpool_info

    from plananalysis import cli

    seen = []
    monkeypatch.setattr(cli, command, lambda args: seen.append(
        {i["filepath"]: i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}) or 0)
    assert cli.main(argv) == 0
    return seen[0]


def test_model_fitting_commands_run_with_one_blas_thread(monkeypatch):
    from plananalysis import cli

    for name in cli.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    threads = _blas_threads_during("_cmd_assess", ["assess"], monkeypatch)
    assert threads and set(threads.values()) == {1}
    assert {"assess", "backtest", "calibrate", "report"} == set(cli.COMPUTING_COMMANDS)


def test_a_thread_count_the_user_set_is_left_alone(monkeypatch):
    from threadpoolctl import threadpool_info

    from plananalysis import cli

    before = {i["filepath"]: i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert _blas_threads_during("_cmd_assess", ["assess"], monkeypatch) == before
