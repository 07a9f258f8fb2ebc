"""Run the notebooks with papermill and publish an offline, safe HTML report.

:func:`run_report` executes ``01_data_overview``, ``03_target_scorecard``,
``04_model_backtest`` and ``05_calibration`` once and ``02_indicator_trajectory``
once per target that has a statistics series, each in its own Jupyter kernel,
exports every executed notebook to self-contained, sanitised HTML and publishes
the folder atomically, one run per output folder at a time. Every page reads
one plan bundle (written first when a targets and a statistics table are
given), and the index is built from the scorecard the runner computes itself
(notebook 03 must write the same bytes).

Modules
-------
params
    Parameter overrides and what each notebook declares; checked before anything runs.
pages
    Which pages (notebook executions) a report has, with which parameters.
execute
    Kernels, papermill, export to HTML; pages through any ``concurrent.futures`` executor.
manifest
    Data checksums, ``manifest.json``, no build-machine paths in published files.
runner
    :func:`run_report` and :class:`ReportOptions`: orchestration only.
html
    Notebook export (nbconvert template ``templates/nbconvert/plananalysis_page``) and the
    final :func:`sanitize_html` pass (nh3 with the report's allow-list).
index
    ``index.html`` (Jinja2 template ``templates/index.html.j2``): the scorecard on one screen.
publish
    Lock (filelock), clean-up of killed runs, atomic swap, ``reports/latest``, signals.

Parameter overrides (``params``: a dict or a YAML file) come in two forms
that can be mixed. A top-level ``name: value`` applies to every notebook that
declares ``name`` (a setting such as ``n_paths`` or ``seed`` also updates the
run's :class:`~plananalysis.settings.Settings`); a top-level key naming a
notebook (``04_model_backtest``, or just its number ``"04"``; an unquoted
``04:`` that YAML reads as the integer 4 works too) holds overrides of that
notebook's own parameters::

    n_paths: 20000            # every notebook that has n_paths
    seed: 1
    04_model_backtest:
      max_horizon: 3

A name no notebook declares, a value of the wrong type, or a setting given
for one notebook only (pages must agree with the index) is a
:class:`~plananalysis.errors.ParameterError` before anything runs.
``indicator``, ``plan`` and ``results_dir`` are set by the runner; ``as_of``
is given by the ``as_of`` argument (a top-level ``as_of`` in ``params`` is
used when the argument is None).

Examples
--------
>>> from plananalysis.report import load_params
>>> load_params({"n_paths": 200, 4: {"max_horizon": 2}})
{'n_paths': 200, 4: {'max_horizon': 2}}
"""

from __future__ import annotations

from .html import ALLOWED_TAGS, LANG_TAG_PREFIX, cells_for_language, export_html, offline_html, safe_url, sanitize_html
from .index import display_status, mc_interval, sources_table_html, write_index
from .publish import (
    ReportBusyError, ReportInterrupted, ReportLock, clean_leftovers, deferred_signals, interrupts_as_errors,
    holder_path, lock_path, publish, update_latest,
)
from .execute import (
    EXECUTORS, SINGLE_THREAD_VARIABLES, Progress, check_executor, check_kernel, execute_page, kernel_environment,
    kernel_manager_class, open_executor, run_pages,
)
from .manifest import data_checksums, path_scrubber, scrub_tree, write_manifest
from .pages import Page, PageResult, plan_pages, targets_with_series
from .params import (
    NOTEBOOK_ORDER, PER_TARGET, RUNNER_PARAMETERS, SCORECARD_NOTEBOOK, declared_parameters, load_params,
    validate_params,
)
from .runner import FLOAT_FORMAT, ReportOptions, plan_titles, run_report

__all__ = [
    "ALLOWED_TAGS", "EXECUTORS", "FLOAT_FORMAT", "LANG_TAG_PREFIX", "NOTEBOOK_ORDER", "PER_TARGET",
    "RUNNER_PARAMETERS", "SCORECARD_NOTEBOOK", "SINGLE_THREAD_VARIABLES", "Page", "PageResult", "Progress", "ReportBusyError",
    "ReportInterrupted", "ReportLock", "ReportOptions", "cells_for_language", "check_executor", "check_kernel",
    "clean_leftovers", "data_checksums", "declared_parameters", "deferred_signals", "display_status",
    "execute_page", "export_html", "holder_path", "interrupts_as_errors", "kernel_environment",
    "kernel_manager_class", "load_params", "lock_path", "mc_interval", "offline_html", "open_executor",
    "path_scrubber", "plan_pages", "plan_titles", "publish", "run_pages", "run_report", "safe_url",
    "sanitize_html", "scrub_tree", "sources_table_html", "targets_with_series", "update_latest",
    "validate_params", "write_index", "write_manifest",
]
