"""Editing a session from what a person types (``orientation students seance``).

The changes name interests and sectors by id or label and the level in words, as
``orientation search`` does (:mod:`db.catalogue.criteria`). They are applied to the student's
latest session (or to a new one continuing it, as the window's "Nouvel entretien" starts it),
then checked and saved by :func:`db.students.store.save_session_in`, the very save of the
window's "Enregistrer" — so the two cannot disagree on what a valid session is. Resolving,
saving and the access-log line form one transaction: a bad value changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.catalogue.criteria import resolve_ids, resolve_level
from db.catalogue.store import shown_ids
from db.errors import UserError
from db.models import InterestRow, Metier, SectorRow
from db.storage.engine import Database
from db.students.store import (SessionState, ShortlistItem, get_student, one_job_once, latest_session, save_session_in,
                               start_session)
from db.text import fold, typed_euros, words

# The words that clear a level or a salary ("--niveau-max aucun").
NO_VALUE = frozenset({"aucun", "aucune", "sans", "rien"})
# € brut per month, as the window's spin box allows: above is a typing slip (« 99999 »), not a wish.
MAX_SALARY = 10_000


@dataclass(frozen=True)
class SessionEdit:
    """Changes to a session as a person types them. Empty tuples and None mean "unchanged".

    ``max_level`` and ``min_salary`` take the words of ``orientation search`` or "aucun" (clears);
    ``keep`` holds (métier id, comment or None to leave the comment as it is); ``next_steps``
    replaces the next steps (one line each; an empty tuple is "unchanged", ``("",)`` clears
    them); ``student_note`` replaces the note for the pupil ("" clears it)."""

    new_session: bool = False
    add_interests: tuple[str, ...] = ()
    remove_interests: tuple[str, ...] = ()
    max_level: str | None = None
    min_salary: str | None = None
    wish_sectors: tuple[str, ...] = ()
    refuse_sectors: tuple[str, ...] = ()
    remove_sectors: tuple[str, ...] = ()
    keep: tuple[tuple[str, str | None], ...] = ()
    drop: tuple[str, ...] = ()
    student_note: str | None = None
    next_steps: tuple[str, ...] = ()

    def changes_nothing(self) -> bool:
        """True when no field asks for a change (a new session is a change)."""
        return all(getattr(self, f.name) in (None, (), False) for f in fields(self))


def edit_session(database: Database, student_id: int, edit: SessionEdit) -> SessionState:
    """Apply ``edit`` to the latest session of the student (a new one, continuing the previous,
    when ``edit.new_session`` or when there is none yet) and save it in one transaction; the
    saved state. UserError, with nothing written, for an unknown student, interest, sector or
    métier, an unreadable level or salary, or contradictory changes."""
    with database.write() as session:
        state = _session_to_edit(session, student_id, edit)
        if edit.changes_nothing():
            return state
        _apply(session, state, edit)
        state.id = save_session_in(session, state)
        return state


def _session_to_edit(session: Session, student_id: int, edit: SessionEdit) -> SessionState:
    get_student(session, student_id)  # "aucun élève n'a le numéro …" before anything else
    latest = None if edit.new_session else latest_session(session, student_id)
    if latest is not None:
        return latest
    if edit.changes_nothing():
        raise UserError("cet élève n'a encore aucun entretien : ajoutez --nouvelle pour en commencer un")
    return start_session(session, student_id)


def _apply(session: Session, state: SessionState, edit: SessionEdit) -> None:
    _apply_interests(session, state, edit)
    if edit.max_level is not None:
        state.max_bac_plus = None if _clears(edit.max_level) else resolve_level(edit.max_level)
    if edit.min_salary is not None:
        state.min_salary = parse_salary(edit.min_salary)
    _apply_sectors(session, state, edit)
    _apply_shortlist(session, state, edit)
    if edit.student_note is not None:
        state.student_note = edit.student_note
    if edit.next_steps:
        state.next_steps = "\n".join(step.strip() for step in edit.next_steps if step.strip())


def _clears(text: str) -> bool:
    return fold(text).strip() in NO_VALUE


def parse_salary(text: str) -> int | None:
    """Euros as typed ("1800", "1 800 €") as an int, None for "aucun"; UserError otherwise."""
    if _clears(text):
        return None
    amount = typed_euros(text)
    if amount is None or amount > MAX_SALARY:
        most = f"{MAX_SALARY:,}".replace(",", "\u202f")
        raise UserError(f"salaire minimum invalide : « {text[:40]} » (un montant en euros bruts par mois, de 0 à "
                        f"{most} €, ex. 1800, ou « aucun » pour l'effacer)")
    return amount


def _apply_interests(session: Session, state: SessionState, edit: SessionEdit) -> None:
    added = resolve_ids(session, InterestRow, list(edit.add_interests), "centre d'intérêt")
    removed = resolve_ids(session, InterestRow, list(edit.remove_interests), "centre d'intérêt")
    labels = _labels(session, InterestRow)
    _refuse_both(added, removed, "centre d'intérêt", "ajouté et retiré", labels)
    _require_present(removed, state.interests, labels,
                     "n'est pas parmi les centres d'intérêt de cet entretien")
    state.interests = [i for i in state.interests if i not in removed]
    state.interests += [i for i in dict.fromkeys(added) if i not in state.interests]


def _apply_sectors(session: Session, state: SessionState, edit: SessionEdit) -> None:
    wished = resolve_ids(session, SectorRow, list(edit.wish_sectors), "secteur")
    refused = resolve_ids(session, SectorRow, list(edit.refuse_sectors), "secteur")
    removed = resolve_ids(session, SectorRow, list(edit.remove_sectors), "secteur")
    labels = _labels(session, SectorRow)
    _refuse_both(wished, refused, "secteur", "souhaité et refusé", labels)
    _refuse_both(wished + refused, removed, "secteur", "ajouté et retiré", labels)
    _require_present(removed, state.sectors_wished + state.sectors_refused, labels,
                     "n'est ni souhaité ni refusé dans cet entretien")
    # A sector moves from one list to the other rather than sitting in both.
    state.sectors_wished = [s for s in state.sectors_wished if s not in refused + removed]
    state.sectors_refused = [s for s in state.sectors_refused if s not in wished + removed]
    state.sectors_wished += [s for s in dict.fromkeys(wished) if s not in state.sectors_wished]
    state.sectors_refused += [s for s in dict.fromkeys(refused) if s not in state.sectors_refused]


def _apply_shortlist(session: Session, state: SessionState, edit: SessionEdit) -> None:
    """Drop then keep métiers, each job once: a fiche hidden behind another one for the same job
    (a project fiche behind the ONISEP one) is kept, or dropped, as that job (see :func:`one_job_once`)."""
    kept_ids = tuple(metier_id for metier_id, _ in edit.keep)
    _refuse_both(kept_ids, edit.drop, "métier", "retenu et retiré", {})
    _require_metiers(session, kept_ids)
    shown = shown_ids(session, [*kept_ids, *edit.drop, *(item.metier_id for item in state.shortlist),
                                *state.comparison])

    def job(metier_id: str) -> str:
        return shown.get(metier_id, metier_id)

    present = {job(item.metier_id) for item in state.shortlist}
    missing = [m for m in edit.drop if job(m) not in present]
    if missing:
        raise UserError(f"le métier « {missing[0][:60]} » n'est pas dans la sélection de cet entretien : "
                        "rien à retirer")
    dropped = {job(m) for m in edit.drop}
    state.shortlist = [item for item in state.shortlist if job(item.metier_id) not in dropped]
    state.comparison = [m for m in state.comparison if job(m) not in dropped]  # compared ⊂ kept, as in the window
    state.shortlist, state.comparison = one_job_once(state.shortlist, state.comparison, shown,
                                                     [job(m) for m in kept_ids])
    items = {item.metier_id: item for item in state.shortlist}
    for metier_id, comment in edit.keep:
        kept = job(metier_id)
        if kept not in items:  # a new one goes last; one already kept keeps its place
            items[kept] = ShortlistItem(kept)
            state.shortlist.append(items[kept])
        if comment is not None:
            items[kept].comment = comment


def _require_metiers(session: Session, ids: tuple[str, ...]) -> None:
    known = set(session.execute(select(Metier.id).where(Metier.id.in_(ids))).scalars()) if ids else set()
    unknown = [m for m in ids if m not in known]
    if unknown:
        near = _named_like(session, unknown[0])
        hint = f" ; vouliez-vous dire {' ou '.join(f'{ident} ({name})' for ident, name in near)} ?" if near else ""
        raise UserError(f"aucun métier n'a l'identifiant « {unknown[0][:60]} »{hint} (les identifiants sont dans "
                        "la dernière colonne de « orientation search »)")


def _named_like(session: Session, typed: str) -> list[tuple[str, str]]:
    """At most three shown métiers whose name begins with what was typed for an identifier
    (« berger » for ORI.berger or MET.7915): (id, name)."""
    key = " ".join(words(typed))
    if len(key) < 3:
        return []
    query = (select(Metier.id, Metier.name).where(Metier.superseded_by.is_(None), Metier.sort_key.startswith(key))
             .order_by(Metier.sort_key).limit(3))
    return [(ident, name) for ident, name in session.execute(query)]


def _labels(session: Session, model: type[InterestRow] | type[SectorRow]) -> dict[str, str]:
    return dict(session.execute(select(model.id, model.label)).all())


def _refuse_both(first: tuple[str, ...], second: tuple[str, ...], what: str, how: str,
                 labels: dict[str, str]) -> None:
    both = [x for x in first if x in second]
    if both:
        raise UserError(f"le même {what} (« {labels.get(both[0], both[0])} ») ne peut pas être à la fois {how} : "
                        "choisissez l'un des deux")


def _require_present(ids: tuple[str, ...], present: list[str], labels: dict[str, str], sentence: str) -> None:
    absent = [i for i in ids if i not in present]
    if absent:
        raise UserError(f"« {labels.get(absent[0], absent[0])} » {sentence} : rien à retirer")
