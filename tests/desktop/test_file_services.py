"""The save dialog proposes a sensible folder: the last one used (across restarts), else Documents."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from desktop.file_services import FileServices, default_folder


def test_a_bare_file_name_is_proposed_in_documents_then_in_the_last_folder(qapp, tmp_path, monkeypatch):
    proposed: list[str] = []
    chosen = str(tmp_path / "bilans" / "bilan-zoe.pdf")
    answers = [chosen, ""]

    def dialog(parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        proposed.append(suggested)
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert FileServices().save_path(None, "Enregistrer le bilan", "bilan-zoe.pdf", "*.pdf") == chosen
    assert Path(proposed[0]) == Path(default_folder()) / "bilan-zoe.pdf"  # not the program's folder
    assert FileServices().save_path(None, "Enregistrer le bilan", "bilan-leo.pdf", "*.pdf") is None
    assert proposed[1] == str(tmp_path / "bilans" / "bilan-leo.pdf")  # a new object, as after a restart
