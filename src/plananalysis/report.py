"""Run the notebooks with papermill and publish an offline HTML report.

:func:`run_report` executes ``01_data_overview``, ``03_target_scorecard`` and
``04_model_backtest`` once and ``02_indicator_trajectory`` once per target that
has a statistics series, each in its own Jupyter kernel, exports every executed
notebook to self-contained HTML and publishes the folder atomically.

Layout of a published report folder (see also ``reports/README.md``)::

    reports/2024/
        index.html              scorecard table, links to every page, as_of, time, version
        scorecard.csv           the scorecard notebook 03 wrote (byte-reproducible)
        manifest.json           versions, parameters, SHA-256 of data files, timings
        01_data_overview.html   one offline HTML page per executed notebook ...
        02_indicator_trajectory-enrollment.html
        ...
        notebooks/<page>.ipynb  the executed notebooks
        results/<page>/         the CSV/JSON (and PNG) each notebook wrote

Parameter overrides (``params``: a dict or a YAML file) come in two forms
that can be mixed. A top-level ``name: value`` applies to every notebook that
declares ``name``; a top-level key naming a notebook (``02_indicator_trajectory``,
or just its number ``"02"``) holds overrides for that notebook only::

    n_paths: 20000            # every notebook that has n_paths
    seed: 1
    04_model_backtest:
      max_horizon: 3
    02_indicator_trajectory:
      fit_start: 2010

A name no notebook declares, or a value of the wrong type, is a
:class:`~plananalysis.errors.ParameterError` before anything runs.
``indicator``, ``results_dir`` and ``plan`` are set by the runner.

Settings (:class:`~plananalysis.settings.Settings`: ``as_of``, ``model``,
``n_paths``, ``seed``, ...) are one object for the whole report: the
``settings`` argument, with top-level settings names of ``params`` folded
into it, is passed to every notebook, so the index and every page come from
the same numbers. A setting under one notebook's key is an error.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import __version__, paths
from .errors import ParameterError, ReportError

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
}

_TYPES = {"int": (int,), "float": (int, float), "str": (str,), "bool": (bool,), "list": (list, tuple)}
_EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>\s*", re.IGNORECASE
)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*", re.IGNORECASE)
_MODULE_IMPORT = re.compile(
    r"<script\b[^>]*type\s*=\s*[\"']module[\"'][^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>\s*",
    re.IGNORECASE | re.DOTALL,
)
_CSS_IMPORT = re.compile(r"@import\s+url\(\s*[\"']?https?://[^)]*\)\s*;?", re.IGNORECASE)


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
    """Map a params key to a notebook stem if it names one (``"02"`` or the full stem)."""
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
    >>> decl = {"01_data_overview": {"lang": {"default": "'en'", "type": "str", "help": ""}}}
    >>> validate_params({"01": {"lang": "zh"}}, decl)
    ({}, {'01_data_overview': {'lang': 'zh'}})
    """
    problems: list[str] = []
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
                elif name not in declared[stem]:
                    _unknown(where, name, declared[stem], problems)
                else:
                    _check_value(where, name, val, declared[stem][name], problems)
                    per[stem][name] = val
            continue
        if key in RUNNER_PARAMETERS:
            problems.append(f"params: {key!r} cannot be set: {RUNNER_PARAMETERS[key]}")
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
               plan="") -> list[Page]:
    """Build the list of notebook executions with their final parameters.

    Parameters
    ----------
    notebooks_dir : Path
        Folder holding the four notebooks.
    settings : Settings
        Every field is passed to every notebook that declares it.
    glob, per : dict
        Validated overrides from :func:`validate_params`.
    declared : dict
        ``{notebook stem: declared parameters}``.
    indicators : list of str
        Targets that get a ``02_indicator_trajectory`` page.
    plan : str
        The plan bundle folder passed as ``plan`` ("" = the default bundle).

    Returns
    -------
    list of Page
    """
    pages = []
    for stem in NOTEBOOK_ORDER:
        decl = declared[stem]
        base = {k: v for k, v in glob.items() if k in decl}
        base.update(per.get(stem, {}))
        base.update({k: v for k, v in settings.to_dict().items() if k in decl})
        if "plan" in decl:
            base["plan"] = plan
        if "results_dir" in decl:
            base["results_dir"] = "."
        source = notebooks_dir / f"{stem}.ipynb"
        title = stem[3:].replace("_", " ").capitalize()
        if stem == PER_TARGET:
            for ind in indicators:
                pages.append(Page(f"{stem}-{ind}", stem, source, {**base, "indicator": ind}, f"{title}: {ind}"))
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
            return await super().start_kernel(**kw)

    return ReportKernelManager


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


