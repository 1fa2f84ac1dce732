"""Catalogue search: criteria in, plain rows out. All filtering and sorting happens in SQL.

This is the one module allowed SQLite-specific SQL (the FTS5 full-text index). PostgreSQL's
full-text search, same words, rules and order, is :mod:`db.catalogue.search_pg` (called from
here where the engines differ); a server without its extensions falls back to portable ``LIKE``
(:mod:`db.catalogue.search_like`: every word else the most words, name order, no typo fixing).

What a person types is read by :mod:`db.catalogue.search_text` (folding, stems, stop words,
abbreviations); a word that matches nothing in the index is replaced by the nearest indexed
words (typo tolerance, :func:`read_text`). A métier matches when it matches every word (each
one in its own text or its codes' ROME titles); when no métier does, those matching the most
words are kept (never nothing because of one word too many). With text, the default order ("auto") is relevance:

1. how many of the words it matches (all of them first);
2. how many of them are in its own name or labels, and then the shorter name ("journaliste"
   before "journaliste sportif", "avocat/e" before a synonym's "avocat d'affaires");
3. a BM25 score whose column weights say where a word counts most: the job's own name and
   labels, then the source's synonyms, its interest and sector labels, ROME job titles (their
   own index, :mod:`db.catalogue.search_match`), and last the description;
4. the name, in French order.

User input is never pasted into SQL or FTS syntax: words are extracted and quoted, so
``"``, ``*``, ``NEAR`` or ``-`` are just text.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from sqlalchemy import (ColumnElement, Row, and_, case, column, func, literal_column, not_, or_, select, table,
                        text)
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from db.models import (AnySelect, LevelRow, Metier, MetierInterest, MetierSector, MetierStatut, SectorRow,
                       table_of)
# Re-exported: callers import the criteria and row types from here with the search functions.
from db.catalogue.search_types import SORTS as SORTS
from db.catalogue.search_types import Choices as Choices
from db.catalogue.search_types import COUNT_CAP, FirstPage
from db.catalogue.search_types import Criteria as Criteria
from db.catalogue.search_types import Facets as Facets
from db.catalogue.search_types import MetierRow as MetierRow
from db.catalogue.search_types import with_sort as with_sort
from db.catalogue import search_pg, search_pg_fast, search_pg_named  # PostgreSQL's full-text search (its SQL is there)
# Re-exported: the migrations create and drop the full-text index through this module.
from db.catalogue.search_index import FTS_PREFIXES as FTS_PREFIXES
from db.catalogue.search_index import create_fts as create_fts
from db.catalogue.search_index import drop_fts as drop_fts
from db.catalogue.search_like import at_least, required_words
from db.catalogue import search_match, search_terms
from db.catalogue.search_order import nulls_apart
from db.catalogue.search_text import QueryWord, fts_at_least, fts_expression, read_query

_M = table_of(Metier)
_MS = table_of(MetierSector)
_MI = table_of(MetierInterest)
_MST = table_of(MetierStatut)
_L = table_of(LevelRow)
_S = table_of(SectorRow)
_T = TypeVar("_T")


# ------------------------------------------------------------------ full-text index (SQLite)
# BM25 column weights in the order of search_match.OWN_COLUMNS: name and labels, synonyms,
# interest and sector labels, description (ROME titles: search_match.ROME_WEIGHT).
WEIGHTS = (12.0, 6.0, 3.0, 1.0)


# ------------------------------------------------------------------ reading the text
@dataclass(frozen=True)
class TextQuery:
    """What the search makes of the typed text.

    ``corrected`` is the text with each word that matched nothing replaced by the nearest
    indexed word ("coifeur" → "coiffeur"), or None when no word needed it: the window and the
    command line show it ("Vouliez-vous dire « coiffeur » ?"). ``mixed`` (SQLite): a fiche's
    words are counted across its own text and its ROME titles, word by word, not found in one
    FTS5 table by :attr:`match` alone (:func:`db.catalogue.search_match.across_tables`).
    """

    words: tuple[QueryWord, ...]
    corrected: str | None = None
    required: int = 0  # how many words a fiche must match (0: all of them)
    spelled: tuple[tuple[str, ...] | None, ...] = ()  # per word: its indexed terms, when listed (corrected)
    across: str | None = None  # mixed: the pks holding enough words only across both tables (JSON)

    @property
    def mixed(self) -> bool:
        """Whether the words are counted across both FTS5 tables (see :attr:`across`)."""
        return self.across is not None

    @property
    def word_matches(self) -> tuple[str, ...]:
        """One FTS5 expression per word, its corrected terms written out (as :attr:`quick_match`)."""
        return search_terms.word_expressions(self.words, self.spelled)

    @property
    def match(self) -> str | None:
        """The FTS5 expression of a fiche matching enough words (see :attr:`required`)."""
        return fts_at_least(list(self.words), self.required or len(self.words))

    @property
    def quick_match(self) -> str | None:
        """:attr:`match` with the corrected words' terms written out: the same fiches, cheaper to
        count and test, never to rank by (:mod:`db.catalogue.search_terms`)."""
        required = self.required or len(self.words)
        return search_terms.quick_expression(self.words, self.spelled, required) if any(self.spelled) else self.match

    @property
    def wide_match(self) -> str | None:
        """An expression matching at least the fiches of :attr:`match`, from the prefix lists only."""
        return search_terms.wide_expression(self.words, self.spelled, self.required or len(self.words))

    @property
    def partial(self) -> bool:
        """True when no fiche matches every word and fewer are required."""
        return 0 < self.required < len(self.words)


_MIN_FUZZY = 4  # shorter words are not corrected: too many near neighbours
_FUZZY_CUTOFF = 80
_FUZZY_SPREAD = 4  # words this close to the best one are kept as alternatives


def read_text(session: Session, user_text: str) -> TextQuery | None:
    """The :class:`TextQuery` for ``user_text`` on this database (None: no text filter)."""
    query = read_query(user_text)
    if not query:
        return None
    cache: dict[str, TextQuery] = session.info.setdefault("text_queries", {})
    if user_text in cache:
        return cache[user_text]
    result = TextQuery(tuple(query))
    if _uses_fts(session) and len(query) > 1 and search_match.any_match(session, result.match or ""):
        # A fiche holds every word in one table: none to correct; others may across both tables.
        result = search_match.across_tables(session, replace(result, required=len(query)))
    elif _uses_fts(session):
        result = search_match.most_words(session, _corrected(session, result))
    elif search_pg.available(session):
        result = search_pg.corrected(session, result, sys.modules[__name__])
        result = replace(result, required=search_pg.required_words(session, result.words))
    else:
        result = replace(result, required=required_words(session, list(result.words)))
    if len(cache) > 64:
        cache.clear()
    cache[user_text] = result
    return result


def _corrected(session: Session, query: TextQuery) -> TextQuery:
    """``query`` with each single word that matches nothing replaced by its nearest indexed words."""
    fixed: list[QueryWord] = []
    shown: list[str] = []
    spelled: list[tuple[str, ...] | None] = []
    changed = False
    for word in query.words:
        fixable = len(word.typed) >= _MIN_FUZZY and len(word.alternatives) == 1
        if not fixable or search_match.any_match(session, fts_expression(word)):
            fixed.append(word)
            shown.append(word.typed)
            spelled.append(None)
            continue
        near = search_terms.nearest_words(session, word.typed, _FUZZY_CUTOFF, _FUZZY_SPREAD)
        if near:
            fixed.append(QueryWord(word.typed, tuple((w,) for w in near)))
            shown.append(near[0])
            spelled.append(search_terms.spelled_out(near, search_terms.indexed_words(session, word.typed[0])))
            changed = True
        else:
            fixed.append(word)
            shown.append(word.typed)
            spelled.append(None)
    return TextQuery(tuple(fixed), " ".join(shown) if changed else None, spelled=tuple(spelled))


# ------------------------------------------------------------------ search
# Query plans (SQLite). Without guidance SQLite takes "superseded_by IS NULL" for a selective
# test and sorts every match before keeping one page: 100 ms at 100,000 métiers. So a page of
# rows is fetched in one of two shapes, chosen from the number of matches:
#   WALK   – many matches: walk ix_metiers_live_name (superseded_by, sort_key) in name order and
#            stop after one page; the other tests are made unusable as index keys ("+col").
#   DRIVEN – few matches: let the most selective test find them, then sort only those. Each one
#            found is looked up in ix_metiers_by_pk (migration 0012), not in the table: a row's
#            end (superseded_by) lies on overflow pages behind its long texts.
# Lists (sectors, statuts, interests) are tested as "pk IN (SELECT metier_pk …)" so SQLite can
# read them from their (id, metier_pk) index once instead of probing it for every métier.
PLAIN, WALK, DRIVEN = "plain", "walk", "driven"
# Below this many text matches, always sort them (see _page_plan). With the prefix lists
# (migration 0009) the matching set is cheap to build, so walking pays from a few thousand
# matches ("techn" in name order at 100,000 métiers: 46 ms walking, 195 ms sorting).
TEXT_WALK_MIN = COUNT_CAP


def _uses_fts(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _no_index(column: ColumnElement[_T]) -> ColumnElement[_T]:
    """``column`` written "+column": same value, but SQLite will not drive the query from its index."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def _indexed(column: ColumnElement[_T]) -> ColumnElement[_T]:
    return column


