"""A child process for the reliability tests: writes to the database and reports each commit.

Usage: python -m tests.reliability.worker DB_PATH TAG COUNT
Prints "student <id>" after each committed student (with one session), and "import <n>" after
each committed import, flushing at once so the parent knows what was committed before a kill.
"""
from __future__ import annotations

import sys
from pathlib import Path

from db.storage.opening import open_database
from db.catalogue.importing import import_paths
from db.students.store import ShortlistItem, create_student, save_session, start_session

DATA = Path(__file__).resolve().parents[1] / "data" / "mini.jsonl"


def main(db_path: str, tag: str, count: int) -> None:
    database = open_database(db_path, load_starter=False, backups=False)
    for n in range(count):
        if n % 5 == 0:
            summary = import_paths(database, [DATA])
            assert summary.refused == 0
            print(f"import {n}", flush=True)
        student_id = create_student(database, f"{tag}-{n}", "Élève", "3e B")
        with database.read() as session:
            state = start_session(session, student_id, "2026-11-20")
        state.interests = ["T-IDEO2.4807"]
        state.shortlist = [ShortlistItem("ORI.macon", f"note {tag} {n}")]
        save_session(database, state)
        print(f"student {student_id}", flush=True)
    database.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