def _run_pages(pages, build, kernel, timeout, jobs, progress, show_code=False) -> list[PageResult]:
    """Run every page (``jobs`` at a time) and export it to HTML; start no new page once one has failed."""
    stop = threading.Event()
    n = len(pages)
    width = max(len(p.name) for p in pages)
    results: dict[str, PageResult] = {}
    lock = threading.Lock()

    def run(page: Page) -> PageResult:
        if stop.is_set():
            return PageResult(page, status="cancelled")
        progress(f"running {page.name}", log_only=True)
        res = execute_page(page, build, kernel, timeout)
        if res.status == "failed":
            stop.set()
        else:
            try:
                export_html(build / "notebooks" / f"{page.name}.ipynb", build / f"{page.name}.html",
                            show_code=show_code, title=f"{page.title} · plananalysis", back_link="index.html")
            except Exception as exc:  # a broken output should not take the whole run down silently
                res.status = "failed"
                res.error = ReportError(f"exporting {page.name} to HTML failed: {type(exc).__name__}: {exc}",
                                        notebook=page.name, ename=type(exc).__name__, evalue=str(exc))
                stop.set()
        with lock:
            results[page.name] = res
            mark = {"ok": "ok", "failed": "FAILED"}[res.status]
            progress(f"[{len(results)}/{n}] {page.name:<{width}}  {mark:<6}  {res.duration:6.1f}s")
        return res

    # Start the slowest notebooks first (the backtest, then the overview and the
    # scorecard) so parallel runs finish together; results keep the page order.
    first = {"04_model_backtest": 0, "01_data_overview": 1, "03_target_scorecard": 2}
    order = sorted(pages, key=lambda p: first.get(p.notebook, 3))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = {r.page.name: r for r in pool.map(run, order)}
    return [done[p.name] for p in pages]


# --------------------------------------------------------------------------- HTML


def offline_html(text: str) -> str:
    """Drop every script, stylesheet or module import loaded from a URL.

    nbconvert's templates load require.js and MathJax from a CDN; the report
    must open offline, so those tags are removed (plots are embedded PNGs,
    so nothing the report shows depends on them).

    Examples
    --------
    >>> offline_html('<head><script src="https://cdn/x.js"></script><p>hi</p>')
    '<head><p>hi</p>'
    """
    text = _EXTERNAL_SCRIPT.sub("", text)
    text = _EXTERNAL_LINK.sub("", text)
    text = _MODULE_IMPORT.sub("", text)
    return _CSS_IMPORT.sub("", text)


def export_html(notebook: Path, target: Path, show_code: bool = False, title: str | None = None,
                back_link: str | None = None) -> Path:
    """Export an executed notebook to one self-contained HTML file.

    Parameters
    ----------
    notebook : Path
        Executed ``.ipynb``.
    target : Path
        The ``.html`` to write.
    show_code : bool
        Show input cells (hidden by default; outputs and markdown are always shown).
    title : str, optional
        The page title.
    back_link : str, optional
        Relative URL of the report index; adds a link to it at the top of the page.

    Returns
    -------
    Path
        ``target``.
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = not show_code
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title or notebook.stem}})
    body = offline_html(body)
    if back_link:
        nav = (f'<nav style="padding:6px 12px;font-family:sans-serif;font-size:14px">'
               f'<a href="{html.escape(back_link)}">&larr; report index</a></nav>')
        body = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    target.write_text(body, encoding="utf-8")
    return target


_INDEX_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans CJK SC",sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:0.92em;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;
text-align:left}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.meta{color:#555;font-size:0.9em}.status-met,.status-on-track{background:#e3f4e1}
.status-at-risk{background:#fff4d6}.status-off-track,.status-not-met{background:#fbe0de}
.status-insufficient-data{background:#eee}img{max-width:100%}
"""

_INDEX_COLUMNS = [
    ("name_en", "Target"), ("target", "Target value"), ("target_year", "Year"),
    ("latest_year", "Latest year"), ("latest_value", "Latest value"), ("status_label", "Status"),
    ("p_meet", "P(meet)"), ("projected_median", "Projected median"),
    ("projected_lo80", "80% low"), ("projected_hi80", "80% high"), ("progress_band", "Progress band"),
]


def _fmt(value) -> str:
    import pandas as pd

    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"
    return str(value)


