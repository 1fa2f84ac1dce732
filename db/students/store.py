"""Student records and their sessions (entretiens). Plain values in and out; no ORM object leaves.

A student record holds only what is needed to find it again: nom, prénom, classe,
établissement, année scolaire. Each session stores the student's state that day; a new
session starts as a copy of the previous one (interests, constraints, shortlist, comparison,
next steps) so the counselor picks up where they stopped, and :func:`session_changes` says
what changed since.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.storage.engine import Database
from db.errors import UserError
from db.models import (ComparisonEntry, CounselingSession, InterestRow, Metier, SectorRow, SessionInterest,
                       SessionSector, ShortlistEntry, Student, table_of)
from db.catalogue.nomenclature import describe_max_level
from db.catalogue.routes import class_code
from db.students.access_log import log_access
from db.text import NAME_JOINERS, fold, name_search_words

CLASSES = ("6e", "5e", "4e", "3e", "2de", "1re", "terminale", "CAP", "bac pro", "post-bac", "adulte")
MAX_TEXT = 100
MAX_NOTE = 20_000
MAX_COMPARED = 4


@dataclass
class StudentInfo:
    """A student as listed: identity and the date of the last session (ISO) if any."""

    id: int
    nom: str
    prenom: str
    classe: str | None = None
    etablissement: str | None = None
    annee_scolaire: str | None = None
    last_session_on: str | None = None
    current_class: str | None = None  # code of db.catalogue.routes.CLASSES; read by get_student only

    @property
    def full_name(self) -> str:
        return f"{self.prenom} {self.nom}".strip()

    @property
    def named_with_class(self) -> str:
        """« Zoé Martin (3e B) », « … (sans classe) »: how a record already here is named."""
        return f"{self.full_name} ({self.classe})" if self.classe else f"{self.full_name} (sans classe)"


@dataclass
class ShortlistItem:
    """A kept métier (stable id) with the counselor's short comment."""

    metier_id: str
    comment: str = ""


def one_job_once(shortlist: list[ShortlistItem], compared: list[str], shown: Mapping[str, str],
                 as_shown: Iterable[str] = ()) -> tuple[list[ShortlistItem], list[str]]:
    """The kept and compared métiers with each job once. ``shown``: id → the id of the fiche shown
    for its job (:func:`db.catalogue.store.shown_ids`): a project fiche kept before the ONISEP
    fiche of the same job came in hides behind it. Entries of one job become one, in the first
    place either had, with the first comment that says something, under the shown fiche's id
    when that fiche is in the list, in the comparison or in ``as_shown`` (jobs kept again); a
    hidden fiche alone stays as it was kept."""
    present = {item.metier_id for item in shortlist} | set(compared) | set(as_shown)

    def job(metier_id: str) -> str:
        other = shown.get(metier_id, metier_id)
        return other if other in present else metier_id

    items: dict[str, ShortlistItem] = {}
    for item in shortlist:
        key = job(item.metier_id)
        if key not in items:
            items[key] = ShortlistItem(key, item.comment)
        elif not items[key].comment.strip():
            items[key].comment = item.comment
    return list(items.values()), list(dict.fromkeys(job(m) for m in compared))


@dataclass
class SessionState:
    """Everything recorded in one session. ``id`` is None until saved."""

    student_id: int
    date: str  # ISO date
    id: int | None = None
    interests: list[str] = field(default_factory=list)  # interest ids
    max_bac_plus: int | None = None
    min_salary: int | None = None
    country: str | None = None
    sectors_wished: list[str] = field(default_factory=list)
    sectors_refused: list[str] = field(default_factory=list)
    shortlist: list[ShortlistItem] = field(default_factory=list)
    comparison: list[str] = field(default_factory=list)  # 2–4 métier ids
    next_steps: str = ""
    student_note: str = ""
    private_notes: str = ""
    # The saved row's ``updated_at`` when this state was read (None: new, or not read from the
    # database): a save checks the row still has it, so no save overwrites one it never saw.
    version: datetime | None = None


