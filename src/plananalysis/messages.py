"""The engine's messages and the spreadsheet's column headers, in English and Chinese.

The vocabulary of :mod:`plananalysis.labels` holds the words for codes and
the report's fixed phrases; this module holds the sentences that carry
numbers: one template per :class:`~plananalysis.results.ReasonCode` (and
variant) in both languages, filled from a reason's ``params`` by
:func:`reason_text`, and the readable header of every column the
spreadsheet writes (:func:`column_label`).

Examples
--------
>>> reason_message("period_observed", "zh", observed=1805.4)
'整个规划期已有观测值：合计 1805.4'
"""

from __future__ import annotations

from .labels import LANGS, check_lang, label

__all__ = ["MESSAGES", "reason_message", "reason_text", "COLUMN_WORDS", "column_label"]

#: Message templates of the reasons (key -> (English, Chinese)): the key is a
#: :class:`~plananalysis.results.ReasonCode` value, or ``code.variant`` where one
#: code says different things. ``{placeholders}`` are the reason's ``params``
#: (language-neutral values: numbers, codes, lists); :func:`reason_text` fills them.
#: The English template is what ``Reason.message`` says (the engine builds the
#: message from it), except for ``model``, ``insufficient_data`` and
#: ``proxy_series``, whose English message is the model's or the plan's own note.
MESSAGES = {
    "no_series": ("no statistics series mapped to this target", "该目标没有对应的统计序列"),
    "no_observation": ("no observation up to as_of", "截至评估年份该序列没有观测值"),
    "observed_outcome": ("target year observed: {value:g}", "目标年份已有观测值：{value:g}"),
    "bound_settles": ("target year observed as a bound {qualifier}{bound:g}, which settles the comparator",
                      "目标年份只公布了界值 {qualifier}{bound:g}，已足以判定结果"),
    "conditional_on_bound": ("target year observed only as a bound {qualifier}{bound:g}: probability conditional "
                             "on the {n_paths} paths consistent with it",
                             "目标年份只公布了界值 {qualifier}{bound:g}：概率以与之相符的 {n_paths} 条模拟路径为条件"),
    "bounds_not_fitted": ("published bounds are not in the model's likelihood (they condition the target year and "
                          "bound simulated flows only): {bounds}",
                          "公布的界值不进入模型拟合（只约束目标年份和模拟的年度值）：{bounds}"),
    "bounds_not_fitted.derived": ("published bounds are not in the model's likelihood (they condition the target "
                                  "year and bound simulated flows only): {bounds}; derived, not published: {derived}",
                                  "公布的界值不进入模型拟合（只约束目标年份和模拟的年度值）：{bounds}；"
                                  "其中推算值（非官方公布）：{derived}"),
    "bounds_censored": ("published bounds in the fit window enter the fit as censored observations (data "
                        "augmentation: each bounded value drawn from the model truncated at the bound, refitted, "
                        "paths pooled; an approximation '~' is an interval within 10%; bounds before the window are "
                        "left out; they also condition the target year and bound simulated flows): {bounds}",
                        "拟合区间内公布的界值作为删失观测值进入模型拟合（数据增广：每个界值从截断于该界值的模型分布中抽取，"
                        "重新拟合后合并各次的模拟路径；近似值“~”按其数值上下10%的区间进入；拟合区间之前的界值不用；"
                        "界值也约束目标年份和模拟的年度值）：{bounds}"),
    "bounds_censored.derived": ("published bounds in the fit window enter the fit as censored observations (data "
                                "augmentation: each bounded value drawn from the model truncated at the bound, "
                                "refitted, paths pooled; an approximation '~' is an interval within 10%; bounds "
                                "before the window are left out; they also condition the target year and bound "
                                "simulated flows): {bounds}; derived, not published: {derived}",
                                "拟合区间内公布的界值作为删失观测值进入模型拟合（数据增广：每个界值从截断于该界值的模型分布中"
                                "抽取，重新拟合后合并各次的模拟路径；近似值“~”按其数值上下10%的区间进入；拟合区间之前的界值不用；"
                                "界值也约束目标年份和模拟的年度值）：{bounds}；其中推算值（非官方公布）：{derived}"),
    "proxy_series": ("series {series} is a proxy: {note}",
                     "以替代序列 {series} 衡量：其统计口径与规划指标不完全相同（详见数据说明）"),
    "proxy_series.bare": ("series {series} is a proxy", "以替代序列 {series} 衡量：其统计口径与规划指标不完全相同"),
    "gaps_simulated": ("summed path by path: observed {observed_years} ({observed:g}) + simulated {missing}",
                       "逐条路径求和：已观测 {observed_years}（{observed:g}）+ 模拟 {missing}"),
    "gaps_simulated.mean_growth": ("averaged (compounded mean rate) path by path: observed {observed_years} "
                                   "({observed:g}) + simulated {missing}",
                                   "逐条路径求平均（复合平均增长率）：已观测 {observed_years}（{observed:g}）+ 模拟 {missing}"),
    "gaps_simulated.compounded": ("compounded path by path: observed {observed_years} ({observed:g}) + simulated "
                                  "{missing}",
                                  "逐条路径复合计算：已观测 {observed_years}（{observed:g}）+ 模拟 {missing}"),
    "past_gaps_drawn": ("past gap{s} {years} drawn conditionally on the observations on both sides",
                        "过去的缺失年份 {years} 按两侧的观测值条件抽样"),
    "bounded_flow": ("{year} observed only as {qualifier}{bound:g}: simulated value bounded by it",
                     "{year} 年只公布了界值 {qualifier}{bound:g}：模拟值受其约束"),
    "mc_near_threshold": ("P(meet) {p:.3f} is within Monte-Carlo error (2 x {se:.3f}) of the '{status}' threshold "
                          "{threshold:g}: the status could go either way",
                          "达成概率 {p:.3f} 与“{status}”界线 {threshold:g} 的差距在蒙特卡洛误差（2 × {se:.3f}）之内："
                          "状态可能改变"),
    "insufficient_data": ("model {model!r} needs at least {needed} exact observations, got {n_obs}",
                          "模型“{model}”至少需要 {needed} 个确切观测值，拟合区间内只有 {n_obs} 个"),
    "insufficient_data.outside": ("{year} is outside the forecast", "{year} 年超出预测范围"),
    "insufficient_data.outside_window": ("{year} is outside the fitted window", "{year} 年超出拟合模型的预测范围"),
    "insufficient_data.bound": ("no simulated path agrees with the published bound", "没有一条模拟路径与公布的界值相符"),
    "fit_window": ("fit window starts {start}: declared break between {before} and {after}",
                   "拟合区间自 {start} 年起：{before} 年与 {after} 年之间有声明的统计口径变化"),
    "fit_window.declared": ("fit window starts {start} (declared in the plan bundle)",
                            "拟合区间自 {start} 年起（规划数据包中声明）"),
    "model": ("model {model} ({components}) on the {transform} scale, fitted on {n_obs} exact observations "
              "{start}-{end}",
              "模型：{model}（成分：{components}），{transform}尺度，用 {start}–{end} 年的 {n_obs} 个确切观测值拟合"),
    "model.single": ("model {model} on the {transform} scale, fitted on {n_obs} exact observations {start}-{end}",
                     "模型：{model}，{transform}尺度，用 {start}–{end} 年的 {n_obs} 个确切观测值拟合"),
    "domain": ("domain of the series: {domain}", "序列取值范围：{domain}"),
    "already_met": ("observed flows already total {observed:g} (flows are non-negative)",
                    "已观测的年度值合计已达 {observed:g}（年度值不为负）"),
    "cap_broken": ("observed flows already total {observed:g}, beyond the cap (flows are non-negative)",
                   "已观测的年度值合计已达 {observed:g}，超过上限（年度值不为负）"),
    "period_observed": ("whole period observed: total {observed:g}", "整个规划期已有观测值：合计 {observed:g}"),
    "outcome_pending.no_p": ("the {year} outcome is past (viewpoint {viewpoint}) but not in the data; it is usually "
                             "published in the statistical bulletin of {bulletin}",
                             "{year} 年的结果已成事实（评估时点为 {viewpoint} 年末）但尚无数据；通常见于 {bulletin} 年的统计公报"),
    "outcome_pending": ("the {year} outcome is past (viewpoint {viewpoint}) but not in the data; the probability is a "
                        "nowcast until the {year} figures are published (usually in the statistical bulletin of "
                        "{bulletin})",
                        "{year} 年的结果已成事实（评估时点为 {viewpoint} 年末）但尚无数据；在 {year} 年数据公布（通常见于 "
                        "{bulletin} 年的统计公报）之前，概率是对这一已发生结果的估计"),
    "few_band_observations": ("progress band needs {min_obs} observed years in the period; {n_obs} observed",
                              "评定进度等级需要规划期内有 {min_obs} 个观测年份；现有 {n_obs} 个"),
    "needed": ("reaching {target:g} in {year} needs {cagr:+.1%} a year from {latest:g} in {latest_year}",
               "要在 {year} 年达到 {target:g}，需从 {latest_year} 年的 {latest:g} 起每年变化 {cagr:+.1%}"),
    "needed.sum": ("observed {observed:g} so far; the missing years {missing} need {per_year:g} a year on average",
                   "已观测累计 {observed:g}；缺失年份 {missing} 平均每年需 {per_year:g}"),
    # the calibration's reasons (calibration/apply.py passes these params)
    "calibration": ("P(meet) {p_meet:.3f} calibrated on past plan targets ({method}) from the trend's {p_trend:.3f}; "
                    "the trend carries {trend_share:.0%} of the answer",
                    "达成概率 {p_meet:.3f} 由趋势概率 {p_trend:.3f} 按以往规划目标的达成记录校准而得；结论的 "
                    "{trend_share:.0%} 来自趋势"),
    "calibration.proxy": ("P(meet) {p_meet:.3f} calibrated on past plan targets ({method}) from the trend's "
                          "{p_trend:.3f}; the trend carries {trend_share:.0%} of the answer",
                          "达成概率 {p_meet:.3f} 由趋势概率 {p_trend:.3f} 按以往规划目标的达成记录校准而得（替代指标："
                          "对数几率向基础比率收缩 {shrink:.0%}）；结论的 {trend_share:.0%} 来自趋势"),
    "calibration.track": ("track record: family {family}: {met:g} of {n:g} earlier plan groups met (outcomes known "
                          "by {as_of}), shrunk to {rate:.0%} (base rate {base:.0%}, k = {k:.3g})",
                          "序列族既往记录：序列族 {family} 截至 {as_of} 年结果已知的 {n:g} 个更早规划组中有 {met:g} 个"
                          "实现，收缩后为 {rate:.0%}（基础比率 {base:.0%}，k = {k:.3g}）"),
    "calibration.track.none": ("track record: no family declared: track record neutral",
                               "序列族既往记录：未声明序列族，取中性值"),
    "calibration.track.unknown": ("track record: family {family} has no reference cases: track record neutral",
                                  "序列族既往记录：序列族 {family} 没有参考案例，取中性值"),
    "calibration.track.no_outcome": ("track record: family {family}: no outcome known by {as_of}: track record "
                                     "neutral", "序列族既往记录：序列族 {family} 截至 {as_of} 年没有已知结果，取中性值"),
    "calibration.lever": ("lever declared {lever}", "声明的抓手：{lever}"),
    "calibration.unavailable": ("no calibration model available ({error}): p_meet is p_trend",
                                "没有可用的校准模型：达成概率即趋势概率"),
    "calibration.no_boot": ("the calibration file carries no bootstrap refits: the interval of P(meet) is "
                            "Monte-Carlo error only (refit with `make calibration`)",
                            "校准文件不含自助法重拟合结果：达成概率的区间只含蒙特卡洛误差（可用 make calibration 重新拟合）"),
    "calibration.clipped": ("the trend's {p_trend:.3f} ({share} of {n_paths} paths) was clipped to the Monte-Carlo "
                            "resolution [1/(2n), 1 - 1/(2n)] = [{lo:.2g}, {hi:.6g}] before the logit: with more "
                            "paths P(meet) could move further",
                            "趋势概率 {p_trend:.3f}（{n_paths} 条路径{share}）在取对数几率之前被截到蒙特卡洛分辨率 "
                            "[1/(2n), 1 − 1/(2n)] = [{lo:.2g}, {hi:.6g}]：路径更多时达成概率可能进一步变化"),
    "as_published": ("the outcome is judged on the figure as published: simulated values are rounded to {decimals} "
                     "decimal{s}, the finest precision of the figures fitted, before the comparison",
                     "按公布口径判定结果：模拟值先四舍五入到 {decimals} 位小数（拟合数据中最细的精度）再与目标比较"),
}

