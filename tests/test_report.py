"""Report runner: parameters, offline HTML, atomic publish, end to end and failure paths.

Kernel start-up dominates the time, so the end-to-end report is built once
(module fixture, ``jobs=2``, small ``n_paths``) and every assertion reuses it;
the failure paths run at most one notebook each.
"""

from __future__ import annotations

import doctest
import filecmp
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from plananalysis import __version__, paths, report
from plananalysis.bundle import load_plan
from plananalysis.cli import main
from plananalysis.errors import ParameterError, ReportError
from plananalysis.spreadsheet import PROBABILITY_FORMAT
from plananalysis.report import (
    declared_parameters, load_params, offline_html, publish, run_report, update_latest, validate_params,
)

FIXTURES = Path(__file__).parent / "fixtures" / "broken_notebooks"
N_PATHS = 200
SEED = 3  # not the default: the report's one Settings must reach every page
SMALL = {"n_paths": N_PATHS, "seed": SEED, "04_model_backtest": {"max_horizon": 2}, "05_calibration": {"n_boot": 100}}
#: The float format notebook 03 writes scorecard.csv with.
FLOAT_FORMAT = "%.6g"
EXTERNAL = re.compile(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.IGNORECASE)


def assess(**kw):
    from plananalysis.api import assess as _assess

    return _assess(**kw).to_frame()


def _same_tree(a: Path, b: Path) -> bool:
    """True when two folders hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(_same_tree(a / d, b / d) for d in cmp.common_dirs)


@pytest.fixture(scope="module")
def declared():
    return {s: declared_parameters(paths.NOTEBOOKS / f"{s}.ipynb") for s in report.NOTEBOOK_ORDER}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One full report (every notebook, jobs=2) into a temporary folder."""
    out = tmp_path_factory.mktemp("reports") / "weekly"
    lines: list[str] = []
    path = run_report(out=out, params=SMALL, jobs=2, progress=lines.append)
    return path, lines


@pytest.fixture(scope="module")
def expected_pages():
    targets = load_plan().targets()
    with_series = targets.loc[targets["series"].fillna("").str.strip().ne(""), "indicator"]
    return (["01_data_overview"] + [f"02_indicator_trajectory-{i}" for i in with_series]
            + ["03_target_scorecard", "04_model_backtest", "05_calibration"])


# --------------------------------------------------------------------------- end to end


def test_report_has_every_page_and_file(published, expected_pages):
    out, _ = published
    assert out.is_dir() and not any(p.name.startswith(".") for p in out.parent.iterdir())
    for name in ["index.html", "scorecard.csv", "manifest.json"]:
        assert (out / name).is_file(), name
    for page in expected_pages:
        assert (out / f"{page}.html").stat().st_size > 10_000, page
        assert (out / "notebooks" / f"{page}.ipynb").is_file(), page
    assert len(expected_pages) == 4 + 4  # four targets, each with a series
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask  # not mkdtemp's private 0700


