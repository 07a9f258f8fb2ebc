"""Execution of the report's pages and :func:`run_report` (see :mod:`plananalysis.report`).

Layout of a published report folder (see also ``reports/README.md``)::

    reports/2024/
        index.html              the scorecard on one screen, links to every page, sources
        scorecard.csv           the scorecard notebook 03 wrote (byte-reproducible)
        scorecard.xlsx          scorecard, vintages and sources, formatted
        manifest.json           versions, settings, parameters, SHA-256 of data files, timings
        01_data_overview.html   one offline, sanitised HTML page per executed notebook ...
        02_indicator_trajectory-enrollment.html
        ...
        notebooks/<page>.ipynb  the executed notebooks
        results/<page>/         the CSV/JSON (and PNG) each notebook wrote
        logs/<page>.kernel.log  the kernel processes' own messages

No published file holds an absolute path of the build machine.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__, paths
from ..errors import ParameterError, ReportError
from ..labels import check_lang, text as label
from .html import export_html, warm_exporter
from .index import write_index
from .publish import (
    ReportInterrupted, ReportLock, clean_leftovers, deferred_signals, interrupts_as_errors, publish, update_latest,
)

#: Notebooks in the order they run and appear in the report.
NOTEBOOK_ORDER = (
    "01_data_overview",
    "02_indicator_trajectory",
    "03_target_scorecard",
    "04_model_backtest",
    "05_calibration",
)
#: The notebook run once per target that has a series.
PER_TARGET = "02_indicator_trajectory"
#: The notebook whose ``scorecard.csv`` becomes the report's scorecard.
SCORECARD_NOTEBOOK = "03_target_scorecard"
#: Parameters the runner sets itself (with the reason given when a user sets them).
RUNNER_PARAMETERS = {
    "results_dir": "the runner writes each notebook's results into the report folder",
    "indicator": "02_indicator_trajectory runs once per target; the runner sets indicator",
    "plan": "use the plan argument (--plan DIR) for the whole report",
}


def _setting_names() -> tuple:
    from ..settings import Settings

    return Settings.names()

_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "list": (list, tuple)}

@dataclass
class Page:
    """One notebook execution of the report.

    Parameters
    ----------
    name : str
        File stem of the page, e.g. ``"02_indicator_trajectory-enrollment"``.
    notebook : str
        Stem of the source notebook, e.g. ``"02_indicator_trajectory"``.
    source : Path
        The source ``.ipynb``.
    parameters : dict
        The parameters papermill injects.
    title : str
        Title shown in the index.
    """

    name: str
    notebook: str
    source: Path
    parameters: dict
    title: str


@dataclass
class PageResult:
    """Outcome of executing one :class:`Page`."""

    page: Page
    status: str = "pending"  # "ok" | "failed" | "cancelled"
    duration: float = 0.0
    error: ReportError | None = None
    started: str | None = None
    finished: str | None = None
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- parameters


def load_params(params) -> dict:
    """Read parameter overrides from a dict or a YAML file.

    Parameters
    ----------
    params : None, dict, str or Path
        Overrides (see the module docstring for the format) or a YAML file holding them.

    Returns
    -------
    dict
        The overrides (empty when ``params`` is None).

    Raises
    ------
    ParameterError
        The file is missing, is not valid YAML, or does not hold a mapping.

    Examples
    --------
    >>> load_params({"n_paths": 200})
    {'n_paths': 200}
    """
    if params is None:
        return {}
    if isinstance(params, dict):
        return dict(params)
    import yaml

    path = Path(params)
    if not path.is_file():
        raise ParameterError(f"params: file not found: {path}")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"params: {path} is not valid YAML: {exc}") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParameterError(f"params: {path} must hold a mapping of name: value, got {type(loaded).__name__}")
    return loaded


def declared_parameters(notebook: Path) -> dict:
    """The parameters a notebook declares in its cell tagged ``parameters``.

    Parameters
    ----------
    notebook : Path
        An ``.ipynb`` file.

    Returns
    -------
    dict
        ``{name: {"default": str, "type": str, "help": str}}`` as papermill infers them.

    Examples
    --------
    >>> sorted(declared_parameters(paths.NOTEBOOKS / "01_data_overview.ipynb"))  # doctest: +SKIP
    ['as_of', 'lang', 'results_dir']
    """
    import papermill

    inferred = papermill.inspect_notebook(str(notebook))
    return {
        name: {"default": p["default"], "type": p["inferred_type_name"], "help": p["help"]}
        for name, p in inferred.items()
    }


def _notebook_key(key) -> str | None:
    """Map a params key to a notebook stem if it names one (``"02"``, ``2`` or the full stem).

    An unquoted ``04:`` in YAML is the integer 4; it names notebook ``04_*`` too.

    Examples
    --------
    >>> _notebook_key(4), _notebook_key("02"), _notebook_key("n_paths")
    ('04_model_backtest', '02_indicator_trajectory', None)
    """
    if isinstance(key, int) and not isinstance(key, bool):
        key = f"{key:02d}"
    key = str(key)
    for stem in NOTEBOOK_ORDER:
        if key == stem or key == stem[:2]:
            return stem
    return None


def _check_value(where: str, name: str, value, spec: dict, problems: list) -> None:
    """Append a problem if ``value`` does not fit the declared type (``int``, ``Optional[int]``, ...)."""
    declared = str(spec["type"]).replace(" ", "")
    match = re.fullmatch(r"Optional\[(\w+)\]", declared)
    base = match.group(1) if match else declared
    allowed = _TYPES.get(base)
    if allowed is None:  # list, dict or an unannotated default: not checked
        return
    if value is None:
        if not match and spec["default"] != "None":
            problems.append(f"{where}: parameter {name!r} expects {declared} (default {spec['default']}), got None")
        return
    ok = isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed)
    if not ok:
        problems.append(
            f"{where}: parameter {name!r} expects {declared} (default {spec['default']}), "
            f"got {type(value).__name__} {value!r}"
        )


def _unknown(where: str, name: str, known, problems: list) -> None:
    close = difflib.get_close_matches(str(name), sorted(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    problems.append(f"{where}: unknown parameter {name!r}{hint} (known: {', '.join(sorted(known))})")


def validate_params(overrides: dict, declared: dict) -> tuple[dict, dict]:
    """Split overrides into global and per-notebook ones and check every name and type.

    Parameters
    ----------
    overrides : dict
        From :func:`load_params`.
    declared : dict
        ``{notebook stem: declared_parameters(...)}``.

    Returns
    -------
    (dict, dict)
        Global overrides ``{name: value}`` and ``{notebook stem: {name: value}}``.

    Raises
    ------
    ParameterError
        Listing every unknown name (with close matches), wrongly typed value and
        runner-owned parameter, before anything runs.

    Examples
    --------
    >>> decl = {"04_model_backtest": {"max_horizon": {"default": "5", "type": "int", "help": ""}}}
    >>> validate_params({4: {"max_horizon": 2}}, decl)
    ({}, {'04_model_backtest': {'max_horizon': 2}})

    A setting (a field of :class:`~plananalysis.settings.Settings`) is shared
    by every page, so that the pages agree with the index; it cannot be set
    for one notebook only:

    >>> decl["04_model_backtest"]["seed"] = {"default": "0", "type": "int", "help": ""}
    >>> validate_params({"04": {"seed": 2}}, decl)
    Traceback (most recent call last):
    ...
    plananalysis.errors.ParameterError: invalid report parameters:
      - params[04_model_backtest]: seed is a setting and applies to every notebook ...
    """
    problems: list[str] = []
    settings_names = set(_setting_names())
    every = set().union(*[set(d) for d in declared.values()]) if declared else set()
    glob, per = {}, {}
    for key, value in overrides.items():
        stem = _notebook_key(key)
        if stem is not None:
            if stem not in declared:
                problems.append(f"params: notebook {key!r} is not part of this report")
                continue
            if not isinstance(value, dict):
                problems.append(f"params: {key!r} must hold a mapping of name: value, got {value!r}")
                continue
            per[stem] = {}
            for name, val in value.items():
                where = f"params[{stem}]"
                if name in RUNNER_PARAMETERS or name == "as_of":
                    reason = RUNNER_PARAMETERS.get(name, "use the as_of argument (--as-of) for the whole report")
                    problems.append(f"{where}: {name!r} cannot be set per notebook: {reason}")
                elif name in settings_names:
                    problems.append(f"{where}: {name} is a setting and applies to every notebook (so the index "
                                    "and every page agree); set it at the top level of the params file")
                elif name not in declared[stem]:
                    _unknown(where, name, declared[stem], problems)
                else:
                    _check_value(where, name, val, declared[stem][name], problems)
                    per[stem][name] = val
            continue
        if isinstance(key, int) and not isinstance(key, bool):
            problems.append(f"params: {key} names no notebook of this report (notebooks: "
                            f"{', '.join(s for s in declared)}; write their number as 01-04 or their name)")
        elif key in RUNNER_PARAMETERS:
            problems.append(f"params: {key!r} cannot be set: {RUNNER_PARAMETERS[key]}")
        elif key not in every and key in settings_names:
            glob[key] = value  # a setting no notebook declares (e.g. thresholds): used by the runner
        elif key not in every:
            close = difflib.get_close_matches(str(key), list(NOTEBOOK_ORDER), n=1, cutoff=0.6)
            if close:
                problems.append(f"params: unknown parameter or notebook {key!r}; did you mean {close[0]!r}?")
            else:
                _unknown("params", key, every, problems)
        else:
            for stem, decl in declared.items():
                if key in decl:
                    _check_value(f"params (for {stem})", key, value, decl[key], problems)
            glob[key] = value
    if problems:
        raise ParameterError("invalid report parameters:\n  - " + "\n  - ".join(dict.fromkeys(problems)))
    return glob, per


# --------------------------------------------------------------------------- planning


def _check_kernel(kernel: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise ReportError(
            f"Jupyter kernel {kernel!r} is not installed. Register it inside the environment with\n"
            f"  {sys.executable} -m ipykernel install --sys-prefix --name {kernel} "
            f'--display-name "Python ({kernel})"\n'
            "(or run 'make setup'), or pass --kernel NAME of an installed kernel "
            "('jupyter kernelspec list' shows them)."
        ) from None


def _targets_with_series(targets) -> list[str]:
    """Indicators of the targets that have a statistics series, in table order."""
    series = targets["series"].astype("string").fillna("").str.strip()
    return [str(ind) for ind, s in zip(targets["indicator"], series) if s]


def _latest_year(series) -> int:
    selected = series[series["selected"]] if "selected" in series else series
    return int(selected["year"].max())


def plan_pages(notebooks_dir: Path, settings, glob: dict, per: dict, declared: dict, indicators,
               plan="", names: dict | None = None, lang: str | None = None) -> list[Page]:
    """Build the list of notebook executions with their final parameters.

    Parameters
    ----------
    notebooks_dir : Path
        Folder holding the four notebooks.
    settings : Settings
        Every field is passed to every notebook that declares it (so the index
        and every page come from the same numbers).
    glob, per : dict
        Validated overrides from :func:`validate_params`.
    declared : dict
        ``{notebook stem: declared parameters}``.
    indicators : list of str
        Targets that get a ``02_indicator_trajectory`` page.
    plan : str
        Bundle directory passed as ``plan`` to every notebook declaring it
        (``""``: the default bundle).
    names : dict, optional
        Indicator -> display name for the page titles (default: the indicator).
    lang : {"en", "zh"}, optional
        Language of the page titles (default: ``settings.lang``).

    Returns
    -------
    list of Page
    """
    values = settings.to_dict()
    lang = lang or values.get("lang", "en")
    pages = []
    for stem in NOTEBOOK_ORDER:
        decl = declared[stem]
        base = {k: v for k, v in glob.items() if k in decl}
        base.update(per.get(stem, {}))
        base.update({k: v for k, v in values.items() if k in decl})
        if "results_dir" in decl:
            base["results_dir"] = "."
        if "plan" in decl:
            base["plan"] = "" if plan is None else str(plan)
        source = notebooks_dir / f"{stem}.ipynb"
        try:
            title = label(f"page.{stem}", lang)
        except KeyError:
            title = stem[3:].replace("_", " ").capitalize()
        if stem == PER_TARGET:
            for ind in indicators:
                name = (names or {}).get(ind) or ind
                pages.append(Page(f"{stem}-{ind}", stem, source, {**base, "indicator": ind}, f"{title}: {name}"))
        else:
            pages.append(Page(stem, stem, source, base, title))
    return pages


# --------------------------------------------------------------------------- execution


def execute_page(page: Page, build: Path, kernel: str, timeout: int) -> PageResult:
    """Execute one page with papermill into ``build`` (never raises for notebook errors).

    The executed notebook goes to ``build/notebooks/<page>.ipynb`` and the kernel's
    working directory is ``build/results/<page>/``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    result = PageResult(page, started=_now())
    out_nb = build / "notebooks" / f"{page.name}.ipynb"
    cwd = build / "results" / page.name
    cwd.mkdir(parents=True, exist_ok=True)
    (build / "logs").mkdir(exist_ok=True)
    log = open(build / "logs" / f"{page.name}.kernel.log", "ab")  # noqa: SIM115 (closed below)
    t0 = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(page.source), str(out_nb), parameters=page.parameters, kernel_name=kernel,
            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout, kernel_manager_class=kernel_manager_class(log, cwd),
        )
        result.status = "ok"
    except PapermillExecutionError as exc:
        result.status = "failed"
        first_line = next((ln.strip() for ln in str(exc.source).splitlines() if ln.strip()), "")
        first_line = first_line if len(first_line) <= 70 else first_line[:67] + "..."
        result.error = ReportError(
            f"notebook {page.name} failed in cell {exc.cell_index} (In [{exc.exec_count}]: {first_line}): "
            f"{exc.ename}: {exc.evalue}",
            notebook=page.name, cell_index=exc.cell_index, ename=exc.ename, evalue=exc.evalue,
        )
    except Exception as exc:  # kernel died, cell timeout, unreadable notebook ...
        result.status = "failed"
        result.error = ReportError(
            f"notebook {page.name} failed: {type(exc).__name__}: {exc}",
            notebook=page.name, ename=type(exc).__name__, evalue=str(exc),
        )
    finally:
        log.close()
    result.duration = time.perf_counter() - t0
    result.finished = _now()
    return result


