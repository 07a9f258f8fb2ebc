"""Charts for data coverage, forecasts, cumulative targets, the scorecard and backtests.

Every function takes ``ax=None`` (a new figure is made) and returns the
matplotlib Axes; :func:`plot_history` draws a grid and returns the array of
Axes instead (``axes.flat[0].figure`` is the Figure). Labels are English by default; ``lang="zh"`` uses Chinese
labels when a CJK font is installed, otherwise it warns (``UserWarning``)
and falls back to English. Nothing here computes a forecast: pass the
objects from :mod:`plananalysis.models`, :mod:`plananalysis.study` and
:mod:`plananalysis.backtesting`.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from .coverage import coverage_matrix
from .data import get_series, load_series
from .labels import STATUS_COLOURS
from .present import vintage_table
from .progress import required_path
CJK_FONTS = ("Noto Sans CJK", "Noto Serif CJK", "Source Han Sans", "Source Han Serif", "WenQuanYi",
             "SimHei", "SimSun", "Microsoft YaHei", "PingFang", "Heiti", "AR PL", "Droid Sans Fallback",
             "Sarasa", "LXGW")

UNITS_EN = {"万人": "10,000 persons", "万人次": "10,000 person-times", "所": "schools", "%": "%"}
"""English names of the units (Chinese units need a CJK font)."""

LABELS = {
    "en": {
        "year": "year", "observed": "observed", "bound": "published bound (e.g. >97)",
        "median": "projection (median)", "fan80": "80% interval", "fan95": "95% interval",
        "target": "target", "required": "required path", "period": "plan period",
        "running": "running total (median)", "annual_obs": "annual flow, observed",
        "annual_sim": "annual flow, simulated (median)", "p_meet": "probability of meeting the target",
        "insufficient": "insufficient data", "model": "model", "before_fit": "before fit window",
        "cumulative": "cumulative total", "nominal": "nominal",
        "exact": "exact figure", "bound_only": "bound only (e.g. >97)", "missing": "missing",
        "coverage": "Coverage of the official statistics", "indicator": "indicator",
        "break": "likely definitional break", "plan_target": "plan target",
        "as_of": "data as of (year)", "p_meet_by": "P(meet the target)",
        "vintages": "How the probability of meeting each target changed as data arrived",
        "horizon": "horizon (years ahead)", "by_horizon": "Accuracy by horizon, pooled over indicators",
        "lower_better": "lower is better",
        "exceeded": "target already exceeded at the baseline", "stay_above": "stay above",
        "stay_below": "stay below",
        "reliability": "Reliability", "predicted": "predicted P(met)", "observed_share": "observed share met",
        "perfect": "perfect", "coefficients": "Calibration coefficients",
        "coef_axis": "coefficient (logit per standard deviation)", "scheme_plan": "leave-one-plan-out",
        "scheme_family": "leave-one-family-out", "scheme_time": "forward in time",
        "mase_title": "MASE relative to naive per indicator (below 1 = better than no change)",
    },
    "zh": {
        "year": "年份", "observed": "观测值", "bound": "公布的界限值(如>97)", "median": "预测中位数",
        "fan80": "80%区间", "fan95": "95%区间", "target": "目标", "required": "所需路径",
        "period": "规划期", "running": "累计(中位数)", "annual_obs": "年度值(观测)",
        "annual_sim": "年度值(模拟中位数)", "p_meet": "达成目标的概率", "insufficient": "数据不足",
        "model": "模型", "before_fit": "拟合窗口之前", "cumulative": "累计总量", "nominal": "名义水平",
        "exact": "确切数值", "bound_only": "仅有界限值(如>97)", "missing": "缺失",
        "coverage": "官方统计数据的覆盖情况", "indicator": "指标",
        "break": "可能的口径变化", "plan_target": "规划目标",
        "as_of": "数据截至(年)", "p_meet_by": "达成目标的概率",
        "vintages": "随着数据发布,达成各目标的概率如何变化",
        "horizon": "预测步长(年)", "by_horizon": "按预测步长的准确度(各指标合并)",
        "lower_better": "越低越好",
        "exceeded": "基期已超过目标", "stay_above": "不低于", "stay_below": "不高于",
        "reliability": "可靠性图", "predicted": "预测达成概率", "observed_share": "实际达成比例",
        "perfect": "完全校准", "coefficients": "校准系数", "coef_axis": "系数(每个标准差对应的 logit)",
        "scheme_plan": "留一规划交叉验证", "scheme_family": "留一序列族交叉验证", "scheme_time": "按时间前推",
        "mase_title": "各指标相对朴素预测的 MASE(低于 1 = 优于“无变化”预测)",
    },
}


def cjk_font():
    """Name of the installed font for Chinese labels (simplified-Chinese face first), or None.

    See :func:`plananalysis.fonts.cjk_font`.
    """
    from .fonts import cjk_font as _cjk_font

    return _cjk_font()


def _labels(lang):
    """(labels, font or None) for a language; warns and falls back when no CJK font."""
    if lang not in LABELS:
        from .errors import ParameterError

        raise ParameterError(f"lang must be one of {sorted(LABELS)}, got {lang!r}")
    if lang == "zh":
        font = cjk_font()
        if font is None:
            from .fonts import warn_no_cjk_font

            warn_no_cjk_font(stacklevel=4)
            return LABELS["en"], None
        return LABELS["zh"], font
    return LABELS["en"], None


def _apply_font(ax, font):
    if font is None:
        return
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label] + ax.get_xticklabels() + ax.get_yticklabels()
    legend = ax.get_legend()
    if legend is not None:
        texts += legend.get_texts()
    texts += ax.texts
    for t in texts:
        t.set_fontfamily(font)


def _axes(ax, figsize=(7, 4)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def _row(target):
    return None if target is None else dict(target)


def _unit(unit, font):
    unit = unit or ""
    return unit if font else UNITS_EN.get(unit, unit)


def _integer_years(ax):
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


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


def _comparator_text(row):
    return f"{row['comparator']}{row['target']:g}"


def _shade_period(ax, row, lab):
    if row is not None and not pd.isna(row.get("period_start")) and not pd.isna(row.get("period_end")):
        ax.axvspan(int(row["period_start"]) - 0.5, int(row["period_end"]) + 0.5, color="#eef3fb",
                   zorder=0, label=lab["period"])


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
    """
    lab, font = _labels(lang)
    ax = _axes(ax)
    row = _row(target)
    _shade_period(ax, row, lab)
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
    full = hist.reindex(range(hist.index.min(), hist.index.max() + 1))
    ax.plot(full.index, full.to_numpy(), "o-", color="#1f4e9a", ms=4, label=lab["observed"])
    x = np.r_[hist.index[-1], fc.intervals.index.to_numpy()]
    last = hist.iloc[-1]
    iv = fc.intervals
    ax.fill_between(x, np.r_[last, iv["lo95"]], np.r_[last, iv["hi95"]], color="#1f4e9a", alpha=0.15,
                    lw=0, label=lab["fan95"])
    ax.fill_between(x, np.r_[last, iv["lo80"]], np.r_[last, iv["hi80"]], color="#1f4e9a", alpha=0.3,
                    lw=0, label=lab["fan80"])
    ax.plot(x, np.r_[last, fc.point.to_numpy()], "--", color="#1f4e9a", label=lab["median"])
    if row is not None and not row.get("cumulative"):
        ax.axhline(row["target"], color="#d1242f", ls=":", lw=1)
        ax.plot([int(row["target_year"])], [row["target"]], marker="*", color="#d1242f", ms=12,
                linestyle="none", label=f"{lab['target']} {_comparator_text(row)}")
        req = required_path(row)
        if len(req) and _already_met(row, float(req.iloc[0])):
            # A path from a baseline already past the target would slope away from it: say so instead.
            side = lab["stay_above"] if str(row["comparator"]).startswith(">") else lab["stay_below"]
            ax.plot([], [], color="#d1242f", lw=1, alpha=0.7,
                    label=f"{lab['exceeded']}; {lab['required']}: {side} {row['target']:g}")
        elif len(req):
            ax.plot(req.index, req.to_numpy(), color="#d1242f", lw=1, alpha=0.7, label=lab["required"])
    ax.set_xlabel(lab["year"])
    _integer_years(ax)
    unit = fc.history.attrs.get("unit") or (row or {}).get("unit") or ""
    ax.set_ylabel(_unit(unit, font))
    if title is None and row is not None:
        title = row.get("name_zh" if font else "name_en") or row.get("indicator")
    if title:
        ax.set_title(f"{title} ({lab['model']}: {fc.model})")
    ax.legend(fontsize=8, loc="best")
    _apply_font(ax, font)
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
    """
    lab, font = _labels(lang)
    ax = _axes(ax)
    row = _row(target)
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
                   label=f"{lab['target']} {_comparator_text(row)}")
        req = required_path(row, years)
        ax.plot(req.index, req.to_numpy(), color="#d1242f", lw=1, alpha=0.7, label=lab["required"])
    ax.set_xlabel(lab["year"])
    ax.set_ylabel(lab["cumulative"] + (f" ({_unit(row['unit'], font)})" if row is not None and row.get("unit")
                                       else ""))
    if title is None and row is not None:
        title = row.get("name_zh" if font else "name_en") or row.get("indicator")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left")
    _apply_font(ax, font)
    return ax


def plot_scorecard(scorecard, ax=None, lang="en", on_track=0.9, at_risk=0.5, n_paths=None):
    """One bar per target: probability of meeting it (or the final outcome), coloured by status.

    Parameters
    ----------
    scorecard : DataFrame
        Output of :func:`~plananalysis.study.assess`.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    on_track, at_risk : float
        Where to draw the threshold lines (match the ``assess`` call).
    n_paths : int, optional
        Simulated paths behind each probability. When given, each bar gets its
        95% Monte-Carlo interval, and a bar whose interval straddles ``at_risk``
        is grey and labelled "coin toss" instead of taking the colour of a
        status the Monte-Carlo error could flip.

    Returns
    -------
    matplotlib.axes.Axes
        Bars ordered as the scorecard rows (first on top), labelled with the
        targets' names (not their ids); the axis runs from 0% to 100%; rows
        without a probability get a text label instead of a bar.
    """
    from matplotlib.ticker import PercentFormatter

    from .formatting import fmt_probability
    from .report.index import display_status, mc_interval
    from .labels import status_label

    lab, font = _labels(lang)
    ax = _axes(ax, figsize=(7.5, 0.62 * len(scorecard) + 1.3))
    rows = [dict(r) for _, r in scorecard.iterrows()]

    def name(r):
        if font and isinstance(r.get("name_zh"), str) and r["name_zh"]:
            return "\n".join(textwrap.wrap(r["name_zh"], 14))
        text = r.get("name_en") if isinstance(r.get("name_en"), str) and r.get("name_en") else r["indicator"]
        return "\n".join(textwrap.wrap(str(text), 30))

    y = np.arange(len(rows))[::-1]
    p = scorecard["p_meet"].to_numpy(dtype=float)
    codes = [display_status(r.get("status", ""), r.get("p_meet"), n_paths, on_track, at_risk) for r in rows]
    colours = [STATUS_COLOURS.get(c, "#9e9e9e") for c in codes]  # coin_toss: grey
    ax.barh(y, np.nan_to_num(p), color=colours, height=0.6)
    word_lang = "zh" if font and lang == "zh" else "en"
    for yi, pi, code in zip(y, p, codes):
        words = status_label(code, word_lang)
        if np.isnan(pi):
            ax.text(0.01, yi, words, va="center", fontsize=8)
            continue
        if n_paths:
            lo, hi = mc_interval(pi, n_paths)
            ax.plot([lo, hi], [yi, yi], color="#111", lw=1.2)
        text = f"{words} ({fmt_probability(pi)})"
        inside = pi > 0.6
        ax.text(pi - 0.015 if inside else pi + 0.015, yi + 0.18 if n_paths else yi, text, va="center",
                ha="right" if inside else "left", fontsize=8, color="white" if inside else "#222")
    for x in (at_risk, on_track):
        ax.axvline(x, color="#555", ls=":", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels([name(r) for r in rows], fontsize=8)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(lab["p_meet"])
    _apply_font(ax, font)
    return ax


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
    """
    lab, font = _labels(lang)
    if metric not in summary.columns or "model" not in summary.columns:
        from .errors import ParameterError

        raise ParameterError(f"plot_backtest: summary needs columns 'model' and {metric!r}")
    ax = _axes(ax)
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
    ax.legend(fontsize=8)
    _apply_font(ax, font)
    return ax


