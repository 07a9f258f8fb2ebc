"""Plan bundles: a folder holding everything one analysis needs.

A bundle is a folder with a ``plan.yaml`` next to its raw files. The YAML
names the plan and says, for each part of the analysis, where it comes from
and what the code must not guess::

    id: technical_education_14th_fyp          # required, [a-z0-9_]
    title: {en: ..., zh: ...}                 # required (en)
    document: 人社部发〔2021〕86号              # optional
    period: [2021, 2025]                      # optional: plan period
    base_year: 2020                           # optional: default first as_of of vintages
    kind: sector_plan                         # optional: work_report|five_year_outline|sector_plan|unknown
    targets:
      text: plan.txt                          # a plan text, parsed (专栏 table), or
      table: targets.csv                      # a targets table (.csv/.yaml)
      table_section: 专栏1                    # text only: the indicator table
      repairs: {garbled: fixed}               # text only: scrape repairs of this file
      indicators: [{id, keyword, name_en, baseline}]   # text only: row ids
      aggregation: {target_id: sum|compound|compound_decline|mean_growth}  # cumulative targets (default sum)
      tolerance: {target_id: 0.5}             # '~' targets: +/- tolerance
      plan_groups: {section: group}           # reference class: sections that share one shock
      plan_kinds: {section: kind}             # reference class: the kind of each section's plan
      programme_names_en: {name_zh: name_en}  # text only
      select: [target_id, ...]                # only these targets of the table, in this order
    statistics: statistics.csv                # required
    target_series: target_series_map.csv      # optional when the table has 'series'
    source_choices: source_choices.csv        # optional
    series_defaults: {breaks: [...], fit_start: 2015}
    series:
      enrollment_in_school: {domain: count, fit_start: 2015,
                             breaks: [{between: [2012, 2015], note: ...}],
                             lever: direct,   # direct|outcome|unknown (default): does the issuing
                             lever_reason: ..., #   body control the quantity? one-line reason
                             family: zhongzhi_enrolment}  # reference-class series: its track record
    thresholds: {on_track: 0.9, at_risk: 0.5} # optional plan defaults of Settings
    calibration: calibration.json             # optional: coefficients for p_meet

Paths are relative to the YAML file. Nothing in :mod:`plananalysis` outside
a bundle's own files knows any plan, and this module is the only one that
resolves files and defaults: the readers (:mod:`~plananalysis.data`,
:mod:`~plananalysis.plan`, :mod:`~plananalysis.text`) read only the files
they are given. :func:`load_plan` with no argument loads the default bundle
(:data:`plananalysis.paths.DEFAULT_PLAN_DIR`, the technical-education plan
also available by name as :func:`plananalysis.datasets.technical_education`)
and says so in :attr:`PlanBundle.source`.

:meth:`PlanBundle.from_tables` makes a bundle from a targets table and a
statistics table alone (the domain of each series then comes from the
table's optional ``domain`` column or :func:`~plananalysis.domain.infer_domain`);
:func:`write_bundle` writes such a bundle to a folder
(``plananalysis new-plan``).

Examples
--------
>>> plan = load_plan()
>>> plan.is_default, plan.period
(True, (2021, 2025))
>>> plan.series_spec("enrollment_in_school").fit_start
2015
"""

from __future__ import annotations

import functools
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import paths
from .data import load_series, load_target_series_map
from .domain import as_domain, resolve_domain
from .errors import DataError
from .programme import parse_programme_targets
from .series import LEVERS, PLAN_KINDS, SeriesSpec
from .statistics import validate_map, validate_statistics
from .targets_table import load_targets_table
from .targets_text import parse_targets
from .target import AGGREGATIONS
from .text import load_plan_text, parse_yaml, read_text_file

__all__ = ["PlanBundle", "SeriesSpec", "load_plan", "write_bundle", "AGGREGATIONS"]

"""How a cumulative target adds up its years (see :func:`plananalysis.progress.aggregate`)."""
_TOP_KEYS = {"id", "title", "document", "period", "base_year", "targets", "statistics",
             "target_series", "source_choices", "series_defaults", "series", "thresholds",
             "calibration", "notes", "kind"}