def kernel_manager_class(log, cwd: Path):
    """A kernel-manager class that starts the kernel in ``cwd`` with its output going to ``log``.

    papermill's own ``cwd=`` option changes the working directory of this whole
    process (``os.chdir``), which is not safe with several notebooks running in
    threads; the kernel's working directory is set at launch instead. The
    kernel process's own chatter (e.g. ipykernel's transport warnings) goes to
    ``log`` rather than the terminal or cron log; cell output is unaffected (it
    travels over the Jupyter protocol into the notebook).
    """
    from jupyter_client import AsyncKernelManager

    class ReportKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            kw["cwd"] = str(cwd)
            kw["env"] = kernel_environment(kw.get("env"))
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            result = await super().start_kernel(**kw)
            pid = getattr(getattr(self, "provisioner", None), "pid", None)
            if pid:
                with _KERNELS_LOCK:
                    _KERNELS.add(pid)
            return result

    return ReportKernelManager


#: PIDs of kernels started by this process (killed when a run is interrupted).
_KERNELS: set = set()
_KERNELS_LOCK = threading.Lock()


def _close_thread_event_loop() -> None:
    """Close the asyncio loop papermill (through nbclient) left on this worker thread.

    Each execution leaves an event loop set on its thread; unclosed, it leaks
    a socket pair per thread and warns when collected. The next execution on
    the thread makes a new loop (jupyter_core replaces a closed one).
    """
    import asyncio

    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:  # no loop on this thread
        return
    if not loop.is_running():
        loop.close()
        asyncio.set_event_loop(None)


