"""Métier suggestions for a student's session, each with the reasons why.

Scoring (also explained in the README):

1. **Hard constraints filter.** A métier is left out when its minimum level is above the level
   the student aims for (or unknown while a level is set), when one of its sectors is a sector
   the student refuses, or when its country differs from the one asked for. Fiches another
   source supersedes are never suggested.
2. **Candidates.** A métier must share at least one of the student's interests or wished
   sectors; with neither ticked there is no suggestion at all (the window and the command line
   say so: :data:`NOTHING_TICKED`).
3. **Soft criteria rank.** score = 10 × (shared interests ÷ ticked interests) + 1 × shared
   interests + 4 if a wished sector matches + 2 if the starting salary reaches the wished
   minimum, − 3 if it is below it (0 when the fiche gives no figure).
4. **Ties** are broken by the number of shared interests, then the name in French order,
   then the id: the same data always gives the same order.

Each suggestion carries per-criterion :class:`Reason` objects: a short line for the counselor
("niveau ✔ bac + 2 ≤ bac + 3 visé") and a plain sentence for the student's report.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass, field

from sqlalchemy import Row, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.catalogue.format import format_euros
from db.text import fold
from db.models import AnySelect, InterestRow, LevelRow, Metier, MetierInterest, MetierSector, SectorRow
from db.catalogue.nomenclature import describe_level, describe_max_level
from db.catalogue.search import Criteria, filtered_pks
from db.students.store import SessionState

W_INTEREST_SHARE, W_INTEREST_COUNT, W_SECTOR, W_SALARY_OK, W_SALARY_LOW = 10.0, 1.0, 4.0, 2.0, -3.0


@dataclass
class Reason:
    """One criterion's verdict: ``ok`` True (✔), False (✘) or None (not known)."""

    criterion: str
    ok: bool | None
    text: str
    plain: str


@dataclass
class Suggestion:
    """A ranked métier with its score and reasons."""

    metier_id: str
    name: str
    score: float
    shared_interests: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    level_label: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None


NOTHING_TICKED = ("cochez des centres d'intérêt (ou des secteurs souhaités) : "
                  "les métiers qui y répondent s'afficheront ici.")


def has_something_to_go_on(state: SessionState) -> bool:
    """Whether ``state`` has interests or wished sectors: without either there is no suggestion
    (ranking the whole catalogue by salary alone would look like advice and is not)."""
    return bool(state.interests or state.sectors_wished)


def suggest(session: Session, state: SessionState, limit: int = 50) -> list[Suggestion]:
    """The best ``limit`` métiers for ``state``, best first (see the module docstring); none
    when nothing is ticked (:func:`has_something_to_go_on`)."""
    if not has_something_to_go_on(state):
        return []
    base = filtered_pks(session, Criteria(max_bac_plus=state.max_bac_plus,
                                          countries=(state.country,) if state.country else ()))
    interests = _links(session, MetierInterest.interest_id, MetierInterest.metier_pk, state.interests, base)
    wished = _links(session, MetierSector.sector_id, MetierSector.metier_pk, state.sectors_wished, base)
    refused = set(_links(session, MetierSector.sector_id, MetierSector.metier_pk, state.sectors_refused, base))
    candidates = (set(interests) | set(wished)) - refused
    labels = _interest_labels(session, state.interests)
    sector_labels = _sector_labels(session, state.sectors_wished)
    results = [_score(row, state, interests.get(row.pk, []), wished.get(row.pk, []), labels, sector_labels)
               for row in _rows(session, candidates)]
    results.sort(key=lambda pair: (-pair[0].score, -len(pair[0].shared_interests), pair[1], pair[0].metier_id))
    return [suggestion for suggestion, _ in results[:limit]]


def explain(session: Session, state: SessionState, metier_ids: list[str]) -> dict[str, Suggestion]:
    """Score and reasons for given métiers (e.g. the shortlist), even those the hard
    constraints would leave out: their failing criterion then reads "✘"."""
    base = select(Metier.pk).where(Metier.id.in_(metier_ids))
    interests = _links(session, MetierInterest.interest_id, MetierInterest.metier_pk, state.interests, base)
    wished = _links(session, MetierSector.sector_id, MetierSector.metier_pk, state.sectors_wished, base)
    labels = _interest_labels(session, state.interests)
    sector_labels = _sector_labels(session, state.sectors_wished)
    pks = set(session.execute(base).scalars())
    return {row.id: _score(row, state, interests.get(row.pk, []), wished.get(row.pk, []), labels, sector_labels)[0]
            for row in _rows(session, pks)}


def _links(session: Session, key_col: InstrumentedAttribute[str], pk_col: InstrumentedAttribute[int], ids: list[str],
           base: AnySelect) -> dict[int, list[str]]:
    """pk → the given ids it is linked to, for métiers in ``base``."""
    found: dict[int, list[str]] = defaultdict(list)
    if ids:
        query = select(pk_col, key_col).where(key_col.in_(ids), pk_col.in_(base.scalar_subquery()))
        for pk, ident in session.execute(query):
            found[pk].append(ident)
    return found


