"""The window while the database server is away: the session being edited is kept as a local
draft (owner-only file) and offered again when the server is back (test PostgreSQL server reached
through :class:`tests.pg_relay.Relay`, see ``scripts/pg_test_server.sh``)."""
from __future__ import annotations

import stat

from db.storage.opening import open_database
from db.students.drafts import drafts_dir, find_draft
from db.students.store import create_student, get_session, save_session, start_session
from tests import pg_relay
from tests.pg_relay import Relay

relayed = pg_relay.relayed  # the fixture: the test server behind a relay that can be cut


def test_the_window_keeps_a_draft_and_offers_it_when_the_server_is_back(qtbot, relayed) -> None:  # type: ignore[no-untyped-def]
    from desktop.student_panel import DRAFT_CHOICES, StudentPanel
    from tests.desktop.conftest import RecordingMessages

    url, relay, socket_path = relayed
    database = open_database(url, load_starter=False)
    try:
        student = create_student(database, "Lefèvre", "Chloé")
        with database.read() as session:
            state = start_session(session, student, "2026-11-20")
        session_id = save_session(database, state)
        messages = RecordingMessages()
        panel = StudentPanel(database, messages)
        qtbot.addWidget(panel)
        panel.open_student(student)
        panel.editor.private_notes.setPlainText("ce qu'elle a dit")

        relay.stop()
        assert not panel.save()
        said = messages.texts("error")[-1]
        assert "le serveur de base de données ne répond pas" in said and "gardé en brouillon" in said
        draft_files = list(drafts_dir().glob("*.json"))
        assert len(draft_files) == 1 and stat.S_IMODE(draft_files[0].stat().st_mode) == 0o600
        assert stat.S_IMODE(drafts_dir().stat().st_mode) == 0o700

        back = Relay(socket_path, relay.port)
        try:
            panel.dirty = False  # the counselor closed the student (the draft holds the edits)
            panel.close_student()
            messages.choice = DRAFT_CHOICES.index("Reprendre le brouillon")
            panel.open_student(student)
            assert "brouillon de l'entretien du 20 novembre 2026" in messages.questions[-1].replace("\u202f", " ")
            assert panel.editor.private_notes.toPlainText() == "ce qu'elle a dit" and panel.dirty
            assert find_draft(url, student) is None
            assert panel.save()
            with database.read() as session:
                assert get_session(session, session_id).private_notes == "ce qu'elle a dit"
        finally:
            back.stop()
    finally:
        database.close()


def test_the_window_opening_on_an_unreachable_server_says_so_in_french() -> None:
    """No traceback, no endless wait: the window's opening gives the one French sentence."""
    import socket

    from desktop.app import open_or_recover

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shown: list[str] = []
    url = f"postgresql+psycopg://conseiller:secret@127.0.0.1:{port}/orientation"
    assert open_or_recover(url, lambda _message: False, shown.append) is None
    assert len(shown) == 1 and shown[0].startswith("connexion impossible") and "secret" not in shown[0]
