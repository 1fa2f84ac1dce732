"""Catalogue search: criteria in, plain rows out. All filtering and sorting happens in SQL.

This is the one module allowed SQLite-specific SQL (the FTS5 full-text index). On another
database the free-text criterion falls back to portable ``LIKE`` over the same folded text.

Text matching ignores case and accents (é = e, œ = oe, ç = c) because both the indexed text
and the query are folded by :func:`db.text.fold`; every query word must match the start of a
word of the name, a synonym, a ROME job title or the description ("aide-soignant" finds
"aide-soignante"). User input is never pasted into SQL or FTS syntax: words are extracted
and quoted, so ``"``, ``*``, ``NEAR`` or ``-`` are just text.
"""
from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from db.models import (AnySelect, LevelRow, Metier, MetierInterest, MetierSector, MetierStatut, SectorRow,
                       table_of)
# Re-exported: callers import the criteria and row types from here with the search functions.
from db.catalogue.search_types import SORTS as SORTS
from db.catalogue.search_types import Choices as Choices
from db.catalogue.search_types import Criteria as Criteria
from db.catalogue.search_types import Facets as Facets
from db.catalogue.search_types import MetierRow as MetierRow
from db.catalogue.search_types import with_sort as with_sort
from db.catalogue.startup_view import CHOICE_QUERIES
from db.text import words

_M = table_of(Metier)
_MS = table_of(MetierSector)
_MI = table_of(MetierInterest)
_MST = table_of(MetierStatut)
_L = table_of(LevelRow)
_S = table_of(SectorRow)
_T = TypeVar("_T")


# ------------------------------------------------------------------ full-text index (SQLite)
def create_fts(conn: Connection) -> None:
    """Create the FTS5 index over métiers and the triggers that keep it in sync.

    External-content table: the text lives in ``metiers.search_names`` / ``search_text``; the
    triggers mirror every insert, update and delete, so the index cannot drift from the rows.
    A migration that rebuilds ``metiers`` must call :func:`drop_fts` before and this after.
    """
    if conn.dialect.name != "sqlite":
        return
    for statement in (
        "CREATE VIRTUAL TABLE metier_fts USING fts5(search_names, search_text, content='metiers', "
        "content_rowid='pk', tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER metiers_fts_ai AFTER INSERT ON metiers BEGIN "
        "INSERT INTO metier_fts(rowid, search_names, search_text) "
        "VALUES (new.pk, new.search_names, new.search_text); END",
        "CREATE TRIGGER metiers_fts_ad AFTER DELETE ON metiers BEGIN "
        "INSERT INTO metier_fts(metier_fts, rowid, search_names, search_text) "
        "VALUES ('delete', old.pk, old.search_names, old.search_text); END",
        "CREATE TRIGGER metiers_fts_au AFTER UPDATE OF search_names, search_text ON metiers BEGIN "
        "INSERT INTO metier_fts(metier_fts, rowid, search_names, search_text) "
        "VALUES ('delete', old.pk, old.search_names, old.search_text); "
        "INSERT INTO metier_fts(rowid, search_names, search_text) "
        "VALUES (new.pk, new.search_names, new.search_text); END",
        "INSERT INTO metier_fts(metier_fts) VALUES ('rebuild')",
    ):
        conn.exec_driver_sql(statement)


def drop_fts(conn: Connection) -> None:
    """Drop the FTS5 index and its triggers (see :func:`create_fts`)."""
    if conn.dialect.name != "sqlite":
        return
    for name in ("metiers_fts_ai", "metiers_fts_ad", "metiers_fts_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS metier_fts")


def fts_query(user_text: str) -> str | None:
    """The FTS5 query for user text: every folded word as a quoted prefix, all required.

    Returns None when the text holds no word (e.g. ``"`` or ``--``), meaning "no text filter".
    """
    tokens = words(user_text)
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens[:16])


# ------------------------------------------------------------------ search
# Query plans (SQLite). Without guidance SQLite takes "superseded_by IS NULL" for a selective
# test and sorts every match before keeping one page: 100 ms at 100,000 métiers. So a page of
# rows is fetched in one of two shapes, chosen from the number of matches:
#   WALK   – many matches: walk ix_metiers_live_name (superseded_by, sort_key) in name order and
#            stop after one page; the other tests are made unusable as index keys ("+col").
#   DRIVEN – few matches: let the most selective test find them, then sort only those.
# Lists (sectors, statuts, interests) are tested as "pk IN (SELECT metier_pk …)" so SQLite can
# read them from their (id, metier_pk) index once instead of probing it for every métier.
PLAIN, WALK, DRIVEN = "plain", "walk", "driven"
TEXT_WALK_MIN = 50_000  # below this many text matches, always sort them (see _page_plan)


