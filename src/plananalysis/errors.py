"""Named errors that carry their context (file, line, column, value).

Every error a user can provoke with bad input is a subclass of
:class:`PlanAnalysisError`, so the CLI can print it and exit non-zero
without a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PlanAnalysisError", "DataError", "DataErrors", "PlanParseError", "ParameterError",
           "InsufficientDataError", "ReportError", "ReportBusyError", "ReportInterrupted"]


class PlanAnalysisError(Exception):
    """Base class of every error plananalysis raises on purpose."""


class DataError(PlanAnalysisError, ValueError):
    """A data file is missing, unreadable or fails validation.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    path : str or Path, optional
        The file.
    line : int, optional
        1-based line number in the file (the header is line 1).
    column : str, optional
        The column name.
    value : object, optional
        The offending value, as read.

    Examples
    --------
    >>> err = DataError("expected a number", path="s.csv", line=3, column="value", value="abc")
    >>> str(err)
    "s.csv, line 3, column 'value': expected a number (got 'abc')"
    """

    def __init__(self, message, path=None, line=None, column=None, value=None):
        self.message = message
        self.path = None if path is None else Path(path)
        self.line = line
        self.column = column
        self.value = value
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (got {self.value!r})"
        return text


class DataErrors(DataError):
    """Several :class:`DataError` found in one validation pass.

    Parameters
    ----------
    errors : list of DataError
        Every problem found, in file order.
    """

    def __init__(self, errors):
        self.errors = list(errors)
        lines = [f"{len(self.errors)} problem(s) found:"] + [f"  - {e}" for e in self.errors]
        PlanAnalysisError.__init__(self, "\n".join(lines))
        self.message = lines[0]
        self.path = self.errors[0].path if self.errors else None
        self.line = self.column = self.value = None

    def __str__(self) -> str:  # keep the full list
        return self.args[0]


class PlanParseError(PlanAnalysisError, ValueError):
    """The plan text does not contain what the parser expects (e.g. no 专栏1 table)."""


class ParameterError(PlanAnalysisError, ValueError):
    """A function or CLI parameter is out of range or unknown; names the parameter."""


class ReportError(PlanAnalysisError, RuntimeError):
    """The report could not be built or published (a notebook failed, a kernel is missing, ...).

    Attributes ``notebook``, ``cell_index``, ``ename``, ``evalue`` and ``failed_dir``
    say which notebook failed, in which cell, with which error, and where the
    failed executed notebook was kept; each is None when it does not apply.
    """

    def __init__(self, message, notebook=None, cell_index=None, ename=None, evalue=None, failed_dir=None):
        self.notebook = notebook
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        self.failed_dir = failed_dir
        super().__init__(message)


class InsufficientDataError(PlanAnalysisError, ValueError):
    """Too few exact observations for the requested model.

    Attributes
    ----------
    n_obs : int
        Exact observations in the fit window.
    needed : int
        What the model needs.

    Examples
    --------
    >>> err = InsufficientDataError("model 'ets' needs 6", n_obs=3, needed=6)
    >>> (err.n_obs, err.needed, isinstance(err, ValueError))
    (3, 6, True)
    """

    def __init__(self, message, n_obs=0, needed=0):
        super().__init__(message)
        self.n_obs = n_obs
        self.needed = needed


class ReportBusyError(ReportError):
    """Another run holds the lock of the output folder (and did not finish within ``wait``)."""


class ReportInterrupted(ReportError):
    """The run was stopped by SIGINT (Ctrl-C) or SIGTERM; nothing was published.

    ``exit_status`` is the conventional shell status: 130 for SIGINT, 143 for SIGTERM.
    """

    def __init__(self, message, signum=2):
        super().__init__(message)
        self.signum = signum
        self.exit_status = 128 + int(signum)
