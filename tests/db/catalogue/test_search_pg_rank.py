"""PostgreSQL relevance: a phrase counted in the indexed columns weighs what the fiche's lexemes
say (db.catalogue.search_pg_rank), so the order a counselor reads is the one the lexemes give.

Needs the test PostgreSQL server (``bash scripts/pg_test_server.sh …``; skipped without it).
"""
from __future__ import annotations

import pytest

from db.catalogue import search_pg_rank
from db.catalogue.search import Criteria, search
from db.storage.engine import Database

# Prefixes and whole words (two letters), several words, an abbreviation, a sentence, a typo.
TEXTS = ["techn", "infirmier", "aide soignant", "rh", "bts sio", "kine", "je veux travailler dehors avec des chevaux",
         "comptabilite gestion", "agriculteur", "developeur web"]


def _orders(database: Database) -> dict[str, list[str]]:
    with database.read() as session:
        return {text: [row.id for row in search(session, Criteria(text=text))] for text in TEXTS}


def test_the_relevance_order_is_the_same_whether_words_are_counted_in_the_columns_or_the_lexemes(
        pg_starter: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    counted = _orders(pg_starter)
    monkeypatch.setattr(search_pg_rank, "_MAX_COUNTED", -1)  # every fiche read from its lexemes
    assert _orders(pg_starter) == counted
    assert sum(len(ids) > 1 for ids in counted.values()) >= 6  # orders, not single fiches


def test_a_page_holds_the_rows_of_its_fiches_in_relevance_order(pg_starter: Database) -> None:
    with pg_starter.read() as session:
        everything = search(session, Criteria(text="techn"))
        page = search(session, Criteria(text="techn"), limit=20, offset=10)
    assert len(page) == 20
    assert page == everything[10:30]
