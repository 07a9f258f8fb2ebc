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
from concurrent.futures import Executor, ProcessPoolExecutor

from .errors import ParameterError

__all__ = ["map_in_order", "open_executor", "EXECUTOR_HELP"]

EXECUTOR_HELP = ("where batches run: inline, process, process:N, local-dask, or dask://HOST:PORT "
                 "(default: inline, or a process pool when --n-jobs > 1)")


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
def open_executor(spec, n_jobs=1):
    """An executor for a name (see the module docstring); closed when the block ends.

    Parameters
    ----------
    spec : str or Executor or None
        ``None``/``"inline"`` yields None (run inline, or a pool of
        ``n_jobs`` chosen by :func:`map_in_order`).
    n_jobs : int
        Workers for ``process`` without a count.

    Raises
    ------
    ParameterError
        An unknown name, a bad worker count, or dask not installed.
    """
    if spec is None or spec == "inline" or isinstance(spec, Executor) or hasattr(spec, "submit"):
        yield None if spec in (None, "inline") else spec
        return
    spec = str(spec).strip()
    if spec == "process" or spec.startswith("process:"):
        count = spec.partition(":")[2] or str(n_jobs if n_jobs and n_jobs > 1 else (os.cpu_count() or 1))
        if not count.isdigit() or int(count) < 1:
            raise ParameterError(f"executor {spec!r}: expected process:N with N a positive whole number")
        with ProcessPoolExecutor(max_workers=int(count)) as pool:
            yield pool
        return
    if spec == "local-dask" or spec.startswith("dask://") or spec.startswith("tcp://"):
        with _dask_client(spec, n_jobs) as client:
            yield client.get_executor()
        return
    raise ParameterError(f"executor {spec!r} is not known; expected inline, process, process:N, local-dask "
                         "or dask://HOST:PORT")


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