def _by_pk(query: AnySelect) -> AnySelect:
    """``query`` reading métiers through ix_metiers_by_pk: the columns a search needs, by pk."""
    return query.with_hint(_M, "INDEXED BY ix_metiers_by_pk", "sqlite")


def _conditions(session: Session, criteria: Criteria, plan: str, *, skip_sectors: bool = False,
                skip_level: bool = False, skip_text: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE tests for ``criteria`` (see the plans above); ``skip_text``: the caller's join
    already keeps the fiches matching the text."""
    keep = _indexed if plan != WALK else _no_index
    # A fiche another source supersedes (the project's fiche once ONISEP's is imported) is hidden.
    conditions: list[ColumnElement[bool]] = [_M.c.superseded_by.is_(None)]
    pk = keep(_M.c.pk)
    query = read_text(session, criteria.text) if criteria.text and not skip_text else None
    if query is not None:
        if _uses_fts(session):
            # Its own text or its ROME titles (their own table, search_match); mixed: word by word
            conditions.append(pk.in_(search_match.mixed_matching(query) if query.mixed
                                     else search_match.matching(query.match)))
        elif search_pg.available(session):
            conditions.append(search_pg.matches(query.words, query.required))
        else:
            conditions.append(at_least(list(query.words), query.required))
    if criteria.max_bac_plus is not None and not skip_level:
        conditions.append(keep(_M.c.bac_plus) <= criteria.max_bac_plus)
    if criteria.min_salary:  # 0 asks for no minimum: fiches without a figure stay
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
        # "All": one list per interest, each read once from its index (grouping them cost more).
        groups = [(i,) for i in wanted] if criteria.interests_mode == "all" else [wanted]
        if len(groups) > 1 and search_pg_fast.on_server(session):  # lists joined first (see there)
            conditions.append(search_pg_fast.in_all(pk, _MI, "interest_id", wanted))
        else:
            conditions += [pk.in_(select(_MI.c.metier_pk).where(_MI.c.interest_id.in_(g))) for g in groups]
    return conditions


def _filtered(session: Session, criteria: Criteria, columns: list[Any], *, plan: str = PLAIN,
              skip_sectors: bool = False, skip_level: bool = False,
              without_title_words: TextQuery | None = None) -> AnySelect:
    """SELECT ``columns`` FROM metiers with every criterion applied as WHERE clauses.

    ``without_title_words``: leave out the fiches whose name or labels hold one of its words
    (bound as ``:fts_title_any``, see :func:`db.catalogue.search_match.title_params`)."""
    conditions = _conditions(session, criteria, plan, skip_sectors=skip_sectors, skip_level=skip_level)
    if without_title_words is not None:
        titled = text("SELECT rowid FROM metier_fts WHERE metier_fts MATCH :fts_title_any")
        keep = _no_index if plan == WALK else _indexed
        conditions.append(not_(keep(_M.c.pk).in_(titled)))
    query = select(*columns).select_from(_M).where(and_(*conditions))
    driver = criteria.text or criteria.sectors or criteria.statuts or criteria.interests
    return _by_pk(query) if plan == DRIVEN and driver else query


def filtered_pks(session: Session, criteria: Criteria) -> AnySelect:
    """A SELECT of the pks of métiers matching ``criteria`` (to be used as a subquery)."""
    return _filtered(session, criteria, [_M.c.pk])


def _sort(session: Session, criteria: Criteria) -> str:
    """The order actually used: "auto" and "relevance" mean relevance when there is text to rank by."""
    sort = criteria.sort if criteria.sort in SORTS else "name"
    if sort in ("auto", "relevance"):
        ranked = (_uses_fts(session) or search_pg.available(session)) and read_text(session, criteria.text) is not None
        return "relevance" if ranked else "name"
    return sort


def _order(session: Session, criteria: Criteria, query: AnySelect) -> AnySelect:
    desc = criteria.descending
    sort = _sort(session, criteria)
    keys: list[ColumnElement[Any]]
    if sort == "salary":
        keys = [_M.c.salary_min.is_(None), _M.c.salary_min.desc() if desc else _M.c.salary_min]
    elif sort == "level":
        keys = [_M.c.bac_plus.is_(None), _M.c.bac_plus.desc() if desc else _M.c.bac_plus]
    elif sort == "sector":
        keys = [_S.c.label.is_(None), _S.c.label.desc() if desc else _S.c.label]
    elif sort == "source":
        keys = [_M.c.source_kind.desc() if desc else _M.c.source_kind]
    else:
        keys = []
    if desc and sort in ("name", "relevance"):
        return query.order_by(_M.c.sort_key.desc(), _M.c.pk.desc())
    return query.order_by(*keys, _M.c.sort_key, _M.c.pk)


_ROW_COLUMNS = [_M.c.pk, _M.c.id, _M.c.name, _M.c.label_f, _M.c.label_m, _L.c.label, _M.c.bac_plus,
                _M.c.salary_min, _M.c.salary_max, _S.c.label, _M.c.source_kind, _M.c.country, _M.c.salary_year]


def _page_plan(session: Session, criteria: Criteria, limit: int, offset: int, total: int | None) -> str:
    """WALK when walking the name index meets a page of matches sooner than sorting them all."""
    if not _uses_fts(session) or _sort(session, criteria) != "name":
        return DRIVEN if _uses_fts(session) else PLAIN
    if total is None:
        total = count(session, criteria)
    if criteria.text and read_text(session, criteria.text) is not None and total <= TEXT_WALK_MIN:
        # Text matches cluster in name order ("techn" → every "technicien…"), so walking the
        # names could read most of the index before a page is full: sort the matches instead.
        return DRIVEN
    size = session.execute(select(func.max(_M.c.pk))).scalar() or 0  # rows, cheaply (upper bound)
    # Walking reads about (offset + limit) × size / total index entries (covering, cheap); sorting
    # looks up at least total matches in ix_metiers_by_pk (a descent each: about 32 steps of a walk).
    return WALK if total and (offset + limit) * size < 32 * total * total else DRIVEN


def search(session: Session, criteria: Criteria, *, limit: int | None = None,
           offset: int = 0, total: int | None = None) -> list[MetierRow]:
    """The métiers matching ``criteria`` in the requested order (``limit`` rows from ``offset``).

    ``total`` is the :func:`count` for ``criteria`` when the caller already has it, or a lower
    bound above :data:`RANKED_MAX` (:func:`count_upto`); with a ``limit`` it is used to choose
    the fastest query shape (it never changes the result).
    """
    if _sort(session, criteria) == "relevance":
        return _search_by_relevance(session, criteria, limit, offset, total)
    query = select(*_ROW_COLUMNS).select_from(_M)
    if limit is None:
        query = query.where(and_(*_conditions(session, criteria, PLAIN)))
    else:
        # One page: find its pks with a narrow query, then read the full rows of those only.
        plan = _page_plan(session, criteria, limit, offset, total)
        page = _filtered(session, criteria, [_M.c.pk], plan=plan)
        if _sort(session, criteria) == "sector":
            page = page.outerjoin(_S, _S.c.id == _M.c.main_sector_id)
        if _sort(session, criteria) in _NULLS_APART and _uses_fts(session):
            page = nulls_apart(page, _NULLS_APART[_sort(session, criteria)], _M.c.sort_key, _M.c.pk,
                               criteria.descending, limit, offset)
        else:
            page = _order(session, criteria, page).limit(limit).offset(offset)
        query = query.where(_M.c.pk.in_(page))
    query = query.outerjoin(_L, _L.c.code == _M.c.level_code).outerjoin(_S, _S.c.id == _M.c.main_sector_id)
    query = _order(session, criteria, query)
    if limit is not None and total is not None and total <= TEXT_WALK_MIN and search_pg.available(session) \
            and read_text(session, criteria.text) is not None:
        # Few text matches on PostgreSQL: sort them, found through the GIN index, rather than
        # walk an order testing every fiche's words (see search_pg.capped_count).
        return [MetierRow(*row) for row in search_pg_fast.sorted_matches(session, query, _params(session, criteria))]
    return [MetierRow(*row) for row in session.execute(query, _params(session, criteria))]


_NULLS_APART = {"salary": _M.c.salary_min, "level": _M.c.bac_plus}  # :func:`nulls_apart` orders


RANKED_MAX = COUNT_CAP  # more matches than this: only the fiches naming the words are ranked


def _search_by_relevance(session: Session, criteria: Criteria, limit: int | None, offset: int,
                         total: int | None) -> list[MetierRow]:
    """The rows of :func:`search` in relevance order (see the module docstring).

    BM25 costs a pass over every match: affordable for a real catalogue (a few thousand fiches),
    not for a word found in 80,000 synthetic descriptions. Beyond :data:`RANKED_MAX` matches
    (one page asked), the fiches whose name or labels hold a word come first, ranked, and the
    others follow in name order — the page a counselor reads is the same in practice.
    """
    if not _uses_fts(session):
        return search_pg.search_by_relevance(session, criteria, limit, offset, total, sys.modules[__name__])
    query = read_text(session, criteria.text)
    assert query is not None
    if limit is not None and not criteria.descending:
        total = count(session, criteria) if total is None else total
        if total > RANKED_MAX:
            return _rows(session, _tiered_pks(session, criteria, query, limit, offset, total))
    return _rows(session, [row[0] for row in _ranked(session, criteria, query, limit, offset)])


def _ranked(session: Session, criteria: Criteria, query: TextQuery, limit: int | None, offset: int, *,
            counted: bool = False) -> list[Row[*tuple[Any, ...]]]:
    """(pk,) of every match ranked by relevance, ``limit`` of them from ``offset``; ``counted``:
    (pk, how many match), all of them counted by the same statement."""
    ranked, params = search_match.ranking(query, WEIGHTS)
    hits = ranked.subquery("hits")
    # The hits are the text's matches: only the other criteria are tested, through the narrow index.
    columns = [_M.c.pk, func.count().over()] if counted else [_M.c.pk]
    page = _by_pk(select(*columns).select_from(_M).join(hits, hits.c.pk == _M.c.pk)
                  .where(and_(*_conditions(session, criteria, DRIVEN, skip_text=True))))
    # Among names that hold the words, the shortest is the job itself ("comptable" before
    # "aide-comptable", "journaliste" before "journaliste sportif").
    shortness = case((hits.c.title_hits > 0, func.length(_M.c.name)), else_=0)
    order = [hits.c.hits.desc(), hits.c.title_hits.desc(), shortness, hits.c.score, _M.c.sort_key, _M.c.pk]
    if criteria.descending:
        order = [hits.c.hits, hits.c.title_hits, shortness.desc(), hits.c.score.desc(), _M.c.sort_key.desc(),
                 _M.c.pk.desc()]
    page = page.order_by(*order).offset(offset)
    if limit is not None:
        page = page.limit(limit)
    return list(session.execute(page, params | _params(session, criteria)).all())


def _ranked_first_page(session: Session, criteria: Criteria, query: TextQuery, limit: int, cap: int) -> FirstPage:
    """:func:`first_page` in relevance order (SQLite, ``cap`` ≤ :data:`RANKED_MAX`). Up to
    RANKED_MAX matches are all ranked, as :func:`search` does, and counted by the same statement.

    What may be ranked is first bounded cheaply, by the rows of an expression matching at least
    the same fiches (:attr:`TextQuery.wide_match`); when they are too many, the fiches' own
    matches are counted as :func:`count_upto` does (many: the tiered order, not ranked)."""
    total = None
    few = search_match.few_rows(session, query.wide_match, RANKED_MAX)
    if not few:
        own = _count_matches(session, criteria, _fts_matches(session, criteria, "metier_fts"), RANKED_MAX)
        total = own if own > RANKED_MAX else None
        few = total is None and search_match.few_rows(session, query.quick_match, RANKED_MAX, titles_only=True)
    if few:
        ranked = _ranked(session, criteria, query, limit, 0, counted=True)
        total = ranked[0][1] if ranked else 0
        if total <= RANKED_MAX:
            return FirstPage(min(total, cap + 1), _rows(session, [row[0] for row in ranked]), total <= cap)
    if total is None:  # many ROME titles hold the words: counted as count_upto() does
        total = count_upto(session, criteria, RANKED_MAX)
    rows = search(session, criteria, limit=limit, total=total) if total else []  # a lower bound above RANKED_MAX
    return FirstPage(min(total, cap + 1), rows, total <= cap)


def _rows(session: Session, pks: list[int]) -> list[MetierRow]:
    """The table rows of ``pks``, in that order."""
    rows: dict[int, MetierRow] = {}
    for start in range(0, len(pks), 500):
        chunk = (select(*_ROW_COLUMNS).select_from(_M).where(_M.c.pk.in_(pks[start:start + 500]))
                 .outerjoin(_L, _L.c.code == _M.c.level_code).outerjoin(_S, _S.c.id == _M.c.main_sector_id))
        rows.update({row[0]: MetierRow(*row) for row in session.execute(chunk)})
    return [rows[pk] for pk in pks]


def _tiered_pks(session: Session, criteria: Criteria, query: TextQuery, limit: int, offset: int,
                total: int) -> list[int]:
    """One page when matches are many: first the fiches whose name holds words (more words,
    then shorter names first), then the other matches in name order."""
    titled, params = search_match.title_ranking(query)
    hits = titled.subquery("titled")
    # One word: a fiche whose name holds it matches the text (listing every match costs more).
    conditions = _conditions(session, criteria, DRIVEN, skip_text=len(query.words) == 1)
    first = (_by_pk(select(_M.c.pk).select_from(_M).join(hits, hits.c.pk == _M.c.pk).where(and_(*conditions)))
             .order_by(hits.c.title_hits.desc(), func.length(_M.c.name), _M.c.sort_key, _M.c.pk)
             .limit(offset + limit))  # fewer back: they are all of them (a top-N sort, not a full one)
    named = list(session.execute(first, params | _params(session, criteria)).scalars())
    pks = named[offset:offset + limit]
    if len(pks) == limit:
        return pks
    rest = replace(criteria, sort="name")
    skip, wanted = max(0, offset - len(named)), limit - len(pks)
    plan = _page_plan(session, rest, wanted, skip, total - len(named))
    page = _filtered(session, rest, [_M.c.pk], plan=plan, without_title_words=query)
    page = _order(session, rest, page).limit(wanted).offset(skip)
    return pks + list(session.execute(page, _params(session, rest) | search_match.title_params(query)).scalars())


def text_notice(session: Session, criteria: Criteria) -> str | None:
    """One French sentence on how the typed text was read, when it was not read as typed.

    Says which words were corrected ("Aucune fiche ne contient « coifeur » : résultats pour
    « coiffeur ».") and when no fiche matches every word. None when the text was used as typed.
    """
    query = read_text(session, criteria.text) if criteria.text else None
    if query is None:
        return None
    sentences = [sentence for sentence in (search_pg.notice(session),) if sentence]
    if query.corrected:
        typed = " ".join(word.typed for word in query.words)
        sentences.append(f"Aucune fiche ne contient « {typed} » : résultats pour « {query.corrected} ».")
    if query.partial:
        sentences.append("Aucune fiche ne contient tous les mots : voici celles qui en contiennent le plus.")
    return " ".join(sentences) or None


def count(session: Session, criteria: Criteria) -> int:
    """How many métiers match ``criteria``."""
    if replace(criteria, sort="auto", descending=False) == Criteria():
        kept = search_pg.live_count(session)  # every shown fiche: PostgreSQL keeps the figure
        if kept is not None:
            return kept
    query = _filtered(session, criteria, [func.count()])
    return int(session.execute(query, _params(session, criteria)).scalar_one())


def count_upto(session: Session, criteria: Criteria, cap: int = COUNT_CAP) -> int:
    """How many métiers match ``criteria``, counted up to ``cap`` + 1 only (``cap`` + 1: more
    than ``cap``). Stops reading matches there, so it costs little however many match."""
    query = read_text(session, criteria.text) if criteria.text and _uses_fts(session) else None
    if query is not None and not query.mixed:  # (mixed: counted from the word-by-word matches below)
        # The full-text matches stream in rowid order, each tested through the narrow index, and
        # the count stops at cap + 1 (listing every match of "techn" first: 20-60 ms at 100k).
        own = _count_matches(session, criteria, _fts_matches(session, criteria, "metier_fts"), cap)
        if own > cap:
            return own  # beyond the cap on their own text alone; else add those of ROME titles only
        return own + _count_matches(session, criteria, _rome_matches(session, criteria), cap - own)
    elif criteria.text and search_pg.available(session) and read_text(session, criteria.text) is not None:
        return search_pg.capped_count(session, _filtered(session, criteria, [_M.c.pk]), cap,
                                      _params(session, criteria), criteria)
    else:
        matches = _filtered(session, criteria, [_M.c.pk])
    return _count_matches(session, criteria, matches, cap)


def _fts_matches(session: Session, criteria: Criteria, name: str) -> AnySelect:
    """SELECT rowid of the fiches of the FTS5 table ``name`` matching the text, streamed in rowid
    order, each tested against the other criteria through the narrow index."""
    fts = table(name, column("rowid"))
    others = _conditions(session, criteria, DRIVEN, skip_text=True)
    live = _by_pk(select(literal_column("1")).select_from(_M).where(_M.c.pk == fts.c.rowid, *others))
    return select(fts.c.rowid).where(text(f"{name} MATCH :fts_quick"), live.exists())


def _rome_matches(session: Session, criteria: Criteria) -> AnySelect:
    """SELECT DISTINCT pk of the fiches matching the text through their codes' ROME titles only
    (not their own text), each tested against the other criteria through the narrow index."""
    hits = text(search_match.rome_only()).columns(literal_column("metier_pk")).subquery("rome_hits")
    pk = hits.c.metier_pk
    others = _conditions(session, criteria, DRIVEN, skip_text=True)
    live = _by_pk(select(literal_column("1")).select_from(_M).where(_M.c.pk == pk, *others))
    own = text("SELECT rowid FROM metier_fts WHERE metier_fts MATCH :fts_match")
    return select(pk).distinct().where(not_(pk.in_(own)), live.exists())


def _count_matches(session: Session, criteria: Criteria, matches: AnySelect, cap: int) -> int:
    inner = matches.limit(cap + 1).subquery("upto")
    query = select(func.count()).select_from(inner)
    return int(session.execute(query, _params(session, criteria)).scalar_one())


def first_page(session: Session, criteria: Criteria, limit: int, cap: int = COUNT_CAP) -> FirstPage:
    """What the window shows for ``criteria``: the count (exact up to ``cap``, else "more
    than ``cap``") and the first ``limit`` rows — the same rows as :func:`search` gives.

    The whole catalogue (no filter) is counted exactly: the count reads an index only.
    """
    if search_pg_fast.one_statement(session, criteria):  # PostgreSQL, no text: count and page at once
        return search_pg_fast.first_page(session, criteria, limit, cap, sys.modules[__name__])
    if replace(criteria, sort="auto", descending=False) == Criteria():
        total = count(session, criteria)
        return FirstPage(total, search(session, criteria, limit=limit, total=total) if total else [])
    query = read_text(session, criteria.text) if criteria.text and _uses_fts(session) else None
    ranked = query is not None and not query.mixed and _sort(session, criteria) == "relevance"
    if query is not None and ranked and limit > 0 and cap <= RANKED_MAX:
        return _ranked_first_page(session, criteria, query, limit, cap)
    if (named := search_pg_named.first_page(session, criteria, limit, cap, sys.modules[__name__])) is not None:
        return named  # PostgreSQL: one word in many fiches' names
    total = count_upto(session, criteria, cap)
    # A lower bound is enough for search() to choose its query shape once above RANKED_MAX.
    known = total if total <= cap or cap >= RANKED_MAX else None
    rows = search(session, criteria, limit=limit, total=known) if total else []
    return FirstPage(total, rows, total <= cap)


def facets(session: Session, criteria: Criteria, *, levels: bool = True) -> Facets:
    """Per-sector and (unless ``levels`` is false) per-level counts for ``criteria`` (see :class:`Facets`)."""
    params = _params(session, criteria)
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


def _params(session: Session, criteria: Criteria) -> dict[str, str]:
    """Bound at execution: the conditions name ``:fts_match`` (see :func:`_conditions`), the
    counts ``:fts_quick`` (:attr:`TextQuery.quick_match`)."""
    query = read_text(session, criteria.text) if criteria.text else None
    if query is None or query.match is None:
        return {}
    return {"fts_match": query.match, "fts_quick": query.quick_match or query.match} if _uses_fts(session) \
        else {"fts_match": query.match}
