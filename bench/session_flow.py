"""A whole interview played on the real window, keyboard only, counting the counselor's actions.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/session_flow.py

Prints ``{"actions": N, "seconds": S}``. The session is the one of issue 14: create Zoé Martin
(3e B), tick three interests, set a level and a salary, read the fiches of the suggestions, keep
three métiers with a comment each (the first three kept come ticked for comparison) and compare
them, write a next step, a note and a private note, make the bilan (which saves the session),
quit, start again and find the session as it was left.

One action is one key or key chord (Tab, Entrée, Ctrl+D…) or one text typed into the field that has
the focus. Every key goes to the widget that has the focus, as on a real keyboard: nothing is
clicked, no widget is focused by the script. The figure is the number of actions; ``seconds`` is
the wall time of the run (pytest-qt, offscreen), not a goal.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ORIENTATION_FIRST_RUN", "0")  # the welcome is not part of the interview

import pytest  # noqa: E402  (after the environment is set)
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

CTRL = Qt.KeyboardModifier.ControlModifier
RESULT_ENV = "SESSION_FLOW_RESULT"  # the file the test writes its figures to (pytest imports this file anew)
KEY_PAUSE_MS = 30  # between two keys, as a person types
SEARCH_PAUSE_MS = 600  # > QApplication.keyboardInputInterval: a new type-ahead search in a list


class Keyboard:
    """Sends keys to the focused widget and counts the actions."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.actions = 0

    def focus(self):  # type: ignore[no-untyped-def]
        """Where a key goes: the focused widget, else the active window (as on a desktop)."""
        widget = QApplication.focusWidget() or QApplication.activeWindow()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.actions += 1
        self.qtbot.keyClick(self.focus(), key, modifier)
        self.qtbot.wait(KEY_PAUSE_MS)  # what a key queued (an edit committed, a dialog opened) is done

    def type(self, text: str) -> None:
        self.actions += 1
        for char in text:
            if char.isascii():
                self.qtbot.keyClicks(self.focus(), char)
            else:  # QTest only types ASCII; a French keyboard sends the accented letter as text
                key = ord(char.upper()) if ord(char.upper()) < 256 else 0  # Qt.Key_Agrave… for Latin-1 letters
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(self.focus(), QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))

    def find_in_list(self, text: str) -> None:
        """Type-ahead in a list or tree, with a pause on each side: the text starts a new search,
        and the next Space ticks instead of extending the search (as a person pauses to look)."""
        self.qtbot.wait(SEARCH_PAUSE_MS)
        self.type(text)
        self.qtbot.wait(SEARCH_PAUSE_MS)