def _kill_kernels() -> None:
    """SIGKILL every kernel process group this process started (each kernel leads its own session)."""
    with _KERNELS_LOCK:
        pids = list(_KERNELS)
        _KERNELS.clear()
    for pid in pids:
        for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                kill()
                break
            except (ProcessLookupError, PermissionError, OSError):
                continue


#: Thread-count variables set to 1 in every kernel unless already set in the environment.
SINGLE_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                           "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def kernel_environment(base=None) -> dict:
    """Environment of a notebook kernel: ``base`` (default ``os.environ``) with one BLAS thread.

    The models fit tiny matrices; multi-threaded BLAS in several kernels (``--jobs``)
    or next to other work oversubscribes the cores, and its spinning threads made
    the ARIMA backtest 5-10x slower on a busy 2-core machine. Parallelism comes from
    running notebooks side by side instead. Variables already set are kept.

    Examples
    --------
    >>> kernel_environment({"OMP_NUM_THREADS": "4"})["OMP_NUM_THREADS"]
    '4'
    >>> kernel_environment({})["OPENBLAS_NUM_THREADS"]
    '1'
    """
    env = dict(os.environ if base is None else base)
    for name in SINGLE_THREAD_VARIABLES:
        env.setdefault(name, "1")
    return env


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _Progress:
    """One line per finished notebook on a terminal; timestamped log lines otherwise."""

    def __init__(self, progress, stream=None):
        self.stream = stream or sys.stderr
        if callable(progress) and not isinstance(progress, bool):
            self.emit, self.enabled, self.tty = progress, True, False
            return
        self.enabled = True if progress is None else bool(progress)
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.emit = self._write

    def _write(self, line: str) -> None:
        if not self.tty:
            line = f"{datetime.now().isoformat(timespec='seconds')} plananalysis.report: {line}"
        print(line, file=self.stream, flush=True)

    def __call__(self, line: str, log_only: bool = False) -> None:
        if self.enabled and not (log_only and self.tty):
            self.emit(line)


