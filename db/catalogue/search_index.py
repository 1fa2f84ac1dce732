"""The indexed text of métiers: recomputed from the rows, one way for every writer.

:func:`reindex` is the only code that writes the ``search_*`` columns of ``metiers`` (the
full-text index follows them through its triggers, see :func:`create_fts`).
The catalogue writer calls it after a write, the ROME import after new job titles arrive, the
merge of twin fiches after it copies sectors or interests, and the migration that introduced
these columns for every existing fiche. So the index always says what the rows say.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from db.catalogue.search_text import OwnText, index_text
from db.models import (InterestRow, Metier, MetierInterest, MetierRome, MetierSection, MetierSector,
                       MetierSynonym, RomeAppellationRow, SectorRow, table_of)

_M = table_of(Metier)
_CHUNK = 500
SEARCH_COLUMNS = ("search_title", "search_synonyms", "search_rome", "search_tags", "search_text")


def reindex(conn: Connection, pks: Sequence[int] | None = None, known: Mapping[int, OwnText] | None = None) -> int:
    """Recompute the indexed text of the métiers ``pks`` (every métier when None); returns how many.

    ``known``: pk → :class:`OwnText` of métiers the caller has just written from their records
    (:func:`~db.catalogue.search_text.own_text`): those columns are taken from there instead of being read back and
    indexed again; they must be what the rows say."""
    if pks is None:
        pks = list(conn.execute(select(_M.c.pk).order_by(_M.c.pk)).scalars())
    done = 0
    for start in range(0, len(pks), _CHUNK):
        rows = _index_rows(conn, list(pks[start:start + _CHUNK]), known or {})
        if len(rows) > 1 and conn.dialect.name == "sqlite":
            _update_at_once(conn, rows)
        elif rows:
            values: dict[str, Any] = {column: bindparam(column) for column in SEARCH_COLUMNS}
            conn.execute(update(_M).where(_M.c.pk == bindparam("b_pk")).values(values), rows)
        done += len(rows)
    return done


def _update_at_once(conn: Connection, rows: list[dict[str, object]]) -> None:
    """The ``search_*`` columns of ``rows`` written by ONE statement (SQLite), from a temporary
    table: FTS5 writes its pending terms to disk at the end of every statement, so an UPDATE per
    métier made one small index segment per métier and then merged them all (the 893 ONISEP fiches
    spent about a third of their import there); one statement makes one segment."""
    names = ", ".join(SEARCH_COLUMNS)
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS reindexed (pk INTEGER PRIMARY KEY, {names})")
    conn.exec_driver_sql("DELETE FROM temp.reindexed")  # left by a statement that failed after filling it
    conn.exec_driver_sql(f"INSERT INTO temp.reindexed (pk, {names}) VALUES (?{', ?' * len(SEARCH_COLUMNS)})",
                         [(row["b_pk"], *(row[c] for c in SEARCH_COLUMNS)) for row in rows])
    # Row values in SET (SQLite ≥ 3.15), not UPDATE … FROM (≥ 3.33): any SQLite Python ships.
    conn.exec_driver_sql(f"UPDATE metiers SET ({names}) = (SELECT {names} FROM temp.reindexed AS r "
                         "WHERE r.pk = metiers.pk) WHERE pk IN (SELECT pk FROM temp.reindexed)")
    conn.exec_driver_sql("DELETE FROM temp.reindexed")


def rome_column_used(conn: Connection) -> bool:
    """Whether ``search_rome`` is kept on this engine: PostgreSQL's tsvector reads it; SQLite
    reaches a métier's ROME titles through its codes (``rome_fts``, migration 0015) and keeps it
    empty, so that importing ROME rewrites no métier."""
    return conn.dialect.name != "sqlite"


def reindex_rome(conn: Connection, pks: Sequence[int], *, everywhere: bool = False) -> int:
    """Recompute only ``search_rome`` — the ROME job titles of each métier's current codes, the
    one indexed column that depends on the ROME tables — for the métiers ``pks``, and write it
    where it changed; returns how many were rewritten. Gives the same text as :func:`reindex`.
    Nothing on SQLite (:func:`rome_column_used`) unless ``everywhere`` (migration 0015's downgrade)."""
    if not (everywhere or rome_column_used(conn)):
        return 0
    done = 0
    titles: dict[str, str] = {}  # a code's job titles are shared by every métier citing it: index each once

    def indexed(labels: list[str]) -> str:  # index_text(labels), title by title
        return " ".join(titles.get(t) or titles.setdefault(t, index_text((t,))) for t in labels if t)

    for start in range(0, len(pks), _CHUNK):
        chunk = list(pks[start:start + _CHUNK])
        rome = _rome_titles(conn, chunk)
        stored = conn.execute(select(_M.c.pk, _M.c.search_rome).where(_M.c.pk.in_(chunk)))
        rows = [{"b_pk": pk, "search_rome": text} for pk, old in stored
                if (text := indexed(rome.get(pk, []))) != old]
        if rows:
            conn.execute(update(_M).where(_M.c.pk == bindparam("b_pk")).values(search_rome=bindparam("search_rome")),
                         rows)
        done += len(rows)
    return done


def _index_rows(conn: Connection, pks: list[int], known: Mapping[int, OwnText]) -> list[dict[str, object]]:
    """The ``search_*`` values of ``pks`` (those in ``known`` take their own text from there)."""
    unknown = [pk for pk in pks if pk not in known]
    own = dict(_own_texts(conn, unknown)) if unknown else {}
    own.update((pk, known[pk]) for pk in pks if pk in known)
    rome = _rome_titles(conn, pks) if rome_column_used(conn) else {}
    tags = _tags(conn, pks)
    return [{
        "b_pk": pk,
        "search_title": own[pk].title,
        "search_synonyms": own[pk].synonyms,
        "search_rome": index_text(rome.get(pk, ())),
        "search_tags": index_text(tags.get(pk, ())),
        "search_text": own[pk].text,
    } for pk in pks if pk in own]  # a pk not in ``known`` whose row is gone: nothing to write


def _own_texts(conn: Connection, pks: list[int]) -> Iterator[tuple[int, OwnText]]:
    """:class:`OwnText` of ``pks``, read from their rows."""
    synonyms = _grouped(conn, pks, MetierSynonym, ("name", "label_f", "label_m"))
    sections = _grouped(conn, pks, MetierSection, ("title", "text"))
    query = select(_M.c.pk, _M.c.name, _M.c.label_f, _M.c.label_m, _M.c.summary).where(_M.c.pk.in_(pks))
    for pk, name, label_f, label_m, summary in conn.execute(query):
        yield pk, OwnText(index_text((name, label_f, label_m)), index_text(synonyms.get(pk, ())),
                          index_text([summary, *sections.get(pk, ())]))


def _grouped(conn: Connection, pks: list[int], model: type, columns: tuple[str, ...]) -> dict[int, list[str]]:
    table = table_of(model)
    result: dict[int, list[str]] = defaultdict(list)
    query = (select(table.c.metier_pk, *(table.c[c] for c in columns))
             .where(table.c.metier_pk.in_(pks)).order_by(table.c.metier_pk, table.c.position))
    for pk, *texts in conn.execute(query):
        result[pk].extend(t for t in texts if t)
    return result


def _rome_titles(conn: Connection, pks: list[int]) -> dict[int, list[str]]:
    """ROME job titles of each métier's current codes (none until ROME is imported)."""
    links, titles = table_of(MetierRome), table_of(RomeAppellationRow)
    query = (select(links.c.metier_pk, titles.c.label)
             .join(titles, titles.c.rome_code == links.c.code)
             .where(links.c.metier_pk.in_(pks), links.c.is_legacy.is_(False)))
    result: dict[int, list[str]] = defaultdict(list)
    for pk, label in conn.execute(query):
        result[pk].append(label)
    return result


def _tags(conn: Connection, pks: list[int]) -> dict[int, list[str]]:
    """The labels of each métier's interests and sectors ("j'aimerais travailler dehors", "Santé")."""
    result: dict[int, list[str]] = defaultdict(list)
    for link_model, label_model, key in ((MetierInterest, InterestRow, "interest_id"),
                                         (MetierSector, SectorRow, "sector_id")):
        links, labels = table_of(link_model), table_of(label_model)
        query = (select(links.c.metier_pk, labels.c.label).join(labels, labels.c.id == links.c[key])
                 .where(links.c.metier_pk.in_(pks)))
        for pk, label in conn.execute(query):
            result[pk].append(label)
    return result


# ------------------------------------------------------------------ full-text index (SQLite)
# Prefix lengths the index keeps a ready list for: a prefix query ("techn"*) of one of these
# lengths reads one list instead of merging those of every indexed word it starts (the merge
# grows with the catalogue: 130-180 ms for "techn" at 100,000 métiers, 2-3 ms with the list).
# Query words and stems are searched by prefix from 3 letters (db.catalogue.search_text).
FTS_PREFIXES = "3 4 5 6 7"


def create_fts(conn: Connection, columns: tuple[str, ...] = SEARCH_COLUMNS, *, prefixes: str | None = None) -> None:
    """Create the FTS5 index over métiers and the triggers that keep it in sync.

    External-content table: the text lives in the ``metiers`` columns ``columns``; the triggers
    mirror every insert, update and delete, so the index cannot drift from the rows. A
    migration that rebuilds ``metiers`` must call :func:`drop_fts` before and this after (older
    migrations pass the columns of their time). ``metier_fts_vocab`` lists the indexed words.
    ``prefixes``: the FTS5 ``prefix`` option (see :data:`FTS_PREFIXES`; None before migration 0009).
    """
    if conn.dialect.name != "sqlite":
        return
    names = ", ".join(columns)
    new_values = ", ".join(f"new.{c}" for c in columns)
    old_values = ", ".join(f"old.{c}" for c in columns)
    delete_old = (f"INSERT INTO metier_fts(metier_fts, rowid, {names}) VALUES ('delete', old.pk, {old_values}); ")
    insert_new = f"INSERT INTO metier_fts(rowid, {names}) VALUES (new.pk, {new_values}); "
    for statement in (
        f"CREATE VIRTUAL TABLE metier_fts USING fts5({names}, content='metiers', "
        "content_rowid='pk', tokenize='unicode61 remove_diacritics 2'"
        + (f", prefix='{prefixes}')" if prefixes else ")"),
        f"CREATE TRIGGER metiers_fts_ai AFTER INSERT ON metiers BEGIN {insert_new}END",
        f"CREATE TRIGGER metiers_fts_ad AFTER DELETE ON metiers BEGIN {delete_old}END",
        f"CREATE TRIGGER metiers_fts_au AFTER UPDATE OF {names} ON metiers BEGIN {delete_old}{insert_new}END",
        "INSERT INTO metier_fts(metier_fts) VALUES ('rebuild')",
        "CREATE VIRTUAL TABLE metier_fts_vocab USING fts5vocab(metier_fts, 'row')",
    ):
        conn.exec_driver_sql(statement)


def optimize_fts(conn: Connection) -> None:
    """Merge each full-text index (``metier_fts``, ``rome_fts``) into one segment (SQLite only).

    For a rewrite of every fiche (a migration): FTS5 makes a segment per statement and merges
    them only bit by bit at later writes, and every search reads every segment meanwhile."""
    if conn.dialect.name != "sqlite":
        return
    from db.catalogue.search_match import ROME_FTS

    for table in ("metier_fts", ROME_FTS):
        conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def drop_fts(conn: Connection) -> None:
    """Drop the FTS5 index and its triggers (see :func:`create_fts`)."""
    if conn.dialect.name != "sqlite":
        return
    for name in ("metiers_fts_ai", "metiers_fts_ad", "metiers_fts_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    conn.exec_driver_sql("DROP TABLE IF EXISTS metier_fts_vocab")
    conn.exec_driver_sql("DROP TABLE IF EXISTS metier_fts")
