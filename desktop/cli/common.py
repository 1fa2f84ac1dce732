"""What every command shares: opening the database it names, with its warnings said."""
from __future__ import annotations

import argparse
import sys

from db.storage.engine import Database


def open_database_for(args: argparse.Namespace, *, writes: bool = True, catalogue_only: bool = False) -> Database:
    """The database of ``--db`` / ``ORIENTATION_DB`` / the default, opened (and created,
    migrated, checked); its warnings (e.g. no daily backup) go to stderr in French. Only a
    command that ``writes`` makes the day's backup: one that only reads changes nothing to save.
    A command that reads the catalogue only (``catalogue_only``) facing a server that cannot be
    reached reads this computer's local catalogue instead, read-only, and says so on stderr
    (db.storage.local_catalogue)."""
    from db.errors import UserError
    from db.storage.opening import open_database

    try:
        database = open_database(getattr(args, "db", None), daily=writes)
    except UserError as exc:
        local = _local_catalogue_instead(getattr(args, "db", None), exc) if catalogue_only else None
        if local is None:
            raise
        database = local
    _opened.append(database)
    for warning in database.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    return database


def _local_catalogue_instead(db: str | None, error: Exception) -> Database | None:
    """The local catalogue, read-only, when ``error`` says the server ``db`` is away; else None."""
    from db.errors import UserError
    from db.storage.local_catalogue import open_local_catalogue, server_away_fallback

    away = server_away_fallback(db, error) if isinstance(error, UserError) else None
    if away is None or away.local is None:
        return None
    print(f"Attention : {error}.", file=sys.stderr)  # the note that follows says what is read instead
    return open_local_catalogue(away.local)


_opened: list[Database] = []  # closed by close_opened() when the command ends


def close_opened() -> None:
    """Release the connections of every database a command opened (a server's sockets are not
    left for the garbage collector: ``main`` may run several commands in one process, as tests do)."""
    while _opened:
        _opened.pop().close()
