"""Anonymous activity statistics for the CIO's rapport d'activité.

Over a period (a school year by default): sessions per month, sessions per school and class
level, students with a kept métier, levels aimed at, most explored sectors and interests.
Only counts leave this module, with labels taken from the catalogue (interests, sectors), the
school names and class levels: no name, no student number, no note, comment or next step.
Every count from 1 to 4 is hidden (see :mod:`db.students.suppression`).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from db.catalogue.nomenclature import describe_max_level
from db.errors import UserError
from db.models import CounselingSession, InterestRow, SectorRow, SessionInterest, SessionSector, ShortlistEntry, Student
from db.students.store import CLASSES
from db.students.suppression import GRAND, SMALL, Counts, Protected, protect
from db.text import fold

NO_SCHOOL = "Sans établissement"
OTHER_LEVEL, NO_LEVEL = "autre", "non renseignée"
TOP = 10
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_LEVEL_PATTERNS = (("6e", r"6"), ("5e", r"5"), ("4e", r"4"), ("3e", r"3"), ("2de", r"(2|seconde)"),
                   ("1re", r"(1|premiere)"), ("terminale", r"(t|terminale|tle)"), ("CAP", r"cap"),
                   ("bac pro", r"bac ?pro"), ("post-bac", r"(bts|but|licence|prepa|cpge|post)"),
                   ("adulte", r"adulte"))


@dataclass
class StatTable:
    """One protected table: a title, its row and column names, the shown figures."""

    title: str
    row_label: str
    table: Protected
    note: str = ""

    @property
    def rows(self) -> list[str]:
        return self.table.counts.rows

    @property
    def cols(self) -> list[str]:
        return self.table.counts.cols


@dataclass
class ActivityStats:
    """Everything the rapport d'activité shows for one period."""

    start: date
    end: date
    tables: list[StatTable] = field(default_factory=list)

    @property
    def period(self) -> str:
        return f"du {self.start.strftime('%d/%m/%Y')} au {self.end.strftime('%d/%m/%Y')}"


def period_from(annee: str | None, du: str | None, au: str | None, today: date) -> tuple[date, date]:
    """The period of ``--annee AAAA-AAAA`` or ``--du/--au`` (the current school year when none).
    UserError (one French sentence) for a malformed year, date or an inverted period."""
    if annee and (du or au):
        raise UserError("choisissez soit --annee, soit --du et --au")
    if du or au:
        if not (du and au):
            raise UserError("indiquez à la fois --du et --au")
        start, end = _day(du), _day(au)
        if end < start:
            raise UserError("la fin de la période précède son début")
        return start, end
    if annee is None:
        first = today.year if today.month >= 9 else today.year - 1
        annee = f"{first}-{first + 1}"
    match = re.fullmatch(r"(\d{4})-(\d{4})", annee.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        raise UserError(f"année scolaire invalide : « {annee[:20]} » (attendu : 2025-2026)")
    return date(int(match[1]), 9, 1), date(int(match[2]), 8, 31)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"date invalide : « {text[:20]} » (attendu : AAAA-MM-JJ)") from None


def class_level(classe: str | None) -> str:
    """The class level of a class name as typed ("3e B" → "3e", "Tle G1" → "terminale")."""
    if not classe or not classe.strip():
        return NO_LEVEL
    key = fold(classe).strip()
    for level, pattern in _LEVEL_PATTERNS:
        if re.match(pattern + r"(e|eme|de|nde|re|ere|\b|\s|$)", key):
            return level
    return OTHER_LEVEL


def activity_stats(session: Session, start: date, end: date) -> ActivityStats:
    """The protected tables of the period (both days included). Reads counts only."""
    span = (CounselingSession.date >= start.isoformat(), CounselingSession.date <= end.isoformat())
    rows = session.execute(select(CounselingSession.date, Student.etablissement, Student.classe)
                           .join(Student, Student.id == CounselingSession.student_id).where(*span)).all()
    stats = ActivityStats(start, end)
    stats.tables.append(_per_month(rows, start, end))
    stats.tables.append(_per_school_and_level(rows))
    seen = _students_seen(session, span)
    stats.tables.append(_with_shortlist(session, span, seen))
    stats.tables.append(_levels_aimed(session, span))
    stats.tables.append(_most_chosen(session, span, SectorRow, SessionSector, "Secteurs souhaités les plus cités"))
    stats.tables.append(_most_chosen(session, span, InterestRow, SessionInterest, "Centres d'intérêt les plus cités"))
    for pair in ((0, 1), (2, 3)):  # tables sharing a grand total hide it together, or neither does
        if any(GRAND in stats.tables[i].table.hidden for i in pair):
            for i in pair:
                stats.tables[i].table = protect(stats.tables[i].table.counts, hide_total=True)
    return stats


