"""Run the Alembic migrations at start-up when the database is behind.

Migrations run on a dedicated engine with foreign keys OFF (SQLite table rebuilds would
otherwise cascade-delete child rows), inside one transaction, and are followed by
``PRAGMA foreign_key_check``: a migration that would leave dangling rows is rolled back.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, text

from db.errors import UserError
from db.storage.schema_version import KNOWN_REVISIONS, unknown_revision_sentence

# Re-exported: callers ask this module for the newest revision and whether a file is at it.
from db.storage.schema_version import HEAD as HEAD
from db.storage.schema_version import is_up_to_date as is_up_to_date

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` without any .ini file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The latest revision the code knows (read by Alembic from the version files)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade_if_behind(url: str, revision: str = "head", before: Callable[[], object] | None = None) -> bool:
    """Upgrade the database at ``url`` to ``revision`` if it is behind. Returns True if it ran.

    ``before`` runs first when an existing database is about to change (the automatic backup).
    Raises :class:`UserError` when the database is newer than this version of the app.
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    from db.storage.engine import make_engine

    engine = make_engine(url, foreign_keys=False)
    try:
        with engine.connect() as conn:
            current = current_revision(conn)
        script = ScriptDirectory.from_config(alembic_config(url))
        target = script.get_current_head() if revision == "head" else revision
        if current == target:
            return False
        if current is not None and current not in KNOWN_REVISIONS:
            raise UserError(unknown_revision_sentence(current))
        if current is not None and before is not None:
            before()
        with engine.begin() as conn:
            config = alembic_config(url)
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            _check_foreign_keys(conn)
        return True
    finally:
        engine.dispose()


def table_rebuild(conn: Connection) -> Literal["always", "auto"]:
    """The ``recreate`` argument of ``batch_alter_table`` for a migration that changes ``metiers``.

    SQLite rebuilds the table (copy, drop, rename: "always", the pattern the migrations were
    written with); PostgreSQL alters it in place ("auto"), since it cannot drop a table that
    other tables' foreign keys point to, and has no need to."""
    return "always" if conn.dialect.name == "sqlite" else "auto"


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    problems = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
    if problems:
        raise UserError(f"la mise à jour de la base a été annulée : {len(problems)} lien(s) incohérent(s)")
