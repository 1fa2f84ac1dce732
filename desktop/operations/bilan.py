"""The bilan (PDF report) of a student's session, for one student or a whole class.

The file name is :func:`db.students.viewer_copies.report_file_name` everywhere (window, one
student, class batch); in a class batch two pupils with the same name and day get their record
number appended rather than overwrite each other.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from db.errors import UserError
from db.storage import files
from db.storage.engine import Database
from db.students.report_data import ReportData
from db.students.store import SessionState, StudentInfo
from db.students.viewer_copies import report_file_name


def session_report(database: Database, state: SessionState, *, large_print: bool = False) -> bytes:
    """The PDF bytes of the bilan of ``state`` (saved or not), in large print if asked; the
    access is logged. Opens its own sessions, so it may run on a worker thread."""
    from reports.pdf import render_report

    return render_report(_logged_report(database, state), large_print=large_print)


def session_report_html(database: Database, state: SessionState) -> str:
    """The accessible HTML twin of the bilan of ``state`` (same content as the PDF, structured for
    a screen reader); the access is logged."""
    from reports.html import render_report_html

    return render_report_html(_logged_report(database, state))


def _logged_report(database: Database, state: SessionState) -> ReportData:
    """The bilan's data for ``state``, its reading written to the access log."""
    from db.students.access_log import log_access
    from db.students.report import build_report

    with database.read() as session:
        data = build_report(session, state)
    with database.write() as session:
        log_access(session, "rapport", state.student_id)
    return data


def student_report(database: Database, student_id: int, day: str | None = None, *,
                   large_print: bool = False) -> tuple[SessionState, bytes]:
    """The session of ``day`` (the latest when None) of a student and its bilan."""
    from db.students.store import session_on

    with database.read() as session:
        state = session_on(session, student_id, day)
    return state, session_report(database, state, large_print=large_print)


def write_student_report(database: Database, student_id: int, day: str | None, out: Path, *,
                         large_print: bool = False, html: bool = False) -> Path:
    """Write the bilan of one student's session to ``out`` (atomically, owner-only); the path.
    With ``html``, its accessible HTML twin is written beside it (same name, ``.html``).
    ``out`` gets ``.pdf`` when it does not end so (the returned path says it); the suffix of
    another kind of document is refused before anything is read or written (see :func:`pdf_path`)."""
    out = pdf_path(out)
    state, pdf = student_report(database, student_id, day, large_print=large_print)
    if html:
        write_html_twin(database, state, out)
    return files.write_atomically(out, pdf)


# Suffixes of other documents: a PDF written under them would not open (and « .html » is the twin's).
_OTHER_DOCUMENTS = {".html", ".htm", ".json", ".csv", ".txt", ".odt", ".ods", ".doc", ".docx", ".xls", ".xlsx",
                    ".rtf", ".png", ".jpg", ".jpeg"}


def pdf_path(out: Path) -> Path:
    """Where a bilan asked at ``out`` goes: ``out`` itself when it ends in ``.pdf``, else with
    ``.pdf`` added (« bilan J. Martin » → « bilan J. Martin.pdf »). UserError for the suffix of
    another kind of document: a PDF written into « bilan.html » or « bilan.docx » would not open,
    and with ``--html`` the HTML twin would overwrite it."""
    if out.suffix.lower() == ".pdf":
        return out
    if out.suffix.lower() not in _OTHER_DOCUMENTS:
        return out.with_name(out.name + ".pdf")
    raise UserError(f"le bilan s'écrit en PDF : donnez un nom de fichier en .pdf (par exemple "
                    f"« {out.stem}.pdf ») ; avec --html, la page HTML s'écrit à côté, sous le même nom")


def write_html_twin(database: Database, state: SessionState, pdf_path: Path) -> Path:
    """Write the HTML twin of the bilan of ``state`` beside ``pdf_path`` (owner-only); its path."""
    from db.students.report import build_report
    from reports.html import render_report_html

    with database.read() as session:
        data = build_report(session, state)
    return files.write_atomically(pdf_path.with_suffix(".html"), render_report_html(data).encode("utf-8"))


@dataclass
class ClassBilan:
    """One pupil of a class batch: where their bilan went, or None when they have no session."""

    student: StudentInfo
    path: Path | None


def write_class_reports(database: Database, classe: str, folder: Path, *,
                        large_print: bool = False, html: bool = False) -> Iterator[ClassBilan]:
    """Write one bilan per pupil of ``classe`` into ``folder`` (made owner-only when created),
    yielding each pupil as it is done. UserError when the class has no pupil or the folder
    cannot be used."""
    from db.students.store import find_students

    with database.read() as session:
        students = find_students(session, classe=classe)
    if not students:
        raise UserError(f"aucun élève dans la classe « {classe} »")
    _prepare_private_folder(folder)
    used: set[str] = set()
    for student in students:
        if student.last_session_on is None:
            yield ClassBilan(student, None)
            continue
        state, pdf = student_report(database, student.id, large_print=large_print)
        name = report_file_name(student.nom, student.prenom, state.date)
        if name in used:
            name = name.removesuffix(".pdf") + f"-{student.id}.pdf"
        used.add(name)
        if html:
            write_html_twin(database, state, folder / name)
        yield ClassBilan(student, files.write_atomically(folder / name, pdf))


def _prepare_private_folder(folder: Path) -> None:
    try:
        # The bilans name the pupils: a folder we make is the counselor's own (0700).
        existed = folder.is_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not existed:
            files.tighten(folder, files.PRIVATE_DIR)
    except OSError as exc:
        raise UserError(f"dossier inutilisable : {files.os_error_sentence(exc, folder)}") from exc
