"""Page 04's tables and sentences: the backtest of every target series, in words, in English or Chinese.

The numbers come from :func:`plananalysis.backtest` (the backtest page 02
also shows for one series: the same origins whatever models are compared,
see :mod:`plananalysis.backtesting`) and :func:`plananalysis.study.explain_auto`;
this module only names, orders and formats them: targets by name, models
by their words (:data:`plananalysis.labels.LABELS` ``"model"``), shares as
percentages, no index.

Examples
--------
>>> import pandas as pd
>>> bt = pd.DataFrame({"indicator": ["x"] * 4, "model": ["naive", "naive", "drift", "drift"],
...                    "origin": [2019, 2020, 2019, 2020], "horizon": [1, 1, 1, 1]})
>>> series_table(bt, {"x": "Students"}).values.tolist()
[['Students', '2019–2020', 2, 2, 4]]
"""

from __future__ import annotations

import pandas as pd

from .formatting import format_frame
from .labels import LABELS, label, text

__all__ = ["target_names", "model_word", "series_table", "accuracy_table", "auto_table", "auto_sentences",
           "label_backtest_axes", "HORIZON_MODELS"]

#: The models drawn in the accuracy-by-horizon chart (every model makes ten tangled lines).
HORIZON_MODELS = ("naive", "drift", "theta", "auto")


def target_names(targets, lang="en") -> dict:
    """Target id -> its name in ``lang`` (the id where the plan gives none)."""
    col = "name_zh" if lang == "zh" else "name_en"
    return {str(i): (str(n) if isinstance(n, str) and n.strip() else str(i))
            for i, n in zip(targets["indicator"], targets.get(col, targets["indicator"]))}


def model_word(name, lang="en") -> str:
    """A model's name for a reader (``"auto"``, ``"ETS"``, ``"漂移"``)."""
    return label("model", name, lang)


def _span(origins) -> str:
    lo, hi = int(min(origins)), int(max(origins))
    return str(lo) if lo == hi else f"{lo}–{hi}"


def series_table(bt, names, lang="en") -> pd.DataFrame:
    """Per backtested target: origins, forecasts per model, models compared and forecasts in all.

    The count a page reports for one series is "forecasts per model" (page
    02 compares fewer models than page 04, on the same origins).
    """
    rows = []
    for ind, part in bt.groupby("indicator", sort=False):
        per_model = part.groupby("model").size()
        rows.append([names.get(ind, ind), _span(part["origin"]), int(per_model.max()), int(len(per_model)),
                     int(len(part))])
    cols = [text(f"bt.col.{c}", lang) for c in ("name", "origins", "per_model", "models", "n")]
    return pd.DataFrame(rows, columns=cols)


def accuracy_table(accuracy, names, lang="en") -> pd.DataFrame:
    """:func:`~plananalysis.backtesting.relative_accuracy` by target and model, for reading.

    Targets by name, models in words, MASE with three decimals, coverage as
    percentages; sorted by MASE within each target.
    """
    keep = [c for c in ("indicator", "model", "n", "mase", "relative_mase", "coverage80", "coverage95", "winkler80")
            if c in accuracy.columns]
    t = accuracy[keep].copy()
    if "indicator" in t:
        t = t.sort_values(["indicator", "mase"], key=lambda c: c.map(names) if c.name == "indicator" else c)
        t["indicator"] = t["indicator"].map(lambda i: names.get(i, i))
    t["model"] = t["model"].map(lambda m: model_word(m, lang))
    for c in ("coverage80", "coverage95"):  # observed shares of a few forecasts: 100% is exact, not a bound
        if c in t:
            t[c] = 100.0 * t[c].astype(float)
    kinds = {c: "percent" for c in ("coverage80", "coverage95") if c in t}
    if "n" in t:
        kinds["n"] = "count"
    out = format_frame(t.reset_index(drop=True), kinds, default="auto")
    return out.rename(columns={c: text("bt.col.name" if c == "indicator" else f"bt.col.{c}", lang) for c in keep})