_TARGET_KEYS = {"text", "table", "table_section", "repairs", "indicators", "aggregation",
                "tolerance", "programme_names_en", "select", "plan_groups", "plan_kinds"}
_SERIES_KEYS = {"domain", "fit_start", "breaks", "note", "lever", "lever_reason", "family"}


def _err(path, message, key=None):
    return DataError(message, path=path, column=key)


def _read_yaml(path: Path) -> dict:
    data = parse_yaml(read_text_file(path), path)
    if not isinstance(data, dict):
        raise DataError("expected a mapping (id, title, targets, statistics, ...)", path=path)
    return data


def _int_or_none(path, key, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _err(path, f"expected a year (integer), got {value!r}", key)
    return value


def _parse_breaks(path, key, value):
    out = []
    for i, item in enumerate(value or []):
        between = item.get("between") if isinstance(item, dict) else None
        if not (isinstance(between, list) and len(between) == 2
                and all(isinstance(y, int) and not isinstance(y, bool) for y in between)
                and between[0] < between[1]):
            raise _err(path, f"break #{i + 1}: expected {{between: [year, later year], note: ...}}, "
                             f"got {item!r}", key)
        out.append((between[0], between[1], str(item.get("note", "")).strip()))
    return tuple(sorted(out))


@dataclass
class PlanBundle:
    """One plan: its identity, where its targets and statistics come from, and series metadata.

    Build with :func:`load_plan` (a folder with ``plan.yaml``) or
    :meth:`from_tables` (a targets and a statistics table). Loaded tables
    are cached on the object (``functools.cached_property``); the methods
    return copies.
    """

    id: str
    title_en: str
    root: Path
    config: dict = field(default_factory=dict)
    config_path: Path | None = None
    title_zh: str = ""
    document: str = ""
    period: tuple | None = None
    base_year: int | None = None
    is_default: bool = False

    # ------------------------------------------------------------ building
    @classmethod
    def from_config(cls, config: dict, root: Path, config_path=None, is_default=False) -> "PlanBundle":
        """Validate a ``plan.yaml`` mapping; errors name the file and the key."""
        where = config_path or root
        unknown = set(config) - _TOP_KEYS
        if unknown:
            raise _err(where, f"unknown key(s) {sorted(unknown)}; expected some of {sorted(_TOP_KEYS)}",
                       sorted(unknown)[0])
        pid = str(config.get("id", "")).strip()
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", pid):
            raise _err(where, f"'id' must be a short name of letters, digits and _ (got {pid!r})", "id")
        title = config.get("title")
        title = {"en": title} if isinstance(title, str) else (title or {})
        if not isinstance(title, dict) or not str(title.get("en", "")).strip():
            raise _err(where, "'title' needs an English title: title: {en: ..., zh: ...}", "title")
        period = config.get("period")
        if period is not None:
            if not (isinstance(period, list) and len(period) == 2
                    and all(isinstance(y, int) for y in period) and period[0] <= period[1]):
                raise _err(where, f"'period' must be [first year, last year], got {period!r}", "period")
            period = tuple(period)
        targets = config.get("targets")
        if not isinstance(targets, dict) or ("text" in targets) == ("table" in targets):
            raise _err(where, "'targets' must give exactly one of 'text' (a plan text to parse) or "
                              "'table' (a targets table)", "targets")
        bad = set(targets) - _TARGET_KEYS
        if bad:
            raise _err(where, f"targets: unknown key(s) {sorted(bad)}; expected some of "
                              f"{sorted(_TARGET_KEYS)}", sorted(bad)[0])
        for tid, agg in (targets.get("aggregation") or {}).items():
            if agg not in AGGREGATIONS:
                raise _err(where, f"targets.aggregation.{tid}: expected one of {AGGREGATIONS}, got {agg!r}",
                           "aggregation")
        if not config.get("statistics"):
            raise _err(where, "'statistics' (the statistics table) is required", "statistics")
        for name, spec in (config.get("series") or {}).items():
            if not isinstance(spec, dict) or set(spec) - _SERIES_KEYS:
                raise _err(where, f"series.{name}: expected a mapping with some of {sorted(_SERIES_KEYS)}",
                           "series")
            if spec.get("lever", "unknown") not in LEVERS:
                raise _err(where, f"series.{name}.lever: expected one of {', '.join(LEVERS)}, got "
                                  f"{spec['lever']!r}", f"series.{name}.lever")
        kinds = {"kind": config.get("kind", "unknown"),
                 **{f"targets.plan_kinds.{k}": v for k, v in (targets.get("plan_kinds") or {}).items()}}
        for key, kind in kinds.items():
            if kind not in PLAN_KINDS:
                raise _err(where, f"{key}: expected one of {', '.join(PLAN_KINDS)}, got {kind!r}", key)
        bundle = cls(id=pid, title_en=str(title["en"]).strip(), title_zh=str(title.get("zh", "")).strip(),
                     root=Path(root), config=config, config_path=config_path,
                     document=str(config.get("document", "") or ""), period=period,
                     base_year=_int_or_none(where, "base_year", config.get("base_year")),
                     is_default=is_default)
        for key in ("statistics", "target_series", "source_choices"):
            p = bundle.path(key)
            if p is not None and not p.is_file():
                raise _err(where, f"{key}: file not found: {p}", key)
        src = bundle.targets_path
        if not src.is_file():
            raise _err(where, f"targets: file not found: {src}", "targets")
        return bundle

    @classmethod
    def from_tables(cls, targets, statistics, plan_id=None, title=None) -> "PlanBundle":
        """A bundle from a targets table and a statistics table alone.

        Parameters
        ----------
        targets, statistics : str or Path
            The two tables (schemas in ``data/raw/README.md``).
        plan_id, title : str, optional
            Default: the targets file's stem.

        Examples
        --------
        >>> b = PlanBundle.from_tables("targets.csv", "series.csv")  # doctest: +SKIP
        """
        targets, statistics = Path(targets).resolve(), Path(statistics).resolve()
        for p, what in ((targets, "targets table"), (statistics, "statistics table")):
            if not p.is_file():
                raise DataError(f"{what} not found", path=p)
        root = targets.parent
        config = {"id": plan_id or re.sub(r"[^A-Za-z0-9_]+", "_", targets.stem),
                  "title": {"en": title or targets.stem},
                  "targets": {"table": str(targets)}, "statistics": str(statistics)}
        return cls.from_config(config, root)

    # ------------------------------------------------------------ paths
    def path(self, key) -> Path | None:
        """The file ``plan.yaml`` names under ``key`` (resolved), or None."""
        value = self.config.get(key)
        return None if not value else (self.root / str(value)).resolve()

    @property
    def targets_config(self) -> dict:
        return self.config["targets"]

    @property
    def targets_path(self) -> Path:
        t = self.targets_config
        return (self.root / str(t.get("text") or t.get("table"))).resolve()

    @property
    def source(self) -> str:
        """Where the bundle came from, for outputs ("default bundle data/raw", a path, ...)."""
        where = self.config_path or self.targets_path
        return f"{'default plan bundle' if self.is_default else 'plan bundle'} {where}"

    def title(self, lang="en") -> str:
        """The plan's title in ``lang`` (English when no Chinese title is given)."""
        return self.title_zh if lang == "zh" and self.title_zh else self.title_en

    def files(self) -> list:
        """Every file the bundle reads (for checksums in manifests)."""
        out = [self.config_path] if self.config_path else []
        out += [self.targets_path]
        out += [p for p in (self.path(k) for k in ("statistics", "target_series", "source_choices",
                                                   "calibration")) if p is not None]
        return [p for p in dict.fromkeys(out) if p is not None]

    # ------------------------------------------------------------ tables
    @functools.cached_property
    def _text(self) -> str:
        if "text" not in self.targets_config:
            raise DataError("this bundle's targets come from a table, not a plan text",
                            path=self.config_path, column="targets")
        return load_plan_text(self.targets_path, repairs=self.targets_config.get("repairs"))

    def plan_text(self) -> str:
        """The plan text, normalised (only for bundles whose targets come from a text)."""
        return self._text

    @functools.cached_property
    def _map(self) -> pd.DataFrame | None:
        p = self.path("target_series")
        return None if p is None else load_target_series_map(p)

    def target_series_map(self) -> pd.DataFrame | None:
        """The target -> series map, or None when the bundle has none."""
        return None if self._map is None else self._map.copy()

    def targets(self) -> pd.DataFrame:
        """The plan's targets (a :func:`~plananalysis.plan.load_targets` frame), validated."""
        frame = self._targets.copy()
        frame.attrs.update(self._targets.attrs)
        return frame

    @functools.cached_property
    def _targets(self) -> pd.DataFrame:
        cfg = self.targets_config
        if "text" in cfg:
            frame = parse_targets(self.plan_text(), path=self.targets_path,
                                  indicators=cfg.get("indicators") or (),
                                  section=cfg.get("table_section", "专栏1"),
                                  series_map=self.target_series_map())
        else:
            if cfg.get("select") is not None and (not isinstance(cfg["select"], list) or not cfg["select"]):
                raise _err(self.config_path, "targets.select must be a non-empty list of target ids", "select")
            frame = load_targets_table(self.targets_path, series_map=self.target_series_map(),
                                       tolerances=cfg.get("tolerance") or {}, select=cfg.get("select"))
        agg = cfg.get("aggregation") or {}
        tol = cfg.get("tolerance") or {}
        unknown = (set(agg) | set(tol)) - set(frame["indicator"])
        if unknown:
            raise _err(self.config_path, f"targets.aggregation/tolerance name unknown target(s) "
                                         f"{sorted(unknown)}", "targets")
        if "aggregation" not in frame or not frame["aggregation"].astype(str).str.strip().any():
            frame["aggregation"] = "sum"
        frame["aggregation"] = [agg.get(i, a or "sum") for i, a in
                                zip(frame["indicator"], frame["aggregation"].fillna("").astype(str))]
        if "tolerance" not in frame:
            frame["tolerance"] = float("nan")
        frame["tolerance"] = [float(tol.get(i, t)) for i, t in
                              zip(frame["indicator"], pd.to_numeric(frame["tolerance"], errors="coerce"))]
        frame.attrs["source_path"] = str(self.targets_path)
        frame.attrs["plan_id"] = self.id
        return frame

    @functools.cached_property
    def _statistics(self) -> pd.DataFrame:
        return load_series(self.path("statistics"), choices=self.path("source_choices") or False,
                           domains=self.declared_domains())

    def statistics(self) -> pd.DataFrame:
        """The statistics table (a :func:`~plananalysis.data.load_series` frame), validated."""
        frame = self._statistics.copy()
        frame.attrs.update(self._statistics.attrs)
        return frame

    def validate(self) -> list:
        """Check every file of the bundle and return every problem found (empty when valid).

        The statistics (against the declared domains, with the bundle's
        source choices), the target-series map (each mapped series must be
        in the statistics) and, when those are valid, the targets.

        Returns
        -------
        list of DataError

        Examples
        --------
        >>> load_plan().validate()
        []
        """
        frame, errors = validate_statistics(self.path("statistics"),
                                            choices=self.path("source_choices") or False,
                                            domains=self.declared_domains())
        known = set(frame["indicator"]) if frame is not None else None
        if self.path("target_series") is not None:
            errors += validate_map(self.path("target_series"), known_series=known)[1]
        if not errors:
            try:
                self.targets()
            except DataError as exc:
                errors += list(getattr(exc, "errors", [exc]))
        return errors

    def programme_targets(self) -> pd.DataFrame | None:
        """Programme targets parsed from the plan text (None for a targets-table bundle)."""
        if "text" not in self.targets_config:
            return None
        return parse_programme_targets(self.plan_text(), path=self.targets_path,
                                       names_en=self.targets_config.get("programme_names_en") or {})

    # ------------------------------------------------------------ series metadata
    def declared_domains(self) -> dict:
        """Series -> Domain for every series whose domain ``plan.yaml`` declares."""
        why = f"declared in {self.config_path.name}" if self.config_path else "declared"
        return {name: as_domain(spec["domain"], why=why)
                for name, spec in (self.config.get("series") or {}).items() if "domain" in spec}

    def series_spec(self, name) -> SeriesSpec:
        """What is declared (or inferred) about one statistics series."""
        return self._specs[name] if name in self._specs else self._spec(name)

    @functools.cached_property
    def _specs(self) -> dict:
        return {name: self._spec(name) for name in self._statistics["indicator"].unique()}

    def _spec(self, name) -> SeriesSpec:
        where = self.config_path or self.root
        defaults = self.config.get("series_defaults") or {}
        own = (self.config.get("series") or {}).get(name, {})
        merged = {**defaults, **own}
        breaks = _parse_breaks(where, f"series.{name}.breaks", merged.get("breaks"))
        fit_start = _int_or_none(where, f"series.{name}.fit_start", merged.get("fit_start"))
        if fit_start is None and breaks:
            fit_start = breaks[-1][1]
        stats = self._statistics
        domain = resolve_domain(name, self.declared_domains(), stats[stats["indicator"] == name])
        return SeriesSpec(name=name, domain=domain, fit_start=fit_start, breaks=breaks,
                          lever=str(merged.get("lever", "unknown")), lever_reason=str(merged.get("lever_reason", "")),
                          family=str(merged.get("family", "") or ""))

    @property
    def kind(self) -> str:
        """The plan's declared kind (``plan.yaml`` ``kind``, one of :data:`~plananalysis.series.PLAN_KINDS`)."""
        return str(self.config.get("kind", "unknown"))

    def declarations(self) -> pd.DataFrame:
        """Per target: its series' declared ``lever`` (and reason), ``family`` and the plan ``kind``.

        A targets table's ``lever`` / ``family`` columns (when given, non-empty)
        override the series' declaration in ``plan.yaml``; nothing is guessed:
        an undeclared lever is ``unknown`` and an undeclared family ``''``.
        """
        t = self.targets()
        rows = []
        for _, r in t.iterrows():
            series = str(r.get("series", "") or "")
            spec = self.series_spec(series) if series and series in self._specs else None
            lever = str(r.get("lever", "") or "").strip() or (spec.lever if spec else "unknown")
            reason = (f"declared in the targets table {self.targets_path.name}"
                      if str(r.get("lever", "") or "").strip() else (spec.lever_reason if spec else ""))
            family = str(r.get("family", "") or "").strip() or (spec.family if spec else "")
            rows.append({"indicator": r["indicator"], "series": series, "lever": lever,
                         "lever_reason": reason, "family": family, "plan_kind": self.kind})
        return pd.DataFrame(rows, columns=["indicator", "series", "lever", "lever_reason", "family", "plan_kind"])

    def declared_breaks(self) -> pd.DataFrame:
        """Every declared definitional break of the bundle's series, with the fit window it sets.

        Returns
        -------
        DataFrame
            ``series, between`` (``"2012-2015"``), ``note``, ``fit_start``;
            one row per series and break.

        Examples
        --------
        >>> load_plan().declared_breaks().loc[0, ["series", "between", "fit_start"]].astype(str).tolist()
        ['enrollment_in_school', '2012-2015', '2015']
        """
        rows = [{"series": name, "between": f"{a}-{b}", "note": note, "fit_start": spec.fit_start}
                for name in sorted(self.statistics()["indicator"].unique())
                for spec in [self.series_spec(name)] for a, b, note in spec.breaks]
        return pd.DataFrame(rows, columns=["series", "between", "note", "fit_start"])

    def thresholds(self) -> dict:
        """Plan defaults for the status thresholds (``on_track``, ``at_risk``), if declared."""
        return dict(self.config.get("thresholds") or {})


@functools.lru_cache(maxsize=8)
def _load_cached(config_path: str, mtime_ns: int, is_default: bool) -> PlanBundle:
    path = Path(config_path)
    return PlanBundle.from_config(_read_yaml(path), path.parent, config_path=path, is_default=is_default)


def load_plan(path=None) -> PlanBundle:
    """Load a plan bundle.

    This is the one function that picks the default plan when given none;
    the readers it calls read only the files the bundle names. The shipped
    bundles are also available by name in :mod:`plananalysis.datasets`.

    Parameters
    ----------
    path : str or Path or PlanBundle, optional
        A bundle folder (holding ``plan.yaml``) or the YAML file itself.
        ``None`` or ``""``: the default bundle
        (:data:`plananalysis.paths.DEFAULT_PLAN_DIR`, the technical-education
        plan of :func:`plananalysis.datasets.technical_education`); the
        returned bundle says so (``is_default``, ``source``).

    Returns
    -------
    PlanBundle

    Raises
    ------
    DataError
        No ``plan.yaml``, invalid YAML, unknown keys, missing files (the
        message names the file and the key).

    Examples
    --------
    >>> load_plan().id
    'technical_education_14th_fyp'
    """
    if isinstance(path, PlanBundle):
        return path
    is_default = path is None or str(path) == ""
    path = Path(paths.DEFAULT_PLAN_DIR if is_default else path)
    config = path / paths.PLAN_FILE if path.is_dir() else path
    if not config.is_file():
        raise DataError(f"not a plan bundle: expected a folder holding {paths.PLAN_FILE} (or the file "
                        "itself); `plananalysis new-plan DIR --targets T --series S` writes one",
                        path=path)
    config = config.resolve()
    return _load_cached(str(config), config.stat().st_mtime_ns, is_default)


def write_bundle(folder, targets, statistics, plan_id=None, title=None, title_zh=None,
                 overwrite=False) -> Path:
    """Write a plan bundle from a targets table and a statistics table.

    Copies both tables into ``folder`` and writes a ``plan.yaml`` that names
    them and, per series, the domain :func:`~plananalysis.domain.infer_domain`
    decided (edit it to declare another domain, breaks or a fit window).

    Parameters
    ----------
    folder : str or Path
        The new bundle folder (created; must be empty unless ``overwrite``).
    targets, statistics : str or Path
        The two tables.
    plan_id, title, title_zh : str, optional
        Identity; default from the targets file's name.
    overwrite : bool
        Replace an existing ``plan.yaml``.

    Returns
    -------
    Path
        The ``plan.yaml`` written. ``load_plan(folder)`` reads it back.
    """
    import yaml

    probe = PlanBundle.from_tables(targets, statistics, plan_id=plan_id, title=title)
    probe.targets()  # validate both tables before writing anything
    stats = probe.statistics()
    folder = Path(folder)
    config_path = folder / paths.PLAN_FILE
    if config_path.exists() and not overwrite:
        raise DataError("already a plan bundle; pass overwrite=True (--force) to replace it",
                        path=config_path)
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for key, src in (("targets", Path(targets)), ("statistics", Path(statistics))):
        dest = folder / src.name
        if dest.resolve() != src.resolve():
            shutil.copyfile(src, dest)
        names[key] = src.name
    series = {}
    for name in sorted(stats["indicator"].unique()):
        spec = probe.series_spec(name)
        series[name] = {"domain": spec.domain.to_dict() if spec.domain.kind != "count"
                        else "count"}
    config = {"id": probe.id, "title": {"en": probe.title_en, **({"zh": title_zh} if title_zh else {})},
              "targets": {"table": names["targets"]}, "statistics": names["statistics"],
              "series": series}
    header = ("# Plan bundle written by `plananalysis new-plan`; edit freely (see data/raw/README.md,\n"
              "# 'plan.yaml'). Series domains were inferred by the documented rule: check them.\n")
    tmp = config_path.with_suffix(".yaml.tmp")
    tmp.write_text(header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tmp.replace(config_path)
    return config_path
