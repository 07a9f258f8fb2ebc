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
from .page_words import PAGE_WORDS

__all__ = ["LABELS", "WORDS", "LANGS", "label", "text", "status_label", "check_lang", "STATUS_COLOURS"]

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
    "aggregation": {
        "sum": ("sum", "求和"),
        "compound": ("compounded", "复合"),
        "compound_decline": ("compounded decline", "复合下降"),
        "mean_growth": ("compounded mean rate", "复合平均增长率"),
    },
    "calibration": {
        "reference_class": ("reference class (past plan targets)", "按以往规划目标的达成记录"),
        "none": ("none (trend alone)", "不校准（仅按趋势）"),
        "": ("", ""),
    },
    "bool": {True: ("yes", "是"), False: ("no", "否")},
    "transform": {  # modelling scales (a combination on several scales reads "none+log")
        "none": ("original units", "原始单位"),
        "log": ("log", "对数"),
        "logit": ("logit", "对数几率"),
    },
    "calibration_table": {  # notebook 05: methods, schemes, features and column headings of the calibration tables
        "calibrated": ("selected (nested)", "嵌套选择的模型"),
        "M0_trend": ("M0 two-parameter (trend)", "M0 双参数（趋势）"),
        "M1_lever": ("M1 trend + lever", "M1 趋势 + 抓手"),
        "M2_track": ("M2 trend + track record", "M2 趋势 + 既往记录"),
        "M3_lever_track": ("M3 trend + lever + track record", "M3 趋势 + 抓手 + 既往记录"),
        "M4_lever_track_kind": ("M4 M3 + plan kind", "M4 M3 + 规划类型"),
        "full_model": ("full model (7 features)", "完整模型（7 个特征）"),
        "always_met": ("always met", "恒为实现"), "base_rate": ("base rate", "基础比率"),
        "p_trend": ("trend alone", "仅按趋势"), "growth_ratio_call": ("growth-ratio call", "增长比率判断"),
        "german_rule_call": ("German-rule call", "德国规则判断"),
        "plan": ("leave one plan out", "留一规划"), "family": ("leave one family out", "留一序列族"),
        "time": ("forward in time", "按时间前推"),
        "intercept": ("intercept", "截距"), "lp_trend": ("logit of the trend probability", "趋势概率的 logit"),
        "track": ("family track record", "序列族既往记录"), "lever_direct": ("lever: direct", "抓手：直接"),
        "kind_five_year": ("five-year outline", "五年规划纲要"), "kind_sector": ("sector plan", "行业规划"),
        "ambition": ("ambition", "目标力度"), "log_horizon": ("log horizon", "期限（对数）"),
        "is_cumulative": ("cumulative", "累计"), "is_rate": ("rate", "变化率"), "is_share": ("share", "比例"),
        "is_cap": ("cap", "上限"),
        "col.scheme": ("scheme", "验证方案"), "col.method": ("method", "方法"), "col.brier": ("Brier", "Brier 分数"),
        "col.brier_ci": ("Brier 95%", "Brier 95% 区间"), "col.logloss": ("log loss", "对数损失"),
        "col.logloss_ci": ("log loss 95%", "对数损失 95% 区间"), "col.sharpness": ("sharpness", "锐度"),
        "col.bin": ("probability bin", "概率区间"), "col.n": ("cases", "案例数"),
        "col.mean_predicted": ("mean predicted", "平均预测"), "col.observed": ("share met", "实现比例"),
        "col.gap": ("observed minus predicted", "实际减预测"), "col.feature": ("term", "项"),
        "col.estimate": ("estimate", "估计值"), "col.interval": ("95% bootstrap interval", "95% 自助法区间"),
        "col.model": ("model", "模型"), "col.indicator": ("target", "目标"), "col.rank": ("rank", "名次"),
        "col.case": ("past target", "以往目标"), "col.plan_group": ("plan", "规划"),
        "col.family": ("family", "序列族"), "col.p_trend": ("trend then", "当时趋势"),
        "col.outcome": ("outcome", "结果"), "col.track": ("family record then", "当时序列族记录"),
        "col.target_track": ("this target's family record", "本目标的序列族记录"),
        "col.selected": ("chosen in folds", "各折所选"), "col.lever": ("lever", "抓手"),
        "col.lead": ("lead over base rate (Brier, 95%)", "相对基础比率的优势（Brier，95%）"),
        "col.item": ("goal item", "目标项"), "col.value": ("value", "数值"), "col.goal": ("goal", "目标值"),
        "col.reached": ("reached", "是否达到"),
        "yes": ("yes", "是"), "no": ("no", "否"),
        "brier": ("Brier (leave one plan out)", "Brier（留一规划）"), "logloss": ("log loss", "对数损失"),
        "lead_hi": ("upper end of the lead over the base rate", "相对基础比率优势的区间上端"),
        "reliability": ("largest reliability gap (bins of 8+ cases)", "最大可靠性偏差（8 例以上的区间）"),
        "direct": ("direct", "直接"), "outcome": ("outcome", "结果型"), "unknown": ("unknown", "未知"),
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
    # page 04 (model backtest): src/plananalysis/backtest_view.py
    "bt.plan": ("Plan: {plan}. Models compared: {models}. Horizons 1–{h} years; at least {min_train} exact "
                "observations before the first origin.",
                "规划：{plan}。比较的模型：{models}。预测步长 1–{h} 年；首个起点之前至少有 {min_train} 个确切观测值。"),
    "bt.total": ("{n} scored forecasts in all.", "共评分预测 {n} 次。"),
    "bt.too_short": ("Too short to backtest: {names}.", "序列过短、无法回测：{names}。"),
    "bt.none": ("No series has enough exact observations to backtest with these parameters.",
                "在这些参数下，没有序列有足够的确切观测值可供回测。"),
    "bt.col.name": ("target", "目标"), "bt.col.model": ("model", "模型"),
    "bt.col.origins": ("origins", "预测起点"), "bt.col.per_model": ("forecasts per model", "每个模型的预测数"),
    "bt.col.models": ("models", "模型数"), "bt.col.n": ("forecasts", "预测数"), "bt.col.mase": ("MASE", "MASE"),
    "bt.col.relative_mase": ("MASE / naive's", "MASE 与朴素预测之比"),
    "bt.col.coverage80": ("inside 80% interval", "落入 80% 区间"), "bt.col.coverage95": ("inside 95% interval", "落入 95% 区间"),
    "bt.col.winkler80": ("interval score 80%", "80% 区间得分"), "bt.col.horizon": ("years ahead", "预测步长（年）"),
    "bt.col.n_obs": ("exact observations", "确切观测值"), "bt.col.components": ("auto combines", "auto 组合的成分"),
    "bt.col.select": ("select would pick", "select 会选"), "bt.col.select_origins": ("select's test origins", "select 的检验起点"),
    "bt.col.mase_of": ("MASE, {model}", "MASE：{model}"), "bt.col.mase_lower": ("MASE (lower is better)", "MASE（越低越好）"),
    "bt.auto": ("{name}: auto combines {components} ({n} exact observations in the fit window).",
                "{name}：auto 组合了{components}（拟合区间内 {n} 个确切观测值）。"),
    "bt.auto_nothing": ("{name}: too few exact observations in the fit window ({n}) for auto to fit a model.",
                        "{name}：拟合区间内只有 {n} 个确切观测值，auto 无法拟合模型。"),
    "bt.select_test": (" select would pick {choice}: the lowest MASE on its own short test (the last {k} origins, "
                       "{origins}, 1–{h} years ahead).",
                       "select 会选{choice}：在它自己的简短检验中 MASE 最低（最后 {k} 个起点 {origins}，向前 1–{h} 年）。"),
    "bt.select_short": (" select would fall back to {choice}: {n} exact observations are fewer than the {need} it "
                        "needs to compare models.",
                        "select 会退回到{choice}：{n} 个确切观测值少于比较模型所需的 {need} 个。"),
    "bt.best": (" Over the whole backtest above (origins {first}–{last}, 1–{h} years ahead) {best} has the lowest "
                "MASE.", "在上面的完整回测中（起点 {first}–{last} 年，向前 1–{h} 年），{best}的 MASE 最低。"),
    "bt.best_differs": (" The two answers differ because they score different forecasts: select looks only at "
                        "the most recent short-range ones.",
                        "两者结论不同，是因为评分的预测不同：select 只看最近的短期预测。"),
    # spreadsheet sheets
    "sheet.scorecard": ("scorecard", "目标达成情况"),
    "xl.codes_note": ("machine names of the columns (hidden row; pandas: read_excel(path, header=1))",
                      "列的机器名（隐藏行；pandas：read_excel(path, header=1)）"),
    "xl.figures": ("{n} figures", "{n} 个数据"), "xl.figure": ("{n} figure", "{n} 个数据"),
    "sheet.vintages": ("vintages", "历次评估"),
    "sheet.sources": ("sources", "数据来源"),
}
WORDS.update(PAGE_WORDS)  # the pages' words (page_words.py)

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

