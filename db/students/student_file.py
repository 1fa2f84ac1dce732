"""Student files (format ``orientation-eleve/2``, /1 read too; see :mod:`db.students.privacy`): read, check, import.

Contracts:

- :func:`read_document` reads only a regular file of at most :data:`MAX_FILE_BYTES` holding
  UTF-8 JSON; anything else (FIFO, device, folder, too big, not JSON) is a French
  :class:`~db.errors.UserError` naming the file. It never blocks.
- :func:`check_document` checks the whole document before anything is written. Every wrong
  type, length or range is ONE French sentence naming the field, e.g.
  « seances[2].contraintes.pays » doit être un code pays de 2 lettres (ou null). Values are
  never quoted back (they may be private notes), except a bad date.
- :func:`import_student_file` writes the student, every session and the access-log line in
  ONE write transaction, with bulk inserts: after a crash or Ctrl+C the student is either
  absent or complete. A student file never creates catalogue rows: an interest unknown here
  is matched by its label to one of this catalogue, or dropped; an unknown sector is
  dropped; both are reported in the result's French notes. Métier ids are kept as they are
  (a later catalogue import may bring them).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from db.storage.engine import Database
from db.errors import UserError
from db.storage.files import MB, read_bounded
from db.models import (ComparisonEntry, CounselingSession, InterestRow, SectorRow, SessionInterest, SessionSector,
                       ShortlistEntry, Student, Values, table_of)
from db.catalogue.nomenclature import LEVELS, match_interest
from db.catalogue.routes import class_code
from db.students.store import (MAX_COMPARED, MAX_NOTE, MAX_TEXT, SessionState, ShortlistItem, _student_values,
                               _validate, school_year_value)

FORMAT = "orientation-eleve/2"  # written; /2 = /1 + the current class and the follow-up ("suivi")
READABLE_FORMATS = ("orientation-eleve/1", FORMAT)  # /1 files (older versions) are read as before
MAX_FILE_BYTES = 50 * MB
MAX_SESSIONS = 100_000
MAX_ITEMS = 500  # any list of one session (interests, sectors, shortlist)
MAX_SALARY = 100_000  # euros a month: far above any real wish, below any overflow
MIN_LEVEL = min(level.bac_plus for level in LEVELS)
MAX_LEVEL = max(level.bac_plus for level in LEVELS)
MAX_COMMENT = 2_000  # as db.students._validate
ID_LIMITS = {"interest": 120, "sector": 120, "metier": 200}  # column widths of db.models
MAX_LABEL = 200
MAX_CONSENT_WHO = 100  # as db.students.transition.MAX_WHO (which imports this module through privacy)
LISTED = 5  # names quoted in one note before "et N autres"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")


# ------------------------------------------------------------------ reading
def read_document(path: str | Path) -> Any:
    """The JSON value of the student file ``path``; French UserError naming the file when it is not
    a regular file of at most :data:`MAX_FILE_BYTES` holding UTF-8 JSON. Never hangs (FIFO, device)."""
    data = read_bounded(Path(path), MAX_FILE_BYTES, "le fichier")
    not_ours = "ce n'est pas un dossier d'élève exporté par Orientation"
    try:
        text = data.decode("utf-8-sig")  # a BOM written by a Windows editor is harmless
    except UnicodeDecodeError as exc:
        raise UserError(f"« {path} » n'est pas un texte UTF-8 : {not_ours}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"« {path} » n'est pas du JSON valide (ligne {exc.lineno}, colonne {exc.colno}) : "
                        f"{not_ours}") from exc
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, arrays nested 100,000 deep
        raise UserError(f"« {path} » contient du JSON démesuré (nombre trop long ou imbrication trop profonde) : "
                        f"{not_ours}") from exc


# ------------------------------------------------------------------ checked document
@dataclass(frozen=True)
class CheckedSession:
    """One session of a checked document: types and lengths are right, texts are stripped."""

    date: str
    interests: list[tuple[str, str]]  # (id as in the file, its label)
    max_bac_plus: int | None
    min_salary: int | None
    country: str | None
    sectors_wished: list[str]
    sectors_refused: list[str]
    shortlist: list[tuple[str, str]]  # (métier id, comment)
    comparison: list[str]
    next_steps: str
    student_note: str
    private_notes: str


@dataclass(frozen=True)
class CheckedDocument:
    """A whole student file that passed :func:`check_document`."""

    nom: str
    prenom: str
    classe: str | None
    etablissement: str | None
    annee_scolaire: str | None
    sessions: list[CheckedSession]
    current_class: str | None = None  # code of db.catalogue.routes.CLASSES (absent from older files)
    follow_up: CheckedFollowUp | None = None  # « suivi » (absent from older files)


@dataclass(frozen=True)
class CheckedFollowUp:
    """The « suivi » of a checked document: bilan handover day, consent (day, who), milestones."""

    bilan_given_on: str | None
    consent: tuple[str, str] | None
    milestones: list[tuple[str, str]]  # (title, ISO day)


def _refuse(path: str, problem: str) -> NoReturn:
    raise UserError(f"dossier d'élève refusé : « {path} » {problem}")


def _object(value: Any, path: str, *, nullable: bool = False) -> dict[str, Any]:
    if value is None and nullable:
        return {}
    if not isinstance(value, dict):
        _refuse(path, "doit être un objet JSON" + (" (ou null)" if nullable else ""))
    return value


def _list(value: Any, path: str, limit: int, what: str = "éléments") -> list[Any]:
    """A list (absent or null: empty) of at most ``limit`` items."""
    if value is None:
        return []
    if not isinstance(value, list):
        _refuse(path, "doit être une liste (ou null)")
    if len(value) > limit:
        _refuse(path, f"contient trop d'{what} ({len(value)} ; maximum {limit})")
    return value


def _required_text(value: Any, path: str, limit: int) -> str:
    """A stripped, non-empty text of at most ``limit`` characters."""
    if not isinstance(value, str) or not value.strip():
        _refuse(path, "doit être un texte non vide")
    return _within(value.strip(), path, limit)


def _text(value: Any, path: str, limit: int) -> str | None:
    """A stripped text of at most ``limit`` characters; None for null."""
    if value is None:
        return None
    if not isinstance(value, str):
        _refuse(path, "doit être un texte (ou null)")
    return _within(value.strip(), path, limit)


def _within(text: str, path: str, limit: int) -> str:
    if len(text) > limit:
        _refuse(path, f"est trop long ({len(text)} caractères ; maximum {limit})")
    return text


def _identifier(value: Any, path: str, kind: str) -> str:
    """A non-empty identifier, kept as it is (ids are not stripped)."""
    width = ID_LIMITS[kind]
    if not isinstance(value, str) or not value.strip() or len(value) > width:
        _refuse(path, f"doit être un identifiant (texte non vide de {width} caractères au plus)")
    return value


def _ids(value: Any, path: str, kind: str, limit: int = MAX_ITEMS) -> list[str]:
    """A list (absent or null: empty) of identifiers."""
    return [_identifier(item, f"{path}[{index}]", kind) for index, item in enumerate(_list(value, path, limit))]


def _integer(value: Any, path: str, low: int, high: int, meaning: str) -> int | None:
    # bool is an int in Python: true would be stored as 1.
    if value is not None and (type(value) is not int or not low <= value <= high):
        _refuse(path, f"doit être {meaning} (ou null)")
    return value


def check_document(document: Any) -> CheckedDocument:
    """The document, checked whole; a French UserError naming the first wrong field otherwise.

    Nothing is read from or written to a database: the same answer on any computer.
    """
    if not isinstance(document, dict) or document.get("format") not in READABLE_FORMATS:
        raise UserError("ce fichier n'est pas un dossier d'élève (« orientation-eleve/1 » ou « /2 ») : "
                        "exportez-le de nouveau depuis Orientation")
    eleve = document.get("eleve")
    if not isinstance(eleve, dict):
        _refuse("eleve", "doit être un objet JSON avec au moins « nom » et « prenom »")
    sessions = _list(document.get("seances"), "seances", MAX_SESSIONS, "entretiens")
    return CheckedDocument(
        nom=_required_text(eleve.get("nom"), "eleve.nom", MAX_TEXT),
        prenom=_required_text(eleve.get("prenom"), "eleve.prenom", MAX_TEXT),
        classe=_text(eleve.get("classe"), "eleve.classe", 40),
        etablissement=_text(eleve.get("etablissement"), "eleve.etablissement", MAX_TEXT),
        annee_scolaire=_text(eleve.get("annee_scolaire"), "eleve.annee_scolaire", 9),
        sessions=[_check_session(doc, f"seances[{index}]") for index, doc in enumerate(sessions)],
        current_class=_current_class(eleve.get("classe_actuelle")),
        follow_up=_follow_up(document.get("suivi")))


def _follow_up(value: Any) -> CheckedFollowUp | None:
    from db.students.caseload import MAX_TITLE

    if value is None:
        return None
    doc = _object(value, "suivi")
    given = doc.get("bilan_remis_le")
    consent_doc = _object(doc.get("consentement_liaison"), "suivi.consentement_liaison", nullable=True)
    consent = None
    if consent_doc:
        consent = (_day(consent_doc.get("le"), "suivi.consentement_liaison.le", "date"),
                   _required_text(consent_doc.get("par"), "suivi.consentement_liaison.par", MAX_CONSENT_WHO))
    milestones = []
    for i, item in enumerate(_list(doc.get("echeances"), "suivi.echeances", MAX_ITEMS, "échéances")):
        path = f"suivi.echeances[{i}]"
        item = _object(item, path)
        milestones.append((_required_text(item.get("titre"), f"{path}.titre", MAX_TITLE),
                           _day(item.get("date"), f"{path}.date", "date")))
    return CheckedFollowUp(None if given is None else _day(given, "suivi.bilan_remis_le", "date"), consent, milestones)


def _current_class(value: Any) -> str | None:
    text = _text(value, "eleve.classe_actuelle", 60)
    if text is None:
        return None
    try:
        return class_code(text)
    except UserError:
        _refuse("eleve.classe_actuelle", "n'est pas une classe connue (ex. « 3e », « term-pro »)")


def _check_session(value: Any, path: str) -> CheckedSession:
    doc = _object(value, path)
    day = _day(doc.get("date"), f"{path}.date")
    constraints = _object(doc.get("contraintes"), f"{path}.contraintes", nullable=True)
    where = f"{path}.contraintes"
    wished = _ids(constraints.get("secteurs_souhaites"), f"{where}.secteurs_souhaites", "sector")
    refused = _ids(constraints.get("secteurs_refuses"), f"{where}.secteurs_refuses", "sector")
    if set(wished) & set(refused):
        _refuse(f"{where}.secteurs_refuses", "reprend un secteur souhaité : un secteur ne peut pas être à la fois "
                                             "souhaité et refusé")
    _text(constraints.get("niveau_max"), f"{where}.niveau_max", MAX_LABEL)  # derived, for readers; not stored
    years = f"un nombre entier d'années après le bac, de {MIN_LEVEL} à {MAX_LEVEL}"
    checked = CheckedSession(
        date=day,
        interests=_interests(doc, path),
        max_bac_plus=_integer(constraints.get("niveau_max_bac_plus"), f"{where}.niveau_max_bac_plus",
                              MIN_LEVEL, MAX_LEVEL, years),
        min_salary=_integer(constraints.get("salaire_min"), f"{where}.salaire_min", 0, MAX_SALARY,
                            f"un nombre entier d'euros, de 0 à {MAX_SALARY}"),
        country=_country(constraints.get("pays"), f"{where}.pays"),
        sectors_wished=wished, sectors_refused=refused,
        shortlist=_shortlist(doc.get("selection"), f"{path}.selection"),
        comparison=_ids(doc.get("comparaison"), f"{path}.comparaison", "metier", MAX_COMPARED),
        next_steps=_text(doc.get("prochaines_etapes"), f"{path}.prochaines_etapes", MAX_NOTE) or "",
        student_note=_text(doc.get("note_eleve"), f"{path}.note_eleve", MAX_NOTE) or "",
        private_notes=_text(doc.get("notes_privees"), f"{path}.notes_privees", MAX_NOTE) or "")
    _validate_like_the_editor(checked, path)
    return checked


def _day(value: Any, path: str, what: str = "date d'entretien") -> str:
    # date.fromisoformat alone would also take "20261120" or "2026-W47-5".
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        _refuse(path, f"doit être une date AAAA-MM-JJ ({what} invalide)")
    try:
        date.fromisoformat(value)
    except ValueError:
        _refuse(path, f"doit être une date AAAA-MM-JJ ({what} invalide : « {value} »)")
    return value


def _country(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _COUNTRY.fullmatch(value):
        _refuse(path, "doit être un code pays de 2 lettres (ou null)")
    return value.upper()


def _interests(doc: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """(id, label) pairs; without labels, the id stands for its label (as the old importer did)."""
    ids = _ids(doc.get("centres_interet"), f"{path}.centres_interet", "interest")
    if doc.get("centres_interet_libelles") is None:
        return [(ident, ident) for ident in ids]
    where = f"{path}.centres_interet_libelles"
    labels = _list(doc["centres_interet_libelles"], where, MAX_ITEMS)
    if len(labels) != len(ids):
        _refuse(where, f"doit avoir autant d'éléments que « {path}.centres_interet » ({len(labels)} au lieu de "
                       f"{len(ids)})")
    return [(ident, _required_text(label, f"{where}[{index}]", MAX_LABEL))
            for index, (ident, label) in enumerate(zip(ids, labels, strict=True))]


def _shortlist(value: Any, path: str) -> list[tuple[str, str]]:
    items = []
    for index, entry in enumerate(_list(value, path, MAX_ITEMS)):
        entry = _object(entry, f"{path}[{index}]")
        metier = _identifier(entry.get("metier"), f"{path}[{index}].metier", "metier")
        items.append((metier, _text(entry.get("commentaire"), f"{path}[{index}].commentaire", MAX_COMMENT) or ""))
    return items


def _validate_like_the_editor(checked: CheckedSession, path: str) -> None:
    """Safety net: what the session editor would refuse is refused here too, even if
    db.students gains a rule this module does not know yet."""
    state = SessionState(student_id=0, date=checked.date, min_salary=checked.min_salary,
                         sectors_wished=checked.sectors_wished, sectors_refused=checked.sectors_refused,
                         shortlist=[ShortlistItem(m, c) for m, c in checked.shortlist],
                         comparison=checked.comparison, next_steps=checked.next_steps,
                         student_note=checked.student_note, private_notes=checked.private_notes)
    try:
        _validate(state)
    except UserError as exc:
        raise UserError(f"dossier d'élève refusé : « {path} » : {exc.message}") from exc


# ------------------------------------------------------------------ import
@dataclass
class ImportedStudent:
    """The new student's id, how many sessions came with it, and French notes on what this
    catalogue could not take as it was (interests matched by label or dropped, sectors dropped)."""

    id: int
    sessions: int
    notes: list[str] = field(default_factory=list)


def import_student(database: Database, document: Any, *, even_if_present: bool = False) -> int:
    """Create a new student from an ``orientation-eleve/1`` or ``/2`` document; returns the new id.
    See :func:`import_student_file` (same contract, with the notes)."""
    return import_student_file(database, document, even_if_present=even_if_present).id


class SameStudentError(UserError):
    """The file's pupil is already here (same nom, prénom and classe): importing it twice made a
    second record silently. ``student_id``: theirs."""

    def __init__(self, message: str, student_id: int) -> None:
        super().__init__(message)
        self.student_id = student_id


def import_student_file(database: Database, document: Any, *, even_if_present: bool = False) -> ImportedStudent:
    """Check ``document`` whole, then create the student with all its sessions and the access-log
    line in one write transaction. Raises a French UserError (nothing written) when the document
    is wrong, :class:`SameStudentError` when its pupil is already here (unless ``even_if_present``,
    as ``students add`` asks). Never creates catalogue rows; see the module docstring for unknown ids."""
    from db.students.access_log import log_access
    from db.students.store import find_same_student

    checked = check_document(document)
    with database.write() as session:
        same = None if even_if_present else find_same_student(session, checked.nom, checked.prenom, checked.classe)
        if same is not None:
            raise SameStudentError(f"{same.named_with_class} a déjà un dossier ici : élève numéro {same.id}", same.id)
        resolver = _Resolver(session)
        sessions = sorted(checked.sessions, key=lambda s: s.date)  # stable: same-day order kept
        notes: list[str] = []
        student_id = _insert_student(session, checked, max((s.date for s in sessions), default=None), notes)
        _insert_sessions(session, student_id, sessions, resolver)
        if checked.follow_up is not None:
            _insert_follow_up(session, student_id, checked.follow_up)
        log_access(session, "import", student_id)
    return ImportedStudent(student_id, len(sessions), notes + resolver.notes())


def _insert_follow_up(session: Session, student_id: int, follow_up: CheckedFollowUp) -> None:
    """The handover day, the consent, and each milestone as a new one concerning this student."""
    from db.models import BilanHandover, LiaisonConsent, Milestone, MilestoneStudent

    now = datetime.now()
    if follow_up.bilan_given_on:
        session.add(BilanHandover(student_id=student_id, given_on=follow_up.bilan_given_on))
    if follow_up.consent:
        session.add(LiaisonConsent(student_id=student_id, given_on=follow_up.consent[0],
                                   given_by=" ".join(follow_up.consent[1].split()), recorded_at=now))
    for title, day in follow_up.milestones:
        milestone = Milestone(title=" ".join(title.split()), due_on=day, created_at=now)
        session.add(milestone)
        session.flush()
        session.add(MilestoneStudent(milestone_id=milestone.id, student_id=student_id))


def _insert_student(session: Session, checked: CheckedDocument, last_day: str | None, notes: list[str]) -> int:
    """The student's row; the same normalisation as db.students.create_student (school year by
    default, search key). A year written before years were checked (« 2025 ») is not a reason to
    refuse the pupil's record: the current one is taken, and ``notes`` says so."""
    year = checked.annee_scolaire
    try:
        school_year_value(year)
    except UserError:
        notes.append(f"année scolaire « {(year or '')[:20]} » illisible : l'année en cours a été notée à la place")
        year = None
    values: dict[str, Any] = dict(_student_values(checked.nom, checked.prenom, checked.classe,
                                                  checked.etablissement, year))
    if checked.current_class:
        values["current_class"] = checked.current_class
    table = table_of(Student)
    student_id: int = session.execute(insert(table).values(created_at=datetime.now(), last_session_on=last_day,
                                                           **values).returning(table.c.id)).scalar_one()
    return student_id


