"""The package ships whole: a wheel built from the repository carries the bundles and the notebooks.

``data/raw/`` and ``notebooks/`` stay the single source of truth in the
repository; the wheel's copies (``plananalysis/_bundled/``) must equal them
byte for byte, and an installed wheel must assess and report from any
directory (no checkout around it).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from plananalysis import paths

ROOT = paths.ROOT


def _source_files():
    """Files of the checkout as git sees them (tracked, and untracked but not ignored)."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return [f for f in out if (ROOT / f).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files are sources")
    src = tmp_path_factory.mktemp("src")
    for name in _source_files():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True, text=True)
    (path,) = out.glob("plananalysis-*.whl")
    return path


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_wheel_carries_data_raw_and_notebooks_byte_for_byte(wheel):
    with zipfile.ZipFile(wheel) as z:
        carried = {n: _digest(z.read(n)) for n in z.namelist() if n.startswith("plananalysis/_bundled/")}
        assert {"plananalysis/calibration/reference_class.json", "plananalysis/calibration/reference_cases.csv"} <= set(z.namelist())
    expected = {}
    for name in _source_files():
        for folder, target in (("data/raw/", "data/"), ("notebooks/", "notebooks/")):
            if name.startswith(folder):
                expected[f"plananalysis/_bundled/{target}{name[len(folder):]}"] = _digest((ROOT / name).read_bytes())
    assert carried == expected


def test_installed_wheel_assesses_and_reports_from_any_directory(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("PLANANALYSIS_ROOT", None)

    def run(*args, timeout=600):
        return subprocess.run([sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True,
                              timeout=timeout)

    probe = run("-c", "import plananalysis as pa; from plananalysis import paths; "
                      "print(pa.__file__); print(paths.in_checkout()); print(len(pa.assess(n_paths=300).to_frame()))")
    assert probe.returncode == 0, probe.stderr
    where, in_checkout, shape = probe.stdout.split("\n")[:3]
    assert where.startswith(str(site)) and in_checkout == "False" and shape == "4"
    out = run("-m", "plananalysis.cli", "assess", "--n-paths", "300", "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("indicator,") and "enrollment" in out.stdout
    report = run("-m", "plananalysis.cli", "report", "--out", "r", "--n-paths", "200",
                 "--params", str(_params(tmp_path)), "--jobs", "2")
    assert report.returncode == 0, report.stderr[-2000:]
    assert (elsewhere / "r" / "index.html").is_file() and (elsewhere / "r" / "scorecard.csv").is_file()
    assert not (elsewhere / "reports").exists() or not any((elsewhere / "reports").iterdir())


def _params(tmp_path):
    p = tmp_path / "small.yaml"
    p.write_text("04_model_backtest:\n  max_horizon: 2\n05_calibration:\n  n_boot: 50\n", encoding="utf-8")
    return p
