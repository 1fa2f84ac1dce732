"""The catalogue as plain dictionaries: the whole of it (``orientation export``) and the rows
of a search (``orientation search --format json|csv``). Both name the same things the same way:
``source`` is the kind of source (``onisep``, ``projet``, ``rome``…, what an import reads back)
and ``source_libelle`` the words shown to people ("Onisep", "Fiche du projet").

Lists are loaded with one query per list table, not one per métier, so exporting thousands
of fiches stays fast.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.catalogue.fiche_facts import grouped_lists
from db.catalogue.format import source_label
from db.catalogue.search_types import MetierRow
from db.models import (FormationRow, InterestRow, LevelRow, Metier, MetierFormation, MetierInterest,
                       MetierRome, MetierSector, MetierStatut, SectorRow, StatutRow)

EXPORT_FIELDS = ("id", "source", "source_libelle", "nom", "libelle_feminin", "libelle_masculin", "codes_rome",
                 "codes_rome_anciens", "niveau", "bac_plus", "salaire_min", "salaire_max", "salaire_texte",
                 "secteurs", "centres_interet", "statuts", "formations", "riasec", "pays", "source_fichier",
                 "importe_le")


def export_catalogue(session: Session) -> list[dict[str, object]]:
    """Every métier, sorted by name, with the fields listed in :data:`EXPORT_FIELDS`."""
    rome = grouped_lists(session, select(MetierRome.metier_pk, MetierRome.code, MetierRome.is_legacy)
                    .order_by(MetierRome.metier_pk, MetierRome.position))
    sectors = grouped_lists(session, select(MetierSector.metier_pk, SectorRow.label)
                       .join(SectorRow, SectorRow.id == MetierSector.sector_id)
                       .where(MetierSector.is_derived.is_(False))
                       .order_by(MetierSector.metier_pk, MetierSector.position))
    interests = grouped_lists(session, select(MetierInterest.metier_pk, InterestRow.label)
                         .join(InterestRow, InterestRow.id == MetierInterest.interest_id)
                         .order_by(MetierInterest.metier_pk, MetierInterest.position))
    statuts = grouped_lists(session, select(MetierStatut.metier_pk, StatutRow.label)
                       .join(StatutRow, StatutRow.id == MetierStatut.statut_id)
                       .order_by(MetierStatut.metier_pk, MetierStatut.position))
    formations = grouped_lists(session, select(MetierFormation.metier_pk, FormationRow.label)
                          .join(FormationRow, FormationRow.id == MetierFormation.formation_id)
                          .order_by(MetierFormation.metier_pk, MetierFormation.position))
    query = (select(Metier, LevelRow.label).outerjoin(LevelRow, LevelRow.code == Metier.level_code)
             .order_by(Metier.sort_key, Metier.pk))
    rows: list[dict[str, object]] = []
    for metier, level_label in session.execute(query):
        codes = rome.get(metier.pk, [])
        rows.append({
            "id": metier.id, "source": metier.source_kind, "source_libelle": source_label(metier.source_kind),
            "nom": metier.name,
            "libelle_feminin": metier.label_f, "libelle_masculin": metier.label_m,
            "codes_rome": [c for c, legacy in codes if not legacy],
            "codes_rome_anciens": [c for c, legacy in codes if legacy],
            "niveau": level_label or metier.level_text, "bac_plus": metier.bac_plus,
            "salaire_min": metier.salary_min, "salaire_max": metier.salary_max,
            "salaire_texte": metier.salary_text,
            "secteurs": sectors.get(metier.pk, []), "centres_interet": interests.get(metier.pk, []),
            "statuts": statuts.get(metier.pk, []), "formations": formations.get(metier.pk, []),
            "riasec": metier.riasec, "pays": metier.country, "source_fichier": metier.source_file,
            "importe_le": metier.imported_at.isoformat(timespec="seconds"),
        })
    return rows


SEARCH_FIELDS = ("id", "nom", "niveau", "bac_plus", "salaire_min", "salaire_max", "salaire_annee", "secteur", "source",
                 "source_libelle", "pays")


def search_record(row: MetierRow) -> dict[str, object]:
    """One search result as a plain dictionary (JSON and CSV of ``orientation search``)."""
    return {"id": row.id, "nom": row.name, "libelle_feminin": row.label_f, "libelle_masculin": row.label_m,
            "niveau": row.level_label, "bac_plus": row.bac_plus, "salaire_min": row.salary_min,
            "salaire_max": row.salary_max, "salaire_annee": row.salary_year, "secteur": row.sector_label,
            "source": row.source_kind, "source_libelle": source_label(row.source_kind), "pays": row.country}
