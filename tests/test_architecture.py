"""The shape of the house: layers import only downwards, no cycles, no hidden imports.

The layer rule itself is the import-linter contract in ``.importlinter``;
these tests run it and add what a contract cannot say.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "geo", "ingest", "analysis", "render", "cli", "ui")
#: A project import inside a function must say why on its line or the line above.
LAZY_MARK = "# lazy:"


def _project_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_layer_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules))))
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
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles_between_modules():
    graph = grimp.build_graph(*PACKAGES)
    # Package __init__ modules that re-export their children are not cycles of code.
    modules = {m for m in graph.modules if not graph.find_children(m)}
    assert _cycles(graph, modules) == []


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "b", "c"):
        graph.add_module(name)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="a")
    graph.add_import(importer="b", imported="c")
    assert _cycles(graph, {"a", "b", "c"}) == [["a", "b"]]


def _function_imports(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    lines = source.splitlines()
    hidden = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for sub in ast.walk(node):
            names = ([sub.module or ""] if isinstance(sub, ast.ImportFrom)
                     else [a.name for a in sub.names] if isinstance(sub, ast.Import) else [])
            if any(n.split(".")[0] in PACKAGES for n in names):
                here = lines[sub.lineno - 1]
                above = lines[sub.lineno - 2] if sub.lineno > 1 else ""
                if LAZY_MARK not in here and LAZY_MARK not in above:
                    hidden.append((sub.lineno, names[0]))
    return hidden


def test_no_project_import_inside_a_function_without_its_reason():
    hidden = {str(p.relative_to(ROOT)): found for p in _project_files() if (found := _function_imports(p))}
    assert hidden == {}, f"say why with '{LAZY_MARK} …' beside the import, or move it to the top: {hidden}"


def test_hidden_import_check_sees_one(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from analysis.coverage import x\n\n"
                      "def g():\n    # lazy: the command runs only when asked\n    from cli.main import main\n")
    assert _function_imports(sample) == [(2, "analysis.coverage")]


def test_router_imports_only_pages_widgets_and_core():
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    imported = {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    imported |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert imported <= {"__future__", "streamlit", "ui", "core"}, imported


@pytest.mark.parametrize("package", ["core", "geo", "ingest", "analysis"])
def test_lower_layers_build_no_html(package):
    """HTML is built in render/ (and ui/): the lower layers hold no markup and no html.escape."""
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        text = path.read_text()
        tree = ast.parse(text)
        uses_html = any(isinstance(n, ast.Import) and any(a.name == "html" for a in n.names) for n in ast.walk(tree))
        markup = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                  and any(tag in n.value for tag in ("<div", "<span", "<b>", "<br", "<p>", "<table", "<td"))]
        if uses_html or markup:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
