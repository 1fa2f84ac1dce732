"""SQLite: the relevance order of a few thousand matches, sorted in Python.

The order is the one :mod:`db.catalogue.search` describes (words matched, words in the name or
labels, the shorter name, BM25, the name). One SQL statement ranking every match (the former
shape) joined the BM25 scores, the title counts and the table in SQL, and the count before it
read the same matches twice more (the ROME titles' count re-read the fiches' own matches to
leave them out). Here each part is read once, in rowid order, and the few thousand matches are
sorted here: the typed sentence of the filter bench went from ≈ 43 to ≈ 30 ms of SQLite work at
100,000 métiers.

Each part is one statement: the fiches' own matches with their BM25 score, name length and sort
key (through the narrow index, the other criteria tested there); the same for their ROME titles;
how many words each fiche holds in its name or labels; and, when fewer words than all are
required, how many words each fiche holds.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from db.catalogue import search_match
from db.catalogue.search_text import fts_expression
from db.models import AnySelect

if TYPE_CHECKING:
    from db.catalogue.search import TextQuery

OWN_FTS = "metier_fts"
# (FTS5 table, its bm25() arguments after the table) → SELECT rowid, score, length(name), sort_key
# of the fiches of that table matching ``:fts_match`` and the other criteria.
Scored = Callable[[str, str], AnySelect]


def relevance_order(session: Session, query: TextQuery, scored: Scored, params: dict[str, Any],
                    weights: tuple[float, ...], bound: int) -> list[int] | None:
    """The pks of every fiche ``scored`` finds, in relevance order (best first), or None when
    more than ``bound`` fiches match (ranking them all would cost too much).

    A fiche's score is its own BM25 (column ``weights``) plus that of its ROME titles
    (:data:`search_match.ROME_WEIGHT`), as :func:`search_match.scored` adds them.
    """
    own = session.execute(scored(OWN_FTS, ", ".join(map(str, weights))).limit(bound + 1), params).all()
    if len(own) > bound:
        return None
    facts: dict[int, list[Any]] = {pk: [score, length, key] for pk, score, length, key in own}
    # Enough ROME rows to know whether more than ``bound`` fiches match in all.
    rome = session.execute(scored(search_match.ROME_FTS, str(search_match.ROME_WEIGHT)).limit(bound + 1), params)
    for pk, score, length, key in rome:
        if pk in facts:
            facts[pk][0] += score
        else:
            facts[pk] = [score, length, key]
    if len(facts) > bound:
        return None
    titles = _counts(session, *search_match.words_found(query.words, "t", search_match.title_expression,
                                                         rome=False))
    hits = _counts(session, *search_match.words_found(query.words, "h", fts_expression, rome=True)) \
        if query.partial else {}

    def order(pk: int) -> tuple[Any, ...]:
        score, length, sort_key = facts[pk]
        title_hits = titles.get(pk, 0)
        # Among names that hold the words, the shortest is the job itself.
        return -hits.get(pk, 0), -title_hits, length if title_hits > 0 else 0, score, sort_key, pk

    return sorted(facts, key=order)


def _counts(session: Session, sql: str, params: dict[str, str]) -> dict[int, int]:
    """pk → n of a :func:`search_match.words_found` statement."""
    return {pk: n for pk, n in session.execute(text(sql), params)}
