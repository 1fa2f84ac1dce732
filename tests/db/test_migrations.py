"""Migrations: run at start when behind, never lose a row, models match the schema."""
from __future__ import annotations

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.engine import make_engine, open_database
from db.importing import import_paths
from db.migrate import head_revision, upgrade_if_behind
from db.models import Base
from db.search import Criteria, search
from tests.conftest import DATA

# Parents before children, so rows can be copied with foreign keys on.
TABLES = ("levels", "interests", "sectors", "statuts", "formations", "metiers", "metier_synonyms",
          "metier_sections", "metier_rome", "metier_sectors", "metier_interests", "metier_statuts",
          "metier_formations", "import_log")


def counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_new_database_is_at_head(db_path):
    open_database(str(db_path), load_starter=False).close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


def copy_rows(src_path, dst_path) -> None:
    """Copy every row of TABLES from a database at head into one at revision 0001 (same columns
    except those added since), with foreign keys enforced."""
    with sqlite3.connect(src_path) as src, sqlite3.connect(dst_path) as dst:
        dst.execute("PRAGMA foreign_keys = ON")
        for table in TABLES:
            cols = [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            marks = ", ".join("?" * len(cols))
            dst.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)


def test_populated_database_migrates_without_losing_rows(db_path, tmp_path):
    url = f"sqlite:///{db_path}"
    upgrade_if_behind(url, "0001")  # the first schema, empty
    source = open_database(str(tmp_path / "source.sqlite"), load_starter=False)
    assert import_paths(source, [DATA / "mini.jsonl"]).refused == 0
    source.close()
    copy_rows(tmp_path / "source.sqlite", db_path)
    before = counts(db_path)
    assert before["metiers"] == 8 and before["metier_interests"] > 8

    assert upgrade_if_behind(url) is True  # 0001 → head rebuilds the metiers table
    after = counts(db_path)
    assert after == before
    database = open_database(str(db_path), load_starter=False)
    with database.read() as session:  # the full-text index was rebuilt too
        assert [r.id for r in search(session, Criteria(text="œnologue"))] == ["ORI.oenologue"]
    database.close()
    assert upgrade_if_behind(url) is False  # already at head: nothing runs


def test_models_match_the_migrated_schema(db_path):
    open_database(str(db_path), load_starter=False).close()
    engine = make_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    relevant = [d for d in diff if "metier_fts" not in repr(d) and "alembic_version" not in repr(d)]
    assert relevant == []


def test_the_head_constant_matches_the_migration_files():
    from db.migrate import HEAD

    assert HEAD == head_revision()