def _insert_sessions(session: Session, student_id: int, sessions: list[CheckedSession], resolver: _Resolver) -> None:
    """Bulk inserts (a few statements, not one per session): 20,000 sessions take seconds."""
    if not sessions:
        return
    now = datetime.now()
    table = table_of(CounselingSession)
    rows = [{"student_id": student_id, "date": s.date, "max_bac_plus": s.max_bac_plus, "min_salary": s.min_salary,
             "country": s.country, "next_steps": s.next_steps, "student_note": s.student_note,
             "private_notes": s.private_notes, "updated_at": now} for s in sessions]
    result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    ids = list(result.scalars())
    children: dict[Table, list[Values]] = {table_of(model): [] for model in (SessionInterest, SessionSector,
                                                                            ShortlistEntry, ComparisonEntry)}
    for session_id, checked in zip(ids, sessions, strict=True):
        for table_, row in _child_rows(session_id, checked, resolver):
            children[table_].append(row)
    for table_, child_rows in children.items():
        if child_rows:
            session.execute(insert(table_), child_rows)


def _child_rows(session_id: int, s: CheckedSession, resolver: _Resolver) -> list[tuple[Table, Values]]:
    """The rows under one session, deduplicated as db.students._fill does."""
    interests = dict.fromkeys(i for i in (resolver.interest(ident, label) for ident, label in s.interests) if i)
    wished = dict.fromkeys(x for x in s.sectors_wished if resolver.sector(x))
    refused = dict.fromkeys(x for x in s.sectors_refused if resolver.sector(x))
    shortlist = dict(s.shortlist)  # one entry per métier: first position, last comment (as _fill)
    rows: list[tuple[Table, Values]] = []
    rows += [(table_of(SessionInterest), {"session_id": session_id, "interest_id": i}) for i in interests]
    rows += [(table_of(SessionSector), {"session_id": session_id, "sector_id": x, "wished": True}) for x in wished]
    rows += [(table_of(SessionSector), {"session_id": session_id, "sector_id": x, "wished": False}) for x in refused]
    rows += [(table_of(ShortlistEntry), {"session_id": session_id, "position": n, "metier_id": m, "comment": c})
             for n, (m, c) in enumerate(shortlist.items())]
    rows += [(table_of(ComparisonEntry), {"session_id": session_id, "position": n, "metier_id": m})
             for n, m in enumerate(dict.fromkeys(s.comparison))]
    return rows


