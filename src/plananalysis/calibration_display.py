"""Display tables of the calibration (notebook 05): every cell a string, labelled in English or Chinese.

The numbers come from :mod:`plananalysis.calibration`; this module only
turns them into reader-facing tables (labels from
:data:`plananalysis.labels.LABELS` ``["calibration_table"]``, numbers through
:mod:`plananalysis.formatting`), so a notebook stays thin and a test can
build the same tables. No table has a meaningful index (show them with
``.style.hide(axis="index")``); no cell is a raw float or a bare True/False.
"""

from __future__ import annotations

import pandas as pd

from .calibration import CANDIDATES, METHODS, goal_check, paired_differences
from .formatting import format_value
from .labels import check_lang, label

__all__ = ["selection_display", "candidate_table", "reliability_display", "coefficient_display", "goal_display", "similar_display",
           "declarations_display", "engine_display", "family_names"]


def _l(code, lang):
    return label("calibration_table", code, lang)


def _col(name, lang):
    return _l(f"col.{name}", lang)


def _num(x, digits=3):
    return "–" if pd.isna(x) else f"{float(x):.{digits}f}"


def _ci(lo, hi, digits=3, sign=False):
    f = f"{{:+.{digits}f}}" if sign else f"{{:.{digits}f}}"
    return f"{f.format(float(lo))} to {f.format(float(hi))}"


def candidate_table(results, lang="en", methods=None, n_boot=500, seed=0):
    """Scores of the nested selection, every candidate and the baselines, per scheme.

    Parameters
    ----------
    results : dict
        ``{scheme: evaluate(...)}`` (:func:`plananalysis.calibration.evaluate`).
    lang : {"en", "zh"}
    methods : sequence of str, optional
        Rows (default: ``calibrated``, the candidates, ``full_model``, ``base_rate``, ``p_trend``).
    n_boot, seed
        Bootstrap of each method's paired lead over the base rate.

    Returns
    -------
    DataFrame
        Scheme, method, Brier with its 95% interval, log loss with its
        interval, and the method's Brier lead over the base rate with its
        paired cluster-bootstrap 95% interval (negative = better).

    Examples
    --------
    >>> from plananalysis.calibration import evaluate, load_reference_cases
    >>> t = candidate_table({"family": evaluate(load_reference_cases(), "family", n_boot=50, nested=False)})
    >>> t.columns[:2].tolist(), t.iloc[0, 1]
    (['scheme', 'method'], 'selected (nested)')
    """
    check_lang(lang)
    methods = methods or ("calibrated", *CANDIDATES, "full_model", "base_rate", "p_trend")
    rows = []
    for scheme, res in results.items():
        s, preds = res["scores"], res["predictions"]
        for m in methods:
            if m not in METHODS:
                raise KeyError(f"candidate_table: no method {m!r}")
            r = s.loc[m]
            lead = "–"
            if m != "base_rate":
                d = paired_differences(preds, n_boot, seed, method=m).loc["base_rate"]
                lead = f"{float(d['brier_diff']):+.3f} {_ci(d['brier_diff_lo'], d['brier_diff_hi'], sign=True)}"
            rows.append({_col("scheme", lang): _l(scheme, lang), _col("method", lang): _l(m, lang),
                         _col("brier", lang): _num(r["brier"]), _col("brier_ci", lang): _ci(r["brier_lo"], r["brier_hi"]),
                         _col("logloss", lang): _num(r["logloss"]),
                         _col("logloss_ci", lang): _ci(r["logloss_lo"], r["logloss_hi"]),
                         _col("lead", lang): lead})
    return pd.DataFrame(rows)


