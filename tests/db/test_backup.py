"""Backups: consistent copies, checked restores, rotation, damaged databases detected at start."""
from __future__ import annotations

import sqlite3

import pytest

from db import backup
from db.engine import open_database
from db.errors import DatabaseDamagedError, UserError
from db.migrate import upgrade_if_behind
from db.students import create_student, find_students
from desktop.cli import main


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


@pytest.mark.parametrize("content, message", [(b"pas une base", "lisible"), (b"", "pas une sauvegarde")])
def test_restore_refuses_a_bad_file_and_changes_nothing(mini_db, db_path, tmp_path, content, message):
    create_student(mini_db, "Reste", "Là")
    bad = tmp_path / "mauvais.sqlite"
    bad.write_bytes(content)
    with pytest.raises(UserError, match=message):
        backup.restore_from(db_path, bad)
    assert names(mini_db) == ["Là Reste"]


def test_rotation_keeps_the_newest(tmp_path, mini_db, db_path):
    for _ in range(5):
        backup.automatic_backup(db_path, "test", keep=3)
    kept = sorted(backup.backup_dir(db_path).glob("orientation-*.sqlite"))
    assert len(kept) == 3 and all("test" in p.name for p in kept)


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
    with sqlite3.connect(db_path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    for offset in range(2 * page_size, min(len(data), 6 * page_size)):
        data[offset] = 0xA5  # scribble over a few b-tree pages
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamagedError) as raised:
        open_database(str(db_path))
    assert "endommagée" in raised.value.message and "orientation restore" in raised.value.message
    assert raised.value.backup is not None
