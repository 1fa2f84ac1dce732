"""Revision 0017: the indexed text no longer repeats a stem that begins its word. A base indexed
the old way is re-indexed once, on both engines, and every search answers as before."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from db.catalogue.search import Criteria, first_page
from db.catalogue.search_text import index_text, stem
from db.storage.engine import Database, make_engine
from db.storage.migrate import head_revision, upgrade_if_behind
from db.storage.opening import open_database
from tests.db.storage.test_migration_0016 import _downgrade

TYPED = (Criteria(text="soins infirmiers"), Criteria(text="aides"), Criteria(text="infirmières"),
         Criteria(text="chevaux"), Criteria(text="boulangère", sort="name"), Criteria(text="tecnicien"),
         Criteria(text="métiers du bâtiment"))


def _old_way(indexed: str) -> str:
    """The text revision 0016 indexed: each word followed by its stem whenever they differ."""
    out = []
    for word in indexed.split():
        root = stem(word) if len(word) >= 4 else word
        out.append(f"{word} {root}" if root != word and len(root) >= 3 and out[-1:] != [root] else word)
    return " ".join(out)


def _segments(structure: bytes) -> int:
    """The number of segments an FTS5 structure record (``%_data`` row 10) lists: after its
    4-byte cookie (and the version-2 marker of recent SQLite), varints nLevel then nSegment."""
    position = 8 if structure[4:8] == b"\xff\x00\x00\x01" else 4

    def varint() -> int:
        nonlocal position
        value = 0
        while True:
            byte = structure[position]
            position += 1
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                return value

    varint()  # levels
    return varint()


def _answers(database: Database) -> list[tuple[int, list[str]]]:
    with database.read() as session:
        return [(page.total, [row.id for row in page.rows]) for page in
                (first_page(session, criteria, 8) for criteria in TYPED)]


def _texts(database: Database) -> dict[str, str]:
    with database.read() as session:
        return {row[0]: row[1] for row in session.execute(text("SELECT id, search_text FROM metiers"))}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'orientation.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


def test_0017_reindexes_a_base_indexed_the_old_way(url: str) -> None:
    database = open_database(url, backups=False)  # the starter catalogue: real French text
    now, answers = _texts(database), _answers(database)
    database.close()
    _downgrade(url, "0016")
    engine = make_engine(url)
    with engine.begin() as conn:  # what 0016 had indexed
        conn.execute(text("UPDATE metiers SET search_text = :t WHERE id = :i"),
                     [{"t": _old_way(indexed), "i": ident} for ident, indexed in now.items()])
        old = {row[0]: row[1] for row in conn.execute(text("SELECT id, search_text FROM metiers"))}
    engine.dispose()
    assert len(" ".join(old.values()).split()) > 1.2 * len(" ".join(now.values()).split())

    assert upgrade_if_behind(url) is True
    database = open_database(url, load_starter=False, backups=False)
    with database.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    assert _texts(database) == now
    assert _answers(database) == answers
    if url.startswith("sqlite"):  # the rewrite's segments merged: every search reads one
        with database.read() as session:
            structure = session.execute(text("SELECT block FROM metier_fts_data WHERE id = 10")).scalar_one()
        assert _segments(structure) == 1
    assert all(total for total, _ in answers)
    database.close()


def test_index_text_keeps_the_stems_a_prefix_cannot_reach() -> None:
    assert index_text(["infirmières"]) == "infirmieres"  # "infirmier"* finds it
    assert index_text(["chevaux"]) == "chevaux cheval"  # the stem does not begin the word
    assert index_text(["aides"]) == "aides aid"  # a 3-letter stem is searched as a whole word