def reliability_display(results, lang="en", method="calibrated"):
    """The reliability table of ``method`` in every scheme: bin, cases, mean predicted, share met, gap.

    Examples
    --------
    >>> from plananalysis.calibration import evaluate, load_reference_cases
    >>> t = reliability_display({"plan": evaluate(load_reference_cases(), "plan", n_boot=20, nested=False)})
    >>> t.iloc[0, 1]
    '0.00-0.50'
    """
    from .calibration import reliability_table
    check_lang(lang)
    rows = []
    for scheme, res in results.items():
        for _, r in reliability_table(res["predictions"], method).iterrows():
            rows.append({_col("scheme", lang): _l(scheme, lang), _col("bin", lang): r["bin"],
                         _col("n", lang): f"{int(r['n'])}",
                         _col("mean_predicted", lang): format_value(r["mean_predicted"], "probability"),
                         _col("observed", lang): f"{float(r['observed']):.1%}",  # a share of cases, exact
                         _col("gap", lang): f"{100 * float(r['gap']):+.0f} pp"})
    return pd.DataFrame(rows)


def coefficient_display(models, lang="en"):
    """Coefficients (standardised scale) with their bootstrap 95% intervals, one block per model.

    Parameters
    ----------
    models : dict
        ``{model code: CalibrationModel}`` (codes as in :data:`~plananalysis.calibration.METHODS`).

    Examples
    --------
    >>> from plananalysis.calibration import CANDIDATES, fit_calibration, load_reference_cases
    >>> m2 = fit_calibration(load_reference_cases(), features=CANDIDATES["M2_track"], n_boot=0)
    >>> coefficient_display({"M2_track": m2}).iloc[:, 1].tolist()
    ['intercept', 'logit of the trend probability', 'family track record']
    """
    check_lang(lang)
    rows = []
    for name, m in models.items():
        for term, r in m.coefficients.iterrows():
            rows.append({_col("model", lang): _l(name, lang), _col("feature", lang): _l(term, lang),
                         _col("estimate", lang): _num(r["estimate"]),
                         _col("interval", lang): "–" if pd.isna(r["boot_lo"]) else _ci(r["boot_lo"], r["boot_hi"])})
    return pd.DataFrame(rows)


def goal_display(result, lang="en"):
    """Whether a leave-one-plan-out result reaches the goal, item by item (:func:`~plananalysis.calibration.goal_check`).

    Examples
    --------
    >>> from plananalysis.calibration import evaluate, load_reference_cases
    >>> goal_display(evaluate(load_reference_cases(), "plan", n_boot=20, nested=False)).shape
    (4, 4)
    """
    check_lang(lang)
    g = goal_check(result)
    return pd.DataFrame({
        _col("item", lang): [_l(i, lang) for i in g["item"]],
        _col("value", lang): [f"{v:+.3f}" if i == "lead_hi" else f"{v:.3f}" for i, v in zip(g["item"], g["value"])],
        _col("goal", lang): [("< " if i == "lead_hi" else "≤ ") + f"{v:.2f}" for i, v in zip(g["item"], g["goal"])],
        _col("reached", lang): [_l("yes" if r else "no", lang) for r in g["reached"]],
    })


def similar_display(similar, lang="en", names=None):
    """:func:`~plananalysis.calibration.similar_cases` for a reader: outcomes and the families' track records.

    Past targets by name (``case_name_en``/``case_name_zh``), current targets by
    ``names`` (``{indicator: name}``, e.g. from the scorecard's name columns).

    Examples
    --------
    >>> import pandas as pd
    >>> from plananalysis.calibration import load_reference_cases, similar_cases
    >>> row = {"indicator": "x", "p_trend": 0.4, "projected_median": 95.0, "projected_lo80": 93.0,
    ...        "projected_hi80": 97.0, "target": 96.0, "comparator": ">=", "target_year": 2025,
    ...        "latest_year": 2024, "cumulative": False, "domain": "share"}
    >>> similar_display(similar_cases(pd.DataFrame([row]), load_reference_cases(), k=1)).shape[0]
    1
    """
    check_lang(lang)
    met = {True: label("status", "met", lang), False: label("status", "not_met", lang)}
    names = names or {}
    case_names = similar.get(f"case_name_{lang}", similar.get("case_name_en", similar["case"]))
    return pd.DataFrame({
        _col("indicator", lang): [names.get(i, i) for i in similar["indicator"].astype(str)],
        _col("rank", lang): [f"{int(r)}" for r in similar["rank"]],
        _col("case", lang): [str(n) if isinstance(n, str) and n else str(c)
                             for n, c in zip(case_names, similar["case"])],
        _col("plan_group", lang): similar["plan_group"].astype(str),
        _col("p_trend", lang): [format_value(p, "probability") for p in similar["p_trend"]],
        _col("outcome", lang): [met[bool(v)] for v in similar["outcome_met"]],
        _col("track", lang): [("–" if n == 0 else (f"{m:g} / {n:g}"))
                              for n, m in zip(similar["track_n"], similar["track_met"])],
        _col("target_track", lang): similar["target_track"].astype(str),
    }).reset_index(drop=True)


