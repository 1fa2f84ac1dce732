"""The search tests of the SQLite catalogue, run again on a PostgreSQL server.

The test functions of ``test_search``, ``test_search_forgiving`` and
``test_search_everyday_words`` are imported here, so pytest runs each of them a second time
with this module's fixtures: the same eight fiches, the same starter catalogue, on the test
PostgreSQL server (``bash scripts/pg_test_server.sh …``; skipped without it). The search must
behave the same: typos, plurals, abbreviations, sentences, relevance first, many matches.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from db.storage.engine import Database
from tests.conftest import PG_URL_VAR
from tests.db.catalogue.test_search import *  # noqa: F403  (the tests, run again here)
from tests.db.catalogue.test_search_everyday_words import *  # noqa: F403
from tests.db.catalogue.test_search_forgiving import *  # noqa: F403


@pytest.fixture
def empty_db(pg_db: Database) -> Database:
    """The migrated, empty PostgreSQL database (``mini_db`` of tests/conftest.py imports into it)."""
    return pg_db


@pytest.fixture(scope="module")
def starter() -> Iterator[Database]:
    """A PostgreSQL database opened the normal way, so holding the starter catalogue."""
    base = os.environ.get(PG_URL_VAR)
    if not base:
        pytest.skip(f"{PG_URL_VAR} absent : test sur PostgreSQL ignoré")
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


@pytest.fixture(scope="module")
def starter_db(starter: Database) -> Database:
    return starter
