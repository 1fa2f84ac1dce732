"""Assemble the plain data of a student's report (bilan) from one session.

Everything is decided and written out here (levels, salaries, reasons in plain words, sources)
so the renderer only lays it out. Private notes are never read into :class:`ReportData`.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.catalogue.compare import compare, study_length
from db.catalogue.credits import ONISEP_KINDS, PROJECT_CREDIT, metier_attribution, source_lines
from db.catalogue.fiche_facts import MetierFacts, load_facts
from db.catalogue.format import french_date, salary_sentence, source_label, years_words
from db.text import fold
from db.models import InterestRow
from db.catalogue.nomenclature import INTEREST_GROUPS, describe_level
from db.catalogue.routes import named_first
from db.catalogue.store import shown_ids
from db.students.pathways import bilan_routes
from db.students.report_data import ReportData, ReportInterest, ReportMetier
from db.students.settings import Counselor, get_counselor
from db.students.store import SessionState, get_student, one_job_once
from db.students.suggest import Suggestion, explain



def build_report(session: Session, state: SessionState, *, counselor: Counselor | None = None,
                 today: date | None = None) -> ReportData:
    """The report of ``state`` (a saved or unsaved session of an existing student)."""
    student = get_student(session, state.student_id)
    counselor = counselor or get_counselor(session)
    shown = shown_ids(session, [item.metier_id for item in state.shortlist] + state.comparison)
    shortlist, compared = one_job_once(state.shortlist, state.comparison, shown)  # a job kept under both fiches
    ids = [item.metier_id for item in shortlist]
    facts = load_facts(session, ids)
    reasons = explain(session, state, ids)
    interests = _interests(session, state.interests)
    kept = [item for item in shortlist if item.metier_id in facts]
    metiers = [_metier(facts[item.metier_id], reasons.get(item.metier_id), item.comment) for item in kept]
    for item, metier in zip(kept, metiers, strict=True):  # the routes from the pupil's current class
        found = bilan_routes(session, student.current_class, item.metier_id, state.max_bac_plus)
        metier.routes, metier.route_notes, metier.route_steps = found.lines, found.notes, found.drawn
        # The length the drawn route says, not a usual one beside it; unless that route stops below
        # the métier's level (no formation of the fiche reaches it): its length would say too little.
        reached = found.reached
        # Nor when it goes through a bac pro the pupil may not be preparing: « l'année en cours »
        # on page 1, with no room for the condition, read as certain.
        if metier.route_steps and not found.assumes_speciality and (
                metier.bac_plus is None or (reached is not None and reached >= metier.bac_plus)):
            metier.study_years = route_length(metier.route_steps)
    return ReportData(
        student_name=student.full_name, student_class=student.classe or "", school=student.etablissement or "",
        session_date=french_date(state.date), counselor_name=counselor.name,
        counselor_structure=counselor.structure, counselor_contact=counselor.contact,
        interests=interests, interest_profile=_profile(interests),
        metiers=metiers,
        comparison=compare(session, compared, state.interests) if len(compared) >= 2 else None,
        next_steps=[line.strip(" -•\t") for line in state.next_steps.splitlines() if line.strip(" -•\t")],
        student_note=state.student_note, sources=source_lines(session, [f.id for f in facts.values()]),
        generated_on=french_date(today or date.today()), made_on=today or date.today())


def _interests(session: Session, ids: list[str]) -> list[ReportInterest]:
    rows = dict((i, (label, group)) for i, label, group in session.execute(
        select(InterestRow.id, InterestRow.label, InterestRow.group).where(InterestRow.id.in_(ids))))
    # Alphabetical, as in the reasons of each métier: the page says them in one order.
    chosen = [ReportInterest(rows[i][0], rows[i][1]) for i in ids if i in rows]
    return sorted(chosen, key=lambda interest: fold(interest.label))


def route_length(steps: list[tuple[str, int]]) -> str:
    """The « Durée des études » of a métier whose route from the pupil's class is drawn on the
    bilan: that route's length (« 4 ans depuis ta classe »); the usual length of its level
    (« 2 à 3 ans après la 3e ») told a family less than the 4 years drawn under it."""
    years = sum(n for _, n in steps)
    return f"{years_words(years)} depuis ta classe" if years else "l'année en cours"


def _profile(interests: list[ReportInterest]) -> list[tuple[str, float]]:
    """Share of the ticked interests in each group (the largest group is 1.0)."""
    counts = Counter(i.group for i in interests)
    top = max(counts.values(), default=0)
    return [(group, counts[group] / top) for group in INTEREST_GROUPS if counts[group]] if top else []


def _metier(facts: MetierFacts, suggestion: Suggestion | None, comment: str) -> ReportMetier:
    year = facts.salary_year or (facts.salary_source_date or "")[:4]
    salary = salary_sentence(facts.salary_min, facts.salary_max, facts.salary_year, facts.salary_country)
    producer = "Onisep" if facts.source_kind in ONISEP_KINDS else PROJECT_CREDIT[0].lower() + PROJECT_CREDIT[1:] \
        if facts.source_kind == "projet" else source_label(facts.source_kind)
    return ReportMetier(
        title=facts.name, label_f=facts.label_f, label_m=facts.label_m, description=facts.summary,
        level=describe_level(facts.bac_plus, facts.level_label), salary=salary,
        salary_source=f"Source : {producer}{f', {year}' if year else ''}", sectors=facts.sectors,
        formations=named_first(facts.formations, facts.name)[:4],  # the métier's own first: only 4 are printed
        reasons=[r.plain for r in suggestion.reasons if r.ok] if suggestion else [],
        # An unknown level is already written in the facts; an unknown salary is worth checking.
        cautions=[r.plain for r in suggestion.reasons if r.ok is False or (r.ok is None and r.criterion != "niveau")]
        if suggestion else [],
        comment=comment, source=metier_attribution(facts.source_kind),
        study_years=study_length(facts.bac_plus) if facts.bac_plus is not None else "",
        bac_plus=facts.bac_plus, salary_start=facts.salary_min)


