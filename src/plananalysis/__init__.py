"""plananalysis: will a Chinese plan hit its targets?

The public API is what a researcher does; everything else lives in a
namespace (imported lazily, so ``plananalysis --version`` stays fast).

Plans and settings
    load_plan, Settings (shipped bundles: :mod:`plananalysis.datasets`)
Assessment
    assess -> Scorecard of Assessment; vintages
Forecasting and backtesting
    forecast (one series), backtest (every target series of a plan)
Calibration and reports
    calibrate, run_report
Errors
    PlanAnalysisError, DataError, ParameterError, InsufficientDataError, ReportError

Namespaces
    ``plananalysis.study`` (Study, forecast_target, cumulative_paths,
    explain_auto, compare_models), ``plananalysis.present`` (tables and
    words), ``plananalysis.plots`` (charts), ``plananalysis.models``,
    ``plananalysis.backtesting``, ``plananalysis.calibration``,
    ``plananalysis.coverage``, ``plananalysis.data`` / ``plan`` / ``text``
    (readers), ``plananalysis.bundle``, ``plananalysis.report``.

Examples
--------
>>> import plananalysis as pa
>>> card = pa.assess(pa.load_plan(), pa.Settings(n_paths=2000, as_of=2024))
>>> sorted(card.to_frame().columns)[:3]
['actual_cagr', 'aggregation', 'baseline_value']
"""

from __future__ import annotations

import importlib
import warnings

from .errors import DataError, InsufficientDataError, ParameterError, PlanAnalysisError, ReportError

__version__ = "0.3.0"

_LAZY = {
    "load_plan": "bundle", "Settings": "settings",
    "assess": "api", "vintages": "api", "calibrate": "api", "backtest": "api",
    "Scorecard": "results", "Assessment": "results",
    "forecast": "models",
    "run_report": "report",
}

#: Names of 0.2 kept for one release: where each now lives.
_MOVED = {
    "PlanBundle": "bundle", "write_bundle": "bundle", "DEFAULTS": "settings",
    "Domain": "domain", "infer_domain": "domain",
    "load_plan_text": "text", "load_targets": "plan", "load_programme_targets": "plan",
    "load_series": "data", "get_series": "data", "load_target_series_map": "data", "validate_files": "data",
    "coverage_matrix": "coverage", "source_conflicts": "coverage", "possible_breaks": "coverage",
    "Forecast": "models", "MODELS": "models",
    "forecast_target": "study", "cumulative_paths": "study", "backtest_plan": "study",
    "explain_auto": "study", "compare_models": "study",
    "Status": "results", "Band": "results", "Reason": "results", "ReasonCode": "results",
    "satisfies": "comparator", "required_path": "progress",
    "summarize": "backtesting", "relative_accuracy": "backtesting",
    "summary_table": "present", "summary_in_words": "present", "describe": "present",
    "required_path_table": "present", "vintage_table": "present", "scorecard_display": "present",
    "reasons_table": "present", "label": "labels",
    "DataErrors": "errors", "PlanParseError": "errors", "ReportBusyError": "errors",
    "ReportInterrupted": "errors",
}

__all__ = sorted(list(_LAZY) + ["DataError", "InsufficientDataError", "ParameterError", "PlanAnalysisError",
                                "ReportError", "__version__"])


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    if name in _MOVED:
        where = f"plananalysis.{_MOVED[name]}"
        warnings.warn(f"plananalysis.{name} moved to {where}.{name} in 0.3 and will be removed from the top "
                      f"level in 0.4; import it from {where}", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(f".{_MOVED[name]}", __name__), name)
    raise AttributeError(f"module 'plananalysis' has no attribute {name!r}")


def __dir__():
    return __all__
