"""plananalysis: will China's technical-education plan hit its targets?

Public API (imported lazily, so ``plananalysis --version`` stays fast):

Data
    load_plan_text, load_targets, load_programme_targets, load_series,
    get_series, load_target_series_map
Data coverage
    coverage_matrix, source_conflicts, possible_breaks
Forecasting and assessment
    forecast, Forecast, MODELS, assess, vintages, forecast_target,
    cumulative_paths, summary_in_words, backtest, summarize, relative_accuracy,
    compare_models
Plots
    plananalysis.plots (plot_trajectory, plot_cumulative, plot_scorecard, plot_backtest,
    plot_coverage, plot_history, plot_vintages, plot_accuracy_by_horizon)
Reports
    run_report
Errors
    PlanAnalysisError, DataError, PlanParseError, ParameterError

Examples
--------
>>> from plananalysis import load_targets
>>> load_targets()[["indicator", "comparator", "target"]].head(2)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib

from .errors import DataError, ParameterError, PlanAnalysisError, PlanParseError

__version__ = "0.1.0"

_LAZY = {
    "load_plan_text": "text",
    "load_targets": "plan",
    "load_programme_targets": "plan",
    "load_series": "data",
    "get_series": "data",
    "load_target_series_map": "data",
    "coverage_matrix": "coverage",
    "source_conflicts": "coverage",
    "possible_breaks": "coverage",
    "forecast": "models",
    "Forecast": "models",
    "MODELS": "models",
    "backtest": "backtesting",
    "summarize": "backtesting",
    "assess": "assessment",
    "vintages": "assessment",
    "forecast_target": "assessment",
    "cumulative_paths": "assessment",
    "summary_in_words": "assessment",
    "relative_accuracy": "backtesting",
    "compare_models": "backtesting",
    "run_report": "report",
}

__all__ = sorted(
    list(_LAZY) + ["DataError", "ParameterError", "PlanAnalysisError", "PlanParseError", "__version__"]
)


def __getattr__(name):
    if name in _LAZY:
        module = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'plananalysis' has no attribute {name!r}")


def __dir__():
    return __all__
