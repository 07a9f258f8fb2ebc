"""What ``from plananalysis import ...`` gives: the documented functions, not modules."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import plananalysis


@pytest.mark.parametrize("name", sorted(plananalysis._LAZY))
def test_every_exported_name_is_the_function_or_class_not_a_module(name):
    importlib.import_module("plananalysis.study")  # submodules loaded first must not shadow names
    importlib.import_module("plananalysis.backtesting")
    value = getattr(plananalysis, name)
    assert not inspect.ismodule(value), f"plananalysis.{name} is a module"
    assert value is getattr(importlib.import_module(f"plananalysis.{plananalysis._LAZY[name]}"), name)


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        plananalysis.nonsense  # noqa: B018


def test_importing_the_package_stays_light():
    code = "import sys, plananalysis; print('pandas' in sys.modules, 'statsmodels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
