"""An office's PostgreSQL server: each counselor's files are their own, enforced by the server.

Two counselors A and B are created with ``orientation serveur conseiller ajouter`` (password on
standard input) and connect with their own URLs; what one may not do is tried through the
command line, the db functions and raw SQL. Skipped without ``ORIENTATION_TEST_PG_URL``
(``bash scripts/pg_test_server.sh …``), except the SQLite refusals.
"""
from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from db.errors import UserError
from db.storage.engine import Database
from db.storage.opening import open_database
from db.students.privacy import erase_student
from db.students.sharing import ownership
from db.students.store import create_student, find_students, save_session, start_session
from desktop.cli import main
from tests.conftest import DATA


@dataclass
class Office:
    owner_url: str
    a: str  # logins
    b: str

    def url(self, login: str) -> str:
        return make_url(self.owner_url).set(username=login, password="mot-de-passe-1").render_as_string(
            hide_password=False)


def _cli(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))  # not a terminal: the password is read from it
    return main(list(args))


@pytest.fixture
def office(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Office:
    """A prepared server and two counselors made by the command line. As in an office, the
    installation role owns the database and may create roles, but is not a superuser (a superuser
    would pass every row-level rule without them being tried). No starter catalogue: faster."""
    tag = uuid.uuid4().hex[:8]  # roles belong to the whole test server: new ones per test
    installer = f"inst_{tag}"
    _raw(pg_url, f"CREATE ROLE {installer} LOGIN CREATEROLE")
    _raw(pg_url, f'ALTER DATABASE "{make_url(pg_url).database}" OWNER TO {installer}')
    owner_url = make_url(pg_url).set(username=installer).render_as_string(hide_password=False)
    open_database(owner_url, load_starter=False, daily=False).close()
    assert _cli(monkeypatch, "serveur", "init", "--db", owner_url) == 0
    office = Office(owner_url, f"a_{tag}", f"b_{tag}")
    for login in (office.a, office.b):
        assert _cli(monkeypatch, "serveur", "conseiller", "ajouter", login, "--db", owner_url,
                    stdin="mot-de-passe-1\n") == 0
    return office


@pytest.fixture
def as_a(office: Office) -> Iterator[Database]:
    database = open_database(office.url(office.a), daily=False)
    yield database
    database.close()


@pytest.fixture
def as_b(office: Office) -> Iterator[Database]:
    database = open_database(office.url(office.b), daily=False)
    yield database
    database.close()


def _student_with_session(database: Database, nom: str) -> int:
    student_id = create_student(database, nom, "Test", "3e B")
    with database.read() as session:
        state = start_session(session, student_id, "2026-11-20")
    state.private_notes = f"confidentiel {nom}"
    save_session(database, state)
    with database.write() as session:  # an access-log line too
        from db.students.access_log import log_access

        log_access(session, "export", student_id)
    return student_id


def _raw(url: str, sql: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else [(result.rowcount,)]
    finally:
        engine.dispose()


def test_a_counselor_reads_changes_and_erases_only_their_own_files(
        office: Office, as_a: Database, as_b: Database, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    mine, theirs = _student_with_session(as_a, "Alpha"), _student_with_session(as_b, "Bravo")
    for command in (("show", str(theirs)), ("edit", str(theirs), "--nom", "pris"), ("erase", str(theirs), "--yes"),
                    ("seance", str(theirs), "--note", "pris"), ("export", str(theirs), "--out", "/dev/null")):
        assert _cli(monkeypatch, "students", *command, "--db", office.url(office.a)) == 2
        assert "aucun élève" in capsys.readouterr().err
    with as_a.read() as session:
        assert [s.nom for s in find_students(session)] == ["Alpha"]
    a_url = office.url(office.a)
    assert _raw(a_url, "SELECT id FROM students") == [(mine,)]
    assert _raw(a_url, "SELECT private_notes FROM sessions") == [("confidentiel Alpha",)]
    assert {row[0] for row in _raw(a_url, "SELECT student_id FROM access_log")} == {mine}
    assert _raw(a_url, "SELECT count(*) FROM shortlist s JOIN sessions x ON x.id = s.session_id "
                       "WHERE x.student_id = :b", b=theirs) == [(0,)]
    # Changing or erasing B's rows by SQL reaches nothing; claiming a row for B is refused.
    assert _raw(a_url, "UPDATE students SET nom = 'pris' WHERE id = :b", b=theirs) == [(0,)]
    assert _raw(a_url, "UPDATE sessions SET private_notes = '' WHERE student_id = :b", b=theirs) == [(0,)]
    assert _raw(a_url, "DELETE FROM students WHERE id = :b", b=theirs) == [(0,)]
    with pytest.raises(DBAPIError, match="row-level security"):
        _raw(a_url, "INSERT INTO students (nom, prenom, created_at, search_key, owner) "
                    "VALUES ('x', 'y', now(), 'x y', :b)", b=office.b)
    with pytest.raises(UserError, match="aucun élève"):
        erase_student(as_a, theirs)
    with as_b.read() as session:
        assert [s.nom for s in find_students(session)] == ["Bravo"]
    said = " ".join(erase_student(as_a, mine).sentences())
    assert "Votre compte ne peut pas lancer le nettoyage du serveur (VACUUM)" in said and "pg_dump" in said
    assert _raw(office.url(office.b), "SELECT nom FROM students") == [("Bravo",)]


def test_sharing_shows_the_file_and_only_the_owner_erases_shares_or_hands_it_over(
        office: Office, as_a: Database, as_b: Database, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    student = _student_with_session(as_a, "Alpha")
    a_url, b_url = office.url(office.a), office.url(office.b)
    assert _cli(monkeypatch, "students", "partager", str(student), "--avec", office.b, "--db", a_url) == 0
    assert f"partagé avec {office.b}" in capsys.readouterr().out
    assert _raw(b_url, "SELECT private_notes FROM sessions") == [("confidentiel Alpha",)]
    with as_b.read() as session:
        seen = ownership(session, student)
    assert seen is not None and seen.sentence() == f"Dossier de {office.a} — partagé avec {office.b}"
    with as_a.read() as session:
        assert ownership(session, student).sentence() == f"Votre dossier — partagé avec {office.b}"  # type: ignore[union-attr]
    with pytest.raises(UserError, match="seul·e le ou la propriétaire d'un dossier peut l'effacer"):
        erase_student(as_b, student)
    assert _raw(a_url, "SELECT count(*) FROM sessions") == [(1,)]  # nothing erased
    for action in (("partager", str(student), "--avec", office.a), ("transferer", str(student), "--a", office.b)):
        assert _cli(monkeypatch, "students", *action, "--db", b_url) == 2
        assert "propriétaire du dossier" in capsys.readouterr().err
    with pytest.raises(DBAPIError, match="only the owner"):  # the server says so too, without our checks
        _raw(b_url, "UPDATE students SET owner = :b WHERE id = :s", b=office.b, s=student)
    with pytest.raises(DBAPIError, match="only the owner"):
        _raw(b_url, "INSERT INTO student_shares (student_id, login) VALUES (:s, 'quelquun')", s=student)
    with pytest.raises(DBAPIError, match="only the owner"):
        _raw(b_url, "SELECT orientation_hand_over(:s, :b)", s=student, b=office.b)
    assert _cli(monkeypatch, "students", "partager", str(student), "--avec", office.b, "--retirer",
                "--db", a_url) == 0
    assert _raw(b_url, "SELECT count(*) FROM students") == [(0,)]


def test_a_transfer_moves_the_file_and_its_sessions(office: Office, as_a: Database, as_b: Database,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    student = _student_with_session(as_a, "Alpha")
    assert _cli(monkeypatch, "students", "transferer", str(student), "--a", office.b,
                "--db", office.url(office.a)) == 0
    assert _raw(office.url(office.a), "SELECT count(*) FROM students") == [(0,)]
    assert _raw(office.url(office.b), "SELECT s.nom, x.private_notes, x.owner FROM students s "
                                      "JOIN sessions x ON x.student_id = s.id") == [
        ("Alpha", "confidentiel Alpha", office.b)]
    with as_b.read() as session:
        assert ownership(session, student).mine  # type: ignore[union-attr]


def test_only_an_administrator_imports_into_the_catalogue(office: Office, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    mini = str(DATA / "mini.jsonl")
    assert _cli(monkeypatch, "import", mini, "--db", office.url(office.a)) == 2
    assert "réservé aux comptes administrateurs" in capsys.readouterr().err
    admin = f"adm_{uuid.uuid4().hex[:8]}"
    assert _cli(monkeypatch, "serveur", "conseiller", "ajouter", admin, "--admin", "--db", office.owner_url,
                stdin="mot-de-passe-1\n") == 0
    assert _cli(monkeypatch, "import", mini, "--db", office.url(admin)) == 0
    assert _raw(office.url(office.a), "SELECT count(*) FROM metiers") == [(8,)]  # everyone reads it
    with pytest.raises(DBAPIError, match="permission denied"):
        _raw(office.url(office.a), "DELETE FROM metiers")
    # The office's common settings too: the server's refusal, said in French, nothing written.
    assert _cli(monkeypatch, "settings", "--conservation", "3", "--db", office.url(office.a)) == 2
    assert "votre compte n'en a pas le droit" in capsys.readouterr().err
    assert _raw(office.owner_url, "SELECT count(*) FROM app_meta WHERE key = :k",
                k="retention_annees_supplementaires") == [(0,)]


def test_init_runs_again_and_erases_again_what_a_restored_dump_brought_back(
        office: Office, as_a: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    student = _student_with_session(as_a, "Alpha")
    row = _raw(office.owner_url, "SELECT id, created_at, search_key FROM students")
    erase_student(as_a, student)
    # A pg_dump taken before the erasure, restored: the row is back; the ledger is kept apart.
    _raw(office.owner_url, "INSERT INTO students (id, nom, prenom, created_at, search_key, owner) "
                           "VALUES (:i, 'Alpha', 'Test', :c, :k, :o)", i=row[0][0], c=row[0][1], k=row[0][2],
         o=office.a)
    assert _cli(monkeypatch, "serveur", "init", "--db", office.owner_url) == 0
    assert "1 dossier(s) effacé(s)" in capsys.readouterr().out
    assert _raw(office.owner_url, "SELECT count(*) FROM students") == [(0,)]
    assert _cli(monkeypatch, "serveur", "init", "--db", office.owner_url) == 0  # and again: nothing to do
    assert "effacé" not in capsys.readouterr().out


def test_an_account_is_refused_a_bad_login_a_short_password_or_a_second_creation(
        office: Office, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for login, password, said in (("Émilie Martin", "mot-de-passe-1", "identifiant refusé"),
                                  (f"c_{uuid.uuid4().hex[:8]}", "court", "trop court"),
                                  (office.a, "mot-de-passe-1", "existe déjà")):
        assert _cli(monkeypatch, "serveur", "conseiller", "ajouter", login, "--db", office.owner_url,
                    stdin=password + "\n") == 2
        assert said in capsys.readouterr().err


def test_a_counselor_can_neither_prepare_the_server_nor_create_accounts(
        office: Office, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    a_url = office.url(office.a)
    assert _cli(monkeypatch, "serveur", "init", "--db", a_url) == 2
    assert "compte propriétaire de la base" in capsys.readouterr().err
    assert _cli(monkeypatch, "serveur", "conseiller", "ajouter", f"x_{uuid.uuid4().hex[:8]}", "--db", a_url,
                stdin="mot-de-passe-1\n") == 2
    assert "ne peut pas créer de comptes" in capsys.readouterr().err


def test_server_commands_refuse_a_sqlite_file_and_create_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "orientation.sqlite"
    assert _cli(monkeypatch, "serveur", "init", "--db", str(target)) == 2
    assert "qu'à un serveur PostgreSQL" in capsys.readouterr().err
    assert not target.exists()
    database = open_database(str(target), load_starter=False)
    try:
        student = create_student(database, "Alpha", "Test", None)
        with database.read() as session:
            assert ownership(session, student) is None  # one counselor: no owner line in the window
    finally:
        database.close()
    assert _cli(monkeypatch, "students", "partager", str(student), "--avec", "bob", "--db", str(target)) == 2
    assert "qu'à un serveur PostgreSQL" in capsys.readouterr().err


def _pg_tool(name: str) -> str:
    import glob
    import shutil

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        pytest.skip(f"{name} absent : procédure de restauration non essayée")
    return found[-1]


def test_the_readme_restore_procedure_keeps_an_erased_student_erased(
        office: Office, as_a: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README « Plusieurs conseillers »: dump, erase, keep the ledger, restore, put the ledger back,
    serveur init: the student erased after the dump does not come back."""
    import subprocess

    base = office.owner_url.replace("postgresql+psycopg://", "postgresql://")
    kept, gone = _student_with_session(as_a, "Reste"), _student_with_session(as_a, "Efface")
    dump, ledger = tmp_path / "orientation.dump", tmp_path / "effacements.sql"
    subprocess.run([_pg_tool("pg_dump"), "--enable-row-security", "--format=custom", f"--file={dump}", base],
                   check=True)
    erase_student(as_a, gone)
    subprocess.run([_pg_tool("pg_dump"), "--data-only", "--table=erasures", "--inserts",
                    "--on-conflict-do-nothing", f"--file={ledger}", base], check=True)
    subprocess.run([_pg_tool("pg_restore"), "--enable-row-security", "--clean", "--if-exists", f"--dbname={base}",
                    str(dump)], check=True,
                   capture_output=True)
    assert _raw(office.owner_url, "SELECT count(*) FROM students") == [(2,)]  # the dump brought it back
    subprocess.run([_pg_tool("psql"), "--quiet", "--file", str(ledger), base], check=True, capture_output=True)
    assert _cli(monkeypatch, "serveur", "init", "--db", office.owner_url) == 0
    assert _raw(office.owner_url, "SELECT id FROM students") == [(kept,)]
    assert _raw(office.url(office.a), "SELECT nom FROM students") == [("Reste",)]  # the rules came back too
    assert _student_with_session(as_a, "Nouveau") not in (kept, gone)  # no number handed out twice


def test_each_counselor_has_their_own_profile_and_cannot_change_a_colleagues(
        office: Office, as_a: Database, as_b: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name and contact printed on a family's bilan are the connected counselor's own; the
    office's structure is shared; the server refuses a counselor's writes to anyone else's."""
    from db.errors import PermissionRefusedError
    from db.students.privacy import set_retention_extra_years
    from db.students.settings import Counselor, get_counselor, set_counselor

    installer = open_database(office.owner_url, daily=False)
    try:
        set_counselor(installer, Counselor("Compte d'installation", "", ""))
        _raw(office.owner_url, "INSERT INTO app_meta (key, value) VALUES ('conseiller_structure', 'CIO de Lyon')")
    finally:
        installer.close()
    set_counselor(as_a, Counselor("Mme Alpha", "", "alpha@cio.example"))
    assert _cli(monkeypatch, "settings", "--conseiller", "M. Bêta", "--db", office.url(office.b)) == 0
    with as_a.read() as session:
        assert get_counselor(session) == Counselor("Mme Alpha", "CIO de Lyon", "alpha@cio.example")
    with as_b.read() as session:
        assert get_counselor(session) == Counselor("M. Bêta", "CIO de Lyon", "")  # never a colleague's contact

    # Raw SQL as A: B's profile is out of reach, and so is a key that only looks like A's.
    assert _raw(office.url(office.a), "UPDATE app_meta SET value = 'Pirate' WHERE key = :k",
                k=f"conseiller_nom@{office.b}") == [(0,)]
    for key in (f"conseiller_contact@{office.b}x", f"conseiller_nom@{office.a}x", "conseiller_nom"):
        with pytest.raises(DBAPIError, match="row-level security"):
            _raw(office.url(office.a), "INSERT INTO app_meta (key, value) VALUES (:k, 'Pirate')", k=key)
    with as_b.read() as session:
        assert get_counselor(session).name == "M. Bêta"
    # Saving one's profile with the office's retention unchanged is not refused; changing it is.
    set_retention_extra_years(as_a, 0)
    with pytest.raises(PermissionRefusedError):
        set_retention_extra_years(as_a, 2)
