"""Charts for data coverage, forecasts, cumulative targets, the scorecard, backtests and the calibration.

Every function takes ``ax=None`` (a new figure is made) and returns the
matplotlib Axes; :func:`plot_history` draws a grid and returns the array of
Axes instead (``axes.flat[0].figure`` is the Figure). Labels are English by default; ``lang="zh"`` uses Chinese
labels when a CJK font is installed, otherwise it warns (``UserWarning``)
and falls back to English. Nothing here computes a forecast or loads data:
pass the objects from :mod:`plananalysis.models`, :mod:`plananalysis.study`,
:mod:`plananalysis.backtesting`, :mod:`plananalysis.calibration` and a plan
bundle's statistics.

Modules
-------
``_style``
    Labels (en/zh), the CJK font, axes helpers shared by every chart.
``trajectory``
    :func:`plot_trajectory`, :func:`plot_cumulative` (one target).
``scorecard``
    :func:`plot_scorecard`, :func:`plot_vintages` (a whole plan).
``backtest``
    :func:`plot_backtest`, :func:`plot_accuracy_by_horizon`.
``data``
    :func:`plot_coverage`, :func:`plot_series`, :func:`plot_history` (the statistics).
``calibration``
    :func:`plot_reliability`, :func:`plot_coefficients`.
"""

from __future__ import annotations

from ._style import CJK_FONTS, LABELS, UNITS_EN, cjk_font
from .backtest import plot_accuracy_by_horizon, plot_backtest
from .calibration import plot_coefficients, plot_reliability
from .data import COVERAGE_COLOURS, plot_coverage, plot_history, plot_series
from .scorecard import plot_scorecard, plot_vintages
from .trajectory import plot_cumulative, plot_trajectory

__all__ = [
    "CJK_FONTS", "LABELS", "UNITS_EN", "COVERAGE_COLOURS", "cjk_font",
    "plot_trajectory", "plot_cumulative", "plot_scorecard", "plot_vintages", "plot_backtest",
    "plot_accuracy_by_horizon", "plot_coverage", "plot_series", "plot_history", "plot_reliability",
    "plot_coefficients",
]
