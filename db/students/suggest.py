"""Métier suggestions for a student's session, each with the reasons why.

Scoring (also explained in the README):

1. **Hard constraints filter.** A métier is left out when its minimum level is above the level
   the student aims for (or unknown while a level is set), when one of its sectors is a sector
   the student refuses, or when its country differs from the one asked for. Fiches another
   source supersedes are never suggested: their live twin stands for them, with the sectors
   and other facts it inherits (:mod:`db.catalogue.merge`).
2. **Candidates.** A métier must share at least one of the student's interests or wished
   sectors; with neither ticked there is no suggestion at all (the window and the command line
   say so: :data:`NOTHING_TICKED`).
3. **Soft criteria rank**, each worth points in proportion to how well it is met:

   - 10 × the share of the student's interests the fiche carries;
   - 3 × the share of the fiche's interests the student ticked (a fiche about exactly what the
     student likes beats one where it is a side note);
   - 1 × the share of the fiche's other interests that sit in the same family as one of the
     student's ("Bouger, sport"…): the fiche leans the student's way;
   - 2 when the fiche's level is the one aimed for, a third of a point less per year under it
     (nothing from six years under, nor when no level is aimed for): a bac + 2 job suits a
     student aiming for bac + 3 almost as well, a CAP job less so;
   - 20 when the fiche is in a wished sector: more than all the points above together, so a
     wished sector brings its métiers first;
   - minus 1 per 100 € the starting salary falls short of the wished minimum, at most 3
     (nothing when the fiche gives no figure).

   RIASEC letters are not used: the centres d'intérêt have no RIASEC mapping (neither ONISEP's
   nomenclature nor ROME gives one), so the interest families stand in for that closeness.
4. **Ties** (same score to the hundredth) are broken by the number of shared interests, then
   the name in French order, then the id: the same data always gives the same order.

Each suggestion carries per-criterion :class:`Reason` objects: a short line for the counselor
("niveau ✔ bac + 2 ≤ bac + 3 visé") and a plain sentence for the student's report.
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Row, case, func, select, union
from sqlalchemy.orm import Session

from db.catalogue.format import format_euros
from db.catalogue.nomenclature import describe_level, describe_max_level
from db.catalogue.search import Criteria, filtered_pks
from db.models import InterestRow, LevelRow, Metier, MetierInterest, MetierSector, SectorRow
from db.students.store import SessionState
from db.text import fold

W_WANTED = 10.0  # × share of the student's interests the fiche carries
W_FOCUS = 3.0  # × share of the fiche's interests the student ticked
W_NEAR = 1.0  # × share of the fiche's other interests in one of the student's interest families
W_LEVEL = 2.0  # level at the aim, fading with each year under it
LEVEL_FADE = 6  # years under the aim at which the level earns nothing
SALARY_POINT_EUROS, SALARY_CAP = 100, 3.0  # minus 1 point per 100 € short, at most 3
# A wished sector outweighs every other point together and the largest salary penalty
# (tests/db/students/test_suggest.py checks it): its métiers come first.
W_SECTOR = 20.0
NO_FAMILY = "Autres"  # the catch-all interest group says nothing about closeness
SECTORS_NAMED = 3  # wished sectors named in a "✘" reason before "…"


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


def score_text(score: float) -> str:
    """ "score 15,3": a suggestion's score as the window and the command line show it (French
    decimal comma, one decimal)."""
    return "score " + f"{score:.1f}".replace(".", ",")


def has_something_to_go_on(state: SessionState) -> bool:
    """Whether ``state`` has interests or wished sectors: without either there is no suggestion
    (ranking the whole catalogue by salary alone would look like advice and is not)."""
    return bool(state.interests or state.sectors_wished)


def suggest(session: Session, state: SessionState, limit: int = 50) -> list[Suggestion]:
    """The best ``limit`` métiers for ``state``, best first (see the module docstring); none
    when nothing is ticked (:func:`has_something_to_go_on`)."""
    if not has_something_to_go_on(state):
        return []
    context = _Context.load(session, state)
    # Every candidate is scored from a few counts SQL gives cheaply (indexes only); only the best
    # ``limit`` get their labels and reasons (10,000 métiers may be candidates, 30,000 at 100k).
    ranked = _fits(session, context)
    if len(ranked) > limit:
        # The id breaks the last ties: keep every candidate tied with the last one kept. A heap,
        # not a sort of them all: one sort of 30,000 is a C call holding the GIL (the window's
        # thread waits 30-60 ms for it); the heap's Python steps let it run in between.
        last = heapq.nsmallest(limit, ranked, key=lambda c: c.rank)[-1].rank if limit > 0 else None
        ranked = [c for c in ranked if last is not None and c.rank <= last]
    built = _suggestions(session, context, [c.pk for c in ranked])
    ordered = sorted(ranked, key=lambda c: (c.rank, built[c.pk].metier_id))
    return [built[c.pk] for c in ordered[:limit]]


def explain(session: Session, state: SessionState, metier_ids: list[str]) -> dict[str, Suggestion]:
    """Score and reasons for given métiers (e.g. the shortlist), even those the hard
    constraints would leave out: their failing criterion then reads "✘"."""
    pks = list(session.execute(select(Metier.pk).where(Metier.id.in_(metier_ids))).scalars())
    return {s.metier_id: s for s in _suggestions(session, _Context.load(session, state), pks).values()}


@dataclass(frozen=True)
class Fit:
    """What a score is computed from: counts of interests and the fiche's own facts."""

    shared: int  # the student's interests the fiche carries
    carried: int  # all the interests the fiche carries
    near: int  # the fiche's other interests in one of the student's interest families
    in_wished_sector: bool
    bac_plus: int | None
    salary_min: int | None


