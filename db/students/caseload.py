"""The caseload: a counselor's students school by school, class by class, with what is left to do.

Every filter is a SQL condition on indexed columns (``students.last_session_on``, the
(établissement, classe, nom) index, ``sessions`` by (student, date), ``bilan_handovers`` by
student), so a page and the per-class counts cost one query each whatever the caseload size.
The window (:mod:`desktop.caseload_window`) and ``orientation students list`` both read here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import (BilanHandover, CounselingSession, Milestone, MilestoneStudent, ShortlistEntry,
                       Student)
from db.storage.engine import Database
from db.students.access_log import log_access
from db.students.store import StudentInfo, get_student, student_info

MAX_DAYS = 3650
MAX_TITLE = 100
NO_SCHOOL = "(sans établissement)"
NO_CLASS = "(sans classe)"


@dataclass(frozen=True)
class CaseloadFilter:
    """Which students to list. Every condition given must hold (they combine with "and").

    ``not_seen_days``: no session in the last N days (never-seen students included);
    ``no_session``: no session at all; ``no_shortlist``: the latest session keeps no métier
    (never-seen students included); ``bilan_not_given``: no bilan handover recorded.
    ``today`` is the day "N days ago" counts from (the real today when None)."""

    etablissement: str | None = None
    classe: str | None = None
    not_seen_days: int | None = None
    no_session: bool = False
    no_shortlist: bool = False
    bilan_not_given: bool = False
    today: date | None = None

    def check(self) -> None:
        """UserError (one French sentence) when a value cannot be used."""
        if self.not_seen_days is not None and not 0 <= self.not_seen_days <= MAX_DAYS:
            raise UserError(f"le nombre de jours doit être compris entre 0 et {MAX_DAYS}")


@dataclass
class CaseloadRow:
    """A student as the caseload lists them: identity, last session, bilan handover day."""

    info: StudentInfo
    bilan_given_on: str | None


@dataclass
class ClassCount:
    """One class of one school: how many students, and how many match each filter."""

    etablissement: str
    classe: str
    students: int
    not_seen: int  # not seen in the filter's N days (0 when no N is given)
    no_session: int
    no_shortlist: int
    bilan_not_given: int


def _has_session() -> Any:
    return Student.last_session_on.is_not(None)


def _has_shortlist() -> Any:
    # The latest session's shortlist is the student's current one (a new session copies it).
    kept = select(ShortlistEntry.session_id).where(ShortlistEntry.session_id == CounselingSession.id)
    return (select(CounselingSession.id)
            .where(CounselingSession.student_id == Student.id, CounselingSession.date == Student.last_session_on,
                   kept.correlate(CounselingSession).exists())
            .correlate(Student).exists())


def _bilan_given() -> Any:
    return select(BilanHandover.student_id).where(BilanHandover.student_id == Student.id).correlate(Student).exists()


def _not_seen_since(days: int, today: date | None) -> Any:
    cutoff = ((today or date.today()) - timedelta(days=days)).isoformat()
    return or_(Student.last_session_on.is_(None), Student.last_session_on < cutoff)


def _conditions(filt: CaseloadFilter) -> list[Any]:
    filt.check()
    conditions: list[Any] = []
    if filt.etablissement is not None:
        conditions.append(_same_text(Student.etablissement, filt.etablissement, NO_SCHOOL))
    if filt.classe is not None:
        conditions.append(_same_text(Student.classe, filt.classe, NO_CLASS))
    if filt.not_seen_days is not None:
        conditions.append(_not_seen_since(filt.not_seen_days, filt.today))
    if filt.no_session:
        conditions.append(~_has_session())
    if filt.no_shortlist:
        conditions.append(~_has_shortlist())
    if filt.bilan_not_given:
        conditions.append(~_bilan_given())
    return conditions


def _same_text(column: Any, wanted: str, empty_label: str) -> Any:
    """The column equals ``wanted`` (the label of "none" or an empty text meaning no value)."""
    wanted = wanted.strip()
    if not wanted or wanted == empty_label:
        return column.is_(None)
    return column == wanted


def caseload(session: Session, filt: CaseloadFilter = CaseloadFilter(), *, limit: int | None = None,
             offset: int = 0) -> list[CaseloadRow]:
    """Students matching ``filt`` by school, class, then name; ``limit`` of them from ``offset``.
    UserError when the filter holds an unusable value."""
    query = (select(Student, BilanHandover.given_on).outerjoin(BilanHandover, BilanHandover.student_id == Student.id)
             .where(*_conditions(filt))
             .order_by(Student.etablissement, Student.classe, Student.search_key, Student.id))
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [CaseloadRow(student_info(student), given) for student, given in session.execute(query)]


def count_caseload(session: Session, filt: CaseloadFilter = CaseloadFilter()) -> int:
    """How many students :func:`caseload` lists without a limit."""
    query = select(func.count()).select_from(Student).where(*_conditions(filt))
    return int(session.execute(query).scalar_one())


def class_counts(session: Session, filt: CaseloadFilter = CaseloadFilter()) -> list[ClassCount]:
    """Per school and class (of the filter's school and class when given; the other conditions
    are not applied): the number of students and of those matching each filter. One query."""
    scope = CaseloadFilter(etablissement=filt.etablissement, classe=filt.classe)
    not_seen = (_not_seen_since(filt.not_seen_days, filt.today) if filt.not_seen_days is not None
                else Student.id.is_(None))

    def count_if(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    query = (select(Student.etablissement, Student.classe, func.count(), count_if(not_seen),
                    count_if(~_has_session()), count_if(~_has_shortlist()), count_if(~_bilan_given()))
             .where(*_conditions(scope))
             .group_by(Student.etablissement, Student.classe)
             .order_by(Student.etablissement, Student.classe))
    return [ClassCount(school or NO_SCHOOL, classe or NO_CLASS, int(n), int(a or 0), int(b or 0), int(c or 0),
                       int(d or 0))
            for school, classe, n, a, b, c, d in session.execute(query)]


def schools(session: Session) -> list[str]:
    """The schools of the caseload, in order ("(sans établissement)" for students without one)."""
    rows = session.execute(select(Student.etablissement).distinct().order_by(Student.etablissement)).scalars()
    return [school or NO_SCHOOL for school in rows]


# ------------------------------------------------------------------ bilan handed over
def record_bilan_given(database: Database, student_id: int, day: str | None = None) -> str:
    """Record that the student's bilan was handed over on ``day`` (ISO; today when None) and
    return that day. UserError, nothing written, for an unknown student, an invalid date or a
    day still to come (a handover is recorded once done: a slip of the year would hide the
    student from « bilan pas encore remis »)."""
    given_on = _iso_day(day)
    if given_on > date.today().isoformat():
        raise UserError(f"date à venir : « {given_on} » : un bilan se note une fois remis (aujourd'hui par "
                        "défaut, ou la date passée où il l'a été)")
    with database.write() as session:
        get_student(session, student_id)
        row = session.get(BilanHandover, student_id)
        if row is None:
            session.add(BilanHandover(student_id=student_id, given_on=given_on))
        else:
            row.given_on = given_on
        log_access(session, "bilan remis", student_id)
    return given_on


def clear_bilan_given(database: Database, student_id: int) -> None:
    """Forget the handover (a mistaken click); UserError for an unknown student."""
    with database.write() as session:
        get_student(session, student_id)
        session.execute(delete(BilanHandover).where(BilanHandover.student_id == student_id))


def _iso_day(day: str | None) -> str:
    if day is None:
        return date.today().isoformat()
    try:
        return date.fromisoformat(day.strip()).isoformat()
    except ValueError:
        raise UserError(f"date invalide : « {day[:20]} » (attendu : AAAA-MM-JJ)") from None


# ------------------------------------------------------------------ the counselor's milestones
@dataclass
class MilestoneInfo:
    """A milestone and the students it concerns (ids)."""

    id: int
    title: str
    due_on: str
    student_ids: list[int]


def add_milestone(database: Database, title: str, due_on: str, student_ids: list[int] | tuple[int, ...] = ()) -> int:
    """Create a milestone (title, ISO date, concerned students) and return its id. UserError,
    nothing written, for an empty or too long title, an invalid date or an unknown student."""
    text = " ".join((title or "").split())
    if not text:
        raise UserError("le titre de l'échéance est obligatoire")
    if len(text) > MAX_TITLE:
        raise UserError(f"le titre de l'échéance est trop long ({len(text)} caractères ; maximum {MAX_TITLE})")
    day = _iso_day(due_on)
    with database.write() as session:
        for student_id in dict.fromkeys(student_ids):
            get_student(session, student_id)
        milestone = Milestone(title=text, due_on=day, created_at=datetime.now())
        session.add(milestone)
        session.flush()
        session.add_all(MilestoneStudent(milestone_id=milestone.id, student_id=s) for s in dict.fromkeys(student_ids))
        return milestone.id


def remove_milestone(database: Database, milestone_id: int) -> None:
    """Delete a milestone; UserError when it does not exist."""
    with database.write() as session:
        row = session.get(Milestone, milestone_id)
        if row is None:
            raise UserError(f"aucune échéance n'a le numéro {milestone_id}")
        session.execute(delete(MilestoneStudent).where(MilestoneStudent.milestone_id == milestone_id))
        session.delete(row)


def milestones(session: Session, *, start: date | None = None, end: date | None = None) -> list[MilestoneInfo]:
    """Milestones due from ``start`` to ``end`` (both included; open when None), soonest first."""
    query = select(Milestone)
    if start is not None:
        query = query.where(Milestone.due_on >= start.isoformat())
    if end is not None:
        query = query.where(Milestone.due_on <= end.isoformat())
    rows = list(session.execute(query.order_by(Milestone.due_on, Milestone.id)).scalars())
    links: dict[int, list[int]] = {row.id: [] for row in rows}
    if rows:
        pairs = session.execute(select(MilestoneStudent.milestone_id, MilestoneStudent.student_id)
                                .where(MilestoneStudent.milestone_id.in_(links))
                                .order_by(MilestoneStudent.student_id))
        for milestone_id, student_id in pairs:
            links[milestone_id].append(student_id)
    return [MilestoneInfo(row.id, row.title, row.due_on, links[row.id]) for row in rows]


def upcoming_milestones(session: Session, today: date | None = None, days: int = 14) -> list[MilestoneInfo]:
    """The reminders shown at start: milestones due from today to ``days`` days ahead."""
    start = today or date.today()
    return milestones(session, start=start, end=start + timedelta(days=days))


def reminder_lines(session: Session, today: date | None = None, days: int = 14) -> list[str]:
    """French reminder lines for the upcoming milestones (numbers of students, no name)."""
    from db.catalogue.format import french_date

    lines = []
    for item in upcoming_milestones(session, today, days):
        concerned = f" — {len(item.student_ids)} élève(s)" if item.student_ids else ""
        lines.append(f"Échéance du {french_date(item.due_on)} : {item.title}{concerned}")
    return lines


__all__ = ["CaseloadFilter", "CaseloadRow", "ClassCount", "MilestoneInfo", "add_milestone", "caseload",
           "class_counts", "clear_bilan_given", "count_caseload", "milestones", "record_bilan_given",
           "reminder_lines", "remove_milestone", "schools", "upcoming_milestones"]
