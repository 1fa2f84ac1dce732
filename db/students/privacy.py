"""Data protection (RGPD) for student records: export, import, real erasure, retention, access log.

Export format ``orientation-eleve/2`` (JSON, UTF-8)::

    {"format": "orientation-eleve/2", "exporte_le": "2026-11-21T10:00:00",
     "notes_privees_incluses": false,
     "eleve": {"nom", "prenom", "classe", "etablissement", "annee_scolaire", "classe_actuelle"},
     "seances": [{"date": "2026-11-20",
                  "centres_interet": ["T-IDEO2.4814", …], "centres_interet_libelles": ["j'aime organiser, gérer", …],
                  "contraintes": {"niveau_max_bac_plus": 3, "niveau_max": "bac + 3", "salaire_min": 1800,
                                  "pays": "FR", "secteurs_souhaites": [ids], "secteurs_refuses": [ids]},
                  "selection": [{"metier": "MET.38", "libelle": "infirmier/ère",
                                 "commentaire": "à découvrir en stage"}],
                  "comparaison": ["MET.38", "ORI.aide-soignant"],
                  "comparaison_libelles": ["infirmier/ère", "aide-soignant/e"],
                  "prochaines_etapes": "…", "note_eleve": "…", "notes_privees": null}],
     "suivi": {"bilan_remis_le": "2026-05-12", "consentement_liaison": {"le": "2026-06-02", "par": "…"},
               "echeances": [{"titre": "Vœux Affelnet", "date": "2026-05-20"}]}}

The labels (``centres_interet_libelles``, ``selection[].libelle``, ``comparaison_libelles``) are
there for the person reading the file; an import reads the ids only.
Version 2 adds ``eleve.classe_actuelle`` (a code of :data:`db.catalogue.routes.CLASSES`, written
only when known) and ``suivi`` (the year's follow-up, optional). ``orientation-eleve/1`` files,
written before them, are read as before (and read those two fields when a /1 file has them).
``notes_privees`` is null unless the counselor explicitly chose to include private notes.
Erasure deletes the rows with SQLite ``secure_delete`` on (freed pages are zeroed) and then
truncates the write-ahead log, so no byte of the student's data stays readable in the files.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, text
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from db.catalogue.store import get_meta, set_meta
from db.storage.engine import Database
from db.storage.erasure_ledger import Erased, ScrubReport
from db.errors import UserError
from db.models import (BilanHandover, CounselingSession, Erasure, InterestRow, LiaisonConsent, Metier, Milestone,
                       MilestoneStudent, Student)
# Re-exported: the student file's import lives in db.students.student_file.
from db.students.student_file import FORMAT as FORMAT
from db.students.student_file import import_student as import_student
from db.students.student_file import read_document as read_document
from db.students.access_log import AccessEntry as AccessEntry
from db.students.access_log import access_log as access_log
from db.students.access_log import log_access as log_access
from db.students.access_log import log_accesses
from db.students.viewer_copies import remove_viewer_copies
from db.catalogue.nomenclature import describe_max_level
from db.students.store import SessionState, StudentInfo, get_session, get_student, list_sessions, student_info
# Re-exported: the retention dates are read without SQLAlchemy by the quick students list.
from db.students.retention import RETENTION_KEY as RETENTION_KEY
from db.students.retention import retention_cutoff as retention_cutoff


# ------------------------------------------------------------------ export / import
def export_student(database: Database, student_id: int, *, include_private: bool = False) -> dict[str, Any]:
    """The student's whole file as an ``orientation-eleve/2`` document (access logged)."""
    with database.write() as session:
        info = get_student(session, student_id)
        sessions = [get_session(session, sid) for sid, _ in list_sessions(session, student_id)]
        labels = dict(session.execute(select(InterestRow.id, InterestRow.label)).all())
        # The métiers' names beside their ids: a family reading its file (right of access) reads names.
        chosen = sorted({m for s in sessions for m in [*(i.metier_id for i in s.shortlist), *s.comparison]})
        labels |= dict(session.execute(select(Metier.id, Metier.name).where(Metier.id.in_(chosen))).all())
        follow_up = _follow_up_doc(session, student_id)
        log_access(session, "export", student_id)
    return {
        "format": FORMAT,
        "exporte_le": datetime.now().isoformat(timespec="seconds"),
        "notes_privees_incluses": include_private,
        "eleve": {"nom": info.nom, "prenom": info.prenom, "classe": info.classe,
                  "etablissement": info.etablissement, "annee_scolaire": info.annee_scolaire,
                  **({"classe_actuelle": info.current_class} if info.current_class else {})},
        "seances": [_session_doc(s, labels, include_private) for s in sessions],
        "suivi": follow_up,
    }


