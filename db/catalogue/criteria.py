"""Turn what a person types (labels, level names) into search :class:`~db.catalogue.search.Criteria`.

Used by the command line; the GUI picks ids from lists and builds Criteria directly.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import InterestRow, SectorRow, StatutRow
from db.catalogue.nomenclature import LEVEL_CHOICES, parse_level
from db.catalogue.search import Criteria
from db.text import fold

_SORTS = {"nom": "name", "salaire": "salary", "niveau": "level", "pertinence": "relevance"}


def resolve_level(text: str) -> int:
    """``bac_plus`` of a level typed by a person ("bac + 2", "CAP", "licence"), or UserError."""
    level = parse_level(text)
    if level is None:
        choices = ", ".join(f"« {lv.label} »" for lv in LEVEL_CHOICES)
        raise UserError(f"niveau d'études inconnu « {text} » (exemples : {choices})")
    return level.bac_plus


def resolve_ids(session: Session, model: type, values: list[str], what: str) -> tuple[str, ...]:
    """Ids for ``values`` given as ids or labels (accents and case ignored; a unique partial
    label match is accepted). Raises UserError naming the value that matches nothing or too much."""
    table = model.__table__
    rows = [(ident, label) for ident, label in session.execute(select(table.c.id, table.c.label))]
    result: list[str] = []
    for value in values:
        wanted = fold(value).strip()
        exact = [ident for ident, label in rows if ident == value or fold(label) == wanted]
        partial = [ident for ident, label in rows if wanted and wanted in fold(label)]
        found = exact or partial
        if not found:
            raise UserError(f"{what} inconnu : « {value} »")
        if len(found) > 1 and not exact:
            names = ", ".join(f"« {label} »" for ident, label in rows if ident in found[:5])
            raise UserError(f"{what} ambigu : « {value} » peut désigner {names}")
        result.append(found[0])
    return tuple(result)


def criteria_from_args(session: Session, args: Any) -> Criteria:
    """Criteria from the ``orientation search`` options."""
    if args.salaire_min is not None and args.salaire_min < 0:
        raise UserError("le salaire minimum doit être un nombre positif")
    return Criteria(
        text=args.texte or "",
        max_bac_plus=resolve_level(args.niveau_max) if args.niveau_max else None,
        min_salary=args.salaire_min,
        include_no_salary=args.avec_salaire_inconnu,
        sectors=resolve_ids(session, SectorRow, args.secteur, "secteur"),
        interests=resolve_ids(session, InterestRow, args.interet, "centre d'intérêt"),
        interests_mode="all" if args.tous_les_interets else "any",
        statuts=resolve_ids(session, StatutRow, args.statut, "statut"),
        countries=tuple(p.strip().upper() for p in args.pays),
        sort=_SORTS[args.tri],
        descending=args.decroissant,
    )
