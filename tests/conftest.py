"""Shared fixtures: a fresh database per test, the small test catalogue, ../shared paths."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).with_name("data")
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data, log or settings folders, nor ORIENTATION_DB."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("ORIENTATION_DB", raising=False)
    # No detached integrity-check process from ordinary tests (the tests of that check remove it).
    monkeypatch.setenv("ORIENTATION_NO_BACKGROUND_CHECK", "1")
    monkeypatch.setenv("ORIENTATION_FIRST_RUN", "0")  # no welcome dialog over the windows under test


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "orientation.sqlite"


@pytest.fixture
def empty_db(db_path: Path):
    """A migrated database with the nomenclatures but no métier."""
    from db.storage.opening import open_database

    database = open_database(str(db_path), load_starter=False)
    yield database
    database.close()


@pytest.fixture
def mini_db(empty_db):
    """The database holding the eight test fiches of tests/data/mini.jsonl."""
    from db.catalogue.importing import import_paths

    summary = import_paths(empty_db, [DATA / "mini.jsonl"])
    assert summary.refused == 0
    return empty_db


PG_URL_VAR = "ORIENTATION_TEST_PG_URL"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty database on the test PostgreSQL server named by
    ``ORIENTATION_TEST_PG_URL`` (``bash scripts/pg_test_server.sh COMMAND`` sets it), dropped
    after the test; the test is skipped, with the reason, when the variable is absent."""
    base = os.environ.get(PG_URL_VAR)
    if not base:
        pytest.skip(f"{PG_URL_VAR} absent : test sur PostgreSQL ignoré "
                    "(lancez-le par « bash scripts/pg_test_server.sh … »)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"orientation_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_db(pg_url: str):
    """A migrated PostgreSQL database with the nomenclatures but no métier (see :func:`pg_url`)."""
    from db.storage.opening import open_database

    database = open_database(pg_url, load_starter=False)
    yield database
    database.close()


@pytest.fixture(scope="module")
def pg_starter() -> Iterator:
    """A PostgreSQL database opened the normal way, so holding the starter catalogue, shared by
    the tests of one module (read only there); skipped like :func:`pg_url`."""
    base = os.environ.get(PG_URL_VAR)
    if not base:
        pytest.skip(f"{PG_URL_VAR} absent : test sur PostgreSQL ignoré "
                    "(lancez-le par « bash scripts/pg_test_server.sh … »)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from db.storage.opening import open_database

    name = f"orientation_s_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        database = open_database(make_url(base).set(database=name).render_as_string(hide_password=False),
                                 daily=False)
        yield database
        database.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared absent ({path}) : test sur données réelles ignoré")
    return path


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def damage(db_file: Path) -> None:
    """Scribble over a few b-tree pages of a closed SQLite file (its journal merged first), as a
    failing disk would: SQLite's integrity check then reports it."""
    import sqlite3

    with sqlite3.connect(db_file) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_file.read_bytes())
    end = min(len(data), 6 * page)
    data[2 * page:end] = b"\xa5" * max(0, end - 2 * page)
    db_file.write_bytes(bytes(data))



def run_cli(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """``orientation ARGV…`` in this process: its exit status, standard output and error."""
    from desktop.cli import main

    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def starter_file(tmp_path_factory) -> str:  # type: ignore[no-untyped-def]
    """A database file holding the starter catalogue, as after a first start (made once per module)."""
    from db.storage.opening import open_database

    path = tmp_path_factory.mktemp("starter") / "orientation.sqlite"
    open_database(str(path), backups=False).close()
    return str(path)
