"""Tables and plain words from results, for notebooks, the CLI and the report (en labels).

Every function takes a :class:`~plananalysis.results.Scorecard` or its
``to_frame()`` table and uses only its numbers; labels come from
:mod:`plananalysis.labels`.
"""

from __future__ import annotations

import re
import unicodedata
from types import SimpleNamespace

import pandas as pd

from .errors import ParameterError
from .comparator import Comparator
from .engine import status_for
from .formatting import (MISSING, SCORECARD_KINDS, display_status, fmt_interval, fmt_probability, fmt_rate, fmt_value, fmt_year, format_frame, is_missing)
from .labels import label, status_label, text
from .messages import reason_text
from .progress import required_path

__all__ = ["escape_text", "summary_table", "scorecard_display", "SCORECARD_COLUMNS", "reasons_table",
           "required_path_table", "vintage_table", "describe", "summary_in_words", "assessment_summary",
           "targets_display", "with_reading", "text_table"]


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


def _frame(scorecard) -> pd.DataFrame:
    return scorecard.to_frame() if hasattr(scorecard, "to_frame") else scorecard


def _fmt(x, digits=1):
    return "" if x is None or pd.isna(x) else f"{x:,.{digits}f}"


def summary_table(scorecard, lang="en", strict=False) -> pd.DataFrame:
    """A compact, rounded, human-readable view of a scorecard (the CLI's table).

    Parameters
    ----------
    scorecard : Scorecard or DataFrame
    lang : {"en", "zh"}
        Words for statuses, bands and relations, and the headers.
    strict : bool
        The reading of ``>``/``<`` (default: the plan's 以上/以下, shown as ``≥``/``≤``).

    Returns
    -------
    DataFrame
        String columns ``indicator, target, latest, status, p_meet`` (with its
        95% interval where the scorecard has one), ``p_trend``,
        ``projected [80%]``, ``band``, ``relation``, ``model``, ``n_obs``
        (headers in ``lang``).

    Examples
    --------
    >>> t = pd.DataFrame([{"indicator": "x", "comparator": ">", "target": 5.0, "target_year": 2025,
    ...     "cumulative": False, "latest_year": 2024, "latest_value": 4.0, "latest_qualifier": "",
    ...     "observed_sum": float("nan"), "unit": "%", "projected_median": 5.2, "projected_lo80": 4.1,
    ...     "projected_hi80": 6.0, "status": "at_risk", "p_meet": 0.6, "p_trend": 0.55,
    ...     "progress_band": "on_pace", "relation": "proxy", "model": "naive", "n_obs": 6}])
    >>> summary_table(t).loc[0, ["target", "status", "p_meet", "relation"]].tolist()
    ['≥5 in 2025', 'at risk', '60.0%', 'proxy']
    >>> summary_table(t, "zh").iloc[0, 1:4].tolist()
    ['≥5（2025 年）', '2024: 4.0', '有风险']
    """
    rows = []
    for _, r in with_reading(_frame(scorecard), strict).iterrows():
        latest = "" if pd.isna(r["latest_year"]) else \
            f"{int(r['latest_year'])}: {r['latest_qualifier'] or ''}{_fmt(r['latest_value'])}"
        if r["cumulative"] and not pd.isna(r["observed_sum"]):
            latest += ("; " if latest else "") + text("cli.so_far", lang, value=_fmt(r["observed_sum"]))
        d = 2 if r["unit"] == "%" else 1
        proj = "" if pd.isna(r["projected_median"]) else (
            f"{_fmt(r['projected_median'], d)} [{_fmt(r['projected_lo80'], d)}, "
            f"{_fmt(r['projected_hi80'], d)}]" if not pd.isna(r.get("projected_lo80"))
            else _fmt(r["projected_median"], d))
        p = "" if pd.isna(r["p_meet"]) else fmt_probability(r["p_meet"])
        if p and not is_missing(r.get("p_meet_lo")) and not is_missing(r.get("p_meet_hi")) \
                and r["p_meet_lo"] < r["p_meet_hi"]:
            p += f" [{fmt_probability(r['p_meet_lo'])}, {fmt_probability(r['p_meet_hi'])}]"
        when = text("say.in_year", lang, year=r["target_year"]) if lang == "zh" else f" in {r['target_year']}"
        rows.append({
            "indicator": r["indicator"],
            "target": f"{r['reading']}{r['target']:g}{when}{_period(r, lang)}",
            "latest": latest, "status": label("status", r["status"], lang),
            "p_meet": p,
            "p_trend": "" if pd.isna(r.get("p_trend")) else fmt_probability(r["p_trend"]),
            "projected [80%]": proj, "band": label("band", r["progress_band"], lang),
            "relation": label("relation", r.get("relation") or "", lang) if r.get("relation") else "",
            "model": r["model"] or "",
            "n_obs": "" if pd.isna(r["n_obs"]) else str(int(r["n_obs"])),
        })
    out = pd.DataFrame(rows)
    return out if lang == "en" else out.rename(columns={c: text(f"cli.{c}", lang) for c in out.columns})


