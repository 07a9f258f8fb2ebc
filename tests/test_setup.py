"""The two README commands do all set-up: checked with make's dry run."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from plananalysis import paths

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str, tmp_path) -> str:
    venv = tmp_path / "fresh-venv"  # does not exist: make must plan to create it
    result = subprocess.run(
        ["make", "-n", "-C", str(paths.ROOT), target, f"VENV={venv}"],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


@pytest.mark.parametrize("target,job", [("test", "-m pytest"), ("report", "plananalysis report")])
def test_make_target_creates_venv_installs_registers_kernel_then_runs(target, job, tmp_path):
    plan = _dry_run(target, tmp_path).splitlines()
    steps = ["-m venv", "pip install --quiet -e '.[dev]'", "ipykernel install --sys-prefix --name plananalysis", job]
    positions = [next(i for i, line in enumerate(plan) if step in line) for step in steps]
    assert positions == sorted(positions), plan


def test_ci_runs_make_test():
    script = (paths.ROOT / ".ci" / "run").read_text()
    assert "make test" in script
    assert "set -e" in script


# --------------------------------------------------------------------------- without make


def test_the_suite_finds_or_registers_the_kernel_itself(plananalysis_kernel):
    """``pip install -e '.[dev]' && pytest`` needs no ``make``: conftest provides the kernel."""
    import json
    from pathlib import Path

    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("plananalysis")
    assert Path(spec.resource_dir) == plananalysis_kernel
    assert (plananalysis_kernel / "kernel.json").is_file()
    assert json.loads((plananalysis_kernel / "kernel.json").read_text())["language"] == "python"
    assert not str(plananalysis_kernel).startswith(str(Path.home() / ".local"))


def test_written_kernelspec_runs_this_interpreter_and_is_found_on_jupyter_path(tmp_path, monkeypatch):
    import sys

    from conftest import write_kernelspec
    from jupyter_client.kernelspec import KernelSpecManager

    folder = write_kernelspec(tmp_path, name="plananalysis-test-only")
    assert folder == tmp_path / "kernels" / "plananalysis-test-only"
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    spec = KernelSpecManager().get_kernel_spec("plananalysis-test-only")
    assert spec.argv[0] == sys.executable and "ipykernel_launcher" in spec.argv
    assert spec.display_name == "Python (plananalysis)"


def test_slow_marker_is_registered_and_make_test_runs_everything(tmp_path):
    import tomllib

    with open(paths.ROOT / "pyproject.toml", "rb") as handle:
        options = tomllib.load(handle)["tool"]["pytest"]["ini_options"]
    assert any(m.startswith("slow:") for m in options["markers"])
    assert "--strict-markers" in options["addopts"] and "not slow" not in options["addopts"]
    job = next(line for line in _dry_run("test", tmp_path).splitlines() if "-m pytest" in line)
    assert "not slow" not in job and " -m slow" not in job