COVERAGE_COLOURS = ("#eeeeee", "#f4c06f", "#3b7dd8")
"""Colours of missing, bound-only and exact cells in :func:`plot_coverage`."""


def plot_coverage(coverage, ax=None, lang="en"):
    """Heat-map of a coverage matrix: exact figure, bound only, or missing per indicator-year.

    Parameters
    ----------
    coverage : DataFrame
        :func:`~plananalysis.coverage.coverage_matrix` output (cells
        ``exact``, ``bound <q>`` or ``missing``).
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
        One image (codes 0 missing, 1 bound, 2 exact) and a legend.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    lab, font = _labels(lang)
    ax = _axes(ax, figsize=(11, 0.45 * len(coverage) + 1.6))
    cells = coverage.to_numpy()
    codes = np.select([cells == "exact", cells == "missing"], [2, 0], default=1)
    ax.imshow(codes, cmap=ListedColormap(list(COVERAGE_COLOURS)), vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(coverage.shape[1]), [str(c) for c in coverage.columns], rotation=90)
    ax.set_yticks(range(len(coverage)), list(coverage.index))
    ax.set_xticks(np.arange(-0.5, coverage.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, len(coverage)), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(color=c, label=lab[k]) for c, k in zip(COVERAGE_COLOURS[::-1],
                                                            ("exact", "bound_only", "missing"))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.9 / max(len(coverage), 1)),
              ncol=3, fontsize=8, frameon=False)
    ax.set_title(lab["coverage"])
    ax.set_xlabel(lab["year"])
    _apply_font(ax, font)
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
    target : float, optional
        A level target to draw as a dashed line.
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
    """
    lab, font = _labels(lang)
    ax = _axes(ax)
    exact_mask = series["qualifier"].fillna("").eq("").to_numpy()
    exact = series.loc[exact_mask, "value"].astype(float)
    if len(exact):
        joined = exact.reindex(range(int(exact.index.min()), int(exact.index.max()) + 1))
        ax.plot(joined.index, joined.to_numpy(), "-", color="#3b7dd8")
    ax.plot(exact.index, exact.to_numpy(), "o", color="#3b7dd8", label=lab["exact"])
    bounds = series.loc[~exact_mask, "value"].astype(float)
    if len(bounds):
        ax.plot(bounds.index, bounds.to_numpy(), "o", mfc="white", color="#d9822b", label=lab["bound_only"])
    if break_years is not None:
        ax.axvspan(*break_years, color="grey", alpha=0.15, label=lab["break"])
    if period is not None:
        ax.axvspan(period[0] - 0.5, period[1] + 0.5, color="green", alpha=0.07, label=lab["period"])
    if target is not None and not pd.isna(target):
        ax.axhline(float(target), ls="--", color="black", lw=1, label=lab["plan_target"])
    ax.set_ylabel(_unit(series.attrs.get("unit", ""), font))
    ax.set_xlabel(lab["year"])
    _integer_years(ax)
    if title:
        ax.set_title(title, fontsize=10)
    if legend:
        ax.legend(loc="best", fontsize=8)
    _apply_font(ax, font)
    return ax


