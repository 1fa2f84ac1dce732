"""Revision 0016 (PostgreSQL: the words' vector kept in its row): every fiche rewritten once,
the same search answers after it, reversible; on SQLite it changes nothing."""
from __future__ import annotations

from alembic import command
from sqlalchemy import text

from db.catalogue.importing import import_paths
from db.catalogue.search import Criteria, first_page
from db.storage.engine import Database, make_engine
from db.storage.migrate import alembic_config, head_revision, upgrade_if_behind
from db.storage.opening import open_database
from tests.conftest import DATA

TYPED = (Criteria(text="œnologue"), Criteria(text="soins", sort="name"), Criteria(text="tecnicien"))


def _downgrade(url: str, revision: str) -> None:
    """Alembic's downgrade on a connection of ours (closed after)."""
    engine = make_engine(url, foreign_keys=False)
    with engine.begin() as conn:
        config = alembic_config(url)
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
    engine.dispose()


def _answers(database: Database) -> list[tuple[int, list[str]]]:
    with database.read() as session:
        return [(page.total, [row.id for row in page.rows]) for page in
                (first_page(session, criteria, 5) for criteria in TYPED)]


def _storage(database: Database) -> str:
    with database.read() as session:
        return str(session.execute(text("SELECT attstorage FROM pg_attribute WHERE attrelid = 'metiers'::regclass "
                                        "AND attname = 'search_tsv'")).scalar_one())


def _row_versions(database: Database) -> dict[str, str]:
    with database.read() as session:
        return {row[0]: row[1] for row in session.execute(text("SELECT id, xmin::text FROM metiers"))}


def test_0016_keeps_the_vectors_in_their_rows_and_goes_back(pg_url: str) -> None:
    database = open_database(pg_url, load_starter=False)
    assert import_paths(database, [DATA / "mini.jsonl"]).refused == 0
    _downgrade(pg_url, "0015")
    assert _storage(database) == "x"  # out of line when the row is long, as before
    before, versions = _answers(database), _row_versions(database)
    database.close()

    assert upgrade_if_behind(pg_url) is True
    database = open_database(pg_url, load_starter=False)
    assert _storage(database) == "m"
    rewritten = _row_versions(database)
    assert rewritten.keys() == versions.keys() and all(rewritten[k] != versions[k] for k in versions)
    assert _answers(database) == before and before[0][0] == 1
    database.close()


def test_0016_changes_nothing_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'orientation.sqlite'}"
    database = open_database(str(tmp_path / "orientation.sqlite"), load_starter=False, backups=False)
    assert import_paths(database, [DATA / "mini.jsonl"]).refused == 0
    before = _answers(database)
    database.close()
    _downgrade(url, "0015")
    assert upgrade_if_behind(url) is True
    database = open_database(str(tmp_path / "orientation.sqlite"), load_starter=False, backups=False)
    with database.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    assert _answers(database) == before
    database.close()
