"""What every command shares: opening the database it names, with its warnings said."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from db.storage.engine import Database


def open_database_for(args: argparse.Namespace, *, writes: bool = True, catalogue_only: bool = False,
                      creates: bool = False) -> Database:
    """The database of ``--db`` / ``ORIENTATION_DB`` / the default, opened (and created,
    migrated, checked); its warnings (e.g. no daily backup) go to stderr in French. Only a
    command that ``writes`` makes the day's backup: one that only reads changes nothing to save.
    A command that reads the catalogue only (``catalogue_only``) facing a server that cannot be
    reached reads this computer's local catalogue instead, read-only, and says so on stderr
    (db.storage.local_catalogue). A base named by a path where there is none is created only
    by a command that ``creates`` (it says so on stderr); any other refuses (see :func:`_new_file`)."""
    from db.errors import UserError
    from db.storage.opening import open_database

    new_file = _new_file(getattr(args, "db", None), creates)
    try:
        database = open_database(getattr(args, "db", None), daily=writes)
    except UserError as exc:
        local = _local_catalogue_instead(getattr(args, "db", None), exc) if catalogue_only else None
        if local is None:
            raise
        database = local
    _opened.append(database)
    if new_file is not None:
        print(f"Nouvelle base de données créée : {new_file} (catalogue de départ, aucun élève).", file=sys.stderr)
    for warning in database.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    return database


def _new_file(db: str | None, creates: bool) -> Path | None:
    """The SQLite file the command would create (it does not exist yet, or is empty), else None.

    Given a path (``--db``, ``ORIENTATION_DB``) where there is no base, a command that does not
    ``creates`` refuses: a mistyped name would otherwise show an empty caseload as if the
    records were gone, and leave a new base behind. The default base is created on first use."""
    from db.errors import UserError
    from db.storage.paths import base_to_create, check_local_path, default_db_path

    path = base_to_create(db)
    if path is None:
        return None  # a server, an existing base, or a folder, a FIFO… (refused by the opening, in its words)
    check_local_path(path)  # a network share: that refusal says more than "no base there"
    if not creates and path.resolve() != default_db_path().resolve():
        raise UserError(f"aucune base de données à « {path} » : vérifiez le chemin et son orthographe "
                        "(majuscules comprises). Seules l'importation de fiches (orientation import) et "
                        "l'ajout d'élèves (orientation students add ou import) créent une base neuve")
    return path


def _local_catalogue_instead(db: str | None, error: Exception) -> Database | None:
    """The local catalogue, read-only, when ``error`` says the server ``db`` is away; the base
    itself, read-only, when this account cannot write it; else None."""
    from db.errors import DatabaseLocationError, UserError
    from db.storage.local_catalogue import open_local_catalogue, read_only_note, server_away_fallback

    if isinstance(error, DatabaseLocationError) and error.read_only is not None:
        return open_local_catalogue(error.read_only, read_only_note(error.read_only))  # its note says so
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
