"""What a report records about itself, and what it must not: ``manifest.json`` and path scrubbing.

* :func:`data_checksums` — SHA-256 of the plan bundle's files.
* :func:`write_manifest` — versions, settings, parameters, checksums, timings
  and the status of every page.
* :func:`path_scrubber` / :func:`scrub_tree` — no published file holds an
  absolute path of the build machine: paths of the build folder, the output
  folder and the checkout become relative ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from pathlib import Path

from .. import __version__, paths
from .pages import PageResult

__all__ = ["data_checksums", "write_manifest", "path_scrubber", "scrub_tree", "relative_name"]


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
        "data_dir": meta.get("data_dir") or relative_name(paths.DEFAULT_PLAN_DIR),
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


def relative_name(folder) -> str:
    """``folder`` relative to the checkout when inside it, else only its name (no machine paths).

    Examples
    --------
    >>> relative_name(paths.ROOT / "data" / "raw")
    'data/raw'
    >>> relative_name("/somewhere/else/stats")
    'stats'
    """
    folder = Path(folder).absolute()
    try:
        return folder.relative_to(Path(paths.ROOT).absolute()).as_posix()
    except ValueError:
        return folder.name