def score_of(fit: Fit, state: SessionState) -> float:
    """The score of a fiche for ``state`` (module docstring), to the hundredth."""
    ticked = len(set(state.interests))
    score = level_points(fit.bac_plus, state.max_bac_plus) + interest_points(fit, ticked)
    score += W_SECTOR if fit.in_wished_sector else 0.0
    return round(score - salary_penalty(fit.salary_min, state.min_salary), 2)


def interest_points(fit: Fit, ticked: int) -> float:
    """10 × share of the ``ticked`` interests the fiche carries, 3 × share of the fiche's interests
    that are ticked, 1 × share of its other interests in one of the student's families."""
    if not ticked or not fit.shared:
        return 0.0
    others = fit.carried - fit.shared
    return (W_WANTED * fit.shared / ticked + W_FOCUS * fit.shared / fit.carried
            + (W_NEAR * fit.near / others if others else 0.0))


@dataclass
class _Context:
    """What scoring needs besides the fiche: the session and the labels and families of its choices."""

    state: SessionState
    labels: dict[str, str]  # the student's interest ids → label
    families: set[str]  # interest families ("Bouger, sport"…) of the student's interests
    family_of: dict[str, str]  # every interest id → its family
    sector_labels: dict[str, str]

    @classmethod
    def load(cls, session: Session, state: SessionState) -> _Context:
        rows = session.execute(select(InterestRow.id, InterestRow.label, InterestRow.group)).all()
        family_of = {ident: group for ident, _label, group in rows if group != NO_FAMILY}
        ticked = set(state.interests)
        labels = {ident: label for ident, label, _group in rows if ident in ticked}
        families = {family_of[i] for i in ticked if i in family_of}
        sector_labels = dict(session.execute(select(SectorRow.id, SectorRow.label)
                                             .where(SectorRow.id.in_(state.sectors_wished))).all())
        return cls(state, labels, families, family_of, sector_labels)


@dataclass(frozen=True)
class _Candidate:
    pk: int
    rank: tuple[float, int, str]  # − score, − shared interests, French name key: best first
    fit: Fit


def _fits(session: Session, context: _Context) -> list[_Candidate]:
    """Every candidate métier (module docstring, points 1 and 2) with its :class:`Fit`.

    Two statements, both answered from indexes alone: the métiers' facts (the search's
    ``ix_metiers_live_level`` holds level, salary and name key) and their interest counts."""
    state = context.state
    ticked = sorted(set(state.interests))
    near_ids = sorted(i for i, family in context.family_of.items() if family in context.families and i not in ticked)
    wished = _in_sectors(state.sectors_wished)
    linked_pks = union(select(MetierInterest.metier_pk).where(MetierInterest.interest_id.in_(ticked)),
                       select(MetierSector.metier_pk).where(MetierSector.sector_id.in_(sorted(set(state.sectors_wished)))))
    linked = Metier.pk.in_(linked_pks.scalar_subquery())
    # filtered_pks leaves out superseded fiches, so only live ones (with inherited facts) compete.
    base = filtered_pks(session, Criteria(max_bac_plus=state.max_bac_plus,
                                          countries=(state.country,) if state.country else ()))
    facts = (base.with_only_columns(Metier.pk, Metier.sort_key, Metier.bac_plus, Metier.salary_min, wished)
             .where(linked, ~_in_sectors(state.sectors_refused))
             # Each candidate's facts from the narrow index by pk (migration 0012): the rows' end
             # (superseded_by) lies on overflow pages behind their long texts.
             .with_hint(Metier.__table__, "INDEXED BY ix_metiers_by_pk", "sqlite"))
    counts = (select(MetierInterest.metier_pk, func.count(),
                     func.sum(case((MetierInterest.interest_id.in_(ticked), 1), else_=0)),
                     func.sum(case((MetierInterest.interest_id.in_(near_ids), 1), else_=0)))
              .where(MetierInterest.metier_pk.in_(linked_pks.scalar_subquery()))
              .group_by(MetierInterest.metier_pk))
    by_pk = {pk: (carried, shared, near) for pk, carried, shared, near in session.execute(counts)}
    found = []
    for pk, sort_key, bac_plus, salary, in_wished in session.execute(facts):
        carried, shared, near = by_pk.get(pk, (0, 0, 0))
        fit = Fit(shared, carried, near, bool(in_wished), bac_plus, salary)
        found.append(_Candidate(pk, (-score_of(fit, state), -shared, sort_key), fit))
    return found


