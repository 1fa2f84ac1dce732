"""SQLite: which métiers match the typed words, read from two FTS5 tables (migrations 0014, 0015).

- ``metier_fts``: a métier's own indexed text (name and labels, synonyms, interest and sector
  labels, description: :data:`OWN_COLUMNS`);
- ``rome_fts``: the ROME job titles, one row per ROME code (:data:`ROME_FTS`), reached from a
  métier through its current codes (``metier_rome``).

Why per code: the titles of a code are shared by every métier citing it. Indexed per métier
(migration 0014's ``metier_fts_rome``), importing ROME rewrote the titles of the 1,722 métiers
citing a code (≈ 2.9 MB of indexed text, 0.3 s for the row writes alone); per code, the import
writes ≈ 1,600 short rows once, and a métier's ROME titles follow its links with no write at all.
On SQLite ``metiers.search_rome`` therefore stays empty: PostgreSQL's tsvector alone reads it
(:mod:`db.catalogue.search_pg`, written by :func:`db.catalogue.search_index.reindex_rome`).

A métier matches when each required word is found in its own text or in the titles of its
codes, as in PostgreSQL's single tsvector (:mod:`db.catalogue.search_pg`). Usually one table
holds every word of a match, and both tables are asked the same FTS5 expression (``:fts_match``:
at least ``required`` of the words, all of them by default): FTS5 intersects the words' lists
itself. Only when no fiche matches that way (:func:`most_words`) and a cited code's titles hold
one of the words are the words counted across both tables, one FTS5 query per word and table
(:func:`across_tables`, the query's ``mixed``): a fiche whose own text says "foundations" and
whose ROME titles say "briqueteur" then matches "foundations briqueteur" fully, with no notice
that no fiche holds every word. While some fiche holds every word in one table, the others
holding them only across both are added too on catalogues of up to :data:`EXACT_ACROSS_MAX`
métiers (every real one): the same fiches as PostgreSQL. Beyond (synthetic copies),
they are not: the per-word reading would then cost up to 144 ms at 100,000 (:func:`exact_across`).
Relevance adds the BM25 score of the fiche's own text and the best one of its codes' titles.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import Connection, TextClause, literal_column, select, text
from sqlalchemy.orm import Session

from db.catalogue.search_text import MAX_COMBINED_WORDS, QueryWord, fts_at_least, fts_expression, index_text
from db.models import AnySelect

if TYPE_CHECKING:
    from db.catalogue.search import TextQuery

OWN_COLUMNS = ("search_title", "search_synonyms", "search_tags", "search_text")
ROME_COLUMN = "search_rome"
ROME_FTS = "rome_fts"
# Up to this many métiers (every real catalogue: 1,603 with ONISEP and ROME imported), the words
# are always read across both tables when a cited code's titles hold one (see exact_across).
EXACT_ACROSS_MAX = 5_000
_OWN_HIT = "SELECT rowid FROM metier_fts WHERE metier_fts MATCH :{}"
# BM25 weight of the ROME titles beside metier_fts's columns (search.WEIGHTS): many titles per
# code, loosely related to each métier citing it, so they weigh little.
ROME_WEIGHT = 1.5
# The codes whose titles match, then the métiers citing them as current codes (ix_metier_rome_code).
_ROME_CODES = "SELECT code FROM rome_fts WHERE rome_fts MATCH :{}"
_ROME_HIT = ("SELECT mr.metier_pk FROM rome_fts JOIN metier_rome mr ON mr.code = rome_fts.code "
             "AND NOT mr.is_legacy WHERE rome_fts MATCH :{}")


# ------------------------------------------------------------------ the ROME titles' index (per code)
def create_code_fts(conn: Connection) -> None:
    """Create ``rome_fts`` (a code, UNINDEXED, and the indexed text of its job titles) and its
    word list ``rome_fts_vocab``, filled from ``rome_appellations``. Not kept by triggers: its
    text is computed in Python (:func:`refresh_code_fts`), by the ROME import, this migration and
    a transfer into a SQLite file. No prefix lists (unlike ``metier_fts``): a prefix merges the
    lists of a few words over ≈ 1,600 rows, cheap, while keeping them doubles the import's writes."""
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {ROME_FTS} USING fts5(code UNINDEXED, titles, "
                         "tokenize='unicode61 remove_diacritics 2')")
    conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {ROME_FTS}_vocab USING fts5vocab({ROME_FTS}, 'row')")
    refresh_code_fts(conn, None)


