"""One métier fiche with every field, as plain values, for reading it aloud (GUI fiche view).

:func:`get_fiche` loads everything a fiche states in a handful of queries and returns a
:class:`FicheDetail` that holds no ORM object, so it can be built in one thread and shown in
another, and stays valid after its session is closed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.catalogue.credits import metier_attribution
from db.catalogue.format import salary_origin, salary_sentence, source_label
from db.models import (FormationRow, InterestRow, LevelRow, Metier, MetierFormation, MetierInterest,
                       MetierRelated, MetierRome, MetierSection, MetierSector, MetierStatut, MetierSynonym,
                       SectorRow, StatutRow, table_of)
from db.catalogue.nomenclature import describe_level
from db.catalogue.rome import rome_labels
from db.catalogue.routes import formation_lines

_M = table_of(Metier)


@dataclass(frozen=True)
class FicheSection:
    """A block of description text ("Présentation", "Nature du travail"…)."""

    key: str
    title: str
    text: str


@dataclass(frozen=True)
class RomeCodeInfo:
    """A ROME code the fiche cites, with France Travail's official label when it is known."""

    code: str
    label: str | None
    legacy: bool = False


@dataclass(frozen=True)
class RelatedMetier:
    """A métier the fiche points to. ``in_catalogue`` says whether ``id`` can be opened here."""

    id: str | None
    label: str
    in_catalogue: bool


@dataclass
class FicheDetail:
    """Every field of one fiche, written out where a counselor reads it.

    ``level`` is the level written out ("bac + 2", "non précisé"); ``level_text`` is how the
    source wrote it. ``salary_line`` is "à partir de 1 850 € brut par mois" (or "non précisé")
    and ``salary_origin`` says where and when the figure comes from ("Onisep, 2025").
    ``source`` is the producer ("Onisep", "Fiche du projet"…), ``attribution`` the line the
    licence asks for where the content is shown.
    """

    pk: int
    id: str
    name: str
    label_f: str | None
    label_m: str | None
    synonyms: list[str]
    summary: str | None
    sections: list[FicheSection]
    level: str
    level_text: str | None
    bac_plus: int | None
    formations: list[str]
    salary_line: str
    salary_origin: str
    salary_min: int | None
    salary_max: int | None
    salary_text: str | None
    salary_scope: str | None
    salary_career_min: int | None
    salary_career_max: int | None
    salary_year: int | None
    salary_source_date: str | None
    salary_country: str | None
    sectors: list[str]  # the fiche's own sectors, then those derived from its ROME codes
    interests: list[str]
    statuts: list[str]
    rome_codes: list[RomeCodeInfo]
    related: list[RelatedMetier]
    riasec: str | None
    country: str
    source_kind: str
    source: str
    attribution: str
    source_file: str | None
    source_date: str | None
    licence: str | None
    imported_at: datetime
    same_as: str | None
    superseded_by: str | None
    career_line: str | None = field(default=None)
    provenance: list[str] = field(default_factory=list)  # facts taken from elsewhere, one sentence each
    # "CAP cuisine (CAP, 2 ans après la 3e)": each formation with its type, length and entry point
    formation_lines: list[str] = field(default_factory=list)
    # the sectors of ``sectors`` derived from the ROME codes (the bilan leaves them out)
    derived_sectors: list[str] = field(default_factory=list)


def get_fiche(session: Session, metier_id: str) -> FicheDetail | None:
    """The fiche whose public id is ``metier_id`` ("MET.12", "ORI.macon"), or None if absent."""
    query = (select(Metier, LevelRow.label).outerjoin(LevelRow, LevelRow.code == Metier.level_code)
             .where(Metier.id == metier_id))
    found = session.execute(query).first()
    if found is None:
        return None
    metier, level_label = found
    pk = metier.pk
    stated, derived = _sector_labels(session, pk)
    codes = _rome_codes(session, pk)
    career = None
    if metier.salary_career_min is not None or metier.salary_career_max is not None:
        career = salary_sentence(metier.salary_career_min, metier.salary_career_max, metier.salary_year,
                                 metier.salary_country or metier.country)
    return FicheDetail(
        pk=pk, id=metier.id, name=metier.name, label_f=metier.label_f, label_m=metier.label_m,
        synonyms=_synonyms(session, pk), summary=metier.summary, sections=_sections(session, pk),
        level=describe_level(metier.bac_plus, level_label or metier.level_text),
        level_text=metier.level_text, bac_plus=metier.bac_plus, formations=_formations(session, pk),
        salary_line=salary_sentence(metier.salary_min, metier.salary_max, metier.salary_year,
                                    metier.salary_country or metier.country),
        salary_origin=salary_origin(metier.source_kind, metier.salary_year, metier.salary_source_date),
        salary_min=metier.salary_min, salary_max=metier.salary_max, salary_text=metier.salary_text,
        salary_scope=metier.salary_scope, salary_career_min=metier.salary_career_min,
        salary_career_max=metier.salary_career_max, salary_year=metier.salary_year,
        salary_source_date=metier.salary_source_date, salary_country=metier.salary_country,
        sectors=stated + derived, derived_sectors=derived, interests=_interest_labels(session, pk),
        statuts=_statut_labels(session, pk), rome_codes=codes, related=_related(session, pk),
        riasec=metier.riasec, country=metier.country, source_kind=metier.source_kind,
        source=source_label(metier.source_kind), attribution=metier_attribution(metier.source_kind),
        source_file=metier.source_file, source_date=metier.source_date, licence=metier.licence,
        imported_at=metier.imported_at, same_as=metier.same_as, superseded_by=metier.superseded_by,
        career_line=career, provenance=_provenance(session, metier.inherited),
        formation_lines=formation_lines(session, pk),
    )


