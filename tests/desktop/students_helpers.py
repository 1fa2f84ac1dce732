"""Helpers for the student panel tests: a recording file service and GUI steps a counselor takes."""
from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.file_services import FileServices

CARE, USEFUL, ORGANISE, MOVE = "T-IDEO2.4807", "T-IDEO2.4812", "T-IDEO2.4814", "T-IDEO2.4809"


class RecordingFiles(FileServices):
    """Answers file dialogs with prepared paths and records what would have been opened."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.save_answer: str | None = None  # None: the counselor cancelled
        self.open_answer: str | None = None
        self.opened: list[Path] = []
        self.asked: list[str] = []

    def save_path(self, parent, title, suggested, filters):  # type: ignore[no-untyped-def]
        self.asked.append(f"{title} | {suggested}")
        return self.save_answer

    def open_path(self, parent, title, folder, filters):  # type: ignore[no-untyped-def]
        self.asked.append(title)
        return self.open_answer

    def open_file(self, path: Path) -> bool:
        self.opened.append(path)
        return True


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A window shortcut, as typed: the window is made active first (a dialog may have been on top)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, modifier)


def panel_of(window):  # type: ignore[no-untyped-def]
    return window.students.panel


def create_student(qtbot, window, nom: str, prenom: str, classe: str = "3e B",  # type: ignore[no-untyped-def]
                   etablissement: str = "Collège Jean Moulin") -> None:
    """Élève > Nouvel élève…, fill the form, "Enregistrer": the student opens."""
    window.students.menu_actions["Nouvel élève…"].trigger()
    dialog = panel_of(window).dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.nom.setText(nom)
    dialog.prenom.setText(prenom)
    dialog.classe.setCurrentText(classe)
    dialog.etablissement.setText(etablissement)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel_of(window).student is not None and panel_of(window).student.nom == nom)


def tick(window, interest_id: str, checked: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Tick an interest as a click on its box does."""
    item = panel_of(window).editor.interests.item_for(interest_id)
    item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def wait_suggestions(qtbot, window) -> list:  # type: ignore[no-untyped-def]
    """The suggestions once the background computation has settled."""
    panel = panel_of(window)
    qtbot.waitUntil(lambda: not panel.service.busy, timeout=5000)
    return panel.suggestions.suggestions


def suggestion_ids(qtbot, window) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.metier_id for s in wait_suggestions(qtbot, window)]


def add_from_table(window, metier_id: str) -> None:  # type: ignore[no-untyped-def]
    """Select the métier's row in the catalogue table and use its "Ajouter à la sélection" action."""
    model = window.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).id == metier_id)
    window.table.setCurrentIndex(model.index(row, 0))
    window.students.table_add_action.trigger()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, narrow and no-break spaces as plain spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\u202f", " ").replace("\xa0", " ")
