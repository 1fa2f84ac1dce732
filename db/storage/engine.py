"""Where the database lives and how every connection to it is set up.

Resolution order for the database: ``--db`` (URL or path) > ``ORIENTATION_DB`` > a SQLite
file in the user data folder (platformdirs). SQLite connections get WAL, ``foreign_keys=ON``
and a busy timeout; every transaction starts with ``BEGIN IMMEDIATE`` so two writers queue
instead of failing half-way with "database is locked".

A PostgreSQL server (``postgresql+psycopg://user@host/base``, psycopg 3) is accepted as it
is: none of the SQLite settings above apply to it; its connections give up after
:data:`CONNECT_TIMEOUT_S` seconds instead of hanging when the server is away. This module and
:mod:`db.catalogue.search` are the places that know which engine they speak to.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.errors import (REFUSED_SENTENCE, DatabaseBusyError, DatabaseLocationError, PermissionRefusedError,
                       ServerUnreachableError, UserError, environment_sentence, refused_by_server, server_gone)
from db.storage.files import os_error_sentence, private_dir
from db.storage.paths import check_local_path, data_dir, requested_db

BUSY_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_S = 5
LOST_AFTER_MS = 15_000  # a server that leaves sent data unanswered this long is gone
POSTGRESQL_DRIVER = "postgresql+psycopg"
CATALOGUE_WRITE_LOCK = 0x4F52_4341  # the advisory lock key of catalogue writers on a server ("ORCA")


def resolve_url(db: str | None = None) -> str:
    """Turn ``--db`` / ``ORIENTATION_DB`` / the default into a SQLAlchemy URL.

    A value containing "://" is taken as a URL; anything else is a file path. Raises
    :class:`DatabaseLocationError` for a SQLite file on a network share or in a folder that
    cannot be created.
    """
    value = requested_db(db)
    if "://" in value:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise DatabaseLocationError(f"adresse de base de données invalide : {value}") from exc
        if url.get_backend_name() == "sqlite":
            if url.database in (None, "", ":memory:"):
                raise DatabaseLocationError("une base en mémoire ne garde rien : indiquez un fichier "
                                            "(--db /chemin/orientation.sqlite)")
            check_local_path(Path(url.database))
            _check_kind(Path(url.database))
        elif url.get_backend_name() == "postgresql" and url.drivername != POSTGRESQL_DRIVER:
            raise DatabaseLocationError(
                f"pilote PostgreSQL non pris en charge ({url.drivername}) : écrivez l'adresse "
                f"{POSTGRESQL_DRIVER}://utilisateur@serveur/base")
        return value
    path = Path(value).expanduser()
    check_local_path(path)
    _check_kind(path)
    try:
        if path.parent == data_dir():
            private_dir(path.parent)  # the user's own data folder: owner only, whatever the umask
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseLocationError(
            f"impossible de créer le dossier de la base de données : {os_error_sentence(exc, path.parent)}") from exc
    # Built, not pasted: a "?", "#" or "%" in a folder or file name must not read as URL syntax.
    return URL.create("sqlite", database=str(path.resolve())).render_as_string(hide_password=False)


def _check_kind(path: Path) -> None:
    """A database path must be a regular file (or not exist yet): a folder or a FIFO is refused."""
    if path.is_dir():
        raise DatabaseLocationError(f"« {path} » est un dossier : indiquez un fichier de base de données "
                                    "(par exemple « {0} »)".format(path / "orientation.sqlite"))
    if path.exists() and not path.is_file():
        raise DatabaseLocationError(f"« {path} » n'est pas un fichier ordinaire (tube ou périphérique) : "
                                    "indiquez un fichier de base de données")


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Autocommit at the driver level: SQLAlchemy's "begin" hook below issues the BEGIN itself.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    # Deleted content is overwritten with zeros: an erased student leaves no readable byte.
    cur.execute("PRAGMA secure_delete = ON")
    cur.close()


READ_ONLY = "orientation_read_only"  # execution option set by Database.read()


def _on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(READ_ONLY):
        # A read takes no lock up front: in WAL mode a deferred BEGIN still reads one consistent
        # snapshot, and the window never waits for an import that holds the write lock.
        conn.exec_driver_sql("BEGIN")
    else:
        # IMMEDIATE takes the write lock up front, so a write never fails mid-transaction.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _on_connect_no_fk(dbapi_conn: sqlite3.Connection, record: object) -> None:
    _on_connect(dbapi_conn, record)
    # Migrations rebuild tables (copy, drop, rename): with foreign keys on, dropping the old
    # table would cascade-delete child rows. They are checked again after the migration.
    dbapi_conn.execute("PRAGMA foreign_keys = OFF")


class _HintingCompiler(SQLiteCompiler):
    """SQLite's compiler writing a table's ``with_hint(table, "INDEXED BY …", "sqlite")`` after its
    name (SQLAlchemy drops table hints on SQLite); the search uses it (db.catalogue.search)."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """Create an engine for ``url`` with the SQLite connection settings described above.

    ``foreign_keys=False`` is only for running migrations (see :mod:`db.storage.migrate`).
    """
    # Parameters stay out of every error message and log line: they hold pupils' names and notes.
    try:
        engine = create_engine(url, hide_parameters=True, **_server_options(url))
    except (ImportError, NoSuchModuleError) as exc:
        raise DatabaseLocationError(
            "cette adresse de base de données n'est pas prise en charge par cette installation "
            f"({make_url(url).drivername}) : utilisez un fichier SQLite (--db /chemin/orientation.sqlite)") from exc
    if engine.dialect.name == "postgresql":
        event.listen(engine, "handle_error", _without_row_details)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect if foreign_keys else _on_connect_no_fk)
        event.listen(engine, "begin", _on_begin)
        engine.dialect.statement_compiler = _HintingCompiler
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _on_server_connect)
    return engine


def _without_row_details(context: ExceptionContext) -> None:
    """PostgreSQL's error messages quote the rows they refused ("DETAIL:  Failing row contains
    (…)", "Key (nom)=(…) already exists"): a pupil's name or notes. Those lines are cut from the
    driver's exception and from SQLAlchemy's, so that no message, log line or report carries
    them (``hide_parameters`` only hides the statement's parameters)."""
    for exc in (context.original_exception, context.sqlalchemy_exception):
        if exc is None or not exc.args or not isinstance(exc.args[0], str):
            continue
        kept = [line for line in exc.args[0].splitlines() if not line.lstrip().startswith("DETAIL:")]
        exc.args = ("\n".join(kept), *exc.args[1:])


def _server_options(url: str) -> dict[str, Any]:
    """Engine options for a database server (none for SQLite): a connection attempt gives up
    after :data:`CONNECT_TIMEOUT_S`, a connection the server dropped is noticed before use, and
    one whose server vanished (network cut) fails within seconds instead of the system's
    minutes: unanswered data after :data:`LOST_AFTER_MS`, TCP keepalives when idle."""
    if make_url(url).get_backend_name() != "postgresql":
        return {}
    lost = {"tcp_user_timeout": LOST_AFTER_MS, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
            "keepalives_count": 2}
    return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S, **lost}, "pool_pre_ping": True}


