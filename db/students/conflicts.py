"""Two people, one session: what differs between the version saved elsewhere and one's own.

:func:`db.students.store.save_session_in` refuses to overwrite a session saved since it was
read (:class:`~db.students.store.SessionConflictError`); the window then shows, with
:func:`conflict_lines`, which fields differ, their version beside the counselor's, and when the
other save happened, and lets the counselor keep either. Qt-free: plain French lines.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from db.catalogue.nomenclature import describe_max_level
from db.students.store import SessionState, _labels

MAX_SHOWN = 80  # characters of a text shown in the comparison


def conflict_lines(session: Session, theirs: SessionState, mine: SessionState) -> list[str]:
    """One French line per field that differs: « Label : leur version « … » — la vôtre « … » »
    (labels of interests, sectors and métiers, not their ids); empty when nothing differs."""
    labels = _labels(session, theirs, mine)

    def names(ids: list[str]) -> str:
        return ", ".join(labels.get(i, i) for i in ids) or "aucun"

    fields: list[tuple[str, Callable[[SessionState], object], Callable[[SessionState], str]]] = [
        ("Date", lambda s: s.date, lambda s: s.date),
        ("Centres d'intérêt", lambda s: sorted(s.interests), lambda s: names(sorted(s.interests))),
        ("Niveau d'études visé", lambda s: s.max_bac_plus, lambda s: describe_max_level(s.max_bac_plus)),
        ("Salaire minimum souhaité", lambda s: s.min_salary,
         lambda s: f"{s.min_salary} €" if s.min_salary else "aucun"),
        ("Pays", lambda s: s.country, lambda s: s.country or "tous"),
        ("Secteurs souhaités", lambda s: sorted(s.sectors_wished), lambda s: names(sorted(s.sectors_wished))),
        ("Secteurs refusés", lambda s: sorted(s.sectors_refused), lambda s: names(sorted(s.sectors_refused))),
        ("Sélection de métiers", lambda s: [(i.metier_id, i.comment.strip()) for i in s.shortlist],
         lambda s: ", ".join(labels.get(i.metier_id, i.metier_id) + (f" {_text(i.comment)}" if i.comment.strip()
                                                                     else "") for i in s.shortlist) or "aucun"),
        ("Comparaison", lambda s: s.comparison, lambda s: names(s.comparison)),
        ("Prochaines étapes", lambda s: s.next_steps.strip(), lambda s: _text(s.next_steps)),
        ("Note pour l'élève", lambda s: s.student_note.strip(), lambda s: _text(s.student_note)),
        ("Notes privées", lambda s: s.private_notes.strip(), lambda s: _text(s.private_notes)),
    ]
    return [f"{label} : leur version {shown(theirs)} — la vôtre {shown(mine)}"
            for label, value, shown in fields if value(theirs) != value(mine)]


def _text(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        return "(vide)"
    return f"« {text[:MAX_SHOWN]}… »" if len(text) > MAX_SHOWN else f"« {text} »"
