"""Build hook: a wheel carries the default plan bundle and the notebooks.

``data/raw/`` (every plan bundle shipped with the package) and
``notebooks/`` are the single source of truth in the repository; building a
(non-editable) wheel copies them into ``plananalysis/_bundled/`` so that an
installed package can run ``plananalysis assess`` and ``plananalysis report``
from any directory. Editable installs read the checkout directly
(:mod:`plananalysis.paths`). All metadata is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {"data": ROOT / "data" / "raw", "notebooks": ROOT / "notebooks"}
IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", ".*")


class BuildPyWithBundle(build_py):
    """``build_py`` plus a copy of data/raw and notebooks into the package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "plananalysis" / "_bundled"
        for name, source in BUNDLED.items():
            if not source.is_dir():
                raise SystemExit(f"cannot build plananalysis: {source} is missing")
            shutil.copytree(source, target / name, dirs_exist_ok=True, ignore=IGNORE)


setup(cmdclass={"build_py": BuildPyWithBundle})