def _run_pages(pages, build, kernel, timeout, jobs, progress, show_code=False, lang="en",
               scrub=None) -> list[PageResult]:
    """Run every page (``jobs`` at a time) and export it to HTML; start no new page once one has failed.

    Exports run on one thread of their own while the next notebooks start.

    An interrupt (Ctrl-C, SIGTERM turned into :class:`ReportInterrupted`) stops
    the queue, kills the running kernels, waits for the worker threads and is
    re-raised.
    """
    stop = threading.Event()
    n = len(pages)
    width = max(len(p.name) for p in pages)
    results: dict[str, PageResult] = {}
    lock = threading.Lock()
    back = label("nav.index", lang)

    def finish(res: PageResult) -> PageResult:
        with lock:
            results[res.page.name] = res
            mark = {"ok": "ok", "failed": "FAILED"}[res.status]
            progress(f"[{len(results)}/{n}] {res.page.name:<{width}}  {mark:<6}  {res.duration:6.1f}s")
        return res

    def export(res: PageResult) -> PageResult:
        page = res.page
        try:
            export_html(build / "notebooks" / f"{page.name}.ipynb", build / f"{page.name}.html",
                        show_code=show_code, title=f"{page.title} · plananalysis", back_link="index.html",
                        back_text=back, lang=lang, scrub=scrub)
        except Exception as exc:  # a broken output should not take the whole run down silently
            res.status = "failed"
            res.error = ReportError(f"exporting {page.name} to HTML failed: {type(exc).__name__}: {exc}",
                                    notebook=page.name, ename=type(exc).__name__, evalue=str(exc))
            stop.set()
        return finish(res)

    def run(page: Page):
        if stop.is_set():
            return PageResult(page, status="cancelled")
        progress(f"running {page.name}", log_only=True)
        try:
            res = execute_page(page, build, kernel, timeout)
        finally:
            _close_thread_event_loop()
        if stop.is_set():
            res.status = "cancelled"
            return res
        if res.status == "failed":
            stop.set()
            return finish(res)
        # the export runs on its own thread, so this slot starts its next notebook at once
        return exporter.submit(export, res)

    # Start the slowest notebooks first (the backtest, calibration, then the overview
    # and the scorecard) so parallel runs finish together; results keep the page order.
    first = {"04_model_backtest": 0, "05_calibration": 1, "01_data_overview": 2, "03_target_scorecard": 3}
    order = sorted(pages, key=lambda p: first.get(p.notebook, 4))
    # Import nbconvert and compile its templates while the first kernels start (about 2-3 s
    # that the first export would otherwise add to the run; the kernels are other processes).
    threading.Thread(target=warm_exporter, name="warm-nbconvert", daemon=True).start()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    exporter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export")
    try:
        done = {}
        for r in pool.map(run, order):
            r = r.result() if isinstance(r, Future) else r
            done[r.page.name] = r
    except BaseException:
        stop.set()
        with deferred_signals():  # a second Ctrl-C must not interrupt the clean-up
            logging.disable(logging.CRITICAL)  # "Kernel died ..." from the threads we are stopping
            try:
                _kill_kernels()
                pool.shutdown(wait=True, cancel_futures=True)
                exporter.shutdown(wait=True, cancel_futures=True)
            finally:
                logging.disable(logging.NOTSET)
        raise
    pool.shutdown(wait=True)
    exporter.shutdown(wait=True)
    return [done[p.name] for p in pages]


