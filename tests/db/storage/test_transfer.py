"""``orientation transfert``: a whole database copied between SQLite and PostgreSQL, identical
table by table, into a new or empty destination only, all or nothing.

The PostgreSQL tests need ``ORIENTATION_TEST_PG_URL`` (``bash scripts/pg_test_server.sh …``);
they are skipped with the reason otherwise. The SQLite → SQLite tests need no server.
"""
from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from db.catalogue.search import Criteria, search
from db.errors import UserError
from db.storage import transfer as transfer_module
from db.storage.engine import Database
from db.storage.opening import open_database
from db.storage.transfer import canonical, database_digests, row_bytes, transfer
from db.students.store import (create_student, find_students, get_session, list_sessions, save_session,
                               start_session)
from desktop.cli import main
from tests.conftest import DATA


def _fill(path: str) -> None:
    """The eight test fiches, two students, sessions with notes, interests, sectors and a shortlist."""
    from db.catalogue.importing import import_paths
    from db.students.store import ShortlistItem

    database = open_database(path, load_starter=False)
    try:
        import_paths(database, [DATA / "mini.jsonl"])
        for nom, prenom in (("Lefèvre", "Chloé"), ("Nguyễn", "Đức")):
            student = create_student(database, nom, prenom, "3e B", "Collège Jean Moulin")
            with database.read() as session:
                state = start_session(session, student, "2026-11-20")
            state.interests, state.sectors_wished = ["T-IDEO2.4807"], ["T-IDEO2.4869"]
            state.shortlist = [ShortlistItem("ORI.aide-soignant", "stage en EHPAD")]
            state.next_steps, state.private_notes, state.max_bac_plus = "Stage\nForum", "confidentiel « é »", 2
            save_session(database, state)
    finally:
        database.close()


@pytest.fixture
def source(tmp_path: Path) -> str:
    path = str(tmp_path / "source.sqlite")
    _fill(path)
    return path


def _visible(db: str) -> tuple[list[str], list[str], list[tuple[str, str, str]]]:
    """What a counselor sees: a search, the students, and the first student's sessions."""
    database = open_database(db, daily=False)
    try:
        with database.read() as session:
            found = [row.name for row in search(session, Criteria(text="soignant"))]
            students = [s.full_name for s in find_students(session)]
            first = find_students(session, "lefevre")[0].id
            sessions = [get_session(session, sid) for sid, _ in list_sessions(session, first)]
        return found, students, [(s.date, s.next_steps, s.private_notes) for s in sessions]
    finally:
        database.close()


def _same_interests(db: str) -> list[str]:
    database = open_database(db, daily=False)
    try:
        with database.read() as session:
            first = find_students(session, "lefevre")[0].id
            return get_session(session, list_sessions(session, first)[-1][0]).interests
    finally:
        database.close()


def test_sqlite_to_sqlite_copies_every_table_identically_without_a_server(source: str, tmp_path: Path) -> None:
    target = tmp_path / "copie" / "orientation.sqlite"
    target.parent.mkdir()
    report = transfer(source, str(target), batch=2)  # small batches: many rounds of read and write
    assert report.committed and report.identical
    by_table = {t.table: t for t in report.tables}
    assert by_table["metiers"].source_rows == 8 and by_table["students"].destination_rows == 2
    assert by_table["sessions"].source_digest == by_table["sessions"].destination_digest
    assert database_digests(str(target)) == database_digests(source)
    assert _visible(str(target)) == _visible(source)
    assert _same_interests(str(target)) == ["T-IDEO2.4807"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # pupils' files: owner only


def test_a_destination_holding_data_is_refused_and_left_unchanged(source: str, tmp_path: Path) -> None:
    target = str(tmp_path / "autre.sqlite")
    database = open_database(target, load_starter=False)
    create_student(database, "Martin", "Paul")
    database.close()
    before = database_digests(target)
    with pytest.raises(UserError, match=r"la destination n'est pas vide .* rien n'a été copié"):
        transfer(source, target)
    assert database_digests(target) == before


def test_a_destination_at_another_schema_version_is_refused(source: str, tmp_path: Path) -> None:
    from sqlalchemy.engine import URL

    from db.storage.migrate import upgrade_if_behind

    target = tmp_path / "ancienne.sqlite"
    upgrade_if_behind(URL.create("sqlite", database=str(target)).render_as_string(), "0008")
    with pytest.raises(UserError, match="autre version de schéma"):
        transfer(source, str(target))
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() and conn.exec_driver_sql(
                "SELECT version_num FROM alembic_version").scalar() == "0008"
    finally:
        engine.dispose()


def test_a_source_at_an_older_schema_version_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    from sqlalchemy.engine import URL

    from db.storage.migrate import upgrade_if_behind

    old = tmp_path / "ancienne.sqlite"
    upgrade_if_behind(URL.create("sqlite", database=str(old)).render_as_string(), "0008")
    before = old.read_bytes()
    with pytest.raises(UserError, match=r"la base source est à la version de schéma 0008, .* ouvrez-la d'abord"):
        transfer(str(old), str(tmp_path / "copie.sqlite"))
    assert old.read_bytes() == before and not (tmp_path / "copie.sqlite").exists()


def test_a_missing_source_is_one_sentence_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"la base source .* n'existe pas"):
        transfer(str(tmp_path / "absente.sqlite"), str(tmp_path / "copie.sqlite"))
    assert not (tmp_path / "absente.sqlite").exists() and not (tmp_path / "copie.sqlite").exists()


