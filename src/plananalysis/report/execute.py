"""Executing the pages: papermill in a kernel per page, export to HTML, stop and clean up.

* :func:`execute_page` — one page with papermill; the kernel runs in the
  page's results folder with one BLAS thread (:func:`kernel_environment`) and
  its own chatter goes to ``logs/<page>.kernel.log``.
* :func:`run_pages` — every page, ``jobs`` at a time, through a
  :class:`concurrent.futures.Executor` (default: threads each driving one
  kernel process), each page exported to HTML as soon as it is done; no page
  starts once one has failed; an interrupt kills the kernels.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timezone
from pathlib import Path

from ..executors import EXECUTOR_NAMES
from ..executors import check_executor as check_executor_name, open_executor as open_named_executor
from ..errors import ReportError
from ..labels import text as label
from .html import export_html, warm_exporter
from .pages import Page, PageResult
from .publish import deferred_signals

__all__ = ["execute_page", "run_pages", "Progress", "open_executor", "check_executor", "kernel_manager_class", "kernel_environment",
           "check_kernel", "SINGLE_THREAD_VARIABLES", "EXECUTORS"]


def check_kernel(kernel: str) -> None:
    """Raise :class:`ReportError` saying how to register ``kernel`` when Jupyter does not know it."""
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
    """Kill every kernel this process started (each leads its own process group where there are groups)."""
    with _KERNELS_LOCK:
        pids = list(_KERNELS)
        _KERNELS.clear()
    sig = getattr(signal, "SIGKILL", signal.SIGTERM)
    for pid in pids:
        kills = ([lambda: os.killpg(pid, sig)] if hasattr(os, "killpg") else []) + [lambda: os.kill(pid, sig)]
        for kill in kills:
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


class Progress:
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


class _PageTask:
    """Execute one page in a worker and close the asyncio loop papermill leaves on the worker's thread.

    With ``stop`` (the default thread pool) a page does not start once
    another has failed, and a failure sets ``stop`` before the worker can
    take its next page. Without it (any other executor) the task pickles,
    and pages not yet started are cancelled through their futures instead.
    """

    def __init__(self, build: Path, kernel: str, timeout, stop=None, say=None):
        self.build, self.kernel, self.timeout, self.stop, self.say = Path(build), kernel, timeout, stop, say

    def __call__(self, page: Page) -> PageResult:
        if self.stop is not None and self.stop.is_set():
            return PageResult(page, status="cancelled")
        if self.say is not None:
            self.say(f"running {page.name}", log_only=True)
        try:
            res = execute_page(page, self.build, self.kernel, self.timeout)
        finally:
            _close_thread_event_loop()
        if self.stop is not None and res.status == "failed":
            self.stop.set()
        return res


#: Pages started first (the slowest), so parallel runs finish together; the others follow in report order.
_FIRST = {"04_model_backtest": 0, "05_calibration": 1, "01_data_overview": 2, "03_target_scorecard": 3}


def run_pages(pages, build, kernel, timeout, jobs, progress, show_code=False, lang="en", scrub=None,
              executor=None) -> list[PageResult]:
    """Run every page and export it to HTML; start no new page once one has failed.

    Parameters
    ----------
    pages : list of Page
    build : Path
        The report folder being built (``notebooks/``, ``results/``, ``logs/``).
    kernel : str
        Jupyter kernel name.
    timeout : float
        Seconds allowed per cell.
    jobs : int
        Pages at a time on the default executor.
    progress : callable
        Receives one line per finished page (``progress(line, log_only=True)``
        for start lines).
    show_code, lang, scrub
        Passed to :func:`~plananalysis.report.html.export_html`.
    executor : concurrent.futures.Executor, optional
        Runs :func:`execute_page` for each page (e.g. a ``ProcessPoolExecutor``
        or ``distributed.Client.get_executor()``; its workers must see
        ``build``). Default: ``jobs`` threads, each driving one kernel process.
        The caller keeps ownership (it is not shut down here).

    Returns
    -------
    list of PageResult
        In the order of ``pages``; ``status`` ``"cancelled"`` for pages that
        did not run (or finished after another failed).

    Notes
    -----
    Exports run on one thread of their own while the next notebooks start.
    An interrupt (Ctrl-C, SIGTERM turned into
    :class:`~plananalysis.errors.ReportInterrupted`) cancels the queue, kills
    the kernels this process started, waits for the worker threads and is
    re-raised.
    """
    stop = threading.Event()
    n = len(pages)
    width = max(len(p.name) for p in pages)
    results: dict[str, PageResult] = {}
    reported = [0]
    back = label("nav.index", lang)

    def finish(res: PageResult) -> None:
        results[res.page.name] = res
        if res.status in ("ok", "failed"):
            reported[0] += 1
            mark = {"ok": "ok", "failed": "FAILED"}[res.status]
            progress(f"[{reported[0]}/{n}] {res.page.name:<{width}}  {mark:<6}  {res.duration:6.1f}s")

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
        return res

    own = executor is None
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="page") if own else executor
    task = _PageTask(build, kernel, timeout, stop, progress) if own else _PageTask(build, kernel, timeout)
    order = sorted(pages, key=lambda p: _FIRST.get(p.notebook, 4))
    # Import nbconvert and compile its templates while the first kernels start (about 2-3 s
    # that the first export would otherwise add to the run; the kernels are other processes).
    threading.Thread(target=warm_exporter, name="warm-nbconvert", daemon=True).start()
    exporter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export")
    waiting: dict[Future, tuple[str, object]] = {}
    try:
        waiting = {pool.submit(task, page): ("run", page) for page in order}
        while waiting:
            done, _ = wait(list(waiting), return_when=FIRST_COMPLETED)
            for fut in done:
                kind, what = waiting.pop(fut)
                if kind == "export":
                    finish(fut.result())
                elif fut.cancelled():
                    results[what.name] = PageResult(what, status="cancelled")
                else:
                    res = fut.result()
                    if res.status == "ok" and not stop.is_set():
                        # the export runs on its own thread, so this slot starts its next notebook at once
                        waiting[exporter.submit(export, res)] = ("export", res)
                        continue
                    if res.status == "ok":
                        res.status = "cancelled"
                    finish(res)
            if stop.is_set() or any(r.status == "failed" for r in results.values()):
                stop.set()
                for fut, (kind, _) in waiting.items():
                    if kind == "run":
                        fut.cancel()
    except BaseException:
        stop.set()
        with deferred_signals():  # a second Ctrl-C must not interrupt the clean-up
            logging.disable(logging.CRITICAL)  # "Kernel died ..." from the threads we are stopping
            try:
                for fut in waiting:
                    fut.cancel()
                _kill_kernels()
                if own:
                    pool.shutdown(wait=True, cancel_futures=True)
                exporter.shutdown(wait=True, cancel_futures=True)
            finally:
                logging.disable(logging.NOTSET)
        raise
    if own:
        pool.shutdown(wait=True)
    exporter.shutdown(wait=True)
    return [results[p.name] for p in pages]


#: The executors ``--executor`` names (the same words as :mod:`plananalysis.executors` where it exists;
#: ``threads``, the default, drives one kernel per thread in this process).
#: Where report pages can run: ``threads`` (the default: threads in this process drive the
#: kernels) or any name of :mod:`plananalysis.executors`.
EXECUTORS = ("threads",) + EXECUTOR_NAMES


def check_executor(spec) -> None:
    """Raise :class:`ParameterError` unless ``spec`` names an executor (see :data:`EXECUTORS`) or is one.

    Examples
    --------
    >>> check_executor("threads"), check_executor("process:2"), check_executor(None)
    (None, None, None)
    """
    check_executor_name(spec, also=("threads",))


@contextlib.contextmanager
def open_executor(spec, jobs: int):
    """The executor named by ``spec`` for :func:`run_pages`, shut down on exit.

    Parameters
    ----------
    spec : str, Executor or None
        None or ``"threads"``: the default (``jobs`` threads in this process,
        yields None); any other name as in
        :func:`plananalysis.executors.open_executor` (process pools start
        their workers with ``spawn``: the workers start kernels). dask
        workers must see the report's build folder (a shared file system).
    jobs : int

    Raises
    ------
    ParameterError
        An unknown name, or dask asked for where ``distributed`` is not installed.

    Examples
    --------
    >>> with open_executor("threads", 2) as executor:
    ...     executor is None
    True
    """
    check_executor(spec)
    if spec is None or spec in ("threads", "inline"):
        yield None
        return
    with open_named_executor(spec, n_jobs=jobs, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor
