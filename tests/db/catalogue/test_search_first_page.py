"""The window's first page: a count that stops at a cap ("plus de N"), and the same rows as the search."""
from __future__ import annotations

import pytest

from db.catalogue.search import Criteria, count, first_page, search

MANY = [Criteria(max_bac_plus=8), Criteria(text="technicien maintenance"), Criteria(min_salary=1000),
        Criteria(max_bac_plus=8, sort="salary", descending=True), Criteria(text="soin", sort="name")]


@pytest.mark.parametrize("criteria", MANY)
def test_a_capped_count_says_more_than_and_keeps_the_first_page(mini_db, criteria):
    with mini_db.read() as session:
        matching = count(session, criteria)
        every_row = search(session, criteria)
        for cap in (0, 1, matching - 1, matching, 3_000):
            if cap < 0:
                continue
            answer = first_page(session, criteria, 2, cap)
            assert answer.rows == every_row[:2]
            if matching > cap:
                assert (answer.total, answer.exact) == (cap + 1, False)
            else:
                assert (answer.total, answer.exact) == (matching, True)


def test_the_whole_catalogue_is_always_counted_exactly(mini_db):
    with mini_db.read() as session:
        answer = first_page(session, Criteria(sort="name"), 3, cap=2)
    assert (answer.total, answer.exact, len(answer.rows)) == (8, True, 3)


def test_every_judged_query_shows_the_same_first_page_whatever_the_cap(tmp_path):
    import json
    from pathlib import Path

    from db.storage.opening import open_database

    queries = json.loads((Path(__file__).parents[2] / "data" / "search_queries.json").read_text(encoding="utf-8"))
    database = open_database(str(tmp_path / "starter.sqlite"), backups=False)  # the starter catalogue
    try:
        with database.read() as session:
            for judged in queries["queries"]:
                criteria = Criteria(text=judged["query"])
                expected = search(session, criteria, limit=20)
                for cap in (5, 3_000):
                    assert first_page(session, criteria, 20, cap).rows == expected, judged["query"]
    finally:
        database.close()


def test_a_typo_is_corrected_to_a_word_imported_after_an_earlier_search(mini_db):
    from db.catalogue.records import MetierRecord
    from db.catalogue.store import upsert_records

    with mini_db.read() as session:
        assert count(session, Criteria(text="astronote")) == 0  # the words under "a" are read once
    with mini_db.write() as session:
        upsert_records(session, [MetierRecord(id="ORI.astronaute", name="astronaute", source_kind="projet")], "t")
    with mini_db.read() as session:
        assert [row.id for row in search(session, Criteria(text="astronote"))] == ["ORI.astronaute"]