def _uses_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _no_index(column: ColumnElement[_T]) -> ColumnElement[_T]:
    """``column`` written "+column": same value, but SQLite will not drive the query from its index."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _indexed(column: ColumnElement[_T]) -> ColumnElement[_T]:
    return column


def _conditions(session: Session, criteria: Criteria, plan: str, *,
                skip_sectors: bool = False, skip_level: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE tests for ``criteria`` (see the plans above)."""
    keep = _indexed if plan != WALK else _no_index
    live = _no_index(_M.c.superseded_by) if plan == DRIVEN else _M.c.superseded_by
    # A fiche another source supersedes (the project's fiche once ONISEP's is imported) is hidden.
    conditions: list[ColumnElement[bool]] = [live.is_(None)]
    pk = keep(_M.c.pk)
    match = fts_query(criteria.text)
    if match is not None:
        if _uses_fts(session):
            fts_pks = text("SELECT rowid FROM metier_fts WHERE metier_fts MATCH :fts_match")
            conditions.append(pk.in_(fts_pks.bindparams(fts_match=match)))
        else:
            for token in words(criteria.text)[:16]:
                pattern = f"%{token}%"
                conditions.append(or_(_M.c.search_names.like(pattern), _M.c.search_text.like(pattern)))
    if criteria.max_bac_plus is not None and not skip_level:
        conditions.append(keep(_M.c.bac_plus) <= criteria.max_bac_plus)
    if criteria.min_salary is not None:
        enough = keep(_M.c.salary_min) >= criteria.min_salary
        conditions.append(or_(enough, _M.c.salary_min.is_(None)) if criteria.include_no_salary else enough)
    if criteria.sectors and not skip_sectors:
        conditions.append(pk.in_(select(_MS.c.metier_pk).where(_MS.c.sector_id.in_(criteria.sectors))))
    if criteria.statuts:
        conditions.append(pk.in_(select(_MST.c.metier_pk).where(_MST.c.statut_id.in_(criteria.statuts))))
    if criteria.countries:
        conditions.append(keep(_M.c.country).in_(criteria.countries))
    if criteria.interests:
        wanted = tuple(dict.fromkeys(criteria.interests))
        having = select(_MI.c.metier_pk).where(_MI.c.interest_id.in_(wanted))
        if criteria.interests_mode == "all" and len(wanted) > 1:
            having = having.group_by(_MI.c.metier_pk).having(
                func.count(func.distinct(_MI.c.interest_id)) == len(wanted))
        conditions.append(pk.in_(having))
    return conditions


def _filtered(session: Session, criteria: Criteria, columns: list[Any], *, plan: str = PLAIN,
              skip_sectors: bool = False, skip_level: bool = False) -> AnySelect:
    """SELECT ``columns`` FROM metiers with every criterion applied as WHERE clauses."""
    conditions = _conditions(session, criteria, plan, skip_sectors=skip_sectors, skip_level=skip_level)
    return select(*columns).select_from(_M).where(and_(*conditions))


def filtered_pks(session: Session, criteria: Criteria) -> AnySelect:
    """A SELECT of the pks of métiers matching ``criteria`` (to be used as a subquery)."""
    return _filtered(session, criteria, [_M.c.pk])


def _sort(criteria: Criteria) -> str:
    return criteria.sort if criteria.sort in SORTS else "name"


def _order(session: Session, criteria: Criteria, query: AnySelect) -> AnySelect:
    desc = criteria.descending
    sort = _sort(criteria)
    if sort == "relevance" and fts_query(criteria.text) is not None and _uses_fts(session):
        rank = (select(literal_column("bm25(metier_fts, 10.0, 1.0)"))
                .select_from(text("metier_fts"))
                .where(text("metier_fts.rowid = metiers.pk"), text("metier_fts MATCH :fts_match"))
                .scalar_subquery())
        keys: list[ColumnElement[Any]] = [rank.desc() if desc else rank]
    elif sort == "salary":
        keys = [_M.c.salary_min.is_(None), _M.c.salary_min.desc() if desc else _M.c.salary_min]
    elif sort == "level":
        keys = [_M.c.bac_plus.is_(None), _M.c.bac_plus.desc() if desc else _M.c.bac_plus]
    elif sort == "sector":
        keys = [_S.c.label.is_(None), _S.c.label.desc() if desc else _S.c.label]
    elif sort == "source":
        keys = [_M.c.source_kind.desc() if desc else _M.c.source_kind]
    else:
        keys = []
    if desc and sort == "name":
        return query.order_by(_M.c.sort_key.desc(), _M.c.pk.desc())
    return query.order_by(*keys, _M.c.sort_key, _M.c.pk)


_ROW_COLUMNS = [_M.c.pk, _M.c.id, _M.c.name, _M.c.label_f, _M.c.label_m, _L.c.label, _M.c.bac_plus,
                _M.c.salary_min, _M.c.salary_max, _S.c.label, _M.c.source_kind, _M.c.country]


