"""The conda environment.yml and pyproject.toml must list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from plananalysis import paths

_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    """('PyYAML >= 6.0') -> ('pyyaml', '>=6.0'): normalised name and version spec."""
    match = _NAME.match(requirement.split(";")[0])
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def _pyproject():
    with open(paths.ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]


def _conda():
    with open(paths.ROOT / "environment.yml", encoding="utf-8") as handle:
        env = yaml.safe_load(handle)
    conda, pip = {}, {}
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            for item in entry.get("pip", []):
                if not item.startswith("-e"):
                    pip.update([_split(item)])
        else:
            conda.update([_split(entry)])
    return env, conda, pip


def test_environment_lists_the_same_runtime_and_dev_dependencies_as_pyproject():
    project = _pyproject()
    declared = dict(_split(r) for r in project["dependencies"])
    declared.update(_split(r) for r in project["optional-dependencies"]["dev"])
    env, conda, pip = _conda()
    listed = {**conda, **pip}
    listed.pop("python", None)
    listed.pop("pip", None)
    missing = sorted(set(declared) - set(listed))
    extra = sorted(set(listed) - set(declared))
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not extra, f"in environment.yml but not pyproject.toml: {extra}"
    differing = {n: (declared[n], listed[n]) for n in declared if declared[n] != listed[n]}
    assert not differing, f"version specs differ (pyproject, environment): {differing}"


def test_bench_extra_is_named_in_environment_yml_with_the_same_specs():
    # the bench extra lives in its own venv (statsforecast pins pandas < 3); environment.yml says so
    text = (paths.ROOT / "environment.yml").read_text(encoding="utf-8").replace(" ", "")
    bench = _pyproject()["optional-dependencies"]["bench"]
    assert bench
    for requirement in bench:
        assert requirement.replace(" ", "") in text, requirement


def test_environment_installs_the_package_itself_and_matches_python():
    env, _, _ = _conda()
    pip_items = next(e["pip"] for e in env["dependencies"] if isinstance(e, dict))
    assert "-e ." in pip_items
    assert env["name"] == "plananalysis"
    python = next(e for e in env["dependencies"] if isinstance(e, str) and e.startswith("python"))
    minimum = _pyproject()["requires-python"].lstrip(">=")
    assert python.split("=")[-1].startswith(minimum)


@pytest.mark.parametrize("requirement,expected", [
    ("PyYAML>=6.0", ("pyyaml", ">=6.0")),
    ("ruamel_yaml >= 0.17", ("ruamel-yaml", ">=0.17")),
    ("numpy", ("numpy", "")),
])
def test_requirement_names_are_normalised(requirement, expected):
    assert _split(requirement) == expected
