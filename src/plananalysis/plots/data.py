"""Charts of the statistics: coverage heat-map, one series, and a grid of every series."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from ..coverage import coverage_matrix
from ..data import get_series
from ..errors import ParameterError
from ._style import apply_font, derived_mask, integer_years, labels_for, new_axes, unit_text

__all__ = ["COVERAGE_COLOURS", "plot_coverage", "plot_series", "plot_history"]


COVERAGE_COLOURS = ("#eeeeee", "#f4c06f", "#3b7dd8", "#b35900")
"""Colours of missing, bound-only, exact and derived cells in :func:`plot_coverage`."""


def plot_coverage(coverage, ax=None, lang="en"):
    """Heat-map of a coverage matrix: exact figure, bound only, or missing per indicator-year.

    Parameters
    ----------
    coverage : DataFrame
        :func:`~plananalysis.coverage.coverage_matrix` output (cells
        ``exact``, ``derived``, ``bound <q>`` or ``missing``).
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
        One image (codes 0 missing, 1 bound, 2 exact, 3 derived) and a legend.

    Examples
    --------
    >>> cov = pd.DataFrame([["exact", "bound >", "missing", "derived"]], index=["a"],
    ...                    columns=[2010, 2011, 2012, 2013])
    >>> plot_coverage(cov).images[0].get_array().tolist()
    [[2, 1, 0, 3]]
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    lab, font = labels_for(lang)
    ax = new_axes(ax, figsize=(11, 0.45 * len(coverage) + 1.6))
    cells = coverage.to_numpy()
    codes = np.select([cells == "exact", cells == "missing", cells == "derived"], [2, 0, 3], default=1)
    ax.imshow(codes, cmap=ListedColormap(list(COVERAGE_COLOURS)), vmin=0, vmax=3, aspect="auto")
    ax.set_xticks(range(coverage.shape[1]), [str(c) for c in coverage.columns], rotation=90)
    ax.set_yticks(range(len(coverage)), list(coverage.index))
    ax.set_xticks(np.arange(-0.5, coverage.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, len(coverage)), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(color=COVERAGE_COLOURS[i], label=lab[k])
               for i, k in ((2, "exact"), (3, "derived"), (1, "bound_only"), (0, "missing"))
               if k != "derived" or (codes == 3).any()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.9 / max(len(coverage), 1)),
              ncol=2, fontsize=8, frameon=False)
    ax.set_title(lab["coverage"])
    ax.set_xlabel(lab["year"])
    apply_font(ax, font)
    return ax


def plot_series(series, ax=None, lang="en", target=None, title=None, break_years=None,
                period=None, legend=True):
    """Published figures of one indicator: exact (filled), bounds (hollow), gaps left open.

    Parameters
    ----------
    series : DataFrame
        :func:`~plananalysis.data.get_series` output (``value``, ``qualifier``;
        ``attrs["unit"]``).
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    target : float or dict, optional
        A level target to draw as a dashed line, or a target row
        (:meth:`Target.to_dict <plananalysis.target.Target.to_dict>`): the
        target (level) or the even annual flow it needs (cumulative), the
        plan period and the required path, each labelled; the x axis spans
        the observations and the period, so one observation still gives a
        readable chart.
    title : str, optional
    break_years : (int, int) or None
        Shade this span as a declared definitional break (a plan bundle's
        ``SeriesSpec.breaks``); None draws none.
    period : (int, int) or None
        Shade the plan period (``PlanBundle.period``); None draws none.
    legend : bool
        Draw a legend (:func:`plot_history` draws one for the whole grid).

    Returns
    -------
    matplotlib.axes.Axes
        Lines join consecutive observed years only.

    Examples
    --------
    >>> s = pd.DataFrame({"value": [95.0, 97.0, 96.5], "qualifier": ["", ">", ""]}, index=[2018, 2019, 2021])
    >>> s.attrs["unit"] = "%"
    >>> plot_series(s, target=97.0).get_ylabel()
    '%'
    """
    lab, font = labels_for(lang)
    ax = new_axes(ax)
    exact_mask = series["qualifier"].fillna("").eq("").to_numpy()
    exact = series.loc[exact_mask, "value"].astype(float)
    if len(exact):
        joined = exact.reindex(range(int(exact.index.min()), int(exact.index.max()) + 1))
        ax.plot(joined.index, joined.to_numpy(), "-", color="#3b7dd8")
    ax.plot(exact.index, exact.to_numpy(), "o", color="#3b7dd8", label=lab["exact"])
    approx = series["qualifier"].fillna("").eq("~").to_numpy()
    bounds = series.loc[~exact_mask & ~approx, "value"].astype(float)
    if len(bounds):
        ax.plot(bounds.index, bounds.to_numpy(), "o", mfc="white", color="#d9822b", label=lab["bound_only"])
    derived = series.loc[derived_mask(series) | approx, "value"].astype(float)
    if len(derived):
        ax.plot(derived.index, derived.to_numpy(), "D", mfc="white", color="#b35900", mew=1.5,
                label=lab["derived"], zorder=5)
    if break_years is not None:
        ax.axvspan(*break_years, color="grey", alpha=0.15, label=lab["break"])
    if period is not None:
        ax.axvspan(period[0] - 0.5, period[1] + 0.5, color="green", alpha=0.07, label=lab["period"])
    row = dict(target) if isinstance(target, dict) else None
    if row is not None:
        _draw_target_row(ax, row, series, lang)
    elif target is not None and not pd.isna(target):
        ax.axhline(float(target), ls="--", color="black", lw=1, label=f"{lab['plan_target']} {float(target):g}")
    ax.set_ylabel(unit_text(series.attrs.get("unit", "") or (row or {}).get("unit", ""), font))
    ax.set_xlabel(lab["year"])
    integer_years(ax)
    if title:
        ax.set_title(title, fontsize=10)
    if legend:
        ax.legend(loc="best", fontsize=8)
    apply_font(ax, font)
    return ax


