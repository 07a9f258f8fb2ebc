# plananalysis: two commands do all set-up.
#   make report   create .venv if missing, install, run the full report on the bundled data
#   make test     same set-up, then the whole test suite
# Other targets: make setup, make bench, make snapshots (regenerate the golden results after a
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

bench: setup
	$(BIN)/python bench/run_all.py

snapshots: setup
	$(BIN)/python -m tests.snapshots.regenerate

calibration: setup
	$(BIN)/python -m plananalysis.calibration refit

clean-venv:
	rm -rf $(VENV)