def drop_code_fts(conn: Connection) -> None:
    """Drop ``rome_fts`` (see :func:`create_code_fts`)."""
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ROME_FTS}_vocab")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ROME_FTS}")


def refresh_code_fts(conn: Connection, codes: Iterable[str] | None) -> int:
    """Rewrite the ``rome_fts`` rows of ``codes`` (every code when None) from their job titles
    in ``rome_appellations``: a few statements whatever their number. SQLite only (0 elsewhere);
    returns how many codes hold titles."""
    if conn.dialect.name != "sqlite":
        return 0
    wanted = None if codes is None else sorted(set(codes))
    titles: dict[str, list[str]] = {}
    rows = conn.exec_driver_sql("SELECT rome_code, label FROM rome_appellations ORDER BY rome_code, code_ogr")
    for code, label in rows.fetchall():  # (not row by row: 13,120 titles)
        titles.setdefault(code, []).append(label)
    if wanted is None:
        conn.exec_driver_sql(f"DELETE FROM {ROME_FTS}")
        wanted = sorted(titles)
    else:  # the code is not indexed: its rows are found in one pass, then deleted by rowid
        kept = set(wanted)
        stale = [(rowid,) for rowid, code in conn.exec_driver_sql(f"SELECT rowid, code FROM {ROME_FTS}").fetchall()
                 if code in kept]
        if stale:
            conn.exec_driver_sql(f"DELETE FROM {ROME_FTS} WHERE rowid = ?", stale)
    fresh = [(code, indexed_titles(titles[code])) for code in wanted if code in titles]
    if fresh:
        conn.exec_driver_sql(f"INSERT INTO {ROME_FTS} (code, titles) VALUES (?, ?)", fresh)
    return len(fresh)


def indexed_titles(labels: list[str]) -> str:
    """The indexed text of a code's ROME job titles: the words of :func:`index_text` over them
    (folded once for the whole list, one line per title)."""
    return index_text(["\n".join(labels)])


# ------------------------------------------------------------------ migration 0014's per-métier index
_OLD_ROME_FTS = "metier_fts_rome"


def create_rome_fts(conn: Connection, prefixes: str | None) -> None:
    """Migration 0014 (and 0015's downgrade): ``metier_fts_rome`` over ``metiers.search_rome``
    and the triggers that keep it in sync (external content, as
    :func:`db.catalogue.search_index.create_fts`)."""
    if conn.dialect.name != "sqlite":
        return
    table = _OLD_ROME_FTS
    delete_old = (f"INSERT INTO {table}({table}, rowid, {ROME_COLUMN}) "
                  f"VALUES ('delete', old.pk, old.{ROME_COLUMN}); ")
    insert_new = f"INSERT INTO {table}(rowid, {ROME_COLUMN}) VALUES (new.pk, new.{ROME_COLUMN}); "
    for statement in (
        f"CREATE VIRTUAL TABLE {table} USING fts5({ROME_COLUMN}, content='metiers', content_rowid='pk', "
        "tokenize='unicode61 remove_diacritics 2'" + (f", prefix='{prefixes}')" if prefixes else ")"),
        f"CREATE TRIGGER metiers_fts_rome_ai AFTER INSERT ON metiers BEGIN {insert_new}END",
        f"CREATE TRIGGER metiers_fts_rome_ad AFTER DELETE ON metiers BEGIN {delete_old}END",
        f"CREATE TRIGGER metiers_fts_rome_au AFTER UPDATE OF {ROME_COLUMN} ON metiers "
        f"BEGIN {delete_old}{insert_new}END",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",
        f"CREATE VIRTUAL TABLE {table}_vocab USING fts5vocab({table}, 'row')",
    ):
        conn.exec_driver_sql(statement)


