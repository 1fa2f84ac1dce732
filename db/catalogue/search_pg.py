"""Catalogue search on PostgreSQL: the one module holding PostgreSQL-only search SQL.

The same search as the FTS5 index of :mod:`db.catalogue.search` (SQLite), on the same indexed
text: the ``search_*`` columns of ``metiers``, already folded (accents, ligatures, case) and
doubled with French Snowball stems by :mod:`db.catalogue.search_text`. Both engines therefore
index the very same words, and match them the same way:

- ``metiers.search_tsv``, a generated column (PostgreSQL keeps it in step with every write:
  import, edit, merge), holds those words in the text search configuration ``orientation_fr``
  (``unaccent`` then ``simple``: the French folding and stemming are already done, once, by the
  shared Python indexer; stemming again with PostgreSQL's ``french`` dictionary would make a
  typed prefix meet other words than on SQLite). A GIN index serves the searches.
- Column weights: the tsvector has four labels, FTS5 has five columns. The job's own name and
  labels are A, the source's synonyms B, interest and sector labels C, ROME job titles and the
  description D, weighed as in :data:`db.catalogue.search.WEIGHTS` (12, 6, 3, 1; ROME titles
  weigh 1 here, 1.5 in FTS5). ``search_title_tsv`` (generated, GIN-indexed) holds the name and
  labels alone, as FTS5's column filter does; ``search_words`` the fiche's length in words.
- A query word is a prefix (``:*``) or a whole word exactly as in FTS5 (see
  :func:`db.catalogue.search_text.word_forms`); "the most words" and the relevance order
  (words matched, words in the name, shorter name, then FTS5's BM25 computed in SQL:
  :func:`_score`) are those of SQLite.
- Typos: the indexed words are listed in ``metier_words`` (kept by triggers), searched with
  ``pg_trgm`` trigram similarity, then chosen by the same edit-similarity rule as on SQLite.

:func:`create_search` (migration 0011) needs the ``unaccent`` and ``pg_trgm`` extensions; a
server where the role may not create them keeps the portable ``LIKE`` search of
:mod:`db.catalogue.search_like`, and the search says so in French (:func:`notice`).
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (ColumnElement, Connection, String, and_, case, func, literal, literal_column, not_, or_, select,
                        text, true, tuple_)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db.catalogue import search_pg_fast, search_pg_rank
from db.catalogue.search_pg_fast import estimated_rows
from db.catalogue.search_pg_fast import through_indexes as through_indexes  # search.py calls it from here
from db.catalogue.search_index import SEARCH_COLUMNS
from db.catalogue.search_text import QueryWord, at_least_expression, word_forms
from db.catalogue.search_types import Criteria, MetierRow
from db.models import Metier, table_of

if TYPE_CHECKING:
    from db.catalogue.search import TextQuery
    from db.models import AnySelect


class Search(Protocol):
    """What this module uses of :mod:`db.catalogue.search`, which passes itself in (importing it
    here would close an import circle): its reading of the text, conditions, orders, rows."""

    RANKED_MAX: int
    PLAIN: str
    _ROW_COLUMNS: list[Any]
    _MIN_FUZZY: int
    _FUZZY_CUTOFF: int
    _FUZZY_SPREAD: int

    def read_text(self, session: Session, user_text: str) -> TextQuery | None: ...
    def count(self, session: Session, criteria: Criteria) -> int: ...
    def _conditions(self, session: Session, criteria: Criteria, plan: str, *, skip_sectors: bool = False,
                    skip_level: bool = False, skip_text: bool = False) -> list[ColumnElement[bool]]: ...
    def _params(self, session: Session, criteria: Criteria) -> dict[str, str]: ...
    def _filtered(self, session: Session, criteria: Criteria, columns: list[Any], *, plan: str = ...,
                  skip_sectors: bool = False, skip_level: bool = False,
                  without_title_words: TextQuery | None = None) -> AnySelect: ...
    def _order(self, session: Session, criteria: Criteria, query: AnySelect) -> AnySelect: ...

_M = table_of(Metier)
_LOG = logging.getLogger(__name__)
CONFIG = "orientation_fr"
_CONFIG: ColumnElement[Any] = literal_column(f"'{CONFIG}'::regconfig")
_TRGM_THRESHOLD = 0.2  # loose: the edit-similarity rule of db.catalogue.search chooses among these
NOTICE = ("Recherche simplifiée : ce serveur PostgreSQL n'a pas les extensions « unaccent » et « pg_trgm » "
          "(demandez à son administrateur de les installer) ; ni correction des fautes de frappe, "
          "ni tri par pertinence.")

# Migration 0016: the words' vector kept in its row (see keep_vectors_inline).
_INLINE = "ALTER TABLE metiers ALTER COLUMN search_tsv SET STORAGE MAIN"
_LABELS = (("search_title", "A"), ("search_synonyms", "B"), ("search_tags", "C"))
_SCHEMA = (
    f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, "
    "word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, simple",
    "ALTER TABLE metiers ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS ("
    + " || ".join(f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce({column}, '')), '{label}')"
                  for column, label in _LABELS)
    + f" || setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(search_rome, '') || ' ' || "
    "coalesce(search_text, '')), 'D')) STORED",
    # BM25's document length: the indexed words (folded words joined by single spaces).
    "ALTER TABLE metiers ADD COLUMN search_words integer GENERATED ALWAYS AS (cardinality(array_remove("
    "string_to_array(" + " || ' ' || ".join(f"coalesce({c}, '')" for c in SEARCH_COLUMNS) + ", ' '), ''))) STORED",
    "CREATE INDEX ix_metiers_search_tsv ON metiers USING gin (search_tsv)",
    _INLINE,  # migration 0016 (see keep_vectors_inline), for the column made here after it ran
    # The job's own name and labels alone (FTS5's column filter): "names holding the words first"
    # is then answered by its index, not by rechecking the weights of every match.
    f"ALTER TABLE metiers ADD COLUMN search_title_tsv tsvector GENERATED ALWAYS AS (to_tsvector('{CONFIG}'::regconfig, "
    "coalesce(search_title, ''))) STORED",
    "CREATE INDEX ix_metiers_search_title_tsv ON metiers USING gin (search_title_tsv)",
    # The indexed words, for typo tolerance (words of deleted fiches linger: see _live).
    "CREATE TABLE metier_words (word text PRIMARY KEY)",
    "CREATE INDEX ix_metier_words_trgm ON metier_words USING gin (word gin_trgm_ops)",
    "CREATE FUNCTION metier_words_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO metier_words (word) SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(new_rows.search_tsv)) w "
    "ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    "CREATE FUNCTION metier_words_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO metier_words (word) SELECT unnest(tsvector_to_array(NEW.search_tsv)) "
    "EXCEPT SELECT unnest(tsvector_to_array(OLD.search_tsv)) ON CONFLICT DO NOTHING; RETURN NULL; END $$",
    "CREATE TRIGGER metiers_words_ai AFTER INSERT ON metiers REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION metier_words_inserted()",
    "CREATE TRIGGER metiers_words_au AFTER UPDATE ON metiers FOR EACH ROW "
    "WHEN (OLD.search_tsv IS DISTINCT FROM NEW.search_tsv) EXECUTE FUNCTION metier_words_updated()",
    "INSERT INTO metier_words (word) SELECT DISTINCT unnest(tsvector_to_array(search_tsv)) FROM metiers",
    # The catalogue's version, for the figures the ranking keeps between searches (_statistics).
    "CREATE TABLE search_version (n bigint NOT NULL)",
    "INSERT INTO search_version (n) VALUES (0)",
    "CREATE FUNCTION search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE search_version SET n = n + 1; RETURN NULL; END $$",
    "CREATE TRIGGER metiers_search_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON metiers "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_version_bump()",
)
_DROP = (
    "DROP TRIGGER IF EXISTS metiers_search_version ON metiers",
    "DROP FUNCTION IF EXISTS search_version_bump()",
    "DROP TABLE IF EXISTS search_version",
    "DROP TRIGGER IF EXISTS metiers_words_au ON metiers",
    "DROP TRIGGER IF EXISTS metiers_words_ai ON metiers",
    "DROP FUNCTION IF EXISTS metier_words_updated()",
    "DROP FUNCTION IF EXISTS metier_words_inserted()",
    "DROP TABLE IF EXISTS metier_words",
    "ALTER TABLE metiers DROP COLUMN IF EXISTS search_title_tsv",
    "ALTER TABLE metiers DROP COLUMN IF EXISTS search_words",
    "ALTER TABLE metiers DROP COLUMN IF EXISTS search_tsv",
    f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}",
)


# Migration 0013: what makes the window's commonest searches read little (see create_speed).
_SPEED = (
    # The number of shown fiches, kept by the same statements that change them: "every métier"
    # is then counted without reading 100,000 index entries (15-30 ms). Read in the reader's
    # own snapshot, so it is exact for that reader, as count(*) would be.
    "ALTER TABLE search_version ADD COLUMN live bigint NOT NULL DEFAULT 0",
    "CREATE FUNCTION metiers_live_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE search_version SET live = live + (SELECT count(*) FROM new_rows WHERE superseded_by IS NULL); "
    "RETURN NULL; END $$",
    "CREATE FUNCTION metiers_live_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE search_version SET live = live + (SELECT count(*) FROM new_rows WHERE superseded_by IS NULL) "
    "- (SELECT count(*) FROM old_rows WHERE superseded_by IS NULL); RETURN NULL; END $$",
    "CREATE FUNCTION metiers_live_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE search_version SET live = live - (SELECT count(*) FROM old_rows WHERE superseded_by IS NULL); "
    "RETURN NULL; END $$",
    "CREATE FUNCTION metiers_live_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE search_version SET live = 0; RETURN NULL; END $$",
    "CREATE TRIGGER metiers_live_ai AFTER INSERT ON metiers REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION metiers_live_inserted()",
    "CREATE TRIGGER metiers_live_au AFTER UPDATE ON metiers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION metiers_live_updated()",
    "CREATE TRIGGER metiers_live_ad AFTER DELETE ON metiers REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION metiers_live_deleted()",
    "CREATE TRIGGER metiers_live_at AFTER TRUNCATE ON metiers "
    "FOR EACH STATEMENT EXECUTE FUNCTION metiers_live_truncated()",
    "UPDATE search_version SET live = (SELECT count(*) FROM metiers WHERE superseded_by IS NULL)",
)
# The orders of the window's pages, as search._order writes them, over the shown fiches only,
# holding what the filters on the fiche itself test: a page is then the first entries of one
# index (read alone: no table row is visited), not a sort of every shown fiche. The name order
# (with pk, which ix_metiers_live_name lacks) is walked for the lists too (sector, interest…).
_ORDER_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_metiers_pg_name ON metiers (sort_key, pk) "
    "INCLUDE (bac_plus, salary_min, country) WHERE superseded_by IS NULL",
    "CREATE INDEX IF NOT EXISTS ix_metiers_pg_salary ON metiers "
    "((salary_min IS NULL), salary_min, sort_key, pk) WHERE superseded_by IS NULL",
    "CREATE INDEX IF NOT EXISTS ix_metiers_pg_salary_desc ON metiers "
    "((salary_min IS NULL), salary_min DESC, sort_key, pk) WHERE superseded_by IS NULL",
)
_DROP_SPEED = (
    "DROP INDEX IF EXISTS ix_metiers_pg_salary_desc",
    "DROP INDEX IF EXISTS ix_metiers_pg_salary",
    "DROP INDEX IF EXISTS ix_metiers_pg_name",
    *(f"DROP TRIGGER IF EXISTS metiers_live_{event} ON metiers" for event in ("ai", "au", "ad", "at")),
    *(f"DROP FUNCTION IF EXISTS metiers_live_{event}()" for event in ("inserted", "updated", "deleted", "truncated")),
    "ALTER TABLE IF EXISTS search_version DROP COLUMN IF EXISTS live",
)


# ------------------------------------------------------------------ schema (migrations 0011, 0013)
def create_search(conn: Connection) -> bool:
    """Create the full-text search objects on PostgreSQL (nothing elsewhere, nothing twice).

    Returns False, having changed nothing, when the ``unaccent`` and ``pg_trgm`` extensions are
    absent and the role may not create them: the search then stays the portable ``LIKE`` one.
    """
    if conn.dialect.name != "postgresql" or _has_vector(conn):
        return conn.dialect.name == "postgresql"
    try:
        with conn.begin_nested():
            for extension in ("unaccent", "pg_trgm"):
                conn.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    except DBAPIError as exc:  # no privilege, or the server lacks postgresql-contrib
        _LOG.warning("recherche PostgreSQL simplifiée : extensions unaccent/pg_trgm impossibles à créer (%s)",
                     type(exc.orig).__name__)
        return False
    for statement in _SCHEMA:
        conn.exec_driver_sql(statement)
    create_speed(conn)  # created after migration 0013 ran (``serveur init``): its objects too
    return True


def create_speed(conn: Connection) -> None:
    """Migration 0013 on PostgreSQL (nothing elsewhere, nothing twice): the page order
    indexes, and the count of shown fiches when the full-text objects exist (:data:`_SPEED`)."""
    if conn.dialect.name != "postgresql":
        return
    for statement in _ORDER_INDEXES:
        conn.exec_driver_sql(statement)
    if _has_vector(conn) and not _has_live_count(conn):
        for statement in _SPEED:
            conn.exec_driver_sql(statement)


def keep_vectors_inline(conn: Connection) -> None:
    """Migration 0016 on PostgreSQL (nothing elsewhere, nothing without the full-text column):
    ``search_tsv`` kept in its row (storage MAIN), then every fiche rewritten so that the
    vectors written before move in (an UPDATE computes the generated column again).

    A fiche's row is about 2 kB, so PostgreSQL moved its largest value, the vector (≈ 1 kB,
    which hardly compresses), out of line: each test of a fiche's words fetched it from the
    TOAST table first. The searches that test fiches one by one (a count walking the table, a
    page walking the name order) spent half their time there: "chantier machines" counted to
    3,001 at 100,000 métiers 8-10 ms → 4-5 ms, "techn" in name order 8 → 4.7 ms. Other long
    texts (the description, read for the score of a few hundred fiches) go out of line instead."""
    if conn.dialect.name != "postgresql" or not _has_vector(conn):
        return
    conn.exec_driver_sql(_INLINE)
    conn.exec_driver_sql("UPDATE metiers SET search_title = search_title")


def vectors_out_of_line(conn: Connection) -> None:
    """Undo :func:`keep_vectors_inline` (the rows stay as they are until next written)."""
    if conn.dialect.name == "postgresql" and _has_vector(conn):
        conn.exec_driver_sql("ALTER TABLE metiers ALTER COLUMN search_tsv SET STORAGE EXTENDED")


def drop_speed(conn: Connection) -> None:
    """Remove what :func:`create_speed` made."""
    if conn.dialect.name == "postgresql":
        for statement in _DROP_SPEED:
            conn.exec_driver_sql(statement)


def drop_search(conn: Connection) -> None:
    """Remove what :func:`create_search` made (the extensions stay: other bases may use them)."""
    if conn.dialect.name == "postgresql":
        for statement in (*_DROP_SPEED[3:], *_DROP):
            conn.exec_driver_sql(statement)


def _has_vector(conn: Connection) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('metiers') "
                              "AND attname = 'search_tsv' AND NOT attisdropped")).first()
    return found is not None


def _has_live_count(conn: Connection) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('search_version') "
                              "AND attname = 'live' AND NOT attisdropped")).first()
    return found is not None


def live_count(session: Session) -> int | None:
    """How many fiches are shown (none superseded), kept by triggers (migration 0013); None
    where that count is not kept (SQLite, a server without the full-text objects)."""
    if not live_kept(session):
        return None
    return int(session.execute(text("SELECT live FROM search_version")).scalar_one())


def live_kept(session: Session) -> bool:
    """Whether this server keeps :func:`live_count` (asked once per server connection)."""
    if not available(session):
        return False
    info = session.connection().info
    if "orientation_live_count" not in info:
        info["orientation_live_count"] = _has_live_count(session.connection())
    return bool(info["orientation_live_count"])


def available(session: Session) -> bool:
    """Whether this is PostgreSQL with the full-text index (asked once per server connection)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    info = session.connection().info
    if "orientation_fts" not in info:
        info["orientation_fts"] = _has_vector(session.connection())
    return bool(info["orientation_fts"])


