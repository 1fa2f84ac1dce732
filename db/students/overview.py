"""What a student's record holds, as plain values with French keys (``orientation students show``
and ``seance`` print them as a table or JSON).

Private notes stay out unless the caller asks for them explicitly, as for the student file's
export (:func:`db.students.privacy.export_student`); the bilan never reads them at all.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.catalogue.nomenclature import describe_max_level
from db.catalogue.routes import class_label
from db.models import InterestRow, SectorRow
from db.students.store import SessionState, get_session, get_student, list_sessions, metier_names
from db.text import fold


def student_overview(session: Session, student_id: int, *, include_private: bool = False) -> dict[str, Any]:
    """The student's identity and every session, oldest first (UserError for an unknown id)."""
    info = get_student(session, student_id)
    states = [get_session(session, sid) for sid, _ in list_sessions(session, student_id)]
    return {"id": info.id, "nom": info.nom, "prenom": info.prenom, "classe": info.classe,
            "classe_actuelle": info.current_class, "classe_actuelle_libelle": class_label(info.current_class) or None,
            "etablissement": info.etablissement, "annee_scolaire": info.annee_scolaire,
            "dernier_entretien": info.last_session_on,
            "entretiens": [session_overview(session, s, include_private=include_private) for s in states]}


def session_overview(session: Session, state: SessionState, *, include_private: bool = False) -> dict[str, Any]:
    """One session: interests and sectors with their labels (alphabetical, as in the bilan),
    constraints, the shortlist in its order with names (None for a métier no longer in the
    catalogue), next steps and the note for the pupil; ``notes_privees`` only when asked."""
    names = metier_names(session, [item.metier_id for item in state.shortlist] + state.comparison)
    view: dict[str, Any] = {
        "id": state.id, "date": state.date,
        "centres_interet": _labelled(session, InterestRow, state.interests),
        "niveau_max": describe_max_level(state.max_bac_plus) if state.max_bac_plus is not None else None,
        "niveau_max_bac_plus": state.max_bac_plus,
        "salaire_min": state.min_salary, "pays": state.country,
        "secteurs_souhaites": _labelled(session, SectorRow, state.sectors_wished),
        "secteurs_refuses": _labelled(session, SectorRow, state.sectors_refused),
        "selection": [{"id": item.metier_id, "nom": names.get(item.metier_id), "commentaire": item.comment}
                      for item in state.shortlist],
        "comparaison": list(state.comparison),
        "prochaines_etapes": state.next_steps, "note_eleve": state.student_note,
    }
    if include_private:
        view["notes_privees"] = state.private_notes
    return view


def _labelled(session: Session, model: type[InterestRow] | type[SectorRow], ids: list[str]) -> list[dict[str, str]]:
    labels = dict(session.execute(select(model.id, model.label).where(model.id.in_(ids))).all())
    items = [{"id": i, "libelle": labels.get(i, i)} for i in ids]
    return sorted(items, key=lambda item: fold(item["libelle"]))
