"""Plain words from results: sentences about a target, its goal as read, the grouped summary page 02 shows.

English and Chinese (:mod:`plananalysis.labels`); data-file text is escaped.
With ``marks=True`` the numbers a reader sees are wrapped by
:func:`plananalysis.formatting.mark`, so a test can read them from a page.
"""

from __future__ import annotations

import re

import pandas as pd

from .comparator import Comparator
from .formatting import (MISSING, fmt_number, fmt_probability, fmt_rate, fmt_value, fmt_year, is_missing,
                         mark, projection_digits)
from .labels import label, text
from .verdicts import verdict

__all__ = ["escape_text", "with_reading", "describe", "summary_in_words", "assessment_summary", "series_methods",
           "method_words", "inline_html"]


def escape_text(text) -> str:
    """Text from a data file made inert in markdown and HTML: ``&``, ``<`` and markdown link brackets escaped.

    Examples
    --------
    >>> print(escape_text("<img src=x onerror=alert(4)> [a](javascript:x)"))
    &lt;img src=x onerror=alert(4)> \\[a\\](javascript:x)
    >>> escape_text("> 97")
    '> 97'
    """
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]"))


def with_reading(targets, strict=False) -> pd.DataFrame:
    """A targets frame with a ``reading`` column: the comparator as read (``≥`` for the plan's 以上).

    Examples
    --------
    >>> with_reading(pd.DataFrame({"comparator": [">", "<="], "tolerance": [None, None]}))["reading"].tolist()
    ['≥', '≤']
    >>> with_reading(pd.DataFrame({"comparator": [">"]}), strict=True)["reading"].tolist()
    ['>']
    """
    out = targets.copy()
    tol = out["tolerance"] if "tolerance" in out else pd.Series(float("nan"), index=out.index)
    out["reading"] = [Comparator(c, strict, None if is_missing(t) else float(t)).reading()
                      if c != "~" or not is_missing(t) else "≈" for c, t in zip(out["comparator"], tol)]
    return out


def _needed_text(r, lang="en"):
    if pd.notna(r.get("needed_per_year")):
        return text("say.needed_sum", lang, observed=fmt_number(r["observed_sum"], 1),
                    per_year=fmt_number(r["needed_per_year"], 1))
    if pd.notna(r.get("needed_cagr")) and abs(r["needed_cagr"]) < 0.0005:
        return text("say.hold", lang)
    if pd.notna(r.get("needed_cagr")):
        return text("say.needed_rate", lang, rate=fmt_rate(r["needed_cagr"]))
    return ""


def _period(r, lang="en") -> str:
    if not r.get("cumulative"):
        return ""
    if pd.notna(r.get("period_start")):
        return text("say.period", lang, start=int(r["period_start"]), end=int(r["period_end"]))
    return text("say.period_total", lang)


def describe(row, lang="en", marks=False) -> str:
    """One scorecard row in plain words (markdown), using only the row's numbers.

    Data-file text (names, units) is escaped for markdown/HTML.

    Parameters
    ----------
    row : mapping
        One row of :meth:`Scorecard.to_frame`.
    lang : {"en", "zh"}
        Language of the sentence (``zh`` uses the plan's Chinese name, ``name_zh``, when there is one).
    marks : bool
        Wrap P(meet) and the projection in :func:`~plananalysis.formatting.mark` spans (HTML pages).

    Examples
    --------
    >>> row = {"indicator": "x", "name_en": "Students", "name_zh": "在校生规模", "comparator": ">",
    ...        "target": 360.0, "unit": "万人", "target_year": 2025, "cumulative": False,
    ...        "latest_qualifier": "", "latest_value": 97.0, "latest_year": 2025, "status": "met"}
    >>> describe(row)
    '**Students** — target ≥ 360 万人 in 2025; latest figure 97 (2025): **met** (observed).'
    >>> describe(row, "zh")
    '**在校生规模**：2025 年目标 ≥ 360 万人；最新数据 97（2025 年）：**已实现**（已有实际数据）。'
    """
    r = pd.Series(dict(row))
    d = projection_digits(r.get("unit"))

    def m(shown, quantity):
        return mark(shown, quantity, r["indicator"]) if marks else shown

    zh_name = r.get("name_zh") if lang == "zh" and isinstance(r.get("name_zh"), str) and r.get("name_zh") else None
    name = escape_text(zh_name or r["name_en"] or r["indicator"])
    unit = escape_text(r["unit"])
    reading = with_reading(pd.DataFrame([{"comparator": r["comparator"], "tolerance": r.get("tolerance")}]))
    pct = unit.strip() == "%"  # 97%, not 97 %
    head = text("say.head", lang, name=name, comparator=reading["reading"].iloc[0],
                target=f"{r['target']:g}" + ("%" if pct else ""), unit="" if pct else unit, year=r["target_year"])
    head = re.sub(r" +(?=[ （；]| in )", "", head) + _period(r, lang)
    if r.get("relation") == "proxy":
        head += text("say.proxy", lang)
    qualifier = r["latest_qualifier"] if isinstance(r["latest_qualifier"], str) else ""
    latest = "" if pd.isna(r["latest_value"]) else text(
        "say.latest", lang, qualifier=escape_text(qualifier), value=f"{r['latest_value']:g}", year=int(r["latest_year"]))
    status = label("status", r["status"], lang)
    if r["status"] in ("met", "not_met"):
        out = text("say.observed", lang, head=head, latest=latest, status=status)
    elif r["status"] == "insufficient_data":
        n = int(r["n_obs"]) if pd.notna(r["n_obs"]) else 0
        out = text("say.insufficient", lang, head=head, latest=latest, n=n, s="" if n == 1 else "s",
                   needed=_needed_text(r, lang))
    else:
        trend = "" if pd.isna(r.get("p_trend")) or r.get("calibration") in ("", "none") else \
            text("say.trend", lang, p=fmt_probability(r["p_trend"]))
        out = text("say.forecast", lang, head=head, latest=latest, status=status,
                   p=m(fmt_probability(r["p_meet"]), "p_meet"), trend=trend,
                   median=m(fmt_number(r["projected_median"], d), "projected_median"),
                   lo=m(fmt_number(r["projected_lo80"], d), "projected_lo80"),
                   hi=m(fmt_number(r["projected_hi80"], d), "projected_hi80"), model=r["model"])
    band = r.get("progress_band")
    if isinstance(band, str) and band:
        out += text("say.band", lang, band=label("band", band, lang))
    return out