def family_names(cases, lang="en") -> dict:
    """``{family: name}``: each reference-class series named by its first case (``name_en``/``name_zh``).

    Examples
    --------
    >>> from plananalysis.calibration import load_reference_cases
    >>> family_names(load_reference_cases())["gdp_growth"]
    'Real GDP growth'
    """
    col = f"name_{lang}" if f"name_{lang}" in cases else "name_en"
    out = {}
    for fam, name in zip(cases["family"].astype(str), cases.get(col, cases["family"]).astype(str)):
        out.setdefault(fam, name.split(" (")[0].split("（")[0] or fam)
    return out


def declarations_display(declarations, lang="en", names=None, families=None):
    """A plan's declared lever (with its reason) and family per target (:meth:`PlanBundle.declarations`).

    Examples
    --------
    >>> from plananalysis import load_plan
    >>> declarations_display(load_plan().declarations()).iloc[0, 1]
    'direct'
    """
    check_lang(lang)
    d = declarations
    none = _l("unknown", lang)
    names, families = names or {}, families or {}
    return pd.DataFrame({
        _col("indicator", lang): [names.get(i, i) for i in d["indicator"].astype(str)],
        _col("lever", lang): [_l(v, lang) for v in d["lever"]],
        "reason" if lang == "en" else "理由": d["lever_reason"].astype(str).replace("", "–"),
        ("declared family" if lang == "en" else "声明的序列族"): [families.get(f, f) if f else none
                                                                  for f in d["family"]],
    })


def engine_display(cases, lang="en") -> pd.DataFrame:
    """How the engine read the reference cases: assessed, or unsupported with the reason, and how many.

    Examples
    --------
    >>> from plananalysis.calibration import load_reference_cases
    >>> engine_display(load_reference_cases()).values.tolist()
    [['assessed by the engine', '–', '100']]
    """
    check_lang(lang)
    words = {"assess": ("assessed by the engine", "由引擎评估")}
    g = cases.groupby(["engine", "unsupported_reason"]).size()
    return pd.DataFrame([{("engine" if lang == "en" else "引擎"): words.get(e, (e, e))[lang == "zh"],
                          ("why not assessed" if lang == "en" else "未评估的原因"): r or "–",
                          _col("n", lang): f"{int(n)}"} for (e, r), n in g.items()])


def selection_display(results, lang="en"):
    """How often the nested selection chose each candidate, per scheme (the outer folds).

    Examples
    --------
    >>> from plananalysis.calibration import evaluate, load_reference_cases
    >>> t = selection_display({"time": evaluate(load_reference_cases(), "time", n_boot=20, nested=False)})
    >>> t.columns.tolist()
    ['scheme', 'method', 'chosen in folds']
    """
    check_lang(lang)
    rows = [{_col("scheme", lang): _l(scheme, lang), _col("method", lang): _l(name, lang),
             _col("selected", lang): f"{int(n)}"}
            for scheme, res in results.items() for name, n in res["selected"].items()]
    return pd.DataFrame(rows)