class SessionConflictError(UserError):
    """A session saved elsewhere (another window, a colleague, a command) since ``version`` was
    read: nothing was written. ``theirs`` is the session as saved now (its ``version`` included),
    ``saved_at`` when that save happened."""

    def __init__(self, theirs: SessionState, saved_at: datetime) -> None:
        day = date.fromisoformat(theirs.date).strftime("%d/%m/%Y")
        super().__init__(f"l'entretien du {day} a été enregistré ailleurs (une autre fenêtre, un collègue ou une "
                         f"commande) le {saved_at:%d/%m/%Y à %H:%M:%S}, après que vous l'avez ouvert : rien n'a été "
                         "enregistré, pour ne pas effacer ces changements. Rechargez l'entretien (ou relancez la "
                         "commande) puis refaites les vôtres")
        self.theirs, self.saved_at = theirs, saved_at


def school_year(day: date) -> str:
    """The French school year a day belongs to ("2026-2027" from 1 September 2026)."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


# ------------------------------------------------------------------ students
def _required(value: str | None, label: str) -> str:
    text = _clean(value, label)
    if text is None:
        raise UserError(f"le champ « {label} » est obligatoire")
    return text


def _clean(value: str | None, label: str, *, limit: int = MAX_TEXT) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise UserError(f"le champ « {label} » est trop long ({len(text)} caractères ; maximum {limit})")
    if not text.isprintable() and any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        # Undecodable bytes (a terminal in another encoding, a damaged file) cannot be stored.
        raise UserError(f"le champ « {label} » contient des caractères illisibles : retapez-le")
    return text or None


def create_student(database: Database, nom: str, prenom: str, classe: str | None = None,
                   etablissement: str | None = None, annee_scolaire: str | None = None,
                   current_class: str | None = None) -> int:
    """Create a student record and return its id. Only nom and prénom are required.

    ``current_class`` is a code or label of :data:`db.catalogue.routes.CLASSES` (UserError otherwise).
    """
    values: dict[str, object] = dict(_student_values(nom, prenom, classe, etablissement, annee_scolaire))
    if current_class:  # only the columns given: the row is also written into older schemas by tests
        values["current_class"] = class_code(current_class)
    with database.write() as session:
        result = session.execute(insert(table_of(Student)).values(created_at=datetime.now(), **values)
                                 .returning(table_of(Student).c.id))
        return int(result.scalar_one())


def update_student(database: Database, student_id: int, nom: str, prenom: str, classe: str | None = None,
                   etablissement: str | None = None, annee_scolaire: str | None = None,
                   current_class: str | None = None) -> None:
    """Replace the identity fields of a student; ``current_class`` None keeps it, "" clears it."""
    with database.write() as session:
        student = _student(session, student_id)
        # A year stored before years were checked (« 2025 ») and sent back unchanged stays.
        values: dict[str, object] = dict(_student_values(nom, prenom, classe, etablissement, annee_scolaire,
                                                         kept_year=student.annee_scolaire))
        if current_class is not None:
            values["current_class"] = class_code(current_class) if current_class.strip() else None
        for key, value in values.items():
            setattr(student, key, value)


class StudentValues(TypedDict):
    """The identity columns of a ``students`` row, checked and normalised."""

    nom: str
    prenom: str
    classe: str | None
    etablissement: str | None
    annee_scolaire: str
    search_key: str


def _student_values(nom: str, prenom: str, classe: str | None, etablissement: str | None,
                    annee_scolaire: str | None, *, kept_year: str | None = None) -> StudentValues:
    """``kept_year``: the year the record holds, taken back as it is (see :func:`update_student`)."""
    nom, prenom = _required(nom, "nom"), _required(prenom, "prénom")
    year = kept_year if kept_year and (annee_scolaire or "").strip() == kept_year else \
        school_year_value(annee_scolaire)
    return StudentValues(nom=nom, prenom=prenom, classe=_clean(classe, "classe", limit=40),
                         etablissement=_clean(etablissement, "établissement"),
                         annee_scolaire=year or school_year(date.today()),
                         search_key=fold(f"{nom} {prenom}"))


_SCHOOL_YEAR = re.compile(r"(\d{4})\s*[-/]\s*(\d{4}|\d{2})")


def school_year_value(text: str | None) -> str | None:
    """A school year as stored, « 2026-2027 », from what was typed (« 2026/2027 », « 2026-27 »);
    None when empty. UserError otherwise: the year groups the caseload and the end of the year
    dates each record's erasure, so « abcd » or « 2027-2026 » must not go in."""
    value = " ".join((text or "").split())
    if not value:
        return None
    found = _SCHOOL_YEAR.fullmatch(value)
    if found and 2000 <= int(found.group(1)) <= 2100:
        start, end = int(found.group(1)), found.group(2)
        if (int(end) == start + 1) if len(end) == 4 else int(end) == (start + 1) % 100:
            return f"{start}-{start + 1}"
    raise UserError(f"année scolaire invalide : « {value[:20]} » (deux années qui se suivent, par exemple "
                    f"{school_year(date.today())})")