def _follow_up_doc(session: Session, student_id: int) -> dict[str, Any]:
    """The year's follow-up of the student: bilan handover day, consent to the note de liaison,
    the counselor's milestones concerning them (title and day)."""
    given = session.execute(select(BilanHandover.given_on).where(BilanHandover.student_id == student_id)).scalar()
    consent = session.get(LiaisonConsent, student_id)
    milestones = session.execute(select(Milestone.title, Milestone.due_on)
                                 .join(MilestoneStudent, MilestoneStudent.milestone_id == Milestone.id)
                                 .where(MilestoneStudent.student_id == student_id)
                                 .order_by(Milestone.due_on, Milestone.id)).all()
    return {"bilan_remis_le": given,
            "consentement_liaison": ({"le": consent.given_on, "par": consent.given_by} if consent else None),
            "echeances": [{"titre": title, "date": due_on} for title, due_on in milestones]}


def _session_doc(state: SessionState, labels: dict[str, str], include_private: bool) -> dict[str, Any]:
    return {
        "date": state.date,
        "centres_interet": list(state.interests),
        "centres_interet_libelles": [labels.get(i, i) for i in state.interests],
        "contraintes": {"niveau_max_bac_plus": state.max_bac_plus,
                        "niveau_max": (describe_max_level(state.max_bac_plus)
                                       if state.max_bac_plus is not None else None),
                        "salaire_min": state.min_salary, "pays": state.country,
                        "secteurs_souhaites": list(state.sectors_wished),
                        "secteurs_refuses": list(state.sectors_refused)},
        "selection": [{"metier": i.metier_id, "libelle": labels.get(i.metier_id, i.metier_id),
                       "commentaire": i.comment} for i in state.shortlist],
        "comparaison": list(state.comparison),
        "comparaison_libelles": [labels.get(m, m) for m in state.comparison],
        "prochaines_etapes": state.next_steps,
        "note_eleve": state.student_note,
        "notes_privees": state.private_notes if include_private else None,
    }




# ------------------------------------------------------------------ erasure
@dataclass
class ErasureResult:
    """What an erasure reached: the write-ahead log emptied right away (another window may hold
    it until it closes), and what happened to the automatic backups."""

    wal_truncated: bool
    backups: ScrubReport = field(default_factory=ScrubReport)
    vacuumed: bool | None = None  # a PostgreSQL server: whether VACUUM ran (None: a SQLite file)

    def sentences(self) -> list[str]:
        """French lines for the counselor, beyond "effacé définitivement"."""
        lines = [self.backups.sentence() if self.vacuumed is None else _server_sentence(self.vacuumed)]
        if not self.wal_truncated:
            lines.append("Une autre fenêtre utilise la base : son journal sera vidé à sa fermeture.")
        lines.append("Les copies que vous avez faites vous-même (exports, bilans PDF enregistrés, "
                     "sauvegardes « backup --out ») ne sont pas touchées : supprimez-les si besoin.")
        return lines


def _server_sentence(vacuumed: bool) -> str:
    """What a PostgreSQL server still holds after an erasure, said plainly."""
    done = ("Le serveur a été nettoyé (VACUUM) : la place des lignes effacées sera réutilisée"
            if vacuumed else "Votre compte ne peut pas lancer le nettoyage du serveur (VACUUM) : les lignes effacées "
            "ne sont plus lisibles par aucune requête, et le serveur récupérera leur place lors de son nettoyage "
            "automatique (autovacuum)")
    return (f"{done}, mais leurs octets peuvent rester dans les fichiers et journaux du serveur jusqu'à ce qu'ils "
            "soient réécrits, et les sauvegardes du serveur (pg_dump de l'établissement) le contiennent encore.")


# The tables an erasure deletes from (the access log keeps its lines: they hold no content).
ERASED_TABLES = ("students", "sessions", "session_interests", "session_sectors", "shortlist", "comparison",
                 "milestones", "milestone_students", "bilan_handovers", "liaison_consents", "student_shares")


def vacuum(database: Database) -> bool:
    """On a PostgreSQL server, VACUUM the tables an erasure touches so that the erased rows' space
    is reclaimed; False when the connected role may not (PostgreSQL skips such tables with a mere
    warning, so this is asked first) or it failed. Nothing on SQLite."""
    from sqlalchemy.exc import DBAPIError

    if database.engine.dialect.name != "postgresql":
        return False
    try:
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if not _may_vacuum(conn):
                return False
            conn.exec_driver_sql("VACUUM " + ", ".join(ERASED_TABLES))
    except DBAPIError:
        return False
    return True


