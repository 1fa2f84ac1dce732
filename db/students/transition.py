"""Note de liaison: what the counselor passes to the receiving school's counselor, with consent.

The note holds only the parts of the latest session the counselor ticks (never the private
notes), in the ``orientation-eleve/2`` format (one session; parts not ticked are left out or
empty). It cannot be produced before the consent of the pupil and family is recorded: the day
and who gave it. Producing it is written in the access log (student number only).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import LiaisonConsent
from db.storage.engine import Database
from db.students.access_log import log_access
from db.students.privacy import export_student
from db.students.settings import get_counselor
from db.students.store import get_student

PARTS = {"interets": "Centres d'intérêt", "contraintes": "Niveau visé et salaire souhaité",
         "selection": "Métiers retenus", "prochaines_etapes": "Prochaines étapes", "note_eleve": "Note pour l'élève"}
MAX_WHO = 100
NO_CONSENT = ("le consentement de l'élève et de sa famille n'est pas enregistré : notez-le d'abord "
              "(date et personnes) avant de produire la note de liaison")


@dataclass(frozen=True)
class Consent:
    """The recorded consent: the ISO day and who gave it (e.g. « l'élève et sa mère »)."""

    given_on: str
    given_by: str


def record_consent(database: Database, student_id: int, given_on: str, given_by: str) -> Consent:
    """Record (or replace) the consent to pass a note de liaison on. UserError, nothing written,
    for an unknown student, an invalid or future date, or an empty or too long « qui »."""
    who = " ".join((given_by or "").split())
    if not who:
        raise UserError("indiquez qui a donné son accord (par exemple « l'élève et sa mère »)")
    if len(who) > MAX_WHO:
        raise UserError(f"« qui » est trop long ({len(who)} caractères ; maximum {MAX_WHO})")
    try:
        day = date.fromisoformat((given_on or "").strip())
    except ValueError:
        raise UserError(f"date invalide : « {given_on[:20]} » (attendu : AAAA-MM-JJ)") from None
    if day > date.today():
        raise UserError("la date du consentement ne peut pas être dans le futur")
    with database.write() as session:
        get_student(session, student_id)
        session.execute(delete(LiaisonConsent).where(LiaisonConsent.student_id == student_id))
        session.add(LiaisonConsent(student_id=student_id, given_on=day.isoformat(), given_by=who,
                                   recorded_at=datetime.now()))
    return Consent(day.isoformat(), who)


def consent_of(session: Session, student_id: int) -> Consent | None:
    """The recorded consent of a student, or None."""
    row = session.get(LiaisonConsent, student_id)
    return Consent(row.given_on, row.given_by) if row is not None else None


def transition_note(database: Database, student_id: int, parts: set[str] | frozenset[str]) -> dict[str, Any]:
    """The note de liaison (``orientation-eleve/2``, latest session only, the ticked ``parts`` of
    :data:`PARTS`). UserError when no consent is recorded, no part is ticked, a part is unknown,
    or the student has no session."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise UserError(f"partie inconnue : {', '.join(sorted(unknown))} (possibles : {', '.join(PARTS)})")
    if not parts:
        raise UserError("cochez au moins une partie à transmettre")
    with database.read() as session:
        consent = consent_of(session, student_id)
        get_student(session, student_id)
        counselor = get_counselor(session)
    if consent is None:
        raise UserError(NO_CONSENT)
    document = export_student(database, student_id, include_private=False)
    if not document["seances"]:
        raise UserError("cet élève n'a encore aucun entretien : il n'y a rien à transmettre")
    latest = _keep(document["seances"][-1], parts)
    with database.write() as session:
        log_access(session, "liaison", student_id)
    document.pop("suivi", None)  # the follow-up (consent, milestones, handover) is not passed on
    document.update(seances=[latest], notes_privees_incluses=False,
                    note_de_liaison={"parties": [part for part in PARTS if part in parts],  # the order of PARTS
                                     "consentement_le": consent.given_on,
                                     "consentement_de": consent.given_by,
                                     # who sends it, so the next school knows whom to call (the settings)
                                     "transmise_par": {"nom": counselor.name, "structure": counselor.structure,
                                                       "contact": counselor.contact}})
    return document


def _keep(session_doc: dict[str, Any], parts: set[str] | frozenset[str]) -> dict[str, Any]:
    kept: dict[str, Any] = {"date": session_doc["date"], "notes_privees": None,
                            "centres_interet": [], "centres_interet_libelles": [], "selection": [], "comparaison": [],
                            "prochaines_etapes": "", "note_eleve": "",
                            "contraintes": {"niveau_max_bac_plus": None, "niveau_max": None, "salaire_min": None,
                                            "pays": None, "secteurs_souhaites": [], "secteurs_refuses": []}}
    if "interets" in parts:
        kept["centres_interet"] = session_doc["centres_interet"]
        kept["centres_interet_libelles"] = session_doc["centres_interet_libelles"]
    if "contraintes" in parts:
        kept["contraintes"] = session_doc["contraintes"]
    if "selection" in parts:
        kept["selection"] = session_doc["selection"]
        kept["comparaison"] = session_doc["comparaison"]
    for part in ("prochaines_etapes", "note_eleve"):
        if part in parts:
            kept[part] = session_doc[part]
    return kept