def path_scrubber(*folders):
    """A function replacing absolute paths of ``folders`` in text by relative ones.

    The first folder is the report being built (its paths become relative to
    the report root, ``"."`` for the folder itself); the others (the final
    output folder, the checkout) become relative to themselves. Both the
    given and the resolved spelling of each path are replaced, longest first.

    Examples
    --------
    >>> scrub = path_scrubber(Path("/r/.2024.tmp-x"), Path("/r/2024"), Path("/src"))
    >>> scrub("results written to /r/.2024.tmp-x/results/03 from /src/data/raw/a.csv; /r/.2024.tmp-x")
    'results written to results/03 from data/raw/a.csv; .'
    """
    spellings = []
    for folder in folders:
        if folder is None:
            continue
        for f in {str(Path(folder)), str(Path(folder).resolve())}:
            if len(f) > 1:
                spellings.append(f)
    spellings = sorted(set(spellings), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(f) + r"(?:/|(?![\w.\-]))" for f in spellings)) if spellings else None

    def scrub(text: str) -> str:
        if pattern is None:
            return text
        return pattern.sub(lambda m: "" if m.group(0).endswith("/") else ".", text)

    return scrub


_TEXT_SUFFIXES = {".ipynb", ".json", ".csv", ".md", ".txt", ".log", ".html", ".tsv", ".yaml", ".yml"}


def scrub_tree(build: Path, scrub) -> None:
    """Apply ``scrub`` to every text file under ``build`` (binary files are left alone)."""
    for p in build.rglob("*"):
        if not p.is_file() or p.suffix.lower() not in _TEXT_SUFFIXES:
            continue
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        new = scrub(text)
        if new != text:
            p.write_text(new, encoding="utf-8")


# --------------------------------------------------------------------------- manifest


def data_checksums(files=None) -> dict:
    """SHA-256 of each file (a plan bundle's ``files()``, or every file of a folder), keyed by file name.

    Examples
    --------
    >>> from plananalysis.bundle import load_plan
    >>> "plan.yaml" in data_checksums(load_plan().files())
    True
    """
    if files is not None and not (isinstance(files, (str, os.PathLike)) and Path(files).is_dir()):
        return {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in files}
    folder = Path(files or paths.DEFAULT_PLAN_DIR)
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")
    }


