"""Display words for codes and for the report, in English and Chinese: the one place labels live.

Statuses, progress bands and reasons are enums (:mod:`plananalysis.results`);
what a reader sees for each is looked up here, so a code never changes its
meaning with its wording and "on track" names one thing only (the status;
the agency band that used to share the words is "on pace").

Examples
--------
>>> label("status", "on_track"), label("status", "on_track", "zh")
('on track', '进展顺利')
>>> label("band", "on_pace")
'on pace'
>>> text("index.data_as_of", "zh"), status_label("at risk", "zh"), status_label("something new")
('数据截至', '有风险', 'something new')
"""

from __future__ import annotations

from .errors import ParameterError

__all__ = ["LABELS", "WORDS", "LANGS", "label", "text", "status_label", "check_lang", "STATUS_COLOURS",
           "MESSAGES", "reason_message", "reason_text"]

LANGS = ("en", "zh")

LABELS = {
    "status": {
        "met": ("met", "已实现"),
        "not_met": ("not met", "未实现"),
        "on_track": ("on track", "进展顺利"),
        "at_risk": ("at risk", "有风险"),
        "off_track": ("off track", "偏离目标"),
        "pending": ("outcome pending publication", "结果待公布"),
        "insufficient_data": ("insufficient data", "数据不足"),
        "coin_toss": ("coin toss", "难下定论"),
    },
    "band": {
        "achieved": ("achieved", "已达到"),
        "achieved_maintain": ("achieved, maintain", "已达到，需保持"),
        "on_pace": ("on pace", "进度达标"),
        "acceleration_needed": ("acceleration needed", "需加快"),
        "limited_progress": ("limited progress", "进展有限"),
        "moving_away": ("moving away", "背离目标"),
        "insufficient_data": ("insufficient data", "数据不足"),
    },
    "reason": {  # what each ReasonCode means; the message beside it carries the numbers
        "no_series": ("no statistics series for this target", "该目标没有对应的统计序列"),
        "no_observation": ("no observation of the series", "该序列没有观测值"),
        "observed_outcome": ("outcome observed", "目标年份结果已有实际数据"),
        "bound_settles": ("a published bound settles the outcome", "公布的界值已可判定结果"),
        "conditional_on_bound": ("probability conditional on a published bound", "概率以公布的界值为条件"),
        "bounds_not_fitted": ("published bounds are not in the fit", "公布的界值未用于模型拟合"),
        "bounds_censored": ("published bounds enter the fit as censored observations",
                            "公布的界值作为删失观测值进入模型拟合"),
        "proxy_series": ("measured by a proxy series", "以替代指标衡量"),
        "gaps_simulated": ("missing years simulated", "缺失年份由模拟补足"),
        "past_gaps_drawn": ("past gaps drawn conditionally on their neighbours", "过去的缺失年份按前后观测值条件抽样"),
        "bounded_flow": ("simulated flow bounded by a published bound", "模拟的年度值受公布界值约束"),
        "mc_near_threshold": ("Monte-Carlo error near a status threshold", "蒙特卡洛误差接近状态阈值"),
        "insufficient_data": ("too few observations for a forecast", "观测值过少，无法预测"),
        "fit_window": ("fit window", "拟合区间"),
        "model": ("forecasting model", "预测模型"),
        "domain": ("domain of the series", "序列取值范围"),
        "already_met": ("target already met by the observed flows", "已观测的年度值合计已达到目标"),
        "cap_broken": ("cap already exceeded by the observed flows", "已观测的年度值合计已超过上限"),
        "period_observed": ("whole period observed", "整个规划期已有实际数据"),
        "outcome_pending": ("outcome pending publication", "结果待公布"),
        "few_band_observations": ("too few observations for a progress band", "观测值过少，无法评定进度等级"),
        "needed": ("what the missing years need", "其余年份所需数值"),
        "calibration": ("probability calibrated on past plan targets", "概率按以往规划目标的达成记录校准"),
        "as_published": ("judged on the figure as it will be published", "按公布口径（四舍五入后）判定"),
    },
    "relation": {
        "direct": ("direct", "直接"),
        "proxy": ("proxy", "替代指标"),
        "": ("none", "无"),
    },
    "model": {  # the model registry's names (plananalysis.models)
        "auto": ("auto", "自动（默认模型）"),
        "naive": ("naive", "朴素（末值延续）"),
        "drift": ("drift", "漂移"),
        "logdrift": ("logdrift", "对数漂移"),
        "linear": ("linear", "线性趋势"),
        "loglinear": ("loglinear", "对数线性趋势"),
        "ets": ("ETS", "ETS 指数平滑"),
        "theta": ("Theta", "Theta"),
        "arima": ("ARIMA", "ARIMA"),
        "combination": ("combination", "组合模型"),
        "select": ("select", "按序列择优"),
    },
    "transform": {  # modelling scales (a combination on several scales reads "none+log")
        "none": ("original units", "原始单位"),
        "log": ("log", "对数"),
        "logit": ("logit", "对数几率"),
    },
    "domain": {
        "count": ("count", "计数"),
        "share": ("share", "比例"),
        "rate": ("signed rate", "变化率"),
        "real": ("real number", "实数"),
    },
}