def find_same_student(session: Session, nom: str, prenom: str, classe: str | None) -> StudentInfo | None:
    """An existing student with this nom, prénom and classe (accents, case and spaces ignored;
    no class matches no class), or None: the one the counselor is most likely creating again.
    UserError for a value :func:`create_student` would refuse."""
    values = _student_values(nom, prenom, classe, None, None)
    key, wanted = values["search_key"], " ".join((values["classe"] or "").split()).lower()
    for student in session.execute(select(Student).where(Student.search_key == key)).scalars():
        if " ".join((student.classe or "").split()).lower() == wanted:
            return student_info(student)
    return None


def _student(session: Session, student_id: int) -> Student:
    student = session.get(Student, student_id)
    if student is None:
        raise UserError(f"aucun élève n'a le numéro {student_id}")
    return student


def student_info(student: Student) -> StudentInfo:
    """The plain record of an ORM student row."""
    return StudentInfo(student.id, student.nom, student.prenom, student.classe, student.etablissement,
                       student.annee_scolaire, student.last_session_on)


_INFO_COLUMNS = (Student.id, Student.nom, Student.prenom, Student.classe, Student.etablissement,
                 Student.annee_scolaire, Student.last_session_on)  # in StudentInfo's order


def get_student(session: Session, student_id: int) -> StudentInfo:
    """One student with its current class, or UserError when the id is unknown."""
    info = student_info(_student(session, student_id))
    info.current_class = session.execute(select(Student.current_class).where(Student.id == student_id)).scalar()
    return info


