"""The report's ``index.html``: the whole scorecard on one screen, phone or desktop.

One line per target: its name (linking to its trajectory page), the goal, the
latest value, P(meet) as a bar with its Monte-Carlo interval, and the status
in words ("coin toss" when the Monte-Carlo error could flip it). Below: the
method in two sentences, the files, the pages and the sources of every figure
behind the targets (title as a link, quote on hover and in the table).

The page is the Jinja2 template ``templates/index.html.j2`` (styles in
``index.css``, the sources table in ``sources.html.j2``) rendered with
autoescape: this module only turns the scorecard into plain values (words
and formatted numbers), and every string from a data file is escaped by the
template.
"""

from __future__ import annotations

import functools
import json

from .. import __version__
from ..comparator import COMPARATORS, Comparator
from ..formatting import MISSING, fmt_probability, fmt_value, fmt_year, is_missing
from ..labels import label as code_label
from ..labels import text as label
from ..verdicts import display_status, mc_interval, p_interval, verdict
from ..page_words import GLOSSARY
from ..tables import names_for
from ..words import method_words
from ..sources import split_urls
from .html import TEMPLATES, safe_url, sanitize_html

__all__ = ["write_index", "glossary_html", "mc_interval", "display_status", "index_html", "sources_table_html", "sources_frame",
           "progress_so_far"]


@functools.lru_cache(maxsize=1)
def _environment():
    """The Jinja2 environment of the report's templates (autoescape on, undefined names are errors)."""
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _text(value) -> str:
    return "" if is_missing(value) else str(value)


def _goal(row, lang, strict=False) -> tuple[str, str]:
    """``(goal, when)``: e.g. ``("≥ 360 万人", "by 2025")``, the comparator as read (以上: at least)."""
    symbol = _text(row.get("comparator"))
    tol = row.get("tolerance")
    comp = Comparator(symbol, strict, None if is_missing(tol) else float(tol)).reading() if symbol in COMPARATORS \
        and (symbol != "~" or not is_missing(tol)) else symbol
    value = fmt_value(row.get("target"), row.get("unit", ""))
    year = fmt_year(row.get("target_year"))
    start = row.get("period_start")
    if str(row.get("cumulative")).lower() == "true" and not is_missing(start):
        when = label("cumulative", lang, start=fmt_year(start), end=year)
    else:
        when = label("by", lang, year=year)
    return f"{comp} {value}".strip(), when


def _latest(row) -> tuple[str, str]:
    """``(value, year)`` of the latest observation (empty when there is none)."""
    value = row.get("latest_value")
    if is_missing(value):
        return "", ""
    q = _text(row.get("latest_qualifier")).strip()
    return (q + " " if q else "") + fmt_value(value, row.get("unit", "")), fmt_year(row.get("latest_year"))


def _missing_years(row) -> int | None:
    simulated = _text(row.get("years_simulated")).strip()
    if simulated:
        return len([y for y in simulated.split(",") if y.strip()])
    need, total, done = row.get("needed_per_year"), row.get("target"), row.get("observed_sum")
    if any(is_missing(x) for x in (need, total, done)) or abs(float(need)) < 1e-12:
        return None
    return int(round((float(total) - float(done)) / float(need)))  # needed = (target - observed) / missing


