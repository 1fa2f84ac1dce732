"""Migrations: run at start when behind, never lose a row, models match the schema."""
from __future__ import annotations

import pytest

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from db.storage.engine import make_engine
from db.storage.opening import open_database
from db.catalogue.importing import import_paths
from db.storage.migrate import head_revision, upgrade_if_behind
from db.models import Base
from db.catalogue.search import Criteria, search
from tests.conftest import DATA

# Parents before children, so rows can be copied with foreign keys on.
TABLES = ("levels", "interests", "sectors", "statuts", "formations", "metiers", "metier_synonyms",
          "metier_sections", "metier_rome", "metier_sectors", "metier_interests", "metier_statuts",
          "metier_formations", "import_log")


def counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_new_database_is_at_head(db_location):
    database = open_database(db_location, load_starter=False)
    with database.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    database.close()


def copy_rows(src_path, dst_path) -> None:
    """Copy every row of TABLES from a database at head into one at revision 0001 (same columns
    except those added since), with foreign keys enforced. A column of 0001 gone since (the old
    search text) is left empty: the migration must rebuild it."""
    with sqlite3.connect(src_path) as src, sqlite3.connect(dst_path) as dst:
        dst.execute("PRAGMA foreign_keys = ON")
        for table in TABLES:
            cols = [r[1] for r in dst.execute(f"PRAGMA table_info({table})")]
            have = {r[1] for r in src.execute(f"PRAGMA table_info({table})")}
            picked = [c if c in have else "''" for c in cols]
            rows = src.execute(f"SELECT {', '.join(picked)} FROM {table}").fetchall()
            marks = ", ".join("?" * len(cols))
            dst.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)


@pytest.mark.sqlite_only(reason="migration d'anciens fichiers SQLite remplis avec sqlite3")
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


def test_models_match_the_migrated_schema(db_location):
    database = open_database(db_location, load_starter=False)
    engine = database.engine
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    database.close()
    # The search index lives outside the models, on each engine: FTS5's metier_fts and rome_fts on SQLite,
    # on PostgreSQL the generated tsvector columns, metier_words, search_version and the
    # ix_metiers_pg_* partial indexes of migration 0013 (db.catalogue.search_pg).
    index_objects = ("metier_fts", "rome_fts", "alembic_version", "search_tsv", "search_title_tsv", "search_words",
                     "metier_words", "search_version", "ix_metiers_pg_")
    relevant = [d for d in diff if not any(name in repr(d) for name in index_objects)]
    assert relevant == []


def test_the_head_constant_matches_the_migration_files():
    from db.storage.migrate import HEAD

    assert head_revision() == HEAD


@pytest.mark.sqlite_only(reason="migration d'anciens fichiers SQLite remplis avec sqlite3")
def test_students_and_sessions_survive_later_migrations(db_path):
    """A database holding students and sessions at 0003 (the first schema with them) is upgraded
    to head, rebuilding tables on the way, without losing a row."""
    from db.storage.engine import Database
    from db.catalogue.starter import ensure_nomenclatures
    from db.students.store import ShortlistItem, create_student, save_session, start_session
    from sqlalchemy.orm import sessionmaker

    url = f"sqlite:///{db_path}"
    upgrade_if_behind(url, "0003")
    engine = make_engine(url)
    old = Database(url, engine, sessionmaker(engine, expire_on_commit=False))
    ensure_nomenclatures(old)
    for n in range(3):
        student = create_student(old, f"Élève{n}", "Test", "3e B")
        for day in ("2026-10-01", "2026-11-20"):
            with old.read() as session:
                state = start_session(session, student, day)
            state.interests = ["T-IDEO2.4807", "T-IDEO2.4812"]
            state.sectors_refused = ["T-IDEO2.4863"]
            state.shortlist = [ShortlistItem("ORI.macon", "stage"), ShortlistItem("ORI.comptable", "")]
            state.comparison = ["ORI.macon", "ORI.comptable"]
            save_session(old, state)
    engine.dispose()
    tables = ("students", "sessions", "session_interests", "session_sectors", "shortlist", "comparison")

    def student_counts() -> dict[str, int]:
        with sqlite3.connect(db_path) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    before = student_counts()
    assert before == {"students": 3, "sessions": 6, "session_interests": 12, "session_sectors": 6,
                      "shortlist": 12, "comparison": 12}
    assert upgrade_if_behind(url) is True
    assert student_counts() == before
