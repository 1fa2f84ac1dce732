"""The layer rules of DESIGN.md, checked on the real import graph."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_db_imports_no_qt_and_no_reportlab():
    loaded = _modules_after("import db, db.catalogue.search, db.catalogue.importing, db.catalogue.export, "
                            "db.catalogue.criteria, db.storage.engine, db.catalogue.starter, db.students.privacy, "
                            "db.students.suggest")
    assert not {m for m in loaded if m.startswith(("PySide6", "shiboken6", "reportlab", "desktop"))}


def test_headless_commands_do_not_load_qt():
    loaded = _modules_after("import desktop.cli")
    assert not {m for m in loaded if m.startswith(("PySide6", "shiboken6"))}


def test_operations_and_the_command_line_hold_no_qt():
    """The window and the command line call the same Qt-free operations."""
    for folder in ("desktop/operations", "desktop/cli"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "PySide6" not in source.replace("desktop.app", ""), path
            if folder == "desktop/operations":
                assert "from desktop.cli" not in source and "print(" not in source, path


def test_the_window_imports_no_command_line_module():
    """No feature lives in a command-line file: the window never imports desktop.cli.*."""
    for path in (ROOT / "desktop").glob("*.py"):
        if path.name == "__main__.py":  # the entry point of ``python -m desktop``
            continue
        source = path.read_text(encoding="utf-8")
        assert "desktop.cli" not in source and "desktop import cli" not in source, path


def test_no_source_file_imports_upwards():
    for package in ("db", "reports"):
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for forbidden in ("import PySide6", "from PySide6", "from desktop", "import desktop"):
                assert forbidden not in source, f"{path} : {forbidden}"


def _import_graph() -> dict[str, set[str]]:
    """Every import between the project's modules, lazy ones inside functions included (only
    imports under ``if TYPE_CHECKING:`` are left out: they never run)."""
    import ast

    modules = {}
    for package in ("db", "reports", "desktop"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
        targets = set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def test_no_import_circle_anywhere():
    graph = _import_graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import circle : " + " → ".join([*path[path.index(module):], module]))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*path, module])
        done.add(module)
    for module in sorted(graph):
        visit(module, [])
    assert len(graph) > 80  # the whole project was read


def test_no_source_file_over_600_lines():
    """Past ~600 lines a module holds more than one idea: split it by concern."""
    for package in ("db", "reports", "desktop", "bench", "tests"):
        for path in (ROOT / package).rglob("*.py"):
            lines = path.read_text(encoding="utf-8").count("\n")
            assert lines <= 600, f"{path.relative_to(ROOT)} : {lines} lignes"