def test_html_opens_offline(published):
    out, _ = published
    pages = sorted(out.glob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), page.name
        assert '<script src="http' not in text and '<link href="http' not in text
        assert "@import url(http" not in text
    trajectory = (out / "02_indicator_trajectory-enrollment.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in trajectory  # figures embedded, not linked
    assert '<a href="index.html">' in trajectory  # way back to the index


def test_executed_notebooks_have_no_warnings_or_errors(published):
    import nbformat

    out, _ = published
    for path in sorted((out / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for i, cell in enumerate(nb.cells):
            for o in cell.get("outputs", []):
                assert o["output_type"] != "error", f"{path.name} cell {i}"
                assert not (o["output_type"] == "stream" and o["name"] == "stderr"), (
                    f"{path.name} cell {i} wrote to stderr: {o['text'][:300]}")


def test_code_hidden_by_default_and_shown_on_request(published, tmp_path):
    out, _ = published
    hidden = (out / "01_data_overview.html").read_text(encoding="utf-8")
    assert "load_plan" not in hidden
    shown = report.export_html(out / "notebooks" / "01_data_overview.ipynb", tmp_path / "p.html", show_code=True)
    assert "load_plan" in shown.read_text(encoding="utf-8")


def test_pages_explain_in_the_report_language_only(published, tmp_path):
    out, _ = published
    nb = json.loads((out / "notebooks" / "01_data_overview.ipynb").read_text(encoding="utf-8"))
    first_line = {}
    for cell in nb["cells"]:
        for tag in cell["metadata"].get("tags", []):
            if tag in ("lang-en", "lang-zh") and cell["cell_type"] == "markdown":
                first_line.setdefault(tag, "".join(cell["source"]).splitlines()[0].lstrip("# ").strip())
    assert set(first_line) == {"lang-en", "lang-zh"}
    en = (out / "01_data_overview.html").read_text(encoding="utf-8")  # the published report is English
    zh = report.export_html(out / "notebooks" / "01_data_overview.ipynb", tmp_path / "zh.html",
                            lang="zh").read_text(encoding="utf-8")
    text = {k: html.unescape(re.sub(r"<[^>]+>", " ", v)) for k, v in (("en", en), ("zh", zh))}
    assert first_line["lang-en"] in text["en"] and first_line["lang-zh"] not in text["en"]
    assert first_line["lang-zh"] in text["zh"] and first_line["lang-en"] not in text["zh"]


def test_published_pages_show_missing_values_as_a_dash(published):
    out, _ = published
    for page in sorted(out.glob("*.html")):
        text = re.sub(r"<style.*?</style>|<img[^>]*>", " ", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        visible = html.unescape(re.sub(r"<[^>]+>", " ", text))
        for raw in (r"\bNaN\b", r"<NA>", r"\bnan\b"):
            hit = re.search(raw, visible)
            assert hit is None, f"{page.name}: {raw} in ...{visible[max(0, hit.start() - 80):hit.end() + 20]}..."


def test_scorecard_equals_assess_byte_for_byte(published):
    out, _ = published
    expected = assess(n_paths=N_PATHS, seed=SEED).to_csv(index=False, float_format=FLOAT_FORMAT)
    assert (out / "scorecard.csv").read_text(encoding="utf-8") == expected
    assert (out / "scorecard.csv").read_bytes() == (out / "results" / "03_target_scorecard" / "scorecard.csv").read_bytes()


def test_every_page_shows_the_index_numbers_under_a_settings_override(published, expected_pages):
    """One Settings per report: each target's page has the scorecard's numbers (seed 3, n_paths 200 here)."""
    out, _ = published
    card = pd.read_csv(out / "scorecard.csv").set_index("indicator")
    for page in expected_pages:
        if not page.startswith("02_"):
            continue
        row = json.loads((out / "results" / page / "assessment.json").read_text(encoding="utf-8"))
        expected = card.loc[row["indicator"]]
        assert row["status"] == expected["status"], page
        for col in ("p_meet", "p_trend", "projected_median", "n_obs"):
            if pd.isna(expected[col]):
                assert row[col] is None, (page, col)
            else:
                assert row[col] == pytest.approx(expected[col], rel=1e-5), (page, col)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"]["seed"] == SEED and manifest["settings"]["n_paths"] == N_PATHS
    for nb in manifest["notebooks"]:
        if "seed" in nb["defaults"]:
            assert nb["parameters"]["seed"] == SEED, nb["page"]


def test_index_links_every_page_and_shows_scorecard(published, expected_pages):
    out, _ = published
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in expected_pages:
        assert f'href="{page}.html"' in index
    scorecard = pd.read_csv(out / "scorecard.csv")
    for name in scorecard["name_en"]:
        assert name in index
    shown = {"coin toss"} | set(scorecard["status_label"])
    found = set(re.findall(r'<span class="st st-\w+">([^<]+)</span>', index))
    assert len(re.findall(r'<span class="st st-', index)) == len(scorecard) and found <= shown
    assert __version__ in index and "generated" in index
    assert '"n_paths": 200' in index  # the overrides used
    assert load_plan().title_en in index
    assert not EXTERNAL.search(index)


def test_manifest_records_versions_parameters_checksums(published, expected_pages):
    out, _ = published
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == __version__
    assert manifest["python"] == ".".join(map(str, sys.version_info[:3]))
    assert manifest["papermill"] and manifest["kernel"] == "plananalysis"
    assert manifest["started"] <= manifest["finished"]
    expected_sums = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in load_plan().files()}
    assert manifest["data_sha256"] == expected_sums
    assert [nb["page"] for nb in manifest["notebooks"]] == expected_pages
    for nb in manifest["notebooks"]:
        assert nb["status"] == "ok" and nb["duration_seconds"] > 0
        assert nb["parameters"]["results_dir"] == "."
        if "n_paths" in nb["defaults"]:
            assert nb["parameters"]["n_paths"] == N_PATHS
    by_page = {nb["page"]: nb for nb in manifest["notebooks"]}
    assert by_page["04_model_backtest"]["parameters"]["max_horizon"] == 2
    assert by_page["02_indicator_trajectory-employment_rate"]["parameters"]["indicator"] == "employment_rate"


def test_progress_one_line_per_notebook(published, expected_pages):
    _, lines = published
    done = [line for line in lines if re.match(r"\[\d+/\d+\] ", line)]
    assert len(done) == len(expected_pages)
    assert all(re.search(r"\bok\s+\d+\.\ds$", line) for line in done)
    assert lines[-1].startswith("published ")


class _Stream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_progress_terminal_lines_and_plain_log_lines(tty):
    stream = _Stream(tty)
    say = report.Progress(None, stream=stream)
    say("running 01_data_overview", log_only=True)
    say("[1/7] 01_data_overview  ok        4.2s")
    lines = stream.getvalue().splitlines()
    if tty:  # one line per finished notebook, no start lines, no timestamps
        assert lines == ["[1/7] 01_data_overview  ok        4.2s"]
    else:  # timestamped log lines, start lines included
        assert len(lines) == 2
        assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d plananalysis.report: ", ln) for ln in lines)
    quiet = _Stream(tty)
    report.Progress(False, stream=quiet)("anything")
    assert quiet.getvalue() == ""


def test_module_docstring_examples():
    assert doctest.testmod(report).failed == 0


# --------------------------------------------------------------------------- parameters


def test_mistyped_parameter_fails_before_anything_runs(tmp_path):
    with pytest.raises(ParameterError, match=r"'n_path'.*did you mean 'n_paths'"):
        run_report(out=tmp_path / "r", params={"n_path": 200}, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_as_of_before_the_data_fails_before_anything_runs(tmp_path):
    with pytest.raises(ParameterError, match=r"as_of=1990 is before the first observation"):
        run_report(as_of=1990, out=tmp_path / "r", progress=False)
    with pytest.raises(ParameterError, match=r"as_of must be a four-digit year"):
        run_report(as_of="2022", out=tmp_path / "r", progress=False)
    assert list(tmp_path.iterdir()) == []


def test_params_file_global_and_per_notebook(tmp_path, declared):
    f = tmp_path / "p.yaml"
    from plananalysis import Settings

    f.write_text("seed: 3\n04:\n  max_horizon: 2\n", encoding="utf-8")  # 04 unquoted: YAML reads the int 4
    glob, per = validate_params(load_params(f), declared)
    assert glob == {"seed": 3}
    assert per == {"04_model_backtest": {"max_horizon": 2}}
    settings = Settings(seed=3, as_of=2022)
    pages = report.plan_pages(paths.NOTEBOOKS, settings, {}, per, declared, ["enrollment"], plan="")
    by_name = {p.name: p.parameters for p in pages}
    assert by_name["02_indicator_trajectory-enrollment"] == {
        **settings.to_dict(), "plan": "", "results_dir": ".", "indicator": "enrollment"}
    assert by_name["04_model_backtest"]["max_horizon"] == 2
    assert "seed" not in by_name["01_data_overview"] and by_name["01_data_overview"]["as_of"] == 2022


def test_a_fit_window_after_the_data_fails_before_anything_runs(tmp_path):
    with pytest.raises(ParameterError, match="fit_start=2030 is after the last observation"):
        run_report(out=tmp_path / "r", params={"fit_start": 2030}, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_a_setting_under_one_notebook_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="fit_start is a setting and applies to every notebook"):
        run_report(out=tmp_path / "r", params={"02": {"fit_start": 2010}}, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("overrides, message", [
    ({"n_paths": "many"}, r"'n_paths' expects int"),
    ({"02_indicator_trajectory": {"fit_strat": 2010}}, r"did you mean 'fit_start'"),
    ({"04_model_backtset": {"max_horizon": 2}}, r"did you mean '04_model_backtest'"),
    ({"indicator": "enrollment"}, r"runs once per target"),
    ({"03": {"as_of": 2022}}, r"cannot be set per notebook"),
    ({"02": {"fit_start": 2010}}, r"fit_start is a setting and applies to every notebook"),
    ({7: {"seed": 1}}, r"7 names no notebook of this report"),
    ({"plan": "x"}, r"--plan"),
    ({"lang": "en", "seeed": 1}, r"'seeed'.*did you mean 'seed'"),
])
def test_bad_parameters_are_named(declared, overrides, message):
    with pytest.raises(ParameterError, match=message):
        validate_params(overrides, declared)


def test_params_file_must_be_a_mapping(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("- n_paths\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="mapping"):
        load_params(f)
    with pytest.raises(ParameterError, match="not found"):
        load_params(tmp_path / "missing.yaml")


def test_missing_kernel_says_how_to_install(tmp_path):
    with pytest.raises(ReportError, match=r"ipykernel install --sys-prefix --name no-such-kernel"):
        run_report(out=tmp_path / "r", kernel="no-such-kernel", progress=False)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- publishing


def test_offline_html_strips_remote_scripts_and_styles():
    page = ('<head><script src="https://cdn.x/require.js"></script>'
            "<link rel=\"stylesheet\" href='http://cdn.x/a.css'>"
            '<script type="module">import m from "https://cdn.x/mermaid.mjs";</script>'
            "<style>@import url(https://fonts.x/css);p{}</style>"
            '<script>var local = 1;</script></head>')
    cleaned = offline_html(page)
    assert "http" not in cleaned
    assert "<script>var local = 1;</script>" in cleaned and "p{}" in cleaned


def test_publish_replaces_existing_folder(tmp_path):
    out = tmp_path / "2024"
    out.mkdir()
    (out / "old.txt").write_text("old")
    build = tmp_path / ".2024.tmp-x"
    build.mkdir()
    (build / "new.txt").write_text("new")
    publish(build, out)
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024"]


def test_refuses_to_replace_a_folder_that_is_not_a_report(tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.txt").write_text("precious")
    with pytest.raises(ReportError, match="not a plananalysis report"):
        run_report(out=out, progress=False)
    assert (out / "thesis.txt").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


def test_latest_symlink_replaced_atomically(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REPORTS", tmp_path)
    for name in ["2023", "2024"]:
        (tmp_path / name).mkdir()
        link = update_latest(tmp_path / name)
        assert link.is_symlink() and os.readlink(link) == name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023", "2024", "latest"]
    assert update_latest(tmp_path / "2024" / "nested") is None  # outside reports/: left alone


# --------------------------------------------------------------------------- failure paths


def test_failing_cell_names_notebook_and_keeps_previous_report(published, tmp_path):
    previous = tmp_path / "reports" / "2024"
    shutil.copytree(published[0], previous)
    with pytest.raises(ReportError) as info:
        run_report(out=previous, notebooks_dir=FIXTURES, jobs=1, progress=False)
    err = info.value
    assert err.notebook == "04_model_backtest" and err.ename == "ValueError"
    assert err.cell_index == 4  # markdown, parameters, injected parameters, print, raise
    assert "04_model_backtest" in str(err) and "cell 4" in str(err) and "deliberate failure" in str(err)
    assert "raise ValueError" in str(err)  # the failing cell's first line
    assert _same_tree(published[0], previous)  # previous report untouched, byte for byte
    kept = err.failed_dir / "notebooks" / "04_model_backtest.ipynb"
    assert kept.is_file() and "deliberate failure" in kept.read_text(encoding="utf-8")
    assert err.failed_dir.parent == previous.parent / "_failed"
    assert sorted(p.name for p in previous.parent.iterdir()) == ["2024", "_failed"]
    assert sorted(p.name for p in (err.failed_dir / "notebooks").iterdir()) == ["04_model_backtest.ipynb"]  # nothing else ran


@pytest.mark.slow
def test_a_page_that_fails_to_export_fails_the_run_and_publishes_nothing(tmp_path, monkeypatch):
    from plananalysis.report import execute

    real = execute.export_html

    def broken(notebook, target, **kw):
        if target.name == "03_target_scorecard.html":
            raise ValueError("unexportable output")
        return real(notebook, target, **kw)

    monkeypatch.setattr(execute, "export_html", broken)
    out = tmp_path / "reports" / "r"
    with pytest.raises(ReportError, match="exporting 03_target_scorecard to HTML failed: ValueError: "
                                          "unexportable output") as info:
        run_report(out=out, notebooks_dir=TINY, jobs=2, progress=False)
    assert info.value.notebook == "03_target_scorecard"
    assert not out.exists() and sorted(p.name for p in out.parent.iterdir()) == ["_failed"]


@pytest.mark.slow
def test_a_run_leaves_no_unclosed_event_loop_behind(tmp_path):
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        run_report(out=tmp_path / "r", notebooks_dir=TINY, jobs=2, progress=False)
        gc.collect()
    leaks = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == []


def test_corrupted_data_file_cli_exits_nonzero(tmp_path):
    root = tmp_path / "checkout"
    shutil.copytree(paths.DEFAULT_PLAN_DIR, root / "data" / "raw")
    (root / "notebooks").symlink_to(paths.NOTEBOOKS)
    previous = root / "reports" / "2024"
    previous.mkdir(parents=True)
    (previous / "index.html").write_text("<p>previous report</p>", encoding="utf-8")
    stats = root / "data" / "raw" / "technical_schools_statistics.csv"
    stats.chmod(0o644)
    lines = stats.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace(",2010,421,", ",2010,four hundred,", 1)
    stats.write_text("".join(lines), encoding="utf-8")
    env = {**os.environ, "PLANANALYSIS_ROOT": str(root)}
    proc = subprocess.run([sys.executable, "-m", "plananalysis.cli", "report"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "plananalysis report: error:" in proc.stderr and "technical_schools_statistics.csv" in proc.stderr
    assert "four hundred" in proc.stderr
    assert sorted(p.name for p in (root / "reports").iterdir()) == ["2024"]
    assert (previous / "index.html").read_text(encoding="utf-8") == "<p>previous report</p>"


def test_cli_report_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for option in ["--as-of", "--out", "--params", "--jobs", "--timeout", "--show-code", "--kernel", "--executor",
                   "--targets", "--series", "--plan"]:
        assert option in text


def test_cli_bad_params_exit_code(tmp_path, capsys):
    f = tmp_path / "p.yaml"
    f.write_text("n_pahts: 10\n", encoding="utf-8")
    assert main(["report", "--params", str(f), "--out", str(tmp_path / "r")]) == 1
    assert "did you mean 'n_paths'" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()
    assert main(["report", "--executor", "spark", "--out", str(tmp_path / "r")]) == 1
    assert "executor 'spark' is not known; expected threads, inline, process" in capsys.readouterr().err


# --------------------------------------------------------------------------- readable, movable, spreadsheet


def test_pages_have_viewport_and_no_build_machine_paths(published):
    out, _ = published
    forbidden = {str(out), str(out.resolve()), str(paths.ROOT), f".{out.name}.tmp-"}
    checked = 0
    for f in out.rglob("*"):
        if not f.is_file() or f.suffix in (".png", ".xlsx"):
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        for bad in forbidden:
            assert bad not in text, f"{f.relative_to(out)} contains {bad!r}"
        checked += 1
    assert checked > 30
    viewport = re.compile(r'<meta (?=[^>]*name="viewport")(?=[^>]*content="width=device-width, initial-scale=1)')
    for page in out.glob("*.html"):
        assert viewport.search(page.read_text("utf-8")), page.name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_dir"] == "data/raw"


def test_index_numbers_are_readable(published):
    out, _ = published
    index = (out / "index.html").read_text(encoding="utf-8")
    table = index[index.index('<table class="scorecard"'):index.index("</table>")]
    assert table.count("<tr>") == 1 + len(pd.read_csv(out / "scorecard.csv"))
    for raw in ("nan", "NaN", "<NA>", "2,021.0", "2024.0", "0.9953", "360.0"):
        assert raw not in table, raw
    assert re.search(r"\d+\.\d%|[<>] (99\.9|0\.1)%", table)  # P(meet) as a percentage
    assert "(2024)" in table and "≥ 360 万人" in table  # years as integers, counts without fake decimals; the comparator as read (以上)
    assert "scorecard.xlsx" in index and "reports/latest" not in index


def test_spreadsheet_has_scorecard_vintages_sources(published):
    import openpyxl

    out, _ = published
    wb = openpyxl.load_workbook(out / "scorecard.xlsx")
    assert wb.sheetnames == ["scorecard", "vintages", "sources"]
    ws = wb["scorecard"]
    header = [c.value for c in ws[2]]  # row 1: readable headers; row 2 (hidden): the machine names
    p = header.index("p_meet") + 1
    assert ws.freeze_panes == "A3" and ws.cell(1, 1).font.bold and ws.row_dimensions[2].hidden
    assert ws.cell(1, p).value == "P(meet)"
    assert ws.cell(3, p).number_format == PROBABILITY_FORMAT and isinstance(ws.cell(3, p).value, (int, float))
    assert ws.max_row == 2 + len(pd.read_csv(out / "scorecard.csv"))
    assert ws.cell(3, 1).hyperlink.target.startswith("02_indicator_trajectory-")
    src = wb["sources"]
    head = [c.value for c in src[2]]
    links = [src.cell(i, head.index("source_title") + 1).hyperlink for i in range(3, src.max_row + 1)]
    assert sum(link is not None for link in links) >= 0.8 * len(links) > 10
    assert "quote" in head


def test_sources_are_links_with_quotes(published):
    out, _ = published
    index = (out / "index.html").read_text(encoding="utf-8")
    sources = index[index.index('<table class="sources"'):]
    assert sources.count('<a href="http') > 10 and 'rel="noopener noreferrer"' in sources
    assert re.search(r'<td title="[^"]{10,}">', sources)  # the quote on hover


# --------------------------------------------------------------------------- latest, settings, Chinese

TINY = Path(__file__).parent / "fixtures" / "tiny_notebooks"


@pytest.mark.slow
def test_what_if_does_not_move_latest_unless_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REPORTS", tmp_path)
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "manifest.json").write_text("{}")
    update_latest(tmp_path / "2024")
    lines: list[str] = []
    out = run_report(as_of=2021, notebooks_dir=TINY, jobs=2, progress=lines.append)
    assert out == tmp_path / "2021" and (out / "index.html").is_file()
    assert os.readlink(tmp_path / "latest") == "2024"  # the what-if left latest alone
    assert lines[-1].endswith("reports/latest left as it was")
    assert json.loads((out / "manifest.json").read_text())["latest_moved"] is False
    run_report(as_of=2021, notebooks_dir=TINY, jobs=2, progress=False, latest=True)
    assert os.readlink(tmp_path / "latest") == "2021"  # asked for
    with pytest.raises(ParameterError, match="latest: expected True, False or None"):
        run_report(notebooks_dir=TINY, latest="yes", progress=False)


@pytest.mark.slow
def test_settings_and_plan_reach_every_notebook_in_chinese(tmp_path):
    from plananalysis.settings import Settings

    settings = Settings(n_paths=60, seed=2, lang="zh")
    out = run_report(out=tmp_path / "zh", notebooks_dir=TINY, jobs=2, progress=False, settings=settings)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["settings"] == settings.to_dict() and manifest["lang"] == "zh"
    for nb in manifest["notebooks"]:
        assert {k: nb["parameters"][k] for k in ("n_paths", "seed", "lang", "as_of")} == {
            "n_paths": 60, "seed": 2, "lang": "zh", "as_of": None}
    expected = assess(n_paths=60, seed=2).to_csv(index=False, float_format=FLOAT_FORMAT)
    assert (out / "scorecard.csv").read_text(encoding="utf-8") == expected
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in index
    for word in ("目标值", "最新值", "达成概率", "状态", "数据截至", "在校生规模"):
        assert word in index, word
    assert re.search(r'class="st st-\w+">(进展顺利|有风险|偏离目标|数据不足|难下定论|已实现|未实现)<', index)
    visible = re.sub(r"<[^>]+>", " ", index)  # text only (a note on hover may quote the engine's English)
    assert "on track" not in visible and "insufficient data" not in visible
    page = (out / "02_indicator_trajectory-enrollment.html").read_text(encoding="utf-8")
    assert "报告首页" in page and '<html lang="zh-Hans">' in page
    with pytest.raises(ParameterError, match="lang: expected one of en, zh"):
        run_report(notebooks_dir=TINY, lang="fr", progress=False)


ASSESSING = ("02_indicator_trajectory", "03_target_scorecard", "04_model_backtest")


def test_every_assessing_notebook_declares_plan_and_every_setting(declared):
    from plananalysis.settings import Settings

    for stem in ASSESSING:
        missing = [n for n in ("plan",) + Settings.names() if n not in declared[stem]]
        assert not missing, f"{stem} does not declare {missing}"


def test_trajectory_page_links_every_figure_to_its_source(published):
    out, _ = published
    page = (out / "02_indicator_trajectory-enrollment.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="sources"'):]
    table = table[:table.index("</table>")]
    history = pd.read_csv(out / "results" / "02_indicator_trajectory-enrollment" / "history.csv")
    assert table.count("<tr>") == 1 + len(history)
    assert table.count('<a href="http') >= 0.8 * len(history)
    assert "321.00" not in table and "321 万人" in table  # no fake decimals


# --------------------------------------------------------------------------- a plan the package has never seen

#: The default plan's target ids: none may appear in a report on another plan.
DEFAULT_IDS = re.compile(r"\b(enrollment|employment_rate|high_skill_trained|skills_training)\b")


@pytest.fixture(scope="module")
def other_tables(tmp_path_factory):
    """Two tables of a plan whose ids differ from the default plan's: two series of its data, renamed."""
    folder = tmp_path_factory.mktemp("other_plan")
    stats = pd.read_csv(paths.DEFAULT_PLAN_DIR / "technical_schools_statistics.csv", dtype=str,
                        keep_default_na=False)
    rename = {"enrollment_in_school": "pupils", "graduates": "leavers"}
    stats = stats[stats["indicator"].isin(rename)].assign(indicator=lambda f: f["indicator"].map(rename))
    stats = stats.drop_duplicates(["indicator", "year"])  # one figure a year: no source choices needed
    stats.to_csv(folder / "series.csv", index=False)
    (folder / "targets.csv").write_text(
        "indicator,name_en,unit,comparator,target,target_year,cumulative,period_start,period_end,series,"
        "series_relation\n"
        "pupils_on_roll,Pupils on roll,万人,>,450,2025,false,2021,2025,pupils,direct\n"
        "school_leavers,School leavers,万人,>,130,2025,false,2021,2025,leavers,direct\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_report_from_two_tables_is_about_that_plan_on_every_page(other_tables, tmp_path, capsys):
    """`report --targets T --series S`: the bundle is written first and every page runs on it."""
    params = tmp_path / "p.yaml"
    params.write_text("04:\n  max_horizon: 2\n05:\n  n_boot: 50\n", encoding="utf-8")
    out = tmp_path / "reports" / "other"
    code = main(["report", "--targets", str(other_tables / "targets.csv"), "--series", str(other_tables / "series.csv"),
                 "--as-of", "2020", "--n-paths", str(N_PATHS), "--params", str(params), "--jobs", "2",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    ids = ["pupils_on_roll", "school_leavers"]
    assert sorted(p.stem for p in out.glob("*.html")) == sorted(
        ["index", "glossary", "01_data_overview", "03_target_scorecard", "04_model_backtest", "05_calibration"]
        + [f"02_indicator_trajectory-{i}" for i in ids])
    card = pd.read_csv(out / "scorecard.csv")
    assert list(card["indicator"]) == ids and (card["latest_year"] <= 2020).all()
    assert (out / "plan" / "plan.yaml").is_file()  # the report carries the bundle every page read
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["plan"] == "targets" and manifest["data_dir"] == "plan"
    for nb in manifest["notebooks"]:
        if "plan" in nb["defaults"]:
            assert nb["parameters"]["plan"] == "plan", nb["page"]  # the written bundle, not ""
    published = [*out.glob("*.html"), out / "scorecard.csv", *(p for p in (out / "results").rglob("*")
                                                                if p.suffix in (".csv", ".json", ".md"))]
    assert len(published) > 10
    for f in published:
        text = f.read_text(encoding="utf-8")
        hit = DEFAULT_IDS.search(text)
        assert hit is None, f"{f.relative_to(out)} names the default plan's {hit.group(0)!r}"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Pupils on roll" in index and "School leavers" in index
    assert load_plan().title_en not in index


def test_tables_and_a_plan_together_are_refused(other_tables, tmp_path):
    with pytest.raises(ParameterError, match="give plan, or targets and series, not both"):
        run_report(paths.DEFAULT_PLAN_DIR, targets=other_tables / "targets.csv",
                   series=other_tables / "series.csv", out=tmp_path / "r", progress=False)
    with pytest.raises(ParameterError, match="targets and series go together"):
        run_report(targets=other_tables / "targets.csv", out=tmp_path / "r", progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_index_comes_from_the_runners_scorecard_and_notebook_03_must_agree(tmp_path):
    """A notebook 03 that computes another scorecard than the runner's fails the run: page and index would differ."""
    import nbformat

    notebooks = tmp_path / "notebooks"
    shutil.copytree(TINY, notebooks)
    path = notebooks / "03_target_scorecard.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[-1].source = nb.cells[-1].source.replace("seed=seed", "seed=seed + 1")
    nbformat.write(nb, str(path))
    out = tmp_path / "reports" / "r"
    with pytest.raises(ReportError, match="03_target_scorecard wrote a scorecard.csv that differs from the "
                                          "runner's own scorecard"):
        run_report(out=out, notebooks_dir=notebooks, params={"n_paths": 60}, jobs=2, progress=False)
    assert not out.exists() and sorted(p.name for p in out.parent.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["process", "local-dask"])
def test_pages_run_through_any_executor(tmp_path, executor):
    """The executor seam: a process pool or a dask LocalCluster runs the pages; same scorecard, every page ok."""
    if executor == "local-dask":
        pytest.importorskip("distributed")
    out = run_report(out=tmp_path / "r", notebooks_dir=TINY, params={"n_paths": 60}, executor=executor, jobs=2,
                     progress=False)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["notebooks"]) == 8 and all(nb["status"] == "ok" for nb in manifest["notebooks"])
    assert all((out / f"{nb['page']}.html").is_file() for nb in manifest["notebooks"])
    expected = assess(n_paths=60).to_csv(index=False, float_format=FLOAT_FORMAT)
    assert (out / "scorecard.csv").read_text(encoding="utf-8") == expected  # notebook 03 wrote the same bytes
    assert (out / "results" / "03_target_scorecard" / "scorecard.csv").read_text(encoding="utf-8") == expected


def test_unknown_executor_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ParameterError, match="executor 'spark' is not known; expected threads, inline, process, process:N, local-dask"):
        run_report(out=tmp_path / "r", notebooks_dir=TINY, executor="spark", progress=False)
    assert list(tmp_path.iterdir()) == []
