"""Tests for plananalysis.plots (Agg backend, no files written)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

from plananalysis import get_series, load_targets  # noqa: E402
from plananalysis import plots  # noqa: E402
from plananalysis.assessment import assess, cumulative_paths, forecast_target  # noqa: E402
from plananalysis.backtesting import summarize  # noqa: E402
from plananalysis.errors import ParameterError  # noqa: E402


@pytest.fixture(scope="module")
def targets():
    return load_targets().set_index("indicator", drop=False)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_trajectory_draws_fan_target_bounds_and_period(targets):
    row = targets.loc["employment_rate"]
    fc = forecast_target("employment_rate", n_paths=300)
    ax = plots.plot_trajectory(fc, row, get_series(row["series"]))
    fans = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(fans) == 2  # 95% and 80% fans
    labels = ax.get_legend_handles_labels()[1]
    assert "plan period" in labels
    assert "target >97" in labels and "published bound (e.g. >97)" in labels
    bounds = [ln for ln in ax.lines if ln.get_marker() == "^"]
    assert sorted(bounds[0].get_xdata()) == [2016, 2017, 2020]
    assert f"model: {fc.model}" in ax.get_title()


def test_trajectory_uses_given_axes_and_required_path(targets):
    fig, ax = plt.subplots()
    fc = forecast_target("enrollment", n_paths=300)
    out = plots.plot_trajectory(fc, targets.loc["enrollment"], ax=ax)
    assert out is ax
    req = [ln for ln in ax.lines if ln.get_label() == "required path"][0]
    assert req.get_xdata()[0] == 2020 and req.get_ydata()[-1] == pytest.approx(360.0)


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
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    card = assess(n_paths=100)
    with pytest.warns(UserWarning, match="CJK"):
        ax = plots.plot_scorecard(card, lang="zh")
    assert ax.get_xlabel() == "probability of meeting the target"


def test_zh_labels_when_a_cjk_font_exists(monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: "DejaVu Sans")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = plots.plot_scorecard(assess(n_paths=100), lang="zh")
    assert ax.get_xlabel() == "达成目标的概率"
    with pytest.raises(ParameterError):
        plots.plot_scorecard(assess(n_paths=100), lang="fr")
