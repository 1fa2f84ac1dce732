"""Turn what a person types (labels, level names) into search :class:`~db.catalogue.search.Criteria`.

Used by the command line (:class:`SearchRequest` holds what was typed; no argparse here); the
GUI picks ids from lists and builds Criteria directly.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import InterestRow, SectorRow, StatutRow
from db.catalogue.nomenclature import level_ceiling, unknown_level_message
from db.catalogue.search import Criteria
from db.catalogue.search_text import STOP_WORDS
from db.text import fold, words

# "auto": relevance when there is text, name otherwise (the default).
_SORTS = {"auto": "auto", "nom": "name", "salaire": "salary", "niveau": "level", "pertinence": "relevance"}


def resolve_level(text: str) -> int:
    """The highest ``bac_plus`` a maximum level typed by a person keeps ("bac + 2", "BTSA",
    "licence", "niveau 6" → 4, "doctorat" → 9: see :func:`level_ceiling`), or UserError."""
    ceiling = level_ceiling(text)
    if ceiling is None:
        raise UserError(unknown_level_message(text))
    return ceiling


def resolve_ids(session: Session, model: type[InterestRow] | type[SectorRow] | type[StatutRow], values: list[str],
                what: str) -> tuple[str, ...]:
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
            raise UserError(_unknown(what, value, [label for _, label in rows]))
        if len(found) > 1 and not exact:  # every one it may be (five were said, of a dozen)
            names = [f"« {label} »" for ident, label in rows if ident in found]
            more = f" et {len(names) - MAX_SAID} autres" if len(names) > MAX_SAID else ""
            raise UserError(f"{what} ambigu : « {value} » peut désigner {', '.join(names[:MAX_SAID])}{more} : "
                            "précisez")
        result.append(found[0])
    return tuple(result)


MAX_SAID = 12  # labels named in one sentence
_NEAR_CUTOFF = 75


def _unknown(what: str, value: str, labels: list[str]) -> str:
    """The sentence for a value that matches no label: the labels holding its words
    (« aime les animaux » → « je veux m'occuper d'animaux »), else those nearest in spelling
    (« santee » → « Santé »), else every label there is, so that the next try can be right."""
    near = _holding_its_words(value, labels) or _spelled_near(value, labels)
    if near:
        said = " ou ".join(f"« {label} »" for label in near)
        return f"{what} inconnu : « {value} » ; vouliez-vous dire {said} ?"
    known = " ; ".join(f"« {label} »" for label in sorted(set(labels), key=fold))
    return f"{what} inconnu : « {value} » (au choix : {known})"


def _holding_its_words(value: str, labels: list[str]) -> list[str]:
    """At most three labels holding every word of ``value`` that says something (not « aime »,
    « les »), each as a word or a word's beginning of 4 letters or more."""
    wanted = [w for w in words(value) if w not in STOP_WORDS and len(w) >= 3]
    if not wanted:
        return []
    found = [label for label in labels
             if all(any(w == v or (len(v) >= 4 and w.startswith(v)) for w in words(label)) for v in wanted)]
    return found[:3]


def _spelled_near(value: str, labels: list[str]) -> list[str]:
    """At most three labels within a typo or two of ``value``."""
    from rapidfuzz import fuzz, process

    folded = {fold(label): label for label in labels}
    near = process.extract(fold(value).strip(), list(folded), scorer=fuzz.ratio, limit=3, score_cutoff=_NEAR_CUTOFF)
    return [folded[key] for key, _, _ in near]


@dataclass(frozen=True)
class SearchRequest:
    """A search as a person types it: words, a level name, labels or ids (French names as in
    ``orientation search``). :func:`criteria_from_request` resolves it into :class:`Criteria`."""

    texte: str = ""
    niveau_max: str | None = None
    salaire_min: int | None = None
    avec_salaire_inconnu: bool = False
    secteurs: tuple[str, ...] = ()
    interets: tuple[str, ...] = ()
    tous_les_interets: bool = False
    statuts: tuple[str, ...] = ()
    pays: tuple[str, ...] = ()
    tri: str = "auto"  # auto | nom | salaire | niveau | pertinence
    decroissant: bool = False


def criteria_from_request(session: Session, request: SearchRequest) -> Criteria:
    """Criteria for ``request``; UserError (French) naming any value that matches nothing."""
    if request.salaire_min is not None and request.salaire_min < 0:
        raise UserError("le salaire minimum doit être un nombre positif")
    if request.tri not in _SORTS:
        raise UserError(f"tri inconnu « {request.tri} » (au choix : {', '.join(_SORTS)})")
    return Criteria(
        text=request.texte or "",
        max_bac_plus=resolve_level(request.niveau_max) if request.niveau_max else None,
        min_salary=request.salaire_min,
        include_no_salary=request.avec_salaire_inconnu,
        sectors=resolve_ids(session, SectorRow, list(request.secteurs), "secteur"),
        interests=resolve_ids(session, InterestRow, list(request.interets), "centre d'intérêt"),
        interests_mode="all" if request.tous_les_interets else "any",
        statuts=resolve_ids(session, StatutRow, list(request.statuts), "statut"),
        countries=tuple(p.strip().upper() for p in request.pays),
        sort=_SORTS[request.tri],
        descending=request.decroissant,
    )
