"""A crash, a power cut or a killed window loses at most the last few seconds of an interview:
the session being edited is kept as a local draft a few seconds after each change, offered again
when the student is next opened, and removed once saved, dropped by choice or the student erased."""
from __future__ import annotations

import stat

from db.students.drafts import CLOSED, drafts_dir, find_draft
from db.students.privacy import erase_student
from db.students.store import get_session
from desktop.student_panel import DRAFT_CHOICES, StudentPanel
from tests.desktop.conftest import RecordingMessages
from tests.desktop.students_helpers import create_student, panel_of


def _edit_and_wait_for_the_draft(qtbot, window, note: str):  # type: ignore[no-untyped-def]
    panel = panel_of(window)
    panel.autosave.setInterval(50)  # (3 s in the window)
    create_student(qtbot, window, "Martin", "Zoé")
    student = panel.student.id
    panel.editor.private_notes.setPlainText(note)
    qtbot.waitUntil(lambda: find_draft(window.database.url, student) is not None)
    return panel, student


def test_a_window_that_dies_unsaved_gives_the_interview_back(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    _panel, student = _edit_and_wait_for_the_draft(qtbot, window, "veut travailler avec les chevaux")
    draft = find_draft(window.database.url, student)
    assert draft is not None and draft.reason == CLOSED
    (path,) = drafts_dir().glob("*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(drafts_dir().stat().st_mode) == 0o700

    # The window is gone without saving (killed): a new one opens the student.
    messages = RecordingMessages()
    messages.choice = DRAFT_CHOICES.index("Reprendre le brouillon")
    again = StudentPanel(window.database, messages)
    qtbot.addWidget(again)
    again.open_student(student)
    question = messages.questions[-1]
    assert "Un brouillon de l'entretien du" in question and "l'application s'est fermée" in question
    assert again.editor.private_notes.toPlainText() == "veut travailler avec les chevaux" and again.dirty
    assert again.save()
    with window.database.read() as session:
        assert get_session(session, again.base.id).private_notes == "veut travailler avec les chevaux"
    assert find_draft(window.database.url, student) is None  # saved: no draft left


def test_saving_or_dropping_the_changes_removes_the_draft(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel, student = _edit_and_wait_for_the_draft(qtbot, window, "première idée")
    assert panel.save()
    assert find_draft(window.database.url, student) is None
    panel.editor.private_notes.setPlainText("seconde idée")
    qtbot.waitUntil(lambda: find_draft(window.database.url, student) is not None)
    window.messages.choice = 1  # « Ne pas enregistrer »
    assert panel.maybe_discard()
    assert find_draft(window.database.url, student) is None


def test_erasing_the_student_removes_the_draft_too(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel, student = _edit_and_wait_for_the_draft(qtbot, window, "à effacer")
    panel.close_student()
    erase_student(window.database, student)
    assert find_draft(window.database.url, student) is None and not list(drafts_dir().glob("*.json"))


def test_nothing_is_kept_for_a_session_nobody_changed(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    panel = panel_of(window)
    panel.autosave.setInterval(50)
    create_student(qtbot, window, "Durand", "Léo")
    panel.keep_draft_now()
    qtbot.wait(150)
    assert find_draft(window.database.url, panel.student.id) is None