def drop_rome_fts(conn: Connection) -> None:
    """Drop ``metier_fts_rome`` and its triggers (see :func:`create_rome_fts`)."""
    if conn.dialect.name != "sqlite":
        return
    for name in ("metiers_fts_rome_ai", "metiers_fts_rome_ad", "metiers_fts_rome_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_OLD_ROME_FTS}_vocab")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_OLD_ROME_FTS}")


# ------------------------------------------------------------------ matching
def rome_only() -> str:
    """SELECT metier_pk of the métiers whose ROME titles alone match the query (``:fts_match``,
    the same FTS5 expression as on ``metier_fts``); a métier citing two matching codes comes twice."""
    return _ROME_HIT.format("fts_match")


def few_rows(session: Session, expression: str | None, most: int, titles_only: bool = False) -> bool:
    """Whether at most ``most`` rows of both FTS5 tables (of ROME titles only) match
    ``expression``, other criteria aside: read up to one more, none looked up in the table."""
    own = "" if titles_only else f"{_OWN_HIT.format('fts_match')} UNION ALL "
    found = session.execute(text(f"SELECT count(*) FROM ({own}{rome_only()} LIMIT :upto)"),
                            {"fts_match": expression, "upto": most + 1}).scalar_one()
    return int(found) <= most


def matching(match: str | None) -> TextClause:
    """SELECT pk of the métiers matching the FTS5 expression ``match`` in either table. One
    subquery (not two ORed): SQLite then finds the matches from it rather than test every fiche."""
    sql = f"{_OWN_HIT.format('fts_match')} UNION ALL {rome_only()}"
    return text(sql).bindparams(fts_match=match)


def any_match(session: Session, expression: str, tables: tuple[str, ...] = (_OWN_HIT, _ROME_HIT)) -> bool:
    """Whether at least one métier matches the FTS5 ``expression`` in either table (in ``tables``)."""
    return any(session.execute(text(hit.format("m") + " LIMIT 1"), {"m": expression}).first() is not None
               for hit in tables)


def most_words(session: Session, query: TextQuery) -> TextQuery:
    """``query`` with ``required`` set to the most of its words that at least one fiche matches
    (all of them when possible), reading words across both tables when needed (:func:`across_tables`)."""
    for required in range(len(query.words), 1, -1):
        if any_match(session, replace(query, required=required).quick_match or ""):
            break
    else:
        required = 1
    return across_tables(session, replace(query, required=required))


def across_tables(session: Session, query: TextQuery) -> TextQuery:
    """``query`` (its ``required`` found in one table at a time) made ``mixed`` when a fiche may
    hold words in its own text and others in its codes' titles: some cited code's titles hold a
    word, and not every word is found in one table. ``required`` is then the most words a fiche
    holds across both (at least ``query.required``), read as PostgreSQL reads them."""
    count = len(query.words)
    if count < 2 or (query.required >= count and not exact_across(session)):
        return query
    if not any_match(session, " OR ".join(f"({e})" for e in query.word_matches), (_ROME_HIT,)):
        return query  # no word in the titles of a cited code: the one-table reading is exact
    # Only a fiche holding more than one word, and at least as many as one table gives, changes
    # the answer (beyond MAX_COMBINED_WORDS: every word); it holds one of the count - least + 1
    # words with the fewest ROME codes (its candidates, see _across).
    least = count if count > MAX_COMBINED_WORDS else max(2, query.required)
    codes = [session.execute(text(f"SELECT count(*) FROM {ROME_FTS} WHERE {ROME_FTS} MATCH :m"), {"m": e}).scalar_one()
             for e in query.word_matches]
    drivers = sorted(range(count), key=lambda i: codes[i])[:count - least + 1]
    across, params = _across(query.word_matches, "u", drivers)
    held: dict[int, int] = {int(pk): int(n) for pk, n in session.execute(text(across), params)}
    best = max(held.values(), default=0)
    mixed = replace(query, required=max(best, query.required))
    # Beyond MAX_COMBINED_WORDS "at least k" is "any word" (fts_at_least, as on PostgreSQL); any
    # word (a threshold of 1) is found in one table: FTS5 then finds the same fiches alone.
    if best < query.required or (best < count and count > MAX_COMBINED_WORDS) or _threshold(mixed) < 2:
        return query
    # Kept with the query (the search reads it several times: count, page, facets), as JSON.
    return replace(mixed, across=json.dumps(sorted(pk for pk, n in held.items() if n >= _threshold(mixed))))