def _page_plan(session: Session, criteria: Criteria, limit: int, offset: int, total: int | None) -> str:
    """WALK when walking the name index meets a page of matches sooner than sorting them all."""
    if not _uses_fts(session) or _sort(criteria) != "name":
        return DRIVEN if _uses_fts(session) else PLAIN
    if total is None:
        total = count(session, criteria)
    if fts_query(criteria.text) is not None and total <= TEXT_WALK_MIN:
        # Text matches cluster in name order ("techn" → every "technicien…"), so walking the
        # names could read most of the index before a page is full: sort the matches instead.
        return DRIVEN
    size = session.execute(select(func.max(_M.c.pk))).scalar() or 0  # rows, cheaply (upper bound)
    # Walking reads about (offset + limit) × size / total index entries (covering, cheap);
    # sorting reads total table rows (about 8 times dearer each) and sorts them.
    return WALK if total and (offset + limit) * size < 8 * total * total else DRIVEN


def search(session: Session, criteria: Criteria, *, limit: int | None = None,
           offset: int = 0, total: int | None = None) -> list[MetierRow]:
    """The métiers matching ``criteria`` in the requested order (``limit`` rows from ``offset``).

    ``total`` is the :func:`count` for ``criteria`` when the caller already has it; with a
    ``limit`` it is used to choose the fastest query shape (it never changes the result).
    """
    query = select(*_ROW_COLUMNS).select_from(_M)
    if limit is None:
        query = query.where(and_(*_conditions(session, criteria, PLAIN)))
    else:
        # One page: find its pks with a narrow query, then read the full rows of those only.
        plan = _page_plan(session, criteria, limit, offset, total)
        page = _filtered(session, criteria, [_M.c.pk], plan=plan)
        if _sort(criteria) == "sector":
            page = page.outerjoin(_S, _S.c.id == _M.c.main_sector_id)
        page = _order(session, criteria, page).limit(limit).offset(offset)
        query = query.where(_M.c.pk.in_(page))
    query = query.outerjoin(_L, _L.c.code == _M.c.level_code).outerjoin(_S, _S.c.id == _M.c.main_sector_id)
    query = _order(session, criteria, query)
    return [MetierRow(*row) for row in session.execute(query, _params(criteria))]


def count(session: Session, criteria: Criteria) -> int:
    """How many métiers match ``criteria``."""
    query = _filtered(session, criteria, [func.count()])
    return int(session.execute(query, _params(criteria)).scalar_one())


def facets(session: Session, criteria: Criteria, *, levels: bool = True) -> Facets:
    """Per-sector and (unless ``levels`` is false) per-level counts for ``criteria`` (see :class:`Facets`)."""
    params = _params(criteria)
    base = _filtered(session, criteria, [_M.c.pk], skip_sectors=True)
    metier_pk: ColumnElement[Any] = _MS.c.metier_pk
    if _uses_fts(session) and _is_large(session, base, params):
        # Many matches: read ix_metier_sectors_sector (sector_id, metier_pk) in order, testing each
        # pk against the matching set, instead of looking every match up in the table.
        metier_pk = _no_index(metier_pk)
    sector_q = (select(_MS.c.sector_id, func.count(func.distinct(_MS.c.metier_pk)))
                .where(metier_pk.in_(base)).group_by(_MS.c.sector_id))
    result = Facets(sectors={sid: n for sid, n in session.execute(sector_q, params)})
    if levels:
        level_q = (_filtered(session, criteria, [_M.c.level_code, func.count()], skip_level=True)
                   .where(_M.c.level_code.is_not(None)).group_by(_M.c.level_code))
        result.levels = {code: n for code, n in session.execute(level_q, params)}
    return result


def _is_large(session: Session, pks: AnySelect, params: dict[str, str]) -> bool:
    """Whether the métiers selected by ``pks`` are more than about a tenth of the catalogue."""
    matching = session.execute(select(func.count()).select_from(pks.subquery()), params).scalar() or 0
    size = session.execute(select(func.max(_M.c.pk))).scalar() or 0
    return matching * 10 > size


def _params(criteria: Criteria) -> dict[str, str]:
    match = fts_query(criteria.text)
    return {"fts_match": match} if match is not None else {}


def _choice_rows(session: Session, kind: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(text(CHOICE_QUERIES[kind]))]


def sectors_in_use(session: Session) -> list[tuple[str, str, int]]:
    """(id, label, number of métiers) for every sector at least one métier has, by label."""
    return _choice_rows(session, "sectors")


def interests_in_use(session: Session) -> list[tuple[str, str, str]]:
    """(id, label, group) of every interest known to the database, ONISEP ones first."""
    return _choice_rows(session, "interests")


def statuts_in_use(session: Session) -> list[tuple[str, str, int]]:
    """(id, label, number of métiers) for every statut at least one métier has, by label."""
    return _choice_rows(session, "statuts")


def countries_in_use(session: Session) -> list[tuple[str, int]]:
    """(country code, number of métiers) for every country of the catalogue, most métiers first."""
    return _choice_rows(session, "countries")


def choices(session: Session) -> Choices:
    """Everything the filter lists offer (the same queries as :func:`db.catalogue.startup_view.read_choices`)."""
    return Choices(sectors_in_use(session), interests_in_use(session), statuts_in_use(session),
                   countries_in_use(session))
