"""The reference class: past plan targets with their outcomes, each assessed by the engine.

:func:`load_reference_class` reads the tables of a reference-class folder
it is given (``targets.csv``, ``series.csv`` and its ``plan.yaml``);
:func:`reference_cases` runs the engine (:func:`plananalysis.study.assess`,
``calibration="none"``: the trend alone) on every case at the case's
``as_of``, with the fit window lifted to the whole series, and adds the
features and the agency calls. A case the engine cannot read (a ``~``
target without a tolerance, or any error the engine raises on it, or no
trend probability) is ``engine="unsupported"`` with its reason and no
probability, never silently dropped. The shipped reference class is
:func:`default_reference_dir`; callers pass the folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from .. import study
from ..bundle import load_plan
from ..datasets import reference_class_dir as default_reference_dir
from ..errors import DataError, ParameterError, PlanAnalysisError
from ..plan import TARGET_COLUMNS
from ..settings import DEFAULTS, Settings
from .features import DECLARED_FEATURES, FEATURES, REFERENCE_N_PATHS, agency_calls, aggregation, case_features

__all__ = ["REFERENCE_N_PATHS", "CASE_COLUMNS", "default_reference_dir", "load_reference_class",
           "unsupported_reason", "reference_cases"]

#: Columns of :func:`reference_cases`.
CASE_COLUMNS = ["case", "name_en", "name_zh", "plan_group", "family", "engine", "unsupported_reason", "p_trend",
                "projected_median", "projected_lo80", "projected_hi80", "target", "comparator",
                "target_year", "as_of", "latest_year", "n_paths", "cumulative", "aggregation", "domain",
                "series_relation", "lever", "plan_kind", *FEATURES, *DECLARED_FEATURES, "is_proxy", "growth_ratio_call", "german_rule_call",
                "outcome_met"]


def load_reference_class(directory):
    """Read the reference class tables (no engine run).

    Parameters
    ----------
    directory : str or Path
        Folder holding ``targets.csv`` and ``series.csv`` in the schemas of
        its README (and optionally ``plan.yaml``), e.g.
        :func:`default_reference_dir`.

    Returns
    -------
    (DataFrame, DataFrame)
        Targets (one row per case, with ``aggregation`` and ``tolerance``
        from the folder's ``plan.yaml`` when present: ``sum`` and NaN
        otherwise, and ``plan_group``: the ``source_section``, or the group
        that ``targets.plan_groups`` in ``plan.yaml`` gives it, so sections
        that share one shock are one fold and one bootstrap cluster, and
        ``plan_kind``: the kind ``targets.plan_kinds`` declares for the
        section, else ``unknown``) and
        series rows, as read (strings kept).

    Raises
    ------
    DataError
        A file is missing or lacks a required column.

    Examples
    --------
    >>> targets, series = load_reference_class(default_reference_dir())
    >>> len(targets), int((~targets["outcome_met"]).sum())
    (100, 29)
    >>> sorted(targets.loc[targets["source_section"].str.startswith("CAAC202"), "plan_group"].unique())
    ['CAAC2021-2022', 'CAAC2023']
    """
    d = Path(directory)
    out = []  # targets.csv and series.csv are read as tables; plan.yaml (if any) adds aggregation/tolerance
    need = {"targets.csv": {"indicator", "comparator", "target", "target_year", "cumulative", "series",
                            "source_section", "as_of", "outcome_met", "unit"},
            "series.csv": {"indicator", "year", "value", "qualifier", "unit"}}
    for name, cols in need.items():
        path = d / name
        if not path.is_file():
            raise DataError(f"reference class: {path}: file not found", path=str(path))
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = sorted(cols - set(frame.columns))
        if missing:
            raise DataError(f"reference class: {path} lacks columns {missing}", path=str(path),
                            column=missing[0])
        out.append(frame)
    targets, series = out
    for col in ("target",):
        targets[col] = pd.to_numeric(targets[col]).astype(float)
    for col in ("target_year", "as_of"):
        targets[col] = pd.to_numeric(targets[col]).astype(int)
    for col in ("period_start", "period_end", "baseline_year"):
        if col in targets:
            targets[col] = pd.to_numeric(targets[col].replace("", np.nan)).astype("Int64")
    if "baseline_value" in targets:
        targets["baseline_value"] = pd.to_numeric(targets["baseline_value"].replace("", np.nan))
    for col in ("cumulative", "outcome_met"):
        bad = ~targets[col].isin(["True", "False"])
        if bad.any():
            raise DataError(f"reference class: column {col!r} must be True/False, got "
                            f"{targets.loc[bad, col].iloc[0]!r}", column=col)
        targets[col] = targets[col] == "True"
    series["year"] = pd.to_numeric(series["year"]).astype(int)
    series["value"] = pd.to_numeric(series["value"]).astype(float)
    cfg = {}
    if (d / paths.PLAN_FILE).is_file():
        cfg = load_plan(d).config.get("targets") or {}
    agg, tol = cfg.get("aggregation") or {}, cfg.get("tolerance") or {}
    targets["aggregation"] = [agg.get(i, "sum") if c else "" for i, c in
                              zip(targets["indicator"], targets["cumulative"])]
    targets["tolerance"] = [float(tol[i]) if i in tol else np.nan for i in targets["indicator"]]
    groups = cfg.get("plan_groups") or {}
    targets["plan_group"] = [str(groups.get(s, s)) for s in targets["source_section"]]
    kinds = cfg.get("plan_kinds") or {}
    targets["plan_kind"] = [str(kinds.get(s, "unknown")) for s in targets["source_section"]]
    return targets, series


def _case_domain(bundle, name):
    """The series' domain kind, as the bundle resolves it (declared, else :func:`~plananalysis.domain.infer_domain`)."""
    return bundle.series_spec(name).domain.kind