def _may_vacuum(conn: Connection) -> bool:
    """Whether the connected role may VACUUM every table of :data:`ERASED_TABLES`: a superuser,
    the owner of the table or of the database (and from PostgreSQL 17, the MAINTAIN privilege)."""
    maintain = ("OR has_table_privilege(c.oid, 'MAINTAIN')"
                if int(conn.exec_driver_sql("SHOW server_version_num").scalar() or 0) >= 170000 else "")
    query = text("SELECT bool_and((SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
                 "OR pg_has_role(c.relowner, 'MEMBER') "
                 "OR pg_has_role((SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') "
                 f"{maintain}) FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace "
                 "AND c.relname IN :tables").bindparams(bindparam("tables", expanding=True))
    return bool(conn.execute(query, {"tables": list(ERASED_TABLES)}).scalar())


def erase_student(database: Database, student_id: int, *, log: bool = True) -> ErasureResult:
    """Delete a student and every session for good: the rows (freed bytes zeroed), the
    write-ahead log, every automatic backup, and the bilans opened for viewing; the erasure is
    recorded (number and creation moment only) so that a restored backup re-applies it."""
    return erase_students(database, [student_id], action="effacement" if log else None)


def erase_students(database: Database, student_ids: list[int], *, action: str | None = "effacement") -> ErasureResult:
    """Erase several students in one transaction (see :func:`erase_student`); ``action`` is the
    access-log word, None for no log line."""
    with database.write() as session:
        erased = erase_rows_in(session, student_ids, action=action)
    return finish_erasure(database, erased)


