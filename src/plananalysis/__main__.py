"""``python -m plananalysis``: the command line (:mod:`plananalysis.cli`)."""

import sys

from .cli import main

sys.exit(main())