#: Words of special parameter values: ``share`` of the clipped paths, an empty list.
_PARAM_WORDS = {"all": ("all", "全部达成"), "none": ("none", "无一达成"), "": ("none", "无")}


def _param(key, value, lang):
    """One parameter as the template reads it in ``lang`` (lists joined, codes in words)."""
    i = LANGS.index(lang)
    if key in ("model", "components") and i:
        parts = value if isinstance(value, (list, tuple)) else [value]
        return "、".join(label("model", part, lang) for part in parts) if len(parts) else _PARAM_WORDS[""][i]
    if isinstance(value, (list, tuple)):
        return ("、" if i else ", ").join(map(str, value)) if len(value) else _PARAM_WORDS[""][i]
    if key == "status":
        return label("status", value, lang)
    if key == "lever":
        return label("calibration_table", value, lang)
    if key == "domain":
        return label("domain", value, lang)
    if key == "transform":
        return ("、" if i else "+").join(label("transform", part, lang) for part in str(value).split("+"))
    if key == "share":
        return _PARAM_WORDS.get(value, (value, value))[i]
    return value


def reason_message(key: str, lang: str = "en", **params) -> str:
    """The message template ``key`` (a reason code or ``code.variant``) filled with ``params`` in ``lang``.

    Lists are joined (``, `` in English, ``、`` in Chinese; an empty list
    reads "none"), and the parameters ``status``, ``domain``, ``transform``
    and ``share`` are codes shown in words. A missing template or parameter
    is a ``KeyError``.

    Examples
    --------
    >>> reason_message("needed.sum", observed=78.6, missing=[2021, 2022], per_year=30.35)
    'observed 78.6 so far; the missing years 2021, 2022 need 30.35 a year on average'
    >>> reason_message("needed.sum", "zh", observed=78.6, missing=[2021, 2022], per_year=30.35)
    '已观测累计 78.6；缺失年份 2021、2022 平均每年需 30.35'
    """
    check_lang(lang)
    template = MESSAGES[key][LANGS.index(lang)]
    return template.format(**{k: _param(k, v, lang) for k, v in params.items()})