def _rows(session: Session, pks: set[int]) -> Iterator[Row[*tuple[Any, ...]]]:
    ordered = sorted(pks)
    for start in range(0, len(ordered), 900):
        query = (select(Metier.pk, Metier.id, Metier.name, Metier.sort_key, Metier.bac_plus, LevelRow.label,
                        Metier.salary_min, Metier.salary_max)
                 .outerjoin(LevelRow, LevelRow.code == Metier.level_code)
                 .where(Metier.pk.in_(ordered[start:start + 900])))
        yield from session.execute(query)


def _interest_labels(session: Session, ids: list[str]) -> dict[str, str]:
    return dict(session.execute(select(InterestRow.id, InterestRow.label).where(InterestRow.id.in_(ids))).all())


def _sector_labels(session: Session, ids: list[str]) -> dict[str, str]:
    return dict(session.execute(select(SectorRow.id, SectorRow.label).where(SectorRow.id.in_(ids))).all())


def _score(row: Row[*tuple[Any, ...]], state: SessionState, shared: list[str], wished: list[str],
           labels: dict[str, str], sector_labels: dict[str, str]) -> tuple[Suggestion, str]:
    # In label order, whatever order they were ticked or stored in: the window, the command line
    # and the bilan word a reason the same way for the same session.
    shared = sorted((i for i in state.interests if i in shared), key=lambda i: fold(labels.get(i, i)))
    reasons = [_level_reason(row.label, row.bac_plus, state.max_bac_plus)]
    score = 0.0
    if state.interests:
        score += W_INTEREST_SHARE * len(shared) / len(state.interests) + W_INTEREST_COUNT * len(shared)
        reasons.append(_interest_reason([labels.get(i, i) for i in shared], len(state.interests)))
    if state.sectors_wished:
        score += W_SECTOR if wished else 0.0
        reasons.append(_sector_reason([sector_labels.get(s, s) for s in wished]))
    if state.min_salary:
        salary_reason = _salary_reason(row.salary_min, state.min_salary)
        score += {True: W_SALARY_OK, False: W_SALARY_LOW, None: 0.0}[salary_reason.ok]
        reasons.append(salary_reason)
    suggestion = Suggestion(row.id, row.name, round(score, 2), [labels.get(i, i) for i in shared], reasons,
                            row.label, row.salary_min, row.salary_max)
    return suggestion, row.sort_key


def _level_reason(label: str | None, bac_plus: int | None, target: int | None) -> Reason:
    level = describe_level(bac_plus, label)
    if target is None:
        return Reason("niveau", None, f"niveau : {level}", f"Niveau d'études minimum : {level}.")
    aim = describe_max_level(target)
    if bac_plus is None or bac_plus > target:
        return Reason("niveau", False, f"niveau ✘ {level} > {aim} visé",
                      f"Il demande plus d'études ({level}) que ce que tu vises ({aim}).")
    return Reason("niveau", True, f"niveau ✔ {level} ≤ {aim} visé",
                  f"Le niveau d'études demandé ({level}) correspond à ce que tu vises ({aim}).")


def _interest_reason(shared: list[str], total: int) -> Reason:
    listed = " ; ".join(shared)
    if not shared:
        return Reason("intérêts", False, f"intérêts 0/{total}", "Il ne correspond à aucun de tes centres d'intérêt.")
    plain = (f"Il correspond à {len(shared)} de tes {total} centres d'intérêt : {listed}."
             if total > 1 else f"Il correspond à ton centre d'intérêt : {listed}.")
    return Reason("intérêts", True, f"intérêts {len(shared)}/{total} : {listed}", plain)


def _sector_reason(wished: list[str]) -> Reason:
    if not wished:
        return Reason("secteur", False, "secteur ✘ aucun secteur souhaité",
                      "Il n'est pas dans les secteurs que tu as choisis.")
    listed = ", ".join(wished)
    return Reason("secteur", True, f"secteur ✔ {listed}", f"Il est dans un secteur que tu as choisi : {listed}.")


def _salary_reason(salary: int | None, wanted: int) -> Reason:
    if salary is None:
        return Reason("salaire", None, "salaire ? non précisé",
                      "La fiche ne donne pas de salaire de début chiffré.")
    if salary >= wanted:
        return Reason("salaire", True, f"salaire ✔ {format_euros(salary)} ≥ {format_euros(wanted)} souhaités",
                      f"Le salaire de début ({format_euros(salary)} brut par mois) atteint ce que tu souhaites.")
    return Reason("salaire", False, f"salaire ✘ {format_euros(salary)} < {format_euros(wanted)} souhaités",
                  f"Le salaire de début ({format_euros(salary)} brut par mois) est sous les "
                  f"{format_euros(wanted)} que tu souhaites.")
