"""Assemble the plain data of a student's report (bilan) from one session.

Everything is decided and written out here (levels, salaries, reasons in plain words, sources)
so the renderer only lays it out. Private notes are never read into :class:`ReportData`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.catalogue.compare import compare, study_length
from db.catalogue.fiche_facts import MetierFacts, load_facts
from db.catalogue.format import french_date, salary_sentence, source_label
from db.text import fold
from db.models import ImportLog, InterestRow, Metier, MetierRome, RomeCodeRow
from db.catalogue.nomenclature import INTEREST_GROUPS, describe_level
from db.students.pathways import bilan_routes
from db.students.report_data import ReportData, ReportInterest, ReportMetier
from db.students.settings import Counselor, get_counselor
from db.students.store import SessionState, get_student
from db.students.suggest import Suggestion, explain

ONISEP_KINDS = {"onisep-md", "onisep-xml", "onisep-json"}
PROJECT_CREDIT = "fiche rédigée par l'équipe Orientation"  # words a parent understands ("fiche du projet" did not)


def build_report(session: Session, state: SessionState, *, counselor: Counselor | None = None,
                 today: date | None = None) -> ReportData:
    """The report of ``state`` (a saved or unsaved session of an existing student)."""
    student = get_student(session, state.student_id)
    counselor = counselor or get_counselor(session)
    ids = [item.metier_id for item in state.shortlist]
    facts = load_facts(session, ids)
    reasons = explain(session, state, ids)
    interests = _interests(session, state.interests)
    kept = [item for item in state.shortlist if item.metier_id in facts]
    metiers = [_metier(facts[item.metier_id], reasons.get(item.metier_id), item.comment) for item in kept]
    for item, metier in zip(kept, metiers, strict=True):  # the routes from the pupil's current class
        metier.routes, metier.route_steps = bilan_routes(session, student.current_class, item.metier_id,
                                                         state.max_bac_plus)
    return ReportData(
        student_name=student.full_name, student_class=student.classe or "", school=student.etablissement or "",
        session_date=french_date(state.date), counselor_name=counselor.name,
        counselor_structure=counselor.structure, counselor_contact=counselor.contact,
        interests=interests, interest_profile=_profile(interests),
        metiers=metiers,
        comparison=compare(session, state.comparison, state.interests) if len(state.comparison) >= 2 else None,
        next_steps=[line.strip(" -•\t") for line in state.next_steps.splitlines() if line.strip(" -•\t")],
        student_note=state.student_note, sources=_sources(session, facts.values()),
        generated_on=french_date(today or date.today()))


def _interests(session: Session, ids: list[str]) -> list[ReportInterest]:
    rows = dict((i, (label, group)) for i, label, group in session.execute(
        select(InterestRow.id, InterestRow.label, InterestRow.group).where(InterestRow.id.in_(ids))))
    # Alphabetical, as in the reasons of each métier: the page says them in one order.
    chosen = [ReportInterest(rows[i][0], rows[i][1]) for i in ids if i in rows]
    return sorted(chosen, key=lambda interest: fold(interest.label))


def _profile(interests: list[ReportInterest]) -> list[tuple[str, float]]:
    """Share of the ticked interests in each group (the largest group is 1.0)."""
    counts = Counter(i.group for i in interests)
    top = max(counts.values(), default=0)
    return [(group, counts[group] / top) for group in INTEREST_GROUPS if counts[group]] if top else []


def _metier(facts: MetierFacts, suggestion: Suggestion | None, comment: str) -> ReportMetier:
    year = facts.salary_year or (facts.salary_source_date or "")[:4]
    salary = salary_sentence(facts.salary_min, facts.salary_max, facts.salary_year, facts.salary_country)
    producer = "Onisep" if facts.source_kind in ONISEP_KINDS else PROJECT_CREDIT \
        if facts.source_kind == "projet" else source_label(facts.source_kind)
    return ReportMetier(
        title=facts.name, label_f=facts.label_f, label_m=facts.label_m, description=facts.summary,
        level=describe_level(facts.bac_plus, facts.level_label), salary=salary,
        salary_source=f"Source : {producer}{f', {year}' if year else ''}", sectors=facts.sectors,
        formations=facts.formations[:4],
        reasons=[r.plain for r in suggestion.reasons if r.ok] if suggestion else [],
        # An unknown level is already written in the facts; an unknown salary is worth checking.
        cautions=[r.plain for r in suggestion.reasons if r.ok is False or (r.ok is None and r.criterion != "niveau")]
        if suggestion else [],
        comment=comment, source=_attribution(facts.source_kind),
        study_years=study_length(facts.bac_plus) if facts.bac_plus is not None else "",
        bac_plus=facts.bac_plus, salary_start=facts.salary_min)


ONISEP_DATASET = "Idéo-Fiches métiers"  # the name ONISEP gives the dataset (ODbL asks for it)


def _attribution(kind: str) -> str:
    """The line under a métier: who wrote its fiche, as its licence asks."""
    if kind in ONISEP_KINDS:
        return f"Source : {ONISEP_DATASET}, Onisep, sous licence ODbL"
    if kind == "projet":
        return "Fiche rédigée par l'équipe Orientation"
    return f"Source : {source_label(kind)}"


def _sources(session: Session, facts: Collection[MetierFacts]) -> list[str]:
    """The sources of the bilan, each with its date and licence: ONISEP's ODbL wants the dataset
    named with its date, the Licence Ouverte wants the producer, the data and its version."""
    lines: list[str] = []
    kinds: dict[str, set[str]] = {}
    for f in facts:
        kinds.setdefault(f.source_kind, set()).add(f.source_date or (str(f.salary_year) if f.salary_year else ""))
    for kind, dates in sorted(kinds.items()):
        known = sorted(d for d in dates if d)
        when = french_date(known[-1]) if known and len(known[-1]) == 10 else (known[-1] if known else "")
        if kind in ONISEP_KINDS:
            lines.append(f"{ONISEP_DATASET}, Onisep{f', données du {when}' if when else ''}, sous licence ODbL "
                         "(Open Database License)")
        elif kind == "projet":
            lines.append(f"Fiches rédigées par l'équipe Orientation{f', données {when}' if when else ''}")
        else:
            lines.append(_attribution(kind) + (f", données du {when}" if when else ""))
    rome = _rome_line(session, [f.id for f in facts])
    return [*lines, rome] if rome else lines


def _rome_line(session: Session, metier_ids: list[str]) -> str:
    """The ROME credit (Licence Ouverte: producer, data, version, date), only when one of the
    shown métiers cites a ROME code that the imported ROME describes; else ""."""
    cited = select(MetierRome.code).join(Metier, Metier.pk == MetierRome.metier_pk).where(Metier.id.in_(metier_ids))
    if not session.execute(select(func.count()).select_from(RomeCodeRow).where(RomeCodeRow.code.in_(cited))).scalar():
        return ""
    version = session.execute(select(func.max(RomeCodeRow.version))).scalar()
    imported = session.execute(select(func.max(ImportLog.imported_at))
                               .where(ImportLog.format_name == "rome-csv")).scalar()
    when = f", données importées le {french_date(imported.date())}" if imported else ""
    return (f"Codes et métiers du ROME : France Travail, ROME{f' {version}' if version else ''}{when}, "
            "sous Licence Ouverte (Etalab)")
