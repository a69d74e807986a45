"""The house drawn from the code: stages as packages, no import circle, small modules,
Whoosh imported only under `engines/whoosh/`, every package saying its job."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import statement_search

PACKAGE = Path(statement_search.__file__).parent
ROOT = "statement_search"
MAX_LINES = 500
WHOOSH_HOME = f"{ROOT}.engines.whoosh"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name → (file, is a package)."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


@cache
def _tree(path: Path) -> ast.Module:
    """A module's syntax tree, parsed once a run (read, never changed, by the tests)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(name: str, path: Path, is_package: bool) -> list[tuple[str, list[str]]]:
    """(imported module, names) for every import in the file, at any depth (functions and
    `TYPE_CHECKING` blocks included)."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, [alias.name for alias in node.names]))
    return found


@cache
def _graph() -> dict[str, set[str]]:
    """Module → the modules it imports (made once a run; the tests only read it)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in modules.items():
        edges: set[str] = set()
        for target, names in _imports(name, path, is_package):
            if not target.startswith(ROOT):
                continue
            for imported in names or [""]:
                if f"{target}.{imported}" in modules:
                    edges.add(f"{target}.{imported}")
                elif target in modules:
                    edges.add(target)
        # Importing `a.b.c` from outside `a.b` runs `a.b`'s `__init__` first: an edge to
        # each such enclosing package but the root, whose names are imported lazily.
        for target in list(edges):
            parts = target.split(".")
            for i in range(2, len(parts)):
                package = ".".join(parts[:i])
                if not (name == package or name.startswith(package + ".")):
                    edges.add(package)
        graph[name] = edges - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_between_modules() -> None:
    assert _cycles(_graph()) == []


def test_whoosh_is_imported_only_under_its_engine_folder() -> None:
    outside = [
        name
        for name, (path, is_package) in _modules().items()
        if not (name == WHOOSH_HOME or name.startswith(WHOOSH_HOME + "."))
        and any(
            target == "whoosh" or target.startswith("whoosh.")
            for target, _ in _imports(name, path, is_package)
        )
    ]
    assert outside == []


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_reachable_follows_imports_through_other_modules() -> None:
    assert _reachable({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"a"}}, "a") == {"b", "c"}


def test_extraction_modules_do_not_import_the_orchestrator() -> None:
    """The stages take the article's context and return results: none reaches back into
    `extract.py`, directly or through another module."""
    graph = _graph()
    package = f"{ROOT}.extraction"
    orchestrator = f"{package}.extract"
    stages = [name for name in graph if name.startswith(package + ".") and name != orchestrator]
    assert f"{package}.context" in stages and f"{package}.speakers" in stages
    assert [name for name in stages if orchestrator in _reachable(graph, name)] == []
    assert orchestrator in _reachable(graph, package)  # the check can see the edge


def _importers(package: str, of: tuple[str, ...]) -> list[tuple[str, str]]:
    """(module of `package`, module of one of `of`) for each direct import between them."""
    graph = _graph()
    inside = [name for name in graph if name == package or name.startswith(package + ".")]
    return sorted(
        (name, target)
        for name in inside
        for target in graph[name]
        if any(target == o or target.startswith(o + ".") for o in of)
    )


def test_stages_import_no_stage_after_them() -> None:
    """Ingest and search are engine-neutral (an engine is reached through `sync_target()` and
    `QuoteEngine`); extraction and the readers know neither ingest nor the engines."""
    engines = (f"{ROOT}.engines",)
    assert _importers(f"{ROOT}.ingest", engines) == []
    assert _importers(f"{ROOT}.search", engines) == []
    later = (f"{ROOT}.ingest", f"{ROOT}.engines")
    assert _importers(f"{ROOT}.extraction", later) == []
    assert _importers(f"{ROOT}.readers", later) == []
    # the check sees such edges where they are meant to be
    assert (f"{ROOT}.engines.index", f"{ROOT}.ingest.writing") in _importers(
        f"{ROOT}.engines", (f"{ROOT}.ingest",)
    )


def test_no_module_over_the_line_limit() -> None:
    long = {
        name: count
        for name, (path, _) in _modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_package_has_a_one_line_docstring() -> None:
    for name, (path, is_package) in _modules().items():
        if not is_package:
            continue
        doc = ast.get_docstring(_tree(path))
        assert doc, f"{name} has no docstring"
        assert doc.splitlines()[0].strip(), f"{name}'s docstring has no first line"


def test_stages_are_packages() -> None:
    packages = {name for name, (_, is_package) in _modules().items() if is_package}
    for stage in ("readers", "extraction", "ingest", "engines", "search", "cli"):
        assert f"{ROOT}.{stage}" in packages
    assert {f"{ROOT}.engines.whoosh", f"{ROOT}.engines.tantivy"} <= packages


def test_the_public_names_stay() -> None:
    for name in statement_search.__all__:
        assert getattr(statement_search, name) is not None