def unsupported_reason(row) -> str:
    """Why the engine cannot assess a case as the bundle declares it ('' when it can).

    Examples
    --------
    >>> unsupported_reason({"comparator": "~", "tolerance": float("nan")})[:30]
    "comparator '~' without a toler"
    >>> unsupported_reason({"comparator": ">=", "tolerance": float("nan")})
    ''
    """
    if row["comparator"] == "~" and pd.isna(row.get("tolerance")):
        return "comparator '~' without a tolerance (declare it under targets.tolerance in plan.yaml)"
    return ""


def _engine_case(row, bundle, settings):
    """p_trend and the projection of one case from the engine (the one engine call).

    Calls the study's trend-only assessment (:func:`plananalysis.study.assess_trend`) with the
    reference-class bundle,
    the case as a one-row targets table and ``settings`` (``as_of`` and
    ``fit_start`` of the case, ``calibration="none"``: the trend alone), and
    reads ``p_trend``, ``projected_median/lo80/hi80`` and ``latest_year``
    from ``Scorecard.to_frame()``.
    """
    text = {"series_relation": "direct", "series_note": "", "baseline_qualifier": "", "baseline_note": "",
            "name_zh": "", "name_en": ""}
    rec = {c: row.get(c, np.nan) for c in TARGET_COLUMNS}
    for col, default in text.items():
        value = rec.get(col)
        rec[col] = default if value is None or pd.isna(value) or value == "" else str(value)
    rec["aggregation"] = rec["aggregation"] or "sum"
    target = pd.DataFrame([rec])
    for col in ("period_start", "period_end", "baseline_year"):
        target[col] = pd.to_numeric(target[col], errors="coerce").astype("Int64")
    out = study.assess_trend(plan=bundle, settings=settings, targets=target).to_frame().iloc[0]
    return {"p_trend": float(out["p_trend"]), "projected_median": float(out["projected_median"]),
            "projected_lo80": float(out["projected_lo80"]), "projected_hi80": float(out["projected_hi80"]),
            "latest_year": out["latest_year"], "status": out["status"], "note": out["note"]}


