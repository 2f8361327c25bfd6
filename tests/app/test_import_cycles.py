"""No import cycle between the modules of desktop_app, counting the imports
written inside functions too (they run later, but a cycle through them is
still a cycle a reader has to untangle)."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop_app

PACKAGE_DIR = Path(desktop_app.__file__).parent


def module_files(root: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Every module under ``root`` by its dotted name (packages by their own name)."""
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``module`` imports anywhere in its file: at the top,
    inside functions, methods and ``try`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node)
            # ``from pkg import name`` imports the module pkg.name when there is one
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for name in names:
            # ``import a.b.c`` depends on the deepest project module it names
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def import_graph(root: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    files = module_files(root)
    known = set(files)
    return {module: imports_of(module, path, known) for module, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
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


def test_no_import_cycle_between_desktop_app_modules():
    graph = import_graph()
    assert len(graph) > 100, "the walk must see the whole package"
    found = cycles(graph)
    assert found == [], "import cycles (imports inside functions count): " + "; ".join(
        " <-> ".join(c) for c in found)


def test_import_graph_sees_imports_inside_functions():
    graph = import_graph()
    # main.py imports the GUI and the CLI only inside main(): the walk must see both
    assert "desktop_app.ui.app" in graph["desktop_app.main"]
    assert "desktop_app.cli" in graph["desktop_app.main"]
    # a relative ``from . import x`` of a submodule counts as importing that submodule
    assert "desktop_app.cli.safety_cmd" in graph["desktop_app.cli"]


def test_cycle_finder_reports_a_cycle_through_a_function_level_import(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("def later():\n    from .c import thing\n    return thing\n")
    (pkg / "c.py").write_text("import pkg.a\nthing = 1\n")
    (pkg / "d.py").write_text("from .a import b\n")
    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.b", "pkg.c"]]
