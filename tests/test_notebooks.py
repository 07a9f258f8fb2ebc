"""The notebooks: structure (no kernel) and what each writes when executed with papermill.

The four notebooks are executed once (module fixture, two at a time, small
``n_paths``) with the same runner the report uses, and their CSV/JSON
results are compared with calling the library directly.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import nbformat
import numpy as np
import pandas as pd
import pytest

from plananalysis.data import is_derived
from plananalysis import Settings, datasets, paths
from plananalysis.settings import DEFAULTS
from plananalysis.backtesting import summarize
from plananalysis.coverage import coverage_summary, possible_breaks
from plananalysis.present import summary_in_words
from plananalysis.progress import required_path
from plananalysis.report import NOTEBOOK_ORDER, Page, declared_parameters, execute_page
from plananalysis.api import assess as _assess, vintages
from plananalysis.study import backtest_plan, explain_auto, forecast_target

N_PATHS = 200
SETTINGS = set(Settings.names())
EXPECTED_PARAMETERS = {
    "01_data_overview": {"plan", "as_of", "lang", "results_dir"},
    "02_indicator_trajectory": {"indicator", "plan", "max_horizon", "min_train", "results_dir"} | SETTINGS,
    "03_target_scorecard": {"plan", "results_dir"} | SETTINGS,
    "04_model_backtest": {"plan", "models", "max_horizon", "min_train", "results_dir"} | SETTINGS,
    "05_calibration": {"plan", "n_boot", "k_similar", "results_dir"} | SETTINGS,
}
#: Notebooks that assess targets: each takes the plan and every setting, with the package defaults.
ASSESSING = ("02_indicator_trajectory", "03_target_scorecard", "04_model_backtest", "05_calibration")


def assess(targets=None, **kw):
    return _assess(targets=targets, **kw).to_frame()  # the default plan's series specs apply
BACKTEST_MODELS = ["naive", "drift", "auto"]


def _notebook(stem):
    return nbformat.read(str(paths.NOTEBOOKS / f"{stem}.ipynb"), as_version=4)


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("stem", NOTEBOOK_ORDER)
def test_notebook_structure(stem):
    nb = _notebook(stem)
    assert nb.metadata.kernelspec == {"name": "plananalysis", "display_name": "Python (plananalysis)",
                                      "language": "python"}
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.cells[0].cell_type == "markdown"  # opens with what it shows and how to read it
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= 3
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None  # committed with outputs cleared
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        for node in ast.walk(ast.parse(source)):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)), (
                f"{stem}: notebooks define no functions ({type(node).__name__} in a cell)")
        limit = 25 if "parameters" in cell.metadata.get("tags", []) else 15  # declarations vs logic
        assert len(cell.source.splitlines()) <= limit  # no cell longer than a screen: logic lives in the library


@pytest.mark.parametrize("stem", NOTEBOOK_ORDER)
def test_every_explanation_comes_in_english_and_chinese(stem):
    """Markdown cells come in pairs: English (tag lang-en), then its Chinese twin (lang-zh); a page shows one."""
    cells = _notebook(stem).cells
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        langs = [t for t in cell.metadata.get("tags", []) if t.startswith("lang-")]
        assert langs in (["lang-en"], ["lang-zh"]), f"{stem} cell {i}: tag it lang-en or lang-zh, got {langs}"
        if langs == ["lang-zh"]:
            assert re.search(r"[\u4e00-\u9fff]", cell.source), f"{stem} cell {i}: no Chinese text"
            continue
        twin = cells[i + 1] if i + 1 < len(cells) else None
        assert twin is not None and twin.cell_type == "markdown" and "lang-zh" in twin.metadata.get("tags", []), (
            f"{stem} cell {i}: an English explanation needs its Chinese twin (tag lang-zh) right after it")
        heads = re.compile(r"^#+ ", re.MULTILINE)
        assert heads.findall(cell.source) == heads.findall(twin.source), f"{stem} cell {i}: headings differ"
        code = set(re.findall(r"`[^`\n]+`", cell.source))
        assert code <= set(re.findall(r"`[^`\n]+`", twin.source)), (
            f"{stem} cell {i + 1}: code names changed in translation: {code - set(re.findall(r'`[^`]+`', twin.source))}")
    zh = [i for i, c in enumerate(cells) if "lang-zh" in c.metadata.get("tags", [])]
    assert all("lang-en" in cells[i - 1].metadata.get("tags", []) for i in zh), f"{stem}: a Chinese cell without its English one"


@pytest.mark.parametrize("stem", NOTEBOOK_ORDER)
def test_explanations_render_without_stray_markup(stem):
    """Bold next to Chinese punctuation is easy to get wrong (CommonMark flanking rules): render as the report does."""
    from nbconvert.filters.markdown import markdown2html

    for i, cell in enumerate(_notebook(stem).cells):
        if cell.cell_type == "markdown":
            shown = re.sub(r"<code>.*?</code>", "", markdown2html(cell.source), flags=re.DOTALL)
            assert "**" not in shown and "__" not in shown, f"{stem} cell {i}: unrendered emphasis in {shown[:300]}"


@pytest.mark.parametrize("stem", ASSESSING)
def test_assessing_notebooks_declare_every_setting_with_the_one_default(stem):
    """The contract that makes every page of a report agree with its index: same settings, same defaults."""
    declared = declared_parameters(paths.NOTEBOOKS / f"{stem}.ipynb")
    missing = SETTINGS - set(declared)
    assert not missing, f"{stem} does not declare the settings {sorted(missing)}"
    for name in SETTINGS:
        assert ast.literal_eval(declared[name]["default"]) == getattr(DEFAULTS, name), (stem, name)
    source = "".join(c.source for c in _notebook(stem).cells if c.cell_type == "code")
    assert "Settings(" in source and "load_plan(plan)" in source


@pytest.mark.parametrize("stem", NOTEBOOK_ORDER)
def test_notebooks_import_only_public_names(stem):
    for cell in _notebook(stem).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("plananalysis"):
                assert not any(part.startswith("_") for part in node.module.split(".")), node.module
                assert not any(a.name.startswith("_") for a in node.names), [a.name for a in node.names]


@pytest.mark.parametrize("stem", NOTEBOOK_ORDER)
def test_parameters_are_documented(stem):
    declared = declared_parameters(paths.NOTEBOOKS / f"{stem}.ipynb")
    assert set(declared) == EXPECTED_PARAMETERS[stem]
    for name, spec in declared.items():
        assert spec["help"].strip(), f"{stem}: parameter {name} has no help comment"
        assert spec["type"] != "None", f"{stem}: parameter {name} has no type annotation"


# --------------------------------------------------------------------------- execution


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run the four notebooks (two kernels at a time) against a copy of the checkout.

    ``PLANANALYSIS_ROOT`` points the kernels at a copy of ``data/raw`` (same bytes),
    so notebook 01, run with its defaults only, writes its results into the copy's
    ``reports/_interactive/`` and never into the real repository.
    """
    base = tmp_path_factory.mktemp("notebooks")
    root = base / "checkout"
    shutil.copytree(paths.DEFAULT_PLAN_DIR, root / "data" / "raw")
    build = base / "build"
    (build / "notebooks").mkdir(parents=True)
    pages = [
        Page("01_data_overview", "01_data_overview", paths.NOTEBOOKS / "01_data_overview.ipynb", {}, ""),
        Page("02", "02_indicator_trajectory", paths.NOTEBOOKS / "02_indicator_trajectory.ipynb",
             {"indicator": "skills_training", "as_of": 2022, "n_paths": N_PATHS, "results_dir": "."}, ""),
        Page("03", "03_target_scorecard", paths.NOTEBOOKS / "03_target_scorecard.ipynb",
             {"n_paths": N_PATHS, "results_dir": "."}, ""),
        Page("04", "04_model_backtest", paths.NOTEBOOKS / "04_model_backtest.ipynb",
             {"models": BACKTEST_MODELS, "max_horizon": 2, "n_paths": N_PATHS, "results_dir": "."}, ""),
    ]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLANANALYSIS_ROOT", str(root))
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda p: execute_page(p, build, "plananalysis", 300), pages))
    for res in results:
        assert res.status == "ok", str(res.error)
    return {"root": root, "build": build,
            **{p.name: build / "results" / p.name for p in pages}}