def write_manifest(build: Path, results: list[PageResult], declared: dict, meta: dict) -> Path:
    """Write ``manifest.json`` (versions, parameters, data checksums, timings, statuses)."""
    import nbconvert
    import papermill

    manifest = {
        "package": "plananalysis",
        "version": __version__,
        "as_of": meta["as_of"],
        "latest_data_year": meta["latest_year"],
        "started": meta["started"],
        "finished": meta["finished"],
        "duration_seconds": round(meta["duration"], 2),
        "jobs": meta["jobs"],
        "kernel": meta["kernel"],
        "show_code": meta["show_code"],
        "python": platform.python_version(),
        "papermill": papermill.__version__,
        "nbconvert": nbconvert.__version__,
        "data_dir": meta.get("data_dir") or _relative_name(paths.DEFAULT_PLAN_DIR),
        "data_sha256": meta["checksums"],
        "plan": meta.get("plan"),
        "lang": meta.get("lang"),
        "settings": meta.get("settings"),
        "latest_moved": meta.get("latest_moved"),
        "params_overrides": meta["overrides"],
        "notebooks": [
            {
                "page": r.page.name,
                "notebook": f"{r.page.notebook}.ipynb",
                "status": r.status,
                "duration_seconds": round(r.duration, 2),
                "started": r.started,
                "finished": r.finished,
                "parameters": r.page.parameters,
                "defaults": {k: v["default"] for k, v in declared[r.page.notebook].items()},
                "html": f"{r.page.name}.html",
                "executed": f"notebooks/{r.page.name}.ipynb",
                "results": sorted(
                    str(p.relative_to(build)) for p in (build / "results" / r.page.name).rglob("*") if p.is_file()
                ),
            }
            for r in results
        ],
    }
    path = build / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path


def _relative_name(folder) -> str:
    """``folder`` relative to the checkout when inside it, else only its name (no machine paths).

    Examples
    --------
    >>> _relative_name(paths.ROOT / "data" / "raw")
    'data/raw'
    >>> _relative_name("/somewhere/else/stats")
    'stats'
    """
    folder = Path(folder).absolute()
    try:
        return folder.relative_to(Path(paths.ROOT).absolute()).as_posix()
    except ValueError:
        return folder.name


# --------------------------------------------------------------------------- publishing


def _check_replaceable(out: Path) -> None:
    """Refuse to publish over anything but nothing, an empty folder or an earlier report."""
    if not (out.exists() or out.is_symlink()):
        return
    if out.is_dir() and not out.is_symlink() and (not any(out.iterdir()) or (out / "manifest.json").is_file()):
        return
    raise ReportError(f"{out} exists and is not a plananalysis report (no manifest.json); refusing to "
                      "replace it. Choose another --out or remove it first.")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _keep_failed(build: Path, out: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    failed = out.parent / "_failed" / f"{out.name}-{stamp}"
    failed.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build, failed)
    return failed


# --------------------------------------------------------------------------- entry point