def plot_history(data=None, indicators=None, targets=None, as_of=None, lang="en", ncols=2,
                 xlim=None, plan=None):
    """A grid of :func:`plot_series` charts, one per indicator.

    Parameters
    ----------
    data : DataFrame, optional
        A :func:`~plananalysis.data.load_series` frame (default: bundled).
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
    """
    import matplotlib.pyplot as plt

    lab, font = _labels(lang)
    data = (plan.statistics() if plan is not None else load_series()) if data is None else data
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
        title = f"{name}\n[{ind}, {_unit(s.attrs.get('unit', ''), font)}]"
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
        _apply_font(axes.flat[0], font)
    axes.flat[0].figure.tight_layout()
    return axes


def plot_vintages(vintages_frame, ax=None, lang="en", on_track=0.9, at_risk=0.5, order=None):
    """P(meet) of each target against the year the data stop (``as_of``).

    Parameters
    ----------
    vintages_frame : DataFrame
        :func:`~plananalysis.study.vintages` output.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    on_track, at_risk : float
        Where to draw the threshold lines.
    order : list of str, optional
        Indicator order (legend); default: first appearance.

    Returns
    -------
    matplotlib.axes.Axes
        One line per target with at least one probability (targets with
        insufficient data in every vintage are left out).
    """
    lab, font = _labels(lang)
    ax = _axes(ax, figsize=(8, 4))
    from matplotlib.ticker import PercentFormatter

    table = vintage_table(vintages_frame, "p_meet", order=order)
    col = "name_zh" if font and "name_zh" in vintages_frame else "name_en"
    names = (dict(zip(vintages_frame["indicator"], vintages_frame[col])) if col in vintages_frame else {})
    for ind, row in table.iterrows():
        if row.notna().any():
            name = names.get(ind) if isinstance(names.get(ind), str) and names.get(ind) else ind
            ax.plot(row.index, row.to_numpy(dtype=float), "o-", label=textwrap.shorten(name, 45, placeholder="…"))
    ax.axhline(on_track, ls=":", color="green", lw=1)
    ax.axhline(at_risk, ls=":", color="red", lw=1)
    ax.set_ylim(-0.02, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xticks(list(table.columns))
    ax.set_xlabel(lab["as_of"])
    ax.set_ylabel(lab["p_meet_by"])
    ax.set_title(lab["vintages"])
    ax.legend(loc="lower left", fontsize=8)
    ax.grid(alpha=0.3)
    _apply_font(ax, font)
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
    """
    lab, font = _labels(lang)
    missing = {"model", "horizon", metric} - set(by_horizon.columns)
    if missing:
        from .errors import ParameterError

        raise ParameterError(f"plot_accuracy_by_horizon: table lacks columns {sorted(missing)}")
    ax = _axes(ax, figsize=(8, 4))
    for name, part in by_horizon.sort_values("horizon").groupby("model", sort=False):
        ax.plot(part["horizon"].astype(int), part[metric].astype(float), "o-", label=name,
                lw=2.5 if name in highlight else 1.2)
    _integer_years(ax)
    ax.set_xlabel(lab["horizon"])
    ax.set_ylabel(f"{metric} ({lab['lower_better']})")
    ax.set_title(lab["by_horizon"])
    ax.legend(fontsize=8, ncol=3)
    ax.grid(alpha=0.3)
    _apply_font(ax, font)
    return ax
