"""Shared fixtures: the Jupyter kernel, a fixed "today", bundled file paths and throw-away copies.

The suite is self-contained: ``pip install -e '.[dev]' && pytest`` works in a
fresh venv without ``make``. When no kernelspec named ``plananalysis`` can be
found (``make setup`` registers one inside the venv), :func:`plananalysis_kernel`
writes one for this interpreter into a temporary Jupyter data folder and puts
that folder first on ``JUPYTER_PATH`` for the session (kernels started by
papermill, and CLI subprocesses, inherit it). Nothing is written to the home
folder or the venv.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from plananalysis import paths

#: Kernel the notebooks and the report run on (``notebooks/*.ipynb`` metadata).
KERNEL_NAME = "plananalysis"
KERNEL_DISPLAY_NAME = "Python (plananalysis)"

#: The date tests that need a "today" use (``today=TODAY``): the viewpoint is then 2025,
#: the target year of the default plan, whose 2025 figures are not in the data.
TODAY = datetime.date(2026, 6, 1)


def _usable_kernel(name: str) -> bool:
    """True when a kernelspec ``name`` exists and its interpreter exists."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return False
    program = spec.argv[0] if spec.argv else ""
    return bool(shutil.which(program) or Path(program).is_file())


def write_kernelspec(data_dir, name=KERNEL_NAME, display_name=KERNEL_DISPLAY_NAME) -> Path:
    """Write ``data_dir/kernels/NAME/kernel.json`` starting ipykernel on this interpreter.

    Parameters
    ----------
    data_dir : path-like
        A Jupyter data folder (an entry of ``JUPYTER_PATH``).

    Returns
    -------
    Path
        The kernelspec folder.
    """
    folder = Path(data_dir) / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": display_name,
        "language": "python",
        "metadata": {"debugger": True},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return folder


@pytest.fixture(scope="session", autouse=True)
def plananalysis_kernel(tmp_path_factory):
    """The ``plananalysis`` kernel: the registered one, else one for this interpreter in a temp folder.

    Yields the kernelspec's resource folder.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    if _usable_kernel(KERNEL_NAME):
        yield Path(KernelSpecManager().get_kernel_spec(KERNEL_NAME).resource_dir)
        return
    data_dir = tmp_path_factory.mktemp("jupyter-data")
    folder = write_kernelspec(data_dir)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", os.pathsep.join(p for p in (str(data_dir), os.environ.get("JUPYTER_PATH")) if p))
        assert _usable_kernel(KERNEL_NAME), "the temporary plananalysis kernelspec is not found"
        yield folder


@pytest.fixture
def today():
    """A fixed date to pass as ``today=`` where a result depends on the viewpoint year."""
    return TODAY


@pytest.fixture
def raw_copy(tmp_path):
    """A writable copy of ``data/raw`` (tests must never touch the real one)."""
    target = tmp_path / "raw"
    shutil.copytree(paths.DEFAULT_PLAN_DIR, target)
    return target


@pytest.fixture(scope="session")
def default_plan():
    """The default plan bundle (read only)."""
    from plananalysis.bundle import load_plan

    return load_plan()
