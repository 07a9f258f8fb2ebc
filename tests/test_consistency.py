"""One number per quantity: every published page shows the scorecard's numbers, for the bundled plan and a second one.

A report is published once per plan (module fixture). The pages mark the
numbers they show with ``data-quantity`` / ``data-indicator`` (and
``data-model``) attributes, written by the one formatting layer
(:func:`plananalysis.formatting.mark`, the index template); the test reads
those spans, so it does not parse sentences, and then compares, per target:

* page 02's headline, its assessment summary, its forecast table (the target
  year's row, or the period total) and the simulated running total against
  ``scorecard.csv``, shown exactly as the formatting layer formats the CSV's number;
* the index row's P(meet) and page 03's scorecard table against the same;
* ``scorecard.xlsx`` (the scorecard sheet, found by its column codes) against ``scorecard.csv``;
* page 02's backtest (forecasts and MASE per model) against page 04's accuracy table;
* the method words (what each series actually got) on page 02 and in the index's method text.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

bs4 = pytest.importorskip("bs4")

from plananalysis import assess, load_plan, paths  # noqa: E402
from plananalysis.formatting import fmt_number, fmt_probability, projection_digits  # noqa: E402
from plananalysis.labels import label  # noqa: E402
from plananalysis.report import run_report  # noqa: E402
from plananalysis.words import method_words, series_methods  # noqa: E402

SECOND = paths.DEFAULT_PLAN_DIR / "plans" / "national_14th_fyp_education"
#: max_horizon at the top level reaches page 02 and page 04 alike (one backtest).
SMALL = {"n_paths": 400, "max_horizon": 2, "05_calibration": {"n_boot": 50}}
PLANS = {"bundled": dict(), "second": dict(plan=SECOND, as_of=2020)}
QUANTITIES = ("p_meet", "projected_median", "projected_lo80", "projected_hi80", "projected_lo95", "projected_hi95")


@pytest.fixture(scope="module", params=list(PLANS))
def report(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"consistency-{request.param}") / "r"
    kw = PLANS[request.param]
    path = Path(run_report(out=out, params=SMALL, jobs=2, progress=False, **kw))
    card = pd.read_csv(path / "scorecard.csv", keep_default_na=False, na_values=[""])
    return {"path": path, "card": card.set_index("indicator"), "plan": kw.get("plan"), "as_of": kw.get("as_of")}


def _soup(path):
    return bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _tables(path, match):
    """Every table of a page whose text matches ``match``, as DataFrames of cell texts (bs4: no lxml needed)."""
    out = []
    for table in _soup(path).find_all("table"):
        if not re.search(match, table.get_text(" ")):
            continue
        head = [th.get_text(" ", strip=True) for th in table.select("thead tr")[-1].find_all(["th", "td"])] \
            if table.select("thead tr") else []
        rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"], recursive=False)]
                for tr in (table.find("tbody") or table).find_all("tr", recursive=False)]
        rows = [r for r in rows if r]
        if head and rows and len(head) == len(rows[0]):
            out.append(pd.DataFrame(rows, columns=head))
    return out


def _expected(quantity, value, unit):
    """The one way the formatting layer shows ``value`` (a CSV number) as ``quantity``."""
    if quantity == "p_meet":
        return fmt_probability(value)
    return fmt_number(value, projection_digits(unit))


def _numbers(text):
    """The first number in a cell, as a float, and its decimals (``'1,234.56'`` -> (1234.56, 2))."""
    m = re.search(r"-?\d[\d,]*(\.\d+)?", text)
    assert m, f"no number in {text!r}"
    return float(m.group(0).replace(",", "")), len(m.group(1) or ".") - 1


def _agree(a: str, b: str) -> bool:
    """Two displayed numbers are the same quantity: equal once rounded to the coarser one's decimals."""
    (x, dx), (y, dy) = _numbers(a), _numbers(b)
    d = min(dx, dy)
    return math.isclose(round(x, d), round(y, d), abs_tol=10 ** -d * 0.51)


def _pages(report):
    return {ind: report["path"] / f"02_indicator_trajectory-{ind}.html" for ind in report["card"].index
            if (report["path"] / f"02_indicator_trajectory-{ind}.html").is_file()}


@pytest.mark.slow
def test_page_02_numbers_are_the_scorecards(report):
    problems = []
    for ind, page in _pages(report).items():
        row = report["card"].loc[ind]
        soup = _soup(page)
        for q in QUANTITIES:
            shown = [s.get_text() for s in soup.select(f'[data-quantity="{q}"][data-indicator="{ind}"]')]
            if pd.isna(row.get(q)):
                continue
            want = _expected(q, row[q], row["unit"])
            if q in ("p_meet", "projected_median", "projected_lo80", "projected_hi80"):
                if not shown and row["status"] not in ("met", "not_met"):
                    problems.append(f"{ind}: page 02 shows no {q}")
            problems += [f"{ind}: page 02 {q} {s!r}, scorecard.csv {want!r}" for s in shown if s != want]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_forecast_table_row_is_the_headline(report):
    """The issue's 445.7 vs 444.9: the table's scored row is the headline's computation."""
    for ind, page in _pages(report).items():
        row = report["card"].loc[ind]
        if pd.isna(row["projected_median"]) or row["status"] in ("met", "not_met"):
            continue
        soup = _soup(page)
        cells = [s for s in soup.select(f'td [data-quantity="projected_median"][data-indicator="{ind}"]')]
        assert cells, f"{ind}: the forecast table marks no row as the scorecard's"
        assert {c.get_text() for c in cells} == {_expected("projected_median", row["projected_median"], row["unit"])}