def progress_so_far(row, lang="en") -> list[str]:
    """Lines of progress for a cumulative target: the sum observed in k of n years, what each missing year needs.

    Empty for a target that is not cumulative or has no observed sum.

    Examples
    --------
    >>> row = {"cumulative": True, "observed_sum": 1805.4, "period_start": 2021, "period_end": 2025,
    ...        "years_simulated": "2023, 2025", "needed_per_year": 97.3, "target": 2000.0, "unit": "万人次"}
    >>> progress_so_far(row)
    ['so far 1,805.4 万人次 in 3 of 5 years', 'still needed: 97.3 万人次 a year']
    """
    if str(row.get("cumulative")).lower() != "true" or is_missing(row.get("observed_sum")):
        return []
    unit = row.get("unit", "")
    if is_missing(unit):
        unit = ""
    total = fmt_value(row.get("observed_sum"), unit)
    start, end = row.get("period_start"), row.get("period_end")
    missing = _missing_years(row)
    if is_missing(start) or is_missing(end) or missing is None:
        lines = [label("index.so_far", lang, total=total)]
    else:
        n = int(end) - int(start) + 1
        lines = [label("index.progress", lang, total=total, k=max(n - missing, 0), n=n)]
    if not is_missing(row.get("needed_per_year")):
        lines.append(label("index.still_needed", lang, per_year=fmt_value(row.get("needed_per_year"), unit)))
    return lines


def _bar(p, n, thresholds, p_trend, trend_word, interval=None):
    """What the P(meet) bar shows (percentages of its width), or None when there is no probability.

    The whisker is P's own interval (``p_meet_lo``–``p_meet_hi``: the
    calibration's parameter uncertainty and Monte-Carlo error) where the
    scorecard has one, else the Monte-Carlo interval of P.
    """
    if is_missing(p):
        return None
    lo, hi = p_interval(p, n, interval)
    interval = f"{fmt_probability(lo)} – {fmt_probability(hi)}" if lo is not None else ""
    trend = (f"{trend_word}: {fmt_probability(p_trend)}"
             if not is_missing(p_trend) and abs(float(p_trend) - float(p)) > 1e-9 else "")
    return {"fill": 100 * float(p), "ticks": [(100 * t, fmt_probability(t, 0)) for t in thresholds],
            "ci": (100 * lo, max(100 * (hi - lo), 0.8)) if lo is not None else None,
            "interval": interval, "text": fmt_probability(p), "trend": trend}


def _rows(scorecard, pages, meta, targets, lang) -> list[dict]:
    n_paths = meta.get("n_paths")
    on_track, at_risk = meta.get("on_track", 0.9), meta.get("at_risk", 0.5)
    links = {p.parameters.get("indicator"): f"{p.name}.html" for p in pages if p.parameters.get("indicator")}
    extra = {t["indicator"]: t for t in targets.to_dict("records")} if targets is not None else {}
    rows = []
    for row in scorecard.to_dict("records"):
        ind = row.get("indicator")
        row = {**{k: v for k, v in extra.get(ind, {}).items() if k not in row}, **row}
        name = row.get("name_zh") if lang == "zh" and not is_missing(row.get("name_zh")) else row.get("name_en")
        interval = (row.get("p_meet_lo"), row.get("p_meet_hi")) if "p_meet_lo" in row else None
        code, status = verdict(row, n_paths, on_track, at_risk, lang)
        goal, when = _goal(row, lang, bool(meta.get("strict", False)))
        latest, latest_year = _latest(row)
        rows.append({
            "id": _text(ind), "name": _text(name) or _text(ind), "link": links.get(ind),
            "proxy": _text(row.get("relation", row.get("series_relation", ""))).strip() == "proxy",
            "goal": goal, "when": when, "latest": latest, "latest_year": latest_year,
            "p": _bar(row.get("p_meet"), n_paths, (at_risk, on_track), row.get("p_trend"),
                      label("index.trend", lang), interval),
            "code": code, "status": status, "pending": str(row.get("status", "")).strip() == "pending",
            "note": _text(row.get("note")) if lang == "en" else "；".join(dict.fromkeys(  # the reasons in words
                code_label("reason", c, lang) for c in _text(row.get("reasons")).split(";") if c.strip())),
            "progress": progress_so_far(row, lang),
        })
    return rows