def _scorecard_table(scorecard, pages) -> str:
    """HTML table of the scorecard with links to each target's trajectory page."""
    links = {p.parameters.get("indicator"): f"{p.name}.html" for p in pages if p.notebook == PER_TARGET}
    cols = [(c, label) for c, label in _INDEX_COLUMNS if c in scorecard.columns]
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label in cols)
    rows = []
    for _, row in scorecard.iterrows():
        status = str(row.get("status", ""))
        cells = []
        for col, _ in cols:
            value = row[col]
            text = html.escape(_fmt(value))
            if col == "p_meet" and isinstance(value, float) and value == value:
                text = f"{value:.4g}"
            if col == "target" and "comparator" in row:
                text = html.escape(f"{row['comparator']} {_fmt(value)} {row.get('unit', '') or ''}".strip())
            if col == "name_en":
                ind = row.get("indicator")
                text = f'<a href="{links[ind]}">{text}</a>' if ind in links else text
            num = ' class="num"' if isinstance(value, (int, float)) and col != "target_year" else ""
            cells.append(f"<td{num}>{text}</td>")
        cls = "status-" + re.sub(r"[^a-z]+", "-", status.lower()).strip("-")
        rows.append(f'<tr class="{cls}">' + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def write_index(build: Path, scorecard, results: list[PageResult], meta: dict) -> Path:
    """Write ``index.html``: scorecard table, chart, links to every page and run metadata."""
    chart = build / "results" / SCORECARD_NOTEBOOK / "scorecard.png"
    img = ""
    if chart.is_file():
        data = base64.b64encode(chart.read_bytes()).decode("ascii")
        img = f'<p><img alt="Scorecard chart" src="data:image/png;base64,{data}"></p>'
    items = "".join(
        f'<li><a href="{r.page.name}.html">{html.escape(r.page.title)}</a> '
        f'<span class="meta">({r.page.name}, {r.duration:.1f}s, '
        f'<a href="notebooks/{r.page.name}.ipynb">notebook</a>, '
        f'<a href="results/{r.page.name}/">results</a>)</span></li>'
        for r in results
    )
    as_of = meta["as_of"] if meta["as_of"] is not None else f"all data (latest year {meta['latest_year']})"
    text = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>plananalysis report ({html.escape(str(as_of))})</title>
<style>{_INDEX_CSS}</style></head><body>
<h1>{html.escape(meta.get('title', ''))}: target scorecard</h1>
<p class="meta">Data as of: <b>{html.escape(str(as_of))}</b> · generated {html.escape(meta['generated'])}
· plananalysis {html.escape(__version__)} · kernel {html.escape(meta['kernel'])}
· parameter overrides: {html.escape(json.dumps(meta['overrides'], ensure_ascii=False, default=str)) if meta['overrides'] else 'none (notebook defaults)'}</p>
<p>One row per target of the plan. <i>P(meet)</i> is the probability that the target is met (see the
scorecard page for the method); <i>status</i> is the final outcome when the target year is observed, otherwise
on track (P ≥ {meta['settings']['on_track']:g}), at risk (P ≥ {meta['settings']['at_risk']:g}) or off track,
or "outcome pending publication" when the target year is past but not yet in the data. Click a target for its trajectory.
The same table is in <a href="scorecard.csv">scorecard.csv</a>; versions, parameters and data checksums in
<a href="manifest.json">manifest.json</a>.</p>
{_scorecard_table(scorecard, [r.page for r in results])}
{img}
<h2>Pages</h2><ul>{items}</ul>
</body></html>
"""
    path = build / "index.html"
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- manifest


def data_checksums(files) -> dict:
    """SHA-256 of each file, keyed by file name.

    Examples
    --------
    >>> from plananalysis.bundle import load_plan
    >>> "plan.yaml" in data_checksums(load_plan().files())
    True
    """
    return {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in files}


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
        "plan": meta.get("plan_id"),
        "settings": meta.get("settings"),
        "data_sha256": meta["checksums"],
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


# --------------------------------------------------------------------------- publishing


def publish(build: Path, out: Path) -> Path:
    """Move a finished build folder to ``out`` atomically.

    If ``out`` exists it is renamed aside, the build renamed into place, then the
    old folder deleted; readers see either the old or the new report, never a mix.
    """
    out = Path(out)
    old = None
    if out.exists() or out.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    try:
        os.replace(build, out)
    except OSError:
        if old is not None:
            os.replace(old / out.name, out)
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
    os.symlink(out.name, tmp)
    os.replace(tmp, link)
    return link


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
    targets=None, series=None,
) -> Path:
    """Execute every notebook with papermill and publish an offline HTML report.

    Parameters
    ----------
    as_of : int, optional
        Shorthand for ``settings.replace(as_of=...)``. Default: the settings' (all data).
    out : str or Path, optional
        The report folder. Default ``reports/<as_of or latest data year>/``.
    params : dict, str or Path, optional
        Parameter overrides or a YAML file of them: ``{name: value}`` for every notebook
        declaring ``name``, and/or ``{"02_indicator_trajectory": {name: value}}`` for one
        notebook (see the module docstring).
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
        The plan bundle (default: the default bundle).
    settings : Settings, optional
        One set of settings for every notebook (default: the package defaults).
    targets, series : str or Path, optional
        A targets table and a statistics table instead of a bundle: a bundle
        is written from them into the report (``plan/``) and analysed.

    Returns
    -------
    Path
        The published report folder.

    Raises
    ------
    ParameterError
        Unknown or wrongly typed parameters, bad ``jobs``/``timeout`` (nothing has run).
    DataError
        The bundled data fail to load (nothing has run).
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
    from .bundle import write_bundle
    from .settings import DEFAULTS, Settings
    from .study import study

    t0 = time.perf_counter()
    started = _now()
    if not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs: expected a positive integer, got {jobs!r}")
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ParameterError(f"timeout: expected a positive number of seconds, got {timeout!r}")
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS).absolute()
    missing = [s for s in NOTEBOOK_ORDER if not (notebooks_dir / f"{s}.ipynb").is_file()]
    if missing:
        raise ReportError(f"notebooks missing in {notebooks_dir}: {', '.join(s + '.ipynb' for s in missing)}")
    overrides = load_params(params)
    declared = {s: declared_parameters(notebooks_dir / f"{s}.ipynb") for s in NOTEBOOK_ORDER}
    glob, per = validate_params(overrides, declared)
    for stem, values in per.items():
        clash = sorted(set(values) & set(Settings.names()))
        if clash:
            raise ParameterError(f"params: {stem}: {', '.join(clash)} is a setting and applies to every "
                                 "notebook (so the index and every page agree); set it at the top level")
    settings = DEFAULTS if settings is None else settings
    from_params = {k: glob.pop(k) for k in list(glob) if k in Settings.names()}
    settings = Settings.from_mapping(from_params, source="params", base=settings)
    if as_of is not None:
        settings = settings.replace(as_of=as_of)
    _check_kernel(kernel)
    if (targets is None) != (series is None):
        raise ParameterError("targets and series go together (or give plan)")
    st = study(plan, settings, targets=targets, series=series)
    settings = st.settings
    latest = _latest_year(st.statistics)
    as_of = settings.as_of
    out = Path(out) if out is not None else Path(paths.REPORTS) / str(as_of if as_of is not None else latest)
    out = out.absolute()
    _check_replaceable(out)
    checksums = data_checksums(st.plan.files() if st.plan is not None else [targets, series])

    out.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    os.chmod(build, 0o777 & ~_umask())  # mkdtemp makes it private; a published report is not
    (build / "notebooks").mkdir()
    plan_dir = "" if st.plan is not None and st.plan.is_default else str(st.plan.root) if st.plan else ""
    if st.plan is None:  # two tables: the report carries the bundle written from them
        plan_dir = str(write_bundle(build / "plan", targets, series).parent)
    pages = plan_pages(notebooks_dir, settings, glob, per, declared, _targets_with_series(st.targets), plan_dir)
    say = _Progress(progress)
    say(f"running {len(pages)} notebooks on kernel {kernel!r} with {jobs} job(s) -> {out}")
    try:
        results = _run_pages(pages, build, kernel, timeout, jobs, say, show_code)
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
        meta = {
            "as_of": as_of, "latest_year": latest, "generated": _now(), "kernel": kernel, "started": started,
            "jobs": jobs, "show_code": show_code, "checksums": checksums, "overrides": overrides,
            "settings": settings.to_dict(), "plan_id": st.plan_id, "title": st.title(),
        }
        write_index(build, scorecard, results, meta)
        meta.update(finished=_now(), duration=time.perf_counter() - t0)
        write_manifest(build, results, declared, meta)
        publish(build, out)
    except BaseException:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)
        raise
    update_latest(out)
    total = sum(r.duration for r in results)
    say(f"published {out} ({len(results)} notebooks, {time.perf_counter() - t0:.1f}s wall, "
        f"{total:.1f}s in notebooks)")
    return out


def _collect_scorecard(build: Path):
    """Copy notebook 03's ``scorecard.csv`` (bytes unchanged) to the report root and read it."""
    import pandas as pd

    src = build / "results" / SCORECARD_NOTEBOOK / "scorecard.csv"
    if not src.is_file():
        raise ReportError(f"{SCORECARD_NOTEBOOK} did not write scorecard.csv into its results folder")
    shutil.copyfile(src, build / "scorecard.csv")
    return pd.read_csv(src, keep_default_na=False, na_values=[""])
