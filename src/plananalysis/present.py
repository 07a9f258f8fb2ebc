"""Tables and plain words from results, for notebooks, the CLI and the report (en labels).

Every function takes a :class:`~plananalysis.results.Scorecard` or its
``to_frame()`` table and uses only its numbers; labels come from
:mod:`plananalysis.labels`.
"""

from __future__ import annotations

import html
import re
import unicodedata

import pandas as pd

from .errors import ParameterError
from .formatting import (MISSING, SCORECARD_KINDS, fmt_probability, fmt_value, fmt_year, format_frame,  # noqa: F401
                         is_missing, projection_digits)
from .labels import label, text
from .messages import reason_text
from .progress import required_path
from .verdicts import verdict
from .tables import (BACKTEST_COLUMNS, backtest_table, forecast_table, humanize, names_for, reader_table,  # noqa: F401
                     required_path_display)
from .words import _period, assessment_summary, describe, escape_text, summary_in_words, with_reading  # noqa: F401

__all__ = ["escape_text", "summary_table", "scorecard_display", "SCORECARD_COLUMNS", "reasons_table",
           "required_path_table", "vintage_table", "describe", "summary_in_words", "assessment_summary",
           "targets_display", "with_reading", "text_table", "forecast_table", "backtest_table", "BACKTEST_COLUMNS",
           "projection_digits", "verdict", "required_path_display", "reader_table", "names_for"]


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
    ['Students', '≥', '360', '万人', '2025', '2024', '428.7', 'at risk', '> 99.9%']
    >>> list(scorecard_display(t, "zh").columns[:3]), scorecard_display(t, "zh").iloc[0, 7]
    (['指标', '比较', '目标值'], '有风险')
    """
    f = _frame(scorecard).copy()
    names = f["name_zh"] if lang == "zh" and "name_zh" in f else f["name_en"]
    f["name"] = names.where(names.notna() & (names.astype(str) != ""), f["indicator"])
    f["status"] = [label("status", c, lang) for c in f["status"]]
    f["progress_band"] = [label("band", c, lang) if isinstance(c, str) and c else "" for c in f["progress_band"]]
    f["relation"] = [label("relation", c if isinstance(c, str) else "", lang) for c in f.get("relation", "")]
    f["comparator"] = with_reading(f)["reading"]  # ≥ for the plan's 以上, as the index reads it
    shown = f[list(SCORECARD_COLUMNS)]
    out = format_frame(shown, {k: v for k, v in SCORECARD_KINDS.items() if k in shown.columns})
    return out.rename(columns={c: text(f"sc.{c}", lang) if lang != "en" else humanize(text(f"sc.{c}", lang))
                               for c in SCORECARD_COLUMNS})


def reasons_table(assessments, lang="en", marks=False, codes=True) -> pd.DataFrame:
    """Every reason of one or more assessments: code, what it means (in ``lang``) and the message.

    Parameters
    ----------
    assessments : Assessment or iterable of Assessment (e.g. a Scorecard)
        One assessment gives no target column; several give one.
    lang : {"en", "zh"}
        Language of the headers, the meaning and the message (which carries
        the numbers; :func:`~plananalysis.messages.reason_text`).
    marks : bool
        Mark each message as the engine's (``data-engine-message`` span, escaped; HTML pages).
    codes : bool
        Keep the reason codes and the target ids (for programs); ``False``, as
        the pages show it, gives target names and the meaning only.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> from plananalysis import assess
    >>> t = reasons_table(assess(n_paths=200)["enrollment"], lang="zh")
    >>> list(t.columns)[:2], "拟合区间" in t.iloc[:, 1].tolist()
    (['原因代码', '含义'], True)
    >>> list(reasons_table(assess(n_paths=200), codes=False).columns)
    ['Target', 'reason', 'what was done']
    """
    single = hasattr(assessments, "reasons")
    items = [assessments] if single else list(assessments)
    names = {}
    for a in items:
        t = getattr(a, "target", None)
        zh = getattr(t, "name_zh", "") if lang == "zh" else ""
        names[a.indicator] = (zh or getattr(t, "name_en", "") or a.indicator) if not codes else a.indicator

    def message(m):  # the engine's words, marked on a page as its own (data-engine-message)
        return f'<span data-engine-message="1">{html.escape(m, quote=False)}</span>' if marks else m

    rows = [((names[a.indicator],) if not single else ()) + ((r.code.value,) if codes else ())
            + (label("reason", r.code.value, lang), message(reason_text(r, lang))) for a in items for r in a.reasons]
    head = ([] if single else [text("col.target_id" if codes else "col.target", lang)])
    cols = head + ([text("col.reason", lang), text("col.meaning", lang)] if codes
                   else [text("col.meaning_reason", lang)]) + [text("col.what_was_done", lang)]
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


def vintage_table(vintages_frame, value="p_meet", order=None, lang="en", on_track=0.9, at_risk=0.5) -> pd.DataFrame:
    """One column of a :func:`~plananalysis.study.vintages` table as indicator x ``as_of``.

    ``value="status"`` gives the verdict words the index uses (:func:`~plananalysis.verdicts.verdict`
    under the thresholds ``on_track``/``at_risk``: a coin toss where P's interval straddles ``at_risk``).

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
    frame = vintages_frame
    if value == "status":
        frame = vintages_frame.copy()
        frame["status"] = [verdict(r, None, on_track, at_risk, lang)[1] if isinstance(r.get("status"), str)
                           else r.get("status") for r in vintages_frame.to_dict("records")]
    return frame.pivot(index="indicator", columns="as_of", values=value).reindex(order)


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
    name       n
    在校生 2,545
    x          –
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
