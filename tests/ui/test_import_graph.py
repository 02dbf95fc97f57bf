"""The shape of the code, beyond what import-linter's contracts say (pyproject.toml): no module of app
imports itself back through others, imports inside functions included; and only the diagram package
touches the diagram's items, which everyone else changes through the scene's overlay API."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

APP = Path(__file__).resolve().parents[2] / "app"
ITEM_VIEWS = {"node_items", "edge_items", "cut_marks"}  # read-only views of the scene's items


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every set of modules that import each other round in a circle (strongly connected components
    of more than one module, or a module importing itself), each sorted; Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or graph.direct_import_exists(importer=node, imported=node):
                    cycles.append(sorted(component))
    return cycles


def test_the_cycle_finder_finds_cycles() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d"), ("p.e", "p.e")):
        graph.add_import(importer=importer, imported=imported)
    assert sorted(import_cycles(graph)) == [["p.a", "p.b", "p.c"], ["p.e"]]


def test_no_import_cycle_anywhere_in_app() -> None:
    graph = grimp.build_graph("app", include_external_packages=False)
    assert "app.ui.shell.main_window" in graph.modules and len(graph.modules) > 50  # the whole app was read
    assert import_cycles(graph) == []


def test_only_the_diagram_package_reaches_the_diagram_items() -> None:
    reaching = []
    for path in sorted(APP.rglob("*.py")):
        if path.is_relative_to(APP / "ui" / "diagram"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ITEM_VIEWS | {"_items", "_edge_items"}:
                reaching.append(f"{path.relative_to(APP.parent)}:{node.lineno}: .{node.attr}")
    assert reaching == []
