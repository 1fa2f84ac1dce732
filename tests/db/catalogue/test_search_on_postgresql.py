"""The search tests of the SQLite catalogue, run again on a PostgreSQL server.

The test functions of ``test_search``, ``test_search_forgiving`` and
``test_search_everyday_words`` are imported here, so pytest runs each of them a second time
with this module's fixtures: the same eight fiches, the same starter catalogue, on the test
PostgreSQL server (``bash scripts/pg_test_server.sh …``; skipped without it). The search must
behave the same: typos, plurals, abbreviations, sentences, relevance first, many matches.
"""
from __future__ import annotations

import pytest

from db.storage.engine import Database
from tests.db.catalogue.test_search import *  # noqa: F403  (the tests, run again here)
from tests.db.catalogue.test_search_everyday_words import *  # noqa: F403
from tests.db.catalogue.test_search_forgiving import *  # noqa: F403


@pytest.fixture
def empty_db(pg_db: Database) -> Database:
    """The migrated, empty PostgreSQL database (``mini_db`` of tests/conftest.py imports into it)."""
    return pg_db


@pytest.fixture(scope="module")
def starter(pg_starter: Database) -> Database:
    """The starter catalogue on the test PostgreSQL server (see tests/conftest.py)."""
    return pg_starter


@pytest.fixture(scope="module")
def starter_db(pg_starter: Database) -> Database:
    return pg_starter
