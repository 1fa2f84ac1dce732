"""The catalogue as plain dictionaries: the whole of it (``orientation export``) and the rows
of a search (``orientation search --format json|csv``). Both name the same things the same way:
``source`` is the kind of source (``onisep``, ``projet``, ``rome``…, what an import reads back)
and ``source_libelle`` the words shown to people ("Onisep", "Fiche du projet"); ``attribution`` is
the credit line the source's licence asks for wherever the row is shown again.

Lists are loaded with one query per list table for each chunk of métiers, not one per métier,
so exporting thousands of fiches stays fast, and memory stays flat (:func:`iter_catalogue`).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.catalogue.fiche_facts import grouped_lists
from db.catalogue.credits import metier_attribution
from db.catalogue.format import source_label
from db.catalogue.search_types import MetierRow
from db.models import (AnySelect, FormationRow, InterestRow, LevelRow, Metier, MetierFormation, MetierInterest,
                       MetierRome, MetierSector, MetierStatut, SectorRow, StatutRow, table_of)

EXPORT_FIELDS = ("id", "source", "source_libelle", "attribution", "nom", "libelle_feminin", "libelle_masculin",
                 "codes_rome", "codes_rome_anciens", "niveau", "bac_plus", "salaire_min", "salaire_max",
                 "salaire_texte", "secteurs", "centres_interet", "statuts", "formations", "formations_ids", "riasec",
                 "pays", "source_fichier", "importe_le")


EXPORT_CHUNK = 2_000  # métiers read at a time: memory stays flat whatever the catalogue's size


def export_catalogue(session: Session) -> list[dict[str, object]]:
    """Every métier, sorted by name, with the fields listed in :data:`EXPORT_FIELDS`."""
    return list(iter_catalogue(session))


def iter_catalogue(session: Session) -> Iterator[dict[str, object]]:
    """:func:`export_catalogue` one record at a time, read :data:`EXPORT_CHUNK` métiers at a time."""
    order = select(Metier.pk).order_by(Metier.sort_key, Metier.pk)
    pks = list(session.execute(order).scalars())
    for start in range(0, len(pks), EXPORT_CHUNK):
        yield from _records(session, pks[start:start + EXPORT_CHUNK])


def _records(session: Session, pks: list[int]) -> Iterator[dict[str, object]]:
    """The export records of ``pks``, in that order."""
    def lists(query: AnySelect, pk_column: Any) -> dict[int, list[Any]]:
        return grouped_lists(session, query.where(pk_column.in_(pks)))

    rome = lists(select(MetierRome.metier_pk, MetierRome.code, MetierRome.is_legacy)
                 .order_by(MetierRome.metier_pk, MetierRome.position), MetierRome.metier_pk)
    sectors = lists(select(MetierSector.metier_pk, SectorRow.label)
                    .join(SectorRow, SectorRow.id == MetierSector.sector_id)
                    .where(MetierSector.is_derived.is_(False))
                    .order_by(MetierSector.metier_pk, MetierSector.position), MetierSector.metier_pk)
    interests = lists(select(MetierInterest.metier_pk, InterestRow.label)
                      .join(InterestRow, InterestRow.id == MetierInterest.interest_id)
                      .order_by(MetierInterest.metier_pk, MetierInterest.position), MetierInterest.metier_pk)
    statuts = lists(select(MetierStatut.metier_pk, StatutRow.label)
                    .join(StatutRow, StatutRow.id == MetierStatut.statut_id)
                    .order_by(MetierStatut.metier_pk, MetierStatut.position), MetierStatut.metier_pk)
    formations = lists(select(MetierFormation.metier_pk, FormationRow.label, FormationRow.id)
                       .join(FormationRow, FormationRow.id == MetierFormation.formation_id)
                       .order_by(MetierFormation.metier_pk, MetierFormation.position), MetierFormation.metier_pk)
    m = table_of(Metier)
    query = (select(m.c.pk, m.c.id, m.c.source_kind, m.c.name, m.c.label_f, m.c.label_m, m.c.bac_plus,
                    m.c.level_text, LevelRow.label, m.c.salary_min, m.c.salary_max, m.c.salary_text, m.c.riasec,
                    m.c.country, m.c.source_file, m.c.imported_at)
             .outerjoin(LevelRow, LevelRow.code == m.c.level_code).where(m.c.pk.in_(pks)))
    found = {row.pk: row for row in session.execute(query)}
    for pk in pks:
        metier = found[pk]
        codes = rome.get(pk, [])
        yield {
            "id": metier.id, "source": metier.source_kind, "source_libelle": source_label(metier.source_kind),
            "attribution": metier_attribution(metier.source_kind),  # the words the source's licence asks for
            "nom": metier.name,
            "libelle_feminin": metier.label_f, "libelle_masculin": metier.label_m,
            "codes_rome": [c for c, legacy in codes if not legacy],
            "codes_rome_anciens": [c for c, legacy in codes if legacy],
            "niveau": metier.label or metier.level_text, "bac_plus": metier.bac_plus,
            "salaire_min": metier.salary_min, "salaire_max": metier.salary_max,
            "salaire_texte": metier.salary_text,
            "secteurs": sectors.get(pk, []), "centres_interet": interests.get(pk, []),
            "statuts": statuts.get(pk, []),
            # labels as before, and each one's id in the same order (FOR.n for ONISEP, F.<slug> else)
            "formations": [label for label, _ in formations.get(pk, [])],
            "formations_ids": [fid for _, fid in formations.get(pk, [])],
            "riasec": metier.riasec, "pays": metier.country, "source_fichier": metier.source_file,
            "importe_le": metier.imported_at.isoformat(timespec="seconds"),
        }


SEARCH_FIELDS = ("id", "nom", "niveau", "bac_plus", "salaire_min", "salaire_max", "salaire_annee", "secteur", "source",
                 "source_libelle", "attribution", "pays")


def search_record(row: MetierRow) -> dict[str, object]:
    """One search result as a plain dictionary (JSON and CSV of ``orientation search``)."""
    return {"id": row.id, "nom": row.name, "libelle_feminin": row.label_f, "libelle_masculin": row.label_m,
            "niveau": row.level_label, "bac_plus": row.bac_plus, "salaire_min": row.salary_min,
            "salaire_max": row.salary_max, "salaire_annee": row.salary_year, "secteur": row.sector_label,
            "source": row.source_kind, "source_libelle": source_label(row.source_kind),
            "attribution": metier_attribution(row.source_kind), "pays": row.country}
