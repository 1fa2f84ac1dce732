"""A base on a read-only medium (a write-protected USB key, a read-only share) can still be
consulted: the catalogue is searched, with one sentence saying nothing will be saved and the
students are not read; a command that needs the students or writes is refused as before."""
from __future__ import annotations

import hashlib

import pytest

from db.storage.opening import open_database
from db.students.store import create_student
from tests.db.storage.test_opening import cli, remount_read_only, small_filesystem

pytestmark = pytest.mark.sqlite_only(reason="un fichier SQLite sur un support en lecture seule")


def test_a_read_only_base_is_searched_but_its_students_are_not_read(tmp_path):
    folder = tmp_path / "cle-usb"
    with small_filesystem(folder, 40_000):
        base = folder / "orientation.sqlite"
        database = open_database(str(base), backups=False)
        create_student(database, "Lefèvre", "Chloé", "3e B")
        database.close()
        before = hashlib.sha256(base.read_bytes()).hexdigest()
        remount_read_only(folder)

        done = cli("search", "--texte", "boulanger", "--format", "json", "--db", str(base))
        assert done.returncode == 0, done.stderr
        assert '"boulanger/ère"' in done.stdout or "boulang" in done.stdout
        assert f"la base « {base} » est en lecture seule pour ce compte" in done.stderr
        assert "rien n'y sera enregistré" in done.stderr and "Lefèvre" not in done.stdout + done.stderr

        done = cli("students", "list", "--db", str(base))
        assert done.returncode == 2 and "lecture seule" in done.stderr and "Lefèvre" not in done.stdout
        assert hashlib.sha256(base.read_bytes()).hexdigest() == before



def test_no_daily_backup_is_tried_for_a_base_opened_read_only(tmp_path):
    from db.storage.local_catalogue import open_local_catalogue, read_only_note
    from db.storage.opening import backup_in_background

    folder = tmp_path / "cle"
    with small_filesystem(folder, 40_000):
        base = folder / "orientation.sqlite"
        open_database(str(base), backups=False).close()
        remount_read_only(folder)
        database = open_local_catalogue(base, read_only_note(base))
        try:  # the window's backup after start: no « sauvegarde du jour n'a pas pu être faite » over the note
            assert backup_in_background(database) is None
        finally:
            database.close()