#: Columns of :func:`scorecard_display`, in order (``name`` is ``name_en`` or ``name_zh``).
SCORECARD_COLUMNS = ("name", "comparator", "target", "unit", "target_year", "latest_year", "latest_value",
                     "status", "p_meet", "p_trend", "projected_median", "projected_lo80", "projected_hi80",
                     "progress_band", "relation", "model")


def scorecard_display(scorecard, lang="en") -> pd.DataFrame:
    """The scorecard as a reader sees it: chosen columns, words for codes, numbers formatted, headers in ``lang``.

    Years as integers, probabilities as percentages ("> 99.9%" for a simulated
    certainty), missing as "–" (:mod:`plananalysis.formatting`); status, band
    and relation in words; the plan's Chinese names under ``lang="zh"``. The
    raw numbers stay in ``scorecard.csv``.

    Examples
    --------
    >>> t = pd.DataFrame([{"indicator": "x", "name_en": "Students", "name_zh": "在校生规模", "comparator": ">",
    ...     "target": 360.0, "unit": "万人", "target_year": 2025, "latest_year": 2024.0, "latest_value": 428.7,
    ...     "status": "at_risk", "p_meet": 0.9996, "p_trend": float("nan"), "projected_median": 445.0,
    ...     "projected_lo80": 412.1, "projected_hi80": 487.9, "progress_band": "on_pace", "relation": "direct",
    ...     "model": "combination"}])
    >>> scorecard_display(t).iloc[0, :9].tolist()
    ['Students', '>', '360', '万人', '2025', '2024', '428.7', 'at risk', '> 99.9%']
    >>> list(scorecard_display(t, "zh").columns[:3]), scorecard_display(t, "zh").iloc[0, 7]
    (['指标', '比较', '目标值'], '有风险')
    """
    f = _frame(scorecard).copy()
    names = f["name_zh"] if lang == "zh" and "name_zh" in f else f["name_en"]
    f["name"] = names.where(names.notna() & (names.astype(str) != ""), f["indicator"])
    f["status"] = [label("status", c, lang) for c in f["status"]]
    f["progress_band"] = [label("band", c, lang) if isinstance(c, str) and c else "" for c in f["progress_band"]]
    f["relation"] = [label("relation", c if isinstance(c, str) else "", lang) for c in f.get("relation", "")]
    shown = f[list(SCORECARD_COLUMNS)]
    out = format_frame(shown, {k: v for k, v in SCORECARD_KINDS.items() if k in shown.columns})
    return out.rename(columns={c: text(f"sc.{c}", lang) for c in SCORECARD_COLUMNS})


def reasons_table(assessments, lang="en") -> pd.DataFrame:
    """Every reason of one or more assessments: code, what it means (in ``lang``) and the message.

    Parameters
    ----------
    assessments : Assessment or iterable of Assessment (e.g. a Scorecard)
        One assessment gives no target column; several give one.
    lang : {"en", "zh"}
        Language of the headers, the meaning and the message (which carries
        the numbers; :func:`~plananalysis.messages.reason_text`).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> from plananalysis import assess
    >>> t = reasons_table(assess()["enrollment"], lang="zh")
    >>> list(t.columns), t.set_index('原因代码').loc['fit_window', '含义']
    (['原因代码', '含义', '处理说明'], '拟合区间')
    """
    single = hasattr(assessments, "reasons")
    items = [assessments] if single else list(assessments)
    rows = [((a.indicator,) if not single else ()) + (r.code.value, label("reason", r.code.value, lang),
                                                        reason_text(r, lang))
            for a in items for r in a.reasons]
    cols = ([] if single else [text("col.target_id", lang)]) + [
        text("col.reason", lang), text("col.meaning", lang), text("col.what_was_done", lang)]
    return pd.DataFrame(rows, columns=cols)


