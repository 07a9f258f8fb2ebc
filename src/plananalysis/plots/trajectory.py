"""Charts of one target: history, forecast fan, target and required path; cumulative running totals."""

from __future__ import annotations

import numpy as np

from ..labels import label
from ..progress import required_path
from ._style import (apply_font, as_row, comparator_text, derived_mask, integer_years, labels_for, new_axes,
                     shade_period, unit_text)

__all__ = ["plot_trajectory", "plot_cumulative"]


def _already_met(row, baseline) -> bool:
    """True when the baseline already satisfies a level target (the required path would point away).

    Examples
    --------
    >>> _already_met({"comparator": ">", "target": 360.0}, 395.5), _already_met({"comparator": ">", "target": 97}, 96)
    (True, False)
    """
    comp, target = str(row.get("comparator", "")), float(row["target"])
    if comp.startswith(">"):
        return baseline >= target
    if comp.startswith("<"):
        return baseline <= target
    return False



def plot_trajectory(fc, target=None, series=None, ax=None, lang="en", title=None):
    """History, 80/95% fan, median projection, target and required path.

    Parameters
    ----------
    fc : Forecast
        From :func:`~plananalysis.models.forecast` or
        :func:`~plananalysis.study.forecast_target`.
    target : Series or dict, optional
        A ``load_targets()`` row: draws the target, the required path
        (geometric from the baseline) and shades the plan period.
    series : DataFrame, optional
        The ``get_series()`` frame: adds observations outside the fit window
        (grey) and bounded observations (open triangles) to the history.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Lines join consecutive years only; a missing year breaks the line (it is
    never drawn as if observed).

    Examples
    --------
    >>> import pandas as pd
    >>> from plananalysis.models import forecast
    >>> history = pd.Series([90.0, 91.5, 93.0, 94.2, 95.1, 96.3], index=range(2015, 2021))
    >>> fc = forecast(history, horizon=3, model="naive", n_paths=200)
    >>> ax = plot_trajectory(fc, {"comparator": ">=", "target": 97.0, "target_year": 2023, "indicator": "rate"})
    >>> "target ≥97" in ax.get_legend_handles_labels()[1]
    True
    """
    lab, font = labels_for(lang)
    ax = new_axes(ax)
    row = as_row(target)
    shade_period(ax, row, lab)
    hist = fc.history
    if series is not None:
        qual = series["qualifier"].fillna("").astype(str)
        exact = series.loc[qual == "", "value"].astype(float)
        early = exact[exact.index < hist.index.min()]
        if len(early):
            full = early.reindex(range(early.index.min(), early.index.max() + 1))
            ax.plot(full.index, full.to_numpy(), "o-", color="#9e9e9e", ms=4, label=lab["before_fit"])
        for q, marker in ((">", "^"), (">=", "^"), ("<", "v"), ("<=", "v")):
            b = series[qual == q]
            if len(b):
                ax.plot(b.index, b["value"], linestyle="none", marker=marker, mfc="none", mec="#1f4e9a",
                        ms=8, label=lab["bound"])
        derived = series[derived_mask(series)]
        if len(derived):
            ax.plot(derived.index, derived["value"].astype(float), linestyle="none", marker="D", mfc="white",
                    mec="#b35900", mew=1.5, ms=8, label=lab["derived"], zorder=5)
    full = hist.reindex(range(hist.index.min(), hist.index.max() + 1))
    ax.plot(full.index, full.to_numpy(), "o-", color="#1f4e9a", ms=4, label=lab["observed"])
    x = np.r_[hist.index[-1], fc.paths.index.to_numpy()]
    last = hist.iloc[-1]
    # quantiles of the simulated paths: the computation behind the scorecard and page 02's forecast table
    q = np.quantile(fc.paths.to_numpy(dtype=float), [0.5, 0.1, 0.9, 0.025, 0.975], axis=1)
    iv = {"lo80": q[1], "hi80": q[2], "lo95": q[3], "hi95": q[4]}
    ax.fill_between(x, np.r_[last, iv["lo95"]], np.r_[last, iv["hi95"]], color="#1f4e9a", alpha=0.15,
                    lw=0, label=lab["fan95"])
    ax.fill_between(x, np.r_[last, iv["lo80"]], np.r_[last, iv["hi80"]], color="#1f4e9a", alpha=0.3,
                    lw=0, label=lab["fan80"])
    ax.plot(x, np.r_[last, q[0]], "--", color="#1f4e9a", label=lab["median"])
    if row is not None and not row.get("cumulative"):
        ax.axhline(row["target"], color="#d1242f", ls=":", lw=1)
        ax.plot([int(row["target_year"])], [row["target"]], marker="*", color="#d1242f", ms=12,
                linestyle="none", label=f"{lab['target']} {comparator_text(row)}")
        req = required_path(row)
        if len(req) and _already_met(row, float(req.iloc[0])):
            # A path from a baseline already past the target would slope away from it: say so instead.
            side = lab["stay_above"] if str(row["comparator"]).startswith(">") else lab["stay_below"]
            ax.plot([], [], color="#d1242f", lw=1, alpha=0.7,
                    label=f"{lab['exceeded']}; {lab['required']}: {side} {row['target']:g}")
        elif len(req):
            ax.plot(req.index, req.to_numpy(), color="#d1242f", lw=1, alpha=0.7, label=lab["required"])
    ax.set_xlabel(lab["year"])
    integer_years(ax)
    unit = fc.history.attrs.get("unit") or (row or {}).get("unit") or ""
    ax.set_ylabel(unit_text(unit, font))
    if title is None and row is not None:
        title = row.get("name_zh" if font else "name_en") or row.get("indicator")
    if title:
        ax.set_title(f"{title} ({lab['model']}: {label('model', fc.model, lang)})")
    # below the axes, never over the data; two columns keep it short on a phone
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    apply_font(ax, font)
    return ax


