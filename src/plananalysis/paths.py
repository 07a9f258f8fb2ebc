"""Where the bundled data, notebooks and reports live.

Paths are resolved from this file's location, never from the working
directory, so notebooks and scripts run the same from anywhere. Set the
environment variable ``PLANANALYSIS_ROOT`` to point at another checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root (the folder holding ``data/``, ``notebooks/``, ``reports/``).
ROOT = Path(os.environ.get("PLANANALYSIS_ROOT", Path(__file__).resolve().parents[2]))
DATA_RAW = ROOT / "data" / "raw"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"

#: The plan text, byte for byte as scraped.
PLAN_TEXT = DATA_RAW / "plan_technical_education_14th_fyp.txt"
#: Official statistics, one row per figure per source.
STATISTICS = DATA_RAW / "technical_schools_statistics.csv"
#: Which published series measures each plan target.
TARGET_SERIES_MAP = DATA_RAW / "target_series_map.csv"
#: Hand-made choices between conflicting sources, with reasons.
SOURCE_CHOICES = DATA_RAW / "source_choices.csv"
