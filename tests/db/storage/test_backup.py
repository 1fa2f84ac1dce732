"""Backups: consistent copies, checked restores, rotation, damaged databases detected at start."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from db.storage import backup, integrity
from db.storage.opening import open_database
from db.errors import DatabaseDamagedError, UserError
from db.storage.migrate import upgrade_if_behind
from db.students.store import create_student, find_students
from desktop.cli import main
from tests.conftest import damage

pytestmark = pytest.mark.sqlite_only(
    reason="les sauvegardes automatiques sont des copies du fichier SQLite (un serveur a ses pg_dump)")


def names(db) -> list[str]:
    with db.read() as session:
        return [s.full_name for s in find_students(session)]


def test_backup_and_restore_round_trip_keeps_what_it_replaces(mini_db, db_path, tmp_path, capsys):
    create_student(mini_db, "Avant", "Léa")
    assert main(["backup", "--out", str(tmp_path / "copie.sqlite"), "--db", str(db_path)]) == 0
    create_student(mini_db, "Après", "Noé")
    mini_db.close()
    assert main(["restore", str(tmp_path / "copie.sqlite"), "--db", str(db_path)]) == 2  # needs --yes
    assert main(["restore", str(tmp_path / "copie.sqlite"), "--yes", "--db", str(db_path)]) == 0
    kept = capsys.readouterr().out.split("conservée dans ")[1].strip().rstrip(".")
    database = open_database(str(db_path))
    assert names(database) == ["Léa Avant"]
    database.close()
    replaced = open_database(kept, backups=False)
    assert sorted(names(replaced)) == ["Léa Avant", "Noé Après"]
    replaced.close()


@pytest.mark.parametrize("content, message", [(b"pas une base", "lisible"),
                                              (b"", "pas une base de données d.Orientation")])
def test_restore_refuses_a_bad_file_and_changes_nothing(mini_db, db_path, tmp_path, content, message):
    create_student(mini_db, "Reste", "Là")
    bad = tmp_path / "mauvais.sqlite"
    bad.write_bytes(content)
    with pytest.raises(UserError, match=message):
        backup.restore_from(db_path, bad)
    assert names(mini_db) == ["Là Reste"]


def test_rotation_keeps_a_week_of_backups_and_always_the_newest(tmp_path, mini_db, db_path, monkeypatch):
    """A counselor who opens the app once a week still has backups no older than 7 days (and the
    newest one, even when it is older than that)."""
    for made in backup.automatic_backups(db_path):  # the one made today by the fixture
        made.unlink()
    start = datetime(2026, 9, 1, 9, 0)
    for week in range(6):  # six weekly starts: only the newest survives each time
        monkeypatch.setattr(backup, "now", lambda week=week: start + timedelta(days=7 * week, hours=1))
        backup.automatic_backup(db_path, "quotidienne")
    assert [p.name[:8] for p in backup.automatic_backups(db_path)] == ["20261006"]
    for day in range(10):  # ten daily starts: the last seven days are kept
        monkeypatch.setattr(backup, "now", lambda day=day: datetime(2026, 11, 1, 9) + timedelta(days=day))
        backup.automatic_backup(db_path, "quotidienne")
    assert [p.name[:8] for p in backup.automatic_backups(db_path)] == [f"202611{d:02d}" for d in range(4, 11)]


def test_rotation_caps_the_number_of_backups(mini_db, db_path, monkeypatch):
    for minute in range(backup.KEEP_MAX + 5):
        monkeypatch.setattr(backup, "now", lambda minute=minute: datetime(2026, 12, 6, 1, minute))
        backup.automatic_backup(db_path, "avant-migration")
    assert len(backup.automatic_backups(db_path)) == backup.KEEP_MAX


def test_each_database_has_its_own_backups(tmp_path):
    """Even two databases whose names differ only by their extension."""
    first, second = tmp_path / "cio.sqlite", tmp_path / "cio.db"
    for path in (first, second):
        open_database(str(path), load_starter=False).close()
    assert backup.latest_backup(first).parent != backup.latest_backup(second).parent
    assert backup.latest_backup(first).parent.name == "cio.sqlite"


def test_a_file_a_person_put_among_the_backups_is_left_alone(mini_db, db_path, monkeypatch):
    mine = backup.backup_dir(db_path) / "mon-exemplaire-a-garder.sqlite"
    mine.write_bytes(b"a moi")
    monkeypatch.setattr(backup, "now", lambda: datetime(2030, 1, 1))
    backup.automatic_backup(db_path, "quotidienne")
    assert mine.exists() and mine not in backup.automatic_backups(db_path)


def test_a_backup_onto_the_database_itself_is_refused(mini_db, db_path):
    with pytest.raises(UserError, match="la base elle-même"):
        backup.backup_to(db_path, db_path)


def test_daily_backup_once_a_day(db_path):
    open_database(str(db_path)).close()
    open_database(str(db_path)).close()
    assert len([p for p in backup.backup_dir(db_path).glob("*quotidienne*")]) == 1


def test_backup_before_migration(db_path):
    upgrade_if_behind(f"sqlite:///{db_path}", "0002")
    open_database(str(db_path), load_starter=False).close()
    assert [p for p in backup.backup_dir(db_path).glob("*avant-migration*")]


def test_damaged_database_is_detected_and_names_the_backup(db_path):
    open_database(str(db_path), load_starter=False).close()
    damage(db_path)
    integrity.run_check(db_path)  # the background check's finding is reported at the next opening
    with pytest.raises(DatabaseDamagedError) as raised:
        open_database(str(db_path))
    assert "endommagée" in raised.value.message and "orientation restore" in raised.value.message
    assert raised.value.backup is not None


def test_a_backup_onto_the_database_journal_is_refused(mini_db, db_path):
    for suffix in ("-wal", "-shm", "-journal"):
        with pytest.raises(UserError, match="son journal"):
            backup.backup_to(db_path, db_path.with_name(db_path.name + suffix))


def test_a_persons_file_in_the_old_shared_folder_is_not_taken_for_a_backup(mini_db, db_path, monkeypatch):
    shared = db_path.parent / backup.FOLDER
    mine = shared / "orientation-perso.sqlite"
    old = shared / "orientation-20261101-090000-000000-quotidienne.sqlite"
    for path in (mine, old):
        path.write_bytes(b"x")
    monkeypatch.setattr(backup, "now", lambda: datetime(2030, 1, 1))
    backup.automatic_backup(db_path, "quotidienne")
    assert mine.exists() and not old.exists()  # the older version's backup aged out, the person's file stays
