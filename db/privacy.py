"""Data protection (RGPD) for student records: export, import, real erasure, retention, access log.

Export format ``orientation-eleve/1`` (JSON, UTF-8)::

    {"format": "orientation-eleve/1", "exporte_le": "2026-11-21T10:00:00",
     "notes_privees_incluses": false,
     "eleve": {"nom", "prenom", "classe", "etablissement", "annee_scolaire"},
     "seances": [{"date": "2026-11-20",
                  "centres_interet": ["T-IDEO2.4814", …], "centres_interet_libelles": ["j'aime organiser, gérer", …],
                  "contraintes": {"niveau_max_bac_plus": 3, "niveau_max": "bac + 3", "salaire_min": 1800,
                                  "pays": "FR", "secteurs_souhaites": [ids], "secteurs_refuses": [ids]},
                  "selection": [{"metier": "MET.38", "commentaire": "à découvrir en stage"}],
                  "comparaison": ["MET.38", "ORI.aide-soignant"],
                  "prochaines_etapes": "…", "note_eleve": "…", "notes_privees": null}]}

``notes_privees`` is null unless the counselor explicitly chose to include private notes.
Erasure deletes the rows with SQLite ``secure_delete`` on (freed pages are zeroed) and then
truncates the write-ahead log, so no byte of the student's data stays readable in the files.
"""
from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from db.catalogue import get_meta, set_meta
from db.engine import Database
from db.errors import UserError
from db.models import AccessLog, CounselingSession, InterestRow, Student
from db.nomenclature import describe_level, match_interest
from db.students import (SessionState, ShortlistItem, StudentInfo, create_student, find_students, get_student,
                         list_sessions, get_session, save_session)

FORMAT = "orientation-eleve/1"
RETENTION_KEY = "retention_annees_supplementaires"


# ------------------------------------------------------------------ access log
def _user() -> str:
    try:
        return getpass.getuser()[:120]
    except Exception:  # no login name (service account, container): still log the access
        return "inconnu"


def log_access(session: Session, action: str, student_id: int | None) -> None:
    """Record who did ``action`` on which student, and when (never any content)."""
    session.execute(insert(AccessLog).values(at=datetime.now(), user=_user(), action=action, student_id=student_id))


def access_log(session: Session) -> list[dict]:
    """The access log, most recent first."""
    rows = session.execute(select(AccessLog).order_by(AccessLog.at.desc(), AccessLog.id.desc())).scalars()
    return [{"quand": r.at.isoformat(timespec="seconds"), "qui": r.user, "action": r.action, "eleve": r.student_id}
            for r in rows]


# ------------------------------------------------------------------ export / import
def export_student(database: Database, student_id: int, *, include_private: bool = False) -> dict[str, Any]:
    """The student's whole file as a ``orientation-eleve/1`` document (access logged)."""
    with database.write() as session:
        info = get_student(session, student_id)
        sessions = [get_session(session, sid) for sid, _ in list_sessions(session, student_id)]
        labels = dict(session.execute(select(InterestRow.id, InterestRow.label)).all())
        log_access(session, "export", student_id)
    return {
        "format": FORMAT,
        "exporte_le": datetime.now().isoformat(timespec="seconds"),
        "notes_privees_incluses": include_private,
        "eleve": {"nom": info.nom, "prenom": info.prenom, "classe": info.classe,
                  "etablissement": info.etablissement, "annee_scolaire": info.annee_scolaire},
        "seances": [_session_doc(s, labels, include_private) for s in sessions],
    }


def _session_doc(state: SessionState, labels: dict[str, str], include_private: bool) -> dict[str, Any]:
    return {
        "date": state.date,
        "centres_interet": list(state.interests),
        "centres_interet_libelles": [labels.get(i, i) for i in state.interests],
        "contraintes": {"niveau_max_bac_plus": state.max_bac_plus,
                        "niveau_max": describe_level(state.max_bac_plus) if state.max_bac_plus is not None else None,
                        "salaire_min": state.min_salary, "pays": state.country,
                        "secteurs_souhaites": list(state.sectors_wished),
                        "secteurs_refuses": list(state.sectors_refused)},
        "selection": [{"metier": i.metier_id, "commentaire": i.comment} for i in state.shortlist],
        "comparaison": list(state.comparison),
        "prochaines_etapes": state.next_steps,
        "note_eleve": state.student_note,
        "notes_privees": state.private_notes if include_private else None,
    }


def import_student(database: Database, document: Any) -> int:
    """Create a new student from an ``orientation-eleve/1`` document; returns the new id.

    The document is checked whole before anything is written; interests unknown here are
    recreated from their labels. Métier ids are kept even if this catalogue lacks them.
    """
    eleve, seances = _check_document(document)
    student_id = create_student(database, eleve.get("nom", ""), eleve.get("prenom", ""), eleve.get("classe"),
                                eleve.get("etablissement"), eleve.get("annee_scolaire"))
    try:
        _ensure_interests(database, seances)
        for doc in sorted(seances, key=lambda d: str(d.get("date"))):
            save_session(database, _state_from_doc(student_id, doc))
        with database.write() as session:
            log_access(session, "import", student_id)
    except Exception:
        erase_student(database, student_id, log=False)  # nothing half-imported stays behind
        raise
    return student_id