def _source_rows(sources, names=None) -> list[dict]:
    names = names or {}
    rows = []
    for r in sources.to_dict("records"):
        q = _text(r.get("qualifier")).strip()
        urls = [u for u in split_urls(r.get("source_url")) if safe_url(u)]
        url = urls[0] if urls else ""
        title = _text(r.get("source_title"))
        rows.append({
            "indicator": _text(names.get(r.get("indicator"), r.get("indicator"))), "year": fmt_year(r.get("year")),
            "value": (q + " " if q else "") + fmt_value(r.get("value"), r.get("unit", "")),
            "title": title or url or MISSING, "quote": _text(r.get("quote")),
            "url": url, "more_urls": urls[1:],
        })
    return rows


def _sources(sources, lang, names=None) -> dict:
    rows = _source_rows(sources, names) if sources is not None and len(sources) else []
    indicator = any(r["indicator"] for r in rows)  # one series (page 02): no empty Indicator column
    cols = ("col.indicator",) * indicator + ("col.year", "col.value", "col.source", "col.quote")
    return {"rows": rows, "head": [label(c, lang) for c in cols], "indicator": indicator}


def index_html(scorecard, pages, meta: dict, targets=None, sources=None) -> str:
    """The text of ``index.html`` (see :func:`write_index`), before the sanitiser."""
    from markupsafe import Markup, escape

    lang = meta.get("lang", "en")
    n_paths = meta.get("n_paths")
    on_track, at_risk = meta.get("on_track", 0.9), meta.get("at_risk", 0.5)
    as_of = meta.get("as_of")
    data_as_of = (label("index.all_data", lang, year=meta.get("latest_year")) if as_of is None
                  else label("index.what_if", lang, year=as_of))
    title_en, title_zh = meta.get("title_en") or "", meta.get("title_zh") or ""
    title, subtitle = (title_zh or title_en, title_en) if lang == "zh" else (title_en or title_zh, title_zh)
    overrides = meta.get("overrides") or {}
    calibrated = str(meta.get("calibration", "none")) != "none"
    method = (label("index.method_calibrated" if calibrated else "index.method", lang,
                    n_paths=f"{n_paths:,}" if n_paths else "")
              + " " + label("index.method2", lang, on_track=fmt_probability(on_track, 0),
                            at_risk=fmt_probability(at_risk, 0)))
    methods = meta.get("methods") or {}
    if methods:
        names = {r.get("indicator"): (r.get("name_zh") if lang == "zh" and not is_missing(r.get("name_zh"))
                                      else r.get("name_en")) or r.get("indicator")
                 for r in scorecard.to_dict("records")}
        method += " " + label("say.method_lead", lang) + "; ".join(
            label("say.method_series", lang, name=names.get(ind, ind), what=method_words(info, lang))
            for ind, info in methods.items()) + ("。" if lang == "zh" else ".")
    xlsx = (Markup('<a href="scorecard.xlsx">scorecard.xlsx</a>') if meta.get("xlsx") else "scorecard.xlsx")
    files = Markup(escape(label("index.files_text", lang, csv="{csv}", xlsx="{xlsx}", manifest="{manifest}"))).format(
        csv=Markup('<a href="scorecard.csv">scorecard.csv</a>'), xlsx=xlsx,
        manifest=Markup('<a href="manifest.json">manifest.json</a>'))
    words = {k: label(f"index.{k}", lang) for k in ("title", "data_as_of", "generated", "proxy", "files",
                                                     "overrides", "pages", "notebook", "results",
                                                     "pending_tip")}
    words["columns"] = [label(c, lang) for c in ("col.target", "col.goal", "col.latest", "col.p_meet", "col.status")]
    words["sources"] = label("sheet.sources", lang).capitalize()
    words["glossary"] = label("say.glossary", lang)
    return _environment().get_template("index.html.j2").render(
        html_lang="zh-Hans" if lang == "zh" else "en", title=title, subtitle=subtitle, L=words,
        data_as_of=data_as_of, generated=str(meta.get("generated", "")), version=__version__,
        rows=_rows(scorecard, pages, meta, targets, lang), method=method, files=files, missing=MISSING,
        overrides=json.dumps(overrides, ensure_ascii=False, default=str) if overrides else label("index.none", lang),
        pages=pages, sources=_sources(sources, lang, names_for(targets if targets is not None else scorecard, lang)))


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
    if sources is None or not len(sources):
        return ""
    table = _environment().get_template("sources.html.j2").module.sources_table
    return str(table(**_sources(sources, lang)))


