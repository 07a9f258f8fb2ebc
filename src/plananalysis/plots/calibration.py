"""Charts of the calibration: reliability diagram of the cross-validation, and the coefficients."""

from __future__ import annotations

import numpy as np

from ..calibration import reliability_table
from ._style import apply_font, labels_for, new_axes

__all__ = ["plot_reliability", "plot_coefficients"]


def plot_reliability(result, methods=("calibrated", "p_trend", "base_rate"), ax=None, lang="en"):
    """Reliability diagram of cross-validated predictions.

    Parameters
    ----------
    result : dict
        A :func:`plananalysis.calibration.evaluate` result (its
        ``predictions`` and ``scheme``).
    methods : sequence of str
        Columns of the predictions to draw (see
        :data:`plananalysis.calibration.METHODS`); method names stay codes:
        they name the rows of the score table.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
        ``"zh"`` labels it in Chinese (with a CJK font).

    Returns
    -------
    matplotlib.axes.Axes
        The diagonal, one line per method (each point annotated with its
        number of cases), percentages on both axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from plananalysis.calibration import evaluate, load_reference_cases
    >>> ax = plot_reliability(evaluate(load_reference_cases(), "plan", n_boot=20, nested=False))
    >>> ax.get_title()
    'Reliability: leave-one-plan-out'
    """
    from matplotlib.ticker import PercentFormatter

    lab, font = labels_for(lang)
    ax = new_axes(ax, figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label=lab["perfect"])
    for m in methods:
        t = reliability_table(result["predictions"], m)
        ax.plot(t["mean_predicted"], t["observed"], marker="o", label=m)
        for _, r in t.iterrows():  # counts inside the axes: near the right or top edge they move in
            x, y = float(r["mean_predicted"]), float(r["observed"])
            ax.annotate(f"n={int(r['n'])}", (x, y), fontsize=7, annotation_clip=False,
                        xytext=(-4 if x > 0.85 else 4, -9 if y > 0.92 else 4), textcoords="offset points",
                        ha="right" if x > 0.85 else "left")
    ax.set(xlim=(-0.02, 1.03), ylim=(-0.02, 1.05), xlabel=lab["predicted"], ylabel=lab["observed_share"],
           title=f"{lab['reliability']}: {lab['scheme_' + result['scheme']]}")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(fontsize=8, loc="upper left")
    apply_font(ax, font)
    return ax


def plot_coefficients(model, ax=None, lang="en"):
    """Coefficients (standardised) with their bootstrap 95% intervals.

    Parameters
    ----------
    model : CalibrationModel
        E.g. :func:`plananalysis.calibration.load_calibration`.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
        One point with its interval per coefficient (intercept on top).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from plananalysis.calibration import load_calibration
    >>> [t.get_text() for t in plot_coefficients(load_calibration()).get_yticklabels()]
    ['intercept', 'lp_trend']
    """
    lab, font = labels_for(lang)
    c = model.coefficients
    ax = new_axes(ax, figsize=(6, 3.5))
    ys = np.arange(len(c))[::-1]
    ax.errorbar(c["estimate"], ys, xerr=[c["estimate"] - c["boot_lo"], c["boot_hi"] - c["estimate"]],
                fmt="o", capsize=3)
    ax.axvline(0, color="grey", lw=1)
    ax.set_yticks(ys, c.index)
    ax.set(xlabel=lab["coef_axis"], title=lab["coefficients"])
    apply_font(ax, font)
    return ax