def run_report(
    as_of=None, out=None, params=None, jobs=1, timeout=600, show_code=False,
    kernel="plananalysis", progress=None, notebooks_dir=None, plan=None, settings=None,
    targets=None, series=None, *, lang=None, latest=None, wait=0, xlsx=True,
) -> Path:
    """Execute every notebook with papermill and publish an offline HTML report.

    Parameters
    ----------
    as_of : int, optional
        Use only observations up to this year (passed to every notebook). Default:
        ``settings.as_of`` (all data).
    out : str or Path, optional
        The report folder. Default ``reports/<as_of or latest data year>/``.
    params : dict, str or Path, optional
        Parameter overrides or a YAML file of them: ``{name: value}`` for every notebook
        declaring ``name``, and/or ``{"04_model_backtest": {name: value}}`` for one
        notebook (see the module docstring). A top-level setting name updates ``settings``.
    jobs : int
        Notebooks executed in parallel (each in its own kernel process; every kernel
        uses one BLAS thread, see :func:`kernel_environment`).
    timeout : int
        Seconds allowed per cell.
    show_code : bool
        Show code cells in the HTML pages (hidden by default).
    kernel : str
        Jupyter kernel name (``make setup`` registers ``plananalysis``).
    progress : bool or callable, optional
        None: one line per notebook on stderr (timestamped log lines when stderr is
        not a terminal); False: silent; a callable receives each line instead.
    notebooks_dir : str or Path, optional
        Folder with the four notebooks (default: ``notebooks/`` of the checkout).
    plan : str or Path or PlanBundle, optional
        The plan bundle, passed as ``plan`` to every notebook that declares it
        (None or ``""``: the default bundle). The index title comes from the plan.
    settings : plananalysis.settings.Settings, optional
        One set of settings for every notebook (default: the package defaults): every
        field (``settings.to_dict()``) is passed to every notebook that declares it,
        with the top-level setting names of ``params``, ``as_of`` and ``lang`` folded in.
    targets, series : str or Path, optional
        A targets table and a statistics table instead of a bundle: a bundle is
        written from them into the report (``plan/``) and analysed.
    lang : {"en", "zh"}, optional
        Language of the report (headings, tables, status words, charts). Default
        ``settings.lang``.
    latest : bool, optional
        Point ``reports/latest`` at this report. None (default): only when it uses
        all the data (no ``as_of``, or ``as_of`` at or after the latest data year),
        so a what-if never moves ``latest``. Only reports directly in ``reports/``
        are linked.
    wait : float
        Seconds to wait when another run is writing the same ``out`` (default 0:
        refuse at once with a message naming that run's PID).
    xlsx : bool
        Also write ``scorecard.xlsx`` (scorecard, vintages, sources).

    Returns
    -------
    Path
        The published report folder.

    Raises
    ------
    ParameterError
        Unknown or wrongly typed parameters or settings, bad ``jobs``/``timeout``/``lang``
        (nothing has run).
    DataError
        The data fail to load (nothing has run).
    ReportBusyError
        Another run holds the lock of ``out`` (after ``wait`` seconds); nothing changed.
    ReportInterrupted
        SIGINT (Ctrl-C) or SIGTERM: kernels stopped, build folder removed, nothing
        published; ``exit_status`` is 130 or 143.
    ReportError
        Missing kernel or notebook, ``out`` exists but is not an earlier report
        (nothing has run), or a notebook failed: names the notebook, the cell
        and the error; the executed notebooks are kept in ``<out parent>/_failed/`` and
        the previously published report is left untouched.

    Examples
    --------
    >>> run_report(as_of=2022, params={"n_paths": 2000}, jobs=2)  # doctest: +SKIP
    PosixPath('.../reports/2022')
    """
    from ..bundle import write_bundle
    from ..settings import DEFAULTS, Settings
    from ..study import study

    t0 = time.perf_counter()
    started = _now()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ParameterError(f"jobs: expected a positive integer, got {jobs!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ParameterError(f"timeout: expected a positive number of seconds, got {timeout!r}")
    if isinstance(wait, bool) or not isinstance(wait, (int, float)) or wait < 0:
        raise ParameterError(f"wait: expected a number of seconds >= 0, got {wait!r}")
    if latest not in (None, True, False):
        raise ParameterError(f"latest: expected True, False or None, got {latest!r}")
    if settings is not None and not isinstance(settings, Settings):
        raise ParameterError(f"settings: expected a plananalysis Settings object, got {type(settings).__name__}")
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS).absolute()
    missing = [s for s in NOTEBOOK_ORDER if not (notebooks_dir / f"{s}.ipynb").is_file()]
    if missing:
        raise ReportError(f"notebooks missing in {notebooks_dir}: {', '.join(s + '.ipynb' for s in missing)}")
    overrides = load_params(params)
    declared = {s: declared_parameters(notebooks_dir / f"{s}.ipynb") for s in NOTEBOOK_ORDER}
    glob, per = validate_params(overrides, declared)

    # One Settings object for the whole report: settings < params file < as_of / lang arguments.
    settings = DEFAULTS if settings is None else settings
    changes = {k: glob.pop(k) for k in list(glob) if k in Settings.names()}
    if as_of is not None:
        changes["as_of"] = as_of
    if lang is not None:
        check_lang(lang)
        changes["lang"] = lang
    settings = Settings.from_mapping(changes, source="params" if params is not None else "settings", base=settings)
    _check_kernel(kernel)
    if (targets is None) != (series is None):
        raise ParameterError("targets and series go together (or give plan)")
    st = study(plan, settings, targets=targets, series=series)
    settings = st.settings
    as_of, lang = settings.as_of, settings.lang
    latest_year = _latest_year(st.statistics)
    title_en, title_zh = st.title("en"), st.title("zh")
    out = Path(out) if out is not None else Path(paths.REPORTS) / str(as_of if as_of is not None else latest_year)
    out = out.absolute()
    name_col = "name_zh" if lang == "zh" else "name_en"
    names = dict(zip(st.targets["indicator"].astype(str), st.targets[name_col].astype(str)))
    checksums = data_checksums(st.plan.files() if st.plan is not None else [targets, series])
    indicators = _targets_with_series(st.targets)
    move_latest = latest if latest is not None else (as_of is None or as_of >= latest_year)
    say = _Progress(progress)

    with ReportLock(out, wait=wait, say=say), interrupts_as_errors():
        for line in clean_leftovers(out):
            say(line)
        _check_replaceable(out)
        build = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            os.chmod(build, 0o777 & ~_umask())  # mkdtemp makes it private; a published report is not
            (build / "notebooks").mkdir()
            plan_dir = "" if st.plan is None or st.plan.is_default else str(st.plan.root)
            if st.plan is None:  # two tables: the report carries the bundle written from them
                plan_dir = str(write_bundle(build / "plan", targets, series).parent)
            pages = plan_pages(notebooks_dir, settings, glob, per, declared, indicators, plan=plan_dir,
                               names=names, lang=lang)
            outside = [st.plan.root.parent] if st.plan is not None and not st.plan.is_default else []
            scrub = path_scrubber(build, out, paths.ROOT, *outside)
            say(f"running {len(pages)} notebooks on kernel {kernel!r} with {jobs} job(s) -> {out}")
            results = _run_pages(pages, build, kernel, timeout, jobs, say, show_code, lang=lang, scrub=scrub)
        except ReportInterrupted as exc:
            shutil.rmtree(build, ignore_errors=True)
            raise ReportInterrupted(f"{exc}: stopped the notebooks, nothing was published; {out} is unchanged",
                                    exc.signum) from None
        except KeyboardInterrupt:
            shutil.rmtree(build, ignore_errors=True)
            raise ReportInterrupted(f"interrupted by SIGINT: stopped the notebooks, nothing was published; "
                                    f"{out} is unchanged", signal.SIGINT) from None
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        failed = [r for r in results if r.status == "failed"]
        if failed:
            kept = _keep_failed(build, out)
            err = failed[0].error
            nb_path = kept / "notebooks" / f"{err.notebook}.ipynb"
            say(f"FAILED after {time.perf_counter() - t0:.1f}s: {err}")
            raise ReportError(
                f"{err}\nThe executed notebook is kept for debugging: {nb_path}\n"
                f"Nothing was published; {out} is unchanged.",
                notebook=err.notebook, cell_index=err.cell_index, ename=err.ename,
                evalue=err.evalue, failed_dir=kept,
            )
        try:
            scorecard = _collect_scorecard(build)
            sources = _sources_frame(st.statistics, st.targets, as_of)
            n_paths = _page_value(pages, declared, SCORECARD_NOTEBOOK, "n_paths")
            meta = {
                "as_of": as_of, "latest_year": latest_year, "generated": _now(), "kernel": kernel,
                "started": started, "jobs": jobs, "show_code": show_code, "checksums": checksums,
                "overrides": overrides, "lang": lang, "plan": st.plan_id, "plan_dir": plan_dir,
                "settings": settings.to_dict(), "latest_moved": bool(move_latest), "title_en": title_en, "title_zh": title_zh,
                "n_paths": n_paths, "on_track": settings.on_track, "at_risk": settings.at_risk,
                "xlsx": bool(xlsx), "calibration": settings.calibration,
                "data_dir": _relative_name(st.plan.root) if st.plan is not None else "plan",
            }
            if xlsx:
                from ..spreadsheet import write_scorecard_xlsx

                vint = build / "results" / SCORECARD_NOTEBOOK / "vintages.csv"
                vintages = _read_csv(vint) if vint.is_file() else None
                write_scorecard_xlsx(build / "scorecard.xlsx", scorecard, vintages, sources, lang=lang)
            write_index(build, scorecard, [r.page for r in results], meta, targets=st.targets, sources=sources)
            meta.update(finished=_now(), duration=time.perf_counter() - t0)
            write_manifest(build, results, declared, meta)
            scrub_tree(build, scrub)
            publish(build, out)
            if move_latest:
                update_latest(out)
        except ReportInterrupted as exc:
            shutil.rmtree(build, ignore_errors=True)
            raise ReportInterrupted(f"{exc}: nothing was published; {out} is unchanged", exc.signum) from None
        except BaseException:
            if build.exists():
                shutil.rmtree(build, ignore_errors=True)
            raise
    total = sum(r.duration for r in results)
    say(f"published {out} ({len(results)} notebooks, {time.perf_counter() - t0:.1f}s wall, "
        f"{total:.1f}s in notebooks)" + ("" if move_latest else "; reports/latest left as it was"))
    return out


