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


def test_the_top_level_fits_on_a_screen():
    public = [n for n in plananalysis.__all__ if not n.startswith("_")]
    assert len(public) <= 16, public
    for action in ("load_plan", "Settings", "assess", "vintages", "forecast", "backtest", "calibrate", "run_report"):
        assert action in public


@pytest.mark.parametrize("name", sorted(plananalysis._MOVED))
def test_a_name_of_0_2_still_works_for_one_release_and_says_where_it_moved(name):
    with pytest.warns(DeprecationWarning, match=rf"plananalysis\.{name} moved to plananalysis\.\w+\.{name}"):
        value = getattr(plananalysis, name)
    assert value is getattr(importlib.import_module(f"plananalysis.{plananalysis._MOVED[name]}"), name)


def _public_callables():
    import pkgutil

    for info in pkgutil.walk_packages(plananalysis.__path__, "plananalysis."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj):
                yield f"{info.name}.{name}", obj
            elif inspect.isclass(obj):
                for meth_name, meth in vars(obj).items():
                    if inspect.isfunction(meth) and not meth_name.startswith("_"):
                        yield f"{info.name}.{name}.{meth_name}", meth


def test_no_public_signature_carries_a_private_keyword():
    offenders = [f"{where}({p})" for where, fn in _public_callables()
                 for p in inspect.signature(fn).parameters if p.startswith("_")]
    assert offenders == []
