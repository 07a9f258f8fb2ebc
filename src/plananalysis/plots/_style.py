"""What every chart shares: labels in English and Chinese, the CJK font, and small axes helpers.

The helpers here are the plots package's own (the chart modules import
them); the public names are :data:`LABELS`, :data:`UNITS_EN`,
:data:`CJK_FONTS` and :func:`cjk_font`.
"""

from __future__ import annotations

import pandas as pd

from .. import fonts
from ..comparator import Comparator
from ..data import is_derived
from ..errors import ParameterError

__all__ = ["CJK_FONTS", "UNITS_EN", "LABELS", "cjk_font"]

#: Families that cover Chinese (:data:`plananalysis.fonts.CJK_FAMILIES`).
CJK_FONTS = fonts.CJK_FAMILIES

UNITS_EN = {"万人": "10,000 persons", "万人次": "10,000 person-times", "所": "schools", "%": "%"}
"""English names of the units (Chinese units need a CJK font)."""

LABELS = {
    "en": {
        "year": "year", "observed": "observed", "bound": "published bound (e.g. >97)",
        "derived": "derived or approximate figure (≈, not published as such)",
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
        "derived": "推算或近似值(≈,非官方公布数)",
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
    return fonts.cjk_font()


def derived_mask(series) -> pd.Series:
    """Rows of a ``get_series`` frame that are derived figures (``derived`` column, else the note)."""
    if "derived" in series:
        return series["derived"].fillna(False).astype(bool)
    if "note" in series:
        return pd.Series(is_derived(series["note"]).to_numpy(), index=series.index)
    return pd.Series(False, index=series.index)


def labels_for(lang):
    """(labels, font or None) for a language; warns and falls back to English when no CJK font.

    Examples
    --------
    >>> labels_for("en")[0]["year"], labels_for("en")[1]
    ('year', None)
    """
    if lang not in LABELS:
        raise ParameterError(f"lang must be one of {sorted(LABELS)}, got {lang!r}")
    if lang == "zh":
        font = fonts.cjk_font()
        if font is None:
            fonts.warn_no_cjk_font(stacklevel=4)
            return LABELS["en"], None
        return LABELS["zh"], font
    return LABELS["en"], None


def apply_font(ax, font):
    """Set ``font`` on every text of ``ax`` (title, axis labels, ticks, legend, annotations); None: leave."""
    if font is None:
        return
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label] + ax.get_xticklabels() + ax.get_yticklabels()
    legend = ax.get_legend()
    if legend is not None:
        texts += legend.get_texts()
    texts += ax.texts
    for t in texts:
        t.set_fontfamily(font)


def new_axes(ax, figsize=(7, 4)):
    """``ax``, or the Axes of a new figure of ``figsize`` when ``ax`` is None."""
    if ax is None:
        import matplotlib.pyplot as plt  # heavy: imported when a chart is drawn

        _, ax = plt.subplots(figsize=figsize)
    return ax


def as_row(target):
    """A target row as a dict (None stays None)."""
    return None if target is None else dict(target)


def unit_text(unit, font):
    """The unit as shown: as published with a CJK font, else its English name (:data:`UNITS_EN`).

    Examples
    --------
    >>> unit_text("万人", None), unit_text("万人", "Noto Sans CJK SC")
    ('10,000 persons', '万人')
    """
    unit = unit or ""
    return unit if font else UNITS_EN.get(unit, unit)


def integer_years(ax):
    """Year ticks at whole numbers only."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def comparator_text(row, strict=False):
    """The target as read, ``"≥97"`` for the plan's ``>`` (以上), as the index and the tables show it.

    Examples
    --------
    >>> comparator_text({"comparator": ">", "target": 97.0}), comparator_text({"comparator": ">", "target": 97.0}, True)
    ('≥97', '>97')
    """
    tol = row.get("tolerance")
    rule = Comparator(row["comparator"], strict, None if tol is None or pd.isna(tol) else float(tol))
    return f"{rule.reading()}{row['target']:g}"


def shade_period(ax, row, lab):
    """Shade the plan period of a target row (when it has one)."""
    if row is not None and not pd.isna(row.get("period_start")) and not pd.isna(row.get("period_end")):
        ax.axvspan(int(row["period_start"]) - 0.5, int(row["period_end"]) + 0.5, color="#eef3fb",
                   zorder=0, label=lab["period"])