def erase_rows_in(session: Session, student_ids: list[int], *, action: str | None = "effacement") -> list[Erased]:
    """The first half of :func:`erase_students`, inside the caller's transaction (a larger change,
    such as the year change, erases with the rest of its work): the rows go, the erasures are
    recorded. The caller must call :func:`finish_erasure` once the transaction is committed.
    UserError (the caller's transaction then writes nothing) for an unknown student. A few
    statements per :data:`CHUNK` students, not per student: a year's purge takes a moment."""
    ids = list(dict.fromkeys(student_ids))
    created: dict[int, str] = {}
    for chunk in _chunks(ids):
        # The creation moment exactly as stored: backups are matched on it, byte for byte.
        query = text("SELECT id, created_at FROM students WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True))
        created.update((int(sid), str(at)) for sid, at in session.execute(query, {"ids": chunk}))
    missing = next((sid for sid in ids if sid not in created), None)
    if missing is not None:
        raise UserError(f"aucun élève n'a le numéro {missing}")
    at = datetime.now()
    _erase_follow_up(session, ids)
    for chunk in _chunks(ids):
        session.execute(delete(CounselingSession).where(CounselingSession.student_id.in_(chunk)))
        gone = getattr(session.execute(delete(Student).where(Student.id.in_(chunk))), "rowcount", 0)
        if gone != len(chunk):  # an office server's policy: a file shared with you is not yours to erase
            raise UserError("seul·e le ou la propriétaire d'un dossier peut l'effacer (il vous est partagé) : "
                            "rien n'a été effacé")
    if ids:
        session.execute(insert(Erasure), [{"student_id": sid, "student_created": created[sid], "erased_at": at}
                                          for sid in ids])
    if action and ids:
        log_accesses(session, action, ids)
    return [Erased(sid, created[sid], at.isoformat(timespec="seconds")) for sid in ids]


CHUNK = 500  # ids per IN (...) list: far below SQLite's limit on bound values


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _erase_follow_up(session: Session, ids: list[int]) -> None:
    """Said explicitly rather than left to ON DELETE CASCADE: the follow-up rows, and the
    milestones that concerned none but erased students (their title may name them)."""
    erased = set(ids)
    concerned: dict[int, set[int]] = {}
    for chunk in _chunks(ids):
        touched = select(MilestoneStudent.milestone_id).where(MilestoneStudent.student_id.in_(chunk))
        links = select(MilestoneStudent.milestone_id, MilestoneStudent.student_id).where(
            MilestoneStudent.milestone_id.in_(touched))
        for milestone_id, student_id in session.execute(links):
            concerned.setdefault(milestone_id, set()).add(student_id)
    alone = [mid for mid, students in concerned.items() if students <= erased]
    for chunk in _chunks(ids):
        for table in (MilestoneStudent, BilanHandover, LiaisonConsent):
            session.execute(delete(table).where(table.student_id.in_(chunk)))
    for chunk in _chunks(alone):
        session.execute(delete(Milestone).where(Milestone.id.in_(chunk)))


def finish_erasure(database: Database, erased: list[Erased]) -> ErasureResult:
    """The second half of :func:`erase_students`, after the commit: the write-ahead log, the bilans
    opened for viewing, a local draft of a session (:mod:`db.students.drafts`) and every
    automatic backup."""
    from db.students.drafts import drop_draft

    wal_truncated = checkpoint(database)
    for item in erased:
        remove_viewer_copies(item.student_id)
        drop_draft(database.url, item.student_id)  # a session kept unsaved (server away, or while editing)
    server = database.engine.dialect.name == "postgresql"
    return ErasureResult(wal_truncated, _erase_from_backups(database, erased), vacuum(database) if server else None)


def _erase_from_backups(database: Database, erased: list[Erased]) -> ScrubReport:
    from db.storage.backup import erase_from_backups, sqlite_path

    path = sqlite_path(database.url)
    return erase_from_backups(path, erased) if path is not None else ScrubReport()


def checkpoint(database: Database) -> bool:
    """Copy the WAL into the database file and truncate it. False if another connection blocked it."""
    if database.engine.dialect.name != "sqlite":
        return True
    raw = database.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if driver is None:  # the pooled connection was invalidated: nothing was copied
            return False
        busy, _, _ = driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return bool(busy == 0)
    except sqlite3.Error:  # a full disk: the erasure is committed; the log is emptied later
        return False
    finally:
        raw.close()


# ------------------------------------------------------------------ retention
def retention_extra_years(session: Session) -> int:
    """Extra school years a record is kept after the one of its last session (default 0)."""
    value = get_meta(session, RETENTION_KEY)
    return int(value) if value and value.isdigit() else 0


def set_retention_extra_years(database: Database, years: int) -> None:
    """Change the retention rule (0 = end of the school year of the last session). The rule is
    the office's on a shared server: nothing is written when it does not change, so a counselor
    saving their own profile is not refused for a setting only an administrator may change."""
    if not 0 <= years <= 10:
        raise UserError("la durée de conservation doit être comprise entre 0 et 10 années scolaires")
    with database.read() as session:
        if retention_extra_years(session) == years:
            return
    with database.write() as session:
        set_meta(session, RETENTION_KEY, str(years))


def retention_deadline(last_day: str, extra_years: int = 0) -> date:
    """The day after which a record seen last on ``last_day`` should be erased: 31 August ending
    the school year of that session, plus ``extra_years``."""
    day = date.fromisoformat(last_day)
    end_year = day.year + 1 if day.month >= 9 else day.year
    return date(end_year + extra_years, 8, 31)


def past_retention(session: Session, today: date | None = None) -> list[StudentInfo]:
    """Students whose retention deadline has passed (records never seen count from creation),
    most recently seen first. One indexed query: a caseload of 10,000 is not read row by row."""
    query = select(Student).where(_past_retention(session, today)).order_by(
        Student.last_session_on.desc().nulls_last(), Student.search_key, Student.id)
    return [student_info(student) for student in session.execute(query).scalars()]


def count_past_retention(session: Session, today: date | None = None) -> int:
    """How many students :func:`past_retention` gives (the start-up reminder)."""
    return int(session.execute(select(func.count()).select_from(Student)
                               .where(_past_retention(session, today))).scalar_one())


def _past_retention(session: Session, today: date | None) -> Any:
    cutoff = retention_cutoff(today or date.today(), retention_extra_years(session))
    return or_(and_(Student.last_session_on.is_not(None), Student.last_session_on < cutoff.isoformat()),
               and_(Student.last_session_on.is_(None), Student.created_at < datetime.combine(cutoff, time())))


def purge(database: Database, today: date | None = None) -> list[int]:
    """Erase every student past the retention deadline (one transaction, backups included);
    returns their ids."""
    return purge_with_result(database, today)[0]


def purge_with_result(database: Database, today: date | None = None) -> tuple[list[int], ErasureResult | None]:
    """:func:`purge`, with what the erasure reached (None when nobody was past the deadline)."""
    with database.read() as session:
        ids = [info.id for info in past_retention(session, today)]
    if not ids:
        return [], None
    return ids, erase_students(database, ids, action="purge")
