"""A student's whole file written for another office (format ``orientation-eleve/2``)."""
from __future__ import annotations

import json
from pathlib import Path

from db.storage import files
from db.storage.engine import Database


def write_student_export(database: Database, student_id: int, out: Path, *, include_private: bool = False) -> Path:
    """Write the file of ``student_id`` to ``out`` (atomically, owner-only; the access logged).
    Private notes only with ``include_private``. This copy is the user's: a later erasure of the
    student does not reach it (the messages say so)."""
    from db.students.privacy import export_student

    document = export_student(database, student_id, include_private=include_private)
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return files.write_atomically(out, data)


USERS_COPY = "Cette copie est la vôtre : l'effacement de l'élève ne l'atteindra pas."