# The two ONISEP exports share their fiche ids: say which one a kept fact came from.
_EXPORT_NAMES = {"onisep-xml": "Onisep, export Idéo XML", "onisep-md": "Onisep, fiches Markdown",
                 "onisep-json": "Onisep, export JSON"}


def _provenance(session: Session, inherited: str | None) -> list[str]:
    """One French sentence per fact this fiche holds from elsewhere (see :mod:`db.catalogue.merge`).

    "Secteurs : d'après la fiche « maçon/ne » (Fiche du projet)." — the twin it came from;
    "Secteurs : d'après les autres fiches du code ROME F1703."; "Formations : d'après
    l'import précédent de cette fiche (Onisep, export Idéo XML)." — kept from another export.
    """
    from db.catalogue.merge import CARRIED_PREFIX, FIELD_LABELS, INFERRED_PREFIX, inherited_fields

    lines = []
    for field_name, origin in sorted(inherited_fields(inherited).items()):
        label = FIELD_LABELS.get(field_name, field_name)
        label = label[:1].upper() + label[1:]
        if origin.startswith(INFERRED_PREFIX):
            code = origin[len(INFERRED_PREFIX):]
            lines.append(f"{label} : d'après les autres fiches du code ROME {code}.")
        elif origin.startswith(CARRIED_PREFIX):
            kind = origin[len(CARRIED_PREFIX):]
            export = _EXPORT_NAMES.get(kind, source_label(kind))
            lines.append(f"{label} : d'après l'import précédent de cette fiche ({export}).")
        else:
            twin = session.execute(select(Metier.name, Metier.source_kind).where(Metier.id == origin)).first()
            if twin is None:
                continue
            lines.append(f"{label} : d'après la fiche « {twin.name} » ({source_label(twin.source_kind)}).")
    return lines


def _synonyms(session: Session, pk: int) -> list[str]:
    query = select(MetierSynonym.name).where(MetierSynonym.metier_pk == pk).order_by(MetierSynonym.position)
    return list(session.execute(query).scalars())


def _sections(session: Session, pk: int) -> list[FicheSection]:
    query = (select(MetierSection.key, MetierSection.title, MetierSection.text)
             .where(MetierSection.metier_pk == pk).order_by(MetierSection.position))
    return [FicheSection(*row) for row in session.execute(query)]


def _formations(session: Session, pk: int) -> list[str]:
    query = (select(FormationRow.label).join(MetierFormation, MetierFormation.formation_id == FormationRow.id)
             .where(MetierFormation.metier_pk == pk).order_by(MetierFormation.position))
    return list(session.execute(query).scalars())


def _sector_labels(session: Session, pk: int) -> tuple[list[str], list[str]]:
    # Stated sectors first, then the ROME grand domaine derived from the codes (not already stated).
    query = (select(SectorRow.label, MetierSector.is_derived).join(MetierSector, MetierSector.sector_id == SectorRow.id)
             .where(MetierSector.metier_pk == pk).order_by(MetierSector.is_derived, MetierSector.position))
    stated: dict[str, None] = {}
    derived: dict[str, None] = {}
    for label, is_derived in session.execute(query):
        if label not in stated:
            (derived if is_derived else stated).setdefault(label, None)
    return list(stated), list(derived)


def _interest_labels(session: Session, pk: int) -> list[str]:
    query = (select(InterestRow.label).join(MetierInterest, MetierInterest.interest_id == InterestRow.id)
             .where(MetierInterest.metier_pk == pk).order_by(MetierInterest.position))
    return list(session.execute(query).scalars())


def _statut_labels(session: Session, pk: int) -> list[str]:
    query = (select(StatutRow.label).join(MetierStatut, MetierStatut.statut_id == StatutRow.id)
             .where(MetierStatut.metier_pk == pk).order_by(MetierStatut.position))
    return list(session.execute(query).scalars())


def _rome_codes(session: Session, pk: int) -> list[RomeCodeInfo]:
    query = (select(MetierRome.code, MetierRome.is_legacy).where(MetierRome.metier_pk == pk)
             .order_by(MetierRome.is_legacy, MetierRome.position))
    rows = session.execute(query).all()
    labels = rome_labels(session, [code for code, legacy in rows if not legacy])
    return [RomeCodeInfo(code, None if legacy else labels.get(code), bool(legacy)) for code, legacy in rows]


def _related(session: Session, pk: int) -> list[RelatedMetier]:
    query = (select(MetierRelated.related_id, MetierRelated.label).where(MetierRelated.metier_pk == pk)
             .order_by(MetierRelated.position))
    rows = session.execute(query).all()
    ids = [rid for rid, _ in rows if rid]
    present = set(session.execute(select(_M.c.id).where(_M.c.id.in_(ids))).scalars()) if ids else set()
    return [RelatedMetier(rid, label, rid in present) for rid, label in rows]