# The application's queries are small (a page of rows, a capped count): compiling one to machine
# code (JIT) or starting parallel workers for it costs more than it saves — 5-30 ms a query of
# the catalogue search at 100,000 métiers (bench/pg_search_bench.py). Set once per connection
# (not as start-up options, which a connection pooler such as PgBouncer may refuse). psycopg
# prepares a statement run 5 times, and PostgreSQL may then keep one generic plan for every text
# searched: a plan chosen for "boulanger" is wrong for "techn" (the search chooses its query
# shape from the number of matches), so each execution is planned with its own values.
SERVER_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0", "plan_cache_mode": "force_custom_plan"}


def _on_server_connect(dbapi_conn: Any, _record: object) -> None:
    with dbapi_conn.cursor() as cursor:
        for name, value in SERVER_SETTINGS.items():
            cursor.execute(f"SET {name} = {value}")
    dbapi_conn.commit()  # a SET inside a transaction rolled back later would be undone


@dataclass
class Database:
    """An open, migrated database: the engine and a session factory bound to it."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    warnings: list[str] = field(default_factory=list)  # French, shown once (e.g. no daily backup)
    # The local catalogue opened while the server is away (db.storage.local_catalogue): no write.
    read_only: bool = False

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction: committed on success, rolled back on error.

        A lock held too long by another writer (after the busy timeout), a full disk or a
        read-only file raise :class:`DatabaseBusyError` with a French sentence; a statement the
        server refuses to the connected role raises :class:`PermissionRefusedError`; nothing is written.
        A ``read_only`` database refuses at once with a :class:`UserError`.
        """
        if self.read_only:
            raise UserError("le catalogue local est ouvert en lecture seule, le serveur étant injoignable : "
                            "rien ne peut être enregistré avant son retour")
        try:
            with self.sessions() as session, session.begin():
                yield session
        except OperationalError as exc:
            message = environment_sentence(exc)
            if message is None:
                raise
            raise (ServerUnreachableError if server_gone(exc) else DatabaseBusyError)(message) from exc
        except DBAPIError as exc:
            if refused_by_server(exc):  # a grant or a row-level security policy of the office's server
                raise PermissionRefusedError(REFUSED_SENTENCE) from exc
            raise

    @contextmanager
    def write_catalogue(self) -> Iterator[Session]:
        """:meth:`write`, for a transaction that writes the shared catalogue (an import): on a
        PostgreSQL server it first waits for any other catalogue writer's transaction to end
        (an advisory lock held until commit), as a SQLite file's single writer lock does.
        Without it, two imports of the same fiches at once replace the same child rows together
        and one is refused on a duplicate key or a deadlock."""
        with self.write() as session:
            if self.engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CATALOGUE_WRITE_LOCK})
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed. It never waits for a writer."""
        with self.sessions() as session:
            session.connection(execution_options={READ_ONLY: True})
            yield session

    def close(self) -> None:
        """Release every connection (and the WAL) held by this process."""
        self.engine.dispose()