def exact_across(session: Session) -> bool:
    """Whether fiches holding every word only across both tables are looked for even when some
    fiche holds every word in one table: on catalogues of up to :data:`EXACT_ACROSS_MAX` métiers
    (read from the largest pk, one index step). Its cost grows with the words' matches: the
    reading, then the search of a ``mixed`` query (not ranked by search_pg-like first pages).
    Measured on 15 two- and three-word searches (read and first page): 3–11 ms on the real
    catalogue of 1,603 métiers with ONISEP and ROME imported; at most 31 ms (24 without) on 5,000
    copies of it; 140 ms (37 without) on 20,000; the reading alone 5–144 ms on 100,000."""
    size = session.execute(text("SELECT max(pk) FROM metiers")).scalar() or 0
    return int(size) <= EXACT_ACROSS_MAX


def _threshold(query: TextQuery) -> int:
    """How many words a fiche of a ``mixed`` query holds at least (as :func:`fts_at_least` reads it)."""
    count = len(query.words)
    required = query.required or count
    return required if required >= count or count <= MAX_COMBINED_WORDS else 1


def _across(expressions: tuple[str, ...], tag: str, drivers: list[int]) -> tuple[str, dict[str, str]]:
    """SQL of (pk, n) with its parameters (``:fts_<tag><i>``): how many of the words (FTS5
    ``expressions``, one per word) each candidate holds in its own text or its codes' titles.

    The candidates are the métiers holding one of the words ``drivers`` (their indexes) and citing
    a code whose titles hold one of the words: the others hold in their own text all the words they
    hold (FTS5 finds them alone), or none of the drivers. So a métier holding more than
    ``len(expressions) - len(drivers)`` words is counted, exactly. The drivers with the fewest
    codes keep the candidates few ("technicien briqueteur": the 109 citing a code of "briqueteur",
    not the 18,000 of "technicien" at 100,000 métiers). Each word's own matches are read as one
    list and tested against the candidates ("+rowid": not looked up in FTS5 one query each).
    """
    params = {f"fts_{tag}{i}": expression for i, expression in enumerate(expressions)}
    names = list(params)
    codes = " UNION ALL ".join(f"SELECT code, {i} AS w FROM {ROME_FTS} WHERE {ROME_FTS} MATCH :{name}"
                               for i, name in enumerate(names))
    cited = "EXISTS (SELECT 1 FROM metier_rome mr WHERE mr.metier_pk = metier_fts.rowid AND NOT mr.is_legacy " \
            "AND mr.code IN (SELECT code FROM codes))"
    candidates = " UNION ".join(
        [f"SELECT mr.metier_pk FROM codes JOIN metier_rome mr ON mr.code = codes.code AND NOT mr.is_legacy "
         f"WHERE codes.w = {i}" for i in drivers]
        + [f"SELECT rowid FROM metier_fts WHERE metier_fts MATCH :{names[i]} AND {cited}" for i in drivers])
    found = " UNION ".join(
        ["SELECT c.pk, codes.w FROM candidates c JOIN metier_rome mr ON mr.metier_pk = c.pk AND NOT mr.is_legacy "
         "JOIN codes ON codes.code = mr.code"]
        + [f"SELECT rowid, {i} FROM metier_fts WHERE metier_fts MATCH :{name} "
           "AND +rowid IN (SELECT pk FROM candidates)" for i, name in enumerate(names)])
    return (f"WITH codes(code, w) AS MATERIALIZED ({codes}), candidates(pk) AS MATERIALIZED ({candidates}) "
            f"SELECT pk, count(*) AS n FROM ({found}) GROUP BY pk"), params


