"""When the office's server cannot be reached: this computer's own SQLite catalogue, opened read
only, for browsing métiers until the server is back.

:func:`server_away_fallback` is what the window and the command line call with the error that
:func:`db.storage.opening.open_database` raised for a server: the French sentence to show, and
the local catalogue (:func:`open_local_catalogue`) when this computer has one. That catalogue is
the default database file (:func:`db.storage.paths.default_db_path`), opened so that nothing can
change it or reveal a student:

- the file is opened with SQLite's ``mode=ro`` URI and ``PRAGMA query_only``: no write reaches it
  (and :meth:`db.storage.engine.Database.write` refuses at once, in French, since the
  :class:`~db.storage.engine.Database` is marked ``read_only``);
- an authorizer denies every read of the student tables (:data:`STUDENT_TABLES`): the local file
  may hold students of its own, and this mode is for the catalogue only;
- nothing is created, migrated or backed up; a file at another schema revision is refused with a
  sentence (it is brought up to date by opening it once normally).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from db.errors import DatabaseLocationError, UserError
from db.storage.engine import Database, _HintingCompiler
from db.storage.paths import default_db_path
from db.storage.schema_version import connect_read_only, is_up_to_date

# Every table that holds something about a student (a test checks that each table of db.models
# is either here or a catalogue table).
STUDENT_TABLES = frozenset({
    "students", "sessions", "session_interests", "session_sectors", "shortlist", "comparison", "access_log",
    "erasures", "milestones", "milestone_students", "bilan_handovers", "liaison_consents", "student_shares"})
READ_ONLY_NOTE = ("catalogue local de ce poste ouvert en lecture seule (métiers seulement, sans les élèves) : "
                  "rien n'y sera enregistré")


@dataclass
class ServerAway:
    """What to tell the user when the server is away, and the local catalogue if there is one."""

    message: str  # French: the server is unreachable, and what is offered instead
    local: Path | None  # the local catalogue that can be opened read-only, or None


def is_server_url(db: str | None) -> bool:
    """True when ``db`` names a database server (PostgreSQL), not a SQLite file."""
    return bool(db) and "://" in str(db) and make_url(str(db)).get_backend_name() == "postgresql"


def server_away_fallback(db: str | None, error: UserError, local: Path | None = None) -> ServerAway | None:
    """For a server that could not be reached (``error`` raised by ``open_database(db)``): the
    French sentence and the local catalogue (``local``, default the default database file) when
    it exists and is at the current revision. None when ``db`` is not a server or ``error`` is
    not "unreachable" (a refused password is not solved by the local catalogue)."""
    if not is_server_url(db) or not isinstance(error, DatabaseLocationError) \
            or "connexion impossible" not in error.message:
        return None
    path = local or local_catalogue_path()
    if path is None or not is_up_to_date(path):
        return ServerAway(f"{error.message}. Aucun catalogue local à jour sur ce poste : rien ne peut être "
                          "ouvert en attendant le serveur", None)
    return ServerAway(f"{error.message}. En attendant, le catalogue local de ce poste peut être ouvert en "
                      "lecture seule (métiers seulement, sans les élèves)", path)


def local_catalogue_path() -> Path | None:
    """This computer's catalogue (the default database file) when it can be opened read-only
    (:func:`open_local_catalogue`): it exists and is at the current schema revision; else None."""
    path = default_db_path()
    return path if is_up_to_date(path) else None


def read_only_note(path: Path) -> str:
    """What is said when the base ``path``, read-only for this account, is opened to consult its catalogue."""
    return (f"la base « {path} » est en lecture seule pour ce compte : elle est ouverte pour consulter les "
            "métiers seulement (sans les élèves), rien n'y sera enregistré")


def open_local_catalogue(path: Path | None = None, note: str = READ_ONLY_NOTE) -> Database:
    """The SQLite catalogue at ``path`` (default: the default database file) opened read-only,
    student tables unreadable (see the module docstring). :class:`UserError` when there is no
    such file or it is not at the current schema revision."""
    path = path or default_db_path()
    if not path.is_file():
        raise DatabaseLocationError(f"aucun catalogue local sur ce poste (« {path} ») : il faut le serveur")
    if not is_up_to_date(path):
        raise DatabaseLocationError(f"le catalogue local « {path} » n'est pas à jour : ouvrez-le une fois "
                                    "normalement (orientation --db …) pour le mettre à jour")
    # One connection per session, closed by the thread that used it (the window reads from
    # worker threads too): with SQLAlchemy's default for "sqlite://", one kept per thread, the
    # window's close met connections of other threads and logged errors.
    engine = create_engine("sqlite://", creator=lambda: _connect(path), hide_parameters=True, poolclass=NullPool)
    event.listen(engine, "begin", _begin)
    engine.dialect.statement_compiler = _HintingCompiler  # the search's index hints, as on the file
    url = f"sqlite:///{path}"
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False), [note], read_only=True)


def _connect(path: Path) -> sqlite3.Connection:
    conn = connect_read_only(path)
    conn.isolation_level = None  # the "begin" hook below issues the BEGIN
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_no_student_table)
    return conn


def _begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")  # deferred: a reader never takes the write lock


def _no_student_table(action: int, table: str | None, _column: str | None, _db: str | None,
                      _trigger: str | None) -> int:
    if action == sqlite3.SQLITE_READ and table in STUDENT_TABLES:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


__all__ = ["READ_ONLY_NOTE", "STUDENT_TABLES", "ServerAway", "is_server_url", "local_catalogue_path",
           "open_local_catalogue", "read_only_note", "server_away_fallback"]
