"""The layers of ARCHITECTURE.md, checked: no upward import, no cycle, no module over 600 lines.

Imports are read from the source (module-level and function-level alike), so
an import hidden inside a function to dodge a cycle fails here too.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

import plananalysis

SRC = Path(plananalysis.__file__).resolve().parent
ARCHITECTURE = SRC.parents[1] / "ARCHITECTURE.md"
MAX_LINES = 600

#: Lowest first. A module may import from its own layer or a lower one. A name
#: ending in ".*" is a package: the package and every module in it.
LAYERS = (
    ("base", ("errors", "domain", "paths", "page_words", "labels", "messages", "executors")),
    ("core", ("comparator", "target", "series", "results")),
    ("readers", ("text", "csvrows", "data", "statistics", "sources", "plan", "targets_text", "targets_table",
                 "programme")),
    ("bundle", ("bundle", "datasets")),
    ("models", ("models.*",)),
    ("settings", ("settings",)),
    ("engine", ("progress", "engine")),
    ("study", ("study", "backtesting", "coverage")),
    ("calibration", ("calibration.*",)),
    ("api", ("api",)),
    ("present", ("backtest_view", "formatting", "verdicts", "words", "tables", "present", "plots.*", "fonts", "spreadsheet",
                 "calibration_display")),
    ("report", ("report.*",)),
    ("cli", ("cli", "__main__")),
)


def _modules() -> dict:
    out = {}
    for f in SRC.rglob("*.py"):
        parts = list(f.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            out[".".join(parts)] = f
    return out


def _layer_of(module: str):
    for i, (_, names) in enumerate(LAYERS):
        for name in names:
            if name.endswith(".*") and (module == name[:-2] or module.startswith(name[:-1])):
                return i
            if module == name:
                return i
    return None


def _imports(modules: dict) -> dict:
    """module -> {imported module}: every import of a plananalysis module, at any depth of the file."""
    def resolve(name):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    edges = defaultdict(set)
    for mod, path in modules.items():
        base = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    stem = base[: len(base) - (node.level - 1)] + ([node.module] if node.module else [])
                    full = [".".join(stem + [a.name]) for a in node.names] + [".".join(stem)]
                elif (node.module or "").startswith("plananalysis"):
                    stem = node.module.split(".")[1:]
                    full = [".".join(stem + [a.name]) for a in node.names] + [".".join(stem)]
                else:
                    continue
            elif isinstance(node, ast.Import):
                full = [a.name.split(".", 1)[1] for a in node.names if a.name.startswith("plananalysis.")]
            else:
                continue
            for name in full:
                target = resolve(name)
                if target and target != mod and not mod.startswith(target + "."):
                    edges[mod].add(target)
                    break
    return edges


MODULES = _modules()
EDGES = _imports(MODULES)


def test_every_module_has_a_layer_and_a_line_in_architecture_md():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    unplaced = sorted(m for m in MODULES if _layer_of(m) is None)
    assert unplaced == [], f"give these modules a layer in LAYERS and ARCHITECTURE.md: {unplaced}"
    for module in MODULES:
        leaf = module.replace(".", "/")
        assert re.search(rf"`{re.escape(leaf)}(\.py|/)?`", text), f"ARCHITECTURE.md has no line on {leaf}"


def test_no_module_imports_a_higher_layer():
    upward = [f"{m} ({LAYERS[_layer_of(m)][0]}) imports {t} ({LAYERS[_layer_of(t)][0]})"
              for m, targets in EDGES.items() for t in targets
              if _layer_of(t) is not None and _layer_of(m) is not None and _layer_of(t) > _layer_of(m)]
    assert upward == []


def test_there_is_no_import_cycle():
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in EDGES.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in MODULES:
        if v not in index:
            visit(v)
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_600_lines(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module}: {n} lines"


def test_the_checker_sees_function_level_imports(tmp_path):
    # the test of the test: an import inside a function is an edge like any other
    fake = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    fake["a"].write_text("def f():\n    from .b import g\n", encoding="utf-8")
    fake["b"].write_text("import plananalysis.a\n", encoding="utf-8")
    assert _imports(fake) == {"a": {"b"}, "b": {"a"}}
