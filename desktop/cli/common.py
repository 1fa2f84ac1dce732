"""What every command shares: opening the database it names, with its warnings said."""
from __future__ import annotations

import argparse
import sys

from db.storage.engine import Database


def open_database_for(args: argparse.Namespace, *, writes: bool = True) -> Database:
    """The database of ``--db`` / ``ORIENTATION_DB`` / the default, opened (and created,
    migrated, checked); its warnings (e.g. no daily backup) go to stderr in French. Only a
    command that ``writes`` makes the day's backup: one that only reads changes nothing to save."""
    from db.storage.opening import open_database

    database = open_database(getattr(args, "db", None), daily=writes)
    _opened.append(database)
    for warning in database.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    return database


_opened: list[Database] = []  # closed by close_opened() when the command ends


def close_opened() -> None:
    """Release the connections of every database a command opened (a server's sockets are not
    left for the garbage collector: ``main`` may run several commands in one process, as tests do)."""
    while _opened:
        _opened.pop().close()
