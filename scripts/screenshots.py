"""Screenshots of the main window for a look before committing a layout change (developer tool).

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py OUT_FOLDER
Opens the window on a fresh database with the starter catalogue, creates a student with three
interests and two shortlisted métiers, filters the catalogue and opens a fiche, then saves
``window-WxH.png`` at 1280×720 and 1366×768 (and the interests typed in their field, each tab of
the session, the comparison in place of the fiche).
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


def main(out: Path) -> None:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from db.storage.opening import open_database
    from db.students.store import create_student
    from desktop.main_window import MainWindow
    from desktop.settings import Settings

    app = QApplication.instance() or QApplication([])
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
        window.grab().save(str(out / f"window-{size[0]}x{size[1]}.png"))
        panel.editor.interest_finder.setText("utile, bouger, xylophone")
        panel.editor.interest_finder.tick_typed()  # what the field says after Entrée
        wait(200)
        window.grab().save(str(out / f"window-{size[0]}x{size[1]}-interets.png"))
        for tab, name in ((1, "criteres"), (2, "selection"), (3, "notes")):
            panel.editor.setCurrentIndex(tab)
            wait(200)
            window.grab().save(str(out / f"window-{size[0]}x{size[1]}-{name}.png"))
        window.students.compare_checked()  # the comparison in place of the fiche
        wait(300)
        window.grab().save(str(out / f"window-{size[0]}x{size[1]}-comparaison.png"))
        panel.dirty = False
        window.close()
    database.close()
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