class _Resolver:
    """Maps the file's interest and sector ids to this catalogue's, remembering what it changed."""

    def __init__(self, session: Session) -> None:
        self.interest_labels: dict[str, str] = dict(session.execute(select(InterestRow.id, InterestRow.label)).all())
        self.sectors: set[str] = set(session.execute(select(SectorRow.id)).scalars())
        self.interest_cache: dict[str, str | None] = {}
        self.mapped: dict[str, str] = {}  # file label -> label here
        self.dropped_interests: dict[str, None] = {}  # file labels, in order met
        self.dropped_sectors: dict[str, None] = {}

    def interest(self, ident: str, label: str) -> str | None:
        """This catalogue's id for the file's interest, or None when it has no equivalent here."""
        if ident in self.interest_labels:
            return ident
        key = f"{ident}\0{label}"
        if key not in self.interest_cache:
            found, _ = match_interest(label, ident)
            if found in self.interest_labels:
                self.mapped[label] = self.interest_labels[found]
                self.interest_cache[key] = found
            else:
                self.dropped_interests[label] = None
                self.interest_cache[key] = None
        return self.interest_cache[key]

    def sector(self, ident: str) -> bool:
        """Whether this catalogue knows the sector (an unknown one is remembered for the notes)."""
        if ident in self.sectors:
            return True
        self.dropped_sectors[ident] = None
        return False

    def notes(self) -> list[str]:
        """At most three French sentences, one per kind of change."""
        notes = []
        if self.mapped:
            pairs = [f"« {old} » → « {new} »" for old, new in self.mapped.items()]
            notes.append(_note(len(pairs), "centre d'intérêt remplacé par son équivalent de ce catalogue",
                               "centres d'intérêt remplacés par leur équivalent de ce catalogue", pairs))
        if self.dropped_interests:
            notes.append(_note(len(self.dropped_interests), "centre d'intérêt inconnu de ce catalogue, retiré des "
                               "entretiens", "centres d'intérêt inconnus de ce catalogue, retirés des entretiens",
                               [f"« {label} »" for label in self.dropped_interests]))
        if self.dropped_sectors:
            notes.append(_note(len(self.dropped_sectors), "secteur inconnu de ce catalogue, retiré des entretiens",
                               "secteurs inconnus de ce catalogue, retirés des entretiens",
                               list(self.dropped_sectors)))
        return notes


def _note(count: int, singular: str, plural: str, items: list[str]) -> str:
    listed = ", ".join(item[:80] for item in items[:LISTED])
    more = f" et {count - LISTED} autre(s)" if count > LISTED else ""
    return f"{singular} : {listed}" if count == 1 else f"{count} {plural} : {listed}{more}"