def plan_titles(plan=None) -> tuple[str, str]:
    """``(title_en, title_zh)`` of a plan bundle (default: the default bundle)."""
    from ..bundle import load_plan

    bundle = load_plan(plan or None)
    return bundle.title("en"), bundle.title("zh")


def _page_value(pages, declared, notebook, name):
    """The value of parameter ``name`` on ``notebook`` (injected, else its declared default)."""
    for page in pages:
        if page.notebook == notebook:
            if name in page.parameters:
                return page.parameters[name]
            default = declared[notebook].get(name, {}).get("default")
            try:
                return int(default)
            except (TypeError, ValueError):
                return None
    return None


def _read_csv(path):
    import pandas as pd

    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def _sources_frame(series, targets, as_of=None):
    """The statistics rows behind the targets (selected figures, up to ``as_of``), for the sources table."""
    used = set(targets["series"].astype("string").dropna())
    rows = series[series["indicator"].isin(used)]
    if "selected" in rows:
        rows = rows[rows["selected"]]
    if as_of is not None:
        rows = rows[rows["year"] <= as_of]
    cols = [c for c in ("indicator", "year", "value", "qualifier", "unit", "source_title", "source_url", "quote")
            if c in rows.columns]
    return rows[cols].sort_values(["indicator", "year"]).reset_index(drop=True)


def _collect_scorecard(build: Path):
    """Copy notebook 03's ``scorecard.csv`` (bytes unchanged) to the report root and read it."""
    import pandas as pd

    src = build / "results" / SCORECARD_NOTEBOOK / "scorecard.csv"
    if not src.is_file():
        raise ReportError(f"{SCORECARD_NOTEBOOK} did not write scorecard.csv into its results folder")
    shutil.copyfile(src, build / "scorecard.csv")
    return pd.read_csv(src, keep_default_na=False, na_values=[""])
