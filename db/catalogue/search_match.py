"""SQLite: which métiers match the typed words, read from two FTS5 tables (migration 0014).

- ``metier_fts``: a métier's own indexed text (name and labels, synonyms, interest and sector
  labels, description: :data:`OWN_COLUMNS`);
- ``metier_fts_rome``: the ROME job titles of its codes (``search_rome``), alone.

Why two: FTS5 rewrites a row's whole entry when one of its columns changes. With the ROME job
titles beside the description, importing ROME rewrote ≈ 15 KB of indexed text for each of the
1,722 métiers citing a code (3.5–4 s CPU); alone, only their titles are rewritten (≈ 0.5 s).

A métier matches the query when its own text does, or its ROME titles do (each table is asked
the same FTS5 expression, ``:fts_match``: at least ``required`` of the words, all of them by
default). A query mixing a word found only in a fiche's own text with one found only in its
ROME titles matches neither alone: the search then keeps the fiches holding the most words
(:func:`words_found` counts a word found in either table), so that fiche still comes first, with
the notice that no fiche holds every word. (Testing each word in both tables costs 3–4× more at
100,000 métiers: ``boulanger agricole`` 25 → 97 ms CPU, the sentence case 44 → 179 ms.)
Relevance adds the BM25 scores of both tables (each with its own column weights).
"""
from __future__ import annotations

from collections.abc import Callable

from typing import TYPE_CHECKING

from sqlalchemy import Connection, TextClause, literal_column, select, text
from sqlalchemy.orm import Session

from db.catalogue.search_text import QueryWord, fts_expression
from db.models import AnySelect

if TYPE_CHECKING:
    from db.catalogue.search import TextQuery

OWN_COLUMNS = ("search_title", "search_synonyms", "search_tags", "search_text")
ROME_COLUMN = "search_rome"
ROME_FTS = "metier_fts_rome"
_OWN_HIT = "SELECT rowid FROM metier_fts WHERE metier_fts MATCH :{}"
# BM25 weight of the ROME titles beside metier_fts's columns (search.WEIGHTS): many titles per
# code, loosely related to each métier citing it, so they weigh little.
ROME_WEIGHT = 1.5
_ROME_HIT = "SELECT rowid FROM metier_fts_rome WHERE metier_fts_rome MATCH :{}"


def create_rome_fts(conn: Connection, prefixes: str | None) -> None:
    """Create ``metier_fts_rome`` over ``metiers.search_rome`` and the triggers that keep it in
    sync (external content, as :func:`db.catalogue.search_index.create_fts`); ``prefixes``: the
    FTS5 ``prefix`` option, the same lists as the main table so a short prefix reads one list."""
    if conn.dialect.name != "sqlite":
        return
    delete_old = (f"INSERT INTO {ROME_FTS}({ROME_FTS}, rowid, {ROME_COLUMN}) "
                  f"VALUES ('delete', old.pk, old.{ROME_COLUMN}); ")
    insert_new = f"INSERT INTO {ROME_FTS}(rowid, {ROME_COLUMN}) VALUES (new.pk, new.{ROME_COLUMN}); "
    for statement in (
        f"CREATE VIRTUAL TABLE {ROME_FTS} USING fts5({ROME_COLUMN}, content='metiers', content_rowid='pk', "
        "tokenize='unicode61 remove_diacritics 2'" + (f", prefix='{prefixes}')" if prefixes else ")"),
        f"CREATE TRIGGER metiers_fts_rome_ai AFTER INSERT ON metiers BEGIN {insert_new}END",
        f"CREATE TRIGGER metiers_fts_rome_ad AFTER DELETE ON metiers BEGIN {delete_old}END",
        f"CREATE TRIGGER metiers_fts_rome_au AFTER UPDATE OF {ROME_COLUMN} ON metiers "
        f"BEGIN {delete_old}{insert_new}END",
        f"INSERT INTO {ROME_FTS}({ROME_FTS}) VALUES ('rebuild')",
        f"CREATE VIRTUAL TABLE {ROME_FTS}_vocab USING fts5vocab({ROME_FTS}, 'row')",
    ):
        conn.exec_driver_sql(statement)