def _mixed(query: TextQuery) -> tuple[str, dict[str, str]]:
    """SELECT pk (each once) of the métiers holding enough words of the ``mixed`` ``query``: those
    whose own text holds them (one FTS5 expression, :attr:`quick_match`), and those holding them
    across both tables (``query.across``, found by :func:`across_tables`), with its parameters."""
    own = "SELECT rowid AS pk FROM metier_fts WHERE metier_fts MATCH :fts_mixed"
    return (f"{own} UNION SELECT value FROM json_each(:fts_across)",
            {"fts_mixed": query.quick_match or "", "fts_across": query.across or "[]"})


def mixed_matching(query: TextQuery) -> TextClause:
    """SELECT pk of the métiers holding enough words of the ``mixed`` ``query`` (:func:`_mixed`)."""
    sql, params = _mixed(query)
    return text(sql).bindparams(**params)


def words_found(words: tuple[QueryWord, ...], tag: str, expression: Callable[[QueryWord], str], *,
                rome: bool) -> tuple[str, dict[str, str]]:
    """SQL of (pk, n): how many of the query's words each métier matches through ``expression``
    (in either table when ``rome``), with its parameters (``:fts_<tag><i>``)."""
    return _found(tuple(expression(word) for word in words), tag, rome=rome)


def _found(expressions: tuple[str, ...], tag: str, *, rome: bool) -> tuple[str, dict[str, str]]:
    """:func:`words_found` of one FTS5 expression per word."""
    params = {f"fts_{tag}{i}": expression for i, expression in enumerate(expressions)}
    branches = []
    for i, name in enumerate(params):
        branches.append(f"SELECT rowid AS pk, {i} AS w FROM metier_fts WHERE metier_fts MATCH :{name}")
        if rome:
            branches.append(f"SELECT metier_pk AS pk, {i} AS w FROM ({_ROME_HIT.format(name)})")
    # UNION: a word found in both tables (or in two codes' titles) counts once.
    return f"SELECT pk, count(*) AS n FROM ({' UNION '.join(branches)}) GROUP BY pk", params


def scored(weights: str, match: str = "fts_match", within: str = "") -> str:
    """SELECT pk, score of the métiers matching ``:<match>`` (and among ``within``, a bracketed
    SELECT of pks, when given): BM25 over ``metier_fts`` (its column ``weights``) plus the best
    BM25 of their codes' ROME titles (weight :data:`ROME_WEIGHT`), lower first."""
    # LIMIT -1: a subquery SQLite may not flatten into the join (bm25 needs the FTS5 scan itself).
    among = f" AND mr.metier_pk IN {within}" if within else ""
    rome = (f"SELECT mr.metier_pk AS pk, min(r.score) AS score FROM (SELECT code, "
            f"bm25({ROME_FTS}, 0, {ROME_WEIGHT}) AS score FROM {ROME_FTS} WHERE {ROME_FTS} MATCH :{match} "
            "LIMIT -1) r "
            f"JOIN metier_rome mr ON mr.code = r.code AND NOT mr.is_legacy{among} GROUP BY mr.metier_pk")
    return (f"SELECT pk, sum(score) AS score FROM (SELECT rowid AS pk, bm25(metier_fts, {weights}) AS score "
            f"FROM metier_fts WHERE metier_fts MATCH :{match}{' AND +rowid IN ' + within if within else ''} "
            f"UNION ALL {rome}) GROUP BY pk")


