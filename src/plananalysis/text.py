"""Plan-text normalisation: from the scraped file to clean simplified Chinese.

Plan texts are often scraped from traditional-character pages. Such a text
carries three kinds of noise that would trip a parser:

* pinyin artifacts after some characters, e.g. ``發(fā)``, ``規(guī)``, ``產(chǎn)``;
* traditional characters (``專欄``, ``萬人``, ``內(nèi)為五年累計數(shù)``);
* a mixture of full-width and half-width punctuation and stray whitespace
  (a table cell wrapped as ``開展 職業技能培訓``).

:func:`load_plan_text` reads a file and :func:`normalise_text` cleans a
string, in this order:

1. Unicode NFC; ``\\r\\n`` -> ``\\n``; a leading BOM dropped.
2. Known scraping garbles of one file are repaired from the table its plan
   bundle declares (``targets.repairs`` in ``plan.yaml``); nothing else is
   guessed.
3. Full-width ASCII variants (U+FF01..U+FF5E, e.g. ``，：（）％＞［］``) become
   their ASCII forms and the ideographic space becomes a space (NFKC for
   these characters only). Chinese-only punctuation stays as it is:
   ``、 。 〔 〕 “ ” 《 》 【 】``.
4. Pinyin artifacts are removed: a parenthesis, right after a Chinese
   character, holding only lowercase Latin letters (with or without tone
   marks) and spaces. ``(萬人)``, ``(%)``, ``(一)``, ``(擴)`` are kept.
5. Traditional -> simplified with OpenCC (``t2s``).
6. Whitespace: tabs and no-break spaces become spaces, runs of spaces
   collapse to one, spaces between two Chinese characters are dropped,
   trailing spaces on each line are stripped.

Already-simplified or already-clean text passes through unchanged in
meaning, so the parser gives the same targets for every variant.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from .errors import DataError

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A pinyin artifact: "(" lowercase letters [spaces letters] ")" right after a CJK ideograph.
_PINYIN = re.compile(
    rf"(?<=[{_CJK}])[(\uff08][a-z{_TONED}]+(?: [a-z{_TONED}]+)*[)\uff09]"
)
_CJK_OR_PUNCT = rf"[{_CJK}\u3000-\u303f\u201c\u201d]"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK_OR_PUNCT})[ ]+(?={_CJK_OR_PUNCT})")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000]+")


@functools.lru_cache(maxsize=1)
def _converter():
    """The OpenCC traditional -> simplified converter (built once, lazily)."""
    import opencc

    return opencc.OpenCC("t2s")


def _fullwidth_to_ascii(text: str) -> str:
    """Map full-width ASCII variants (U+FF01..U+FF5E) to ASCII, U+3000 to space."""
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = 0x20
    return text.translate(table)


def remove_pinyin(text: str) -> str:
    """Remove pinyin artifacts such as ``發(fā)`` -> ``發``.

    Parameters
    ----------
    text : str
        Text that may carry pinyin in parentheses after Chinese characters.

    Returns
    -------
    str
        The text without those parentheses. Parentheses holding anything
        else (Chinese, digits, ``%``, capitals) are kept.

    Examples
    --------
    >>> remove_pinyin("印發(fā)規(guī)劃 在校生規(guī)模(萬人) (%)")
    '印發規劃 在校生規模(萬人) (%)'
    """
    return _PINYIN.sub("", text)


def normalise_text(text: str, repairs=None) -> str:
    """Normalise a plan text (or any string) for parsing.

    Parameters
    ----------
    text : str
        Raw text, traditional or simplified, with or without pinyin artifacts.
    repairs : dict, optional
        ``{garbled: repaired}`` replacements applied first: known scraping
        garbles of one file, declared in that plan bundle's ``plan.yaml``
        (``targets.repairs``). Default: none.

    Returns
    -------
    str
        Simplified Chinese with ASCII punctuation where a half-width form
        exists, pinyin artifacts removed and whitespace tidied (see the
        module docstring for the exact steps).

    Examples
    --------
    >>> normalise_text("注：［ ］內(nèi)為五年累計數(shù)。")
    '注:[ ]内为五年累计数。'
    >>> normalise_text("4.面向企業職工開展 職業技能培訓(萬人次)")
    '4.面向企业职工开展职业技能培训(万人次)'
    """
    if not isinstance(text, str):
        raise TypeError(f"normalise_text expects a str, got {type(text).__name__}")
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for garbled, repaired in (repairs or {}).items():
        text = text.replace(garbled, repaired)
    text = _fullwidth_to_ascii(text)
    text = remove_pinyin(text)
    text = _converter().convert(text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line)
        line = _SPACE_BETWEEN_CJK.sub("", line)
        lines.append(line.strip())
    return "\n".join(lines)


def read_text_file(path) -> str:
    """Read a UTF-8 text file, raising :class:`DataError` with context on failure.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        The decoded text (a UTF-8 BOM is dropped).

    Examples
    --------
    >>> read_text_file("no-such-file.txt")
    Traceback (most recent call last):
    ...
    plananalysis.errors.DataError: no-such-file.txt: file not found
    """
    path = Path(path)
    if not path.exists():
        raise DataError("file not found", path=path)
    if path.is_dir():
        raise DataError("expected a file, found a directory", path=path)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8",
            path=path, line=line, value=raw[exc.start:exc.start + 4],
        ) from None


def parse_yaml(text: str, path):
    """YAML text -> Python data; a syntax error is a :class:`DataError` naming the file and line.

    Examples
    --------
    >>> parse_yaml("a: 1", "x.yaml")
    {'a': 1}
    """
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=path,
                        line=None if mark is None else mark.line + 1) from None


def load_plan_text(path, repairs=None) -> str:
    """Load a plan text, normalised for parsing.

    Parameters
    ----------
    path : str or Path
        A plan text file (UTF-8). A plan bundle's text, with that bundle's
        repairs, is ``load_plan(path).plan_text()``.
    repairs : dict, optional
        Scrape repairs for this file (see :func:`normalise_text`).

    Returns
    -------
    str
        Normalised simplified-Chinese text (see :func:`normalise_text`).

    Raises
    ------
    DataError
        The file is missing, empty or not UTF-8.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> plan = datasets.technical_education()
    >>> text = load_plan_text(plan.targets_path, repairs=plan.targets_config["repairs"])
    >>> "专栏1" in text and "(fā)" not in text
    True
    """
    if path is None:
        raise DataError("load_plan_text needs the plan text file to read; a plan bundle's text is "
                        "plananalysis.load_plan(path).plan_text()")
    path = Path(path)
    text = read_text_file(path)
    if not text.strip():
        raise DataError("file is empty; expected the plan text", path=path)
    return normalise_text(text, repairs=repairs)