def test_01_defaults_write_outside_the_repo(executed):
    out = executed["root"] / "reports" / "_interactive" / "01_data_overview"
    assert (out / "coverage.csv").is_file()
    assert list(executed["build"].joinpath("results", "01_data_overview").iterdir()) == []  # cwd untouched


def test_01_coverage_matches_selected_series(executed):
    out = executed["root"] / "reports" / "_interactive" / "01_data_overview"
    data = datasets.technical_education().statistics()
    selected = data[data["selected"]]
    coverage = pd.read_csv(out / "coverage.csv", index_col="indicator")
    assert set(coverage.index) == set(data["indicator"])
    for _, r in selected.iterrows():
        expected = ("derived" if is_derived(pd.Series([r["note"]])).iloc[0] else
                    "exact" if r["qualifier"] == "" else f"bound {r['qualifier']}")
        assert coverage.loc[r["indicator"], str(r["year"])] == expected
    assert (coverage != "missing").sum().sum() == len(selected)
    summary = json.loads((out / "data_overview.json").read_text(encoding="utf-8"))
    assert summary["n_source_rows"] == len(data)
    assert summary["n_indicator_years"] == len(selected)
    assert summary["indicators"]["graduate_employment_rate"]["n_bound"] == 3
    assert {"indicator": "enrollment_in_school", "prev_year": 2012, "year": 2015} in summary["possible_breaks"]
    assert len(pd.read_csv(out / "sources.csv")) == len(data)
    breaks = pd.read_csv(out / "possible_breaks.csv")
    assert breaks[["indicator", "prev_year", "year"]].values.tolist() == \
        possible_breaks(data)[["indicator", "prev_year", "year"]].values.tolist()
    assert summary == {**coverage_summary(data), "plan": "technical_education_14th_fyp"}


