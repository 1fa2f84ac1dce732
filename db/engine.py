"""Where the database lives and how every connection to it is set up.

Resolution order for the database: ``--db`` (URL or path) > ``ORIENTATION_DB`` > a SQLite
file in the user data folder (platformdirs). SQLite connections get WAL, ``foreign_keys=ON``
and a busy timeout; every transaction starts with ``BEGIN IMMEDIATE`` so two writers queue
instead of failing half-way with "database is locked".
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from db.errors import DatabaseDamagedError, DatabaseLocationError
from db.paths import (APP_NAME, ENV_VAR, check_local_path, data_dir, default_db_path,  # noqa: F401 (re-exported)
                      log_dir, requested_db)

BUSY_TIMEOUT_MS = 15_000


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
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            check_local_path(Path(url.database))
        return value
    path = Path(value).expanduser()
    check_local_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseLocationError(
            f"impossible de créer le dossier de la base de données « {path.parent} » : {exc.strerror}") from exc
    # Built, not pasted: a "?", "#" or "%" in a folder or file name must not read as URL syntax.
    return URL.create("sqlite", database=str(path.resolve())).render_as_string(hide_password=False)


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


def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
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


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    """Create an engine for ``url`` with the SQLite connection settings described above.

    ``foreign_keys=False`` is only for running migrations (see :mod:`db.migrate`).
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect if foreign_keys else _on_connect_no_fk)
        event.listen(engine, "begin", _on_begin)
    return engine


@dataclass
class Database:
    """An open, migrated database: the engine and a session factory bound to it."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
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


def open_database(db: str | None = None, *, load_starter: bool = True, backups: bool = True) -> Database:
    """Open (creating if needed) and migrate the database; a new database gets the starter
    catalogue (or, with ``load_starter=False``, is marked as not wanting it). See :func:`resolve_url`.

    A SQLite file is checked first (``quick_check``): a damaged one raises
    :class:`DatabaseDamagedError` naming the newest backup instead of failing later. With
    ``backups``, a copy is made before any migration and once a day.
    """
    from db import backup
    from db.migrate import is_up_to_date, upgrade_if_behind
    from db.starter import ensure_nomenclatures, load_starter_catalogue

    url = resolve_url(db)
    path = backup.sqlite_path(url)
    if path is not None:
        problem = backup.quick_check(path)
        if problem:
            latest = backup.latest_backup(path)
            hint = (f" ; restaurez la dernière sauvegarde : orientation restore \"{latest}\" --yes" if latest
                    else " ; aucune sauvegarde n'est disponible")
            raise DatabaseDamagedError(f"la base de données « {path} » est endommagée ({problem}){hint}", latest)
    engine = make_engine(url)
    try:
        before = (lambda: backup.automatic_backup(path, "avant-migration")) if path and backups else None
        if not is_up_to_date(path):
            upgrade_if_behind(url, before=before)
        database = Database(url, engine, sessionmaker(engine, expire_on_commit=False))
        ensure_nomenclatures(database)
        load_starter_catalogue(database, skip=not load_starter)
        if path is not None and backups:
            daily_backup(database, path)
    except (sqlite3.DatabaseError, SADatabaseError) as exc:
        engine.dispose()
        raise DatabaseLocationError(f"la base de données est illisible ou endommagée : {exc}") from exc
    return database


def daily_backup(database: Database, path: Path) -> Path | None:
    """The first start of each day copies the database into its rotated backups."""
    from datetime import date

    from db import backup
    from db.catalogue import get_meta, set_meta

    today = date.today().isoformat()
    with database.read() as session:
        if get_meta(session, backup.LAST_DAILY_KEY) == today:
            return None
        keep = int(get_meta(session, backup.KEEP_KEY) or backup.KEEP_DEFAULT)
    made = backup.automatic_backup(path, "quotidienne", keep)
    with database.write() as session:
        set_meta(session, backup.LAST_DAILY_KEY, today)
    return made
