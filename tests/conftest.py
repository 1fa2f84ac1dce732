"""Shared fixtures: a fresh database per test, the small test catalogue, ../shared paths."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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


ENGINE_VAR = "ORIENTATION_TEST_ENGINE"


def on_postgresql() -> bool:
    """True on the PostgreSQL pass (``ORIENTATION_TEST_ENGINE=postgresql``): the shared database
    fixtures below then open a new database of the test server instead of a SQLite file."""
    return os.environ.get(ENGINE_VAR, "sqlite").lower() == "postgresql"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a SQLite test database goes. On the PostgreSQL pass a test that needs a SQLite file
    is skipped, with the reason (engine-neutral tests use :func:`db_location` instead)."""
    if on_postgresql():
        pytest.skip("test écrit pour un fichier SQLite (db_path) : couvert par le passage SQLite")
    return tmp_path / "orientation.sqlite"


@pytest.fixture
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """What ``--db`` names for this test's database: a SQLite file in the test's folder (not
    created yet), or on the PostgreSQL pass the URL of a new database of the test server, dropped
    after the test: the one :func:`empty_db` opens when the test uses it (a copy of the migrated
    template), else a blank one, which the first opening fills as it fills a new file."""
    if not on_postgresql():
        yield str(tmp_path / "orientation.sqlite")
        return
    names = request.fixturenames
    kind = "mini" if "mini_db" in names else "empty" if "empty_db" in names else None
    template = request.getfixturevalue("_pg_templates")[kind] if kind else None
    with _pg_database_from(template) as url:
        yield url


@pytest.fixture
def empty_db(db_location: str):
    """A migrated database with the nomenclatures but no métier (on the PostgreSQL pass, on the
    test server: see :func:`db_location`)."""
    from db.storage.opening import open_database

    database = open_database(db_location, load_starter=False)
    yield database
    database.close()


@pytest.fixture
def mini_db(empty_db):
    """The database holding the eight test fiches of tests/data/mini.jsonl (on the PostgreSQL
    pass a copy of a template that imported them once: see :func:`_pg_templates`)."""
    if not on_postgresql():
        _import_mini(empty_db)
    return empty_db


def _import_mini(database) -> None:  # type: ignore[no-untyped-def]
    from db.catalogue.importing import import_paths

    summary = import_paths(database, [DATA / "mini.jsonl"])
    assert summary.refused == 0


PG_URL_VAR = "ORIENTATION_TEST_PG_URL"


