"""The code's layers stay clean (issue 16): no import cycles, no private library names.

Read from the source with ``ast``, so they hold for every module of ``cms/``, including
imports inside functions and modules no other test imports. (Migrations are history:
they are left out.)
"""

from __future__ import annotations

import ast
from pathlib import Path

CMS = Path(__file__).resolve().parents[1] / "cms"

#: Names with a leading underscore that the libraries document as public: Django's Model
#: ``_meta`` API, and ``_replace`` of the standard library's named tuples.
DOCUMENTED = {"_meta", "_replace"}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(CMS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(CMS.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = ast.parse(path.read_text(), str(path))
    return found


def imported(tree: ast.Module, known: dict) -> set[str]:
    """The modules of ``known`` that ``tree`` imports, wherever the import statement is."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in known}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_one_that_imports_it_back():
    known = modules()
    graph = {name: imported(tree, known) - {name} for name, tree in known.items()}
    assert len(graph) > 100  # every module was read
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def private_uses(trees: dict[str, ast.Module]) -> list[str]:
    """``module:line name`` for every ``._name`` read on something other than ``self`` or
    ``cls`` that no module of ``cms/`` defines (so: a library's private name), and every
    ``from library import _name``."""
    ours: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                ours.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                ours.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                ours.add(node.attr)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                ours.add(node.target.id)
    found = []
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and not (node.module or "").startswith("cms"):
                found += [
                    f"{module}:{node.lineno} {alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
            if not isinstance(node, ast.Attribute):
                continue
            name = node.attr
            if not name.startswith("_") or name.startswith("__") or name in DOCUMENTED:
                continue
            if isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
                continue
            if name not in ours:
                found.append(f"{module}:{node.lineno} {name}")
    return found


def test_no_private_name_of_a_library_is_used():
    assert private_uses(modules()) == []


def test_the_private_name_check_finds_one():
    tree = ast.parse(
        "from wagtail.models import _private_helper\n"
        "def f(page, parts):\n"
        "    page._internal_lookup(); page._meta; parts._replace(netloc='x')\n"
    )
    assert private_uses({"m": tree}) == [
        "m:1 _private_helper",
        "m:3 _internal_lookup",
    ]
