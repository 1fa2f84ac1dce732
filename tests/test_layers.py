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