VOCABULARY = ("SELECT term FROM metier_fts_vocab WHERE term >= :low AND term < :high UNION "
              f"SELECT term FROM {ROME_FTS}_vocab WHERE term >= :low AND term < :high")
# FTS5's structure records: each table rewrites its own on every write.
STRUCTURE = ("SELECT (SELECT hex(block) FROM metier_fts_data WHERE id = 10) || "
             f"(SELECT hex(block) FROM {ROME_FTS}_data WHERE id = 10)")


# ------------------------------------------------------------------ relevance (SQL of search.py's pages)
def ranking(query: TextQuery, weights: tuple[float, ...]) -> tuple[AnySelect, dict[str, str]]:
    """SELECT pk, hits, title_hits, score over the métiers matching ``query``.

    One BM25 pass over the matches (all of them match every required word); the words found
    in titles, and — when fewer words than all are required — how many words each fiche
    holds, come from one small query per word. A ``mixed`` query's fiches may match its words
    in neither table alone: BM25 is then asked any of the words (each word's phrases are then
    counted once, where "at least k" counts them as often in every fiche: the same order) for
    the fiches holding enough words across both tables (:func:`_mixed`) alone.
    """
    titles, params = words_found(query.words, "t", title_expression, rome=False)
    bm25 = scored(", ".join(str(w) for w in weights), *(("fts_any", "(SELECT pk FROM h)") if query.mixed else ()))
    sql = (f"SELECT s.pk AS pk, {'coalesce(h.n, 0)' if query.partial else '0'} AS hits, "
           f"coalesce(t.n, 0) AS title_hits, s.score AS score FROM ({bm25}) s "
           f"LEFT JOIN ({titles}) t ON t.pk = s.pk")
    if query.mixed:
        matched, word_params = _mixed(query)
        if query.partial:  # how many words each one holds, in either table
            counted, counted_params = _found(query.word_matches, "h", rome=True)
            matched = f"SELECT c.pk AS pk, c.n AS n FROM ({counted}) c WHERE c.pk IN ({matched})"
            word_params |= counted_params
        else:
            matched = f"SELECT pk, 0 AS n FROM ({matched})"
        sql = f"WITH h AS MATERIALIZED ({matched}) {sql} JOIN h ON h.pk = s.pk"
        params |= word_params | {"fts_any": fts_at_least(list(query.words), 1) or ""}
    elif query.partial:
        words, word_params = words_found(query.words, "h", fts_expression, rome=True)
        sql += f" LEFT JOIN ({words}) h ON h.pk = s.pk"
        params |= word_params
    columns = text(sql).columns(literal_column("pk"), literal_column("hits"), literal_column("title_hits"),
                                literal_column("score"))
    return select(columns.subquery("ranked")), params


def title_ranking(query: TextQuery) -> tuple[AnySelect, dict[str, str]]:
    """SELECT pk, title_hits over the métiers whose name or labels hold at least one word."""
    titles, params = words_found(query.words, "t", title_expression, rome=False)
    columns = text(f"SELECT pk, n AS title_hits FROM ({titles})").columns(literal_column("pk"),
                                                                          literal_column("title_hits"))
    return select(columns.subquery("title_ranked")), params


def title_params(query: TextQuery) -> dict[str, str]:
    """``:fts_title_any``: a fiche whose name or labels hold at least one word of ``query``."""
    return {"fts_title_any": " OR ".join(f"({title_expression(word)})" for word in query.words)}


def title_expression(word: QueryWord) -> str:
    """FTS5: the query word found in the job's own name or labels (same forms as anywhere else)."""
    return "{search_title} : (" + fts_expression(word) + ")"
