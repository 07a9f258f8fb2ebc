"""The report's ``index.html``: the whole scorecard on one screen, phone or desktop.

One line per target: its name (linking to its trajectory page), the goal, the
latest value, P(meet) as a bar with its Monte-Carlo interval, and the status
in words ("coin toss" when the Monte-Carlo error could flip it). Below: the
method in two sentences, the files, the pages and the
sources of every figure behind the targets (title as a link, quote on hover
and in the table). Every string that comes from a data file is escaped.
"""

from __future__ import annotations

import html
import json

from .. import __version__
from ..formatting import MISSING, display_status, fmt_probability, fmt_value, fmt_year, is_missing, mc_interval
from ..labels import status_label, text as label
from .html import safe_url

__all__ = ["write_index", "mc_interval", "display_status", "index_html", "sources_table_html"]

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC","Source Han Sans SC",
"PingFang SC","Microsoft YaHei",sans-serif;max-width:1200px;margin:1.2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.45em;margin:.2em 0}h1 small{display:block;font-size:.62em;color:#555;font-weight:normal}
h2{font-size:1.15em;margin-top:1.6em}
.meta{color:#555;font-size:.88em}.method{font-size:.92em;color:#333;max-width:60em}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.93em;margin:.6em 0;width:100%}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{position:relative;width:130px;height:14px;background:#eee;border-radius:3px;display:inline-block;
vertical-align:middle;margin-right:6px}
.bar .fill{position:absolute;left:0;top:0;bottom:0;background:#4a7dbf;border-radius:3px}
.bar .ci{position:absolute;top:6px;height:2px;background:#111}
.bar .tick{position:absolute;top:-2px;bottom:-2px;width:1px;background:#999}
.pm{white-space:nowrap}.pm small{color:#555}
.st{display:inline-block;padding:1px 7px;border-radius:9px;font-size:.9em;white-space:nowrap}
.st-met,.st-on_track{background:#dff1dc}.st-at_risk{background:#fff1cc}.st-off_track,.st-not_met{background:#f9dcd9}
.st-insufficient_data,.st-coin_toss{background:#e8e8e8}.st-pending{background:#ece4fb}
.sub{color:#666;font-size:.85em}
img{max-width:100%;height:auto}
table.sources td{font-size:.9em}table.sources td.q{color:#444;max-width:36em}
@media (max-width:640px){
 body{padding:0 .5em;margin-top:.5em}
 table.scorecard thead{display:none}
 table.scorecard,table.scorecard tbody,table.scorecard tr,table.scorecard td{display:block;width:100%}
 table.scorecard tr{border:1px solid #ddd;border-radius:6px;margin:0 0 .6em;padding:4px 6px}
 table.scorecard td{border:none;padding:2px 0;text-align:left}
 table.scorecard td[data-label]::before{content:attr(data-label) ": ";color:#666;font-size:.85em}
 table.scorecard td.name{font-weight:600}
}
"""


def _goal(row, lang) -> str:
    comp = str(row.get("comparator") or "").replace(">=", "≥").replace("<=", "≤")
    value = fmt_value(row.get("target"), row.get("unit", ""))
    year = fmt_year(row.get("target_year"))
    if str(row.get("cumulative")).lower() == "true":
        start = row.get("period_start")
        when = (label("cumulative", lang, start=fmt_year(start), end=year) if not is_missing(start)
                else label("by", lang, year=year))
    else:
        when = label("by", lang, year=year)
    return f"{comp} {value}".strip() + f' <span class="sub">{html.escape(when)}</span>'


def _latest(row) -> str:
    value = row.get("latest_value")
    if is_missing(value):
        return MISSING
    q = "" if is_missing(row.get("latest_qualifier")) else str(row["latest_qualifier"]).strip()
    text = (q + " " if q else "") + fmt_value(value, row.get("unit", ""))
    return f'{html.escape(text)} <span class="sub">({html.escape(fmt_year(row.get("latest_year")))})</span>'


def _bar(p, n, thresholds, p_trend=None, trend_word="trend") -> str:
    if is_missing(p):
        return MISSING
    lo, hi = mc_interval(p, n)
    ticks = "".join(f'<span class="tick" style="left:{100 * t:.1f}%"></span>' for t in thresholds)
    ci = (f'<span class="ci" style="left:{100 * lo:.1f}%;width:{max(100 * (hi - lo), 0.8):.1f}%"></span>'
          if lo is not None else "")
    interval = f"{fmt_probability(lo)} – {fmt_probability(hi)}" if lo is not None else ""
    return (f'<span class="pm"><span class="bar" title="{html.escape(interval)}">'
            f'<span class="fill" style="width:{100 * float(p):.1f}%"></span>{ticks}{ci}</span>'
            f'{html.escape(fmt_probability(p))}</span>'
            + (f'<br><small class="sub">{html.escape(interval)}</small>' if interval else "")
            + (f'<br><small class="sub">{html.escape(trend_word)}: {html.escape(fmt_probability(p_trend))}</small>'
               if not is_missing(p_trend) and abs(float(p_trend) - float(p)) > 1e-9 else ""))


def index_html(scorecard, pages, meta: dict, targets=None, sources=None) -> str:
    """The text of ``index.html`` (see :func:`write_index`)."""
    lang = meta.get("lang", "en")
    L = lambda code, **kw: html.escape(label(code, lang, **kw))  # noqa: E731
    n_paths = meta.get("n_paths")
    on_track, at_risk = meta.get("on_track", 0.9), meta.get("at_risk", 0.5)
    links = {p.parameters.get("indicator"): f"{p.name}.html" for p in pages if p.parameters.get("indicator")}
    extra = {}
    if targets is not None:
        for t in targets.to_dict("records"):
            extra[t["indicator"]] = t
    rows = []
    for row in scorecard.to_dict("records"):
        ind = row.get("indicator")
        row = {**{k: v for k, v in extra.get(ind, {}).items() if k not in row}, **row}
        name = row.get("name_zh") if lang == "zh" and not is_missing(row.get("name_zh")) else row.get("name_en")
        name = html.escape(str(name if not is_missing(name) else ind))
        if ind in links:
            name = f'<a href="{html.escape(links[ind])}">{name}</a>'
        if str(row.get("relation", row.get("series_relation", ""))).strip() == "proxy":
            name += f' <span class="sub">({L("index.proxy")})</span>'
        code = display_status(row.get("status", ""), row.get("p_meet"), n_paths, on_track, at_risk)
        status = html.escape(status_label(code, lang))
        note = "" if is_missing(row.get("note")) else f' title="{html.escape(str(row["note"]), quote=True)}"'
        rows.append(
            "<tr>"
            f'<td class="name">{name}</td>'
            f'<td data-label="{L("col.goal")}">{_goal(row, lang)}</td>'
            f'<td data-label="{L("col.latest")}">{_latest(row)}</td>'
            f'<td data-label="{L("col.p_meet")}">{_bar(row.get("p_meet"), n_paths, (at_risk, on_track), row.get("p_trend"), label("index.trend", lang))}</td>'
            f'<td data-label="{L("col.status")}"{note}><span class="st st-{html.escape(code)}">{status}</span></td>'
            "</tr>")
    head = "".join(f"<th>{L(c)}</th>" for c in ("col.target", "col.goal", "col.latest", "col.p_meet", "col.status"))
    table = (f'<div class="scroll"><table class="scorecard"><thead><tr>{head}</tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table></div>')

    as_of = meta.get("as_of")
    if as_of is None:
        data_as_of = L("index.all_data", year=meta.get("latest_year"))
    else:
        data_as_of = L("index.what_if", year=as_of)
    title_en, title_zh = meta.get("title_en") or "", meta.get("title_zh") or ""
    title, subtitle = (title_zh or title_en, title_en) if lang == "zh" else (title_en or title_zh, title_zh)
    overrides = meta.get("overrides") or {}
    overrides_text = (html.escape(json.dumps(overrides, ensure_ascii=False, default=str)) if overrides
                      else L("index.none"))
    calibrated = str(meta.get("calibration", "none")) != "none"
    method = (L("index.method_calibrated" if calibrated else "index.method", n_paths=f"{n_paths:,}" if n_paths else "")
              + " " + L("index.method2", on_track=fmt_probability(on_track, 0), at_risk=fmt_probability(at_risk, 0)))
    files = L("index.files_text", csv="{csv}", xlsx="{xlsx}", manifest="{manifest}").format(
        csv='<a href="scorecard.csv">scorecard.csv</a>', xlsx='<a href="scorecard.xlsx">scorecard.xlsx</a>'
        if meta.get("xlsx") else "scorecard.xlsx", manifest='<a href="manifest.json">manifest.json</a>')
    # No chart here: the bars above are the chart (with their intervals); notebook 03's page has the figure.
    chart = ""
    items = "".join(
        f'<li><a href="{html.escape(p.name)}.html">{html.escape(p.title)}</a> '
        f'<span class="meta">(<a href="notebooks/{html.escape(p.name)}.ipynb">{L("index.notebook")}</a>, '
        f'<a href="results/{html.escape(p.name)}/">{L("index.results")}</a>)</span></li>'
        for p in pages)
    html_lang = "zh-Hans" if lang == "zh" else "en"
    return f"""<!DOCTYPE html>
<html lang="{html_lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · {L("index.title")}</title>
<style>{_CSS}</style></head><body>
<header><h1>{html.escape(title)}{f"<small>{html.escape(subtitle)}</small>" if subtitle and subtitle != title else ""}</h1>
<p class="meta">{L("index.data_as_of")}: <b>{data_as_of}</b> · {L("index.generated")} {html.escape(str(meta.get("generated", "")))}
· plananalysis {html.escape(__version__)}</p></header>
<main>
{table}
<p class="method">{method}</p>
{chart}
<h2>{L("index.files")}</h2><p class="meta">{files}<br>{L("index.overrides")}: {overrides_text}</p>
<h2>{L("index.pages")}</h2><ul>{items}</ul>
{_sources_table(sources, lang)}
</main></body></html>
"""


def _source_link(title, url) -> str:
    title = "" if is_missing(title) else str(title)
    url = "" if is_missing(url) else str(url).strip()
    text = html.escape(title or url or MISSING)
    if url and safe_url(url) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">{text}</a>'
    return text


def sources_table_html(sources, lang: str = "en") -> str:
    """An HTML table of figures with their sources: year, value, source title as a link, the quote.

    Every string is escaped; only http(s) URLs become links. Accepts a
    statistics table or a series frame (``get_series``: year as the index).

    Parameters
    ----------
    sources : pandas.DataFrame
        Columns ``year`` (or the index), ``value``, ``qualifier``, ``unit``,
        ``source_title``, ``source_url``, ``quote`` (``indicator`` optional).
    lang : {"en", "zh"}

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"year": [2024], "value": [428.7], "unit": ["万人"], "source_title": ["<b>Bulletin</b>"],
    ...                   "source_url": ["https://x.cn/a"], "quote": ["在校生428.7万人"]})
    >>> html_ = sources_table_html(f)
    >>> '<a href="https://x.cn/a" rel="noopener noreferrer">&lt;b&gt;Bulletin&lt;/b&gt;</a>' in html_
    True
    """
    if sources is not None and "year" not in sources.columns and sources.index.name == "year":
        sources = sources.reset_index()
    return _sources_table(sources, lang, collapsed=False)


def _sources_table(sources, lang, collapsed=True) -> str:
    """A table of every figure behind the targets: indicator, year, value, source (link), quote."""
    if sources is None or not len(sources):
        return ""
    L = lambda code: html.escape(label(code, lang))  # noqa: E731
    rows = []
    for r in sources.to_dict("records"):
        quote = "" if is_missing(r.get("quote")) else str(r["quote"])
        q = "" if is_missing(r.get("qualifier")) else str(r["qualifier"]).strip()
        value = (q + " " if q else "") + fmt_value(r.get("value"), r.get("unit", ""))
        rows.append(
            f"<tr><td>{html.escape(str(r.get('indicator', '')))}</td><td>{html.escape(fmt_year(r.get('year')))}</td>"
            f'<td class="num" style="white-space:nowrap">{html.escape(value)}</td>'
            f'<td title="{html.escape(quote, quote=True)}">{_source_link(r.get("source_title"), r.get("source_url"))}</td>'
            f'<td class="q">{html.escape(quote)}</td></tr>')
    head = "".join(f"<th>{L(c)}</th>" for c in ("col.indicator", "col.year", "col.value", "col.source", "col.quote"))
    table = (f'<div class="scroll" style="overflow-x:auto"><table class="sources"><thead><tr>{head}</tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table></div>')
    if not collapsed:
        return table
    return f'<details><summary><b>{L("sheet.sources").capitalize()}</b> ({len(rows)})</summary>{table}</details>'



def write_index(build, scorecard, pages, meta: dict, targets=None, sources=None):
    """Write ``build/index.html`` and return its path.

    Parameters
    ----------
    build : Path
        The report folder being built.
    scorecard : pandas.DataFrame
        One row per target (``scorecard.csv``).
    pages : list of Page
        The executed pages, in report order.
    meta : dict
        ``lang``, ``as_of``, ``latest_year``, ``generated``, ``n_paths``,
        ``on_track``, ``at_risk``, ``title_en``, ``title_zh``, ``overrides``,
        ``xlsx`` (bool).
    targets : pandas.DataFrame, optional
        The plan's targets (for Chinese names and periods).
    sources : pandas.DataFrame, optional
        The statistics rows behind the targets (for the sources table).
    """
    from .html import sanitize_html

    path = build / "index.html"
    path.write_text(sanitize_html(index_html(scorecard, pages, meta, targets, sources)), encoding="utf-8")
    return path
