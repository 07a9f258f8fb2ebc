""":func:`run_report`: check everything, run the pages, build the index from the runner's own results, publish.

Layout of a published report folder (see also ``reports/README.md``)::

    reports/2024/
        index.html              the scorecard on one screen, links to every page, sources
        scorecard.csv           the runner's scorecard (notebook 03 wrote the same bytes)
        scorecard.xlsx          scorecard, vintages and sources, formatted
        manifest.json           versions, settings, parameters, SHA-256 of data files, timings
        01_data_overview.html   one offline, sanitised HTML page per executed notebook ...
        02_indicator_trajectory-enrollment.html
        ...
        plan/                   the bundle written from --targets/--series (only then)
        notebooks/<page>.ipynb  the executed notebooks
        results/<page>/         the CSV/JSON (and PNG) each notebook wrote
        logs/<page>.kernel.log  the kernel processes' own messages

No published file holds an absolute path of the build machine.

The work is split so each part can be read alone: :mod:`.params` (overrides
and what each notebook declares), :mod:`.pages` (which pages, with which
parameters), :mod:`.execute` (kernels, papermill, export), :mod:`.manifest`
(checksums, ``manifest.json``, path scrubbing), :mod:`.index` and
:mod:`.publish` (lock, atomic swap). This module only orchestrates them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..api import assess, vintages
from ..bundle import load_plan, write_bundle
from ..errors import ParameterError, ReportError
from ..labels import check_lang
from ..settings import DEFAULTS, Settings
from ..spreadsheet import write_scorecard_xlsx
from ..words import series_methods
from ..study import study
from .execute import _now, Progress, check_executor, check_kernel, open_executor, run_pages
from .index import sources_frame, write_index
from .manifest import data_checksums, path_scrubber, relative_name, scrub_tree, write_manifest
from .pages import plan_pages, targets_with_series
from .params import NOTEBOOK_ORDER, SCORECARD_NOTEBOOK, declared_parameters, load_params, validate_params
from .publish import (
    ReportInterrupted, ReportLock, check_replaceable, clean_leftovers, interrupts_as_errors, keep_failed_run, publish,
    umask, update_latest,
)

__all__ = ["ReportOptions", "run_report", "plan_titles", "FLOAT_FORMAT"]

#: How ``scorecard.csv`` writes floats (notebook 03 writes its copy the same way).
FLOAT_FORMAT = "%.6g"


@dataclass(frozen=True)
class ReportOptions:
    """How a report is run and published (what is analysed is given by plan and settings).

    Parameters
    ----------
    out : str or Path, optional
        The report folder. Default ``reports/<as_of or latest data year>/``.
    params : dict, str or Path, optional
        Notebook parameter overrides or a YAML file of them (see :mod:`plananalysis.report`).
    jobs : int
        Notebooks executed at a time (each in its own kernel process).
    timeout : float
        Seconds allowed per cell.
    show_code : bool
        Show code cells in the HTML pages (hidden by default).
    kernel : str
        Jupyter kernel name (``make setup`` registers ``plananalysis``).
    progress : bool or callable, optional
        None: one line per notebook on stderr (timestamped log lines when stderr is
        not a terminal); False: silent; a callable receives each line instead.
    notebooks_dir : str or Path, optional
        Folder with the notebooks (default: ``notebooks/`` of the checkout).
    latest : bool, optional
        Point ``reports/latest`` at this report. None: only when it uses all the data.
    wait : float
        Seconds to wait when another run is writing the same ``out`` (0: refuse at once).
    xlsx : bool
        Also write ``scorecard.xlsx``.
    executor : str or concurrent.futures.Executor, optional
        Runs the pages: ``"threads"`` (default: ``jobs`` threads each driving a
        kernel), ``"process"``, ``"process:N"``, ``"local-dask"``, ``"dask://HOST:PORT"`` (see
        :func:`~plananalysis.report.execute.open_executor`) or an executor object.

    Raises
    ------
    ParameterError
        A bad ``jobs``, ``timeout``, ``wait`` or ``latest``.

    Examples
    --------
    >>> ReportOptions(jobs=2).jobs
    2
    >>> ReportOptions(jobs=0)
    Traceback (most recent call last):
    ...
    plananalysis.errors.ParameterError: jobs: expected a positive integer, got 0
    """

    out: str | Path | None = None
    params: object = None
    jobs: int = 1
    timeout: float = 600
    show_code: bool = False
    kernel: str = "plananalysis"
    progress: object = None
    notebooks_dir: str | Path | None = None
    latest: bool | None = None
    wait: float = 0
    xlsx: bool = True
    executor: object = None

    def __post_init__(self):
        number = lambda v: not isinstance(v, bool) and isinstance(v, (int, float))  # noqa: E731
        if not isinstance(self.jobs, int) or isinstance(self.jobs, bool) or self.jobs < 1:
            raise ParameterError(f"jobs: expected a positive integer, got {self.jobs!r}")
        if not number(self.timeout) or self.timeout <= 0:
            raise ParameterError(f"timeout: expected a positive number of seconds, got {self.timeout!r}")
        if not number(self.wait) or self.wait < 0:
            raise ParameterError(f"wait: expected a number of seconds >= 0, got {self.wait!r}")
        if self.latest not in (None, True, False):
            raise ParameterError(f"latest: expected True, False or None, got {self.latest!r}")
        check_executor(self.executor)

    @classmethod
    def make(cls, options=None, **changes) -> "ReportOptions":
        """``options`` (default: the defaults) with ``changes``; an unknown name is a :class:`ParameterError`."""
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise ParameterError(f"run_report: unknown option(s) {', '.join(map(repr, unknown))} "
                                 f"(options: {', '.join(known)})")
        return dataclasses.replace(options or cls(), **changes)


@dataclass
class _Run:
    """Everything a run needs, resolved and checked before anything runs."""

    options: ReportOptions
    study: object
    card: object
    declared: dict
    glob: dict
    per: dict
    overrides: dict
    out: Path
    latest_year: int
    tables_bundle: Path | None  # the bundle written from two tables (copied into the report)

    @property
    def settings(self) -> Settings:
        return self.study.settings


def run_report(plan=None, settings=None, *, targets=None, series=None, as_of=None, lang=None, options=None,
               **option_values) -> Path:
    """Execute every notebook with papermill and publish an offline HTML report.

    Parameters
    ----------
    plan : str or Path or PlanBundle, optional
        The plan bundle every page reads (None or ``""``: the default bundle).
    settings : plananalysis.settings.Settings, optional
        One set of settings for every page and the index (default: the package
        defaults), with the top-level setting names of ``params``, ``as_of`` and
        ``lang`` folded in.
    targets, series : str or Path, optional
        A targets table and a statistics table instead of ``plan``: a bundle is
        written from them first, every page runs on it, and the report carries
        it (``plan/``).
    as_of : int, optional
        Use only observations up to this year. Default: ``settings.as_of``.
    lang : {"en", "zh"}, optional
        Language of the report. Default ``settings.lang``.
    options : ReportOptions, optional
        How to run and publish; ``**option_values`` (``out=``, ``jobs=``, ...,
        the fields of :class:`ReportOptions`) change single fields.

    Returns
    -------
    Path
        The published report folder.

    Raises
    ------
    ParameterError
        Unknown or wrongly typed parameters, settings or options, ``plan``
        together with tables (nothing has run).
    DataError
        The data fail to load (nothing has run).
    ReportBusyError
        Another run holds the lock of ``out`` (after ``wait`` seconds); nothing changed.
    ReportInterrupted
        SIGINT (Ctrl-C) or SIGTERM: kernels stopped, build folder removed, nothing
        published; ``exit_status`` is 130 or 143.
    ReportError
        Missing kernel or notebook, ``out`` exists but is not an earlier report
        (nothing has run), a notebook failed (named with its cell and error; the
        executed notebooks are kept in ``<out parent>/_failed/``), or notebook 03's
        scorecard differs from the runner's. The previous report is left untouched.

    Examples
    --------
    >>> run_report(as_of=2022, params={"n_paths": 2000}, jobs=2)  # doctest: +SKIP
    PosixPath('.../reports/2022')
    """
    t0, started = time.perf_counter(), _now()
    opts = ReportOptions.make(options, **option_values)
    scratch = Path(tempfile.mkdtemp(prefix="plananalysis-plan-")) if targets is not None or series is not None else None
    try:
        run = _prepare(plan, settings, targets, series, as_of, lang, opts, scratch)
        say = Progress(opts.progress)
        with ReportLock(run.out, wait=opts.wait, say=say), interrupts_as_errors():
            for line in clean_leftovers(run.out):
                say(line)
            check_replaceable(run.out)
            build = Path(tempfile.mkdtemp(prefix=f".{run.out.name}.tmp-", dir=run.out.parent))
            with _removed_on_error(build, run.out, "stopped the notebooks, "):
                pages, results, scrub = _execute(run, build, say)
            keep_failed_run(results, build, run.out, say, t0)
            with _removed_on_error(build, run.out, ""):
                _assemble(run, build, pages, results, scrub, started, t0)
                publish(build, run.out)
                if _moves_latest(run):
                    update_latest(run.out)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    total = sum(r.duration for r in results)
    say(f"published {run.out} ({len(results)} notebooks, {time.perf_counter() - t0:.1f}s wall, "
        f"{total:.1f}s in notebooks)" + ("" if _moves_latest(run) else "; reports/latest left as it was"))
    return run.out


def _prepare(plan, settings, targets, series, as_of, lang, opts: ReportOptions, scratch) -> _Run:
    """Resolve the plan, settings and parameters and compute the scorecard; nothing is written yet."""
    if settings is not None and not isinstance(settings, Settings):
        raise ParameterError(f"settings: expected a plananalysis Settings object, got {type(settings).__name__}")
    notebooks_dir = Path(opts.notebooks_dir or paths.NOTEBOOKS).absolute()
    missing = [s for s in NOTEBOOK_ORDER if not (notebooks_dir / f"{s}.ipynb").is_file()]
    if missing:
        raise ReportError(f"notebooks missing in {notebooks_dir}: {', '.join(s + '.ipynb' for s in missing)}")
    overrides = load_params(opts.params)
    declared = {s: declared_parameters(notebooks_dir / f"{s}.ipynb") for s in NOTEBOOK_ORDER}
    glob, per = validate_params(overrides, declared)

    # One Settings object for the whole report: settings < params file < as_of / lang arguments.
    changes = {k: glob.pop(k) for k in list(glob) if k in Settings.names()}
    if as_of is not None:
        changes["as_of"] = as_of
    if lang is not None:
        check_lang(lang)
        changes["lang"] = lang
    settings = Settings.from_mapping(changes, source="params" if opts.params is not None else "settings",
                                     base=DEFAULTS if settings is None else settings)
    check_kernel(opts.kernel)
    tables_bundle = None
    if targets is not None or series is not None:
        plan, tables_bundle = _bundle_from_tables(plan, targets, series, scratch), scratch / "plan"
    st = study(plan, settings)
    card = assess(st.plan, st.settings)
    selected = st.statistics[st.statistics["selected"]] if "selected" in st.statistics else st.statistics
    latest_year = int(selected["year"].max())
    as_of = st.settings.as_of
    out = Path(opts.out) if opts.out is not None else Path(paths.REPORTS) / str(as_of if as_of is not None
                                                                                else latest_year)
    return _Run(dataclasses.replace(opts, notebooks_dir=notebooks_dir), st, card, declared, glob, per, overrides,
                out.absolute(), latest_year, tables_bundle)


def _bundle_from_tables(plan, targets, series, scratch: Path) -> Path:
    """Write the bundle of two tables into ``scratch/plan``: every page then reads that one bundle."""
    if targets is None or series is None:
        raise ParameterError("targets and series go together (or give plan)")
    if plan is not None and str(plan) != "":
        raise ParameterError("give plan, or targets and series, not both: every page of a report reads one "
                             "bundle (`plananalysis new-plan DIR --targets T --series S` writes one to edit)")
    return write_bundle(scratch / "plan", targets, series).parent


def _execute(run: _Run, build: Path, say):
    """Make the build folder's skeleton and run every page into it."""
    st, opts = run.study, run.options
    os.chmod(build, 0o777 & ~umask())  # mkdtemp makes it private; a published report is not
    (build / "notebooks").mkdir()
    if run.tables_bundle is not None:  # the report carries the bundle its pages read
        shutil.copytree(run.tables_bundle, build / "plan")
        plan_dir = str(build / "plan")
    else:
        plan_dir = "" if st.plan.is_default else str(st.plan.root)
    lang = st.settings.lang
    names = dict(zip(st.targets["indicator"].astype(str),
                     st.targets["name_zh" if lang == "zh" else "name_en"].astype(str)))
    pages = plan_pages(opts.notebooks_dir, st.settings, run.glob, run.per, run.declared,
                       targets_with_series(st.targets), plan=plan_dir, names=names, lang=lang)
    outside = [] if st.plan.is_default else [st.plan.root.parent]
    scrub = path_scrubber(build, run.out, paths.ROOT, *outside)
    say(f"running {len(pages)} notebooks on kernel {opts.kernel!r} with {opts.jobs} job(s) -> {run.out}")
    with open_executor(opts.executor, opts.jobs) as executor:
        results = run_pages(pages, build, opts.kernel, opts.timeout, opts.jobs, say, opts.show_code, lang=lang,
                            scrub=scrub, executor=executor)
    return pages, results, scrub


