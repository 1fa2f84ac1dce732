"""Where the database lives and how connections are set up."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from db.storage import engine as engine_mod
from db.storage.engine import resolve_url
from db.storage.paths import default_db_path
from db.storage.opening import open_database
from db.errors import DatabaseLocationError


def test_default_database_is_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "orientation" / "orientation.sqlite"
    assert resolve_url() == f"sqlite:///{tmp_path / 'xdg' / 'orientation' / 'orientation.sqlite'}"


def test_env_variable_and_argument_override(tmp_path, monkeypatch):
    monkeypatch.setenv("ORIENTATION_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url().endswith("env.sqlite")
    assert resolve_url(str(tmp_path / "arg.sqlite")).endswith("arg.sqlite")
    assert resolve_url("sqlite:///" + str(tmp_path / "url.sqlite")).endswith("url.sqlite")


@pytest.mark.parametrize("path", [r"\\serveur\partage\orientation.sqlite", "//serveur/partage/base.sqlite"])
def test_network_share_path_is_refused_in_french(path):
    with pytest.raises(DatabaseLocationError, match="partage réseau"):
        resolve_url(path)


def test_network_filesystem_mount_is_refused(tmp_path, monkeypatch):
    import db.storage.paths

    monkeypatch.setattr(db.storage.paths, "_mount_fs_type", lambda p: "cifs")
    with pytest.raises(DatabaseLocationError, match="partage réseau"):
        resolve_url(str(tmp_path / "base.sqlite"))


@pytest.mark.sqlite_only(reason="réglages de connexion propres à SQLite (PRAGMA)")
def test_connections_use_wal_foreign_keys_and_busy_timeout(empty_db):
    with empty_db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == engine_mod.BUSY_TIMEOUT_MS


@pytest.mark.sqlite_only(reason="verrou d'écriture de SQLite (BEGIN IMMEDIATE)")
def test_writes_take_the_write_lock_up_front(empty_db, db_path):
    import sqlite3

    with empty_db.write() as session:
        session.execute(text("SELECT count(*) FROM metiers"))  # even a first read takes the write lock
        other = sqlite3.connect(db_path, timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_failed_write_rolls_back_everything(mini_db):
    from db.models import Metier
    from sqlalchemy import func, select, update

    with pytest.raises(RuntimeError), mini_db.write() as session:
        session.execute(update(Metier).values(name="changé"))
        raise RuntimeError("boom")
    with mini_db.read() as session:
        assert session.execute(select(func.count()).where(Metier.name == "changé")).scalar() == 0


def test_first_start_loads_the_starter_catalogue_once(db_location):
    from db.catalogue.starter import catalogue_dir

    assert len(list(catalogue_dir().glob("*.jsonl"))) >= 3  # the starter catalogue ships with the app
    database = open_database(db_location)
    with database.read() as session:
        n = session.execute(text("SELECT count(*) FROM metiers")).scalar()
    database.close()
    assert n > 0
    database = open_database(db_location)  # second start: nothing added
    with database.read() as session:
        assert session.execute(text("SELECT count(*) FROM metiers")).scalar() == n
    database.close()


def test_unwritable_folder_gives_a_french_message(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(DatabaseLocationError, match="impossible de créer le dossier"):
        resolve_url(str(Path(blocker) / "sous-dossier" / "base.sqlite"))
