"""Programme targets: the quantities a plan commits to in 专栏2 onwards and, marked 左右, in its body.

:func:`parse_programme_targets` lists the numeric commitments of 专栏2-5 (and
the ones in the body text marked 左右, such as 30个左右 思想政治理论课师资研修基地,
with column ``正文``). These are counts no published series tracks
(``has_data`` is False).

Examples
--------
>>> MEASURE_WORDS
'所个种家项本门'
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .errors import DataError, PlanParseError
from .targets_text import table_block
from .text import load_plan_text

__all__ = ["PROGRAMME_COLUMNS", "MEASURE_WORDS", "parse_programme_targets", "load_programme_targets"]

#: Columns of :func:`load_programme_targets`.
PROGRAMME_COLUMNS = ("column", "column_title", "item", "quantity", "unit", "approximate",
                     "name_zh", "name_en", "quote", "has_data")
#: Measure words that mark a countable commitment.
MEASURE_WORDS = "所个种家项本门"
_QUANTITY = re.compile(rf"(?P<num>\d+(?:\.\d+)?)(?P<unit>[{MEASURE_WORDS}])(?P<about>左右)?")
_CLAUSE_END = ",。;:!?"


def _paren_depth(text: str):
    """Parenthesis depth before each character position."""
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        depth += ch == "("
        depth -= ch == ")" and depth > 0
    return out


def _counted_thing(text: str, start: int) -> str:
    """The noun phrase after a quantity: up to the next 、 or clause end (outside parentheses)."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth == 0 and (ch in _CLAUSE_END or ch in "、 "):
            return text[start:i]
    return text[start:]