#: The report's words: headings, column headers, page titles, sheet names (key -> (English, Chinese)).
WORDS = {
    # index page
    "index.title": ("Target scorecard", "目标达成情况"),
    "index.data_as_of": ("Data as of", "数据截至"),
    "index.all_data": ("all data, latest year {year}", "全部数据（最新年份 {year}）"),
    "index.what_if": ("what-if: only data up to {year}", "假设分析：仅用 {year} 年及以前的数据"),
    "index.generated": ("generated", "生成于"),
    "index.overrides": ("parameter overrides", "参数覆盖"),
    "index.none": ("none (notebook defaults)", "无（使用默认值）"),
    "index.method": (
        "Each series is forecast by the default model (an equal combination of drift, Theta and "
        "damped-trend ETS, chosen on the M3 yearly benchmark) in the fit window its plan declares; P(meet) is the "
        "share of {n_paths} simulated paths that meet the target (bar: the estimate, whisker: its 95% "
        "Monte-Carlo interval). '≥' reads the plan's 以上: at least.",
        "每个指标在规划声明的拟合区间内用默认模型（漂移、Theta 与阻尼趋势 ETS 的等权组合，按 M3 年度基准选定）外推；达成概率是 {n_paths} 条模拟路径中满足目标的比例"
        "（条形为估计值，细线为其95%蒙特卡洛区间）。“≥”即规划中的“以上”（不低于）。"),
    "index.method_calibrated": (
        "Each series is forecast by the default model (an equal combination of drift, Theta and "
        "damped-trend ETS, chosen on the M3 yearly benchmark) in the fit window its plan declares; the share of "
        "{n_paths} simulated paths that meet the target (\"trend\") is calibrated on the record of past Chinese "
        "plan targets to give P(meet) (whisker: its 95% interval, which carries the calibration's own "
        "uncertainty, from refits over past plans, as well as Monte-Carlo error). '≥' reads the plan's 以上: at least.",
        "每个指标在规划声明的拟合区间内用默认模型（漂移、Theta 与阻尼趋势 ETS 的等权组合，按 M3 年度基准选定）外推；{n_paths} 条模拟路径中满足目标的比例（“趋势”）再按以往中国规划目标的"
        "达成记录校准，得到达成概率（细线为其95%区间，既含校准本身的不确定性（按以往规划重抽样重新拟合），也含蒙特卡洛误差）。“≥”即规划中的“以上”（不低于）。"),
    "index.method2": (
        "Status: met or not met once the target year is observed; otherwise on track (P ≥ {on_track}), at risk "
        "(P ≥ {at_risk}) or off track (the bar's ticks mark these lines); \"pending\" in front when the target "
        "year is past but its figure is not yet published; a coin toss when P's interval straddles the at-risk "
        "line.",
        "状态：目标年份已有数据时为已实现或未实现；否则 P ≥ {on_track} 为进展顺利，P ≥ {at_risk} 为有风险，其余为"
        "偏离目标（条形上的刻度即这两条界线）；目标年份已过但数据尚未公布时前加“待公布”；P 的区间跨越“有风险”界线时标为难下定论。"),
    "index.trend": ("trend", "趋势"),
    "index.pending_verdict": ("pending: {status}, {p}", "待公布：{status}，{p}"),
    "index.pending_tip": ("The target year is past but its figure is not yet published; the verdict is the status "
                          "the forecast's P(meet) earns.",
                          "目标年份已过但数据尚未公布；判断依据为预测达成概率对应的状态。"),
    "index.progress": ("so far {total} in {k} of {n} years", "已累计 {total}（{n} 年中已有 {k} 年数据）"),
    "index.so_far": ("so far {total}", "已累计 {total}"),
    "index.still_needed": ("still needed: {per_year} a year", "其余每年尚需 {per_year}"),
    "index.thresholds": ("ticks: {at_risk} and {on_track}", "刻度：{at_risk} 与 {on_track}"),
    "index.files": ("Files", "文件"),
    "index.pages": ("Pages", "页面"),
    "index.chart": ("Scorecard chart", "目标达成情况图"),
    "index.proxy": ("proxy series", "替代指标"),
    "index.files_text": (
        "The same table with full precision: {csv} and {xlsx} (with vintages and sources); versions, "
        "parameters and data checksums: {manifest}.",
        "完整精度的同一表格：{csv} 和 {xlsx}（含历次评估与数据来源）；版本、参数与数据校验和：{manifest}。"),
    "index.notebook": ("notebook", "笔记本"),
    "index.results": ("results", "结果文件"),
    "col.target": ("Target", "目标"),
    "col.goal": ("Goal", "目标值"),
    "col.latest": ("Latest", "最新值"),
    "col.p_meet": ("P(meet)", "达成概率"),
    "col.status": ("Status", "状态"),
    "col.indicator": ("Indicator", "指标"),
    "col.year": ("Year", "年份"),
    "col.value": ("Value", "数值"),
    "col.source": ("Source", "来源"),
    "col.quote": ("Quote", "原文"),
    "col.url": ("URL", "网址"),
    "col.projected": ("Projected (80%)", "预测（80%区间）"),
    "col.reason": ("reason", "原因代码"),
    "col.what_was_done": ("what was done", "处理说明"),
    "col.meaning": ("meaning", "含义"),
    "col.field": ("value", "取值"),
    "cli.so_far": ("total so far {value}", "累计已达 {value}"),
    "cli.indicator": ("indicator", "目标"), "cli.target": ("target", "目标值"), "cli.latest": ("latest", "最新数据"),
    "cli.status": ("status", "状态"), "cli.p_meet": ("p_meet", "达成概率"), "cli.p_trend": ("p_trend", "仅按趋势"),
    "cli.projected [80%]": ("projected [80%]", "预测 [80%]"), "cli.band": ("band", "进度等级"),
    "cli.relation": ("relation", "关系"), "cli.model": ("model", "模型"), "cli.n_obs": ("n_obs", "观测数"),
    "cli.heading": ("{title} ({source}); as_of {as_of}; calibration {calibration}",
                    "{title}（{source}）；数据截至 {as_of}；校准 {calibration}"),
    "cli.reasons": ("reasons:", "理由："), "cli.all_data": ("all data", "全部数据"),
    "cli.default_bundle": ("default plan bundle {where}", "默认规划数据包 {where}"),
    "cli.bundle": ("plan bundle {where}", "规划数据包 {where}"),
    "cli.tables": ("targets and statistics tables", "目标表与统计表"),
    "cli.calibration.reference_class": ("reference_class", "按以往规划目标的达成记录"),
    "cli.calibration.none": ("none", "不校准（仅按趋势）"),
    "col.group": ("", ""), "col.baseline": ("baseline", "基期值"), "col.item": ("item", "项目"), "say.in_year": ("in {year}", "（{year} 年）"),
    "sum.g.target": ("Target", "目标"), "sum.g.latest": ("Latest", "最新情况"),
    "sum.g.projection": ("Projection", "预测"), "sum.g.probability": ("Probability", "达成概率"),
    "sum.g.progress": ("Progress", "进度"),
    "sum.name": ("indicator", "指标"), "sum.goal": ("goal", "目标值"), "sum.series": ("measured by", "衡量序列"),
    "sum.latest": ("latest figure", "最新数据"), "sum.so_far": ("observed so far", "已观测累计"),
    "sum.years_observed": ("years observed", "已观测年份"), "sum.needed": ("still needed", "尚需"),
    "sum.median": ("median", "中位数"), "sum.interval80": ("80% interval", "80% 区间"),
    "sum.interval95": ("95% interval", "95% 区间"), "sum.model": ("model", "模型"),
    "sum.status": ("status", "状态"), "sum.p_meet": ("P(meet)", "达成概率"),
    "sum.p_trend": ("trend alone", "仅按趋势"), "sum.calibration": ("calibration", "校准"),
    "sum.band": ("agency band", "统计机构进度等级"), "sum.required": ("required growth a year", "每年所需增长"),
    "sum.actual": ("actual growth a year", "每年实际增长"),
    "sum.per_year": ("{value} a year in {years}", "{years} 年每年 {value}"),
    "sum.of_years": ("{n} of {total}", "{total} 年中的 {n} 年"),
    "cumulative": ("{start}–{end} total", "{start}–{end} 年累计"),
    "by": ("by {year}", "{year} 年"),
    "nav.index": ("report index", "报告首页"),
    # plain-words summaries (present.describe) and the trajectory page's sentences
    "say.head": ("**{name}** — target {comparator} {target} {unit} in {year}",
                 "**{name}**：{year} 年目标 {comparator} {target} {unit}"),
    "say.period": (" ({start}-{end} total)", "（{start}–{end} 年累计）"),
    "say.period_total": (" (period total)", "（规划期累计）"),
    "say.proxy": (" [measured by a proxy series]", "[以替代指标衡量]"),
    "say.latest": ("; latest figure {qualifier}{value} ({year})", "；最新数据 {qualifier}{value}（{year} 年）"),
    "say.observed": ("{head}{latest}: **{status}** (observed).", "{head}{latest}：**{status}**（已有实际数据）。"),
    "say.insufficient": ("{head}{latest}: **insufficient data** for a forecast ({n} usable observation{s}).{needed}",
                         "{head}{latest}：**数据不足**，无法预测（可用观测 {n} 个）。{needed}"),
    "say.forecast": ("{head}{latest}: **{status}**, P(meet) {p}{trend}; projected {median} (80% interval "
                     "{lo}–{hi}, model {model}).",
                     "{head}{latest}：**{status}**，达成概率 {p}{trend}；预测值 {median}（80% 区间 {lo}–{hi}，"
                     "模型 {model}）。"),
    "say.trend": (" (trend alone: {p})", "（仅看趋势：{p}）"),
    "say.band": (" Agency-style progress band: {band}.", "统计机构式进度评级：{band}。"),
    "say.needed_sum": (" Observed so far: {observed}; the missing years need {per_year} a year on average to "
                       "reach the target.", "已观测累计 {observed}；其余年份平均每年需 {per_year} 才能达到目标。"),
    "say.hold": (" The latest figure is at the target level; it has to hold.", "最新数据已处于目标水平，需保持。"),
    "say.needed_rate": (" Reaching the target needs {rate} a year from the latest figure.",
                        "从最新数据起，每年需变化 {rate} 才能达到目标。"),
    "say.answer": ("Answer: **{verdict}**. {detail}", "结论：**{verdict}**。{detail}"),
    "say.settings": ("Run settings", "运行设置"),
    "say.no_forecast_table": ("No forecast table: too few observations for a model ({note}).",
                              "无预测表：观测值过少，无法拟合模型（{note}）。"),
    "say.no_required_path": ("No required path: there is no published baseline figure to draw it from.",
                             "无所需路径：没有可作起点的已公布基期数值。"),
    "say.no_backtest": ("No backtest: too few exact observations in the fit window to score a forecast.",
                        "无回测：拟合窗口内的精确观测值过少，无法对预测评分。"),
    "say.n_backtest": ("{n} scored forecasts.", "共评分预测 {n} 次。"),
    "say.no_forecast": ("**No forecast:** {note}. The chart shows the published figures only.",
                        "**无预测**：{note}。图中只显示已公布的数据。"),
    "say.model_fit": ("Model **{model}** on the {transform} scale; fitted on {n} exact observations ({start}-{end}).",
                      "模型 **{model}**（{transform} 尺度）；用 {n} 个确切观测值拟合（{start}–{end} 年）。"),
    "say.stay": ("The baseline already meets the target: required is to stay {comparator} {target}.",
                 "基期数据已达到目标：只需保持 {comparator} {target}。"),
    # scorecard table on the scorecard page (present.scorecard_display)
    "sc.name": ("name", "指标"), "sc.comparator": ("comparator", "比较"), "sc.target": ("target", "目标值"),
    "sc.unit": ("unit", "单位"), "sc.target_year": ("target_year", "目标年份"),
    "sc.latest_year": ("latest_year", "最新年份"), "sc.latest_value": ("latest_value", "最新值"),
    "sc.status": ("status", "状态"), "sc.p_meet": ("p_meet", "达成概率"), "sc.p_trend": ("p_trend", "趋势概率"),
    "sc.projected_median": ("projected_median", "预测中位数"), "sc.projected_lo80": ("projected_lo80", "80%区间下限"),
    "sc.projected_hi80": ("projected_hi80", "80%区间上限"), "sc.progress_band": ("progress_band", "进度等级"),
    "sc.relation": ("relation", "关系"), "sc.model": ("model", "模型"), "col.target_id": ("target", "目标"),
    # page titles
    "page.01_data_overview": ("Data overview", "数据概览"),
    "page.02_indicator_trajectory": ("Trajectory", "指标走势"),
    "page.03_target_scorecard": ("Target scorecard", "目标达成情况"),
    "page.04_model_backtest": ("Model backtest", "模型回测"),
    "page.05_calibration": ("Calibration", "概率校准"),
    # spreadsheet sheets
    "sheet.scorecard": ("scorecard", "目标达成情况"),
    "sheet.vintages": ("vintages", "历次评估"),
    "sheet.sources": ("sources", "数据来源"),
}

