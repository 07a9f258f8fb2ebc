"""Page 04 in words: targets by name, models in words, formatted numbers, Chinese throughout; and the one
backtest page 02 and page 04 share (issue 16, items 2 and 5)."""

from __future__ import annotations

import re

import pytest

from plananalysis import Settings, backtest, load_plan
from plananalysis.backtest_view import accuracy_table, auto_sentences, auto_table, series_table, target_names
from plananalysis.backtesting import relative_accuracy, summarize
from plananalysis.study import explain_auto

PAGE02_MODELS = ["naive", "drift", "theta", "select", "auto"]  # what page 02 backtests for its series
CODES = {"MASE", "Theta", "ETS", "auto", "select", "Winkler"}


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def bt(plan):
    return backtest(plan, Settings(), horizons=range(1, 6), min_train=5)


def test_page02_and_page04_score_the_same_forecasts(plan, bt):
    one = backtest(plan, Settings(), models=PAGE02_MODELS, indicators=["enrollment"])
    every = bt[(bt["indicator"] == "enrollment") & bt["model"].isin(PAGE02_MODELS)]
    a, b = summarize(one, by=("model",)), summarize(every, by=("model",))
    assert a.set_index("model")[["n", "mase"]].sort_index().equals(b.set_index("model")[["n", "mase"]].sort_index())
    assert sorted(one["origin"].unique()) == sorted(every["origin"].unique())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tables_read_as_words(plan, bt, lang):
    names = target_names(plan.targets(), lang)
    acc = relative_accuracy(bt, by=("indicator", "model"))
    auto = explain_auto(plan, Settings(lang=lang))
    for table in (series_table(bt, names, lang), accuracy_table(acc, names, lang), auto_table(auto, names, lang)):
        cells = table.astype(str).to_numpy().ravel().tolist() + list(table.columns)
        assert not [c for c in cells if re.fullmatch(r"-?\d+\.\d{4,}", c) or c in ("True", "False", "nan")]
        assert not [c for c in cells if c in names and c != names[c]]  # names, not ids
        if lang == "zh":
            stray = {w for c in cells for w in re.findall(r"[A-Za-z]{2,}", c)} - CODES
            assert not stray, stray
    assert "%" in accuracy_table(acc, names, lang).iloc[0, 5]  # coverage as a percentage


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_select_sentence_does_not_contradict_the_table(plan, bt, lang):
    names = target_names(plan.targets(), lang)
    acc = relative_accuracy(bt, by=("indicator", "model"))
    auto = explain_auto(plan, Settings(lang=lang))
    lines = auto_sentences(auto, acc, bt, names, lang)
    enrol = lines[list(auto["indicator"]).index("enrollment")]
    best = acc[acc["indicator"] == "enrollment"].sort_values("mase").iloc[0]["model"]
    choice = auto.set_index("indicator").loc["enrollment", "select_choice"]
    if best != choice:  # the sentence names both and says why they differ
        assert ("Theta" in enrol) and (("differ" in enrol) if lang == "en" else ("不同" in enrol))
    if lang == "zh":
        stray = {w for line in lines for w in re.findall(r"[A-Za-z]{2,}", line)} - CODES
        assert not stray, stray
