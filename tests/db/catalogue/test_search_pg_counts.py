"""The counts the window shows, on PostgreSQL: the same figures through the faster paths of
migration 0013 and :func:`db.catalogue.search_pg.capped_count` (skipped without a server)."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from db.catalogue.search import Criteria, count, count_upto, first_page, search
from db.storage.engine import Database


@pytest.fixture
def empty_db(pg_db: Database) -> Database:
    """The migrated, empty PostgreSQL database (``mini_db`` of tests/conftest.py imports into it)."""
    return pg_db


def shown(database: Database) -> int:
    with database.read() as session:
        return int(session.execute(text("SELECT count(*) FROM metiers WHERE superseded_by IS NULL")).scalar_one())


def whole_catalogue(database: Database) -> tuple[int, int]:
    with database.read() as session:
        return count(session, Criteria()), first_page(session, Criteria(), 200).total


def test_the_whole_catalogue_count_follows_imports_hiding_and_deletions(mini_db):
    assert whole_catalogue(mini_db) == (8, 8) == (shown(mini_db), shown(mini_db))
    with mini_db.write() as session:  # one fiche superseded by another: hidden
        session.execute(text("UPDATE metiers SET superseded_by = 'ORI.macon' WHERE id = 'ORI.comptable'"))
    assert whole_catalogue(mini_db) == (7, 7)
    with mini_db.write() as session:
        session.execute(text("DELETE FROM metiers WHERE id = 'ORI.oenologue'"))
    assert whole_catalogue(mini_db) == (6, 6) == (shown(mini_db), shown(mini_db))
    with mini_db.write() as session:  # shown again
        session.execute(text("UPDATE metiers SET superseded_by = NULL"))
    assert whole_catalogue(mini_db) == (7, 7)


def test_a_reader_sees_a_change_committed_meanwhile_as_count_star_would(mini_db):
    with mini_db.read() as session:
        assert count(session, Criteria()) == 8
        with mini_db.write() as writer:
            writer.execute(text("UPDATE metiers SET superseded_by = 'ORI.macon' WHERE id = 'ORI.comptable'"))
        assert count(session, Criteria()) == shown_in(session) == 7


def shown_in(session) -> int:
    return int(session.execute(text("SELECT count(*) FROM metiers WHERE superseded_by IS NULL")).scalar_one())


def test_a_text_count_is_capped_as_before_and_leaves_the_planner_as_it_was(mini_db):
    words = Criteria(text="test")
    with mini_db.read() as session:
        exact = count(session, words)
        assert exact >= 2
        assert count_upto(session, words, cap=1) == 2  # "more than 1"
        assert count_upto(session, words, cap=100) == exact
        assert session.execute(text("SHOW enable_seqscan")).scalar_one() == "on"


def test_a_text_count_with_lists_of_sectors_and_interests_is_the_exact_one(mini_db):
    combined = Criteria(text="test", sectors=("T-IDEO2.4869", "T-IDEO2.4863"), interests=("T-IDEO2.4807",),
                        statuts=("T-ITM.9",))
    with mini_db.read() as session:
        exact = count(session, combined)
        assert exact >= 1
        assert count_upto(session, combined) == first_page(session, combined, 200).total == exact


@pytest.mark.parametrize("typed", ["technicien", "aide", "je voudrais travailler dehors avec des animaux",
                                   "technicien batiment", "ingenieur", "agent"])
@pytest.mark.parametrize("descending", [False, True])
def test_a_relevance_page_is_the_slice_of_the_whole_ranking(pg_starter, typed, descending):
    """Only the matches whose cheap keys can reach the page are scored (search_pg._ranked_page):
    every page must still be exactly that part of the whole ranked list."""
    criteria = Criteria(text=typed, descending=descending)
    with pg_starter.read() as session:
        whole = [row.id for row in search(session, criteria)]
        assert len(whole) >= 3
        for limit, offset in ((1, 0), (3, 0), (3, 2), (10, 5), (200, 0)):
            page = [row.id for row in search(session, criteria, limit=limit, offset=offset, total=len(whole))]
            assert page == whole[offset:offset + limit]


@pytest.mark.parametrize("sort", ["name", "salary", "level"])
def test_a_page_of_few_text_matches_in_another_order_is_the_slice_of_the_whole_list(pg_starter, sort):
    for descending in (False, True):
        criteria = Criteria(text="aide", sort=sort, descending=descending)
        with pg_starter.read() as session:
            whole = [row.id for row in search(session, criteria)]
            assert len(whole) >= 3
            page = [row.id for row in search(session, criteria, limit=3, offset=1, total=len(whole))]
            assert page == whole[1:4]
