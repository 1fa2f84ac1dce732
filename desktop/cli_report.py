"""``orientation report``: the student's PDF bilan, headless, for one student or a whole class."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from db.storage import files
from db.storage.engine import Database
from db.errors import UserError
from db.text import slug

if TYPE_CHECKING:
    from db.students.store import SessionState


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` next to ``path`` then rename (see :func:`db.storage.files.write_atomically`)."""
    files.write_atomically(path, data)


def make_report(database: Database, student_id: int, day: str | None) -> bytes:
    """Assemble and render the report of one student's session (the access is logged)."""
    from db.students.store import session_on

    with database.read() as session:
        state = session_on(session, student_id, day)
    return session_report(database, state)


def session_report(database: Database, state: SessionState) -> bytes:
    """The PDF bytes of the report of ``state`` (saved or not), the access logged. Opens its own
    sessions, so it may run on a worker thread."""
    from db.students.privacy import log_access
    from db.students.report import build_report
    from reports.pdf import render_report

    with database.read() as session:
        data = build_report(session, state)
    pdf = render_report(data)
    with database.write() as session:
        log_access(session, "rapport", state.student_id)
    return pdf


def run(args: argparse.Namespace, database: Database) -> int:
    """One PDF for ``student_id``, or one per student of ``--classe`` in the ``--out`` folder."""
    if args.classe:
        return _class_batch(args, database)
    if args.student_id is None:
        raise UserError("indiquez le numéro de l'élève, ou --classe pour toute une classe")
    out = Path(args.out)
    write_atomically(out, make_report(database, args.student_id, args.seance))
    print(f"Bilan écrit : {out}")
    return 0


def _class_batch(args: argparse.Namespace, database: Database) -> int:
    from db.students.store import find_students

    folder = Path(args.out)
    try:
        # The bilans name the pupils: the folder is the counselor's own (0700) when we make it.
        existed = folder.is_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not existed:
            files.tighten(folder, files.PRIVATE_DIR)
    except OSError as exc:
        raise UserError(f"dossier inutilisable : {files.os_error_sentence(exc, folder)}") from exc
    with database.read() as session:
        students = find_students(session, classe=args.classe)
    if not students:
        raise UserError(f"aucun élève dans la classe « {args.classe} »")
    written = skipped = 0
    for student in students:
        if student.last_session_on is None:
            print(f"{student.full_name} : aucun entretien, pas de bilan")
            skipped += 1
            continue
        path = folder / f"bilan-{slug(student.nom)}-{slug(student.prenom)}-{student.id}.pdf"
        write_atomically(path, make_report(database, student.id, None))
        print(f"{student.full_name} : {path}")
        written += 1
    print(f"{written} bilan(s) écrit(s), {skipped} élève(s) sans entretien.")
    return 0
