"""The window's first page of a typed text on PostgreSQL in fewer statements
(db/catalogue/search_pg_named.py) is the count and the rows it was before, when every match was
counted first (skipped without a server): few matches ranked and counted at once; one word that
many fiches name (the starter catalogue names "technicien" 47 times: ``RANKED_MAX`` is lowered
so that this counts as many)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from db.catalogue import search, search_pg_named
from db.catalogue.search import Criteria, first_page
from db.catalogue.search_types import FirstPage
from db.storage.engine import Database


@pytest.fixture
def spied(pg_starter: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FirstPage | None]]:
    """What search_pg_named answered, call by call. The catalogue analysed first, as autovacuum
    does soon after an import: the way is chosen on the planner's estimate of the matches (a new
    table has none)."""
    with pg_starter.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE metiers"))
    answers: list[FirstPage | None] = []
    named = search_pg_named.first_page

    def spy(*args: Any) -> FirstPage | None:
        answers.append(named(*args))
        return answers[-1]
    monkeypatch.setattr(search_pg_named, "first_page", spy)
    yield answers


@pytest.fixture
def few_ranked(spied: list[FirstPage | None], monkeypatch: pytest.MonkeyPatch) -> list[FirstPage | None]:
    """:func:`spied`, with RANKED_MAX lowered to 10."""
    monkeypatch.setattr(search, "RANKED_MAX", 10)
    return spied


def _before(monkeypatch: pytest.MonkeyPatch, database: Database, criteria: Criteria, cap: int) -> FirstPage:
    """The first page as it was: every match counted, then the page."""
    with monkeypatch.context() as patched:
        patched.setattr(search_pg_named, "first_page", lambda *args: None)
        with database.read() as session:
            return first_page(session, criteria, 5, cap)


@pytest.mark.parametrize(("criteria", "cap", "answered"), [
    (Criteria(text="technicien"), 10, True),  # relevance: the tiered page, names shortest first
    (Criteria(text="technicien"), 3, True),
    (Criteria(text="tecnicien"), 10, True),  # corrected: one word, its nearest forms
    (Criteria(text="technicien", max_bac_plus=2), 10, True),
    (Criteria(text="technicien", sort="name"), 10, True),
    (Criteria(text="technicien", sort="name"), 30, True),
    (Criteria(text="technicien", sort="salary", descending=True), 20, True),
    (Criteria(text="technicien", sort="name", descending=True), 40, True),
    (Criteria(text="technicien", sort="name"), 60, False),  # 47 names: not more than the cap
    (Criteria(text="technicien"), 40, False),  # ranked by score: more than RANKED_MAX asked
    (Criteria(text="technicien", descending=True), 10, False),
    (Criteria(text="technicien chantier", sort="name"), 10, False),  # two words
])
def test_a_word_many_fiches_name_shows_the_page_it_showed(pg_starter: Database, few_ranked: list[FirstPage | None],
                                                          monkeypatch: pytest.MonkeyPatch, criteria: Criteria,
                                                          cap: int, answered: bool) -> None:
    with pg_starter.read() as session:
        page = first_page(session, criteria, 5, cap)
    assert (few_ranked[-1] is not None) == answered
    before = _before(monkeypatch, pg_starter, criteria, cap)
    assert (page.total, page.exact, [row.id for row in page.rows]) == \
        (before.total, before.exact, [row.id for row in before.rows])
    assert len(page.rows) == 5 and page.total == (cap + 1 if answered else before.total)


def test_no_name_holding_the_word_leaves_the_count_to_every_match(pg_starter: Database,
                                                                   few_ranked: list[FirstPage | None]) -> None:
    # "soins" is in many descriptions, in few names: counted as before, every match.
    with pg_starter.read() as session:
        page = first_page(session, Criteria(text="soins", sort="name"), 5, 12)
        whole = search.count(session, Criteria(text="soins"))
    assert few_ranked[-1] is None and page.total == min(whole, 13)


@pytest.mark.parametrize("criteria", [
    Criteria(text="boulanger"),
    Criteria(text="technicien"),
    Criteria(text="tecnicien"),  # corrected
    Criteria(text="je veux travailler avec les chevaux"),  # no fiche holds every word
    Criteria(text="soins infirmiers", max_bac_plus=3),
    Criteria(text="zzqqxx"),  # nothing: counted as before
])
@pytest.mark.parametrize("cap", [3, 3000])
def test_few_matches_are_ranked_and_counted_as_before(pg_starter: Database, spied: list[FirstPage | None],
                                                      monkeypatch: pytest.MonkeyPatch, criteria: Criteria,
                                                      cap: int) -> None:
    with pg_starter.read() as session:
        page = first_page(session, criteria, 5, cap)
    before = _before(monkeypatch, pg_starter, criteria, cap)
    assert (page.total, page.exact, [row.id for row in page.rows]) == \
        (before.total, before.exact, [row.id for row in before.rows])
    assert (spied[-1] is not None) == (before.total > 0)  # 813 fiches: never more than RANKED_MAX