def summary_in_words(scorecard, lang="en") -> str:
    """The scorecard as a markdown bullet list, one :func:`describe` sentence group per target (in ``lang``)."""
    frame = scorecard.to_frame() if hasattr(scorecard, "to_frame") else scorecard
    return "\n".join("- " + describe(r, lang) for _, r in frame.iterrows())


def _goal(r, lang) -> str:
    rule = Comparator(r["comparator"], tolerance=None if is_missing(r.get("tolerance")) else float(r["tolerance"]))
    goal = f"{rule.reading()} {fmt_value(r['target'], r['unit'])}"
    return goal + (_period(r, lang) if r.get("cumulative") else " " + text("say.in_year", lang, year=fmt_year(r["target_year"])))


def assessment_summary(row, lang="en", on_track=0.9, at_risk=0.5, marks=False, n_paths=None) -> pd.DataFrame:
    """One assessment as a reader reads it: grouped, named, formatted (no raw fields).

    Groups: target, latest, projection, probability, progress. The raw record
    (every field of :meth:`Scorecard.to_frame`) is what the report writes to
    its results folder; this is what a page shows.

    Parameters
    ----------
    row : mapping
        One row of :meth:`Scorecard.to_frame`.
    lang : {"en", "zh"}
    on_track, at_risk : float
        The thresholds, for the verdict of a pending outcome (:func:`verdict`).
    marks : bool
        Wrap the scorecard's numbers in :func:`~plananalysis.formatting.mark` spans (HTML pages).
    n_paths : int, optional
        Simulated paths, for the verdict's Monte-Carlo interval (as the index).

    Returns
    -------
    DataFrame
        Columns ``group, item, value`` (headers in ``lang``); rows that do
        not apply to the target are left out.

    Examples
    --------
    >>> row = {"indicator": "x", "name_en": "Students", "name_zh": "在校生", "comparator": ">", "target": 360.0,
    ...        "unit": "万人", "target_year": 2025, "cumulative": False, "latest_value": 428.7,
    ...        "latest_year": 2024, "latest_qualifier": "", "status": "on_track", "p_meet": 0.955,
    ...        "p_trend": 0.999, "calibration": "reference_class", "projected_median": 445.0,
    ...        "projected_lo80": 412.5, "projected_hi80": 486.9, "model": "combination"}
    >>> t = assessment_summary(row)
    >>> t.iloc[1].tolist(), t.iloc[2].tolist()
    (['Target', 'goal', '≥ 360 万人 in 2025'], ['Latest', 'latest figure', '428.7 万人 (2024)'])
    """
    r = dict(row)
    unit = r.get("unit") or ""
    rows = []
    d = projection_digits(unit)

    def m(value, quantity, **kw):
        shown = fmt_number(value, d) if quantity.startswith("projected") else fmt_probability(value)
        return mark(shown, quantity, r["indicator"]) if marks else shown

    def add(group, item, value):
        if value not in (None, "", MISSING):
            rows.append((text(f"sum.g.{group}", lang), text(f"sum.{item}", lang), value))

    zh = r.get("name_zh") if lang == "zh" and r.get("name_zh") else None
    add("target", "name", zh or r.get("name_en") or r["indicator"])
    add("target", "goal", _goal(r, lang))
    if r.get("series") and r.get("relation") == "proxy":  # a direct series is the target itself
        add("target", "series", f"{r['series']} ({label('relation', 'proxy', lang)})")
    if not is_missing(r.get("latest_value")):
        q = r.get("latest_qualifier") or ""
        add("latest", "latest", f"{q}{fmt_value(r['latest_value'], unit)} ({fmt_year(r['latest_year'])})")
    if r.get("cumulative") and not is_missing(r.get("observed_sum")):
        add("latest", "so_far", fmt_value(r["observed_sum"], unit))
        if not is_missing(r.get("needed_per_year")):
            years = r.get("years_simulated") or ""
            add("latest", "needed", text("sum.per_year", lang, value=fmt_value(r["needed_per_year"], unit),
                                         years=years) if years else fmt_value(r["needed_per_year"], unit))
    if not is_missing(r.get("projected_median")):
        units = "" if unit == "%" else f" {unit}" if unit else ""
        pct = "%" if unit == "%" else ""
        add("projection", "median", m(r["projected_median"], "projected_median") + pct + units)
        for level in ("80", "95"):
            if not is_missing(r.get(f"projected_lo{level}")):
                add("projection", f"interval{level}", f"{m(r[f'projected_lo{level}'], f'projected_lo{level}')}–"
                                                      f"{m(r[f'projected_hi{level}'], f'projected_hi{level}')}{pct}{units}")
        add("projection", "model", label("model", r.get("model"), lang) if r.get("model") else "")
    add("probability", "status", verdict(r, n_paths, on_track, at_risk, lang)[1])
    if not is_missing(r.get("p_meet")):
        add("probability", "p_meet", m(r["p_meet"], "p_meet"))
        if r.get("calibration") not in (None, "", "none") and not is_missing(r.get("p_trend")):
            add("probability", "p_trend", fmt_probability(r["p_trend"]))
    band = r.get("progress_band")
    if isinstance(band, str) and band:
        add("progress", "band", label("band", band, lang))
    for key, item in (("required_cagr", "required"), ("actual_cagr", "actual")):
        if not is_missing(r.get(key)):
            add("progress", item, fmt_rate(r[key]))
    return pd.DataFrame(rows, columns=[text("col.group", lang), text("col.item", lang), text("col.field", lang)])


