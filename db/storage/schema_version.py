"""Which schema revision a database file is at, read with the standard sqlite3 module alone.

Knowing the newest revision without loading Alembic (or SQLAlchemy) lets a start-up on an
up-to-date database skip both (see :mod:`db.storage.migrate` and :mod:`db.catalogue.startup_view`).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

# The newest revision in db/storage/migrations/versions (a test checks it).
HEAD = "0018"
KNOWN_REVISIONS = tuple(f"{n:04d}" for n in range(1, int(HEAD) + 1))


def unknown_revision_sentence(revision: str) -> str:
    """French: a database at a revision this version does not know (newer, or not ours)."""
    if revision.isdigit() and int(revision) > int(HEAD):
        return ("cette base de données a été créée par une version plus récente d'Orientation : "
                "mettez l'application à jour (la base n'a pas été modifiée)")
    return (f"cette base de données a une version de schéma inconnue (« {revision[:20]} ») : "
            "ce n'est pas une base d'Orientation")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the existing SQLite file ``path`` (never creates it).

    The path goes into a ``file:`` URI percent-encoded, so names holding ``?``, ``#`` or
    ``%`` open the right file.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError as exc:
        # A WAL base on a read-only medium or folder: SQLite cannot make its "-shm" beside it. With
        # no "-wal" file there, nothing is pending and no one is writing (a writer keeps one): the
        # file is read as it stands. Anything else (a lock, a pending WAL) is the caller's error.
        if not any(word in str(exc) for word in ("readonly", "unable to open")) or Path(f"{path}-wal").exists():
            return conn
        conn.close()
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    return conn


def is_up_to_date(sqlite_file: Path | None) -> bool:
    """True when ``sqlite_file`` already exists at :data:`HEAD`."""
    if sqlite_file is None or not sqlite_file.exists():
        return False
    try:
        conn = connect_read_only(sqlite_file)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == HEAD