def plot_cumulative(flows, target=None, ax=None, lang="en", title=None):
    """Observed plus simulated annual flows and the running total against a cumulative target.

    Parameters
    ----------
    flows : DataFrame
        Period years x paths, from :func:`~plananalysis.study.cumulative_paths`
        (``attrs["observed"]`` lists the observed years).
    target : Series or dict, optional
        The cumulative target row (target line and even required path).
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame([[10.0, 11.0], [12.0, 12.5], [11.0, 13.0]], index=[2021, 2022, 2023])
    >>> flows.attrs["observed"] = [2021]
    >>> ax = plot_cumulative(flows)
    >>> [ln.get_label() for ln in ax.lines]
    ['running total (median)']
    """
    lab, font = labels_for(lang)
    ax = new_axes(ax)
    row = as_row(target)
    years = flows.index.to_numpy()
    observed = set(flows.attrs.get("observed", []))
    obs_mask = np.array([y in observed for y in years])
    med = flows.median(axis=1).to_numpy()
    ax.bar(years[obs_mask], med[obs_mask], color="#1f4e9a", alpha=0.8, label=lab["annual_obs"])
    ax.bar(years[~obs_mask], med[~obs_mask], color="#1f4e9a", alpha=0.3, hatch="//",
           label=lab["annual_sim"])
    running = flows.cumsum(axis=0)
    q = running.quantile([0.025, 0.1, 0.5, 0.9, 0.975], axis=1).T
    ax.fill_between(years, q[0.025], q[0.975], color="#f0a500", alpha=0.15, lw=0, label=lab["fan95"])
    ax.fill_between(years, q[0.1], q[0.9], color="#f0a500", alpha=0.3, lw=0, label=lab["fan80"])
    ax.plot(years, q[0.5], "o-", color="#b36b00", label=lab["running"])
    if row is not None:
        ax.axhline(row["target"], color="#d1242f", ls=":", lw=1.2,
                   label=f"{lab['target']} {comparator_text(row)}")
        req = required_path(row, years)
        ax.plot(req.index, req.to_numpy(), color="#d1242f", lw=1, alpha=0.7, label=lab["required"])
    ax.set_xlabel(lab["year"])
    ax.set_ylabel(lab["cumulative"] + (f" ({unit_text(row['unit'], font)})" if row is not None and row.get("unit")
                                       else ""))
    if title is None and row is not None:
        title = row.get("name_zh" if font else "name_en") or row.get("indicator")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    apply_font(ax, font)
    return ax