def reference_cases(directory, settings=None, **overrides):
    """Run the engine on every reference-class case at its ``as_of`` (whole series as fit window).

    Parameters
    ----------
    directory : str or Path
        Reference-class bundle folder holding ``plan.yaml`` (see
        :func:`load_reference_class`; the shipped one is
        :func:`default_reference_dir`).
    settings : Settings, optional
        Engine settings (``model``, ``n_paths``, ``seed``, ``strict``);
        default :data:`~plananalysis.settings.DEFAULTS` with ``n_paths`` =
        :data:`REFERENCE_N_PATHS`. Per case, ``as_of`` is the case's and
        ``fit_start`` the first year of its series; ``calibration`` is
        ``"none"`` (the trend alone).
    **overrides
        Settings to change, e.g. ``n_paths=500``.

    Returns
    -------
    DataFrame
        One row per case, columns :data:`CASE_COLUMNS`: ``case`` (the
        case id), ``plan_group`` (``source_section``, or its declared
        group), ``family`` (the
        series), ``lever`` (the series' declared lever), ``plan_kind`` (declared
        per section), ``engine`` (``assess`` / ``unsupported``),
        ``unsupported_reason``, ``p_trend``, the projection, the target,
        the features :data:`FEATURES`, the two agency calls and
        ``outcome_met`` (bool). ``attrs["engine"]`` holds the settings.

    Examples
    --------
    >>> cases = reference_cases(default_reference_dir(), n_paths=500)  # doctest: +SKIP
    >>> cases.groupby("engine").size()  # doctest: +SKIP
    """
    settings = DEFAULTS.replace(n_paths=REFERENCE_N_PATHS) if settings is None else settings
    if not isinstance(settings, Settings):
        raise ParameterError(f"settings must be a Settings, got {type(settings).__name__}")
    settings = settings.replace(calibration="none", n_jobs=1, **overrides)
    d = Path(directory)
    targets, series = load_reference_class(d)
    unknown = sorted(set(targets["series"]) - set(series["indicator"]))
    if unknown:
        raise DataError(f"reference class: cases map to series {unknown} missing from series.csv",
                        column="series", value=unknown[0])
    bundle = load_plan(d)
    records = []
    for _, row in targets.iterrows():
        rows = series[series["indicator"] == row["series"]].sort_values("year")
        domain = _case_domain(bundle, row["series"])
        reason = unsupported_reason(row)
        rec = {"case": row["indicator"], "name_en": str(row.get("name_en") or ""),
               "name_zh": str(row.get("name_zh") or ""), "plan_group": row["plan_group"], "family": row["series"],
               "target": float(row["target"]), "comparator": row["comparator"],
               "target_year": int(row["target_year"]), "as_of": int(row["as_of"]),
               "cumulative": bool(row["cumulative"]), "aggregation": aggregation(row),
               "domain": domain, "series_relation": row.get("series_relation") or "direct",
               "lever": bundle.series_spec(row["series"]).lever, "plan_kind": row["plan_kind"],
               "outcome_met": bool(row["outcome_met"]), "unsupported_reason": reason}
        if reason:
            rec.update(engine="unsupported", p_trend=np.nan)
        else:
            case_settings = settings.replace(as_of=int(row["as_of"]), fit_start=int(rows["year"].min()))
            try:
                res = _engine_case(row, bundle, case_settings)
            except PlanAnalysisError as exc:  # reported with its reason, never dropped
                res = {"p_trend": np.nan, "status": "error", "note": f"{type(exc).__name__}: {exc}"}
            if np.isfinite(res["p_trend"]):
                rec.update(engine="assess", **{k: res[k] for k in (
                    "p_trend", "projected_median", "projected_lo80", "projected_hi80", "latest_year")})
            else:
                rec.update(engine="unsupported", p_trend=np.nan,
                           unsupported_reason=f"engine gave no trend probability ({res['status']}): "
                                              f"{res['note']}".strip())
        gr, de = agency_calls(row, rows, domain)
        rec.update(growth_ratio_call=gr, german_rule_call=de)
        records.append(rec)
    cases = pd.DataFrame(records)
    for col in ("projected_median", "projected_lo80", "projected_hi80", "latest_year"):
        if col not in cases:  # every case unsupported: the columns exist, empty
            cases[col] = np.nan
    cases["latest_year"] = pd.to_numeric(cases.get("latest_year"), errors="coerce")
    cases["n_paths"] = settings.n_paths
    feats = case_features(cases)
    for c in (*FEATURES, *DECLARED_FEATURES, "is_proxy"):
        cases[c] = feats[c]
    cases = cases.reindex(columns=CASE_COLUMNS)
    cases.attrs["engine"] = {"n_paths": settings.n_paths, "seed": settings.seed, "model": settings.model,
                             "bounds": settings.bounds,
                             "strict": settings.strict, "fit_start": "first year of each series",
                             "as_of": "each case's as_of"}
    return cases
