"""Two people, one session: no save overwrites a version it never saw, on SQLite and on
PostgreSQL (``ORIENTATION_TEST_PG_URL``, see ``scripts/pg_test_server.sh``); different students
never stand in each other's way."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from db.storage.engine import Database
from db.storage.opening import open_database
from db.students.conflicts import conflict_lines
from db.students.store import (SessionConflictError, SessionState, ShortlistItem, create_student, get_session,
                               save_session, save_session_in, start_session)
from desktop.cli import main
from tests.conftest import DATA

CARE, USEFUL = "T-IDEO2.4807", "T-IDEO2.4812"


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Database, Database]]:
    """Two openings of one database: two windows, or two counselors' computers."""
    from db.catalogue.importing import import_paths

    first = open_database(db_url, load_starter=False)
    import_paths(first, [DATA / "mini.jsonl"])
    second = open_database(db_url, load_starter=False)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _saved_session(database: Database, nom: str) -> int:
    student = create_student(database, nom, "Chloé", "3e B")
    with database.read() as session:
        state = start_session(session, student, "2026-11-20")
    state.interests, state.next_steps = [CARE], "Stage en EHPAD"
    return save_session(database, state)


def _load(database: Database, session_id: int) -> SessionState:
    with database.read() as session:
        return get_session(session, session_id)


def test_a_save_over_a_version_it_never_saw_is_refused_and_says_both(two: tuple[Database, Database]) -> None:
    window_a, window_b = two
    session_id = _saved_session(window_a, "Lefèvre")
    mine_a, mine_b = _load(window_a, session_id), _load(window_b, session_id)
    mine_a.next_steps = "Forum des métiers le 12"
    save_session(window_a, mine_a)
    mine_b.private_notes, mine_b.interests = "parle d'un BTS", [CARE, USEFUL]
    mine_b.shortlist = [ShortlistItem("ORI.aide-soignant", "à voir")]
    with pytest.raises(SessionConflictError, match=r"enregistré ailleurs .* rien n'a été enregistré") as err:
        save_session(window_b, mine_b)
    theirs = err.value.theirs
    assert theirs.next_steps == "Forum des métiers le 12" and err.value.saved_at == theirs.version
    assert _load(window_b, session_id).next_steps == "Forum des métiers le 12"  # A's save is intact
    assert _load(window_b, session_id).private_notes == ""
    with window_b.read() as session:
        lines = conflict_lines(session, theirs, mine_b)
    assert lines == [
        "Centres d'intérêt : leur version ma vocation est de soigner — la vôtre ma vocation est de soigner, "
        "je veux être utile aux autres",
        "Sélection de métiers : leur version aucun — la vôtre aide-soignant/e « à voir »",
        "Prochaines étapes : leur version « Forum des métiers le 12 » — la vôtre « Stage en EHPAD »",
        "Notes privées : leur version (vide) — la vôtre « parle d'un BTS »"]

    # B, having seen theirs, keeps its own: saved over it, and A in turn is told
    save_session(window_b, replace(mine_b, version=theirs.version))
    assert _load(window_a, session_id).private_notes == "parle d'un BTS"
    mine_a.student_note = "Bravo"
    with pytest.raises(SessionConflictError):
        save_session(window_a, mine_a)


def test_saving_the_same_state_twice_is_no_conflict(two: tuple[Database, Database]) -> None:
    """The state a save returns carries the new version: the window saves again and again."""
    window, _ = two
    state = _load(window, _saved_session(window, "Lefèvre"))
    for note in ("un", "deux", "trois"):
        state.student_note = note
        save_session(window, state)
    assert _load(window, state.id or 0).student_note == "trois"