def test_session_flow(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.storage.opening import open_database
    from desktop.main_window import MainWindow
    from desktop.settings import Settings
    from tests.desktop.conftest import RecordingMessages
    from tests.desktop.students_helpers import RecordingFiles

    database = open_database(str(tmp_path / "orientation.sqlite"), backups=False)
    files = RecordingFiles(tmp_path)
    files.save_answer = str(tmp_path / "bilan.pdf")

    def open_window() -> MainWindow:
        window = MainWindow(database, settings=Settings(tmp_path / "orientation.ini"), messages=RecordingMessages())
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        assert window.students is not None
        window.students.use_files(files)  # the bilan is "opened" in a recorder, not a PDF viewer
        assert window.students.panel.list.search_box.hasFocus()  # where the window's focus lands at start
        return window

    started = time.perf_counter()
    window = open_window()
    kb = Keyboard(qtbot)
    panel = window.students.panel
    wait = qtbot.waitUntil

    # 0:00 — the student's record, typed as it reads in the student search where the window opens
    kb.type("Zoé Martin 3e B")  # looked for first: nobody has this name
    kb.key(Qt.Key.Key_Return)  # nobody found: the new student's form, filled from what was typed
    wait(lambda: panel.dialog is not None and panel.dialog.isVisible())
    assert (panel.dialog.prenom.text(), panel.dialog.nom.text(), panel.dialog.classe.currentText()) == \
        ("Zoé", "Martin", "3e B")
    kb.key(Qt.Key.Key_Return)  # « Enregistrer »
    wait(lambda: panel.student is not None and panel.student.prenom == "Zoé")

    # 0:02 — three interests at once, a level, a salary
    window.activateWindow()  # the window manager gives the keyboard back to the window (not an action)
    wait(panel.editor.interest_finder.hasFocus)  # the new student opens on the interests field
    kb.type("utile, vocation, bouger")
    kb.key(Qt.Key.Key_Return)  # ticks the three, then on to the criteria: the cursor on the level
    assert len(panel.editor.interests.ticked()) == 3
    wait(panel.editor.constraints.level_combo.hasFocus)
    kb.find_in_list("bac + 3")  # the level typed as it reads
    kb.key(Qt.Key.Key_Tab)
    kb.type("1800")
    assert panel.editor.constraints.values().max_bac_plus == 3
    assert panel.editor.constraints.values().min_salary == 1800

    # 0:10 — the suggestions read, fiche after fiche; three kept, each with a comment typed as it is kept
    comments = ["stage à découvrir", "journée portes ouvertes", "en parler aux parents"]
    shortlist = panel.editor.shortlist
    kb.key(Qt.Key.Key_Return)  # the criteria are set: the cursor on the best suggestion, its fiche shown
    wait(lambda: panel.suggestions.list.hasFocus() and window.fiche_view.fiche is not None)
    read = [window.fiche_view.fiche.id]
    for comment in comments:
        kb.key(Qt.Key.Key_D, CTRL)  # keeps the highlighted one (the comment open), highlights the next
        wait(lambda: shortlist.table.viewport().isAncestorOf(kb.focus()))
        kb.type(comment)
        read.append(window.fiche_view.fiche.id)
    assert len(set(read)) >= 3  # the fiche pane followed: each métier's fiche was read before it was kept

    # 0:25 — the three kept came ticked "Comparer": compared side by side
    kb.key(Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Comparer les métiers cochés
    assert [item.comment for item in shortlist.entries()] == comments  # the last comment kept as the focus left
    assert len(shortlist.compared()) == 3
    wait(lambda: window.fiche_view.comparing() and window.fiche_view.comparison.table.columnCount() == 3)

    # 0:35 — next step, note, private note; save; bilan (the comparison is in the window: no window to close)
    kb.key(Qt.Key.Key_4, CTRL)  # the Notes tab, the cursor in "Prochaines étapes"
    wait(panel.editor.next_steps.hasFocus)
    kb.type("Stage d'observation en clinique vétérinaire")
    kb.key(Qt.Key.Key_Tab)
    kb.type("Bravo Zoé : tu sais ce qui te plaît. Parle de ces trois métiers avec tes parents.")
    kb.key(Qt.Key.Key_Tab)
    kb.type("Hésite encore, à revoir en mars.")
    kb.key(Qt.Key.Key_B, CTRL)  # saves the session, makes its bilan and opens it in the PDF viewer
    wait(lambda: not panel.dirty and panel.base is not None and panel.base.id is not None)
    wait(lambda: bool(files.opened), timeout=20_000)
    assert window.students.report.dialog is None  # no window in between to answer

    # Months later — quit, start again, the session is where it was left
    window.activateWindow()  # the window manager gives the keyboard back to the window (not an action)
    wait(window.isActiveWindow)
    kb.key(Qt.Key.Key_Q, CTRL)
    wait(lambda: not window.isVisible())
    window = open_window()
    panel = window.students.panel
    assert panel.list.students[0].prenom == "Zoé"  # the list opens on the most recently seen, first
    kb.key(Qt.Key.Key_Return)  # Entrée in the (empty) student search opens the first one
    wait(lambda: panel.student is not None and panel.student.prenom == "Zoé")
    state = panel.current_state()
    assert state is not None and len(state.shortlist) == 3 and len(state.interests) == 3
    assert state.student_note.startswith("Bravo Zoé")
    result = {"actions": kb.actions, "seconds": round(time.perf_counter() - started, 1)}
    if RESULT_ENV in os.environ:
        Path(os.environ[RESULT_ENV]).write_text(json.dumps(result), encoding="utf-8")
    window.close()
    database.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        result_file = Path(folder) / "result.json"
        os.environ[RESULT_ENV] = str(result_file)
        status = pytest.main([__file__, "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", str(ROOT)])
        if status != 0 or not result_file.exists():
            print(json.dumps({"error": "la séance n'a pas pu être jouée jusqu'au bout"}, ensure_ascii=False))
            return 1
        print(result_file.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