def sources_frame(series, targets, as_of=None):
    """The statistics rows behind the targets (selected figures, up to ``as_of``), for the sources table.

    Examples
    --------
    >>> import pandas as pd
    >>> stats = pd.DataFrame({"indicator": ["s", "s", "t"], "year": [2021, 2020, 2020], "value": [2.0, 1.0, 5.0]})
    >>> sources_frame(stats, pd.DataFrame({"series": ["s"]}), as_of=2020)[["indicator", "year"]].values.tolist()
    [['s', 2020]]
    """
    used = set(targets["series"].astype("string").dropna())
    rows = series[series["indicator"].isin(used)]
    if "selected" in rows:
        rows = rows[rows["selected"]]
    if as_of is not None:
        rows = rows[rows["year"] <= as_of]
    cols = [c for c in ("indicator", "year", "value", "qualifier", "unit", "source_title", "source_url", "quote")
            if c in rows.columns]
    return rows[cols].sort_values(["indicator", "year"]).reset_index(drop=True)


def write_index(build, scorecard, pages, meta: dict, targets=None, sources=None):
    """Write ``build/index.html`` (sanitised like every page) and return its path.

    Parameters
    ----------
    build : Path
        The report folder being built.
    scorecard : pandas.DataFrame
        One row per target (``Scorecard.to_frame()``).
    pages : list of Page
        The executed pages, in report order.
    meta : dict
        ``lang``, ``as_of``, ``latest_year``, ``generated``, ``n_paths``,
        ``on_track``, ``at_risk``, ``title_en``, ``title_zh``, ``overrides``,
        ``xlsx`` (bool), ``calibration``.
    targets : pandas.DataFrame, optional
        The plan's targets (for Chinese names and periods).
    sources : pandas.DataFrame, optional
        The statistics rows behind the targets (for the sources table).
    """
    path = build / "index.html"
    path.write_text(sanitize_html(index_html(scorecard, pages, meta, targets, sources)), encoding="utf-8")
    (build / "glossary.html").write_text(sanitize_html(glossary_html(meta.get("lang", "en"))), encoding="utf-8")
    return path


def glossary_html(lang: str = "en") -> str:
    """The text of ``glossary.html``: every term a reader meets, explained once, in both languages.

    The report's language comes first; the other follows, so a reader of
    either finds every term. Linked from the index.

    Examples
    --------
    >>> "Winkler" in glossary_html() and "达成概率" in glossary_html("zh")
    True
    """
    from markupsafe import escape

    first = ("zh", "en") if lang == "zh" else ("en", "zh")
    parts = []
    for lg in first:
        rows = "".join(
            f'<dt id="{escape(en.split()[0].lower().strip("≥()80%/"))}-{lg}">{escape(zh if lg == "zh" else en)}</dt>'
            f"<dd>{escape(dz if lg == 'zh' else de)}</dd>" for en, zh, de, dz in GLOSSARY)
        parts.append(f'<section lang="{"zh-Hans" if lg == "zh" else "en"}"><h2>{escape(label("say.glossary", lg))}'
                     f'</h2><p class="meta">{escape(label("say.glossary_intro", lg))}</p><dl>{rows}</dl></section>')
    title = label("say.glossary", lang)
    return (f'<!DOCTYPE html><html lang="{"zh-Hans" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{_environment().loader.get_source(_environment(), 'index.css')[0]}"
            "dt{font-weight:bold;margin-top:.8em}dd{margin:0 0 0 1em;max-width:46em}</style></head><body>"
            f'<nav><a href="index.html">← {escape(label("index.title", lang))}</a></nav><main>'
            + "".join(parts) + "</main></body></html>")