def find_students(session: Session, text: str = "", classe: str | None = None,
                  limit: int | None = None, offset: int = 0) -> list[StudentInfo]:
    """Students whose name contains every word of ``text`` (accents and case ignored), most
    recently seen first, then never-seen ones by name; ``limit`` of them from ``offset`` when given."""
    # Plain columns, not ORM rows: a page of students is read, never changed, here.
    query = _student_query(select(*_INFO_COLUMNS), text, classe)
    # "DESC NULLS LAST" (never-seen last) walks the index on last_session_on: a page costs the
    # same with 100 or 100,000 students, where "IS NULL, DESC" sorted them all first.
    query = query.order_by(Student.last_session_on.desc().nulls_last(), Student.search_key, Student.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [StudentInfo(*row) for row in session.execute(query)]


def count_students(session: Session, text: str = "", classe: str | None = None) -> int:
    """How many students :func:`find_students` would give without a limit."""
    return int(session.execute(_student_query(select(func.count()).select_from(Student), text, classe)).scalar_one())


def _student_query(query: Any, text: str, classe: str | None) -> Any:
    key: Any = Student.search_key
    for joiner in NAME_JOINERS:
        key = func.replace(key, joiner, "")
    for word in name_search_words(text):
        query = query.where(key.contains(word, autoescape=True))
    if classe:
        query = query.where(func.lower(Student.classe) == classe.strip().lower())
    return query


# ------------------------------------------------------------------ sessions
def list_sessions(session: Session, student_id: int) -> list[tuple[int, str]]:
    """(session id, ISO date) of a student's sessions, oldest first."""
    query = (select(CounselingSession.id, CounselingSession.date)
             .where(CounselingSession.student_id == student_id)
             .order_by(CounselingSession.date, CounselingSession.id))
    return [(sid, day) for sid, day in session.execute(query)]


def get_session(session: Session, session_id: int) -> SessionState:
    """The full state of one session."""
    row = session.get(CounselingSession, session_id)
    if row is None:
        raise UserError(f"aucun entretien n'a le numéro {session_id}")
    return SessionState(
        id=row.id, student_id=row.student_id, date=row.date,
        interests=sorted(i.interest_id for i in row.interests),
        max_bac_plus=row.max_bac_plus, min_salary=row.min_salary, country=row.country,
        sectors_wished=sorted(s.sector_id for s in row.sectors if s.wished),
        sectors_refused=sorted(s.sector_id for s in row.sectors if not s.wished),
        shortlist=[ShortlistItem(e.metier_id, e.comment) for e in row.shortlist],
        comparison=[e.metier_id for e in row.comparison],
        next_steps=row.next_steps, student_note=row.student_note, private_notes=row.private_notes,
        version=row.updated_at)


def latest_session(session: Session, student_id: int) -> SessionState | None:
    """The most recent session of a student, or None."""
    sessions = list_sessions(session, student_id)
    return get_session(session, sessions[-1][0]) if sessions else None


def session_on(session: Session, student_id: int, day: str | None) -> SessionState:
    """The session ``day`` names: an ISO date (the day's last session), or its number as
    ``orientation students show`` gives it (« 2 » or « 2/5 »: two sessions on one day can be
    told apart); the latest when None. UserError (unknown student, invalid date or number, no
    such session)."""
    _student(session, student_id)
    numbered = _session_number(day)
    if day is not None and numbered is None:
        try:
            date.fromisoformat(day)
        except ValueError:
            if re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", day):
                raise UserError(f"date invalide : « {day[:20]} » (attendu : AAAA-MM-JJ)") from None
            raise UserError(f"entretien invalide : « {day[:20]} » (attendu : une date AAAA-MM-JJ, ou le numéro "
                            "de l'entretien donné par « orientation students show », ex. 2)") from None
    sessions = list_sessions(session, student_id)
    if not sessions:
        raise UserError("cet élève n'a encore aucun entretien")
    if day is None:
        return get_session(session, sessions[-1][0])
    if numbered is not None:
        number, count = numbered
        if not 1 <= number <= len(sessions) or count not in (None, len(sessions)):
            raise UserError(f"pas d'entretien numéro {day.strip()[:20]} : cet élève en a {len(sessions)} (numéros "
                            f"de « students show », ex. 2 ou 2/{len(sessions)} ; une date s'écrit AAAA-MM-JJ)")
        return get_session(session, sessions[number - 1][0])
    matching = [sid for sid, d in sessions if d == day]
    if not matching:
        raise UserError(f"aucun entretien le {day} pour cet élève")
    return get_session(session, matching[-1])


def _session_number(text: str | None) -> tuple[int, int | None] | None:
    """« 2 » → (2, None), « 2/5 » → (2, 5) (as ``students show`` numbers sessions: the number,
    then how many the student has; « 2/12 » may be a date and is refused when the student has
    not 12 sessions); None for anything else."""
    found = re.fullmatch(r"\s*(\d{1,4})\s*(?:/\s*(\d{1,4})\s*)?", text or "")
    if not found:
        return None
    return int(found.group(1)), int(found.group(2)) if found.group(2) else None


def start_session(session: Session, student_id: int, day: str | None = None) -> SessionState:
    """A new, unsaved session continuing the previous one (notes start empty)."""
    _student(session, student_id)
    day = day or date.today().isoformat()
    previous = latest_session(session, student_id)
    if previous is None:
        return SessionState(student_id=student_id, date=day)
    return SessionState(
        student_id=student_id, date=day, interests=list(previous.interests),
        max_bac_plus=previous.max_bac_plus, min_salary=previous.min_salary, country=previous.country,
        sectors_wished=list(previous.sectors_wished), sectors_refused=list(previous.sectors_refused),
        shortlist=[ShortlistItem(i.metier_id, i.comment) for i in previous.shortlist],
        comparison=list(previous.comparison), next_steps=previous.next_steps)


def save_session(database: Database, state: SessionState) -> int:
    """Insert or replace a session (one transaction) and return its id. Validates first; see
    :func:`save_session_in` for the version check (:class:`SessionConflictError`); ``state``
    takes the new version once committed (unchanged when the save fails)."""
    _validate(state)
    work = replace(state)  # ``state`` takes the new version only once it is committed
    with database.write() as session:
        session_id = save_session_in(session, work)
    state.version = work.version
    return session_id


def save_session_in(session: Session, state: SessionState) -> int:
    """:func:`save_session` inside the caller's write transaction (the window's "Enregistrer"
    and ``orientation students seance`` both end here); the save is noted in the access log
    (student number only). UserError, with nothing written, when ``state`` is invalid.

    Optimistic check: a ``state`` read from the database (``version`` set) is saved only if the
    row still has that version; otherwise :class:`SessionConflictError` (nothing written). The
    row is locked for the check (PostgreSQL ``FOR UPDATE``; SQLite writers are serialised by
    ``BEGIN IMMEDIATE``): two saves of one session queue, and the second sees the first. Other
    sessions are not locked, so different students never wait for each other on a server. On
    success ``state.version`` becomes the new version (the caller may save it again)."""
    _validate(state)
    _check_references(session, state)
    student = _student(session, state.student_id)
    row = _locked_row(session, state.id) if state.id else None
    if row is not None and state.version is not None and row.updated_at != state.version:
        raise SessionConflictError(get_session(session, row.id), row.updated_at)
    if row is None:
        row = CounselingSession(student_id=state.student_id)
        session.add(row)
    _fill(row, state)
    session.flush()
    student.last_session_on = session.execute(
        select(func.max(CounselingSession.date)).where(CounselingSession.student_id == student.id)).scalar()
    log_access(session, "entretien", student.id)
    state.version = row.updated_at
    return row.id


def _locked_row(session: Session, session_id: int) -> CounselingSession | None:
    query = select(CounselingSession).where(CounselingSession.id == session_id).with_for_update()
    return session.execute(query.execution_options(populate_existing=True)).scalar_one_or_none()


def _validate(state: SessionState) -> None:
    try:
        date.fromisoformat(state.date)
    except ValueError as exc:
        raise UserError(f"date d'entretien invalide : « {state.date} » (attendu : AAAA-MM-JJ)") from exc
    if state.min_salary is not None and state.min_salary < 0:
        raise UserError("le salaire minimum doit être positif")
    if len(state.comparison) > MAX_COMPARED:
        raise UserError(f"on compare au plus {MAX_COMPARED} métiers")
    if set(state.sectors_wished) & set(state.sectors_refused):
        raise UserError("un secteur ne peut pas être à la fois souhaité et refusé")
    for label, text in (("prochaines étapes", state.next_steps), ("note pour l'élève", state.student_note),
                        ("notes privées", state.private_notes)):
        _clean(text, label, limit=MAX_NOTE)
    for item in state.shortlist:
        _clean(item.comment, "commentaire", limit=2_000)


def _check_references(session: Session, state: SessionState) -> None:
    known = set(session.execute(select(InterestRow.id).where(InterestRow.id.in_(state.interests))).scalars())
    if set(state.interests) - known:
        raise UserError(f"centre d'intérêt inconnu : {', '.join(sorted(set(state.interests) - known))}")
    sectors = state.sectors_wished + state.sectors_refused
    known = set(session.execute(select(SectorRow.id).where(SectorRow.id.in_(sectors))).scalars())
    if set(sectors) - known:
        raise UserError(f"secteur inconnu : {', '.join(sorted(set(sectors) - known))}")


def _fill(row: CounselingSession, state: SessionState) -> None:
    row.date = state.date
    row.max_bac_plus, row.min_salary = state.max_bac_plus, state.min_salary
    row.country = state.country
    row.next_steps, row.student_note = state.next_steps.strip(), state.student_note.strip()
    row.private_notes = state.private_notes.strip()
    # Always later than the version it replaces (a clock set back, two saves in one microsecond).
    previous = row.updated_at
    row.updated_at = max(datetime.now(), previous + timedelta(microseconds=1)) if previous else datetime.now()
    row.interests = [SessionInterest(interest_id=i) for i in dict.fromkeys(state.interests)]
    row.sectors = ([SessionSector(sector_id=s, wished=True) for s in dict.fromkeys(state.sectors_wished)]
                   + [SessionSector(sector_id=s, wished=False) for s in dict.fromkeys(state.sectors_refused)])
    unique = {item.metier_id: item for item in state.shortlist}
    row.shortlist = [ShortlistEntry(position=i, metier_id=item.metier_id, comment=item.comment.strip())
                     for i, item in enumerate(unique.values())]
    row.comparison = [ComparisonEntry(position=i, metier_id=m) for i, m in enumerate(dict.fromkeys(state.comparison))]


def delete_session(database: Database, session_id: int) -> None:
    """Delete one session (its notes included)."""
    with database.write() as session:
        row = session.get(CounselingSession, session_id)
        if row is None:
            raise UserError(f"aucun entretien n'a le numéro {session_id}")
        student = row.student
        session.delete(row)
        session.flush()
        student.last_session_on = session.execute(
            select(func.max(CounselingSession.date)).where(CounselingSession.student_id == student.id)).scalar()


# ------------------------------------------------------------------ what changed
def session_changes(session: Session, before: SessionState | None, after: SessionState) -> list[str]:
    """French lines describing what changed from ``before`` to ``after`` (empty when nothing)."""
    if before is None:
        return []
    labels = _labels(session, before, after)
    lines: list[str] = []
    lines += [f"Centre d'intérêt ajouté : {labels[i]}" for i in after.interests if i not in before.interests]
    lines += [f"Centre d'intérêt retiré : {labels[i]}" for i in before.interests if i not in after.interests]
    if before.max_bac_plus != after.max_bac_plus:
        lines.append(f"Niveau d'études visé : {describe_max_level(before.max_bac_plus)} → "
                     f"{describe_max_level(after.max_bac_plus)}")
    if before.min_salary != after.min_salary:
        lines.append(f"Salaire minimum souhaité : {before.min_salary or 'aucun'} → {after.min_salary or 'aucun'}")
    for kind, old, new in (("souhaité", before.sectors_wished, after.sectors_wished),
                           ("refusé", before.sectors_refused, after.sectors_refused)):
        lines += [f"Secteur {kind} ajouté : {labels[s]}" for s in new if s not in old]
        lines += [f"Secteur {kind} retiré : {labels[s]}" for s in old if s not in new]
    old_ids = [i.metier_id for i in before.shortlist]
    new_ids = [i.metier_id for i in after.shortlist]
    lines += [f"Métier ajouté à la sélection : {labels[m]}" for m in new_ids if m not in old_ids]
    lines += [f"Métier retiré de la sélection : {labels[m]}" for m in old_ids if m not in new_ids]
    return lines


def _labels(session: Session, *states: SessionState) -> dict[str, str]:
    interest_ids = {i for s in states for i in s.interests}
    sector_ids = {x for s in states for x in s.sectors_wished + s.sectors_refused}
    metier_ids = {i.metier_id for s in states for i in s.shortlist}
    labels: dict[str, str] = {}
    labels.update(session.execute(select(InterestRow.id, InterestRow.label)
                                  .where(InterestRow.id.in_(interest_ids))).all())
    labels.update(session.execute(select(SectorRow.id, SectorRow.label).where(SectorRow.id.in_(sector_ids))).all())
    labels.update(session.execute(select(Metier.id, Metier.name).where(Metier.id.in_(metier_ids))).all())
    for ident in interest_ids | sector_ids | metier_ids:
        labels.setdefault(ident, ident)
    return labels


def metier_names(session: Session, ids: list[str]) -> dict[str, str]:
    """Names of métiers by stable id (ids no longer in the catalogue are absent)."""
    if not ids:
        return {}
    return dict(session.execute(select(Metier.id, Metier.name).where(Metier.id.in_(ids))).all())

