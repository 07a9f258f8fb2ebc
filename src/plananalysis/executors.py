"""Where batches run: any :class:`concurrent.futures.Executor`, named on the command line.

Batch work (the targets of a scorecard, the years of a vintage table, the
pages of a report) goes through one seam, :func:`map_in_order`, which takes
any object with the ``concurrent.futures.Executor`` interface. Results never
depend on where they ran: every unit of work seeds its own random numbers.

:func:`open_executor` turns a name into an executor for the command line:

``inline``
    This process, one item after another (the default for ``n_jobs=1``).
``process`` / ``process:N``
    A :class:`~concurrent.futures.ProcessPoolExecutor` (N workers; default
    the settings' ``n_jobs`` or the CPU count).
``local-dask``
    A dask ``LocalCluster`` started for the run (``pip install
    'plananalysis[distributed]'``).
``dask://HOST:PORT``
    An existing dask scheduler, through ``Client.get_executor()``.

Examples
--------
>>> map_in_order(lambda chunk: [x * x for x in chunk], [1, 2, 3], lambda chunk: chunk)
[1, 4, 9]
>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(2) as ex:
...     map_in_order(lambda chunk: [x * x for x in chunk], [1, 2, 3], lambda chunk: chunk, executor=ex)
[1, 4, 9]
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ProcessPoolExecutor

from .errors import ParameterError

__all__ = ["map_in_order", "open_executor", "check_executor", "EXECUTOR_NAMES", "EXECUTOR_HELP"]

#: The executor names :func:`open_executor` knows.
EXECUTOR_NAMES = ("inline", "process", "process:N", "local-dask", "dask://HOST:PORT")
EXECUTOR_HELP = ("where batches run: inline, process, process:N, local-dask, or dask://HOST:PORT "
                 "(default: inline, or a process pool when --n-jobs > 1)")


def check_executor(spec, also=()) -> None:
    """Raise :class:`ParameterError` unless ``spec`` is an executor, None or a known name.

    Parameters
    ----------
    spec : str or Executor or None
    also : tuple of str
        Further names the caller handles itself (the report's ``"threads"``).

    Examples
    --------
    >>> check_executor("process:2"), check_executor(None)
    (None, None)
    >>> try:
    ...     check_executor("spark")
    ... except ParameterError as exc:
    ...     print(exc)
    executor 'spark' is not known; expected inline, process, process:N, local-dask or dask://HOST:PORT
    """
    if spec is None or not isinstance(spec, str):
        if spec is not None and not hasattr(spec, "submit"):
            raise ParameterError(f"executor must be a name or a concurrent.futures.Executor, got {spec!r}")
        return
    name, _, count = spec.strip().partition(":")
    if spec in also or spec in ("inline", "process", "local-dask"):
        return
    if name == "process":
        if not (count.isdigit() and int(count) > 0):
            raise ParameterError(f"executor {spec!r}: expected process:N with N a positive whole number")
        return
    if (spec.startswith("dask://") or spec.startswith("tcp://")) and len(spec.split("://", 1)[1]) > 0:
        return
    known = ", ".join(also + EXECUTOR_NAMES[:-1]) + " or " + EXECUTOR_NAMES[-1]
    raise ParameterError(f"executor {spec!r} is not known; expected {known}")


def _chunks(items, n):
    return [items[i::n] for i in range(n) if items[i::n]]


def _unchunk(parts, n, total):
    out = [None] * total
    for c, part in enumerate(parts):
        for k, res in enumerate(part):
            out[c + k * n] = res
    return out


def map_in_order(fn, items, make_arg, executor=None, n_jobs=1) -> list:
    """Apply ``fn`` to chunks of ``items`` on an executor and return the results in item order.

    Parameters
    ----------
    fn : callable
        ``fn(make_arg(chunk)) -> list`` with one result per item of the
        chunk; picklable (a module-level function) for process pools and dask.
    items : sequence
    make_arg : callable
        Wraps a chunk (a list of items) into ``fn``'s argument.
    executor : concurrent.futures.Executor, optional
        Used as given (not shut down). None: inline when ``n_jobs == 1``,
        else a process pool of ``n_jobs`` workers (``-1``: every CPU) for
        this call.
    n_jobs : int

    Returns
    -------
    list
        ``len(items)`` results, in the order of ``items``.
    """
    items = list(items)
    if executor is None:
        n = (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)
        if n <= 1 or len(items) < 2:
            return list(fn(make_arg(items))) if items else []
        n = min(n, len(items))
        with ProcessPoolExecutor(max_workers=n) as pool:
            parts = list(pool.map(fn, [make_arg(c) for c in _chunks(items, n)]))
        return _unchunk(parts, n, len(items))
    if not hasattr(executor, "submit"):
        raise ParameterError(f"executor must be a concurrent.futures.Executor (has submit/map), got {executor!r}")
    n = len(items)  # one item per task: the executor balances the load
    futures = [executor.submit(fn, make_arg(c)) for c in _chunks(items, n)]
    return _unchunk([f.result() for f in futures], n, len(items))


@contextlib.contextmanager
def open_executor(spec, n_jobs=1, mp_context=None):
    """An executor for a name (see the module docstring); closed when the block ends.

    Parameters
    ----------
    spec : str or Executor or None
        ``None``/``"inline"`` yields None (run inline, or a pool of
        ``n_jobs`` chosen by :func:`map_in_order`). An executor object is
        yielded as it is (not shut down).
    n_jobs : int
        Workers for ``process`` and ``local-dask`` without a count.
    mp_context : multiprocessing context, optional
        For the process pool (the report uses ``spawn``: its worker processes
        start kernels).

    Raises
    ------
    ParameterError
        An unknown name, a bad worker count, or dask not installed.
    """
    check_executor(spec)
    if spec is None or spec == "inline" or not isinstance(spec, str):
        yield spec if spec != "inline" else None
        return
    spec = spec.strip()
    if spec == "process" or spec.startswith("process:"):
        count = spec.partition(":")[2] or str(n_jobs if n_jobs and n_jobs > 1 else (os.cpu_count() or 1))
        with ProcessPoolExecutor(max_workers=int(count), mp_context=mp_context) as pool:
            yield pool
        return
    with _dask_client(spec, n_jobs) as client:
        yield client.get_executor()


@contextlib.contextmanager
def _dask_client(spec, n_jobs):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ParameterError(f"executor {spec!r} needs dask.distributed: "
                             "pip install 'plananalysis[distributed]'") from None
    if spec == "local-dask":
        workers = n_jobs if n_jobs and n_jobs > 1 else (os.cpu_count() or 1)
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
        return
    address = "tcp://" + spec.split("://", 1)[1]
    with Client(address) as client:
        yield client
