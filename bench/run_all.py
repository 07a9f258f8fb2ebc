"""Run every benchmark script in ``bench/`` (``bench_*.py``), one after another.

``make bench`` calls this. Each script runs in its own process with this
Python and prints its own table; the exit status is non-zero if any failed.

Usage::

    python bench/run_all.py [NAME ...] [-- SCRIPT_ARGS]
    python bench/run_all.py report            # bench_report.py only
    python bench/run_all.py m3 -- --quick     # bench_m3.py on 100 series
    python bench/run_all.py --exclude m3      # all but bench_m3.py (make bench runs it in .venv-bench)
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    extra, exclude = [], []
    while "--exclude" in names and names.index("--exclude") + 1 < len(names):
        i = names.index("--exclude")
        exclude.append(names[i + 1])
        del names[i:i + 2]
    if "--" in names:
        i = names.index("--")
        names, extra = names[:i], names[i + 1:]
    scripts = [s for s in sorted(HERE.glob("bench_*.py"))
               if s.stem.removeprefix("bench_") not in exclude and s.stem not in exclude]
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names or s.stem in names]
        if not scripts:
            print(f"no benchmark matches {names}; available: "
                  f"{', '.join(s.stem for s in sorted(HERE.glob('bench_*.py')))}", file=sys.stderr)
            return 2
    failed = []
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(script), *extra])
        print(f"=== {script.name}: {'ok' if rc == 0 else f'FAILED (exit {rc})'} in {time.perf_counter() - t0:.1f}s\n",
              flush=True)
        if rc:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
