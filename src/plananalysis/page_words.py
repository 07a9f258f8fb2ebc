"""Words of the report's pages, tables and glossary, in English and Chinese.

:data:`PAGE_WORDS` joins :data:`plananalysis.labels.WORDS` (``text(key, lang)``
finds them there); :data:`GLOSSARY` explains, once and in plain words, every
term a reader meets on the pages (linked from the index as ``glossary.html``).
"""

from __future__ import annotations

__all__ = ["PAGE_WORDS", "GLOSSARY"]

#: ``key -> (English, Chinese)``.
PAGE_WORDS = {
    "col.median": ("median", "中位数"),
    "col.interval80": ("80% interval", "80% 区间"),
    "col.interval95": ("95% interval", "95% 区间"),
    "col.total": ("{period}", "{period}"),  # say.period already says "total" / 累计
    "col.meaning_reason": ("reason", "原因"),
    "bt.model": ("model", "模型"), "bt.n": ("forecasts", "预测次数"), "bt.mase": ("MASE", "MASE"),
    "bt.relative_mase": ("MASE / naive", "相对朴素法 MASE"), "bt.coverage80": ("80% coverage", "80% 覆盖率"),
    "bt.coverage95": ("95% coverage", "95% 覆盖率"), "bt.winkler80": ("Winkler 80%", "Winkler 80%"),
    "bt.winkler95": ("Winkler 95%", "Winkler 95%"),
    "rp.year": ("year", "年份"), "rp.required": ("required", "所需值"), "rp.published": ("published", "已公布值"),
    "rp.published_total": ("published running total", "已公布累计值"),
    "rp.total_median": ("simulated running total (median)", "模拟累计值（中位数）"),
    "rp.total_80": ("simulated running total, 80% interval", "模拟累计值 80% 区间"),
    "say.n_backtest_series": ("{n} scored forecasts of this series ({per} per model, horizons {h}), the same "
                              "backtest as page 04.",
                              "本序列共评分预测 {n} 次（每个模型 {per} 次，预测步长 {h}），与第 04 页为同一回测。"),
    "say.method_lead": ("What each series got: ", "各指标实际所用模型："),
    "say.method_series": ("{name}: {what}", "{name}：{what}"),
    "say.components": ("a combination of {models}", "{models} 的组合"),
    "say.one_model": ("{model} alone (the series is too short for the others: {n} observations)",
                      "仅用 {model}（序列过短，其余模型无法拟合：{n} 个观测值）"),
    "say.no_model": ("no model ({n} observation{s}: too few for a forecast)", "无模型（{n} 个观测值，不足以预测）"),
    "say.glossary": ("Glossary", "术语表"),
    "say.glossary_intro": ("The words the pages use, in plain language.", "报告各页所用术语的通俗解释。"),
    "say.no_reasons": ("No remarks on this assessment.", "本项评估无附加说明。"),
    "axis.year": ("year", "年份"),
    "chart.target": ("target {value}", "目标 {value}"),
    "chart.required": ("required path", "所需路径"),
    "chart.period": ("target period", "目标期"),
    "chart.published": ("published", "已公布"),
}

#: ``(term_en, term_zh, explanation_en, explanation_zh)``, in the order a reader meets them.
GLOSSARY = (
    ("P(meet)", "达成概率 P(meet)",
     "The chance that the target is met, from many simulated futures of the series, calibrated on how past Chinese "
     "plan targets turned out. It is the headline number of every target.",
     "目标达成的概率：由序列的大量模拟未来路径得出，并依据以往中国规划目标的实际结果加以校准，是每项目标的核心数字。"),
    ("trend alone", "仅看趋势",
     "The share of simulated paths that meet the target, before the calibration on past plans.",
     "达到目标的模拟路径所占比例，即按以往规划校准之前的概率。"),
    ("trend share", "趋势权重",
     "How much of the calibrated P(meet) comes from this series' own trend rather than from the record of past "
     "targets (100%: the trend alone decides; 0%: only the past record).",
     "校准后的达成概率中，来自本序列自身趋势（而非以往目标记录）的比重（100%：完全由趋势决定；0%：完全由以往记录决定）。"),
    ("nowcast", "即时估计",
     "A probability for a year that is already past but whose figure is not yet published: the model estimates "
     "what the coming bulletin will say.",
     "对已过去但数据尚未公布的年份给出的概率：模型估计即将发布的公报会给出什么数值。"),
    ("viewpoint", "评估视点",
     "The year the assessment stands in: the last year of data used (or the year given as as_of). Years up to it "
     "count as past.",
     "评估所处的年份：所用数据的最后一年（或 as_of 指定的年份）。此前的年份视为已过去。"),
    ("scale", "建模尺度",
     "The scale the model is fitted on: log for counts (growth in percent), logit for shares bounded by 0 and 100%, "
     "none for other values. Forecasts are shown back in the original units.",
     "模型拟合所用的尺度：计数用对数（按百分比增长），介于 0 与 100% 之间的比例用 logit，其他数值不变换。预测结果均换算回原始单位展示。"),
    ("80% / 95% interval", "80% / 95% 区间",
     "The range the figure falls in with 80% (95%) probability according to the model: 1 in 5 (1 in 20) outcomes "
     "should land outside.",
     "按模型，数值有 80%（95%）的概率落入的范围：每 5 次（20 次）中约有 1 次会落在区间之外。"),
    ("MASE", "MASE（平均绝对标度误差）",
     "Mean absolute scaled error: the forecast error divided by the series' typical change from one year to the "
     "next. Below 1 beats the typical yearly change; compare models on the same forecasts.",
     "平均绝对标度误差：预测误差除以该序列相邻两年的典型变化。低于 1 即优于典型年度变化；应在相同预测上比较各模型。"),
    ("coverage", "覆盖率",
     "The share of past outcomes that fell inside the model's 80% (95%) interval. Close to 80% (95%) means honest "
     "intervals; far below means they were too narrow.",
     "过去实际值落在模型 80%（95%）区间内的比例。接近 80%（95%）说明区间可信；明显偏低说明区间过窄。"),
    ("Winkler score", "Winkler 分数",
     "The width of an interval plus a penalty for every outcome outside it (lower is better): rewards intervals "
     "that are narrow and still right.",
     "区间宽度加上实际值落在区间外时的惩罚（越低越好）：奖励既窄又准的区间。"),
    ("progress band", "进度等级",
     "The statistical agencies' deterministic check (Eurostat / Open SDG): actual growth against the growth the "
     "target requires, without probabilities.",
     "统计机构使用的确定性检验（Eurostat / Open SDG）：将实际增长与目标所需增长相比较，不涉及概率。"),
    ("≥ (以上)", "≥（以上）",
     "The plan's 以上 reads as 'at least': a figure equal to the target meets it. With --strict it reads as 'more "
     "than'.",
     "规划中的“以上”按“不低于”理解：等于目标值即视为达成。使用 --strict 时按“超过”理解。"),
)
