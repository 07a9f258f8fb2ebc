"""Charts of a backtest: a metric per model, and accuracy against the forecast horizon."""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError
from ._style import apply_font, integer_years, labels_for, new_axes

__all__ = ["plot_backtest", "plot_accuracy_by_horizon"]


def plot_backtest(summary, metric="relative_mase", ax=None, lang="en", title=None):
    """Bar chart of a backtest metric per model (grouped by indicator when present).

    Parameters
    ----------
    summary : DataFrame
        :func:`~plananalysis.backtesting.summarize` or
        :func:`~plananalysis.backtesting.compare_models` output (columns
        ``model`` and ``metric``; optional ``indicator``).
    metric : str
        E.g. ``relative_mase`` (reference line at 1 = naive), ``mase``,
        ``coverage80`` / ``coverage95`` (reference line at the nominal level).
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    title : str or False, optional
        Chart title; default: a title for ``relative_mase`` (in ``lang``), none for other metrics.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"model": ["naive", "ets"], "relative_mase": [1.0, 0.8]})
    >>> plot_backtest(summary).get_ylabel()
    'relative_mase'
    """
    lab, font = labels_for(lang)
    if metric not in summary.columns or "model" not in summary.columns:
        raise ParameterError(f"plot_backtest: summary needs columns 'model' and {metric!r}")
    ax = new_axes(ax)
    data = summary.dropna(subset=["model"])
    groups = list(data["indicator"].unique()) if "indicator" in data.columns else [None]
    models = list(dict.fromkeys(data["model"]))
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(models))
    for i, g in enumerate(groups):
        part = data if g is None else data[data["indicator"] == g]
        vals = part.set_index("model")[metric].reindex(models).to_numpy(dtype=float)
        ax.bar(x + i * width - 0.4 + width / 2, vals, width, label=g)
    ref = {"relative_mase": 1.0, "coverage80": 0.80, "coverage95": 0.95}.get(metric)
    if ref is not None:
        ax.axhline(ref, color="#d1242f", ls=":", lw=1,
                   label=lab["nominal"] if metric.startswith("coverage") else "naive")
    ax.set_xticks(x)
    ax.set_xticklabels(models, rotation=30, ha="right")
    ax.set_ylabel(metric)
    ax.set_xlabel(lab["model"])
    if title is None and metric == "relative_mase":
        title = lab["mase_title"]
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)  # one entry per model colour
    apply_font(ax, font)
    return ax


def plot_accuracy_by_horizon(by_horizon, metric="mase", ax=None, lang="en", highlight=("naive", "auto")):
    """One line per model: a backtest metric against the forecast horizon.

    Parameters
    ----------
    by_horizon : DataFrame
        :func:`~plananalysis.backtesting.summarize` (or ``relative_accuracy``)
        with ``by=("model", "horizon")``.
    metric : str
        Column to plot (default ``mase``).
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    highlight : tuple of str
        Models drawn with thicker lines.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"model": ["naive", "naive", "ets", "ets"], "horizon": [1, 2, 1, 2],
    ...                   "mase": [1.0, 1.4, 0.8, 1.1]})
    >>> [ln.get_label() for ln in plot_accuracy_by_horizon(t).lines]
    ['naive', 'ets']
    """
    lab, font = labels_for(lang)
    missing = {"model", "horizon", metric} - set(by_horizon.columns)
    if missing:
        raise ParameterError(f"plot_accuracy_by_horizon: table lacks columns {sorted(missing)}")
    ax = new_axes(ax, figsize=(8, 4))
    # the highlighted models in colour, the others thin and grey: ten lines stay readable
    colours = iter(["#d1242f", "#1f4e9a", "#1a7f37", "#8250df"])
    for name, part in by_horizon.sort_values("horizon").groupby("model", sort=False):
        strong = name in highlight
        ax.plot(part["horizon"].astype(int), part[metric].astype(float), "o-" if strong else ".-", label=name,
                lw=2.5 if strong else 0.9, color=next(colours, "#555") if strong else "#b0b0b0",
                alpha=1.0 if strong else 0.8, zorder=3 if strong else 2)
    integer_years(ax)
    ax.set_xlabel(lab["horizon"])
    ax.set_ylabel(f"{metric} ({lab['lower_better']})")
    ax.set_title(lab["by_horizon"])
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(alpha=0.3)
    apply_font(ax, font)
    return ax
