"""Publishing a report folder: one writer at a time, atomic swap, no litter.

* :class:`ReportLock` — a lock file ``.<NAME>.lock`` next to the output folder
  (a :class:`filelock.FileLock`: an OS lock, ``flock`` on Unix and
  ``msvcrt`` on Windows, released by the OS when the holder dies, even by
  SIGKILL) and ``.<NAME>.pid`` naming the run that holds it (PID, host, start).
  A second run into the same folder waits up to ``wait`` seconds, then refuses
  with a message naming the holder; a ``.pid`` file left by a killed run is
  reported and taken over.
* :func:`clean_leftovers` — removes ``.<NAME>.tmp-*`` build folders and
  ``.<NAME>.old-*`` folders of killed runs (restoring the previous report
  first if a run was killed between the two renames of :func:`publish`).
* :func:`publish` — swaps a finished build folder into place with two renames.
* :func:`update_latest` — points ``reports/latest`` at a folder (symlink,
  replaced atomically).
* :func:`deferred_signals` and :func:`interrupts_as_errors` — SIGINT/SIGTERM
  handling: outside the swap they become a :class:`ReportInterrupted`
  (cleaned up, one line, exit status 130/143); during the swap they wait
  until it is done (where the platform can block signals).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from .. import paths
from ..errors import ReportBusyError, ReportError, ReportInterrupted

__all__ = [
    "ReportLock", "ReportBusyError", "ReportInterrupted", "clean_leftovers", "publish", "update_latest",
    "deferred_signals", "interrupts_as_errors", "lock_path", "holder_path", "check_replaceable", "keep_failed_run",
]


def lock_path(out: Path) -> Path:
    """The lock file of output folder ``out``: ``<parent>/.<name>.lock``.

    Examples
    --------
    >>> lock_path(Path("/srv/reports/2024")).name
    '.2024.lock'
    """
    out = Path(out)
    return out.parent / f".{out.name}.lock"


def holder_path(out: Path) -> Path:
    """The file naming the run that holds the lock of ``out``: ``<parent>/.<name>.pid``.

    Examples
    --------
    >>> holder_path(Path("/srv/reports/2024")).name
    '.2024.pid'
    """
    out = Path(out)
    return out.parent / f".{out.name}.pid"


def _pid_alive(pid: int) -> bool:
    """True when a process with this PID may exist on this machine (always True where it cannot be asked)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_holder(path: Path) -> dict:
    """``{"pid": int, "host": str, "started": str}`` from a holder file (empty when unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    info = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        info[key.strip()] = value.strip()
    with contextlib.suppress(KeyError, ValueError):
        info["pid"] = int(info["pid"])
    return info


class ReportLock:
    """Exclusive lock on one output folder, held for a whole run.

    Parameters
    ----------
    out : Path
        The output folder; the lock file is ``<parent>/.<name>.lock``, the
        holder's PID is in ``<parent>/.<name>.pid``.
    wait : float
        Seconds to wait for another run to finish (0: refuse at once).
    say : callable, optional
        Receives one line when waiting starts or a killed run's lock is taken over.

    Raises
    ------
    ReportBusyError
        On :meth:`acquire`, when another run still holds the lock after ``wait`` seconds.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with ReportLock(d / "2024") as lock:
    ...     ReportLock(d / "2024").acquire()
    Traceback (most recent call last):
    ...
    plananalysis.errors.ReportBusyError: another plananalysis report (PID ...) is writing .../2024...
    >>> sorted(p.name for p in d.iterdir())  # released and removed
    []
    """

    def __init__(self, out: Path, wait: float = 0, say=None):
        from filelock import FileLock

        self.out = Path(out)
        self.path = lock_path(self.out)
        self.holder = holder_path(self.out)
        self.wait = float(wait)
        self.say = say or (lambda line: None)
        self._lock = FileLock(str(self.path))
        self.took_over: dict | None = None

    def _try(self) -> bool:
        """One attempt: True when this process now holds the lock."""
        from filelock import Timeout

        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        previous = _read_holder(self.holder)
        if previous.get("pid") and previous["pid"] != os.getpid():
            # A holder file without a holder: that run was killed (a finished run removes it).
            self.took_over = previous
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        tmp = self.holder.with_name(f"{self.holder.name}.{os.getpid()}")
        tmp.write_text(f"pid={os.getpid()}\nhost={socket.gethostname()}\nstarted={stamp}\n", encoding="utf-8")
        os.replace(tmp, self.holder)
        return True

    def acquire(self) -> "ReportLock":
        """Take the lock, waiting up to ``wait`` seconds; see the class docstring."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait
        announced = False
        while not self._try():
            holder = _read_holder(self.holder)
            pid = holder.get("pid", "?")
            if time.monotonic() >= deadline:
                waited = f"; waited {self.wait:g}s" if self.wait else ""
                raise ReportBusyError(
                    f"another plananalysis report (PID {pid}, started {holder.get('started', '?')}) is writing "
                    f"{self.out}{waited}. Nothing was changed. Wait for it to finish, pass --wait SECONDS, "
                    f"or choose another --out.")
            if not announced:
                self.say(f"waiting up to {self.wait:g}s for the report run with PID {pid} writing {self.out.name}")
                announced = True
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        if self.took_over:
            alive = _pid_alive(self.took_over["pid"])
            self.say(f"took over the lock of {self.out.name} left by PID {self.took_over['pid']}"
                     f"{'' if alive else ' (no longer running)'}")
        return self

    def release(self) -> None:
        """Remove the holder file, release the lock and remove its file (idempotent)."""
        if not self._lock.is_locked:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.holder)
        # Unlinked while still held (as before with flock): a run that opened this file meanwhile
        # finds it unlinked once it gets the lock and tries again on a new one. Windows refuses to
        # unlink an open file; there the file stays (empty) and is reused.
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.unlink(self.path)
        self._lock.release()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def clean_leftovers(out: Path) -> list[str]:
    """Remove what killed runs into ``out`` left behind; call while holding its :class:`ReportLock`.

    If ``out`` is missing but an ``.<name>.old-*`` folder holds a complete
    report (a run was killed between the two renames of :func:`publish`), that
    report is put back first. Then every ``.<name>.tmp-*`` and
    ``.<name>.old-*`` folder is deleted, and stale ``.latest.tmp-*`` links
    whose PID is dead.

    Returns
    -------
    list of str
        One line per thing restored or removed (empty when there was nothing).
    """
    out = Path(out)
    parent = out.parent
    done: list[str] = []
    if not parent.is_dir():
        return done
    olds = sorted(parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    if not (out.exists() or out.is_symlink()):
        for old in olds:
            inner = old / out.name
            if (inner / "manifest.json").is_file():
                os.replace(inner, out)
                done.append(f"restored the previous report {out.name} from {old.name}")
                break
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):
        for p in parent.glob(pattern):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()
            done.append(f"removed {p.name} left by an interrupted run")
    for p in parent.glob(".latest.tmp-*"):
        try:
            pid = int(p.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if not _pid_alive(pid):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
            done.append(f"removed {p.name} left by an interrupted run")
    return done


def check_replaceable(out: Path) -> None:
    """Refuse to publish over anything but nothing, an empty folder or an earlier report."""
    if not (out.exists() or out.is_symlink()):
        return
    if out.is_dir() and not out.is_symlink() and (not any(out.iterdir()) or (out / "manifest.json").is_file()):
        return
    raise ReportError(f"{out} exists and is not a plananalysis report (no manifest.json); refusing to "
                      "replace it. Choose another --out or remove it first.")


def umask() -> int:
    """The process's umask (``os.umask`` can only be read by setting it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def keep_failed_run(results, build: Path, out: Path, say, t0: float) -> None:
    """When a page failed: keep the build in ``_failed/`` and raise the first failure."""
    failed = [r for r in results if r.status == "failed"]
    if not failed:
        return
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    kept = out.parent / "_failed" / f"{out.name}-{stamp}"
    kept.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build, kept)
    err = failed[0].error
    say(f"FAILED after {time.perf_counter() - t0:.1f}s: {err}")
    raise ReportError(
        f"{err}\nThe executed notebook is kept for debugging: {kept / 'notebooks' / f'{err.notebook}.ipynb'}\n"
        f"Nothing was published; {out} is unchanged.",
        notebook=err.notebook, cell_index=err.cell_index, ename=err.ename, evalue=err.evalue, failed_dir=kept)


def publish(build: Path, out: Path) -> Path:
    """Move a finished build folder to ``out`` atomically.

    If ``out`` exists it is renamed aside, the build renamed into place, then the
    old folder deleted; readers see either the old or the new report, never a mix.
    SIGINT/SIGTERM arriving meanwhile are held until the swap is complete; a
    SIGKILL between the renames is repaired by :func:`clean_leftovers`.
    Callers that can race must hold the :class:`ReportLock` of ``out``.
    """
    out = Path(out)
    with deferred_signals():
        old = None
        if out.exists() or out.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / out.name)
        try:
            os.replace(build, out)
        except OSError:
            if old is not None:
                os.replace(old / out.name, out)
                shutil.rmtree(old, ignore_errors=True)
            raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out


def update_latest(out: Path) -> Path | None:
    """Point ``reports/latest`` at ``out`` (a relative symlink, replaced atomically).

    Only done when ``out`` lives directly in the reports folder; returns the link or None.
    """
    reports = Path(paths.REPORTS).resolve()
    out = Path(out).resolve()
    if out.parent != reports or out.name == "latest":
        return None
    link = reports / "latest"
    if link.exists() and not link.is_symlink():
        raise ReportError(f"{link} exists and is not a symlink; remove it so the latest report can be linked")
    tmp = reports / f".latest.tmp-{os.getpid()}-{time.monotonic_ns()}"
    with deferred_signals():
        os.symlink(out.name, tmp)
        os.replace(tmp, link)
    return link


_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def deferred_signals():
    """Hold SIGINT and SIGTERM until the block ends (no-op outside the main thread).

    Examples
    --------
    >>> with deferred_signals():
    ...     pass
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def interrupts_as_errors():
    """Turn SIGTERM into :class:`ReportInterrupted` (SIGINT too) inside the block.

    Only in the main thread; elsewhere the block runs unchanged. The previous
    handlers are restored on exit.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise ReportInterrupted(f"interrupted by {signal.Signals(signum).name}", signum)

    previous = {s: signal.getsignal(s) for s in _SIGNALS}
    for s in _SIGNALS:
        signal.signal(s, handler)
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
