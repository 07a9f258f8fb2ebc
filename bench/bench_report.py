"""Wall time of ``plananalysis report`` (--jobs 1 and 2) next to the papermill floor.

The floor is papermill executing the same number of notebooks on the same
kernel, with the same parallelism, where each notebook only imports pandas,
statsmodels and matplotlib: kernel start-up plus imports, the cost no report
can avoid. The report is run through the CLI in a subprocess (what ``make
report`` does) into a temporary folder. Floor and report runs are
interleaved so machine load affects both alike.

Usage::

    python bench/bench_report.py [--jobs 1 2] [--repeat 1] [--params FILE.yaml]

Prints a table and writes ``bench/results/bench_report.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill

from plananalysis import __version__, load_plan, paths, report

FLOOR_SOURCE = "%matplotlib inline\nimport pandas\nimport statsmodels.api\nimport matplotlib.pyplot as plt"


def n_notebooks() -> int:
    """Notebook executions of one report (each notebook once, 02 once per target with a series)."""
    return len(report.NOTEBOOK_ORDER) - 1 + len(report.targets_with_series(load_plan().targets()))


def floor(n: int, jobs: int, kernel: str, work: Path) -> float:
    """Seconds for papermill to execute ``n`` import-only notebooks, ``jobs`` at a time."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    src = work / "floor.ipynb"
    nbformat.write(nb, str(src))

    def run(i: int) -> None:
        # same kernel launch as the report (working directory, log file, one BLAS thread)
        with open(work / f"floor-{i}.log", "ab") as log:
            papermill.execute_notebook(str(src), str(work / f"floor-{i}.ipynb"), kernel_name=kernel,
                                       progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                       kernel_manager_class=report.kernel_manager_class(log, work))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(run, range(n)))
    return time.perf_counter() - t0


def full_report(jobs: int, kernel: str, work: Path, params: str | None) -> float:
    """Seconds for ``plananalysis report --jobs N`` (CLI in a subprocess) into ``work``."""
    cmd = [sys.executable, "-m", "plananalysis.cli", "report", "--jobs", str(jobs), "--kernel", kernel,
           "--out", str(work / f"report-j{jobs}")]
    if params:
        cmd += ["--params", params]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"report failed (exit {proc.returncode}):\n{proc.stderr}")
    return elapsed


def durations(work: Path, jobs: int) -> dict:
    """Per-notebook durations from the report's manifest."""
    manifest = json.loads((work / f"report-j{jobs}" / "manifest.json").read_text(encoding="utf-8"))
    return {nb["page"]: nb["duration_seconds"] for nb in manifest["notebooks"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting; the minimum is reported")
    parser.add_argument("--kernel", default="plananalysis")
    parser.add_argument("--params", help="parameter overrides for the report (YAML)")
    args = parser.parse_args(argv)

    n = n_notebooks()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        work = Path(tmp)
        for jobs in args.jobs:
            f = min(floor(n, jobs, args.kernel, work) for _ in range(args.repeat))
            r = min(full_report(jobs, args.kernel, work, args.params) for _ in range(args.repeat))
            rows.append({"jobs": jobs, "notebooks": n, "floor_s": round(f, 2), "report_s": round(r, 2),
                         "ratio": round(r / f, 2), "per_notebook_s": durations(work, jobs)})

    print(f"plananalysis {__version__} report benchmark ({n} notebooks, kernel {args.kernel!r}, "
          f"python {platform.python_version()}, papermill {papermill.__version__})")
    print(f"{'jobs':>4}  {'floor (s)':>9}  {'report (s)':>10}  {'ratio':>5}")
    for row in rows:
        print(f"{row['jobs']:>4}  {row['floor_s']:>9.1f}  {row['report_s']:>10.1f}  {row['ratio']:>5.2f}")
    print("goal: ratio <= 1.3 (issue 10)")
    slowest = sorted(rows[0]["per_notebook_s"].items(), key=lambda kv: -kv[1])[:3]
    print("slowest notebooks (jobs=%d): %s" % (rows[0]["jobs"], ", ".join(f"{k} {v:.1f}s" for k, v in slowest)))
    out = paths.ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_report.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
