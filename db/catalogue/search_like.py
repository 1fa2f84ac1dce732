"""Free text without FTS5 (PostgreSQL, a first step): the same indexed columns and the same word
forms as the FTS5 index of :mod:`db.catalogue.search` — a word, or its stem, at the start of an
indexed word; short ones as whole words; an abbreviation's alternatives — tested with portable
``LIKE`` over " col1 col2 … ": every word, else the most words.

Not yet equivalent to SQLite: no typo correction, no relevance order (name order), and no index
helps these tests (each one reads every fiche).
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, literal, or_, select
from sqlalchemy.orm import Session

from db.catalogue.search_index import SEARCH_COLUMNS
from db.catalogue.search_text import QueryWord, word_forms
from db.models import Metier, table_of

_M = table_of(Metier)


def _indexed_words() -> ColumnElement[str]:
    """The five indexed columns of a fiche as one text, each indexed word preceded by a space."""
    haystack: ColumnElement[str] = literal(" ")
    for column in SEARCH_COLUMNS:
        haystack = haystack + _M.c[column] + literal(" ")
    return haystack


def holds(word: QueryWord) -> ColumnElement[bool]:
    """A fiche holding ``word``: any of its alternatives, every word of that alternative."""
    haystack = _indexed_words()

    def found(w: str) -> ColumnElement[bool]:
        return or_(*(haystack.like(f"% {form}%" if prefix else f"% {form} %") for form, prefix in word_forms(w)))

    return or_(*(and_(*(found(w) for w in group)) for group in word.alternatives))


def at_least(words: list[QueryWord], required: int) -> ColumnElement[bool]:
    """A fiche holding at least ``required`` of ``words`` (all of them when ``required`` is 0)."""
    if required <= 0 or required >= len(words):
        return and_(*(holds(w) for w in words))
    hits: ColumnElement[int] = literal(0)
    for w in words:
        hits = hits + case((holds(w), 1), else_=0)
    return hits >= required


def required_words(session: Session, words: list[QueryWord]) -> int:
    """The most of ``words`` that at least one fiche holds (all of them when possible, at least 1)."""
    for required in range(len(words), 1, -1):
        if session.execute(select(_M.c.pk).where(at_least(words, required)).limit(1)).first() is not None:
            return required
    return 1