def _one_column(title: str, row_label: str, column: str, counts: dict[str, int], note: str = "",
                additive: bool = True) -> StatTable:
    names = list(counts)
    return StatTable(title, row_label, protect(Counts(names, [column], {(n, column): counts[n] for n in names},
                                                      additive=additive)), note)


def _per_month(rows: Sequence[Any], start: date, end: date) -> StatTable:
    months: dict[str, int] = {}
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months[f"{year:04d}-{month:02d}"] = 0
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for day, _, _ in rows:
        months[day[:7]] = months.get(day[:7], 0) + 1
    named = {f"{_MONTHS[int(k[5:]) - 1]} {k[:4]}": v for k, v in months.items()}
    return _one_column("Entretiens par mois", "Mois", "Entretiens", named)


def _per_school_and_level(rows: Sequence[Any]) -> StatTable:
    counter = Counter((school or NO_SCHOOL, class_level(classe)) for _, school, classe in rows)
    schools = sorted({s for s, _ in counter})
    order = [*CLASSES, OTHER_LEVEL, NO_LEVEL]
    levels = [lv for lv in order if any(lv == level for _, level in counter)]
    table = protect(Counts(schools, levels, dict(counter)))
    return StatTable("Entretiens par établissement et niveau de classe", "Établissement", table,
                     "Niveau de la classe actuelle de l'élève.")


def _students_seen(session: Session, span: tuple) -> int:  # type: ignore[type-arg]
    return int(session.execute(select(func.count(distinct(CounselingSession.student_id))).where(*span)).scalar_one())


def _with_shortlist(session: Session, span: tuple, seen: int) -> StatTable:  # type: ignore[type-arg]
    kept = int(session.execute(select(func.count(distinct(CounselingSession.student_id)))
                               .join(ShortlistEntry, ShortlistEntry.session_id == CounselingSession.id)
                               .where(*span)).scalar_one())
    counts = {"avec au moins un métier retenu": kept, "sans métier retenu": seen - kept}
    return _one_column("Élèves reçus et métiers retenus", "Élèves reçus", "Élèves", counts)


def _levels_aimed(session: Session, span: tuple) -> StatTable:  # type: ignore[type-arg]
    latest = (select(CounselingSession.student_id, func.max(CounselingSession.date).label("day"))
              .where(*span).group_by(CounselingSession.student_id).subquery())
    query = (select(CounselingSession.student_id, func.max(CounselingSession.max_bac_plus))
             .join(latest, (latest.c.student_id == CounselingSession.student_id)
                   & (latest.c.day == CounselingSession.date))
             .group_by(CounselingSession.student_id))
    counter = Counter(level for _, level in session.execute(query))
    ordered = sorted(counter, key=lambda lv: (lv is None, lv if lv is not None else 0))
    counts = {(describe_max_level(lv) if lv is not None else "non précisé"): counter[lv] for lv in ordered}
    return _one_column("Niveau d'études visé (dernier entretien de la période)", "Niveau", "Élèves", counts)


def _most_chosen(session: Session, span: tuple, label_table: type, link: type, title: str) -> StatTable:  # type: ignore[type-arg]
    link_column = link.sector_id if link is SessionSector else link.interest_id  # type: ignore[attr-defined]
    query = (select(label_table.label, func.count(distinct(CounselingSession.student_id)))  # type: ignore[attr-defined]
             .join(link, link.session_id == CounselingSession.id)  # type: ignore[attr-defined]
             .join(label_table, label_table.id == link_column)  # type: ignore[attr-defined]
             .where(*span).group_by(label_table.label))  # type: ignore[attr-defined]
    if link is SessionSector:
        query = query.where(SessionSector.wished.is_(True))
    ranked = sorted(((n, label) for label, n in session.execute(query) if n >= SMALL), key=lambda x: (-x[0], x[1]))
    counts = {label: n for n, label in ranked[:TOP]}
    note = (f"Les {TOP} premiers ; nombre d'élèves (un élève peut en citer plusieurs) ; "
            f"ceux cités par moins de {SMALL} élèves ne sont pas listés.")
    return _one_column(title, "Libellé", "Élèves", counts, note, additive=False)
