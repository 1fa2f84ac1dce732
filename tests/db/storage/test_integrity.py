"""The full integrity check is off every command's path: opening reads the header and two small
files, the check runs in a detached process when due (weekly, or after an unclean shutdown), and
what it finds is reported, in French, by the next opening."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.errors import DatabaseDamagedError
from db.storage import backup, integrity
from db.storage.opening import open_database

pytestmark = pytest.mark.sqlite_only(
    reason="le contrôle d'intégrité lit le fichier SQLite (PRAGMA integrity_check, pages endommagées)")

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Path]]:
    """Every full check run in this process and every background check started."""
    seen: dict[str, list[Path]] = {"quick_check": [], "started": []}  # "quick_check": either full check
    for name in ("quick_check", "full_check"):
        real_check = getattr(backup, name)
        monkeypatch.setattr(backup, name, lambda path, real=real_check: seen["quick_check"].append(path) or real(path))
    monkeypatch.setattr(integrity, "start_background_check", lambda path: seen["started"].append(path))
    return seen


def killed_while_open(db_path: Path) -> None:
    """A process that opens the database and dies without closing it (as in a power cut)."""
    code = ("import os, signal, sys; from db.storage.opening import open_database; "
            "open_database(sys.argv[1], daily=False); os.kill(os.getpid(), signal.SIGKILL)")
    done = subprocess.run([sys.executable, "-c", code, str(db_path)], cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr


def damage_the_middle(db_file: Path) -> None:
    """Scribble over four pages in use in the middle of the file (b-tree leaves: a free page is
    read by no check), pages opening never reads."""
    with sqlite3.connect(db_file) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            leaves = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE pagetype = 'leaf' ORDER BY pageno")]
        except sqlite3.OperationalError:  # a SQLite without dbstat: the middle of the file
            leaves = []
    conn.close()
    data = bytearray(db_file.read_bytes())
    middle = len(data) // page // 2
    pages = leaves[len(leaves) // 2:len(leaves) // 2 + 4] if leaves else range(middle + 1, middle + 5)
    for number in pages:  # numbered from 1
        data[(number - 1) * page:number * page] = b"\xa5" * page
    db_file.write_bytes(bytes(data))


def test_a_normal_opening_does_not_read_the_whole_file(db_path, checks):
    open_database(str(db_path), load_starter=False).close()  # a new file: known sound
    for _ in range(3):
        open_database(str(db_path), load_starter=False).close()
    assert checks == {"quick_check": [], "started": []}


def test_the_check_is_started_in_the_background_once_a_week(db_path, checks, monkeypatch):
    open_database(str(db_path), load_starter=False).close()
    later = dt.datetime.now() + dt.timedelta(days=8)
    monkeypatch.setattr(backup, "now", lambda: later)
    open_database(str(db_path), load_starter=False).close()
    assert checks["started"] == [db_path.resolve()] and checks["quick_check"] == []


def test_an_unclean_shutdown_schedules_the_check(db_path, checks):
    open_database(str(db_path), load_starter=False).close()
    killed_while_open(db_path)
    open_database(str(db_path), load_starter=False).close()
    assert checks["started"] == [db_path.resolve()] and checks["quick_check"] == []
    open_database(str(db_path), load_starter=False).close()  # that marker counts once
    assert len(checks["started"]) == 1


def test_a_damaged_page_is_reported_at_the_opening_after_the_background_check(db_path, monkeypatch, tmp_path):
    """End to end, with a real detached process: the opening that starts it is not refused
    (it does not wait), the next one is, with the restore command. Started from a folder that
    holds another "db" package: the child still runs the application's own."""
    monkeypatch.delenv(integrity.NO_BACKGROUND_ENV)
    decoy = tmp_path / "dossier de travail" / "db"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit('pas ce paquet-ci')\n")
    monkeypatch.chdir(decoy.parent)
    open_database(str(db_path)).close()  # with the starter catalogue and the day's backup
    killed_while_open(db_path)
    damage_the_middle(db_path)
    open_database(str(db_path), daily=False).close()  # returns without waiting for the check
    deadline = time.monotonic() + 120  # a generous bound so a slow machine never fails; not a speed test
    while not integrity.recorded_problem(db_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert integrity.recorded_problem(db_path)
    with pytest.raises(DatabaseDamagedError) as raised:
        open_database(str(db_path), daily=False)
    assert "endommagée" in raised.value.message and "orientation restore" in raised.value.message
    assert raised.value.backup is not None
    backup.restore_from(db_path, raised.value.backup)
    monkeypatch.setenv(integrity.NO_BACKGROUND_ENV, "1")
    open_database(str(db_path), daily=False).close()  # restored: opens again, nothing recorded
    assert integrity.recorded_problem(db_path) is None


def test_a_recorded_damage_is_confirmed_before_refusing(db_path, checks):
    """A file replaced since its check (copied back by hand) is not refused for the old one."""
    open_database(str(db_path), load_starter=False).close()
    state_file = backup.backup_dir(db_path) / integrity.STATE_FILE
    state_file.write_text(json.dumps({"checked_at": dt.datetime.now().isoformat(), "problem": "page 3"}))
    open_database(str(db_path), load_starter=False).close()
    assert checks["quick_check"] == [db_path] and integrity.recorded_problem(db_path) is None


def test_the_check_files_are_private(db_path):
    open_database(str(db_path), load_starter=False).close()
    folder = backup.backup_dir(db_path)
    marker = folder / f"{integrity.MARKER_PREFIX}{os.getpid()}"
    for path in (folder / integrity.STATE_FILE, folder / backup.DAILY_FILE, marker, folder):
        assert path.stat().st_mode & 0o077 == 0, path


# ------------------------------------------------------------------ the daily backup
def daily_backups(db_path: Path) -> list[Path]:
    return sorted(backup.backup_dir(db_path).glob("*quotidienne*"))


def test_the_daily_backup_is_skipped_when_nothing_changed(db_path, monkeypatch):
    from db.students.store import create_student

    open_database(str(db_path), load_starter=False).close()
    assert len(daily_backups(db_path)) == 1
    for day in (1, 2):
        moment = dt.datetime.now() + dt.timedelta(days=day)
        monkeypatch.setattr(backup, "now", lambda moment=moment: moment)
        open_database(str(db_path), load_starter=False).close()
    assert len(daily_backups(db_path)) == 1  # two days, no change: no copy
    database = open_database(str(db_path), load_starter=False)
    create_student(database, "Changé", "Léo")
    database.close()
    moment = dt.datetime.now() + dt.timedelta(days=3)
    monkeypatch.setattr(backup, "now", lambda: moment)
    open_database(str(db_path), load_starter=False).close()
    assert len(daily_backups(db_path)) == 2


def test_only_commands_that_write_make_the_daily_backup(db_path):
    from desktop.cli import main

    open_database(str(db_path), load_starter=False, backups=False).close()
    assert main(["students", "list", "--db", str(db_path)]) == 0
    assert main(["search", "--db", str(db_path)]) == 0
    assert daily_backups(db_path) == []
    assert main(["students", "add", "--nom", "Nouvel", "--prenom", "Élève", "--db", str(db_path)]) == 0
    assert len(daily_backups(db_path)) == 1


def _drop_a_row_from_an_index(db_file: Path) -> None:
    """A session row that its indexes do not hold (as found on a counselor's file): the index is
    taken out of the schema while a row is written, then put back as it was."""
    with sqlite3.connect(db_file) as conn:
        entry = conn.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master "
                             "WHERE name = 'ix_sessions_student_id'").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("DELETE FROM sqlite_master WHERE name = 'ix_sessions_student_id'")
    conn.close()
    with sqlite3.connect(db_file) as conn:
        conn.execute("INSERT INTO sessions (student_id, date, next_steps, student_note, private_notes, updated_at) "
                     "VALUES (1, '2026-12-07', '', '', '', '2026-12-07 10:00:00')")
    conn.close()
    with sqlite3.connect(db_file) as conn:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES (?, ?, ?, ?, ?)", entry)
    conn.close()


def test_an_index_missing_a_row_is_found_by_the_check(db_path):
    # quick_check said « ok » on such a file while « orientation students show » answered « aucun
    # entretien n'a le numéro 3 » for a session the list showed: the check compares indexes too.
    from db.students.store import create_student

    database = open_database(str(db_path), load_starter=False)
    create_student(database, "Martin", "Zoé")
    database.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _drop_a_row_from_an_index(db_path)
    assert backup.quick_check(db_path) is None  # what the check ran before
    problem = integrity.run_check(db_path)
    assert problem is not None and "ix_sessions_student_id" in problem
    with pytest.raises(DatabaseDamagedError):
        open_database(str(db_path), daily=False)
