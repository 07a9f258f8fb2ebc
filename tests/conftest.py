"""Shared fixtures: bundled file paths and throw-away copies of them."""

from __future__ import annotations

import shutil

import pytest

from plananalysis import paths


@pytest.fixture
def raw_copy(tmp_path):
    """A writable copy of ``data/raw`` (tests must never touch the real one)."""
    target = tmp_path / "raw"
    shutil.copytree(paths.DEFAULT_PLAN_DIR, target)
    return target


@pytest.fixture(scope="session")
def default_plan():
    """The default plan bundle (read only)."""
    from plananalysis.bundle import load_plan

    return load_plan()