#: Colours of the statuses in charts and the report (colour-blind-safe palette).
STATUS_COLOURS = {
    "met": "#1a7f37", "on_track": "#2f81f7", "at_risk": "#d4a72c", "off_track": "#cf222e",
    "not_met": "#82071e", "pending": "#8250df", "insufficient_data": "#8c959f",
}


def label(kind, code, lang="en") -> str:
    """The display word for ``code`` of ``kind`` (status, band, relation, domain).

    Unknown codes are returned unchanged, so a label can never hide a value.
    """
    code = getattr(code, "value", code)
    pair = LABELS.get(kind, {}).get(code)
    if pair is None:
        return str(code)
    return pair[1] if lang == "zh" else pair[0]


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"en"`` or ``"zh"``, else a :class:`ParameterError`.

    Examples
    --------
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    plananalysis.errors.ParameterError: lang: expected one of en, zh, got 'fr'
    """
    if lang not in LANGS:
        raise ParameterError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def text(key: str, lang: str = "en", **fields) -> str:
    """The report word ``key`` (``"index.title"``, ``"col.status"``, ``"status.on_track"``, ...) in ``lang``.

    ``{placeholders}`` are filled from ``fields``; an unknown key is a ``KeyError``.
    """
    check_lang(lang)
    if key.startswith("status."):
        code = key[len("status."):].strip().replace(" ", "_").replace("-", "_")
        if code not in LABELS["status"]:
            raise KeyError(f"no label {key!r}")
        out = label("status", code, lang)
    elif key in WORDS:
        out = WORDS[key][LANGS.index(lang)]
    else:
        raise KeyError(f"no label {key!r}")
    return out.format(**fields) if fields else out


def status_label(status: str, lang: str = "en") -> str:
    """Words for a status code (``"on_track"`` or ``"on track"``); an unknown code is shown as it is."""
    try:
        return text(f"status.{status}", lang)
    except KeyError:
        return str(status)


# ---------------------------------------------------------------- engine messages
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
    "bounds_censored": ("published bounds in the fit window enter the fit as censored observations (data "
                        "augmentation: each bounded value drawn from the model truncated at the bound, refitted, "
                        "paths pooled; approximations '~' and bounds before the window are left out; they also "
                        "condition the target year and bound simulated flows): {bounds}",
                        "拟合区间内公布的界值作为删失观测值进入模型拟合（数据增广：每个界值从截断于该界值的模型分布中抽取，"
                        "重新拟合后合并各次的模拟路径；近似值“~”和拟合区间之前的界值不用；界值也约束目标年份和模拟的年度值）："
                        "{bounds}"),
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
