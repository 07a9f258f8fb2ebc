"""Tests for plananalysis.plots (Agg backend, no files written)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

from plananalysis import load_plan  # noqa: E402
from plananalysis.data import get_series  # noqa: E402
from plananalysis import plots  # noqa: E402
from plananalysis.api import assess as _assess  # noqa: E402
from plananalysis.study import cumulative_paths, forecast_target  # noqa: E402


def assess(**kw):
    return _assess(**kw).to_frame()
from plananalysis.backtesting import summarize  # noqa: E402
from plananalysis.errors import ParameterError  # noqa: E402
from plananalysis import fonts  # noqa: E402


@pytest.fixture(scope="module")
def targets():
    return load_plan().targets().set_index("indicator", drop=False)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_trajectory_draws_fan_target_bounds_and_period(targets):
    row = targets.loc["employment_rate"]
    fc = forecast_target("employment_rate", n_paths=300)
    ax = plots.plot_trajectory(fc, row, get_series(row["series"], load_plan().statistics()))
    fans = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(fans) == 2  # 95% and 80% fans
    labels = ax.get_legend_handles_labels()[1]
    assert "plan period" in labels
    assert "target ≥97" in labels and "published bound (e.g. >97)" in labels  # the target as read
    bounds = [ln for ln in ax.lines if ln.get_marker() == "^"]
    assert sorted(bounds[0].get_xdata()) == [2016, 2017, 2020]
    assert f"model: {fc.model}" in ax.get_title()


def test_trajectory_uses_given_axes_and_required_path(targets):
    fig, ax = plt.subplots()
    fc = forecast_target("enrollment", n_paths=300)
    out = plots.plot_trajectory(fc, targets.loc["enrollment"], ax=ax)
    assert out is ax
    # The baseline (395.5 in 2020) is already above the target (> 360): no path sloping down to it.
    labels = [ln.get_label() for ln in ax.lines]
    assert "required path" not in labels
    assert "target already exceeded at the baseline; required path: stay above 360" in labels


def test_required_path_drawn_when_the_target_is_ahead(targets):
    fc = forecast_target("enrollment", n_paths=300)
    row = targets.loc["enrollment"].copy()
    row["target"] = 500.0  # above the 2020 baseline of 395.5
    ax = plots.plot_trajectory(fc, row)
    req = [ln for ln in ax.lines if ln.get_label() == "required path"]
    assert len(req) == 1 and req[0].get_xdata()[0] == 2020
    assert req[0].get_ydata()[0] == pytest.approx(395.5) and req[0].get_ydata()[-1] == pytest.approx(500.0)


def test_cumulative_running_total_matches_flows(targets):
    flows = cumulative_paths("skills_training", n_paths=300)
    ax = plots.plot_cumulative(flows, targets.loc["skills_training"])
    line = [ln for ln in ax.lines if ln.get_label() == "running total (median)"][0]
    assert line.get_ydata()[0] == pytest.approx(600.7)
    assert line.get_ydata()[-1] == pytest.approx(flows.cumsum().iloc[-1].median())


def test_scorecard_one_bar_per_target_coloured_by_status():
    card = assess(n_paths=300)
    ax = plots.plot_scorecard(card)
    assert len(ax.patches) == len(card)
    texts = [t.get_text() for t in ax.texts]
    assert "insufficient data" in texts


def test_backtest_plot_and_bad_metric():
    bt = pd.DataFrame({"model": ["a", "b"], "actual": [1.0, 2.0], "forecast": [1.0, 2.5],
                       "lo80": [0, 1.0], "hi80": [2, 3.0], "lo95": [0, 1.0], "hi95": [2, 3.0],
                       "scale": [1.0, 1.0]})
    ax = plots.plot_backtest(summarize(bt), "coverage80")
    assert len(ax.patches) == 2
    with pytest.raises(ParameterError):
        plots.plot_backtest(summarize(bt), "nope")


def test_zh_warns_and_falls_back_without_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    card = assess(n_paths=100)
    with pytest.warns(UserWarning, match="CJK"):
        ax = plots.plot_scorecard(card, lang="zh")
    assert ax.get_xlabel() == "probability of meeting the target"


def test_zh_labels_when_a_cjk_font_exists(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: "DejaVu Sans")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.plot_scorecard(assess(n_paths=100), lang="zh")
    assert ax.get_xlabel() == "达成目标的概率"
    with pytest.raises(ParameterError):
        plots.plot_scorecard(assess(n_paths=100), lang="fr")


# ------------------------------------------------------------------ coverage, history, vintages, horizons
def _tiny_data():
    rows = [("a", 2010, 100.0, ""), ("a", 2011, 105.0, ">"), ("a", 2013, 110.0, ""), ("b", 2013, 50.0, "")]
    frame = pd.DataFrame(rows, columns=["indicator", "year", "value", "qualifier"])
    return frame.assign(unit="万人", source_title="t", source_url="u", quote="q", note="", selected=True)


def test_coverage_marks_a_derived_figure_apart_from_exact_and_bound():
    from plananalysis.coverage import coverage_matrix

    data = _tiny_data().copy()
    data["note"] = ""
    data.loc[data.index[0], "note"] = "derived: 2021 figure minus the stated increase"
    m = coverage_matrix(data)
    assert (m == "derived").sum().sum() == 1
    ax = plots.plot_coverage(m)
    assert 3 in ax.images[0].get_array()
    assert "derived or approximate figure (≈, not published as such)" in [t.get_text() for t in
                                                                          ax.get_legend().get_texts()]


def test_coverage_heatmap_codes_exact_bound_missing():
    from plananalysis.coverage import coverage_matrix

    ax = plots.plot_coverage(coverage_matrix(_tiny_data()))
    assert len(ax.images) == 1
    codes = ax.images[0].get_array()
    assert codes.tolist() == [[2, 1, 0, 2], [0, 0, 0, 2]]  # exact, bound, missing, exact / b only in 2013
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["exact figure", "bound only (e.g. >97)",
                                                                   "missing"]


def test_history_grid_one_panel_per_indicator_gaps_left_open():
    targets = pd.DataFrame({"series": ["a"], "name_en": ["Series A"], "name_zh": ["甲"], "cumulative": [False],
                            "target": [120.0]})
    axes = plots.plot_history(_tiny_data(), targets=targets, ncols=2)
    assert axes.shape == (1, 2)
    first = axes[0, 0]
    assert first.get_title().startswith("Series A\n[a, 10,000 persons]")
    joined = first.lines[0].get_ydata()
    assert np.isnan(joined[1]) and np.isnan(joined[2])  # 2011 is a bound, 2012 missing: the line breaks
    hollow = [ln for ln in first.lines if ln.get_label() == "bound only (e.g. >97)"][0]
    assert list(hollow.get_xdata()) == [2011] and hollow.get_markerfacecolor() == "white"
    assert any(ln.get_label().startswith("plan target") for ln in first.lines)  # labelled with its value
    assert not any(ln.get_label().startswith("plan target") for ln in axes[0, 1].lines)  # b has no target


def test_history_grid_hides_unused_panels():
    targets = pd.DataFrame({"series": [], "name_en": [], "name_zh": [], "cumulative": [], "target": []})
    axes = plots.plot_history(_tiny_data(), indicators=["a"], targets=targets, ncols=2)
    assert axes[0, 0].get_visible() and not axes[0, 1].get_visible()


def test_vintages_one_line_per_target_with_a_probability():
    v = pd.DataFrame({"as_of": [2020, 2020, 2021, 2021], "indicator": ["x", "y", "x", "y"],
                      "p_meet": [0.5, np.nan, 0.7, np.nan]})
    ax = plots.plot_vintages(v)
    drawn = [ln for ln in ax.lines if ln.get_label() == "x"]
    assert len(drawn) == 1 and list(drawn[0].get_ydata()) == [0.5, 0.7]
    assert not any(ln.get_label() == "y" for ln in ax.lines)  # never had a probability
    assert sorted(ln.get_ydata()[0] for ln in ax.lines if ln.get_linestyle() == ":") == [0.5, 0.9]


def test_accuracy_by_horizon_lines_and_bad_table():
    table = pd.DataFrame({"model": ["naive", "naive", "drift", "drift"], "horizon": [2, 1, 1, 2],
                          "mase": [2.0, 1.0, 0.5, 1.5]})
    ax = plots.plot_accuracy_by_horizon(table)
    lines = {ln.get_label(): ln for ln in ax.lines}
    assert list(lines["naive"].get_xdata()) == [1, 2] and list(lines["naive"].get_ydata()) == [1.0, 2.0]
    assert lines["naive"].get_linewidth() > lines["drift"].get_linewidth()  # naive highlighted
    with pytest.raises(ParameterError):
        plots.plot_accuracy_by_horizon(table.drop(columns="horizon"))


def test_new_plots_fall_back_to_english_without_cjk_font(monkeypatch):
    from plananalysis.coverage import coverage_matrix

    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="no CJK font"):
        ax = plots.plot_coverage(coverage_matrix(_tiny_data()), lang="zh")
    assert ax.get_title() == "Coverage of the official statistics"


def test_history_zh_uses_chinese_names_and_units_when_a_cjk_font_exists(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: "DejaVu Sans")
    targets = pd.DataFrame({"series": ["a"], "name_en": ["Series A"], "name_zh": ["甲"], "cumulative": [True],
                            "target": [1.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        axes = plots.plot_history(_tiny_data(), targets=targets, lang="zh")
    assert not [w for w in caught if "no CJK font" in str(w.message)]  # (DejaVu lacks the glyphs: fine)
    assert axes[0, 0].get_title() == "甲\n[a, 万人]"
    assert not any(ln.get_label() == "规划目标" for ln in axes[0, 0].lines)  # cumulative target: not drawn
    assert "确切数值" in [t.get_text() for t in axes[0, 0].get_legend().get_texts()]


def test_plot_series_alone_has_legend_and_year_axis():
    s = get_series("graduate_employment_rate", load_plan().statistics())
    ax = plots.plot_series(s, target=97.0, title="rate")
    assert ax.get_xlabel() == "year" and ax.get_title() == "rate" and ax.get_ylabel() == "%"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"exact figure", "bound only (e.g. >97)", "plan target 97"} <= set(labels)


def test_scorecard_chart_names_percent_axis_and_coin_toss():
    card = assess(n_paths=300)
    card.loc[1, ["status", "p_meet", "p_meet_lo", "p_meet_hi"]] = ["off_track", 0.4999, float("nan"), float("nan")]
    ax = plots.plot_scorecard(card, n_paths=300)  # no own interval: the Monte-Carlo one straddles 50%
    assert ax.get_xlim() == (0.0, 1.0)  # a probability axis ends at 100%
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0].replace("\n", " ") == card.loc[0, "name_en"]  # names, not ids
    assert not any(t in card["indicator"].tolist() for t in ticks)
    texts = [t.get_text() for t in ax.texts]
    assert "coin toss (50.0%)" in texts
    assert ax.patches[1].get_facecolor()[:3] == pytest.approx((0.62, 0.62, 0.62), abs=0.01)  # grey, not red
    assert len(ax.lines) >= len(card) - 1 + 2  # an interval per probability, two thresholds
    assert "at risk ≥ 50%" in texts and "on track ≥ 90%" in texts  # every reference line labelled


def test_cjk_font_prefers_simplified_chinese():
    from plananalysis.fonts import rank_cjk_fonts

    ranked = rank_cjk_fonts(["Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Sans CJK TC",
                             "DejaVu Sans"])
    assert ranked[0] == "Noto Sans CJK SC" and ranked[-2:] == ["Noto Sans CJK JP", "Noto Sans CJK KR"]


def test_vintages_legend_uses_target_names():
    v = pd.DataFrame({"as_of": [2020, 2021], "indicator": ["x", "x"], "name_en": ["Students on roll"] * 2,
                      "p_meet": [0.5, 0.7]})
    ax = plots.plot_vintages(v)
    assert [ln.get_label() for ln in ax.lines if ln.get_marker() == "o"] == ["Students on roll"]
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"


def test_calibration_charts_draw_the_evaluation_and_the_stored_model():
    from plananalysis.calibration import evaluate, load_calibration, load_reference_cases

    ax = plots.plot_reliability(evaluate(load_reference_cases(), "plan", n_boot=20, nested=False))
    assert ax.get_title() == "Reliability: leave-one-plan-out"
    assert [ln.get_label() for ln in ax.lines] == ["perfect", "calibrated", "p_trend", "base_rate"]
    ax = plots.plot_coefficients(load_calibration())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["intercept", *load_calibration().features]


def test_history_needs_its_data():
    with pytest.raises(TypeError):
        plots.plot_history()  # no hidden default bundle
    with pytest.raises(ParameterError, match="data is required"):
        plots.plot_history(None)


def test_charts_import_neither_the_report_nor_a_default_bundle():
    import subprocess
    import sys

    code = ("import sys, plananalysis.plots; "
            "print(sorted(m for m in sys.modules if m.startswith('plananalysis.report')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_plots_docstring_examples():
    import doctest
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(plots.__path__):
        module = importlib.import_module(f"{plots.__name__}.{info.name}")
        assert doctest.testmod(module).failed == 0, info.name
