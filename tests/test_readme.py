"""The README's Python quick-start runs as written."""

from __future__ import annotations

import re

import matplotlib

from plananalysis import paths

matplotlib.use("Agg")


def _python_blocks():
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_quick_start_runs():
    blocks = _python_blocks()
    assert blocks, "README has no python block"
    namespace = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    assert namespace["targets"]["indicator"].tolist()[0] == "enrollment"
    last = int(namespace["enrol"].index.max())
    assert namespace["fc"].to_frame()["year"].tolist() == [last + 1, last + 2, last + 3]


def test_readme_shows_the_two_commands():
    text = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "make report" in text and "make test" in text
