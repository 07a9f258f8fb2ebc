"""The report's own words (headings, columns, status words) in English and Chinese, codes apart from labels.

Code (``"on_track"``, ``"p_meet"``, ...) never changes with the language;
:func:`label` looks a code up for ``lang``. Status codes of the scorecard
(``"on track"``, ``"insufficient data"``) are normalised to underscores.

The status words are the same as in :mod:`plananalysis.labels` of the core.

Examples
--------
>>> label("status.on_track", "zh"), label("status.on track", "en")
('进展顺利', 'on track')
>>> label("nope", "en")
Traceback (most recent call last):
...
KeyError: "no label 'nope'"
"""

from __future__ import annotations

from ..errors import ParameterError

__all__ = ["LABELS", "LANGS", "label", "status_label", "check_lang"]

LANGS = ("en", "zh")

#: code -> (English, Chinese)
LABELS = {
    # statuses (codes as in the scorecard's status column)
    "status.met": ("met", "已实现"),
    "status.not_met": ("not met", "未实现"),
    "status.on_track": ("on track", "进展顺利"),
    "status.at_risk": ("at risk", "有风险"),
    "status.off_track": ("off track", "偏离目标"),
    "status.insufficient_data": ("insufficient data", "数据不足"),
    "status.pending": ("outcome pending publication", "结果待公布"),
    "status.coin_toss": ("coin toss", "难下定论"),
    # index page
    "index.title": ("Target scorecard", "目标达成情况"),
    "index.data_as_of": ("Data as of", "数据截至"),
    "index.all_data": ("all data, latest year {year}", "全部数据(最新年份 {year})"),
    "index.what_if": ("what-if: only data up to {year}", "假设分析:仅用 {year} 年及以前的数据"),
    "index.generated": ("generated", "生成于"),
    "index.overrides": ("parameter overrides", "参数覆盖"),
    "index.none": ("none (notebook defaults)", "无(使用默认值)"),
    "index.method": (
        "Each series is forecast with the model that forecast it best in a rolling backtest; P(meet) is the "
        "share of {n_paths} simulated paths that meet the target (bar: the estimate, whisker: its 95% "
        "Monte-Carlo interval).",
        "每个指标用滚动回测中预测最准的模型外推;达成概率是 {n_paths} 条模拟路径中满足目标的比例"
        "(条形为估计值,细线为其95%蒙特卡洛区间)。"),
    "index.method_calibrated": (
        "Each series is forecast with the model that forecast it best in a rolling backtest; the share of "
        "{n_paths} simulated paths that meet the target (\"trend\") is calibrated on the record of past Chinese "
        "plan targets to give P(meet) (whisker: 95% Monte-Carlo interval).",
        "每个指标用滚动回测中预测最准的模型外推;{n_paths} 条模拟路径中满足目标的比例(“趋势”)再按以往中国规划目标的"
        "达成记录校准,得到达成概率(细线为95%蒙特卡洛区间)。"),
    "index.method2": (
        "Status: met or not met once the target year is observed, outcome pending publication when it is past "
        "but not yet in the data, otherwise on track (P ≥ {on_track}), at risk (P ≥ {at_risk}) or off track; "
        "a coin toss when the Monte-Carlo error could flip it.",
        "状态:目标年份已有数据时为已实现或未实现;目标年份已过但数据未公布时为结果待公布;否则 P ≥ {on_track} "
        "为进展顺利,P ≥ {at_risk} 为有风险,其余为偏离目标;蒙特卡洛误差可能改变结论时标为难下定论。"),
    "index.trend": ("trend", "趋势"),
    "index.files": ("Files", "文件"),
    "index.pages": ("Pages", "页面"),
    "index.chart": ("Scorecard chart", "目标达成情况图"),
    "index.proxy": ("proxy series", "替代指标"),
    "index.files_text": (
        "The same table with full precision: {csv} and {xlsx} (with vintages and sources); versions, "
        "parameters and data checksums: {manifest}.",
        "完整精度的同一表格:{csv} 和 {xlsx}(含历次评估与数据来源);版本、参数与数据校验和:{manifest}。"),
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
    "col.projected": ("Projected (80%)", "预测(80%区间)"),
    "cumulative": ("{start}–{end} total", "{start}–{end} 年累计"),
    "by": ("by {year}", "{year} 年"),
    "nav.index": ("report index", "报告首页"),
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


def check_lang(lang: str) -> str:
    """``lang`` if it is ``"en"`` or ``"zh"``, else a :class:`ParameterError`.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    plananalysis.errors.ParameterError: lang: expected one of en, zh, got 'fr'
    """
    if lang not in LANGS:
        raise ParameterError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def label(code: str, lang: str = "en", **fields) -> str:
    """The label of ``code`` in ``lang`` (``{placeholders}`` filled from ``fields``)."""
    key = code
    if key.startswith("status."):
        key = "status." + key[len("status."):].strip().replace(" ", "_").replace("-", "_")
    if key not in LABELS:
        raise KeyError(f"no label {code!r}")
    text = LABELS[key][LANGS.index(check_lang(lang))]
    return text.format(**fields) if fields else text


def status_label(status: str, lang: str = "en") -> str:
    """Words for a scorecard status code; an unknown code is shown as it is.

    Examples
    --------
    >>> status_label("at risk", "zh"), status_label("something new", "zh")
    ('有风险', 'something new')
    """
    try:
        return label(f"status.{status}", lang)
    except KeyError:
        return str(status)
