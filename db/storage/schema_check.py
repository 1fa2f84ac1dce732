"""Is this SQLite file exactly an Orientation database of a schema revision this version knows?

A restored file replaces the counselor's database, so it is compared object by object
(tables, indexes, triggers, views and their SQL) with the schema this version's migrations
create at the file's revision. A file from a newer version, another application's database
or a file with one object added (a trigger planted to copy what is later erased) is refused.
The reference schemas are built once per process, in a temporary folder, by the migrations.
"""
from __future__ import annotations

import re
import sqlite3
import tempfile
from functools import cache
from pathlib import Path

from db.storage.schema_version import KNOWN_REVISIONS, unknown_revision_sentence
Schema = frozenset[tuple[str, str, str, str]]


def schema_of(conn: sqlite3.Connection) -> Schema:
    """Every object of the file except SQLite's own, described so that equal schemas compare
    equal whatever order a migration happened to write constraints in: tables by their
    columns, foreign keys and indexes; indexes by their columns; triggers and views by their
    SQL (spaces folded)."""
    rows = conn.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
                        "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
    result = set()
    for kind, name, table, sql in rows:
        if kind == "table":
            detail = _table_shape(conn, name, sql)
        elif kind == "index":
            detail = repr(_index_columns(conn, name))
        else:
            detail = re.sub(r"\s+", " ", sql).strip()
        result.add((kind, name, table, detail))
    return frozenset(result)


def _table_shape(conn: sqlite3.Connection, name: str, sql: str) -> str:
    quoted = '"' + name.replace('"', '""') + '"'
    columns = conn.execute(f"PRAGMA table_xinfo({quoted})").fetchall()
    keys = sorted(tuple(map(str, row[2:])) for row in conn.execute(f"PRAGMA foreign_key_list({quoted})"))
    indexes = sorted((row[2], row[3], _index_columns(conn, row[1]))
                     for row in conn.execute(f"PRAGMA index_list({quoted})"))
    virtual = sql.upper().startswith("CREATE VIRTUAL")
    return repr((virtual and re.sub(r"\s+", " ", sql), columns, keys, indexes))


def _index_columns(conn: sqlite3.Connection, name: str) -> tuple[str, ...]:
    quoted = '"' + name.replace('"', '""') + '"'
    return tuple(str(row[2]) for row in conn.execute(f"PRAGMA index_info({quoted})"))


def revision_of(conn: sqlite3.Connection) -> str | None:
    """The file's schema revision, or None when it has no Alembic version table (not ours)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


@cache
def expected_schema(revision: str) -> Schema:
    """The schema the migrations create at ``revision`` (built in a temporary database)."""
    from sqlalchemy.engine import URL

    from db.storage.migrate import upgrade_if_behind

    with tempfile.TemporaryDirectory(prefix="orientation-schema-") as folder:
        path = Path(folder) / "reference.sqlite"
        upgrade_if_behind(URL.create("sqlite", database=str(path)).render_as_string(), revision)
        conn = sqlite3.connect(path)
        try:
            return schema_of(conn)
        finally:
            conn.close()


def schema_problem(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """(revision, None) when the file is exactly a known schema, else (revision, French reason)."""
    revision = revision_of(conn)
    if revision is None:
        return None, "ce fichier n'est pas une base de données d'Orientation"
    if revision not in KNOWN_REVISIONS:
        return revision, unknown_revision_sentence(revision)
    found, expected = schema_of(conn), expected_schema(revision)
    if found != expected:
        extra = sorted(name for _, name, _, _ in found - expected)
        missing = sorted(name for _, name, _, _ in expected - found)
        detail = "; ".join(part for part in (
            f"éléments en trop : {', '.join(extra[:3])}" if extra else "",
            f"éléments manquants ou modifiés : {', '.join(missing[:3])}" if missing else "") if part)
        return revision, f"sa structure n'est pas celle d'une base d'Orientation ({detail})"
    return revision, None