def test_02_matches_assess_and_forecast_target(executed):
    out = executed["02"]
    targets = datasets.technical_education().targets()
    row = assess(targets[targets["indicator"] == "skills_training"], as_of=2022, n_paths=N_PATHS, seed=0).iloc[0]
    assert row["status"] in ("on_track", "at_risk", "off_track")
    written = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    assert written["status"] == row["status"]
    assert written["p_meet"] == pytest.approx(row["p_meet"])
    assert written["projected_median"] == pytest.approx(row["projected_median"])
    fc = forecast_target("skills_training", as_of=2022, n_paths=N_PATHS, seed=0).to_frame()
    assert written["p_trend"] == pytest.approx(row["p_trend"])
    table = pd.read_csv(out / "forecast.csv")
    np.testing.assert_allclose(table.to_numpy(dtype=float), fc.to_numpy(dtype=float), rtol=1e-5)
    history = pd.read_csv(out / "history.csv")
    assert history["year"].max() <= 2022  # as_of respected
    required = pd.read_csv(out / "required_path.csv", index_col="year")
    expected = required_path(targets[targets["indicator"] == "skills_training"].iloc[0])
    np.testing.assert_allclose(required["required"].to_numpy(), expected.to_numpy(), rtol=1e-5)
    assert (out / "trajectory.png").stat().st_size > 5000


def test_03_scorecard_is_assess_byte_for_byte(executed):
    out = executed["03"]
    expected = assess(n_paths=N_PATHS, seed=0).to_csv(index=False, float_format="%.6g")
    assert (out / "scorecard.csv").read_text(encoding="utf-8") == expected
    vint = pd.read_csv(out / "vintages.csv")
    latest = int(datasets.technical_education().statistics().query("selected")["year"].max())
    assert sorted(vint["as_of"].unique()) == list(range(2020, latest + 1))
    direct = vintages(years=range(2020, latest + 1), n_paths=N_PATHS, seed=0)
    np.testing.assert_allclose(vint["p_meet"].to_numpy(dtype=float), direct["p_meet"].to_numpy(dtype=float),
                               rtol=1e-5)
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary == summary_in_words(pd.read_csv(out / "scorecard.csv")) + "\n"
    for _, r in assess(n_paths=N_PATHS, seed=0).iterrows():
        assert r["name_en"] in summary and r["status_label"] in summary
    assert len(pd.read_csv(out / "programme_targets.csv")) == len(datasets.technical_education().programme_targets())


def test_04_backtest_matches_library(executed):
    out = executed["04"]
    bt = backtest_plan(models=BACKTEST_MODELS, horizons=range(1, 3), n_paths=N_PATHS, seed=0)
    expected = summarize(bt, by=("indicator", "model")).sort_values(["indicator", "mase"]).reset_index(drop=True)
    accuracy = pd.read_csv(out / "accuracy.csv")
    assert list(accuracy["model"]) == list(expected["model"])
    np.testing.assert_allclose(accuracy["mase"], expected["mase"], rtol=1e-5)
    assert (accuracy.loc[accuracy["model"] == "naive", "relative_mase"] == 1).all()
    coverage = pd.read_csv(out / "coverage.csv")
    assert set(coverage["model"]) == set(BACKTEST_MODELS)
    assert coverage["coverage80"].between(0, 1).all()
    np.testing.assert_allclose(coverage["coverage80_gap"], coverage["coverage80"] - 0.80, atol=1e-5)
    by_horizon = pd.read_csv(out / "accuracy_by_horizon.csv")
    assert (by_horizon.loc[by_horizon["model"] == "naive", "relative_mase"] == 1).all()
    auto = pd.read_csv(out / "auto_choice.csv")
    assert list(auto["chosen"].fillna("")) == list(explain_auto()["chosen"])
    summary = json.loads((out / "backtest_summary.json").read_text(encoding="utf-8"))
    assert summary["n_forecasts"] == len(bt) and summary["horizons"] == [1, 2]


def test_notebooks_leave_no_files_in_the_repo(executed):
    stray = [p for p in paths.NOTEBOOKS.iterdir() if p.suffix in {".csv", ".json", ".png", ".md"}]
    assert stray == []