def required_path_table(target_row, history, flows=None) -> pd.DataFrame:
    """The required path next to what was published (and the simulated running total).

    Parameters
    ----------
    target_row : Series or dict
        A :func:`~plananalysis.plan.load_targets` row.
    history : DataFrame
        The target series (columns ``value`` and ``qualifier``, year index).
    flows : DataFrame, optional
        :func:`~plananalysis.study.cumulative_paths` output for a cumulative
        target: adds the median and 80% interval of the running total.

    Returns
    -------
    DataFrame
        Indexed by ``year``: ``required`` (running total for cumulative
        targets, so like is shown with like), ``published`` (the annual
        value) and, for cumulative targets, ``published_total`` (running
        total of the published values while no year is missing), and with
        ``flows`` ``total_median``, ``total_lo80``, ``total_hi80``.
        ``attrs["already_met"]``: the target is not beyond the baseline
        (required: stay on the right side of it).

    Examples
    --------
    >>> row = {"cumulative": True, "target": 200.0, "period_start": 2021, "period_end": 2022}
    >>> hist = pd.DataFrame({"value": [90.0], "qualifier": [""]}, index=[2021])
    >>> required_path_table(row, hist)[["required", "published", "published_total"]].values.tolist()
    [[100.0, 90.0, 90.0], [200.0, nan, nan]]
    """
    path = required_path(target_row)
    table = path.rename("required").to_frame()
    table["published"] = history["value"].reindex(table.index)
    table["qualifier"] = history["qualifier"].reindex(table.index)
    if dict(target_row).get("cumulative"):
        known = table["published"].notna() & (table["qualifier"].fillna("") == "")
        table["published_total"] = table["published"].cumsum().where(known.cummin())
    if flows is not None:
        running = flows.cumsum()
        table["total_median"] = running.median(axis=1)
        table["total_lo80"] = running.quantile(0.1, axis=1)
        table["total_hi80"] = running.quantile(0.9, axis=1)
    table.attrs["already_met"] = bool(path.attrs.get("already_met"))
    return table


def vintage_table(vintages_frame, value="p_meet", order=None, lang="en") -> pd.DataFrame:
    """One column of a :func:`~plananalysis.study.vintages` table as indicator x ``as_of``.

    Examples
    --------
    >>> v = pd.DataFrame({"as_of": [2020, 2020, 2021, 2021], "indicator": ["b", "a", "b", "a"],
    ...                   "p_meet": [0.5, 0.1, 0.7, 0.2]})
    >>> vintage_table(v).to_dict("index")
    {'b': {2020: 0.5, 2021: 0.7}, 'a': {2020: 0.1, 2021: 0.2}}
    """
    if value not in vintages_frame.columns:
        raise ParameterError(f"vintage_table: no column {value!r} in the vintages table")
    order = list(dict.fromkeys(vintages_frame["indicator"])) if order is None else list(order)
    out = vintages_frame.pivot(index="indicator", columns="as_of", values=value).reindex(order)
    if value == "status":
        out = out.map(lambda c: label("status", c, lang) if isinstance(c, str) else c)
    return out


def _needed_text(r, lang="en"):
    if pd.notna(r.get("needed_per_year")):
        return text("say.needed_sum", lang, observed=f"{r['observed_sum']:g}", per_year=f"{r['needed_per_year']:g}")
    if pd.notna(r.get("needed_cagr")) and abs(r["needed_cagr"]) < 0.0005:
        return text("say.hold", lang)
    if pd.notna(r.get("needed_cagr")):
        return text("say.needed_rate", lang, rate=f"{100 * r['needed_cagr']:+.1f}%")
    return ""


def _period(r, lang="en") -> str:
    if not r.get("cumulative"):
        return ""
    if pd.notna(r.get("period_start")):
        return text("say.period", lang, start=int(r["period_start"]), end=int(r["period_end"]))
    return text("say.period_total", lang)