def _clause(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], bounded by , 。 ; : (outside parentheses)."""
    left = max(text.rfind(ch, 0, start) for ch in _CLAUSE_END) + 1
    right = min([i for i in (text.find(ch, end) for ch in _CLAUSE_END) if i >= 0] or [len(text)])
    return re.sub(r"^\d+\.", "", text[left:right].strip())


def _quantities(text: str, approximate_only: bool):
    """Yield (match, name, quote) for the commitments in a passage."""
    depth = _paren_depth(text)
    for match in _QUANTITY.finditer(text):
        if depth[match.start()] > 0:
            continue  # inside an explanatory parenthesis, e.g. (即...+6个地市技工院校)
        if approximate_only and not match.group("about"):
            continue
        name = _counted_thing(text, match.end())
        if not name:
            continue
        yield match, name, _clause(text, match.start(), match.end())


def _programme_record(column, title, item, match, name, quote, names_en):
    return {"column": column, "column_title": title, "item": item,
            "quantity": float(match.group("num")), "unit": match.group("unit"),
            "approximate": bool(match.group("about")), "name_zh": name,
            "name_en": names_en.get(name, ""), "quote": quote, "has_data": False}


def parse_programme_targets(text: str, path=None, names_en=None) -> pd.DataFrame:
    """Parse the numeric commitments of 专栏2 onwards (and 左右 quantities in the body).

    Parameters
    ----------
    text : str
        A normalised plan text.
    path : str or Path, optional
        Used in error messages only.
    names_en : dict, optional
        ``{name_zh: name_en}`` (a bundle's ``targets.programme_names_en``).

    Returns
    -------
    DataFrame
        As :func:`load_programme_targets`.

    Examples
    --------
    >>> from plananalysis.text import normalise_text
    >>> t = normalise_text("专栏2:计划 |\\n1.遴选300所左右优质技工院校、500个左右优质专业。 |")
    >>> parse_programme_targets(t)[["quantity", "unit", "name_zh"]].values.tolist()
    [[300.0, '所', '优质技工院校'], [500.0, '个', '优质专业']]
    """
    names_en = names_en or {}
    if not re.search(r"^专栏\s*([2-9]|\d{2,})", text, flags=re.M):
        raise PlanParseError(f"{path or 'plan text'}: no programme columns found; expected lines starting "
                             "'专栏2', '专栏3', ... holding the programme targets")
    lines = text.split("\n")
    records, in_block, heading = [], set(), ""
    for i, line in enumerate(lines):
        head = re.match(r"^专栏\s*(\d+)\s*[::]?\s*(.*?)\s*\|?\s*$", line)
        if head:
            number = int(head.group(1))
            _, cells = table_block(text[text.find(line):], number, path) or ("", [])
            in_block.update(range(i, i + len(cells) + 1))
            if number == 1:
                continue
            joined = " ".join(c for c in cells if c)
            items = re.split(r"(?:^|(?<=\s)|(?<=[。;]))(\d+)\.(?=\D)", joined)
            pairs = [(None, items[0])] + list(zip(items[1::2], items[2::2]))
            for item, body in pairs:
                for match, name, quote in _quantities(body, approximate_only=False):
                    records.append(_programme_record(f"专栏{number}", head.group(2),
                                                     None if item is None else int(item),
                                                     match, name, quote, names_en))
            continue
        if i in in_block:
            continue
        if re.match(r"^\([一二三四五六七八九十]+\)", line):
            heading = line
        for match, name, quote in _quantities(line, approximate_only=True):
            records.append(_programme_record("正文", heading, None, match, name, quote, names_en))
    frame = pd.DataFrame.from_records(records, columns=list(PROGRAMME_COLUMNS))
    frame["item"] = pd.array(frame["item"].tolist(), dtype="Int64")
    frame["quantity"] = frame["quantity"].astype(float)
    frame["approximate"] = frame["approximate"].astype(bool)
    frame["has_data"] = frame["has_data"].astype(bool)
    return frame


def load_programme_targets(path, repairs=None, names_en=None) -> pd.DataFrame:
    """The programme targets of a plan text: quantities committed in 专栏2-5 and the body.

    Every quantity with a measure word (所, 个, 种, ...) in the columns 专栏2
    onwards is listed, except numbers inside an explanatory parenthesis (the
    ``+6个地市技工院校`` of Tibet's "1+6" system describes a structure, not a
    count to reach). In the body text only quantities marked 左右 (about) are
    listed, which picks up 30个左右 思想政治理论课师资研修基地 (column ``正文``)
    and leaves out statements of fact such as ``2423所``.

    Parameters
    ----------
    path : str or Path
        A plan text file. A plan bundle's programme targets (its text, repairs
        and English names) are ``load_plan(path).programme_targets()``.
    repairs : dict, optional
        Scrape repairs of this file (:func:`plananalysis.text.normalise_text`).
    names_en : dict, optional
        ``{name_zh: name_en}``.

    Returns
    -------
    DataFrame
        Columns ``column`` ('专栏2'..'专栏5' or '正文'), ``column_title``
        (the column's title, or the body section heading), ``item``
        (numbered item within the column, Int64; <NA> in the body),
        ``quantity`` (float), ``unit`` (所/个/种), ``approximate`` (bool, 左右),
        ``name_zh`` (the thing counted), ``name_en``, ``quote`` (the clause
        as normalised), ``has_data`` (False: no published series tracks
        these counts).

    Raises
    ------
    PlanParseError
        The text has no programme column (专栏2 or later).
    DataError
        The file is missing, empty or not UTF-8, or ``path`` is a folder.

    Examples
    --------
    >>> from plananalysis import datasets
    >>> plan = datasets.technical_education()
    >>> p = load_programme_targets(plan.targets_path, repairs=plan.targets_config["repairs"])
    >>> p.loc[p.name_zh == "优质技工院校", ["quantity", "approximate"]].values.tolist()
    [[300.0, True]]
    """
    if path is None or Path(path).is_dir() or Path(path).name == "plan.yaml":
        raise DataError("load_programme_targets reads a plan text file; a plan bundle's programme targets "
                        "are plananalysis.load_plan(path).programme_targets()", path=path)
    path = Path(path)
    return parse_programme_targets(load_plan_text(path, repairs=repairs), path=path, names_en=names_en)