@pytest.mark.slow
def test_index_and_page_03_show_the_same_p_meet_and_verdict(report):
    index = _soup(report["path"] / "index.html")
    page03 = next(t for t in _tables(report["path"] / "03_target_scorecard.html", r"P\(meet\)") if "P(meet)" in t)
    names = load_plan(report["plan"]).targets().set_index("indicator")["name_en"]
    for ind, row in report["card"].iterrows():
        cell = index.select_one(f'td[data-indicator="{ind}"]')
        assert cell is not None, f"index has no row for {ind}"
        tr = cell.find_parent("tr")
        cell = tr.select_one('[data-quantity="p_meet"]')
        if pd.isna(row["p_meet"]):
            assert cell is None
            continue
        assert cell.get_text() == fmt_probability(row["p_meet"]), ind
        shown = page03.loc[page03.iloc[:, 0] == names[ind], "P(meet)"].tolist()
        assert shown == [fmt_probability(row["p_meet"])], f"{ind}: page 03 {shown}"
        page = _pages(report).get(ind)
        if page is not None:  # page 02's answer is the index's verdict, word for word
            status = tr.select_one('[data-quantity="status"]').get_text()
            assert f"Answer: {status}." in _soup(page).get_text(" ").replace(" .", ".").replace("  ", " ") or \
                f"Answer: {status}" in _soup(page).get_text(""), ind


@pytest.mark.slow
def test_xlsx_holds_the_csv_numbers(report):
    from openpyxl import load_workbook

    sheet = load_workbook(report["path"] / "scorecard.xlsx", read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows[:4]) if "indicator" in r and "p_meet" in r)
    head = rows[header_at]
    body = [r for r in rows[header_at + 1:] if r[head.index("indicator")] in report["card"].index]
    assert len(body) == len(report["card"])
    for r in body:
        row = report["card"].loc[r[head.index("indicator")]]
        for q in QUANTITIES:
            if q in head and not pd.isna(row[q]):
                assert r[head.index(q)] == pytest.approx(row[q], rel=1e-5), (row.name, q)


#: Page 04's headers as codes or as words (its owner may show either).
_HEADS = {"indicator": "indicator", "target": "indicator", "model": "model", "n": "n", "forecasts": "n",
          "mase": "mase"}


def _accuracy_table(path):
    """Page 04's accuracy table (target, model, forecasts, MASE) as text cells, headers as codes."""
    for t in _tables(path, "(?i)mase"):
        cols = [_HEADS.get(str(c).strip().lower(), str(c)) for c in t.columns]
        if {"indicator", "model", "mase", "n"} <= set(cols):
            t.columns = cols
            return t.astype(str)
    raise AssertionError("page 04 has no accuracy table with target, model, forecasts and MASE")


@pytest.mark.slow
def test_backtest_on_page_02_is_page_04s(report):
    """The issue's 50 vs 60 forecasts and MASE 2.568 vs 1.682: one backtest, one window, one scoring."""
    acc = _accuracy_table(report["path"] / "04_model_backtest.html")
    names = load_plan(report["plan"]).targets().set_index("indicator")["name_en"]
    checked = 0
    for ind, page in _pages(report).items():
        soup = _soup(page)
        mase = {s["data-model"]: s.get_text() for s in soup.select(f'[data-quantity="mase"][data-indicator="{ind}"]')}
        n = {s["data-model"]: s.get_text() for s in
             soup.select(f'[data-quantity="n_forecasts"][data-indicator="{ind}"]')}
        mine = acc[acc["indicator"].isin([ind, names.get(ind, ind)])]
        word = {label("model", m): m for m in mase} | {m: m for m in mase}  # page 04 may name models in words
        assert set(mine["model"]) <= set(word) and len(mine) == len(mase), \
            f"{ind}: page 02 models {sorted(mase)}, page 04 {sorted(mine['model'])}"
        for _, r in mine.iterrows():
            m = word[r["model"]]
            assert _agree(mase[m], r["mase"]), f"{ind} {m}: MASE {mase[m]} vs {r['mase']}"
            assert _numbers(n[m])[0] == _numbers(r["n"])[0], f"{ind} {m}: n"
            checked += 1
    assert checked or acc.empty


@pytest.mark.slow
def test_method_text_is_what_each_series_got(report):
    """The index and page 02 say what each series got (components, stand-ins, no model), not the default."""
    card = assess(load_plan(report["plan"]), n_paths=SMALL["n_paths"], as_of=report["as_of"])
    methods = series_methods(card)
    index_text = _soup(report["path"] / "index.html").get_text(" ")
    for ind, info in methods.items():
        words = method_words(info)
        assert words in index_text, f"{ind}: index method text lacks {words!r}"
        page = _pages(report).get(ind)
        if page is not None and info["components"]:
            assert words in _soup(page).get_text(" "), f"{ind}: page 02 lacks {words!r}"
        if len(info["components"]) < 3 and info["components"]:
            assert "a combination of drift, theta, ets" not in words