def drop_rome_fts(conn: Connection) -> None:
    """Drop ``metier_fts_rome`` and its triggers (see :func:`create_rome_fts`)."""
    if conn.dialect.name != "sqlite":
        return
    for name in ("metiers_fts_rome_ai", "metiers_fts_rome_ad", "metiers_fts_rome_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ROME_FTS}_vocab")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {ROME_FTS}")


def rome_only() -> str:
    """SELECT rowid of the métiers whose ROME titles alone match the query (``:fts_match``, the
    same FTS5 expression as on ``metier_fts``)."""
    return _ROME_HIT.format("fts_match")


def matching(match: str | None) -> TextClause:
    """SELECT pk of the métiers matching the FTS5 expression ``match`` in either table. One
    subquery (not two ORed): SQLite then finds the matches from it rather than test every fiche."""
    sql = f"{_OWN_HIT.format('fts_match')} UNION ALL {rome_only()}"
    return text(sql).bindparams(fts_match=match)


def any_match(session: Session, expression: str) -> bool:
    """Whether at least one métier matches the FTS5 ``expression`` in either table."""
    return any(session.execute(text(hit.format("m") + " LIMIT 1"), {"m": expression}).first() is not None
               for hit in (_OWN_HIT, _ROME_HIT))


def words_found(words: tuple[QueryWord, ...], tag: str, expression: Callable[[QueryWord], str], *,
                rome: bool) -> tuple[str, dict[str, str]]:
    """SQL of (pk, n): how many of the query's words each métier matches through ``expression``
    (in either table when ``rome``), with its parameters (``:fts_<tag><i>``)."""
    params = {f"fts_{tag}{i}": expression(word) for i, word in enumerate(words)}
    branches = []
    for i, name in enumerate(params):
        branches.append(f"SELECT rowid AS pk, {i} AS w FROM metier_fts WHERE metier_fts MATCH :{name}")
        if rome:
            branches.append(f"SELECT rowid AS pk, {i} AS w FROM metier_fts_rome WHERE metier_fts_rome MATCH :{name}")
    # UNION: a word found in both tables counts once.
    return f"SELECT pk, count(*) AS n FROM ({' UNION '.join(branches)}) GROUP BY pk", params


def scored(weights: str) -> str:
    """SELECT pk, score of the matching métiers: BM25 over ``metier_fts`` (its column
    ``weights``) plus BM25 over their ROME titles (weight :data:`ROME_WEIGHT`), lower first."""
    return (f"SELECT pk, sum(score) AS score FROM (SELECT rowid AS pk, bm25(metier_fts, {weights}) AS score "
            f"FROM metier_fts WHERE metier_fts MATCH :fts_match UNION ALL SELECT rowid, "
            f"bm25(metier_fts_rome, {ROME_WEIGHT}) FROM metier_fts_rome WHERE metier_fts_rome MATCH :fts_match) "
            f"GROUP BY pk")


VOCABULARY = ("SELECT term FROM metier_fts_vocab WHERE term >= :low AND term < :high UNION "
              "SELECT term FROM metier_fts_rome_vocab WHERE term >= :low AND term < :high")
# FTS5's structure records: each table rewrites its own on every write.
STRUCTURE = ("SELECT (SELECT hex(block) FROM metier_fts_data WHERE id = 10) || "
             "(SELECT hex(block) FROM metier_fts_rome_data WHERE id = 10)")


# ------------------------------------------------------------------ relevance (SQL of search.py's pages)
def ranking(query: TextQuery, weights: tuple[float, ...]) -> tuple[AnySelect, dict[str, str]]:
    """SELECT pk, hits, title_hits, score over the métiers matching ``query``.

    One BM25 pass over the matches (all of them match every required word); the words found
    in titles, and — when fewer words than all are required — how many words each fiche
    holds, come from one small query per word.
    """
    titles, params = words_found(query.words, "t", title_expression, rome=False)
    bm25 = scored(", ".join(str(w) for w in weights))
    sql = (f"SELECT s.pk AS pk, {'coalesce(h.n, 0)' if query.partial else '0'} AS hits, "
           f"coalesce(t.n, 0) AS title_hits, s.score AS score FROM ({bm25}) s "
           f"LEFT JOIN ({titles}) t ON t.pk = s.pk")
    if query.partial:
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
