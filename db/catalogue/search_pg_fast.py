"""PostgreSQL search, the parts that only make it cheaper: fewer statements per search, better
plans. Same results as without them (the parity tests of ``tests/db/test_two_engines.py`` and
``tests/db/catalogue`` run on PostgreSQL check it); :mod:`db.catalogue.search_pg` holds the search
itself.

- Lists asked "all of them" (interests): the lists are joined to one another first, on their
  ``(id, metier_pk)`` indexes read in pk order (a merge join), and only the few fiches in all of
  them are looked up. Written as one ``pk IN (…)`` per list, PostgreSQL read every fiche of the
  catalogue to hash-join it with each list: 60-200 ms at 100,000 métiers, 5-20 ms this way.
- The window's first page without text: the count and the page in one statement (the count a
  scalar subquery of the page's), one round trip instead of two.
- What a typed text is read into (typo corrections, how many words a fiche must match) depends
  on the text and the catalogue only: it is kept per catalogue version (the ``search_version``
  counter, bumped by a trigger at every write to ``metiers``), so the next search of the same
  text, in any session, asks nothing but that version; so is the planner's estimate of its
  matches that chooses how to count them (:func:`estimated_rows`).
- Table scans ruled out for one statement (:func:`through_indexes`) are allowed again by that
  statement itself, and ruled out by the statement before it where there is one.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import (ARRAY, ColumnElement, Integer, String, Table, any_, bindparam, cast, func, literal_column,
                        select, text, true)
from sqlalchemy.orm import Session

from db.catalogue.search_types import Criteria, FirstPage, MetierRow
from db.models import LevelRow, Metier, SectorRow, table_of
from db.storage.engine import READ_ONLY

_M, _L, _S = table_of(Metier), table_of(LevelRow), table_of(SectorRow)

if TYPE_CHECKING:
    from types import ModuleType

    from db.models import AnySelect


def on_server(session: Session) -> bool:
    """Whether ``session`` talks to PostgreSQL."""
    return session.get_bind().dialect.name == "postgresql"


def in_all(pk: ColumnElement[Any], table: Table, key: str, wanted: Sequence[str]) -> ColumnElement[bool]:
    """``pk`` is listed in ``table`` under every one of ``wanted`` (column ``key``), as the
    lists joined on ``metier_pk`` (see the module docstring)."""
    lists = [table.alias(f"{table.name}_{i}") for i in range(len(wanted))]
    first = lists[0]
    joined: Any = first
    for other in lists[1:]:
        joined = joined.join(other, other.c.metier_pk == first.c.metier_pk)
    in_every: AnySelect = (select(first.c.metier_pk).select_from(joined)
                           .where(*(lst.c[key] == value for lst, value in zip(lists, wanted, strict=True))))
    return pk.in_(in_every)


# ------------------------------------------------------------------ catalogue version
_VERSION_KEY = "orientation_search_version"


def version(session: Session) -> int:
    """The catalogue's version (``search_version.n``), read once per reading session's
    transaction (:meth:`db.storage.engine.Database.read`): a search takes the version it started
    with, as it counts and pages from what it read first. A writing session reads it each time
    (its own writes bump it)."""
    connection = session.connection()
    if not connection.get_execution_options().get(READ_ONLY):
        return int(session.execute(text("SELECT n FROM search_version")).scalar_one())
    transaction = session.get_transaction()
    kept = session.info.get(_VERSION_KEY)
    if kept is not None and kept[0] is transaction:
        return int(kept[1])
    number = int(session.execute(text("SELECT n FROM search_version")).scalar_one())
    session.info[_VERSION_KEY] = (transaction, number)
    return number


_READINGS: dict[tuple[str, int, str, tuple[Any, ...]], Any] = {}


def remembered(session: Session, kind: str, key: tuple[Any, ...], compute: Any) -> Any:
    """``compute()``, kept per database, catalogue version, ``kind`` and ``key`` (a reading of
    a typed text: it depends on the text and the catalogue only)."""
    entry = (str(session.get_bind().engine.url), version(session), kind, key)
    if entry not in _READINGS:
        if len(_READINGS) > 256:
            _READINGS.clear()
        _READINGS[entry] = compute()
    return _READINGS[entry]


# ------------------------------------------------------------------ plans
_SEQSCAN_OFF = "SELECT set_config('enable_seqscan', 'off', true)"


def through_indexes(session: Session, query: Any, params: dict[str, str]) -> list[Any]:
    """The rows of ``query`` run with table scans ruled out (then allowed again): its matches
    are few next to the catalogue, but the planner, not knowing what testing a fiche's words
    costs, would read the table for them. On an error the transaction's rollback undoes it.
    They are allowed again by ``query`` itself (one more column, dropped here: it runs after
    ``query`` is planned), so that this costs no statement unless ``query`` returns no row."""
    session.execute(text(_SEQSCAN_OFF))
    allow = func.set_config("enable_seqscan", "on", true())
    rows = list(session.execute(query.add_columns(allow), params).all())
    if not rows:
        session.execute(text("SELECT set_config('enable_seqscan', 'on', true)"))
    return [tuple(row)[:-1] for row in rows]


def sorted_matches(session: Session, query: Any, params: dict[str, str]) -> list[Any]:
    """The rows of ``query``, a page of few text matches, found through the full-text index
    and sorted, with table scans and plain index scans ruled out for it (then allowed again).

    Without the second rule PostgreSQL walks the order's index, testing each fiche's words on
    the way ("techn" in name order at 10,000 métiers: 2,100 fiches unpacked for 200 matches,
    10-30 ms), where listing its 1,400 matches and sorting them costs 2-4 ms: it does not
    know what testing a fiche's words costs. The pages' lookups by pk stay index reads
    (bitmap ones)."""
    session.execute(text(_NO_WALK.format(value="off")))
    allow = func.concat(*(func.set_config(name, "on", true()) for name in ("enable_seqscan", "enable_indexscan")))
    rows = list(session.execute(query.add_columns(allow), params).all())
    if not rows:
        session.execute(text(_NO_WALK.format(value="on")))
    return [tuple(row)[:-1] for row in rows]


_NO_WALK = "SELECT set_config('enable_seqscan', '{value}', true), set_config('enable_indexscan', '{value}', true)"


def estimated_rows(session: Session, query: AnySelect, params: dict[str, str],
                   criteria: Criteria | None = None) -> float:
    """How many rows the planner expects ``query`` to return (planned, not run); ``criteria``:
    those ``query`` selects the matches of (then kept by them, without compiling ``query``)."""
    if criteria is not None:  # the order does not change the matches
        matches = (replace(criteria, sort="auto", descending=False),)
        return float(remembered(session, "estimate of", matches, lambda: estimated_rows(session, query, params)))
    # Lists (sectors, interests…) are expanded into their values' parameters, as execute() does.
    compiled = query.compile(dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    values = {**compiled.params, **params}

    def planned() -> float:
        plan = session.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + compiled.string, values).scalar_one()
        return float(plan[0]["Plan"]["Plan Rows"])
    # Kept per catalogue version, as the readings of a text: the next page, another order or
    # the background counts of the same search plan it again for nothing (and it only ever
    # chooses between two ways of counting the same rows).
    key = (compiled.string, tuple(sorted((name, str(value)) for name, value in values.items())))
    return float(remembered(session, "estimate", key, planned))


def rows(session: Session, pks: list[int], columns: list[Any]) -> list[MetierRow]:
    """:func:`db.catalogue.search._rows` on PostgreSQL (``columns``: its row's): the rows of ``pks``, in that
    order, the pks bound as one array (``pk = ANY``), not as 200 parameters of an ``IN`` list:
    a short statement, the same each time, that the driver need not parse again. The array is
    bound as its text (``{1,2,3}``, cast by the server) and the rows fetched at once: the
    driver's adapter of a list of ints and the row-by-row fetch cost 0.3-0.5 ms of client CPU a
    page, a third to a half of this function (200 rows at 10,000 métiers)."""
    if not pks:
        return []
    as_text = "{" + ",".join(str(int(pk)) for pk in pks) + "}"
    wanted = _M.c.pk == any_(cast(bindparam("pks", type_=String), ARRAY(Integer)))
    query = (select(*columns).select_from(_M).where(wanted)
             .outerjoin(_L, _L.c.code == _M.c.level_code).outerjoin(_S, _S.c.id == _M.c.main_sector_id))
    found = {row[0]: MetierRow(*row) for row in session.execute(query, {"pks": as_text}).all()}
    return [found[pk] for pk in pks]


# ------------------------------------------------------------------ first page, one statement
def one_statement(session: Session, criteria: Criteria) -> bool:
    """Whether :func:`first_page` answers ``criteria``: PostgreSQL, no text (a text is read
    and counted in steps, see :mod:`db.catalogue.search_pg`)."""
    return not criteria.text and on_server(session)


def first_page(session: Session, criteria: Criteria, limit: int, cap: int, base: ModuleType) -> FirstPage:
    """:func:`db.catalogue.search.first_page` for :func:`one_statement` criteria: the same
    count and rows (``base``: that module), read by one statement."""
    everything = replace(criteria, sort="auto", descending=False) == Criteria()
    if everything and base.search_pg.live_kept(session):  # counted by migration 0013's triggers
        total = select(literal_column("live")).select_from(text("search_version")).scalar_subquery()
    elif everything:
        total = base._filtered(session, criteria, [func.count()]).scalar_subquery()
    else:
        matches = base._filtered(session, criteria, [_M.c.pk]).limit(cap + 1).subquery("upto")
        total = select(func.count()).select_from(matches).scalar_subquery()
    page = base._filtered(session, criteria, [_M.c.pk])
    if base._sort(session, criteria) == "sector":
        page = page.outerjoin(_S, _S.c.id == _M.c.main_sector_id)
    page = base._order(session, criteria, page).limit(limit)
    query = (select(*base._ROW_COLUMNS, total.label("total")).select_from(_M).where(_M.c.pk.in_(page))
             .outerjoin(_L, _L.c.code == _M.c.level_code).outerjoin(_S, _S.c.id == _M.c.main_sector_id))
    params = base._params(session, criteria)
    rows = list(session.execute(base._order(session, criteria, query), params))
    found = int(rows[0][-1]) if rows else 0  # no row on the first page: none matches
    if limit <= 0:  # unless no row was asked for
        found = int(session.execute(select(total), params).scalar_one())
    page_rows = [MetierRow(*tuple(row)[:-1]) for row in rows]
    return FirstPage(found, page_rows) if everything else FirstPage(found, page_rows, found <= cap)
