"""Display words for codes, in English and Chinese: the one place labels live.

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
"""

from __future__ import annotations

__all__ = ["LABELS", "label", "STATUS_COLOURS"]

LABELS = {
    "status": {
        "met": ("met", "已实现"),
        "not_met": ("not met", "未实现"),
        "on_track": ("on track", "进展顺利"),
        "at_risk": ("at risk", "有风险"),
        "off_track": ("off track", "偏离目标"),
        "pending": ("outcome pending publication", "结果待公布"),
        "insufficient_data": ("insufficient data", "数据不足"),
    },
    "band": {
        "achieved": ("achieved", "已达到"),
        "achieved_maintain": ("achieved, maintain", "已达到,需保持"),
        "on_pace": ("on pace", "进度达标"),
        "acceleration_needed": ("acceleration needed", "需加快"),
        "limited_progress": ("limited progress", "进展有限"),
        "moving_away": ("moving away", "背离目标"),
        "insufficient_data": ("insufficient data", "数据不足"),
    },
    "relation": {
        "direct": ("direct", "直接"),
        "proxy": ("proxy", "替代指标"),
        "": ("none", "无"),
    },
    "domain": {
        "count": ("count", "计数"),
        "share": ("share", "比例"),
        "rate": ("signed rate", "变化率"),
        "real": ("real number", "实数"),
    },
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