def auto_table(auto, names, lang="en") -> pd.DataFrame:
    """:func:`~plananalysis.study.explain_auto` for reading: what auto combines, what select would pick."""
    mase = [c for c in auto.columns if c.startswith("mase_") and auto[c].notna().any()]
    t = pd.DataFrame({
        text("bt.col.name", lang): [names.get(i, i) for i in auto["indicator"]],
        text("bt.col.n_obs", lang): auto["n_obs"].astype(int),
        text("bt.col.components", lang): [_components(c, lang) for c in auto["components"]],
        text("bt.col.select", lang): [model_word(c, lang) if c else "–" for c in auto["select_choice"]],
        text("bt.col.select_origins", lang): [o or "–" for o in auto["origins"]],
    })
    for c in mase:
        t[text("bt.col.mase_of", lang, model=model_word(c[len("mase_"):], lang))] = auto[c].to_numpy()
    return format_frame(t, {}, default="auto", digits=2)  # select's own short test: two decimals say enough


def _components(components, lang):
    parts = [p.strip() for p in str(components or "").split(",") if p.strip()]
    return ("、" if lang == "zh" else ", ").join(model_word(p, lang) for p in parts) or "–"


def auto_sentences(auto, accuracy, bt, names, lang="en") -> list:
    """One sentence per target: what auto combines, what select would pick and why, and the backtest's best.

    ``select`` scores only its own short test (its last few origins, a few
    years ahead: :class:`~plananalysis.models.ensemble.Select`); the
    sentence says so, and names the model with the lowest MASE over the
    page's whole backtest (``accuracy`` from ``bt``) when that one differs.
    """
    from .models import REGISTRY

    sel = REGISTRY["select"]
    out = []
    for _, r in auto.iterrows():
        ind = r["indicator"]
        name, n = names.get(ind, ind), int(r["n_obs"])
        if r["components"]:
            s = text("bt.auto", lang, name=name, components=_components(r["components"], lang), n=n)
        else:
            s = text("bt.auto_nothing", lang, name=name, n=n)
        choice = model_word(r["select_choice"], lang) if r["select_choice"] else ""
        if choice and r["origins"]:
            s += text("bt.select_test", lang, choice=choice, k=sel.origins, origins=r["origins"], h=sel.horizon)
        elif choice:
            s += text("bt.select_short", lang, choice=choice, n=n, need=sel.min_backtest)
        part = accuracy[(accuracy["indicator"] == ind) & accuracy["model"].isin(sel.candidates)].dropna(subset=["mase"])
        rows = bt[bt["indicator"] == ind]
        if len(part) and len(rows):
            best = part.sort_values("mase").iloc[0]["model"]
            if best != r["select_choice"]:
                s += text("bt.best", lang, first=int(rows["origin"].min()), last=int(rows["origin"].max()),
                          h=int(rows["horizon"].max()), best=model_word(best, lang))
                if r["origins"]:
                    s += text("bt.best_differs", lang)
        out.append(s)
    return out


def label_backtest_axes(ax, metric, lang="en", names=None):
    """A backtest chart's y label in words, model names in words, the "naive" line and groups by name.

    Charts fall back to English when no installed font draws Chinese (as
    :mod:`plananalysis.plots` does); so do these labels.
    """
    from .fonts import cjk_font

    font = cjk_font() if lang == "zh" else None
    if lang == "zh" and font is None:
        lang = "en"
    words = {"relative_mase": "bt.col.relative_mase", "coverage80": "bt.col.coverage80",
             "coverage95": "bt.col.coverage95", "mase": "bt.col.mase_lower"}
    if metric in words:
        ax.set_ylabel(text(words[metric], lang))
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    if ticks and any(t in LABELS["model"] for t in ticks):
        ax.set_xticks(ax.get_xticks())
        ax.set_xticklabels([model_word(t, lang) if t in LABELS["model"] else t for t in ticks],
                           rotation=30, ha="right")
    for artist in list(ax.lines) + list(ax.containers):
        name = artist.get_label()
        if name in LABELS["model"]:
            artist.set_label(model_word(name, lang))
        elif names and name in names:
            artist.set_label(names[name])
    if ax.get_legend() is not None:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    if font is not None:
        for t in [ax.yaxis.label] + ax.get_xticklabels() + (ax.get_legend().get_texts() if ax.get_legend() else []):
            t.set_fontfamily(font)
    return ax
