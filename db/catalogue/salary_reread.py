"""Salaries read again from the wording each fiche kept, by the current rules of
:func:`db.catalogue.importers.salary.parse_salary` (migration 0018).

A base imported before a reading rule changed keeps the old figures until its files are imported
again, and no counselor knows to do that: « 75 à 150 euros par représentation » stayed a salary
of 150 € a month on a family's bilan. Only fiches whose figures were read from a wording are read
again (ONISEP, CIDJ, Belgian guide: the project's own fiches state numbers), each as its importer
read it (same date, country and starting scope); a fiche's salary taken from its hidden twin is
taken again afterwards (:func:`db.catalogue.merge.complete_fiches`).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from db.catalogue.importers.salary import parse_salary
from db.catalogue.merge import complete_fiches, inherited_fields
from db.models import Metier, table_of

_M = table_of(Metier)
# The scope each importer passes to parse_salary (what figures mean when the text does not say).
_SCOPE_READ = {"onisep-md": "debutant", "onisep-xml": "debutant", "onisep-json": "debutant",
               "cidj": "inconnu", "be-guide": "inconnu"}
_COLUMNS = ("salary_min", "salary_max", "salary_scope", "salary_career_min", "salary_career_max")


def reread_salaries(conn: Connection) -> list[str]:
    """Read every worded salary again (see the module docstring); returns the ids of the fiches
    whose figures changed, in id order. Their twins' copies follow."""
    query = (select(_M.c.pk, _M.c.id, _M.c.source_kind, _M.c.inherited, _M.c.salary_text,
                    _M.c.salary_source_date, _M.c.salary_country, *(_M.c[c] for c in _COLUMNS))
             .where(_M.c.source_kind.in_(sorted(_SCOPE_READ)), _M.c.salary_text.is_not(None))
             .order_by(_M.c.id))
    changes: list[dict[str, Any]] = []
    ids: list[str] = []
    for row in conn.execute(query).mappings():
        if "salaire" in inherited_fields(row["inherited"]):
            continue  # its twin's wording: read with the twin, copied again below
        salary = parse_salary(row["salary_text"], row["salary_source_date"], row["salary_country"] or "FR",
                              scope=_SCOPE_READ[row["source_kind"]])
        now = (salary.min_eur, salary.max_eur, salary.scope, salary.career_min_eur, salary.career_max_eur)
        if now != tuple(row[c] for c in _COLUMNS):
            changes.append({"b_pk": row["pk"], **dict(zip(_COLUMNS, now, strict=True))})
            ids.append(row["id"])
    if changes:
        conn.execute(update(_M).where(_M.c.pk == bindparam("b_pk")).values({c: bindparam(c) for c in _COLUMNS}),
                     changes)
        complete_fiches(conn, ids)  # a shown fiche holding a twin's old figures takes the new ones
    return ids
