"""An import's SQLite settings end with it: the WAL is checkpointed into the file and the
connection is back to SQLite's defaults (a window sharing the file does not pay the import's
checkpoint at its next save, nor keep its large cache)."""
from __future__ import annotations

import shutil
import sqlite3

from db.catalogue.importing import import_paths
from db.storage import bulk_writes
from db.storage.opening import open_database
from tests.conftest import DATA


def test_after_an_import_the_wal_is_in_the_file_and_the_defaults_are_back(db_path, tmp_path, monkeypatch):
    database = open_database(str(db_path), load_starter=False, backups=False)
    try:
        seen = []

        def widen(session, real=bulk_writes.widen):
            real(session)
            seen.append(session.connection().exec_driver_sql("PRAGMA cache_size").scalar())

        monkeypatch.setattr(bulk_writes, "widen", widen)
        assert import_paths(database, [DATA / "mini.jsonl"]).created == 8
        assert seen == [-bulk_writes.CACHE_KIB]  # during the import's write
        # The database file alone (its WAL left behind) holds the imported fiches.
        alone = tmp_path / "seul.sqlite"
        shutil.copyfile(db_path, alone)
        with sqlite3.connect(alone) as copy:
            assert copy.execute("SELECT count(*) FROM metiers").fetchone()[0] == 8
        with database.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw.execute("PRAGMA cache_size").fetchone()[0] == -2000
            assert raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    finally:
        database.close()