def _assemble(run: _Run, build: Path, pages, results, scrub, started: str, t0: float) -> None:
    """scorecard.csv, scorecard.xlsx, index.html and manifest.json from the runner's results."""
    st, opts, s = run.study, run.options, run.settings
    scorecard = run.card.to_frame()
    text = scorecard.to_csv(index=False, float_format=FLOAT_FORMAT)
    (build / "scorecard.csv").write_text(text, encoding="utf-8", newline="")
    _check_notebook_file(build, "scorecard.csv", text)
    sources = sources_frame(st.statistics, st.targets, s.as_of)
    meta = {
        "as_of": s.as_of, "latest_year": run.latest_year, "generated": _now(), "kernel": opts.kernel,
        "started": started, "jobs": opts.jobs, "show_code": opts.show_code,
        "checksums": data_checksums(st.plan.files()), "overrides": run.overrides, "lang": s.lang,
        "plan": st.plan_id, "settings": s.to_dict(), "latest_moved": bool(_moves_latest(run)),
        "title_en": st.title("en"), "title_zh": st.title("zh"), "n_paths": s.n_paths, "on_track": s.on_track,
        "at_risk": s.at_risk, "xlsx": bool(opts.xlsx), "calibration": s.calibration, "strict": s.strict,
        "data_dir": "plan" if run.tables_bundle is not None else relative_name(st.plan.root),
        "methods": series_methods(run.card),  # what each series actually got, for the index's method text
    }
    if opts.xlsx:
        vint = vintages(st.plan, s)
        _check_notebook_file(build, "vintages.csv", vint.to_csv(index=False, float_format=FLOAT_FORMAT))
        write_scorecard_xlsx(build / "scorecard.xlsx", run.card, vint, sources, lang=s.lang)
    write_index(build, scorecard, [r.page for r in results], meta, targets=st.targets, sources=sources)
    meta.update(finished=_now(), duration=time.perf_counter() - t0)
    write_manifest(build, results, run.declared, meta)
    scrub_tree(build, scrub)