def test_two_students_edited_at_once_both_save(two: tuple[Database, Database]) -> None:
    window_a, window_b = two
    if window_a.engine.dialect.name == "sqlite":
        pytest.skip("SQLite : un seul écrivain à la fois (l'autre attend son tour) ; voir le test suivant")
    first, second = _saved_session(window_a, "Lefèvre"), _saved_session(window_a, "Martin")
    state_a, state_b = _load(window_a, first), _load(window_b, second)
    state_a.next_steps, state_b.next_steps = "pour Chloé Lefèvre", "pour Chloé Martin"
    with window_a.write() as session_a:  # A's save not yet committed while B saves another student
        save_session_in(session_a, state_a)
        with window_b.write() as session_b:
            # Waiting for A's row locks would be an error here, not a silent wait.
            session_b.execute(text("SET LOCAL lock_timeout = '2s'"))
            save_session_in(session_b, state_b)
    assert _load(window_b, first).next_steps == "pour Chloé Lefèvre"
    assert _load(window_a, second).next_steps == "pour Chloé Martin"


def test_two_students_saved_one_after_the_other_from_two_openings(two: tuple[Database, Database]) -> None:
    window_a, window_b = two
    first, second = _saved_session(window_a, "Lefèvre"), _saved_session(window_b, "Martin")
    state_a, state_b = _load(window_a, first), _load(window_b, second)
    state_a.next_steps, state_b.next_steps = "A", "B"
    save_session(window_a, state_a)
    save_session(window_b, state_b)  # loaded before A saved: another student, no conflict
    assert (_load(window_b, first).next_steps, _load(window_a, second).next_steps) == ("A", "B")


def test_the_command_refuses_when_the_session_changed_under_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """``students seance`` reads the latest session then saves it; a save that comes in between
    (possible on a server) makes it refuse in French rather than overwrite it."""
    import db.students.session_edit as session_edit

    db_file = str(tmp_path / "orientation.sqlite")
    database = open_database(db_file, load_starter=False)
    from db.catalogue.importing import import_paths

    import_paths(database, [DATA / "mini.jsonl"])
    session_id = _saved_session(database, "Lefèvre")
    database.close()
    real = session_edit.latest_session

    def read_before_another_save(session, student_id):  # type: ignore[no-untyped-def]
        state = real(session, student_id)
        state.version = datetime(2026, 1, 1)  # what it read is older than the row now
        return state

    monkeypatch.setattr(session_edit, "latest_session", read_before_another_save)
    assert main(["students", "seance", "1", "--note", "écrasera-t-on ?", "--db", db_file]) == 2
    assert "enregistré ailleurs" in capsys.readouterr().err
    database = open_database(db_file, daily=False)
    try:
        assert _load(database, session_id).student_note == ""
    finally:
        database.close()


def test_on_a_server_a_command_racing_a_window_refuses_instead_of_overwriting(pg_url: str) -> None:
    """The real race: ``students seance`` reads the session, a window's save of it is under way
    (not yet committed); the command's save waits for it, then sees a version it never read."""
    import threading
    import time

    from db.catalogue.importing import import_paths
    from db.students.session_edit import SessionEdit, edit_session

    window = open_database(pg_url, load_starter=False)
    command = open_database(pg_url, load_starter=False)
    try:
        import_paths(window, [DATA / "mini.jsonl"])
        session_id = _saved_session(window, "Lefèvre")
        mine = _load(window, session_id)
        mine.next_steps = "celle de la fenêtre"
        outcome: list[BaseException | None] = []

        def run_command() -> None:
            try:
                edit_session(command, mine.student_id, SessionEdit(student_note="celle de la commande"))
                outcome.append(None)
            except BaseException as exc:  # handed over to the test's thread
                outcome.append(exc)

        with window.write() as session:
            save_session_in(session, mine)  # holds the session's row until the commit below
            worker = threading.Thread(target=run_command)
            worker.start()
            waiting = ("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                       "AND datname = current_database()")
            for _ in range(600):  # until the command waits for the window's row lock
                with window.read() as probe:
                    if probe.execute(text(waiting)).scalar():
                        break
                time.sleep(0.05)
            else:
                pytest.fail("la commande n'attend pas le verrou de la fenêtre")
        worker.join()
        assert isinstance(outcome[0], SessionConflictError) and "enregistré ailleurs" in str(outcome[0])
        saved = _load(window, session_id)
        assert (saved.next_steps, saved.student_note) == ("celle de la fenêtre", "")
    finally:
        window.close()
        command.close()
