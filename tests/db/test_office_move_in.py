"""Moving a counselor's own SQLite file into the office server, as the README says: transfert into
an empty database, serveur init, a counselor account, then the installation account hands each
copied student (no owner yet) to that counselor, who then sees the file and its sessions."""
from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.storage.opening import open_database
from db.students.store import create_student, find_students, latest_session, save_session, start_session
from db.catalogue.importing import import_paths
from db.catalogue.search import Criteria, search, text_notice
from desktop.cli import main
from tests.conftest import DATA


def _cli(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(list(args))


def test_a_local_file_moves_into_the_office_and_its_students_are_handed_to_their_counselor(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "orientation.sqlite"
    database = open_database(str(local), load_starter=False, daily=False)
    assert import_paths(database, [DATA / "mini.jsonl"]).refused == 0
    student_id = create_student(database, "Martin", "Zoé", "3e B")
    with database.read() as session:
        state = start_session(session, student_id, "2026-11-20")
    state.student_note = "Bravo Zoé"
    save_session(database, state)
    database.close()

    tag = uuid.uuid4().hex[:8]
    installer, counselor = f"inst_{tag}", f"c_{tag}"
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {installer} LOGIN CREATEROLE"))
        conn.execute(text(f'ALTER DATABASE "{make_url(pg_url).database}" OWNER TO {installer}'))
        conn.execute(text(f"GRANT CREATE ON SCHEMA public TO {installer}"))
    engine.dispose()
    owner_url = make_url(pg_url).set(username=installer).render_as_string(hide_password=False)
    assert _cli(monkeypatch, "transfert", "--de", str(local), "--vers", owner_url) == 0
    assert _cli(monkeypatch, "serveur", "init", "--db", owner_url) == 0
    assert _cli(monkeypatch, "serveur", "conseiller", "ajouter", counselor, "--db", owner_url,
                stdin="mot-de-passe-1\n") == 0
    counselor_url = make_url(owner_url).set(username=counselor, password="mot-de-passe-1").render_as_string(
        hide_password=False)
    as_counselor = open_database(counselor_url, daily=False)
    try:
        with as_counselor.read() as session:
            assert find_students(session) == []  # copied with no owner: only the installation account sees it
        assert _cli(monkeypatch, "students", "transferer", str(student_id), "--a", counselor, "--db", owner_url) == 0
        with as_counselor.read() as session:
            (found,) = find_students(session)
            assert (found.nom, found.prenom) == ("Martin", "Zoé")
            assert latest_session(session, student_id).student_note == "Bravo Zoé"
            # The copied catalogue is searched as on the file, typos corrected, by a counselor's account.
            criteria = Criteria(text="ingenieru informaticien")
            assert [row.name for row in search(session, criteria)] == ["ingénieur/e informaticien/ne"]
            assert "ingenieur" in (text_notice(session, criteria) or "")
    finally:
        as_counselor.close()
