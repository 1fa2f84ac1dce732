"""Nothing committed is ever lost: SIGKILL at random moments, several writers at once (on a
SQLite file, and on the PostgreSQL pass on a database of the test server)."""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from db.storage.opening import open_database
from tests.conftest import ROOT, on_postgresql


def spawn(db: str, tag: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.worker", db, tag, str(count)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def committed_students(output: str) -> set[int]:
    return {int(line.split()[1]) for line in output.splitlines() if line.startswith("student ")}


def check(db: str, expected: set[int]) -> None:
    """Every acknowledged student is there with its session, the catalogue was imported whole or
    not at all, and its text search finds it (on a SQLite file, the file's own checks pass too)."""
    from sqlalchemy import select

    from db.catalogue.search import count
    from db.catalogue.search_types import Criteria
    from db.models import Metier, CounselingSession, Student

    if not on_postgresql():
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.close()
    database = open_database(db, load_starter=False, backups=False, daily=False)
    try:
        with database.read() as session:
            present = set(session.scalars(select(Student.id).join(CounselingSession,
                                                                  CounselingSession.student_id == Student.id)))
            metiers = len(session.scalars(select(Metier.pk)).all())
            found = count(session, Criteria(text="macon"))
    finally:
        database.close()
    missing = expected - present
    assert not missing, f"écritures validées perdues : {sorted(missing)}"
    assert metiers in (0, 8) and found == (1 if metiers else 0)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL n'existe pas sur ce système")
def test_sigkill_at_random_moments_loses_no_committed_write(db_location):
    open_database(db_location, load_starter=False, backups=False).close()
    rng = random.Random(20261121)
    expected: set[int] = set()
    for round_number in range(12):
        child = spawn(db_location, f"r{round_number}", 400)
        # Wait for the first acknowledged write, however slow the machine is, then kill a little
        # later: the kill lands mid-write without the test depending on how fast writes go.
        first = child.stdout.readline()
        assert first.startswith(("student ", "import ")), child.stderr.read() if child.poll() is not None else first
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=60)
        expected |= committed_students(first + out)
        check(db_location, expected)


def test_concurrent_writers_all_succeed(db_location):
    open_database(db_location, load_starter=False, backups=False).close()
    children = [spawn(db_location, f"w{i}", 25) for i in range(3)]
    results = [child.communicate(timeout=180) for child in children]
    for child, (_out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
        assert "locked" not in err
    expected = set().union(*(committed_students(out) for out, _ in results))
    assert len(expected) == 75
    check(db_location, expected)