def test_a_source_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("bonjour\n" * 200)
    with pytest.raises(UserError, match=r"n'est pas une base de données lisible .* --de"):
        transfer(str(notes), str(tmp_path / "copie.sqlite"))
    assert notes.read_text() == "bonjour\n" * 200 and not (tmp_path / "copie.sqlite").exists()


def test_a_copy_cut_short_leaves_no_new_file(source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = transfer_module._copy_table

    def copy_then_fail(src, dst, table, batch):  # type: ignore[no-untyped-def]
        if table.name == "sessions":
            raise OSError(28, "No space left on device")
        return real(src, dst, table, batch)

    monkeypatch.setattr(transfer_module, "_copy_table", copy_then_fail)
    with pytest.raises(OSError):
        transfer(source, str(tmp_path / "copie.sqlite"))
    assert list(tmp_path.glob("copie.sqlite*")) == []


def test_a_table_that_differs_is_said_and_the_command_fails(source: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    real = transfer_module.table_digest

    def altered(conn, table, batch=transfer_module.BATCH):  # type: ignore[no-untyped-def]
        rows, digest = real(conn, table, batch)
        return (rows, "0" * 64) if table.name == "students" else (rows, digest)

    monkeypatch.setattr(transfer_module, "table_digest", altered)
    target = tmp_path / "copie.sqlite"
    assert main(["transfert", "--de", source, "--vers", str(target)]) == 1
    out, err = capsys.readouterr()
    assert "students" in out and "DIFFÉRENTE" in out and "metiers" in out and "identique" in out
    assert "Transfert annulé" in err and "la destination n'a pas été modifiée" in err
    assert not target.exists()


def test_the_command_prints_rows_and_checksums_per_table(source: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transfert", "--de", source, "--vers", str(tmp_path / "copie.sqlite")]) == 0
    out = capsys.readouterr().out
    digests = database_digests(source)
    line = next(line for line in out.splitlines() if line.startswith("metiers "))
    assert line.split()[1:] == ["8", digests["metiers"][1][:16], digests["metiers"][1][:16], "identique"]
    assert "Transfert terminé" in out and "identiques des deux côtés" in out


def test_values_are_encoded_the_same_whatever_the_engine_returns() -> None:
    assert row_bytes([True]) != row_bytes([1]) and row_bytes([None]) != row_bytes([""])
    assert canonical(0.1) != canonical(0.1000000000000001)  # exact, not rounded
    paris = timezone(timedelta(hours=1))
    assert canonical(datetime(2026, 11, 20, 15, 30, tzinfo=paris)) == canonical(datetime(2026, 11, 20, 14, 30))
    assert canonical(datetime(2026, 11, 20, 14, 30)) == {"datetime": "2026-11-20T14:30:00.000000"}


# ------------------------------------------------------------------ with a PostgreSQL server
@pytest.fixture
def pg_empty(pg_url: str) -> Iterator[str]:
    yield pg_url


def test_sqlite_to_postgresql_and_back_is_identical(source: str, pg_empty: str, tmp_path: Path) -> None:
    to_server = transfer(source, pg_empty, batch=3)
    assert to_server.committed and to_server.identical
    back = tmp_path / "retour.sqlite"
    from_server = transfer(pg_empty, str(back))
    assert from_server.committed and from_server.identical
    assert [(t.table, t.source_rows, t.source_digest) for t in to_server.tables] == \
           [(t.table, t.destination_rows, t.destination_digest) for t in from_server.tables]
    assert database_digests(str(back)) == database_digests(source) == database_digests(pg_empty)
    assert _visible(pg_empty) == _visible(source) == _visible(str(back))
    database: Database = open_database(pg_empty, daily=False)
    try:  # the server's id sequences start after the copied ids
        assert create_student(database, "Martin", "Paul") == 3
    finally:
        database.close()


def test_a_server_destination_holding_data_is_refused(source: str, pg_url: str) -> None:
    database = open_database(pg_url, load_starter=False)
    database.close()
    before = database_digests(pg_url)
    with pytest.raises(UserError, match="la destination n'est pas vide"):
        transfer(source, pg_url)
    assert database_digests(pg_url) == before


def test_a_failed_copy_to_a_server_leaves_it_empty(source: str, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = transfer_module._copy_table

    def copy_then_fail(src, dst, table, batch):  # type: ignore[no-untyped-def]
        if table.name == "sessions":
            raise OSError(5, "Input/output error")
        return real(src, dst, table, batch)

    monkeypatch.setattr(transfer_module, "_copy_table", copy_then_fail)
    with pytest.raises(OSError):
        transfer(source, pg_url)
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []  # not even the schema: one transaction
    finally:
        engine.dispose()


def test_a_value_the_server_refuses_fails_the_whole_copy_in_french(source: str, pg_url: str) -> None:
    """PostgreSQL refuses a NUL character in text, which SQLite stores: nothing is left half-copied."""
    import sqlite3

    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE students SET etablissement = ? WHERE id = 2", ("Collège\x00Moulin",))
    conn.close()
    with pytest.raises(UserError, match=r"la copie a échoué .* la destination n'a pas été modifiée"):
        transfer(source, pg_url)
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert inspect(conn).get_table_names() == []
    finally:
        engine.dispose()


def _with_rome(path: str) -> str:
    """The eight test fiches and the ROME codes and job titles (the shared referential)."""
    from db.catalogue.importing import import_paths
    from tests.conftest import shared_path

    folder = shared_path("data", "rome-v460")
    database = open_database(path, load_starter=False)
    try:
        files = [DATA / "mini.jsonl", folder / "unix_referentiel_code_rome_v460_utf8.csv",
                 folder / "unix_referentiel_appellation_v460_utf8.csv"]
        assert import_paths(database, files).refused == 0
    finally:
        database.close()
    return path


def _briqueteur(db: str) -> list[str]:
    """« Briqueteur » is only a ROME job title of the code the fiche « maçon/ne » cites."""
    database = open_database(db, daily=False)
    try:
        with database.read() as session:
            return [row.id for row in search(session, Criteria(text="briqueteur"))]
    finally:
        database.close()


def test_a_copy_finds_a_fiche_by_its_rome_job_titles(tmp_path: Path) -> None:
    # Each engine indexes the ROME titles its own way (SQLite once per code, migration 0015):
    # the copy builds its index, it is not copied.
    source = _with_rome(str(tmp_path / "source.sqlite"))
    target = tmp_path / "copie.sqlite"
    assert transfer(source, str(target)).identical
    assert _briqueteur(str(target)) == _briqueteur(source) == ["ORI.macon"]


def test_a_server_copy_finds_a_fiche_by_its_rome_job_titles_and_back(tmp_path: Path, pg_empty: str) -> None:
    source = _with_rome(str(tmp_path / "source.sqlite"))
    assert transfer(source, pg_empty).identical
    back = tmp_path / "retour.sqlite"
    assert transfer(pg_empty, str(back)).identical
    assert _briqueteur(pg_empty) == _briqueteur(str(back)) == _briqueteur(source) == ["ORI.macon"]
