"""Snapshots of the bundled plans' results (the only place bundled numbers are pinned).

When data or method change on purpose, regenerate with
``.venv/bin/python -m tests.snapshots.regenerate`` (``make snapshots``) and
review the diff; see ``tests/snapshots/regenerate.py``.
"""

from __future__ import annotations

import pytest

from tests.snapshots.regenerate import HERE, SNAPSHOTS, make


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_bundled_results_equal_their_snapshot(name):
    stored = (HERE / name).read_text(encoding="utf-8")
    assert make(name) == stored, (
        f"{name} is stale: if the change is deliberate, run `make snapshots` and review `git diff tests/snapshots`")
