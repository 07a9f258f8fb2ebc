"""Tables and plain words from results, for notebooks, the CLI and the report (en labels).

Every function takes a :class:`~plananalysis.results.Scorecard` or its
``to_frame()`` table and uses only its numbers; labels come from
:mod:`plananalysis.labels`.
"""

from __future__ import annotations

import pandas as pd

from .errors import ParameterError
from .labels import label
from .progress import required_path

__all__ = ["escape_text", "summary_table", "required_path_table", "vintage_table", "describe", "summary_in_words"]


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


def _period(r) -> str:
    return f" ({int(r['period_start'])}-{int(r['period_end'])} total)" if r.get("cumulative") and \
        pd.notna(r.get("period_start")) else (" (period total)" if r.get("cumulative") else "")


def _percent(p):
    return "> 99%" if p >= 0.995 else ("< 1%" if p <= 0.005 else f"{100 * p:.0f}%")


def summary_table(scorecard) -> pd.DataFrame:
    """A compact, rounded, human-readable view of a scorecard.

    Returns
    -------
    DataFrame
        String columns ``indicator, target, latest, status, p_meet, p_trend``
        (percentages), ``projected [80%]``, ``band``, ``relation``, ``model``, ``n_obs``.

    Examples
    --------
    >>> t = pd.DataFrame([{"indicator": "x", "comparator": ">", "target": 5.0, "target_year": 2025,
    ...     "cumulative": False, "latest_year": 2024, "latest_value": 4.0, "latest_qualifier": "",
    ...     "observed_sum": float("nan"), "unit": "%", "projected_median": 5.2, "projected_lo80": 4.1,
    ...     "projected_hi80": 6.0, "status": "at_risk", "p_meet": 0.6, "p_trend": 0.55,
    ...     "progress_band": "on_pace", "relation": "proxy", "model": "naive", "n_obs": 6}])
    >>> summary_table(t).loc[0, ["target", "status", "p_meet", "relation"]].tolist()
    ['>5 in 2025', 'at risk', '60.0%', 'proxy']
    """
    rows = []
    for _, r in _frame(scorecard).iterrows():
        latest = "" if pd.isna(r["latest_year"]) else \
            f"{int(r['latest_year'])}: {r['latest_qualifier'] or ''}{_fmt(r['latest_value'])}"
        if r["cumulative"] and not pd.isna(r["observed_sum"]):
            latest += ("; " if latest else "") + f"total so far {_fmt(r['observed_sum'])}"
        d = 2 if r["unit"] == "%" else 1
        proj = "" if pd.isna(r["projected_median"]) else (
            f"{_fmt(r['projected_median'], d)} [{_fmt(r['projected_lo80'], d)}, "
            f"{_fmt(r['projected_hi80'], d)}]" if not pd.isna(r.get("projected_lo80"))
            else _fmt(r["projected_median"], d))
        rows.append({
            "indicator": r["indicator"],
            "target": f"{r['comparator']}{r['target']:g} in {r['target_year']}{_period(r)}",
            "latest": latest, "status": label("status", r["status"]),
            "p_meet": "" if pd.isna(r["p_meet"]) else f"{r['p_meet']:.1%}",
            "p_trend": "" if pd.isna(r.get("p_trend")) else f"{r['p_trend']:.1%}",
            "projected [80%]": proj, "band": label("band", r["progress_band"]),
            "relation": r.get("relation") or "", "model": r["model"] or "",
            "n_obs": "" if pd.isna(r["n_obs"]) else str(int(r["n_obs"])),
        })
    return pd.DataFrame(rows)


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


def vintage_table(vintages_frame, value="p_meet", order=None) -> pd.DataFrame:
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
        out = out.map(lambda c: label("status", c) if isinstance(c, str) else c)
    return out


def _needed_text(r):
    if pd.notna(r.get("needed_per_year")):
        return (f" Observed so far: {r['observed_sum']:g}; the missing years need {r['needed_per_year']:g} "
                f"a year on average to reach the target.")
    if pd.notna(r.get("needed_cagr")) and abs(r["needed_cagr"]) < 0.0005:
        return " The latest figure is at the target level; it has to hold."
    if pd.notna(r.get("needed_cagr")):
        return f" Reaching the target needs {100 * r['needed_cagr']:+.1f}% a year from the latest figure."
    return ""


def describe(row) -> str:
    """One scorecard row in plain words (markdown), using only the row's numbers.

    Data-file text (names, units) is escaped for markdown/HTML.
    """
    r = pd.Series(dict(row))
    name = escape_text(r["name_en"] or r["indicator"])
    unit = escape_text(r["unit"])
    head = f"**{name}** — target {escape_text(r['comparator'])} {r['target']:g} {unit} in {r['target_year']}"
    head += _period(r)
    if r.get("relation") == "proxy":
        head += " [measured by a proxy series]"
    qualifier = r["latest_qualifier"] if isinstance(r["latest_qualifier"], str) else ""
    latest = "" if pd.isna(r["latest_value"]) else \
        f"; latest figure {escape_text(qualifier)}{r['latest_value']:g} ({int(r['latest_year'])})"
    status = label("status", r["status"])
    if r["status"] in ("met", "not_met"):
        text = f"{head}{latest}: **{status}** (observed)."
    elif r["status"] == "insufficient_data":
        n = int(r["n_obs"]) if pd.notna(r["n_obs"]) else 0
        text = (f"{head}{latest}: **insufficient data** for a forecast ({n} usable observation"
                f"{'' if n == 1 else 's'}).{_needed_text(r)}")
    else:
        trend = "" if pd.isna(r.get("p_trend")) or r.get("calibration") in ("", "none") else \
            f" (trend alone: {_percent(r['p_trend'])})"
        text = (f"{head}{latest}: **{status}**, P(meet) {_percent(r['p_meet'])}{trend}; projected "
                f"{r['projected_median']:.4g} (80% interval {r['projected_lo80']:.4g}–"
                f"{r['projected_hi80']:.4g}, model {r['model']}).")
    band = r.get("progress_band")
    if isinstance(band, str) and band:
        text += f" Agency-style progress band: {label('band', band)}."
    return text


def summary_in_words(scorecard) -> str:
    """The scorecard as a markdown bullet list, one :func:`describe` sentence group per target."""
    return "\n".join("- " + describe(r) for _, r in _frame(scorecard).iterrows())
