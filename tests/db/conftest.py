"""Fixtures of the tests that run on both engines."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new database goes: a SQLite file, or a new database of the test PostgreSQL server
    (``pg_url``: skipped, with the reason, when there is none)."""
    if request.param == "sqlite":
        return str(tmp_path / "orientation.sqlite")
    return str(request.getfixturevalue("pg_url"))
