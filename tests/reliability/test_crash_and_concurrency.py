"""Nothing committed is ever lost: SIGKILL at random moments, several writers at once."""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from db.storage.opening import open_database
from tests.conftest import ROOT


def spawn(db_path, tag: str, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.reliability.worker", str(db_path), tag, str(count)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def committed_students(output: str) -> set[int]:
    return {int(line.split()[1]) for line in output.splitlines() if line.startswith("student ")}


def check(db_path, expected: set[int]) -> None:
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        present = {row[0] for row in conn.execute("SELECT s.id FROM students s JOIN sessions e ON e.student_id = s.id")}
        metiers = conn.execute("SELECT count(*) FROM metiers").fetchone()[0]
        fts = conn.execute("SELECT count(*) FROM metier_fts WHERE metier_fts MATCH 'macon'").fetchone()[0]
    missing = expected - present
    assert not missing, f"écritures validées perdues : {sorted(missing)}"
    assert metiers in (0, 8) and fts == (1 if metiers else 0)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL n'existe pas sur ce système")
def test_sigkill_at_random_moments_loses_no_committed_write(db_path):
    open_database(str(db_path), load_starter=False, backups=False).close()
    rng = random.Random(20261121)
    expected: set[int] = set()
    for round_number in range(12):
        child = spawn(db_path, f"r{round_number}", 400)
        # Wait for the first acknowledged write, however slow the machine is, then kill a little
        # later: the kill lands mid-write without the test depending on how fast writes go.
        first = child.stdout.readline()
        assert first.startswith(("student ", "import ")), child.stderr.read() if child.poll() is not None else first
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=60)
        expected |= committed_students(first + out)
        check(db_path, expected)


def test_concurrent_writers_all_succeed(db_path):
    open_database(str(db_path), load_starter=False, backups=False).close()
    children = [spawn(db_path, f"w{i}", 25) for i in range(3)]
    results = [child.communicate(timeout=180) for child in children]
    for child, (_out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
        assert "locked" not in err
    expected = set().union(*(committed_students(out) for out, _ in results))
    assert len(expected) == 75
    check(db_path, expected)
