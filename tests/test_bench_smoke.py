"""The benchmark scripts run (quick paths), so they cannot rot unnoticed; their figures are not asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from plananalysis import paths

pytestmark = pytest.mark.slow  # a benchmark run in a subprocess


def test_bench_assess_quick_runs():
    proc = subprocess.run([sys.executable, str(paths.ROOT / "bench" / "bench_assess.py"), "--quick"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "1. bundled assess()" in proc.stdout and "n_jobs=2" in proc.stdout
