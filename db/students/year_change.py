"""The year change ("nouvelle année scolaire"): classes moved on, retention applied, the closing
year's anonymous statistics archived, in one transaction that can be undone until the next save.

- :func:`plan_year_change` is the preview: nothing is written.
- :func:`change_year` takes an automatic backup ("avant-changement-annee"), then in one write
  transaction erases the records past retention (:func:`db.students.privacy.erase_rows_in`, so
  the erasure reaches every copy as any erasure does), moves on the classes of the students of
  the closing year (the counselor's mapping, class as typed → new class), moves their current
  class code on, stores the archived statistics (a protected, anonymous JSON document the caller
  made) and the record of the change.
- :func:`undo_year_change` restores that backup while nothing was saved since (a digest of the
  students, sessions, handovers, consents and milestones taken at the change is unchanged). A
  PostgreSQL server has no backup file: there the change records each moved student's previous
  class, year and class code (ids, never a name), and the undo puts them back.
  Erased records stay erased: the restore re-applies every erasure.

Statistics are archived under the meta key ``statistiques_archivees_<année>``; the text is made
by the caller (``reports.stats_export.stats_json``) since db/ does not format reports.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from db.catalogue.store import get_meta, set_meta
from db.errors import UserError
from db.models import (AppMeta, BilanHandover, CounselingSession, LiaisonConsent, Milestone, MilestoneStudent,
                       Student, table_of)
from db.storage.engine import Database
from db.students.privacy import ErasureResult, erase_rows_in, finish_erasure, past_retention
from db.students.stats import class_level

CHANGE_KEY = "changement_annee"
CLOSED_KEY = "derniere_annee_close"
ARCHIVE_PREFIX = "statistiques_archivees_"
BACKUP_REASON = "avant-changement-annee"
MAX_CLASS = 40
NEXT_LEVEL = {"6e": "5e", "5e": "4e", "4e": "3e", "3e": "2de", "2de": "1re", "1re": "terminale"}
NEXT_CODE = {"2de-gt": "1re-gt", "2de-pro": "1re-pro", "1re-gt": "term-gt", "1re-pro": "term-pro",
             "term-gt": "bac-gt", "term-pro": "bac-pro", "4e": "3e", "3e": None}  # after 3e: voie not known yet


@dataclass
class ClassMove:
    """One class of the closing year: its name as typed, the proposed (or chosen) new name
    (None: no class), how many students it holds among those kept."""

    old: str
    new: str | None
    students: int


@dataclass
class YearChangePlan:
    """What :func:`change_year` would do (the preview)."""

    closing: str  # "2025-2026"
    opening: str  # "2026-2027"
    moves: list[ClassMove] = field(default_factory=list)
    moving: int = 0  # students of the closing year (or without a year) kept and moved on
    unchanged: int = 0  # students of another year, left as they are
    to_erase: list[int] = field(default_factory=list)  # ids past retention
    sessions_in_year: int = 0  # sessions the archived statistics count

    def lines(self) -> list[str]:
        """The preview in French (counts and class names only, never a student's name)."""
        out = [f"Changement d'année : {self.closing} → {self.opening}.",
               f"{self.moving} élève(s) changent de classe ; {self.unchanged} d'une autre année restent tels quels.",
               f"{len(self.to_erase)} dossier(s) ont dépassé la durée de conservation et seront effacés "
               "(sauvegardes automatiques comprises ; une annulation ne les fait pas revenir).",
               f"Statistiques anonymes de {self.closing} archivées ({self.sessions_in_year} entretien(s))."]
        out += [f"  {m.old} → {'(inchangée)' if m.new == m.old else m.new or '(sans classe)'} : {m.students} élève(s)"
                for m in self.moves]
        return out


@dataclass
class YearChangeResult:
    """What :func:`change_year` did."""

    plan: YearChangePlan
    backup: Path | None
    erasure: ErasureResult | None


def closing_year(today: date) -> str:
    """The school year a change made on ``today`` closes: the one ending on the 31 August of
    this calendar year (in June it ends soon, in September it has just ended)."""
    return f"{today.year - 1}-{today.year}"


def _following(year: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{4})", year.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        raise UserError(f"année scolaire invalide : « {year[:20]} » (attendu : 2025-2026)")
    return f"{match[2]}-{int(match[2]) + 1}"


def proposed_class(old: str) -> str | None:
    """The class a pupil of ``old`` goes to by default: the next level ("3e B" → "2de"); the same
    text when there is no next level here (terminale, CAP, post-bac…: the counselor decides)."""
    level = class_level(old)
    return NEXT_LEVEL.get(level, old)


def parse_mapping(items: list[str] | None) -> dict[str, str | None]:
    """``["3e B=2de", "Tle=" ]`` → ``{"3e B": "2de", "Tle": None}``. UserError for an item
    without "=", an empty or too long class."""
    mapping: dict[str, str | None] = {}
    for item in items or []:
        old, sep, new = item.partition("=")
        if not sep or not old.strip():
            raise UserError(f"correspondance de classe invalide : « {item[:40]} » (attendu : ANCIENNE=NOUVELLE)")
        if len(new.strip()) > MAX_CLASS:
            raise UserError(f"la classe « {new.strip()[:40]}… » est trop longue (maximum {MAX_CLASS} caractères)")
        mapping[" ".join(old.split())] = " ".join(new.split()) or None
    return mapping


def _in_closing(year: str) -> ColumnElement[bool]:
    return or_(Student.annee_scolaire == year, Student.annee_scolaire.is_(None))


def plan_year_change(session: Session, today: date | None = None, year: str | None = None,
                     mapping: dict[str, str | None] | None = None) -> YearChangePlan:
    """The preview of the change closing ``year`` (by default :func:`closing_year`): nothing is
    written. ``mapping`` overrides the proposed new class of some classes; a class it names
    that the closing year does not hold is refused (UserError), as is a year already closed."""
    today = today or date.today()
    year = (year or closing_year(today)).strip()
    plan = YearChangePlan(year, _following(year))
    closed = get_meta(session, CLOSED_KEY)
    if closed is not None and closed >= year:
        raise UserError(f"l'année {closed} est déjà close : le changement d'année a déjà été fait")
    plan.to_erase = [info.id for info in past_retention(session, today)]
    erased = set(plan.to_erase)
    rows = session.execute(select(Student.id, Student.classe, _in_closing(year))).all()
    counts: dict[str, int] = {}
    for student_id, classe, moving in rows:
        if student_id in erased:
            continue
        if not moving:
            plan.unchanged += 1
            continue
        plan.moving += 1
        if classe:
            counts[classe] = counts.get(classe, 0) + 1
    wanted = dict(mapping or {})
    unknown = [old for old in wanted if old not in counts]
    if unknown:
        raise UserError(f"aucun élève de {year} n'est dans la classe « {unknown[0][:40]} »")
    plan.moves = [ClassMove(old, wanted[old] if old in wanted else proposed_class(old), n)
                  for old, n in sorted(counts.items())]
    start, end = f"{year[:4]}-09-01", f"{year[5:]}-08-31"
    plan.sessions_in_year = int(session.execute(
        select(func.count()).select_from(CounselingSession)
        .where(CounselingSession.date >= start, CounselingSession.date <= end)).scalar_one())
    return plan


def change_year(database: Database, archive: str, today: date | None = None, year: str | None = None,
                mapping: dict[str, str | None] | None = None) -> YearChangeResult:
    """Make the change :func:`plan_year_change` previews (computed again here, inside the
    transaction) and store ``archive`` (the closing year's anonymous statistics, JSON text).
    An automatic backup is taken first (UserError, nothing changed, when it cannot be)."""
    from db.storage.backup import automatic_backup, sqlite_path

    db_file = sqlite_path(database.url)
    backup = automatic_backup(db_file, BACKUP_REASON) if db_file is not None else None
    with database.write() as session:
        plan = plan_year_change(session, today, year, mapping)
        erased = erase_rows_in(session, plan.to_erase, action="purge")
        # A server has no file to back up: the change records what it moves, which undoes it.
        before = _classes_before(session, plan) if db_file is None else None
        previous_closed = get_meta(session, CLOSED_KEY)
        _move_classes(session, plan)
        set_meta(session, ARCHIVE_PREFIX + plan.closing, archive)
        set_meta(session, CLOSED_KEY, plan.closing)
        set_meta(session, CHANGE_KEY, json.dumps({
            "de": plan.closing, "vers": plan.opening, "le": datetime.now().isoformat(),
            "sauvegarde": backup.name if backup else None, "avant": before, "close_avant": previous_closed,
            "empreinte": _fingerprint(session)}))
    erasure = finish_erasure(database, erased) if erased else None
    return YearChangeResult(plan, backup, erasure)


def _move_classes(session: Session, plan: YearChangePlan) -> None:
    renamed = {m.old: m.new for m in plan.moves if m.new != m.old}
    values: dict[str, object] = {"annee_scolaire": plan.opening}
    if renamed:
        values["classe"] = case(renamed, value=Student.classe, else_=Student.classe)
    values["current_class"] = case(NEXT_CODE, value=Student.current_class, else_=Student.current_class)
    session.execute(update(Student).where(_in_closing(plan.closing)).values(**values)
                    .execution_options(synchronize_session=False))


def archived_statistics(session: Session, year: str) -> str | None:
    """The statistics archived when ``year`` was closed (JSON text), or None."""
    return get_meta(session, ARCHIVE_PREFIX + year.strip())


def archived_years(session: Session) -> list[str]:
    """The school years whose statistics were archived by a year change, latest first."""
    keys = session.execute(select(AppMeta.key).where(AppMeta.key.startswith(ARCHIVE_PREFIX))).scalars()
    return sorted((key[len(ARCHIVE_PREFIX):] for key in keys), reverse=True)


def last_change(session: Session) -> dict[str, str] | None:
    """The record of the last year change (``de``, ``vers``, ``le``, ``sauvegarde``), or None."""
    value = get_meta(session, CHANGE_KEY)
    if not value:
        return None
    data = json.loads(value)
    return data if isinstance(data, dict) else None


def undo_year_change(database: Database) -> str:
    """Put the database back as it was just before the last year change, with the backup taken
    then (erasures re-applied by the restore), and return the year reopened. UserError, nothing
    changed, when there is no change to undo, when something was saved since, or when the
    backup is gone."""
    from db.storage.backup import backup_dir, restore_from, sqlite_path

    db_file = sqlite_path(database.url)
    with database.read() as session:
        change = last_change(session)
        if change is None:
            raise UserError("aucun changement d'année à annuler")
        if _fingerprint(session) != change.get("empreinte"):
            raise UserError("quelque chose a été enregistré depuis le changement d'année (entretien, élève, "
                            "bilan remis, échéance…) : l'annuler le perdrait, il ne peut plus être annulé")
    if db_file is None and change.get("avant") is not None:
        _put_classes_back(database, change)
        return change["de"]
    backup = backup_dir(db_file) / change["sauvegarde"] if db_file and change.get("sauvegarde") else None
    if backup is None or not backup.is_file():
        raise UserError("la sauvegarde faite avant le changement d'année n'existe plus : il ne peut pas être annulé")
    database.close()  # no pooled connection holds the file while it is replaced
    restore_from(db_file, backup)  # type: ignore[arg-type]  # db_file is set when backup is
    return change["de"]


def _classes_before(session: Session, plan: YearChangePlan) -> list[list[object]]:
    """``[id, classe, annee_scolaire, current_class]`` of each student the change moves (no name)."""
    rows = session.execute(select(Student.id, Student.classe, Student.annee_scolaire, Student.current_class)
                           .where(_in_closing(plan.closing)).order_by(Student.id))
    return [list(row) for row in rows]


def _put_classes_back(database: Database, change: dict[str, Any]) -> None:
    """Undo a change made on a server (no backup file): every moved student gets back the class,
    year and class code the change recorded, the archived statistics and the record go; in one
    transaction, refused as :func:`undo_year_change` says when anything was saved since."""
    with database.write() as session:
        if _fingerprint(session) != change.get("empreinte"):  # checked again inside the write
            raise UserError("quelque chose a été enregistré depuis le changement d'année : il ne peut plus être annulé")
        for sid, classe, year, code in change["avant"]:
            session.execute(update(Student).where(Student.id == sid)
                            .values(classe=classe, annee_scolaire=year, current_class=code)
                            .execution_options(synchronize_session=False))
        session.execute(delete(AppMeta).where(AppMeta.key.in_([ARCHIVE_PREFIX + str(change["de"]), CHANGE_KEY])))
        if change.get("close_avant"):
            set_meta(session, CLOSED_KEY, str(change["close_avant"]))
        else:
            session.execute(delete(AppMeta).where(AppMeta.key == CLOSED_KEY))


def _fingerprint(session: Session) -> str:
    """A digest of what the counselor saves (students, sessions, handovers, consents, milestones):
    it differs as soon as anything was saved after the change, which then can no longer be undone."""
    import hashlib

    digest = hashlib.sha256()
    for model in (Student, BilanHandover, LiaisonConsent, Milestone, MilestoneStudent):
        table = table_of(model)
        for row in session.execute(select(table).order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
    sessions = session.execute(select(func.count(), func.max(CounselingSession.id),
                                      func.max(CounselingSession.updated_at))).one()
    digest.update(repr(tuple(sessions)).encode())
    return digest.hexdigest()


__all__ = ["ClassMove", "YearChangePlan", "YearChangeResult", "archived_statistics", "archived_years", "change_year",
           "closing_year", "last_change", "parse_mapping", "plan_year_change", "proposed_class", "undo_year_change"]
