"""The shape of the package: no import cycles between nnteach's modules, no module over ~400 lines.

Imports are read with ``ast`` (nothing is imported): module-level and function-level ones,
``import nnteach.x`` and ``from nnteach.x import y`` (and relative imports). Importing
``nnteach.a.b`` runs ``nnteach/a/__init__.py`` first, so it counts as importing ``nnteach.a``
too; a package's ``__init__.py`` importing its own submodules (to re-export them) is not
counted. Imports under ``if TYPE_CHECKING:`` count (they are how a lazy re-export declares
its cycle), and so does ``importlib.import_module("nnteach.x")`` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SOURCE / "nnteach"
MAX_LINES = 400

# Known offenders, each named with a comment saying why and who shrinks it; empty means none.
# The assertion covers every module; a module that drops under the limit must leave the list
# (test_the_allow_list_only_names_real_offenders). The lead empties this list.
OVER_LIMIT_ALLOWED: frozenset[str] = frozenset()


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, plus ``import_module("...")`` calls read as ``import ...``."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(ast.Import(names=[ast.alias(name=node.args[0].value)]))
    return found


def _with_parents(name: str, modules: dict[str, Path]) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:end]) for end in range(1, len(parts) + 1)} & modules.keys()


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The nnteach modules that running ``name`` imports (its own parent packages excluded)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets |= _with_parents(alias.name, modules)
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            origin = ".".join([*base, *([node.module] if node.module else [])])
        else:
            origin = node.module or ""
        targets |= _with_parents(origin, modules)
        for alias in node.names:
            if f"{origin}.{alias.name}" in modules:
                targets |= _with_parents(f"{origin}.{alias.name}", modules)
    own_parents = _with_parents(name, modules) - {name}
    targets -= own_parents | {name}
    if is_package:  # an __init__ re-exporting its own submodules is fine
        targets = {target for target in targets if not target.startswith(f"{name}.")}
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan's algorithm), each closed on its start."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_cycle_through(group, graph) for group in groups]


def _cycle_through(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A concrete path start -> ... -> start inside one strongly connected group."""
    start = group[0]
    members = set(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    return [*group, start]  # pragma: no cover - a strongly connected group always closes


def test_the_graph_sees_every_kind_of_import(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "import nnteach.layers.kinds\n"
        "from nnteach import pixels\n"
        "if TYPE_CHECKING:\n"
        "    from nnteach.summary import Summary\n"
        "def later():\n"
        "    from nnteach.training.runlog import RunLog\n"
        "    import importlib\n"
        "    return importlib.import_module('nnteach.codegen')\n",
        encoding="utf-8",
    )
    found = _imports("nnteach.probe", source, _modules())
    assert found == {
        "nnteach.layers",  # running nnteach/layers/kinds.py runs nnteach/layers/__init__.py first
        "nnteach.layers.kinds",
        "nnteach.pixels",
        "nnteach.summary",
        "nnteach.training",
        "nnteach.training.runlog",
        "nnteach.codegen",
    }
    package = import_graph()["nnteach.layers"]
    assert not any(name.startswith("nnteach.layers.") for name in package), "own submodules are not edges"
    assert "nnteach.layers.validation" in import_graph()["nnteach.layers.codegen"]


def test_find_cycles_names_the_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_nnteach_modules() -> None:
    cycles = find_cycles(import_graph())
    assert not cycles, "Import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def _line_counts() -> dict[str, int]:
    return {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}


def test_no_module_is_over_400_lines() -> None:
    counts = _line_counts()
    over = {name: lines for name, lines in counts.items() if lines > MAX_LINES}
    unexpected = {name: lines for name, lines in over.items() if name not in OVER_LIMIT_ALLOWED}
    assert not unexpected, f"Modules over {MAX_LINES} lines (split them by concept): {unexpected}"


def test_the_allow_list_only_names_real_offenders() -> None:
    counts = _line_counts()
    stale = sorted(name for name in OVER_LIMIT_ALLOWED if counts.get(name, 0) <= MAX_LINES)
    assert not stale, (
        f"These modules are no longer over {MAX_LINES} lines; remove them from OVER_LIMIT_ALLOWED: {stale}"
    )


@pytest.mark.parametrize("name", ["nnteach.training", "nnteach.layers", "nnteach.models"])
def test_split_packages_exist(name: str) -> None:
    assert (PACKAGE / name.removeprefix("nnteach.") / "__init__.py").is_file()
