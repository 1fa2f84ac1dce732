"""Screenshots of the main window for a look before committing a layout change (developer tool).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py OUT_FOLDER
Opens the window on a fresh database with the starter catalogue, creates a student with three
interests and two shortlisted métiers, filters the catalogue and opens a fiche, then saves
``window-WxH.png`` at 1280×720 and 1366×768 (and the interests typed in their field, each tab of
the session, the comparison in place of the fiche). With ``--sombre``, under a dark Fusion palette
(``window-WxH-sombre….png``), with a warning in the message bar.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ORIENTATION_FIRST_RUN", "0")


def dark_palette():  # type: ignore[no-untyped-def]
    """A dark palette as a desktop's dark theme gives one."""
    from PySide6.QtGui import QColor, QPalette
    palette = QPalette()
    for role, colour in (("Window", "#353535"), ("WindowText", "#f0f0f0"), ("Base", "#252525"),
                         ("AlternateBase", "#303030"), ("Text", "#f0f0f0"), ("Button", "#404040"),
                         ("ButtonText", "#f0f0f0"), ("Highlight", "#2a82da"), ("HighlightedText", "#ffffff"),
                         ("ToolTipBase", "#404040"), ("ToolTipText", "#f0f0f0"), ("PlaceholderText", "#a0a0a0")):
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    return palette


def main(out: Path, dark: bool = False) -> None:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from db.storage.opening import open_database
    from db.students.store import create_student
    from desktop.main_window import MainWindow
    from desktop.settings import Settings

    app = QApplication.instance() or QApplication([])
    suffix = ""
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
        suffix = "-sombre"
    temp = Path(tempfile.mkdtemp())
    database = open_database(str(temp / "o.sqlite"), backups=False)
    student_id = create_student(database, "Martin", "Zoé", "3e B", "Collège Jean Moulin", "2026-2027",
                                current_class="3e")

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    for size in ((1280, 720), (1366, 768)):
        window = MainWindow(database, settings=Settings(temp / f"{size[0]}.ini"))
        window.resize(*size)
        window.show()
        wait(300)
        panel = window.students.panel
        panel.open_student(student_id)
        for item in panel.editor.interests._leaves()[:3]:
            item.setCheckState(0, Qt.CheckState.Checked)
        window.filters.search_box.setText("soin")
        wait(1500)
        for row in range(min(2, window.model.rowCount())):
            window.table.setCurrentIndex(window.model.index(row, 0))
            window.students.add_current_row()
        window.table.setCurrentIndex(window.model.index(0, 0))
        window.open_row(window.model.index(0, 0))
        wait(1500)
        if dark:
            window.messages.warning("Exemple d'avertissement : la sauvegarde du jour n'a pas pu être faite.")
        window.grab().save(str(out / f"window-{size[0]}x{size[1]}{suffix}.png"))
        panel.editor.interest_finder.setText("utile, bouger, xylophone")
        panel.editor.interest_finder.tick_typed()  # what the field says after Entrée
        wait(200)
        window.grab().save(str(out / f"window-{size[0]}x{size[1]}{suffix}-interets.png"))
        for tab, name in ((1, "criteres"), (2, "selection"), (3, "notes")):
            panel.editor.setCurrentIndex(tab)
            wait(200)
            window.grab().save(str(out / f"window-{size[0]}x{size[1]}{suffix}-{name}.png"))
        window.students.compare_checked()  # the comparison in place of the fiche
        wait(300)
        window.grab().save(str(out / f"window-{size[0]}x{size[1]}{suffix}-comparaison.png"))
        panel.dirty = False
        window.close()
    database.close()
    app.quit()


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg != "--sombre"]
    main(Path(args[0] if args else "."), dark="--sombre" in sys.argv[1:])