def reason_text(reason, lang: str = "en") -> str:
    """What a reader sees for a :class:`~plananalysis.results.Reason` in ``lang``.

    English is the reason's ``message`` (the engine's own rendering, which
    may carry a model's or a plan's note verbatim); Chinese fills the
    reason's template (:data:`MESSAGES`, the key is ``reason.template`` or
    the code) with its ``params``. A reason without the parameters its
    template needs (made by older code) reads as the code's meaning
    (``label("reason", code, "zh")``), never as English.

    Parameters
    ----------
    reason : Reason
        Anything with ``code``, ``message`` and optionally ``params`` and
        ``template``.
    lang : {"en", "zh"}

    Returns
    -------
    str

    Examples
    --------
    >>> from plananalysis.results import Reason, ReasonCode
    >>> r = Reason(ReasonCode.PERIOD_OBSERVED, "whole period observed: total 1805.4", {"observed": 1805.4})
    >>> reason_text(r), reason_text(r, "zh")
    ('whole period observed: total 1805.4', '整个规划期已有观测值：合计 1805.4')
    >>> reason_text(Reason(ReasonCode.CALIBRATION, "an old message"), "zh")
    '概率按以往规划目标的达成记录校准'
    """
    check_lang(lang)
    code = getattr(reason.code, "value", reason.code)
    if lang == "en" and reason.message:
        return reason.message
    key = getattr(reason, "template", "") or code
    params = getattr(reason, "params", None) or {}
    try:
        return reason_message(key, lang, **params)
    except (KeyError, IndexError, ValueError, TypeError):
        return reason.message if lang == "en" else label("reason", code, lang)


