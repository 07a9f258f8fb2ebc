"""The engine's messages in Chinese: one template per reason code in both languages, filled from the
reason's parameters; every reason the bundled plans produce reads in Chinese (issue 16, item 5)."""

from __future__ import annotations

import doctest
import re
import string

import pytest

from plananalysis import assess, datasets
from plananalysis.cli import main
from plananalysis.messages import MESSAGES, reason_message, reason_text
from plananalysis.models import REGISTRY
from plananalysis.present import reasons_table
from plananalysis.results import Reason, ReasonCode

#: Templates whose English message is a note made elsewhere (the model's, the plan's, an error's).
FREE_ENGLISH = {"model", "model.single", "insufficient_data", "proxy_series"}
#: Parameters the calibration (calibration/apply.py) passes with its reasons.
CALIBRATION_PARAMS = {
    "calibration": dict(p_meet=0.911, p_trend=0.997, trend_share=0.7, method="reference_class"),
    "calibration.proxy": dict(p_meet=0.911, p_trend=0.997, trend_share=0.7, shrink=0.5,
                              method="reference_class (proxy: logit shrunk 50% to base rate)"),
    "calibration.unavailable": dict(error="no file"),
    "calibration.no_boot": {},
    "calibration.clipped": dict(p_trend=1.0, share="all", n_paths=300, lo=0.0017, hi=0.998333),
    "calibration.track": dict(family="gdp_growth", as_of=2020, met=3.0, n=4.0, rate=0.7, base=0.71, k=1.8),
    "calibration.track.none": {},
    "calibration.track.unknown": dict(family="gdp_growth"),
    "calibration.track.no_outcome": dict(family="gdp_growth", as_of=2020),
    "calibration.lever": dict(lever="direct"),
}
ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


def _fields(template):
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.fixture(scope="module")
def cards():
    return [assess(n_paths=200), assess(datasets.load("reference_class"), n_paths=200, calibration="none")]


def _allowed(cards):
    """ASCII words a Chinese reader may meet: model names, series codes, the make target."""
    words = {w.lower() for w in REGISTRY} | {"ets", "theta", "arima", "make", "calibration"}
    for card in cards:
        words |= {str(a.target.series).lower() for a in card}
    return words


def test_every_code_has_both_templates():
    for code in ReasonCode:
        en, zh = MESSAGES[code.value]
        assert en.strip() and zh.strip(), code
    for key in MESSAGES:
        ReasonCode(key.split(".")[0])  # every variant belongs to a code


def test_chinese_template_asks_only_for_what_the_english_one_has():
    for key, (en, zh) in MESSAGES.items():
        assert _fields(zh) <= _fields(en) | {"shrink"}, key


def test_every_bundled_reason_reads_in_chinese(cards):
    allowed, seen = _allowed(cards), set()
    for card in cards:
        for a in card:
            for r in a.reasons:
                zh = reason_text(r, "zh")
                seen.add(r.template or r.code.value)
                assert zh and zh != r.message, (a.indicator, r)
                stray = {w for w in ASCII_WORD.findall(zh) if w.lower() not in allowed}
                assert not stray, (a.indicator, r.code.value, zh, stray)
                assert reason_text(r, "en") == r.message == str(r)
    assert {"fit_window", "model", "needed.sum", "outcome_pending", "bounds_censored", "gaps_simulated",
            "observed_outcome", "period_observed"} <= seen


def test_templates_and_engine_params_agree(cards):
    """Both templates format with the params the engine gives; the English one is the message."""
    for card in cards:
        for a in card:
            for r in a.reasons:
                key = r.template or r.code.value
                if r.code == ReasonCode.CALIBRATION and not r.params:
                    continue  # the calibration's reasons: see test_calibration_templates_format
                assert key in MESSAGES, key
                en = reason_message(key, "en", **r.params)
                zh = reason_message(key, "zh", **r.params)
                assert zh
                if key not in FREE_ENGLISH:
                    assert en == r.message, (key, en, r.message)


def test_calibration_templates_format():
    assert set(CALIBRATION_PARAMS) == {k for k in MESSAGES if k.split(".")[0] == "calibration"}
    for key, params in CALIBRATION_PARAMS.items():
        r = Reason.make("calibration", key, **params)
        assert any(w in r.message.lower() for w in ("calibrat", "clipped", "track record", "lever"))
        zh = r.text("zh")
        assert not {w for w in ASCII_WORD.findall(zh) if w not in ("make", "calibration", "gdp_growth")}, zh
    r = Reason.make("calibration", "calibration.clipped", **CALIBRATION_PARAMS["calibration.clipped"])
    assert r.message.startswith("the trend's 1.000 (all of 300 paths) was clipped")


def test_old_style_reasons_still_work():
    """(code, message) tuples and Reasons without params: English as given, Chinese as the code's meaning."""
    from plananalysis.results import Assessment
    from plananalysis.target import Target

    a = Assessment(Target(indicator="x", value=1.0, target_year=2025, comparator=">"))
    a = a.with_reasons((ReasonCode.CALIBRATION, "old words"),
                       (ReasonCode.NEEDED, "new words", {"observed": 1.0, "missing": [2025], "per_year": 2.0},
                        "needed.sum"))
    assert [str(r) for r in a.reasons] == ["old words", "new words"]
    assert a.reasons[0].text("zh") == "概率按以往规划目标的达成记录校准"
    assert a.reasons[1].text("zh") == "已观测累计 1；缺失年份 2025 平均每年需 2"


def test_reasons_table_in_chinese(cards):
    t = reasons_table(cards[0]["employment_rate"], lang="zh")
    assert list(t.columns) == ["原因代码", "含义", "处理说明"]
    assert not any("英文" in c for c in t.columns)
    assert all(not re.search(r"[a-z]{4,} [a-z]{4,}", m) for m in t["处理说明"])


def test_assess_lang_zh_prints_chinese(capsys):
    assert main(["assess", "--lang", "zh", "--n-paths", "200"]) == 0
    out = capsys.readouterr().out
    reasons = out[out.index("理由："):]
    stray = {w for w in ASCII_WORD.findall(reasons)} - {"ETS", "Theta", "training_to_society"}
    assert not stray, stray
    assert "结果待公布" in out and "组合模型" in out and "combination" not in out


@pytest.mark.parametrize("module", ["messages", "spreadsheet"])
def test_docstring_examples(module):
    import importlib

    result = doctest.testmod(importlib.import_module(f"plananalysis.{module}"), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_a_pending_outcome_without_a_probability_does_not_speak_of_one():
    from plananalysis import assess

    card = assess(n_paths=300)  # the default viewpoint: the 2025 outcomes are past but unpublished
    no_p = [r for r in card["high_skill_trained"].reasons if r.code.value == "outcome_pending"]
    with_p = [r for r in card["enrollment"].reasons if r.code.value == "outcome_pending"]
    assert no_p and "probability" not in no_p[0].message and "概率" not in no_p[0].text("zh")
    assert with_p and "nowcast" in with_p[0].message
