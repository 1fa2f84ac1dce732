"""Facts about a few métiers by stable id, loaded in bulk: what the comparison and the report show.

One query per list, not per métier. Only plain values leave this module.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (AnySelect, FormationRow, InterestRow, LevelRow, Metier, MetierFormation, MetierInterest,
                       MetierSector, MetierStatut, SectorRow, StatutRow)


@dataclass
class MetierFacts:
    """What a student compares and reads about one métier."""

    id: str
    name: str
    label_f: str
    label_m: str
    summary: str
    level_label: str | None
    bac_plus: int | None
    salary_min: int | None
    salary_max: int | None
    salary_year: int | None
    salary_source_date: str | None
    source_kind: str
    source_date: str | None
    sectors: list[str] = field(default_factory=list)
    interest_ids: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    statuts: list[str] = field(default_factory=list)
    formations: list[str] = field(default_factory=list)
    salary_country: str = "FR"  # whose minimum wage the salary figures compare with


def load_facts(session: Session, ids: list[str]) -> dict[str, MetierFacts]:
    """Facts for the métiers among ``ids`` that are in the catalogue (missing ids are absent)."""
    if not ids:
        return {}
    rows = session.execute(select(Metier, LevelRow.label).outerjoin(LevelRow, LevelRow.code == Metier.level_code)
                           .where(Metier.id.in_(ids))).all()
    pks = [m.pk for m, _ in rows]
    sectors = grouped_lists(session, select(MetierSector.metier_pk, SectorRow.label)
                       .join(SectorRow, SectorRow.id == MetierSector.sector_id)
                       .where(MetierSector.metier_pk.in_(pks), MetierSector.is_derived.is_(False))
                       .order_by(MetierSector.metier_pk, MetierSector.position))
    interests = grouped_lists(session, select(MetierInterest.metier_pk, InterestRow.id, InterestRow.label)
                         .join(InterestRow, InterestRow.id == MetierInterest.interest_id)
                         .where(MetierInterest.metier_pk.in_(pks))
                         .order_by(MetierInterest.metier_pk, MetierInterest.position))
    statuts = grouped_lists(session, select(MetierStatut.metier_pk, StatutRow.label)
                       .join(StatutRow, StatutRow.id == MetierStatut.statut_id)
                       .where(MetierStatut.metier_pk.in_(pks)).order_by(MetierStatut.metier_pk, MetierStatut.position))
    formations = grouped_lists(session, select(MetierFormation.metier_pk, FormationRow.label)
                          .join(FormationRow, FormationRow.id == MetierFormation.formation_id)
                          .where(MetierFormation.metier_pk.in_(pks))
                          .order_by(MetierFormation.metier_pk, MetierFormation.position))
    result: dict[str, MetierFacts] = {}
    for metier, level in rows:
        result[metier.id] = MetierFacts(
            metier.id, metier.name, metier.label_f or metier.name, metier.label_m or metier.name,
            metier.summary or "", level or metier.level_text, metier.bac_plus, metier.salary_min, metier.salary_max,
            metier.salary_year, metier.salary_source_date, metier.source_kind, metier.source_date,
            sectors=sectors.get(metier.pk, []), interest_ids=[i for i, _ in interests.get(metier.pk, [])],
            interests=[label for _, label in interests.get(metier.pk, [])], statuts=statuts.get(metier.pk, []),
            formations=formations.get(metier.pk, []), salary_country=metier.salary_country or metier.country)
    return result


def grouped_lists(session: Session, query: AnySelect) -> dict[int, list[Any]]:
    """pk → list of values (or tuples) from a query whose first column is the métier pk."""
    found: dict[int, list[Any]] = defaultdict(list)
    for pk, *values in session.execute(query):
        found[pk].append(values[0] if len(values) == 1 else tuple(values))
    return found
