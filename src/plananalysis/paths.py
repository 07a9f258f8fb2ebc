"""Where the default plan bundle, the notebooks and the reports live.

In a source checkout (``pip install -e .``) these are the repository's
``data/raw/``, ``notebooks/`` and ``reports/``. In an installed wheel the
bundle and the notebooks come from the package itself
(``plananalysis/_bundled/``, copied from the same folders at build time) and
reports go to ``./reports`` under the working directory. Set
``PLANANALYSIS_ROOT`` to point at another checkout.

Nothing here names a plan: the default bundle is whatever ``plan.yaml``
lies in :data:`DEFAULT_PLAN_DIR`.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ROOT", "DEFAULT_PLAN_DIR", "NOTEBOOKS", "REPORTS", "PLAN_FILE", "in_checkout"]

#: The file that makes a folder a plan bundle.
PLAN_FILE = "plan.yaml"

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = Path(os.environ.get("PLANANALYSIS_ROOT", _PACKAGE.parents[1]))


def in_checkout() -> bool:
    """True when running from a source checkout (``data/raw/plan.yaml`` beside ``src/``)."""
    return (_CHECKOUT / "data" / "raw" / PLAN_FILE).is_file()


if in_checkout():
    ROOT = _CHECKOUT
    DEFAULT_PLAN_DIR = ROOT / "data" / "raw"
    NOTEBOOKS = ROOT / "notebooks"
    REPORTS = ROOT / "reports"
else:  # an installed wheel: bundle and notebooks ship inside the package
    ROOT = Path.cwd()
    DEFAULT_PLAN_DIR = _PACKAGE / "_bundled" / "data"
    NOTEBOOKS = _PACKAGE / "_bundled" / "notebooks"
    REPORTS = ROOT / "reports"
