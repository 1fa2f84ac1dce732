"""PostgreSQL: the window's first page of a typed text in fewer statements (first_page).

**Few matches, relevance order.** With at most ``RANKED_MAX`` matches every match is ranked
(:func:`db.catalogue.search_pg.search_by_relevance`): the statement that lists them to rank them
counts them too (:func:`db.catalogue.search_pg.ranked_first_page`), where the count listed them
once more before ("boulanger agricole" at 100,000 métiers: 216 matches, 2-3 ms and a round trip).

**One word that many fiches name.** A fiche whose name or labels hold the word matches the text
(the name is indexed text too), so when more than the count's cap of the shown fiches name it,
the count is "more than the cap" without counting the other matches. Those names are read
through the small index of the names (``search_title_tsv``), where counting every match listed
them all from the text's index and read one wide row each ("techn" at 100,000 métiers: 13,000
matches, 4,200 names; 10 ms):

- in relevance order, when more than ``RANKED_MAX`` fiches name the word, the page is the
  tiered one (:func:`db.catalogue.search_pg._tiered_pks`), whose first rows are those names,
  shortest first: one statement reads them, counts them up to ``RANKED_MAX`` + 1 and sorts
  them, instead of a count of every match then the same names sorted again;
- in another order (the name, the salary…), the names are counted up to the cap + 1, and the
  page is the one :func:`db.catalogue.search.search` gives for a count above the cap.

Anything else (several words among many matches, fewer names, descending relevance, no server
index) returns None: the caller counts and pages as before. Same count, same rows as that way
(tests/db/catalogue/test_search_pg_named.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, func, literal, select
from sqlalchemy.orm import Session

from db.catalogue import search_pg, search_pg_fast
from db.catalogue.search_types import Criteria, FirstPage
from db.models import Metier, table_of

if TYPE_CHECKING:
    from types import ModuleType

    from db.catalogue.search import TextQuery

_M = table_of(Metier)


def first_page(session: Session, criteria: Criteria, limit: int, cap: int, base: ModuleType) -> FirstPage | None:
    """:func:`db.catalogue.search.first_page` (``base``: that module) in fewer statements, where
    the module docstring says how; None elsewhere (the caller counts and pages as before).

    The planner's estimate of the matches chooses: few, the ranking counts them; many, the
    names are read (with fewer, the names could not be that many: reading them would be lost
    work). A wrong estimate costs time, never the result: each way checks its own count."""
    if not criteria.text or limit <= 0 or not search_pg.available(session):
        return None
    query = base.read_text(session, criteria.text)
    if query is None:
        return None
    params = base._params(session, criteria)
    ranked = base._sort(session, criteria) == "relevance"
    if ranked and criteria.descending:
        return None  # every match ranked whatever the count: nothing to spare
    expected = search_pg_fast.estimated_rows(session, base._filtered(session, criteria, [_M.c.pk]), params, criteria)
    if ranked and expected <= base.RANKED_MAX:
        return _few(session, criteria, query, limit, cap, base)
    if len(query.words) != 1 or expected <= cap or (ranked and cap > base.RANKED_MAX):
        return None
    title_any = search_pg._titled(f"({search_pg.tsquery(query.words[0])})")  # as _tiered_pks writes it
    conditions = and_(*base._conditions(session, criteria, base.PLAIN, skip_text=True), title_any)
    if ranked:
        return _ranked(session, conditions, params, limit, cap, base)
    named = select(literal(1)).select_from(_M).where(conditions).limit(cap + 1).subquery("named")
    # The names' index, not a walk of the table: its estimate of the names is often many.
    counted = search_pg_fast.through_indexes(session, select(func.count()).select_from(named), params)
    if counted[0][0] <= cap:
        return None
    # As first_page passes a count above the cap to search() (it chooses no plan from it here).
    known = cap + 1 if cap >= base.RANKED_MAX else None
    return FirstPage(cap + 1, base.search(session, criteria, limit=limit, total=known), False)


def _few(session: Session, criteria: Criteria, query: TextQuery, limit: int, cap: int,
         base: ModuleType) -> FirstPage | None:
    """Relevance order with at most ``RANKED_MAX`` matches: every match is ranked
    (:func:`db.catalogue.search_pg.search_by_relevance`), so the statement ranking them counts
    them too, instead of a count of the same matches first."""
    found = search_pg.ranked_first_page(session, criteria, query, limit, base.RANKED_MAX, base)
    if found is None:
        return None
    pks, total = found
    return FirstPage(min(total, cap + 1), search_pg_fast.rows(session, pks, base._ROW_COLUMNS), total <= cap)


def _ranked(session: Session, conditions: ColumnElement[bool], params: dict[str, str], limit: int, cap: int,
            base: ModuleType) -> FirstPage | None:
    """The relevance page of the module docstring: the names, shortest first, read, counted up
    to ``RANKED_MAX`` + 1 and sorted by one statement (the order of ``_tiered_pks`` for one word)."""
    named = (select(_M.c.pk.label("pk"), func.length(_M.c.name).label("name_length"), _M.c.sort_key.label("sort_key"))
             .where(conditions).cte("named").prefix_with("MATERIALIZED"))
    upto = select(literal(1)).select_from(named).limit(base.RANKED_MAX + 1).subquery("upto")
    page = (select(named.c.pk, select(func.count()).select_from(upto).scalar_subquery())
            .order_by(named.c.name_length, named.c.sort_key, named.c.pk).limit(limit))
    found = session.execute(page, params).all()
    if not found or found[0][1] <= base.RANKED_MAX:
        return None
    return FirstPage(cap + 1, search_pg_fast.rows(session, [row[0] for row in found], base._ROW_COLUMNS), False)