def series_methods(assessments) -> dict:
    """What each target's series actually got: ``{indicator: {"model", "components", "n_obs"}}``.

    ``components`` are the members of the fitted combination (stand-ins
    included), ``[model]`` for a single model and ``[]`` when no model could
    be fitted; read from each assessment's forecast, not from the settings.

    Examples
    --------
    >>> from plananalysis import assess
    >>> m = series_methods(assess(n_paths=200))
    >>> m["enrollment"]["components"], m["high_skill_trained"]["components"]
    (['drift', 'theta', 'ets'], [])
    """
    out = {}
    for a in assessments:
        fc = a.forecast
        parts = [] if fc is None else list(fc.params.get("components") or [fc.model])
        out[a.indicator] = {"model": "" if fc is None else fc.model, "components": parts,
                            "n_obs": int(a.n_obs or 0)}
    return out


def method_words(info, lang="en") -> str:
    """One series' :func:`series_methods` entry in words.

    Examples
    --------
    >>> method_words({"model": "combination", "components": ["drift", "naive"], "n_obs": 3})
    'a combination of drift, naive'
    >>> method_words({"model": "", "components": [], "n_obs": 1})
    'no model (1 observation: too few for a forecast)'
    """
    parts, n = list(info.get("components") or []), int(info.get("n_obs") or 0)
    if not parts:
        return text("say.no_model", lang, n=n, s="" if n == 1 else "s")
    parts = [label("model", p, lang) for p in parts]  # the registry's words where the vocabulary has them
    if len(parts) == 1:
        return text("say.one_model", lang, model=parts[0], n=n)
    return text("say.components", lang, models=", ".join(parts))


def inline_html(markdown: str) -> str:
    """A sentence of :func:`describe` (inline markdown: bold, escaped brackets) as HTML, its spans intact.

    Markdown renderers split inline ``<span>`` tags from their text; a page
    that shows marked numbers displays this HTML instead. Data-file text is
    already escaped by :func:`escape_text`.

    Examples
    --------
    >>> inline_html('**Students** \\\\[a\\\\] P(meet) <span data-quantity="p_meet">95.5%</span>')
    '<strong>Students</strong> [a] P(meet) <span data-quantity="p_meet">95.5%</span>'
    """
    out = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", markdown)
    return out.replace("\\[", "[").replace("\\]", "]")
