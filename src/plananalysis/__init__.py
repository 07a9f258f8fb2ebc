"""plananalysis: will a Chinese plan hit its targets?

Public API (imported lazily, so ``plananalysis --version`` stays fast):

Plans and settings
    load_plan, PlanBundle, write_bundle, Settings, DEFAULTS, Domain, infer_domain
Data
    load_plan_text, load_targets, load_programme_targets, load_series,
    get_series, load_target_series_map, validate_files
Data coverage
    coverage_matrix, source_conflicts, possible_breaks
Forecasting
    forecast, Forecast, MODELS
Assessment (a plan and one Settings in, result objects out)
    assess -> Scorecard of Assessment (Status, Band, Reason, ReasonCode),
    vintages, forecast_target, cumulative_paths, satisfies, required_path
Backtesting
    backtest, summarize, relative_accuracy, backtest_plan, explain_auto, compare_models
Presentation
    summary_table, summary_in_words, describe, scorecard_display, reasons_table,
    required_path_table, vintage_table, label
    (charts: plananalysis.plots)
Reports
    run_report
Errors
    PlanAnalysisError, DataError, DataErrors, PlanParseError, ParameterError,
    InsufficientDataError, ReportError, ReportBusyError, ReportInterrupted

Examples
--------
>>> import plananalysis as pa
>>> card = pa.assess(n_paths=2000)      # the default plan bundle, default settings
>>> sorted(card.to_frame().columns)[:3]
['actual_cagr', 'aggregation', 'baseline_value']
"""

from __future__ import annotations

import importlib

from .errors import (DataError, DataErrors, InsufficientDataError, ParameterError, PlanAnalysisError,
                     PlanParseError, ReportBusyError, ReportError, ReportInterrupted)

__version__ = "0.2.0"

_LAZY = {
    "load_plan": "bundle", "PlanBundle": "bundle", "write_bundle": "bundle",
    "Settings": "settings", "DEFAULTS": "settings",
    "Domain": "domain", "infer_domain": "domain",
    "load_plan_text": "text",
    "load_targets": "plan", "load_programme_targets": "plan",
    "load_series": "data", "get_series": "data", "load_target_series_map": "data",
    "validate_files": "data",
    "coverage_matrix": "coverage", "source_conflicts": "coverage", "possible_breaks": "coverage",
    "forecast": "models", "Forecast": "models", "MODELS": "models",
    "assess": "study", "vintages": "study", "forecast_target": "study", "cumulative_paths": "study",
    "backtest_plan": "study", "explain_auto": "study", "compare_models": "study",
    "Scorecard": "results", "Assessment": "results", "Status": "results", "Band": "results",
    "Reason": "results", "ReasonCode": "results",
    "satisfies": "rules", "required_path": "progress",
    "backtest": "backtesting", "summarize": "backtesting", "relative_accuracy": "backtesting",
    "summary_table": "present", "summary_in_words": "present", "describe": "present",
    "required_path_table": "present", "vintage_table": "present", "scorecard_display": "present",
    "reasons_table": "present",
    "label": "labels",
    "run_report": "report",
}

__all__ = sorted(
    list(_LAZY) + ["DataError", "DataErrors", "InsufficientDataError", "ParameterError",
                   "PlanAnalysisError", "PlanParseError", "ReportBusyError", "ReportError", "ReportInterrupted",
                   "__version__"]
)


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'plananalysis' has no attribute {name!r}")


def __dir__():
    return __all__
