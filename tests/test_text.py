"""Plan-text normalisation: pinyin artifacts, simplification, punctuation, errors."""

from __future__ import annotations

import pytest

from plananalysis import datasets, paths
from plananalysis.bundle import load_plan
from plananalysis.errors import DataError
from plananalysis.text import load_plan_text, normalise_text, remove_pinyin


def _bundled_text():
    plan = datasets.technical_education()
    return load_plan_text(plan.targets_path, repairs=plan.targets_config["repairs"])


def test_bundled_text_is_clean_simplified_chinese():
    text = _bundled_text()
    assert text == load_plan().plan_text()
    assert "(fā)" not in text and "(guī)" not in text and "(chǎn)" not in text
    assert "专栏1" in text and "專欄" not in text
    assert "注:[ ]内为五年累计数" in text
    assert "在校生395.5万人" in text
    assert "(万人)" in text and "(%)" in text and "(万人次)" in text
    assert "〔2021〕" in text and "“十四五”" in text
    assert "?" not in text  # known scraping garbles repaired
    assert "工作室带头人" in text and "当地主导产业" in text


def test_pinyin_removed_only_after_chinese_and_only_letters():
    assert remove_pinyin("印發(fā)規(guī)劃") == "印發規劃"
    assert remove_pinyin("生產(chǎn) 發(fā zhǎn)") == "生產 發"
    kept = "規模(萬人) 率(%) (一)指導 改(擴)建 聯盟(集團) 附件(PDF) word(abc)"
    assert remove_pinyin(kept) == kept


def test_fullwidth_punctuation_and_spaces():
    assert normalise_text("注：［ ］內為五年累計數。") == "注:[ ]内为五年累计数。"
    assert normalise_text("就業率（％）＞９７") == "就业率(%)>97"
    assert normalise_text("開展 職業技能培訓\u3000(萬人次)  |") == "开展职业技能培训 (万人次) |"
    assert normalise_text("a\r\nb  \t c ") == "a\nb c"
    # Chinese-only punctuation is kept
    assert normalise_text("人社部發〔2021〕86號、《意見》。") == "人社部发〔2021〕86号、《意见》。"


def test_normalise_is_idempotent_on_simplified_text():
    once = _bundled_text()
    assert normalise_text(once) == once


def test_normalise_rejects_non_strings():
    with pytest.raises(TypeError):
        normalise_text(b"bytes")


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found") as info:
        load_plan_text(tmp_path / "nope.txt")
    assert info.value.path == tmp_path / "nope.txt"


def test_non_utf8_file(tmp_path):
    bad = tmp_path / "plan_gbk.txt"
    bad.write_bytes("第一行\n專欄1:主要指標".encode("gb18030"))
    with pytest.raises(DataError, match="UTF-8") as info:
        load_plan_text(bad)
    assert info.value.path == bad and info.value.line == 1


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(DataError, match="empty"):
        load_plan_text(empty)


def test_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + load_plan().targets_path.read_bytes())
    repairs = load_plan().targets_config["repairs"]
    assert load_plan_text(path, repairs=repairs) == _bundled_text()
    assert "?guī" in load_plan_text(path)  # the repairs belong to that one file's bundle, not to every text


@pytest.mark.parametrize("module", ["plananalysis.text", "plananalysis.data", "plananalysis.plan",
                                    "plananalysis.csvrows", "plananalysis.sources", "plananalysis.statistics",
                                    "plananalysis.targets_text", "plananalysis.targets_table",
                                    "plananalysis.programme", "plananalysis.datasets", "plananalysis.domain"])
def test_docstring_examples(module):
    """The Examples sections of the foundation modules run and give what they show."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
