"""Sharing the database politely: a save made while a long import runs is acknowledged or
refused in French, and every acknowledged save is there afterwards."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db.storage import engine as engine_module
from db.storage.opening import open_database
from db.errors import DatabaseBusyError
from db.students.store import create_student, find_students

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.sqlite_only(reason="le verrou d'écriture d'un fichier SQLite (BEGIN IMMEDIATE par sqlite3) et son "
                                "délai d'attente ; PostgreSQL verrouille par ligne "
                                "(tests/db/students/test_session_conflicts.py)")
def test_a_write_that_meets_a_lock_for_too_long_says_so_in_french(db_path, monkeypatch):
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    database = open_database(str(db_path), load_starter=False)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(DatabaseBusyError, match="la base est occupée"):
            create_student(database, "Attend", "Léo")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert create_student(database, "Attend", "Léo") > 0  # once the lock is gone, the save works
    database.close()


def test_saves_during_a_big_import_are_all_kept(db_location, tmp_path):
    open_database(db_location, load_starter=False).close()
    fiches = tmp_path / "fiches"
    fiches.mkdir()
    template = json.loads((ROOT / "tests" / "data" / "mini.jsonl").read_text(encoding="utf-8").splitlines()[0])
    for number in range(1500):
        fiche = {**template, "id": f"ORI.partage-{number}", "nom": f"métier partagé {number}",
                 "description": "texte " * 200}
        (fiches / f"f-{number:04d}.jsonl").write_text(json.dumps(fiche, ensure_ascii=False), encoding="utf-8")
    importer = subprocess.Popen([sys.executable, "-m", "desktop.cli", "import", str(fiches), "--db", db_location],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    database = open_database(db_location, load_starter=False)
    acknowledged = []
    try:
        while importer.poll() is None and len(acknowledged) < 40:
            try:
                acknowledged.append(create_student(database, f"Pendant{len(acknowledged)}", "Import"))
            except DatabaseBusyError:
                pass  # refused in French: allowed, but then it must not be there
            time.sleep(0.01)
    finally:
        out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert "inattendue" not in out + err
    with database.read() as session:
        stored = {s.id for s in find_students(session)}
    database.close()
    assert set(acknowledged) <= stored and len(stored) == len(acknowledged)