def _draw_target_row(ax, row, series, lang):
    """The target, its period and its required path on a chart of published figures (labelled)."""
    from ..page_words import PAGE_WORDS

    def word(key, **kw):
        return PAGE_WORDS[key][1 if lang == "zh" else 0].format(**kw)

    years = [int(y) for y in series.index] if len(series) else []
    start = row.get("period_start") if row.get("cumulative") else None
    end = int(row.get("period_end") or row.get("target_year")) if row.get("cumulative") else int(row["target_year"])
    if row.get("cumulative") and start is not None and not pd.isna(start):
        start = int(start)
        ax.axvspan(start - 0.5, end + 0.5, color="green", alpha=0.07, label=word("chart.period") + f" {start}-{end}")
        per_year = float(row["target"]) / (end - start + 1)
        ax.hlines(per_year, start - 0.4, end + 0.4, colors="#d1242f", linestyles=":", lw=1.5,
                  label=word("chart.required") + f": {per_year:,.1f} / yr" if lang != "zh"
                  else word("chart.required") + f"：每年 {per_year:,.1f}")
        top = max([per_year] + [float(v) for v in series["value"]]) if len(series) else per_year
        ax.set_ylim(0, top * 1.25)
    else:
        ax.axhline(float(row["target"]), ls="--", color="black", lw=1,
                   label=word("chart.target", value=f"{float(row['target']):g}"))
        by, bv = row.get("baseline_year"), row.get("baseline_value")
        if by is not None and bv is not None and not pd.isna(by) and not pd.isna(bv) and int(by) < end:
            ax.plot([int(by), end], [float(bv), float(row["target"])], ":", color="#d1242f", lw=1.2,
                    label=word("chart.required"))
        start = None
    lo = min(years + [start if start is not None else end])
    ax.set_xlim(lo - 0.7, max(years + [end]) + 0.7)


def plot_history(data, indicators=None, targets=None, as_of=None, lang="en", ncols=2,
                 xlim=None, plan=None):
    """A grid of :func:`plot_series` charts, one per indicator.

    Parameters
    ----------
    data : DataFrame
        A statistics frame (:meth:`PlanBundle.statistics
        <plananalysis.bundle.PlanBundle.statistics>` or
        :func:`~plananalysis.data.load_series` output).
    indicators : list of str, optional
        Default: every indicator, in :func:`~plananalysis.coverage.coverage_matrix` order.
    targets : DataFrame, optional
        ``load_targets()``: names the panels of target series and draws the
        level targets (cumulative targets are period totals, not drawn).
        Default: the plan's targets (none when no plan is given either).
    as_of : int, optional
        Ignore rows after this year.
    lang : {"en", "zh"}
    ncols : int
        Panels per row.
    xlim : (int, int), optional
        Common year range (default: the data's years).
    plan : PlanBundle, optional
        Shades each series' declared breaks and the plan period.

    Returns
    -------
    numpy.ndarray of matplotlib Axes
        Shape ``(nrows, ncols)``; unused panels are hidden. The legend is on
        the first panel; ``axes.flat[0].figure`` is the Figure.

    Examples
    --------
    >>> data = pd.DataFrame({"indicator": ["a", "a", "b"], "year": [2019, 2020, 2020],
    ...                      "value": [1.0, 2.0, 3.0], "qualifier": "", "unit": "万人", "selected": True})
    >>> plot_history(data).shape
    (1, 2)
    """
    import matplotlib.pyplot as plt

    lab, font = labels_for(lang)
    if data is None:
        raise ParameterError("plot_history: data is required (a statistics frame, e.g. plan.statistics())")
    if as_of is not None:
        data = data[data["year"] <= as_of]
    if targets is None:
        targets = plan.targets() if plan is not None else pd.DataFrame(
            columns=["series", "name_zh", "name_en", "cumulative", "target"])
    indicators = list(coverage_matrix(data, targets=targets).index) if indicators is None else list(indicators)
    xlim = (int(data["year"].min()) - 1, int(data["year"].max()) + 1) if xlim is None else xlim
    names = dict(zip(targets["series"], targets["name_zh" if font else "name_en"]))
    levels = targets[~targets["cumulative"].astype(bool)].set_index("series")["target"]
    nrows = max(1, -(-len(indicators) // ncols))
    _, axes = plt.subplots(nrows, ncols, figsize=(6 * ncols, 3.2 * nrows), squeeze=False)
    for ax, ind in zip(axes.flat, indicators):
        s = get_series(ind, data=data)
        name = textwrap.shorten(str(names.get(ind, ind)), width=60, placeholder=" ...")
        title = f"{name}\n[{ind}, {unit_text(s.attrs.get('unit', ''), font)}]"
        spec = plan.series_spec(ind) if plan is not None else None
        brk = (spec.breaks[-1][0], spec.breaks[-1][1]) if spec is not None and spec.breaks else None
        plot_series(s, ax=ax, lang=lang if font else "en", target=levels.get(ind), title=title, legend=False,
                    break_years=brk, period=plan.period if plan is not None else None)
        ax.set_xlabel("")
        ax.set_xlim(*xlim)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(indicators):]:
        ax.set_visible(False)
    handles = {}
    for ax in axes.flat[:len(indicators)]:
        for h, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, h)
    if handles:
        axes.flat[0].legend(list(handles.values()), list(handles), loc="best", fontsize=7)
        apply_font(axes.flat[0], font)
    axes.flat[0].figure.tight_layout()
    return axes
