"""The index answers in ten seconds: a verdict for every target, labelled thresholds, progress so far.

Built from small scorecard frames (no engine run): the index is a function of the scorecard.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from plananalysis.engine import status_for
from plananalysis.report.index import index_html, progress_so_far, verdict
from plananalysis.settings import Settings

NAN = np.nan


def _row(**kw):
    base = dict(indicator="x", name_en="Students", name_zh="在校生", target=360.0, comparator=">",
                target_year=2025, cumulative=False, latest_year=2024, latest_value=428.7, latest_qualifier="",
                status="pending", p_meet=0.97, p_trend=0.99, p_meet_lo=0.95, p_meet_hi=0.98, unit="万人",
                note="", relation="direct", observed_sum=NAN, years_simulated="", needed_per_year=NAN,
                period_start=2021, period_end=2025, tolerance=NAN)
    base.update(kw)
    return base


def _scorecard():
    return pd.DataFrame([
        _row(indicator="a", p_meet=0.97, p_meet_lo=0.95, p_meet_hi=0.98),
        _row(indicator="b", p_meet=0.736, p_meet_lo=0.60, p_meet_hi=0.87, unit="%", target=97.0),
        _row(indicator="c", status="insufficient_data", p_meet=NAN, p_trend=NAN, p_meet_lo=NAN, p_meet_hi=NAN,
             cumulative=True, observed_sum=78.6, needed_per_year=30.35, target=200.0, latest_value=78.6),
        _row(indicator="d", p_meet=0.913, p_meet_lo=0.92, p_meet_hi=0.95, cumulative=True, unit="万人次",
             observed_sum=1805.4, years_simulated="2023, 2025", needed_per_year=97.3, target=2000.0),
        _row(indicator="e", status="met", p_meet=NAN, p_trend=NAN, p_meet_lo=NAN, p_meet_hi=NAN),
        _row(indicator="f", status="off_track", p_meet=0.2, p_meet_lo=0.1, p_meet_hi=0.3),
    ])


def _meta(lang):
    return {"lang": lang, "n_paths": 10000, "on_track": 0.9, "at_risk": 0.5, "latest_year": 2024,
            "generated": "now", "title_en": "Plan", "title_zh": "规划", "calibration": "reference_class"}


@pytest.mark.parametrize("p", [0.97, 0.9, 0.736, 0.5, 0.3])
def test_pending_verdict_is_the_status_p_meet_earns(p):
    s = Settings()
    code, words = verdict({"status": "pending", "p_meet": p, "p_meet_lo": p, "p_meet_hi": p},
                          on_track=s.on_track, at_risk=s.at_risk)
    assert code == status_for(p, s).value
    assert words.startswith("pending: ") and words.endswith("%")
    code_zh, words_zh = verdict({"status": "pending", "p_meet": p, "p_meet_lo": p, "p_meet_hi": p}, lang="zh")
    assert code_zh == code and words_zh.startswith("待公布：")


def test_observed_and_insufficient_stay_as_they_are():
    assert verdict({"status": "met", "p_meet": NAN}) == ("met", "met")
    assert verdict({"status": "not_met", "p_meet": NAN}, lang="zh") == ("not_met", "未实现")
    assert verdict({"status": "insufficient_data", "p_meet": NAN}) == ("insufficient_data", "insufficient data")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_target_has_a_verdict_word_on_the_index(lang):
    page = index_html(_scorecard(), [], _meta(lang))
    badges = re.findall(r'<span class="st st-([a-z_]+)[^"]*"[^>]*>([^<]+)</span>', page)
    assert [c for c, _ in badges] == ["on_track", "at_risk", "insufficient_data", "on_track", "met", "off_track"]
    words = [w for _, w in badges]
    if lang == "en":
        assert words[0] == "pending: on track, 97.0%" and words[1] == "pending: at risk, 73.6%"
        assert "outcome pending publication" not in page
    else:
        assert words[0] == "待公布：进展顺利，97.0%" and words[1] == "待公布：有风险，73.6%"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_threshold_ticks_are_labelled(lang):
    page = index_html(_scorecard(), [], _meta(lang))
    labels = re.findall(r'<span class="tl" style="left:([\d.]+)%">([^<]+)</span>', page)
    assert ("50.0", "50%") in labels and ("90.0", "90%") in labels
    assert len(labels) == 2 * 4  # two per bar, four targets with a probability


def test_progress_so_far_in_the_row():
    page = index_html(_scorecard(), [], _meta("en"))
    assert "so far 1,805.4 万人次 in 3 of 5 years" in page
    assert "still needed: 97.3 万人次 a year" in page
    assert "so far 78.6 万人 in 1 of 5 years" in page  # no years simulated: missing years from the need
    zh = index_html(_scorecard(), [], _meta("zh"))
    assert "已累计 1,805.4 万人次（5 年中已有 3 年数据）" in zh and "其余每年尚需 97.3 万人次" in zh
    # not in a tooltip: the text is element content, not an attribute
    assert 'title="so far' not in page


def test_progress_only_for_cumulative_targets():
    assert progress_so_far(_row()) == []
    assert progress_so_far(_row(cumulative=True, observed_sum=NAN)) == []
    lines = progress_so_far(_row(cumulative=True, observed_sum=250.0, needed_per_year=NAN, target=200.0))
    assert lines == ["so far 250 万人"]


def test_sources_table_has_an_indicator_column_only_when_there_are_indicators():
    from plananalysis.report import sources_table_html

    one = pd.DataFrame({"year": [2024], "value": [428.7], "unit": ["万人"], "source_title": ["B"],
                        "source_url": ["https://x.cn/a"], "quote": ["q"]})
    assert "<th>Indicator</th>" not in sources_table_html(one) and "<td>2024</td>" in sources_table_html(one)
    many = one.assign(indicator="enrollment")
    assert "<th>Indicator</th>" in sources_table_html(many) and "<td>enrollment</td>" in sources_table_html(many)


# --------------------------------------------------------------------------- the published report


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from plananalysis.report import run_report

    out = tmp_path_factory.mktemp("reports") / "r"
    params = {"n_paths": 2000, "seed": 0, "04_model_backtest": {"max_horizon": 2}, "05_calibration": {"n_boot": 100}}
    return run_report(out=out, params=params, jobs=2, progress=lambda line: None)


def _visible(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_published_index_has_a_verdict_and_page_02_leads_with_it(published):
    import pandas as pd

    index = (published / "index.html").read_text(encoding="utf-8")
    scorecard = pd.read_csv(published / "scorecard.csv")
    badges = re.findall(r'<span class="st st-[a-z_]+[^"]*"[^>]*>([^<]+)</span>', index)
    assert len(badges) == len(scorecard)
    for status, words in zip(scorecard["status"], badges):
        assert (status == "pending") == words.startswith("pending: ")
    assert index.count('class="tl"') == 2 * scorecard["p_meet"].notna().sum()
    for row, words in zip(scorecard.to_dict("records"), badges):
        page = (published / f"02_indicator_trajectory-{row['indicator']}.html").read_text(encoding="utf-8")
        body = page[page.index("<body"):]
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.DOTALL)
        assert h1 and _visible(h1.group(1)).rstrip("¶ ").startswith(row["name_en"][:20]), row["indicator"]
        assert f"Answer: {words}." in re.sub(r"<[^>]+>", "", body)  # the index's verdict, word for word
        assert body.index("data:image/png;base64,") < body.index("<table")  # the chart before any table
        assert "<details><summary>Run settings</summary>" in body and "Settings(" not in body.split("</details>")[-1]


def test_empty_sections_say_why_in_one_line(published):
    page = (published / "02_indicator_trajectory-employment_rate.html").read_text(encoding="utf-8")
    text_ = _visible(page)
    assert "No required path:" in text_ and "No backtest:" in text_
    assert not re.search(r"<table[^>]*>\s*<thead>(?:(?!</table>).)*</thead>\s*<tbody>\s*</tbody>", page, re.DOTALL)
