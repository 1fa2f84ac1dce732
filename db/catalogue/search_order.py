"""A page of métiers in salary or level order, read on SQLite as two index walks (see
:func:`nulls_apart`). Qt-free; the SQL is portable but only SQLite's search uses it (PostgreSQL
has partial indexes for these orders, migration 0013)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, literal_column, select, union_all

from db.models import AnySelect


def nulls_apart(page: AnySelect, key: ColumnElement[Any], name: ColumnElement[Any], pk: ColumnElement[Any],
                descending: bool, limit: int, offset: int) -> AnySelect:
    """The pks of one page of ``page`` (a SELECT of pks) in the order "``key`` known first, by
    ``key`` (``descending`` or not), then by ``name`` and ``pk``" — the fiches without a figure
    last, in name order — as two walks: those with a figure in ``key``'s order, then those
    without in name order, at most ``offset + limit`` each.

    Why: SQLite cannot walk an index for ``key IS NULL, key, name``; it sorted every match (60 ms
    for 100k fiches in salary order, 1 ms as two walks of ix_metiers_live_salary)."""
    ends = offset + limit
    value = key.desc() if descending else key
    known = (page.add_columns(literal_column("0").label("g"), key.label("v"), name.label("k"))
             .where(key.is_not(None)).order_by(value, name, pk).limit(ends))
    unknown = (page.add_columns(literal_column("1").label("g"), key.label("v"), name.label("k"))
               .where(key.is_(None)).order_by(name, pk).limit(ends))
    pages = union_all(select(known.subquery()), select(unknown.subquery())).subquery("pages")
    order = pages.c.v.desc() if descending else pages.c.v
    return select(pages.c.pk).order_by(pages.c.g, order, pages.c.k, pages.c.pk).limit(limit).offset(offset)