#: Spreadsheet column headers (``scorecard.xlsx``): column code -> (English, Chinese).
COLUMN_WORDS = {
    "name": ("Target", "目标"), "page": ("Page", "页面"), "sources": ("Sources", "数据来源"),
    "as_of": ("As of", "数据截至"), "indicator": ("Target code", "目标代码"),
    "name_en": ("Name (English)", "英文名称"), "name_zh": ("Name (Chinese)", "中文名称"),
    "target": ("Target value", "目标值"), "comparator": ("Comparator", "比较符"),
    "reading": ("Target as read", "目标（按规划读法）"),
    "target_year": ("Target year", "目标年份"), "cumulative": ("Period total", "规划期累计"),
    "latest_year": ("Latest year", "最新年份"), "latest_value": ("Latest value", "最新值"),
    "status": ("Status", "状态"), "status_label": ("Status (words)", "状态（文字）"),
    "p_meet": ("P(meet)", "达成概率"), "p_trend": ("P(meet), trend alone", "仅按趋势的达成概率"),
    "p_meet_lo": ("P(meet), 95% interval low", "达成概率95%区间下限"),
    "p_meet_hi": ("P(meet), 95% interval high", "达成概率95%区间上限"),
    "calibration": ("Calibration", "校准"), "projected_median": ("Projected median", "预测中位数"),
    "projected_lo80": ("Projected, 80% low", "预测80%区间下限"), "projected_hi80": ("Projected, 80% high", "预测80%区间上限"),
    "projected_lo95": ("Projected, 95% low", "预测95%区间下限"), "projected_hi95": ("Projected, 95% high", "预测95%区间上限"),
    "required_cagr": ("Required growth a year", "每年所需增长"), "actual_cagr": ("Actual growth a year", "每年实际增长"),
    "progress_ratio": ("Progress ratio", "进度比"), "progress_band": ("Agency band", "统计机构进度等级"),
    "model": ("Model", "模型"), "n_obs": ("Observations fitted", "拟合所用观测数"),
    "relation": ("Series relation", "序列关系"), "reasons": ("Reasons", "原因"), "note": ("What was done", "处理说明"),
    "unit": ("Unit", "单位"), "series": ("Series", "统计序列"), "domain": ("Domain", "取值范围"),
    "aggregation": ("Aggregation", "汇总方式"), "tolerance": ("Tolerance", "容差"),
    "latest_qualifier": ("Latest figure's qualifier", "最新值限定符"), "observed_sum": ("Observed so far", "已观测累计"),
    "years_simulated": ("Years simulated", "模拟年份"), "needed_per_year": ("Needed a year", "每年尚需"),
    "needed_cagr": ("Needed growth a year", "每年尚需增长"), "baseline_year": ("Baseline year", "基期年份"),
    "baseline_value": ("Baseline value", "基期值"), "mc_se": ("Monte-Carlo standard error", "蒙特卡洛标准误"),
    "trend_share": ("Share of the answer from the trend", "结论中来自趋势的比例"),
    "period_start": ("Period start", "规划期起始年"), "period_end": ("Period end", "规划期结束年"),
    "year": ("Year", "年份"), "value": ("Value", "数值"), "qualifier": ("Qualifier", "限定符"),
    "source_title": ("Source", "来源"), "source_url": ("URL", "网址"), "quote": ("Quote", "原文"),
}


def column_label(column: str, lang: str = "en") -> str:
    """A spreadsheet column's header in ``lang`` (an unknown code: its words, ``"p_x"`` -> ``"P x"``).

    Examples
    --------
    >>> column_label("p_meet"), column_label("p_meet", "zh"), column_label("new_column")
    ('P(meet)', '达成概率', 'New column')
    """
    check_lang(lang)
    pair = COLUMN_WORDS.get(column)
    if pair is None:
        return str(column).replace("_", " ").capitalize()
    return pair[LANGS.index(lang)]
