"""Two windows, one session: the second "Enregistrer" shows what the other saved and when, and
the counselor keeps theirs or their own — never a silent overwrite."""
from __future__ import annotations

from db.storage.opening import open_database
from db.students.store import create_student, get_session, list_sessions, save_session, start_session
from desktop.student_panel import CONFLICT_CHOICES
from tests.desktop.students_helpers import panel_of


def _other_window_saves(url: str, session_id: int, next_steps: str) -> None:
    """Another opening of the same database (a second window, a colleague) saves the session."""
    other = open_database(url, daily=False)
    try:
        with other.read() as session:
            state = get_session(session, session_id)
        state.next_steps = next_steps
        save_session(other, state)
    finally:
        other.close()


def _setup(window, mini_db):  # type: ignore[no-untyped-def]
    student = create_student(mini_db, "Lefèvre", "Chloé", "3e B")
    with mini_db.read() as session:
        state = start_session(session, student, "2026-11-20")
    state.next_steps = "Stage en EHPAD"
    session_id = save_session(mini_db, state)
    panel = panel_of(window)
    panel.open_student(student)
    assert panel.base is not None and panel.base.id == session_id and not panel.read_only
    return panel, session_id


def _saved(mini_db, session_id):  # type: ignore[no-untyped-def]
    with mini_db.read() as session:
        return get_session(session, session_id)


def test_keeping_their_version_shows_it_and_saves_nothing_of_mine(qtbot, window, mini_db):
    panel, session_id = _setup(window, mini_db)
    panel.editor.private_notes.setPlainText("mes notes")
    _other_window_saves(mini_db.url, session_id, "Forum des métiers le 12")
    window.messages.choice = CONFLICT_CHOICES.index("Garder leur version")
    assert panel.save()
    question = window.messages.questions[-1]
    assert "a été enregistré ailleurs" in question and "Rien n'a encore été enregistré" in question
    assert "• Prochaines étapes : leur version « Forum des métiers le 12 » — la vôtre « Stage en EHPAD »" in question
    assert "• Notes privées : leur version (vide) — la vôtre « mes notes »" in question
    assert panel.editor.next_steps.toPlainText() == "Forum des métiers le 12"
    assert panel.editor.private_notes.toPlainText() == "" and not panel.dirty
    assert _saved(mini_db, session_id).private_notes == ""
    panel.editor.student_note.setPlainText("Bravo")  # their version, now loaded, saves without a conflict
    assert panel.save() and _saved(mini_db, session_id).student_note == "Bravo"


def test_keeping_mine_saves_it_over_theirs_once_seen(qtbot, window, mini_db):
    panel, session_id = _setup(window, mini_db)
    panel.editor.private_notes.setPlainText("mes notes")
    _other_window_saves(mini_db.url, session_id, "Forum des métiers le 12")
    window.messages.choice = CONFLICT_CHOICES.index("Garder la mienne")
    assert panel.save()
    saved = _saved(mini_db, session_id)
    assert (saved.private_notes, saved.next_steps) == ("mes notes", "Stage en EHPAD")
    assert len(window.messages.questions) == 1


def test_cancelling_keeps_my_edits_unsaved(qtbot, window, mini_db):
    panel, session_id = _setup(window, mini_db)
    panel.editor.private_notes.setPlainText("mes notes")
    _other_window_saves(mini_db.url, session_id, "Forum des métiers le 12")
    window.messages.choice = CONFLICT_CHOICES.index("Annuler")
    assert not panel.save()
    assert panel.dirty and panel.editor.private_notes.toPlainText() == "mes notes"
    assert _saved(mini_db, session_id).next_steps == "Forum des métiers le 12"
    with mini_db.read() as session:
        assert len(list_sessions(session, panel.base.student_id)) == 1
