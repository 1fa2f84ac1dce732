"""An erased student leaves no trace in any file the application made: the database, its
journal, every automatic backup taken over several (simulated) days, the bilans opened for
viewing, the log, the temporary folder; and no restore brings them back."""
from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from db.storage import backup
from db.storage.opening import open_database
from db.storage.paths import data_dir, log_dir
from db.students.privacy import access_log, erase_student, export_student
from db.students.store import SessionState, ShortlistItem, create_student, find_students, get_session, list_sessions, \
    save_session
from db.students.store import update_student
from db.students.viewer_copies import report_file_name, student_copies_dir
from desktop.cli import main

MARKERS = {"nom": "Zqnomxw", "prenom": "Zqprenomxw", "classe": "Zqclassexw", "etablissement": "Zqetabxw",
           "annee_scolaire": "2031-2032"}
NOTE_MARKERS = {"next_steps": "Zqetapesxw", "student_note": "Zqnoteelevexw", "comment": "Zqcommentairexw"}
PRIVATE = "Zqprivexw"
ALL_MARKERS = [*MARKERS.values(), *NOTE_MARKERS.values(), PRIVATE]


@pytest.fixture
def temp_dir(tmp_path, monkeypatch) -> Path:
    """The temporary folder the application uses (tempfile honours TMPDIR once its cache is reset)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def _days(monkeypatch, day: int) -> None:
    moment = datetime(2026, 11, 2, 8, 30) + timedelta(days=day)
    monkeypatch.setattr(backup, "now", lambda: moment)


def _files_holding_markers(*folders: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for folder in folders:
        for path in (p for p in folder.rglob("*") if p.is_file()):
            data = path.read_bytes().lower()
            hits = [m for m in ALL_MARKERS if m.lower().encode() in data]
            if hits:
                found[str(path)] = hits
    return found


def _make_student(database) -> int:
    student_id = create_student(database, MARKERS["nom"], MARKERS["prenom"], MARKERS["classe"],
                                MARKERS["etablissement"], MARKERS["annee_scolaire"])
    with database.read() as session:
        metier = session.execute(__import__("sqlalchemy").text("SELECT id FROM metiers LIMIT 1")).scalar_one()
    save_session(database, SessionState(
        student_id=student_id, date="2026-11-02", interests=["T-IDEO2.4814"], shortlist=[
            ShortlistItem(metier, NOTE_MARKERS["comment"])], next_steps=NOTE_MARKERS["next_steps"],
        student_note=NOTE_MARKERS["student_note"], private_notes=f"{PRIVATE} v0"))
    return student_id


def _edit_private_note(database, student_id: int, version: int) -> None:
    with database.read() as session:
        state = get_session(session, list_sessions(session, student_id)[-1][0])
    state.private_notes = f"{PRIVATE} v{version} " + "détail " * version
    save_session(database, state)


def test_erasure_reaches_every_copy_and_no_restore_brings_the_student_back(monkeypatch, temp_dir, tmp_path,
                                                                          capsys):
    _days(monkeypatch, 0)
    database = open_database()
    student_id = _make_student(database)
    manual = tmp_path / "a-moi" / "copie-manuelle.sqlite"
    assert main(["backup", "--out", str(manual)]) == 0
    database.close()
    for day in range(1, 6):  # five days of use: a daily backup each morning, the private note edited
        _days(monkeypatch, day)
        database = open_database()
        _edit_private_note(database, student_id, day)
        database.close()
    assert len(backup.automatic_backups(backup.sqlite_path(database.url))) >= 5
    # A bilan was opened in the PDF viewer and the application was then killed (copy left behind).
    viewer = student_copies_dir(student_id, create=True) / report_file_name(MARKERS["nom"], MARKERS["prenom"],
                                                                              "2026-11-02")
    viewer.write_bytes(f"%PDF bilan de {MARKERS['nom']}".encode())
    before = _files_holding_markers(data_dir(), temp_dir)
    assert len(before) >= 6, before  # the database and the backups hold the student before

    capsys.readouterr()
    assert main(["students", "erase", str(student_id), "--yes"]) == 0
    said = capsys.readouterr().out
    assert "aussi été effacé de" in said and "sauvegardes automatiques" in said and "ne sont pas touchées" in said

    assert _files_holding_markers(data_dir(), log_dir(), temp_dir) == {}
    db_file = data_dir() / "orientation.sqlite"
    oldest = backup.automatic_backups(db_file)[0]
    for restored in (oldest, manual):  # neither a backup nor the user's own copy brings them back
        assert main(["restore", str(restored), "--yes"]) == 0
        database = open_database()
        with database.read() as session:
            assert [s.nom for s in find_students(session)] == []
            assert [e["action"] for e in access_log(session)].count("effacement") <= 1
        database.close()
        assert _files_holding_markers(data_dir(), log_dir(), temp_dir) == {}


@pytest.mark.sqlite_only(reason="l'effacement atteint les sauvegardes et copies du fichier SQLite")
def test_a_restore_over_a_damaged_database_still_knows_the_erasures(mini_db, db_path, tmp_path):
    """The ledger file beside the backups survives the database: a copy made before the erasure
    and restored after the database was lost does not bring the student back."""
    keep = create_student(mini_db, "Reste", "Là")
    gone = _make_student(mini_db)
    manual = backup.backup_to(db_path, tmp_path / "avant.sqlite")
    erase_student(mini_db, gone)
    mini_db.close()
    db_path.write_bytes(b"\0" * 4096)  # the database is lost
    backup.restore_from(db_path, manual)
    database = open_database(str(db_path))
    with database.read() as session:
        assert [s.id for s in find_students(session)] == [keep]
    database.close()


@pytest.mark.sqlite_only(reason="l'effacement atteint les sauvegardes et copies du fichier SQLite")
def test_a_new_student_given_the_number_of_an_erased_one_survives_a_restore(mini_db, db_path, tmp_path):
    first = create_student(mini_db, "Premier", "Élève")
    erase_student(mini_db, first)
    copy = backup.backup_to(db_path, tmp_path / "apres-effacement.sqlite")
    second = create_student(mini_db, "Second", "Élève")  # SQLite may hand out the same number again
    copy2 = backup.backup_to(db_path, tmp_path / "avec-le-second.sqlite")
    mini_db.close()
    backup.restore_from(db_path, copy2)
    database = open_database(str(db_path))
    with database.read() as session:
        assert [s.nom for s in find_students(session)] == ["Second"]
    database.close()
    assert second and copy.exists()


@pytest.mark.sqlite_only(reason="l'effacement atteint les sauvegardes et copies du fichier SQLite")
def test_purge_reaches_the_backups_too(mini_db, db_path, monkeypatch):
    student_id = _make_student(mini_db)
    backup.automatic_backup(db_path, "quotidienne")
    from datetime import date

    from db.students.privacy import purge_with_result

    erased, result = purge_with_result(mini_db, today=date(2033, 1, 1))
    assert erased == [student_id] and result is not None and result.backups.removed >= 1
    assert _files_holding_markers(db_path.parent) == {}


def test_an_export_is_the_users_copy_and_says_so(mini_db, db_location, tmp_path, capsys):
    student_id = _make_student(mini_db)
    out = tmp_path / "export.json"
    assert main(["students", "export", str(student_id), "--out", str(out), "--db", db_location]) == 0
    assert "l'effacement de l'élève ne l'atteindra pas" in capsys.readouterr().out
    assert json.loads(out.read_text())["eleve"]["nom"] == MARKERS["nom"]
    assert export_student  # the same function serves the window


def test_a_bilan_opened_before_the_student_was_renamed_goes_with_them(mini_db):
    student_id = _make_student(mini_db)
    copy = student_copies_dir(student_id, create=True) / report_file_name(MARKERS["nom"], "X", "2026-11-02")
    copy.write_bytes(MARKERS["nom"].encode())
    update_student(mini_db, student_id, "Autrenom", MARKERS["prenom"])
    erase_student(mini_db, student_id)
    assert not copy.exists()


@pytest.mark.sqlite_only(reason="l'effacement atteint les sauvegardes et copies du fichier SQLite")
def test_an_erasure_cut_short_is_finished_at_the_next_opening(mini_db, db_path, monkeypatch):
    """Killed after the database was erased but before the backups were: the next opening
    finishes it (the ledger says what is pending)."""
    student_id = _make_student(mini_db)
    backup.automatic_backup(db_path, "quotidienne")

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt  # stands for kill -9 at that point
    monkeypatch.setattr(backup, "erase_from_backups", killed)
    with pytest.raises(KeyboardInterrupt):
        erase_student(mini_db, student_id)
    mini_db.close()
    monkeypatch.undo()
    assert _files_holding_markers(db_path.parent)  # a backup still holds them
    open_database(str(db_path)).close()
    assert _files_holding_markers(db_path.parent) == {}


@pytest.mark.sqlite_only(reason="l'effacement atteint les sauvegardes et copies du fichier SQLite")
def test_unfinished_copies_left_by_a_killed_backup_or_restore_go_with_an_erasure(mini_db, db_path):
    student_id = _make_student(mini_db)
    partial = backup.backup_dir(db_path) / ".20261206-040306-161047-quotidienne.sqlit.08enu2t4.tmp"
    staging = db_path.parent / f".{db_path.name}.restauration.ggywyh0i.tmp"
    for path in (partial, staging, Path(f"{partial}-journal")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"copie partielle {MARKERS['nom']}".encode())
    erase_student(mini_db, student_id)
    assert _files_holding_markers(db_path.parent) == {}


def test_an_erasure_on_a_full_disk_is_still_an_erasure(mini_db, db_location):
    """Emptying the write-ahead log meets a full disk after the erasure was committed: that is
    reported as "the log will be emptied later", never as "nothing was saved"."""
    import sqlite3
    from types import SimpleNamespace

    from db.students import privacy

    class FullDisk:
        driver_connection = property(lambda self: self)
        invalidated = False

        def execute(self, sql):
            raise sqlite3.OperationalError("database or disk is full")

        def cursor(self):
            return self

        def close(self):
            pass
    database = SimpleNamespace(engine=SimpleNamespace(dialect=SimpleNamespace(name="sqlite"),
                                                      raw_connection=FullDisk))
    assert privacy.checkpoint(database) is False
    result = privacy.ErasureResult(wal_truncated=False)
    assert any("journal sera vidé" in line for line in result.sentences())