def notice(session: Session) -> str | None:
    """The French sentence of a PostgreSQL server searching without its full-text index."""
    if session.get_bind().dialect.name == "postgresql" and not available(session):
        return NOTICE
    return None


# ------------------------------------------------------------------ queries
def _term(form: str, prefix: bool) -> str:
    """One tsquery term: a folded word (letters and digits only, quoted all the same), as a
    prefix or a whole word."""
    quoted = "'" + form.replace("'", "''") + "'"
    return quoted + ":*" if prefix else quoted


def _needed(forms: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """``forms`` without those another prefix of them already matches ("boulanger" within
    "boulang"*): the same fiches, but GIN lists each prefix's words apart, so each one costs."""
    return [(form, prefix) for form, prefix in forms
            if not any(other != form and is_prefix and form.startswith(other) for other, is_prefix in forms)]


def tsquery(word: QueryWord) -> str:
    """The tsquery text of one query word (any of its alternatives, every word of one)."""
    alternatives = []
    for group in word.alternatives:
        parts = ["(" + " | ".join(_term(form, prefix) for form, prefix in _needed(word_forms(w))) + ")"
                 for w in group]
        alternatives.append("(" + " & ".join(parts) + ")")
    return " | ".join(alternatives)


def tsquery_at_least(words: list[QueryWord], required: int) -> str:
    """The tsquery of a fiche matching at least ``required`` of ``words`` (as
    :func:`db.catalogue.search_text.fts_at_least`)."""
    return at_least_expression([f"({tsquery(w)})" for w in words], required or len(words), " & ", " | ")


def _query(expression: str) -> ColumnElement[Any]:
    return func.to_tsquery(_CONFIG, literal(expression, String))


def _holds(expression: str, vector: str = "search_tsv") -> ColumnElement[bool]:
    return literal_column(f"metiers.{vector}").op("@@")(_query(expression))


def _titled(expression: str) -> ColumnElement[bool]:
    """The job's own name or labels match ``expression``."""
    return _holds(expression, "search_title_tsv")


def matches(words: tuple[QueryWord, ...], required: int) -> ColumnElement[bool]:
    """The WHERE test of a fiche matching at least ``required`` of ``words`` (0: all)."""
    return _holds(tsquery_at_least(list(words), required))


def _matches_anything(session: Session, expression: str) -> bool:
    return session.execute(select(literal(1)).select_from(_M).where(_holds(expression)).limit(1)).first() is not None


def required_words(session: Session, words: tuple[QueryWord, ...]) -> int:
    """The most of ``words`` at least one fiche matches (all when possible, at least 1); kept
    per catalogue version, as :func:`corrected` (:func:`db.catalogue.search_pg_fast.remembered`)."""
    def most() -> int:
        return next((n for n in range(len(words), 1, -1)
                     if _matches_anything(session, tsquery_at_least(list(words), n))), 1)
    return int(search_pg_fast.remembered(session, "required", words, most))


def corrected(session: Session, query: TextQuery, base: Search) -> TextQuery:
    """``query`` with each single word that matches nothing replaced by its nearest indexed
    words: the rule of :func:`db.catalogue.search._corrected`, the words found by ``pg_trgm``;
    kept per catalogue version (the same text reads the same on the same catalogue)."""
    result: TextQuery = search_pg_fast.remembered(session, "corrected", (query,),
                                                  lambda: _corrected(session, query, base))
    return result


def _corrected(session: Session, query: TextQuery, base: Search) -> TextQuery:
    fixed: list[QueryWord] = []
    shown: list[str] = []
    for word in query.words:
        fixable = len(word.typed) >= base._MIN_FUZZY and len(word.alternatives) == 1
        unknown = fixable and not _matches_anything(session, tsquery(word))
        near = _nearest_words(session, word.typed, base) if unknown else []
        fixed.append(QueryWord(word.typed, tuple((w,) for w in near)) if near else word)
        shown.append(near[0] if near else word.typed)
    changed = any(a is not b for a, b in zip(fixed, query.words, strict=True))
    return replace(query, words=tuple(fixed), corrected=" ".join(shown) if changed else None)


def _nearest_words(session: Session, word: str, base: Search) -> list[str]:
    """Indexed words close to ``word``, best first (same first letter, as on SQLite)."""
    from rapidfuzz import fuzz, process

    session.execute(text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
                    {"t": str(_TRGM_THRESHOLD)})
    # The primary key's range of the first letter, or the trigram index: the planner chooses.
    rows = list(session.execute(text("SELECT word FROM metier_words WHERE word >= :first AND word < :next "
                                     "AND left(word, 1) = :first AND word % :w"),
                                {"w": word, "first": word[0], "next": chr(ord(word[0]) + 1)}).scalars())
    found = process.extract(word, rows, scorer=fuzz.ratio, score_cutoff=base._FUZZY_CUTOFF, limit=16)
    live = _live(session, [term for term, _score, _index in found])
    found = [entry for entry in found if entry[0] in live][:8]
    if not found:
        return []
    best = found[0][1]
    close = sorted((term for term, score, _index in found if score >= best - base._FUZZY_SPREAD),
                   key=lambda term: (-fuzz.ratio(word, term), len(term)))
    return close[:3]


def _live(session: Session, terms: list[str]) -> set[str]:
    """Those of ``terms`` some fiche still holds (the words of a deleted fiche stay listed)."""
    if not terms:
        return set()
    rows = session.execute(text(
        "SELECT w FROM unnest(CAST(:terms AS text[])) AS w WHERE EXISTS (SELECT 1 FROM metiers "
        f"WHERE search_tsv @@ to_tsquery('{CONFIG}'::regconfig, quote_literal(w)))"), {"terms": terms})
    return set(rows.scalars())


def capped_count(session: Session, query: AnySelect, cap: int, params: dict[str, str],
                 criteria: Criteria | None = None) -> int:
    """``SELECT count(*)`` of ``query`` capped at ``cap`` + 1 rows, read the cheaper way.

    Reading the table in order until ``cap`` + 1 matches are met unpacks every fiche's long
    compressed text on the way; the GIN index lists every match instead. PostgreSQL prices the
    first too low: "techn" (13 % of 100,000 fiches) took 80-250 ms that way against 10-30 ms
    through the index, while a word in 80 % of them takes 14 ms that way and 90 ms through
    the index. So the planner's own estimate of the matches chooses, by the measured costs
    (a fiche unpacked ≈ 3.5 matches listed): the index unless the matches are so many that
    the table walk stops early (matches² > 3.5 × cap × fiches). ``criteria``: those ``query``
    selects the matches of (the estimate is then kept by them).
    """
    # The fiches' count and the estimate only choose the way: both kept per catalogue version,
    # so that the walk costs one statement and the index two (table scans ruled out first).
    fiches = search_pg_fast.remembered(session, "fiches", (), lambda: _fiches(session))
    matches = estimated_rows(session, query, params, criteria)
    counted = select(func.count()).select_from(query.limit(cap + 1).subquery("upto"))
    if matches * matches > 3.5 * (cap + 1) * fiches:  # walk the table
        return int(session.execute(counted, params).scalar_one())
    return int(through_indexes(session, counted, params)[0][0])


def _fiches(session: Session) -> float:
    """How many fiches are shown: migration 0013's count where it is kept, else the planner's figure."""
    kept = live_count(session)
    if kept is not None:
        return float(kept)
    planned = session.execute(text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('metiers')")).scalar()
    return float(planned or 0)


# ------------------------------------------------------------------ relevance order
def _count_of(expressions: list[str], test: Callable[[str], ColumnElement[bool]] = _holds) -> ColumnElement[int]:
    total: ColumnElement[int] = literal(0)
    for expression in expressions:
        total = total + case((test(expression), 1), else_=0)
    return total


def _score(session: Session, words: list[QueryWord]) -> ColumnElement[float]:
    """FTS5's ``bm25()`` computed in SQL, lower is better: :func:`db.catalogue.search_pg_rank.score`."""
    return search_pg_rank.score(session, words, _term, _holds)


def search_by_relevance(session: Session, criteria: Criteria, limit: int | None, offset: int,
                        total: int | None, base: Search) -> list[MetierRow]:
    """The rows of :func:`db.catalogue.search.search` in relevance order, as on SQLite: words
    matched, words in the name, shorter name, then :func:`_score` for BM25, then the name."""
    query = base.read_text(session, criteria.text)
    assert query is not None
    if limit is not None and not criteria.descending:
        total = base.count(session, criteria) if total is None else total
        if total > base.RANKED_MAX:
            return search_pg_fast.rows(session, _tiered_pks(session, criteria, query, limit, offset, base),
                                       base._ROW_COLUMNS)
    words = list(query.words)
    hits, title_hits, shortness = _cheap_keys(query)
    conditions = base._conditions(session, criteria, base.PLAIN)
    params = base._params(session, criteria)
    if limit is not None:
        page, _total = _ranked_page(session, words, conditions, (hits, title_hits, shortness), criteria.descending,
                                    limit, offset)
        return search_pg_fast.rows(session, [row[0] for row in through_indexes(session, page, params)],
                                   base._ROW_COLUMNS)
    score = _score(session, words)
    order: list[Any] = [hits.desc(), title_hits.desc(), shortness, score, _M.c.sort_key, _M.c.pk]
    if criteria.descending:
        order = [hits, title_hits, shortness.desc(), score.desc(), _M.c.sort_key.desc(), _M.c.pk.desc()]
    page = select(_M.c.pk).select_from(_M).where(and_(*conditions)).order_by(*order).offset(offset)
    return search_pg_fast.rows(session, list(session.execute(page, params).scalars()), base._ROW_COLUMNS)


def _cheap_keys(query: TextQuery) -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[int]]:
    """The relevance order's keys before BM25: words matched, words in the name, shorter name."""
    words = list(query.words)
    hits = _count_of([tsquery(w) for w in words]) if query.partial else literal(0)
    title_hits = _count_of([tsquery(w) for w in words], _titled)
    return hits, title_hits, case((title_hits > 0, func.length(_M.c.name)), else_=0)


def ranked_first_page(session: Session, criteria: Criteria, query: TextQuery, limit: int, most: int,
                      base: Search) -> tuple[list[int], int] | None:
    """The pks of :func:`search_by_relevance`'s first page when at most ``most`` fiches match,
    and how many match, read by one statement; None when more match (none is scored then) or
    none does (the caller counts and pages as before)."""
    conditions = base._conditions(session, criteria, base.PLAIN)
    page, total = _ranked_page(session, list(query.words), conditions, _cheap_keys(query), False, limit, 0, most)
    found = through_indexes(session, page.add_columns(total), base._params(session, criteria))
    return ([row[0] for row in found], int(found[0][1])) if found else None


def _ranked_page(session: Session, words: list[QueryWord], conditions: list[ColumnElement[bool]],
                 keys: tuple[ColumnElement[int], ...], descending: bool, limit: int, offset: int,
                 most: int | None = None) -> tuple[AnySelect, ColumnElement[int]]:
    """The statement of one page's pks in relevance order, BM25 computed for few matches only,
    and the number of matches (a scalar subquery over the same matches); ``most``: no fiche is
    scored, and the page is empty, when more match.

    The cheap keys (words matched, words in the name, shorter name) order the matches first:
    only those whose keys come no later than the page's last row's can be on the page, so the
    score, which counts the phrases in every indexed column of a fiche (≈ 0.02 ms each, see
    search_pg_rank), is computed for those alone —
    the same page as scoring every match ("techn" at 10,000 fiches: 1,300 scored before, ~200 now).
    """
    sign = 1 if descending else -1  # each key written so that the wanted order is ascending
    hits, title_hits, shortness = keys
    cheap = (select(_M.c.pk.label("pk"), (literal(sign) * hits).label("k1"), (literal(sign) * title_hits).label("k2"),
                    (literal(-sign) * shortness).label("k3"))
             .select_from(_M).where(and_(*conditions)).cte("ranking_keys"))
    total = select(func.count()).select_from(cheap).scalar_subquery()
    ordered = (cheap.c.k1, cheap.c.k2, cheap.c.k3)
    last = select(*ordered).order_by(*ordered).offset(offset + limit - 1).limit(1).subquery("page_end")
    within = or_(last.c.k1.is_(None), tuple_(*ordered) <= tuple_(last.c.k1, last.c.k2, last.c.k3))
    # Materialized, then each candidate's fiche looked up by pk: joined first, PostgreSQL would
    # read the whole table to keep a few hundred rows.
    chosen = (select(cheap).select_from(cheap.outerjoin(last, true()))
              .where(within, *([total <= most] if most is not None else []))
              .cte("page_candidates").prefix_with("MATERIALIZED"))
    scored = (select(_score(session, words).label("score"), _M.c.sort_key.label("sort_key"))
              .where(_M.c.pk == chosen.c.pk).limit(1).lateral("scored"))  # LIMIT: kept a lookup per row
    keys = (chosen.c.k1, chosen.c.k2, chosen.c.k3)
    order: list[Any] = [*keys, scored.c.score, scored.c.sort_key, chosen.c.pk]
    if descending:
        order = [*keys, scored.c.score.desc(), scored.c.sort_key.desc(), chosen.c.pk.desc()]
    page = (select(chosen.c.pk).select_from(chosen.join(scored, true())).order_by(*order)
            .offset(offset).limit(limit))
    return page, total


def _tiered_pks(session: Session, criteria: Criteria, query: TextQuery, limit: int, offset: int,
                base: Search) -> list[int]:
    """One page when matches are many (as :func:`db.catalogue.search._tiered_pks`): the fiches
    whose name holds words first, then the other matches in name order."""
    titles = [tsquery(w) for w in query.words]
    title_any = _titled(" | ".join(f"({t})" for t in titles))
    params = base._params(session, criteria)
    # One word: a name holding it matches the text (the name is indexed text too); testing the
    # whole text as well made PostgreSQL intersect both indexes and recheck every long text.
    conditions = base._conditions(session, criteria, base.PLAIN, skip_text=len(query.words) == 1)
    first = (select(_M.c.pk).select_from(_M).where(and_(*conditions), title_any)
             .order_by(*([_count_of(titles, _titled).desc()] if len(titles) > 1 else []),  # else 1 for all
                       func.length(_M.c.name), _M.c.sort_key, _M.c.pk)
             .limit(offset + limit))
    named = list(session.execute(first, params).scalars())
    pks = named[offset:offset + limit]
    if len(pks) == limit:
        return pks
    rest = replace(criteria, sort="name")
    skip, wanted = max(0, offset - len(named)), limit - len(pks)
    page = base._filtered(session, rest, [_M.c.pk]).where(not_(title_any))
    page = base._order(session, rest, page).limit(wanted).offset(skip)
    return pks + list(session.execute(page, base._params(session, rest)).scalars())
