"""SQLite settings for a long run of write transactions (an import), and back to normal after.

A folder import writes tens of megabytes of full-text index in a dozen transactions. With the
defaults (a 2 MB page cache, a checkpoint every 1,000 WAL pages) each transaction reads back
from the file the index segments the previous ones wrote, and the WAL is copied into the
database several times, the same index pages again each time. :func:`widen` gives the
importing connection a larger cache and a longer WAL for the duration; :func:`narrow` then
checkpoints once, in the importing process (so the counselor's window does not pay for it at
its next save), and restores the defaults. Measured on the 893 ONISEP fiches: about 10 % of
the import. Nothing changes on PostgreSQL.
"""
from __future__ import annotations

import logging
import sqlite3

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.storage.engine import Database

log = logging.getLogger(__name__)

CACHE_KIB = 65_536  # the importing connection's page cache (filled only as pages are read)
WAL_PAGES = 10_000  # WAL pages before an automatic checkpoint (SQLite's default: 1,000)
_NORMAL = {"cache_size": "-2000", "wal_autocheckpoint": "1000"}  # SQLite's defaults (engine.py sets neither)


def widen(session: Session) -> None:
    """In the current write transaction: this connection keeps :data:`CACHE_KIB` of pages and
    checkpoints after :data:`WAL_PAGES` (SQLite only) until :func:`narrow`."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")


def narrow(database: Database) -> None:
    """After the writes: one checkpoint (not waiting for readers) and SQLite's defaults again
    on the pooled connections the writes used. Never raises: the writes are committed already."""
    if database.engine.dialect.name != "sqlite":
        return
    try:
        with database.engine.connect() as conn:
            raw = conn.connection.driver_connection  # outside any transaction: a checkpoint cannot run in one
            assert raw is not None
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)")
            for name, value in _NORMAL.items():
                raw.execute(f"PRAGMA {name} = {value}")
    except (SQLAlchemyError, sqlite3.Error):
        log.warning("checkpoint after the import not done", exc_info=True)
