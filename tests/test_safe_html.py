"""Safe HTML: text from data files never becomes a live element on any published page.

The end-to-end test copies the bundled data, puts script payloads into every
free-text field of the statistics table and the target-series map, runs the
real report on it (CLI, subprocess) and parses every page with
:mod:`html.parser`, looking for anything that could run: script elements,
event-handler attributes, script URLs, embedded documents, SVG/MathML, and
images that are not embedded.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from plananalysis import paths
from plananalysis.report import safe_url, sanitize_html

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(4)>", '"><svg onload=alert(1)>',
            "<a href=\"javascript:alert(2)\">click</a>", "<iframe src=//evil.example></iframe>"]
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "form", "base", "link", "frame",
                  "frameset", "applet", "meta-refresh"}


class LiveElements(HTMLParser):
    """Collect every element or attribute that could execute or load something."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data", "poster") and not safe_url(
                    value, name, tag):
                self.found.append(f"<{tag} {name}={value[:30]!r}>")
            if name == "style" and "javascript:" in value.lower():
                self.found.append(f"<{tag} style>")
            if name == "http-equiv":
                self.found.append(f"<{tag} http-equiv>")
        if tag == "img" and not dict(attrs).get("src", "").startswith("data:image/"):
            self.found.append("<img> not embedded")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def live_elements(text: str) -> tuple[list[str], str]:
    parser = LiveElements()
    parser.feed(text)
    parser.close()
    return parser.found, "".join(parser.text)


# --------------------------------------------------------------------------- unit


@pytest.mark.parametrize("payload", PAYLOADS + [
    "<IMG SRC=jAvAsCrIpT:alert(1)>", "<a href=' java\tscript:alert(1)'>x</a>", "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>", "<meta http-equiv=refresh content='0;url=x'>",
    "<svg><script>alert(1)</script></svg>", "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<scr<script>ipt>alert(1)</script>", "<!--<script>alert(1)</script>-->", "<object data=x.swf></object>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>", "<p onmouseover='alert(1)'>hover</p>",
])
def test_sanitize_leaves_nothing_live(payload):
    page = f"<html><body><p>before</p>{payload}<p>after</p></body></html>"
    clean = sanitize_html(page)
    found, text = live_elements(clean)
    assert found == [], (payload, clean)
    assert "before" in text and "after" in text
    assert sanitize_html(clean) == clean  # idempotent


def test_sanitize_keeps_what_the_report_uses():
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>td{color:red}</style></head>'
            '<body class="jp-Notebook"><table class="dataframe"><tr><th colspan="2">a &amp; b</th></tr></table>'
            '<img alt="chart" src="data:image/png;base64,iVBORw0KGgo="><a href="results/x/">r</a>'
            '<a href="https://www.mohrss.gov.cn/a?b=1&amp;c=2">s</a><details><summary>s</summary></details>'
            "</body></html>")
    clean = sanitize_html(page)
    for kept in ['<th colspan="2">a &amp; b</th>', "<style>td{color:red}</style>", 'src="data:image/png;base64,',
                 '<a href="results/x/">', 'href="https://www.mohrss.gov.cn/a?b=1&amp;c=2"', "<details>",
                 "<!DOCTYPE html>", '<meta charset="utf-8">']:
        assert kept in clean, kept


# --------------------------------------------------------------------------- end to end


def _inject(path: Path, columns: list[str], every: int = 1) -> None:
    """Put the payloads into the given text columns of a CSV (every ``every``-th row)."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = list(rows[0])
    for i, row in enumerate(rows):
        if i % every:
            continue
        for j, col in enumerate(columns):
            row[col] = (row[col] or "") + " " + PAYLOADS[(i + j) % len(PAYLOADS)]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.chmod(0o644)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(paths.DEFAULT_PLAN_DIR, root / "data" / "raw")
    (root / "notebooks").symlink_to(paths.NOTEBOOKS)
    raw = root / "data" / "raw"
    _inject(raw / "technical_schools_statistics.csv", ["source_title", "quote", "note"])
    _inject(raw / "target_series_map.csv", ["note"])
    params = root / "p.yaml"
    params.write_text("n_paths: 200\n04_model_backtest:\n  max_horizon: 2\n05_calibration:\n  n_boot: 100\n", encoding="utf-8")
    out = root / "reports" / "hostile"
    env = {**os.environ, "PLANANALYSIS_ROOT": str(root)}
    proc = subprocess.run([sys.executable, "-m", "plananalysis.cli", "report", "--out", str(out), "--jobs", "2",
                           "--params", str(params)], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_no_live_element_on_any_page(hostile_report):
    pages = sorted(hostile_report.glob("*.html"))
    assert len(pages) == 10  # index, glossary and 8 notebook pages
    seen_payload = set()
    for page in pages:
        found, text = live_elements(page.read_text(encoding="utf-8"))
        assert found == [], f"{page.name}: {found[:10]}"
        seen_payload |= {p for p in PAYLOADS if p in text}
    # The payloads did reach the pages, as visible text.
    assert "<img src=x onerror=alert(4)>" in seen_payload and "<script>alert(1)</script>" in seen_payload


def test_payloads_shown_as_text_in_the_index(hostile_report):
    found, text = live_elements((hostile_report / "index.html").read_text(encoding="utf-8"))
    assert found == []
    assert '"><svg onload=alert(1)>' in text  # in the sources table, escaped