def _skip_without_server() -> None:
    if not os.environ.get(PG_URL_VAR):
        pytest.skip(f"{PG_URL_VAR} absent : test sur PostgreSQL ignoré "
                    "(lancez-le par « bash scripts/pg_test_server.sh … »)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty database on the test PostgreSQL server named by
    ``ORIENTATION_TEST_PG_URL`` (``bash scripts/pg_test_server.sh COMMAND`` sets it), dropped
    after the test; the test is skipped, with the reason, when the variable is absent."""
    _skip_without_server()
    with _pg_database_from(None) as url:
        yield url


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
    _skip_without_server()
    from db.storage.opening import open_database

    with _pg_database_from(None) as url:
        database = open_database(url, daily=False)
        yield database
        database.close()


def database_content(database) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """Every row of every table of ``database`` (either engine), committed ones only (a new
    transaction), in a stable order: what a refused import must leave exactly as it was."""
    from sqlalchemy import select

    from db.models import Base

    rows: list[tuple[str, ...]] = []
    with database.read() as session:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows += [(table.name, *map(repr, row)) for row in session.execute(select(table).order_by(*order))]
    return rows


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when ../shared is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        # allow_module_level: a module that names its data at import skips whole, not as an error
        pytest.skip(f"../shared absent ({path}) : test sur données réelles ignoré", allow_module_level=True)
    return path


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    config.addinivalue_line("markers", "sqlite_only(reason): a test of SQLite itself (its file, backups, "
                            "WAL, direct sqlite3 reads); skipped, with the reason, on the PostgreSQL pass")


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
def starter_file(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A database holding the starter catalogue, as after a first start (made once per module):
    a SQLite file, or on the PostgreSQL pass a database of the test server (its URL)."""
    if on_postgresql():
        with _pg_database_from(request.getfixturevalue("_pg_templates")["starter"]) as url:
            yield url
        return
    from db.storage.opening import open_database

    path = tmp_path_factory.mktemp("starter") / "orientation.sqlite"
    open_database(str(path), backups=False).close()
    yield str(path)


# ------------------------------------------------------------------ the PostgreSQL pass
PG_ONLY_FIXTURES = {"pg_url", "pg_db", "pg_starter", "db_url", "relayed"}


@pytest.fixture(scope="session")
def _pg_templates() -> Iterator[dict[str, str]]:
    """Three template databases on the test server, made once per run (per worker process
    with pytest-xdist: their names are random): "empty" (migrated, the nomenclatures, no
    métier), "mini" (the same with tests/data/mini.jsonl imported) and "starter" (opened the
    normal way, so with the starter catalogue). Each test's database is a copy (``CREATE
    DATABASE … TEMPLATE``), which is much faster than migrating and importing per test."""
    base = os.environ.get(PG_URL_VAR)
    if not base:
        pytest.fail(f"{ENGINE_VAR}=postgresql demande un serveur de test ({PG_URL_VAR} absent) : "
                    "lancez « bash scripts/pg_test_server.sh … »")
    from sqlalchemy.engine import make_url

    from db.storage.opening import open_database

    names = {kind: f"orientation_tpl_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("empty", "mini", "starter")}
    _pg_admin(*(f'CREATE DATABASE "{name}"' for name in names.values()))
    try:
        for kind, name in names.items():
            url = make_url(base).set(database=name).render_as_string(hide_password=False)
            database = open_database(url, load_starter=kind == "starter", daily=False)
            if kind == "mini":
                _import_mini(database)
            database.close()
        yield names
    finally:
        _pg_admin(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names.values()))


def _pg_admin(*statements: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(os.environ[PG_URL_VAR], isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


@contextmanager
def _pg_database_from(template: str | None) -> Iterator[str]:
    """A new database of the test server, copied from ``template`` or blank: its URL; dropped afterwards."""
    from sqlalchemy.engine import make_url

    name = f"orientation_t_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield make_url(os.environ[PG_URL_VAR]).set(database=name).render_as_string(hide_password=False)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SHARED_DB_FIXTURES = {"empty_db", "mini_db", "db_location", "starter_file", "db_path"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On the PostgreSQL pass, only the tests of the shared database fixtures run (``empty_db``,
    ``mini_db``, ``db_location``, ``starter_file``; ``db_path`` ones skip with the reason): tests
    marked ``sqlite_only`` are skipped with their reason; the tests written for PostgreSQL
    itself (``pg_url``, ``pg_db``, ``pg_starter``, ``db_url``, ``relayed``) are deselected, as
    they already ran on the same server in the SQLite pass, and so are the tests that open no
    database through those fixtures (parsers, PDF layout…): nothing in them depends on the engine."""
    if not on_postgresql():
        return
    kept, left_out = [], []
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite seulement : {reason}"))
        names = set(getattr(item, "fixturenames", ()))
        if PG_ONLY_FIXTURES & names or not SHARED_DB_FIXTURES & names:
            left_out.append(item)
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(autouse=True)
def _no_sqlite_on_the_postgresql_pass(request: pytest.FixtureRequest) -> Iterator[None]:
    """On the PostgreSQL pass, a test that opens a SQLite database through SQLAlchemy is skipped
    at that moment, with the reason: it tests SQLite, which the first pass covers, and must not
    be counted as passing on PostgreSQL."""
    if not on_postgresql():
        yield
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def refuse_sqlite(dbapi_conn: object, _record: object) -> None:
        import sqlite3

        if isinstance(dbapi_conn, sqlite3.Connection):
            pytest.skip("ce test ouvre une base SQLite : couvert par le passage SQLite")

    event.listen(Engine, "connect", refuse_sqlite)
    try:
        yield
    finally:
        event.remove(Engine, "connect", refuse_sqlite)
