"""Charts of a whole plan: the scorecard (P(meet) per target) and P(meet) across data vintages."""

from __future__ import annotations

import textwrap

import numpy as np

from ..formatting import fmt_probability
from ..verdicts import p_interval, verdict
from ..labels import STATUS_COLOURS, status_label
from ..present import vintage_table
from ._style import apply_font, labels_for, new_axes

__all__ = ["plot_scorecard", "plot_vintages"]


def plot_scorecard(scorecard, ax=None, lang="en", on_track=0.9, at_risk=0.5, n_paths=None):
    """One bar per target: probability of meeting it (or the final outcome), coloured by status.

    Parameters
    ----------
    scorecard : DataFrame
        Output of :func:`~plananalysis.study.assess`.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    on_track, at_risk : float
        Where to draw the threshold lines (match the ``assess`` call).
    n_paths : int, optional
        Simulated paths behind each probability. When given, each bar gets its
        95% Monte-Carlo interval, and a bar whose interval straddles ``at_risk``
        is grey and labelled "coin toss" instead of taking the colour of a
        status the Monte-Carlo error could flip.

    Returns
    -------
    matplotlib.axes.Axes
        Bars ordered as the scorecard rows (first on top), labelled with the
        targets' names (not their ids); the axis runs from 0% to 100%; rows
        without a probability get a text label instead of a bar.

    Examples
    --------
    >>> import pandas as pd
    >>> card = pd.DataFrame({"indicator": ["a", "b"], "name_en": ["Students", "Schools"],
    ...                      "status": ["on_track", "off_track"], "p_meet": [0.95, 0.2]})
    >>> [t.get_text() for t in plot_scorecard(card).get_yticklabels()]
    ['Students', 'Schools']
    """
    from matplotlib.ticker import PercentFormatter

    lab, font = labels_for(lang)
    ax = new_axes(ax, figsize=(7.5, 0.62 * len(scorecard) + 1.3))
    rows = [dict(r) for _, r in scorecard.iterrows()]

    def name(r):
        if font and isinstance(r.get("name_zh"), str) and r["name_zh"]:
            return "\n".join(textwrap.wrap(r["name_zh"], 14))
        text = r.get("name_en") if isinstance(r.get("name_en"), str) and r.get("name_en") else r["indicator"]
        return "\n".join(textwrap.wrap(str(text), 30))

    y = np.arange(len(rows))[::-1]
    p = scorecard["p_meet"].to_numpy(dtype=float)
    word_lang = "zh" if font and lang == "zh" else "en"
    verdicts = [verdict(r, n_paths, on_track, at_risk, word_lang) for r in rows]  # as the index says it
    codes = [c for c, _ in verdicts]
    colours = [STATUS_COLOURS.get(c, "#9e9e9e") for c in codes]  # coin_toss: grey
    ax.barh(y, np.nan_to_num(p), color=colours, height=0.6)
    for yi, pi, r, (code, words) in zip(y, p, rows, verdicts):
        if np.isnan(pi):
            ax.text(0.01, yi, words, va="center", fontsize=8)
            continue
        lo, hi = p_interval(pi, n_paths, (r.get("p_meet_lo"), r.get("p_meet_hi")) if "p_meet_lo" in r else None)
        if lo is not None:
            ax.plot([lo, hi], [yi, yi], color="#111", lw=1.2)
        text = words if fmt_probability(pi) in words else f"{words} ({fmt_probability(pi)})"
        inside = pi > 0.6
        ax.text(pi - 0.015 if inside else pi + 0.015, yi + 0.18 if lo is not None else yi, text, va="center",
                ha="right" if inside else "left", fontsize=8, color="white" if inside else "#222")
    top = len(rows) - 0.45
    for x, key in ((at_risk, "at_risk"), (on_track, "on_track")):
        ax.axvline(x, color="#555", ls=":", lw=1)
        ax.text(x, top, f"{status_label(key, word_lang)} ≥ {fmt_probability(x, 0)}", ha="center", va="bottom",
                fontsize=7, color="#333")
    ax.set_ylim(-0.6, len(rows) - 0.05)
    ax.set_yticks(y)
    ax.set_yticklabels([name(r) for r in rows], fontsize=8)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(lab["p_meet"])
    apply_font(ax, font)
    return ax



def plot_vintages(vintages_frame, ax=None, lang="en", on_track=0.9, at_risk=0.5, order=None):
    """P(meet) of each target against the year the data stop (``as_of``).

    Parameters
    ----------
    vintages_frame : DataFrame
        :func:`~plananalysis.study.vintages` output.
    ax : matplotlib Axes, optional
    lang : {"en", "zh"}
    on_track, at_risk : float
        Where to draw the threshold lines.
    order : list of str, optional
        Indicator order (legend); default: first appearance.

    Returns
    -------
    matplotlib.axes.Axes
        One line per target with at least one probability (targets with
        insufficient data in every vintage are left out).

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"as_of": [2020, 2021], "indicator": ["a", "a"], "p_meet": [0.4, 0.7]})
    >>> plot_vintages(v).lines[0].get_ydata().tolist()
    [0.4, 0.7]
    """
    lab, font = labels_for(lang)
    ax = new_axes(ax, figsize=(8, 4))
    from matplotlib.ticker import PercentFormatter

    table = vintage_table(vintages_frame, "p_meet", order=order)
    col = "name_zh" if font and "name_zh" in vintages_frame else "name_en"
    names = (dict(zip(vintages_frame["indicator"], vintages_frame[col])) if col in vintages_frame else {})
    for ind, row in table.iterrows():
        if row.notna().any():
            name = names.get(ind) if isinstance(names.get(ind), str) and names.get(ind) else ind
            ax.plot(row.index, row.to_numpy(dtype=float), "o-", label="\n".join(textwrap.wrap(name, 40)))
    word_lang = "zh" if font and lang == "zh" else "en"
    for yv, key, colour in ((on_track, "on_track", "green"), (at_risk, "at_risk", "red")):
        ax.axhline(yv, ls=":", color=colour, lw=1)
        ax.text(1.0, yv, f" {status_label(key, word_lang)} ≥ {fmt_probability(yv, 0)}", transform=ax.get_yaxis_transform(),
                va="center", ha="left", fontsize=7, color=colour)
    ax.set_ylim(-0.02, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xticks(list(table.columns))
    ax.set_xlabel(lab["as_of"])
    ax.set_ylabel(lab["p_meet_by"])
    ax.set_title(lab["vintages"])
    n = sum(1 for _ in ax.get_lines()) - 2
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2 if n > 1 else 1, fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    apply_font(ax, font)
    return ax
