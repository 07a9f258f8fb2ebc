"""Shared fixtures and hooks: the Jupyter kernel, the ``slow`` marker, a fixed "today", bundled files.

``pytest -m "not slow"`` runs the fast suite (about 20 s); plain ``pytest``
(``make test``) runs everything. A test is slow when it executes notebooks,
runs a report, builds a wheel or takes more than about :data:`SLOW_SECONDS`:
mark it ``@pytest.mark.slow``. Tests using a fixture in :data:`SLOW_FIXTURES`
(module fixtures that run notebooks or a whole report) are marked
automatically, so deselecting them never leaves the fixture half-used. The
terminal summary lists unmarked tests that took longer.

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

# Like the CLI's report command (plananalysis.cli._skip_slow_iri_grammars): keep jsonschema, imported
# by nbformat, from compiling rfc3987_syntax's 38 Lark grammars (1-2.5 s of every test run's
# collection); no notebook schema uses the two "iri" formats it checks.
sys.modules.setdefault("rfc3987_syntax", None)

#: Kernel the notebooks and the report run on (``notebooks/*.ipynb`` metadata).
KERNEL_NAME = "plananalysis"
KERNEL_DISPLAY_NAME = "Python (plananalysis)"

#: A test slower than this (setup + call) belongs behind ``@pytest.mark.slow``.
SLOW_SECONDS = 3.0
#: Fixtures that execute notebooks, run a report or build a wheel: every test using one is slow.
SLOW_FIXTURES = frozenset({"executed", "published", "hostile_report", "wheel"})

#: The date tests that need a "today" use (``today=TODAY``): the viewpoint is then 2025,
#: the target year of the default plan, whose 2025 figures are not in the data.
TODAY = datetime.date(2026, 6, 1)


def pytest_addoption(parser):
    parser.addoption(
        "--pin-today", metavar="YYYY-MM-DD", default=None,
        help="run with plananalysis.study's clock pinned to this date, to check that no test depends on "
             "today's date (in-process code only: notebook kernels keep the real clock; use -m 'not slow')")


@pytest.fixture(autouse=True)
def _pinned_clock(request, monkeypatch):
    """With ``--pin-today``: ``datetime.date.today()`` as seen by :mod:`plananalysis.study`."""
    value = request.config.getoption("--pin-today")
    if value:
        import types

        import plananalysis.study as study

        pinned = datetime.date.fromisoformat(value)

        class PinnedDate(datetime.date):
            @classmethod
            def today(cls):
                return pinned

        monkeypatch.setattr(study, "_dt", types.SimpleNamespace(date=PinnedDate, datetime=datetime.datetime))
    yield


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


_durations: dict = {}


def pytest_runtest_logreport(report):
    if report.when in ("setup", "call") and "slow" not in report.keywords:
        _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    slow = sorted(((t, n) for n, t in _durations.items() if t > SLOW_SECONDS), reverse=True)
    if slow:
        terminalreporter.section("tests over %.0f s without @pytest.mark.slow" % SLOW_SECONDS)
        for seconds, nodeid in slow:
            terminalreporter.write_line(f"{seconds:6.1f}s {nodeid}")


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