def _check_document(document: Any) -> tuple[dict, list[dict]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UserError(f"ce fichier n'est pas un dossier d'élève « {FORMAT} »")
    eleve, seances = document.get("eleve"), document.get("seances", [])
    if not isinstance(eleve, dict) or not isinstance(seances, list) or not all(isinstance(s, dict) for s in seances):
        raise UserError("dossier d'élève incomplet : « eleve » et « seances » sont attendus")
    return eleve, seances


def _ensure_interests(database: Database, seances: list[dict]) -> None:
    with database.write() as session:
        known = set(session.execute(select(InterestRow.id)).scalars())
        for doc in seances:
            ids = doc.get("centres_interet") or []
            names = doc.get("centres_interet_libelles") or ids
            for ident, label in zip(ids, names):
                if ident not in known:
                    new_id, new_label = match_interest(str(label))
                    session.execute(insert(InterestRow.__table__).values(id=ident, label=new_label, group_label="Autres",
                                                               is_onisep=False))
                    known.add(ident)


def _state_from_doc(student_id: int, doc: dict) -> SessionState:
    constraints = doc.get("contraintes") or {}
    return SessionState(
        student_id=student_id, date=str(doc.get("date", "")),
        interests=[str(i) for i in doc.get("centres_interet") or []],
        max_bac_plus=constraints.get("niveau_max_bac_plus"), min_salary=constraints.get("salaire_min"),
        country=constraints.get("pays"),
        sectors_wished=list(constraints.get("secteurs_souhaites") or []),
        sectors_refused=list(constraints.get("secteurs_refuses") or []),
        shortlist=[ShortlistItem(str(e.get("metier")), str(e.get("commentaire") or ""))
                   for e in doc.get("selection") or []],
        comparison=[str(m) for m in doc.get("comparaison") or []],
        next_steps=str(doc.get("prochaines_etapes") or ""), student_note=str(doc.get("note_eleve") or ""),
        private_notes=str(doc.get("notes_privees") or ""))


def read_document(path: str) -> Any:
    """Read an export file; UserError (French) when it is not readable JSON."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"lecture impossible de « {path} » : {exc}") from exc


# ------------------------------------------------------------------ erasure
@dataclass
class ErasureResult:
    """Whether the write-ahead log could be emptied right away (another window may hold it)."""

    wal_truncated: bool


def erase_student(database: Database, student_id: int, *, log: bool = True) -> ErasureResult:
    """Delete a student and every session, then empty the WAL so no byte of it remains."""
    with database.write() as session:
        if session.get(Student, student_id) is None:
            raise UserError(f"aucun élève n'a le numéro {student_id}")
        session.execute(delete(CounselingSession).where(CounselingSession.student_id == student_id))
        session.execute(delete(Student).where(Student.id == student_id))
        if log:
            log_access(session, "effacement", student_id)
    return ErasureResult(wal_truncated=checkpoint(database))


def checkpoint(database: Database) -> bool:
    """Copy the WAL into the database file and truncate it. False if another connection blocked it."""
    if database.engine.dialect.name != "sqlite":
        return True
    raw = database.engine.raw_connection()
    try:
        busy, _, _ = raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
    finally:
        raw.close()


# ------------------------------------------------------------------ retention
def retention_extra_years(session: Session) -> int:
    """Extra school years a record is kept after the one of its last session (default 0)."""
    value = get_meta(session, RETENTION_KEY)
    return int(value) if value and value.isdigit() else 0


def set_retention_extra_years(database: Database, years: int) -> None:
    """Change the retention rule (0 = end of the school year of the last session)."""
    if not 0 <= years <= 10:
        raise UserError("la durée de conservation doit être comprise entre 0 et 10 années scolaires")
    with database.write() as session:
        set_meta(session, RETENTION_KEY, str(years))


def retention_deadline(last_day: str, extra_years: int = 0) -> date:
    """The day after which a record seen last on ``last_day`` should be erased: 31 August ending
    the school year of that session, plus ``extra_years``."""
    day = date.fromisoformat(last_day)
    end_year = day.year + 1 if day.month >= 9 else day.year
    return date(end_year + extra_years, 8, 31)


def past_retention(session: Session, today: date | None = None) -> list[StudentInfo]:
    """Students whose retention deadline has passed (records never seen count from creation)."""
    today = today or date.today()
    extra = retention_extra_years(session)
    result = []
    for info in find_students(session):
        last = info.last_session_on or _created_on(session, info.id)
        if retention_deadline(last, extra) < today:
            result.append(info)
    return result


def _created_on(session: Session, student_id: int) -> str:
    created = session.execute(select(Student.created_at).where(Student.id == student_id)).scalar_one()
    return created.date().isoformat()


def purge(database: Database, today: date | None = None) -> list[int]:
    """Erase every student past the retention deadline; returns their ids."""
    with database.read() as session:
        ids = [info.id for info in past_retention(session, today)]
    for student_id in ids:
        erase_student(database, student_id, log=False)
    if ids:
        with database.write() as session:
            for student_id in ids:
                log_access(session, "purge", student_id)
    return ids