def _in_sectors(ids: list[str]) -> ColumnElement[bool]:
    return Metier.pk.in_(select(MetierSector.metier_pk).where(MetierSector.sector_id.in_(sorted(set(ids)))))


def _suggestions(session: Session, context: _Context, pks: list[int]) -> dict[int, Suggestion]:
    """pk → the suggestion for that métier, with its reasons, whatever the hard constraints say."""
    state = context.state
    wished: dict[int, list[str]] = defaultdict(list)
    carried: dict[int, list[str]] = defaultdict(list)
    built: dict[int, Suggestion] = {}
    for start in range(0, len(pks), 900):
        chunk = pks[start:start + 900]
        if state.sectors_wished:
            for pk, sector in session.execute(select(MetierSector.metier_pk, MetierSector.sector_id).where(
                    MetierSector.metier_pk.in_(chunk), MetierSector.sector_id.in_(state.sectors_wished))):
                wished[pk].append(sector)
        for pk, interest in session.execute(select(MetierInterest.metier_pk, MetierInterest.interest_id)
                                            .where(MetierInterest.metier_pk.in_(chunk))):
            carried[pk].append(interest)
        query = (select(Metier.pk, Metier.id, Metier.name, Metier.bac_plus, LevelRow.label,
                        Metier.salary_min, Metier.salary_max)
                 .outerjoin(LevelRow, LevelRow.code == Metier.level_code)
                 .where(Metier.pk.in_(chunk)))
        for row in session.execute(query):
            built[row.pk] = _suggestion(row, context, carried[row.pk], wished[row.pk])
    return built


def level_points(bac_plus: int | None, target: int | None) -> float:
    """2 when ``bac_plus`` is ``target``, 1/3 less per year under it, 0 from 6 years under; 0 with
    no target, an unknown level or one above the target (the filter already said no)."""
    if target is None or bac_plus is None or bac_plus > target:
        return 0.0
    return W_LEVEL * max(0.0, 1 - (target - bac_plus) / LEVEL_FADE)


def salary_penalty(salary: int | None, wanted: int | None) -> float:
    """1 point per 100 € ``salary`` falls short of ``wanted``, at most 3 (0 when either is unknown)."""
    if not wanted or salary is None or salary >= wanted:
        return 0.0
    return min(SALARY_CAP, (wanted - salary) / SALARY_POINT_EUROS)


def _suggestion(row: Row[*tuple[Any, ...]], context: _Context, carried: list[str], wished: list[str]) -> Suggestion:
    state, labels = context.state, context.labels
    ticked = set(state.interests)
    # In label order, whatever order they were ticked or stored in: the window, the command line
    # and the bilan word a reason the same way for the same session.
    shared = sorted(ticked & set(carried), key=lambda i: fold(labels.get(i, i)))
    near = sum(1 for i in set(carried) - ticked if context.family_of.get(i) in context.families)
    fit = Fit(len(shared), len(set(carried)), near, bool(wished), row.bac_plus, row.salary_min)
    reasons = [_level_reason(row.label, row.bac_plus, state.max_bac_plus)]
    if state.interests:
        reasons.append(_interest_reason([labels.get(i, i) for i in shared], len(ticked), fit.carried))
    if state.sectors_wished:
        named = [context.sector_labels.get(s, s) for s in (wished or state.sectors_wished)]
        reasons.append(_sector_reason(named, bool(wished)))
    if state.min_salary:
        reasons.append(_salary_reason(row.salary_min, state.min_salary))
    return Suggestion(row.id, row.name, score_of(fit, state), [labels.get(i, i) for i in shared], reasons,
                      row.label, row.salary_min, row.salary_max)


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


def _interest_reason(shared: list[str], total: int, carried: int) -> Reason:
    listed = " ; ".join(shared)
    if not shared:
        return Reason("intérêts", False, f"intérêts 0/{total}", "Il ne correspond à aucun de tes centres d'intérêt.")
    plain = (f"Il correspond à {len(shared)} de tes {total} centres d'intérêt : {listed}."
             if total > 1 else f"Il correspond à ton centre d'intérêt : {listed}.")
    # The fiche's own count explains why two métiers sharing as many interests are not tied.
    of_fiche = f" (la fiche en cite {carried})" if carried > len(shared) else ""
    return Reason("intérêts", True, f"intérêts {len(shared)}/{total} : {listed}{of_fiche}", plain)


def _sector_reason(named: list[str], matched: bool) -> Reason:
    """✔ with the wished sectors the métier is in, or ✘ naming the ones chosen (never read as
    "the student chose no sector")."""
    listed = ", ".join(named[:SECTORS_NAMED]) + (", …" if len(named) > SECTORS_NAMED else "")
    if not matched:
        return Reason("secteur", False, f"secteur ✘ hors des secteurs choisis ({listed})",
                      "Il n'est pas dans les secteurs que tu as choisis.")
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