def describe(row, lang="en") -> str:
    """One scorecard row in plain words (markdown), using only the row's numbers.

    Data-file text (names, units) is escaped for markdown/HTML.

    Parameters
    ----------
    row : mapping
        One row of :meth:`Scorecard.to_frame`.
    lang : {"en", "zh"}
        Language of the sentence (``zh`` uses the plan's Chinese name, ``name_zh``, when there is one).

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
    zh_name = r.get("name_zh") if lang == "zh" and isinstance(r.get("name_zh"), str) and r.get("name_zh") else None
    name = escape_text(zh_name or r["name_en"] or r["indicator"])
    unit = escape_text(r["unit"])
    reading = with_reading(pd.DataFrame([{"comparator": r["comparator"], "tolerance": r.get("tolerance")}]))
    head = text("say.head", lang, name=name, comparator=reading["reading"].iloc[0], target=f"{r['target']:g}",
                unit=unit, year=r["target_year"]) + _period(r, lang)
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
        out = text("say.forecast", lang, head=head, latest=latest, status=status, p=fmt_probability(r["p_meet"]),
                   trend=trend, median=f"{r['projected_median']:.4g}", lo=f"{r['projected_lo80']:.4g}",
                   hi=f"{r['projected_hi80']:.4g}", model=r["model"])
    band = r.get("progress_band")
    if isinstance(band, str) and band:
        out += text("say.band", lang, band=label("band", band, lang))
    return out


def summary_in_words(scorecard, lang="en") -> str:
    """The scorecard as a markdown bullet list, one :func:`describe` sentence group per target (in ``lang``)."""
    return "\n".join("- " + describe(r, lang) for _, r in _frame(scorecard).iterrows())


def _goal(r, lang) -> str:
    rule = Comparator(r["comparator"], tolerance=None if is_missing(r.get("tolerance")) else float(r["tolerance"]))
    goal = f"{rule.reading()} {fmt_value(r['target'], r['unit'])}"
    return goal + (_period(r, lang) if r.get("cumulative") else " " + text("say.in_year", lang, year=fmt_year(r["target_year"])))


def assessment_summary(row, lang="en", on_track=0.9, at_risk=0.5) -> pd.DataFrame:
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

    def add(group, item, value):
        if value not in (None, "", MISSING):
            rows.append((text(f"sum.g.{group}", lang), text(f"sum.{item}", lang), value))

    zh = r.get("name_zh") if lang == "zh" and r.get("name_zh") else None
    add("target", "name", zh or r.get("name_en") or r["indicator"])
    add("target", "goal", _goal(r, lang))
    if r.get("series"):
        add("target", "series", f"{r['series']} ({label('relation', r.get('relation') or 'direct', lang)})")
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
        add("projection", "median", fmt_value(r["projected_median"], unit))
        if not is_missing(r.get("projected_lo80")):
            add("projection", "interval80", fmt_interval(r["projected_lo80"], r["projected_hi80"]))
        if not is_missing(r.get("projected_lo95")):
            add("projection", "interval95", fmt_interval(r["projected_lo95"], r["projected_hi95"]))
        add("projection", "model", r.get("model") or "")
    add("probability", "status", verdict(r, None, on_track, at_risk, lang)[1])
    if not is_missing(r.get("p_meet")):
        add("probability", "p_meet", fmt_probability(r["p_meet"]))
        if r.get("calibration") not in (None, "", "none") and not is_missing(r.get("p_trend")):
            add("probability", "p_trend", fmt_probability(r["p_trend"]))
    band = r.get("progress_band")
    if isinstance(band, str) and band:
        add("progress", "band", label("band", band, lang))
    for key, item in (("required_cagr", "required"), ("actual_cagr", "actual")):
        if not is_missing(r.get(key)):
            add("progress", item, fmt_rate(r[key]))
    return pd.DataFrame(rows, columns=[text("col.group", lang), text("col.item", lang), text("col.field", lang)])


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


def targets_display(targets, lang="en", strict=False) -> pd.DataFrame:
    """A plan's targets as a reader reads them: id, name, goal as read, when, baseline, series.

    Examples
    --------
    >>> t = pd.DataFrame([{"indicator": "x", "name_en": "Students", "name_zh": "在校生", "unit": "万人",
    ...     "comparator": ">", "target": 360.0, "target_year": 2025, "cumulative": False, "period_start": None,
    ...     "period_end": None, "baseline_year": 2020, "baseline_value": 395.5, "baseline_qualifier": "",
    ...     "series": "enrollment_in_school", "series_relation": "direct"}])
    >>> targets_display(t).iloc[0].tolist()
    ['x', 'Students', '≥ 360 万人', '2025', '395.5 万人 (2020)', 'enrollment_in_school']
    """
    rows = []
    for r in with_reading(targets, strict).to_dict("records"):
        name = r.get("name_zh") if lang == "zh" and r.get("name_zh") else r.get("name_en") or r.get("name_zh")
        when = (text("say.period", lang, start=fmt_year(r["period_start"]), end=fmt_year(r["period_end"])).strip()
                if r.get("cumulative") and not is_missing(r.get("period_start")) else fmt_year(r["target_year"]))
        base = "" if is_missing(r.get("baseline_value")) else \
            f"{r.get('baseline_qualifier') or ''}{fmt_value(r['baseline_value'], r.get('unit') or '')} " \
            f"({fmt_year(r.get('baseline_year'))})"
        series = r.get("series") or ""
        if series and r.get("series_relation") == "proxy":
            series += f" ({label('relation', 'proxy', lang)})"
        rows.append([r["indicator"], name or "", f"{r['reading']} {fmt_value(r['target'], r.get('unit') or '')}",
                     when, base or MISSING, series or MISSING])
    cols = [text(k, lang) for k in ("col.target_id", "sum.name", "sum.goal", "col.year", "col.baseline",
                                    "sum.series")]
    return pd.DataFrame(rows, columns=cols)


def _cell_width(cell: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in cell)


_NUMERIC_CELL = re.compile(r"^[<>≥≤~]?\s?[-+]?[\d,.]+%?$|^–$|^$")


def text_table(frame) -> str:
    """A frame as an aligned plain-text table: no index, missing as "–", numbers as people write them.

    Cells are formatted by :func:`plananalysis.formatting.format_frame` (``auto``);
    columns of numbers are right-aligned, text left-aligned, and CJK characters
    count double so Chinese tables line up.

    Examples
    --------
    >>> import pandas as pd
    >>> print(text_table(pd.DataFrame({"name": ["在校生", "x"], "n": [2545.0, None]})))
    name      n
    在校生 2545
    x         –
    """
    shown = format_frame(frame, {}, default="auto")
    rows = [[str(c) for c in shown.columns]] + [[str(v) for v in r] for r in shown.itertuples(index=False)]
    widths = [max(_cell_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    right = [all(_NUMERIC_CELL.match(r[i]) for r in rows[1:]) for i in range(len(rows[0]))]
    lines = []
    for r in rows:
        cells = [(" " * (w - _cell_width(c)) + c) if ra else (c + " " * (w - _cell_width(c)))
                 for c, w, ra in zip(r, widths, right)]
        lines.append(" ".join(cells).rstrip())
    return "\n".join(lines)


def verdict(row, n_paths=None, on_track=0.9, at_risk=0.5, lang="en") -> tuple[str, str]:
    """``(code, words)``: the verdict the index shows for one scorecard row.

    An observed outcome (met / not met) and insufficient data stay as they
    are; a forecast status can become a coin toss (:func:`display_status`).
    A pending outcome (target year past, figure not yet published) gets the
    status its P(meet) earns under the thresholds (:func:`plananalysis.engine.status_for`,
    as the vintages table shows it) next to the pending word.

    Examples
    --------
    >>> verdict({"status": "pending", "p_meet": 0.97, "p_meet_lo": 0.95, "p_meet_hi": 0.98})
    ('on_track', 'pending: on track, 97.0%')
    >>> verdict({"status": "met", "p_meet": float("nan")})
    ('met', 'met')
    """
    status = str(row.get("status", "")).strip()
    p = row.get("p_meet")
    interval = (row.get("p_meet_lo"), row.get("p_meet_hi")) if "p_meet_lo" in row else None
    if status == "pending" and not is_missing(p):
        earned = status_for(float(p), SimpleNamespace(on_track=on_track, at_risk=at_risk)).value
        code = display_status(earned, p, n_paths, on_track, at_risk, interval)
        return code, text("index.pending_verdict", lang, status=status_label(code, lang), p=fmt_probability(p))
    code = display_status(status, p, n_paths, on_track, at_risk, interval)
    return code, status_label(code, lang)
