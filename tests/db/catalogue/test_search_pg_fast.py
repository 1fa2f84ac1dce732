"""The cheaper PostgreSQL search paths (db/catalogue/search_pg_fast.py) give what the window
showed before: the starter catalogue's first pages on PostgreSQL beside SQLite, a text read
again once the catalogue changes, the planner left as it was (skipped without a server)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from db.catalogue.search import Criteria, first_page, search, text_notice
from db.storage.engine import Database
from db.storage.opening import open_database

SANTE, ARTS = "T-IDEO2.4869", "T-IDEO2.4863"
HELP, OUTDOORS, HANDS = "T-IDEO2.4807", "T-IDEO2.4812", "T-IDEO2.4815"


@pytest.fixture(scope="module")
def both(pg_starter: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Database]]:
    lite = open_database(str(tmp_path_factory.mktemp("starter") / "orientation.sqlite"), backups=False)
    yield {"sqlite": lite, "postgresql": pg_starter}
    lite.close()


@pytest.mark.parametrize("criteria", [
    Criteria(),
    Criteria(sort="salary", descending=True),
    Criteria(max_bac_plus=2),
    Criteria(sectors=(SANTE, ARTS), sort="sector"),
    Criteria(interests=(HELP, OUTDOORS)),
    Criteria(interests=(HELP, OUTDOORS), interests_mode="all"),
    Criteria(interests=(HELP, OUTDOORS, HANDS), interests_mode="all", sort="level", descending=True),
    Criteria(interests=(HELP, HELP), interests_mode="all"),
    Criteria(text="soins", interests=(HELP, OUTDOORS), interests_mode="all"),
    Criteria(sectors=("nulle-part",)),
])
def test_the_first_page_is_the_same_on_both_engines(both: dict[str, Database], criteria: Criteria) -> None:
    seen = {}
    for engine, database in both.items():
        with database.read() as session:
            page = first_page(session, criteria, 30, cap=40)
            seen[engine] = (page.total, page.exact, [row.id for row in page.rows])
    assert seen["postgresql"] == seen["sqlite"]
    total, exact, ids = seen["postgresql"]
    whole = replace(criteria, sort="auto", descending=False) == Criteria()  # always counted exactly
    assert len(ids) == min(total, 30) and exact == (whole or total <= 40)


def test_interests_all_keep_the_fiches_holding_every_one(pg_starter: Database) -> None:
    with pg_starter.read() as session:
        either = {row.id for row in search(session, Criteria(interests=(HELP,)))}
        other = {row.id for row in search(session, Criteria(interests=(OUTDOORS,)))}
        both_ = {row.id for row in search(session, Criteria(interests=(HELP, OUTDOORS), interests_mode="all"))}
    assert both_ == either & other and both_


def test_a_text_is_read_again_once_the_catalogue_changes(pg_db: Database, tmp_path: Path) -> None:
    from db.catalogue.importing import import_paths
    from tests.conftest import DATA

    import_paths(pg_db, [DATA / "mini.jsonl"])
    typed = Criteria(text="zythologue")
    with pg_db.read() as session:
        assert first_page(session, typed, 10).total == 0
    with pg_db.write() as session:
        session.execute(text("UPDATE metiers SET name = 'zythologue', search_title = 'zythologue' "
                             "WHERE id = 'ORI.oenologue'"))
    with pg_db.read() as session:
        page = first_page(session, typed, 10)
        assert (page.total, [row.name for row in page.rows]) == (1, ["zythologue"])
        assert text_notice(session, typed) is None


@pytest.mark.parametrize("typed", ["soins", "zzqqxx", "technicien", "je veux travailler avec les chevaux"])
def test_a_text_search_leaves_the_planner_as_it_was(pg_starter: Database, typed: str) -> None:
    with pg_starter.read() as session:
        first_page(session, Criteria(text=typed, max_bac_plus=0), 10)
        first_page(session, Criteria(text=typed), 10)
        assert session.execute(text("SHOW enable_seqscan")).scalar_one() == "on"
        assert search(session, Criteria(text=typed, sort="name"), limit=10, offset=5000, total=20) == []
        assert session.execute(text("SHOW enable_seqscan")).scalar_one() == "on"  # a page with no row too
