"""When the database server is away: one French sentence at once (no freeze, no traceback), and
the session being edited kept as a local draft, offered again when the server is back.

The "server" of the last tests is the test PostgreSQL server (``ORIENTATION_TEST_PG_URL``)
reached through a TCP relay of our own: closing the relay is the server going away (stopped, or
the network cut), opening it again on the same port is the server coming back.
"""
from __future__ import annotations

import socket
import stat
from pathlib import Path

import pytest

from db.errors import DatabaseLocationError, ServerUnreachableError
from db.storage import engine as engine_module
from db.storage.opening import open_database
from db.students.drafts import find_draft
from db.students.store import create_student, start_session
from desktop.cli import main
from tests import pg_relay
from tests.pg_relay import Relay

relayed = pg_relay.relayed  # the fixture: the test server behind a relay that can be cut


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_port_where_nothing_listens_is_one_french_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql+psycopg://conseiller:secret-123@127.0.0.1:{_free_port()}/orientation"
    with pytest.raises(DatabaseLocationError, match=r"connexion impossible .* vérifiez que le serveur est joignable"):
        open_database(url)
    assert main(["students", "list", "--db", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : connexion impossible") and err.count("\n") == 1
    assert "Traceback" not in err and "secret-123" not in err


def test_a_server_that_accepts_but_never_answers_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The freeze case: the connection opens, nothing ever comes back. Without a connect timeout
    this test would never end."""
    monkeypatch.setattr(engine_module, "CONNECT_TIMEOUT_S", 2)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"postgresql+psycopg://conseiller@127.0.0.1:{silent.getsockname()[1]}/orientation"
        with pytest.raises(DatabaseLocationError, match="connexion impossible"):
            open_database(url)


def test_a_write_when_the_server_went_away_is_one_sentence_and_writes_nothing(
        relayed: tuple[str, Relay, str]) -> None:
    url, relay, socket_path = relayed
    database = open_database(url, load_starter=False)
    try:
        student = create_student(database, "Lefèvre", "Chloé")
        relay.stop()
        with pytest.raises(ServerUnreachableError, match="le serveur de base de données ne répond pas"):
            create_student(database, "Martin", "Paul")
        back = Relay(socket_path, relay.port)  # the server answers again: the same opening works
        try:
            with database.read() as session:
                assert start_session(session, student).student_id == student
        finally:
            back.stop()
    finally:
        database.close()


def test_a_draft_file_is_owner_only_and_names_no_one(tmp_path: Path) -> None:
    from db.students.drafts import drop_draft, keep_draft
    from db.students.store import SessionState

    state = SessionState(student_id=7, date="2026-11-20", private_notes="Lefèvre")
    path = keep_draft("postgresql+psycopg://conseiller:secret@serveur/cio", state)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "cio" not in path.name and "serveur" not in path.name and "secret" not in path.read_text()
    draft = find_draft("postgresql+psycopg://conseiller@serveur/cio", 7)  # the password does not change the key
    assert draft is not None and draft.state.private_notes == "Lefèvre"
    drop_draft("postgresql+psycopg://conseiller@serveur/cio", 7)
    assert find_draft("postgresql+psycopg://conseiller@serveur/cio", 7) is None


def test_erasing_a_student_removes_their_draft(tmp_path: Path) -> None:
    from db.students.drafts import keep_draft
    from db.students.privacy import erase_student
    from db.students.store import SessionState

    database = open_database(str(tmp_path / "orientation.sqlite"), load_starter=False)
    try:
        student = create_student(database, "Lefèvre", "Chloé")
        keep_draft(database.url, SessionState(student_id=student, date="2026-11-20", private_notes="confidentiel"))
        erase_student(database, student)
        assert find_draft(database.url, student) is None
    finally:
        database.close()