def _check_notebook_file(build: Path, name: str, expected: str) -> None:
    """Refuse to publish when notebook 03 wrote ``name`` with other bytes than the runner's own result."""
    path = build / "results" / SCORECARD_NOTEBOOK / name
    if not path.is_file():
        return
    got = path.read_text(encoding="utf-8")
    if got != expected:
        bad = next((i for i, (a, b) in enumerate(zip(got.splitlines(), expected.splitlines())) if a != b),
                   min(len(got.splitlines()), len(expected.splitlines())))
        raise ReportError(f"{SCORECARD_NOTEBOOK} wrote a {name} that differs from the runner's own "
                          f"{name.removesuffix('.csv')} (first at line {bad + 1}): its page and the index would "
                          "disagree; does the notebook use every parameter the runner passes?",
                          notebook=SCORECARD_NOTEBOOK)


def _moves_latest(run: _Run) -> bool:
    latest, as_of = run.options.latest, run.settings.as_of
    return latest if latest is not None else (as_of is None or as_of >= run.latest_year)


@contextlib.contextmanager
def _removed_on_error(build: Path, out: Path, what: str):
    """Remove the build folder on any error; an interrupt becomes one line saying nothing was published."""
    try:
        yield
    except ReportInterrupted as exc:
        shutil.rmtree(build, ignore_errors=True)
        raise ReportInterrupted(f"{exc}: {what}nothing was published; {out} is unchanged", exc.signum) from None
    except KeyboardInterrupt:
        shutil.rmtree(build, ignore_errors=True)
        raise ReportInterrupted(f"interrupted by SIGINT: {what}nothing was published; {out} is unchanged",
                                signal.SIGINT) from None
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise


def plan_titles(plan=None) -> tuple[str, str]:
    """``(title_en, title_zh)`` of a plan bundle (default: the default bundle).

    Examples
    --------
    >>> plan_titles()[0]  # doctest: +SKIP
    '14th Five-Year Plan for Technical Education'
    """
    bundle = load_plan(plan or None)
    return bundle.title("en"), bundle.title("zh")
