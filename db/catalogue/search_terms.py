"""SQLite: the indexed terms near a mistyped word, and a corrected word's terms written out.

A word that matches nothing is replaced by the nearest indexed words (:func:`nearest_words`,
among :func:`indexed_words`: the terms under its first letter, kept per database).

A query word is a prefix ("technicien"*). When it is longer than the FTS5 prefix lists
(:data:`db.catalogue.search_index.FTS_PREFIXES`), FTS5 merges the lists of every term under it
before giving a first row: 13 ms for "technicien"* at 100,000 métiers, even for ``LIMIT 1``,
against 1 ms for the same six terms written out ("technicien" OR "techniciens" OR …), read as
they are needed. A corrected word ("tecnicien" → "technicien") was found in the list of the
indexed terms under its first letter, already read, so its terms cost nothing more to list.

The written-out expression finds the same fiches, but FTS5's BM25 scores each term apart: it
serves to count and to test, never to rank (:attr:`db.catalogue.search.TextQuery.quick_match`).
:func:`wide_expression` cuts the other long prefixes to the longest list ("chantier"* →
"chantie"*): at least the same fiches, an upper bound of their number read without any merge.
"""
from __future__ import annotations

from bisect import bisect_left

from sqlalchemy import text
from sqlalchemy.orm import Session

from db.catalogue import search_match
from db.catalogue.search_index import FTS_PREFIXES
from db.catalogue.search_text import QueryWord, at_least_expression, fts_expression, word_forms

MAX_TERMS = 24  # more terms under a word: its prefix is kept
_LONGEST_PREFIX = max(int(size) for size in FTS_PREFIXES.split())
_SORTED: dict[int, tuple[list[str], list[str]]] = {}


def spelled_out(words: list[str], vocabulary: list[str]) -> tuple[str, ...] | None:
    """Every term of ``vocabulary`` (the indexed terms under the words' first letter, both
    tables) that one of ``words`` matches as a query word does (:func:`word_forms`: as a prefix,
    or whole), or None when there are more than :data:`MAX_TERMS` or none."""
    terms = _sorted(vocabulary)
    found: list[str] = []
    for word in words:
        for form, prefix in word_forms(word):
            if not prefix:
                found.append(form)
                continue
            end = start = bisect_left(terms, form)
            while end < len(terms) and terms[end].startswith(form) and len(found) + end - start <= MAX_TERMS:
                end += 1
            found += terms[start:end]
            if len(found) > MAX_TERMS:
                return None
    return tuple(dict.fromkeys(found)) or None


def quick_expression(words: tuple[QueryWord, ...], spelled: tuple[tuple[str, ...] | None, ...],
                     required: int) -> str | None:
    """The FTS5 expression of :func:`db.catalogue.search_text.fts_at_least` for ``words``, each
    word with terms in ``spelled`` (same order) written as those terms instead."""
    if not words:
        return None
    parts = [f"({expression})" for expression in word_expressions(words, spelled)]
    return at_least_expression(parts, required, " AND ", " OR ")


def word_expressions(words: tuple[QueryWord, ...], spelled: tuple[tuple[str, ...] | None, ...]) -> tuple[str, ...]:
    """One FTS5 expression per word of ``words``: its terms in ``spelled`` (same order) written
    out when listed, else :func:`db.catalogue.search_text.fts_expression` (the same fiches)."""
    expressions = []
    for word, terms in zip(words, spelled + (None,) * (len(words) - len(spelled)), strict=True):
        quoted = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms) if terms else None
        expressions.append(quoted or fts_expression(word))
    return tuple(expressions)


_WORDS_BY_LETTER: dict[tuple[str, str | None, str], list[str]] = {}


def indexed_words(session: Session, letter: str) -> list[str]:
    """The indexed words starting with ``letter`` (typos rarely touch the first letter).

    Listing them reads every list of the index under that letter (240 ms for "t" at 100,000
    métiers), so they are kept per database until its index changes: FTS5 rewrites its
    structure record on every write, which is the key.
    """
    structure = session.execute(text(search_match.STRUCTURE)).scalar()
    key = (str(session.get_bind().engine.url), structure, letter)
    if key not in _WORDS_BY_LETTER:
        if len(_WORDS_BY_LETTER) > 64:
            _WORDS_BY_LETTER.clear()
        _WORDS_BY_LETTER[key] = list(session.execute(
            text(search_match.VOCABULARY),
            {"low": letter, "high": chr(ord(letter) + 1)}).scalars())
    return _WORDS_BY_LETTER[key]


def nearest_words(session: Session, word: str, cutoff: int, spread: int) -> list[str]:
    """Indexed words close to ``word`` (edit similarity ≥ ``cutoff``, and within ``spread`` of the
    best), best first; stems are left out."""
    from rapidfuzz import fuzz, process

    rows = indexed_words(session, word[0])
    found = process.extract(word, rows, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8)
    # The ROME titles are indexed for every code, cited or not (migration 0015): a word found
    # only in the titles of codes no fiche cites would turn the typo into a search for nothing.
    found = [hit for hit in found if search_match.any_match(session, f'"{hit[0]}"')]
    if not found:
        return []
    # The closest words only (a clear winner alone), the shortest first on a tie: indexed stems
    # ("coiffeur" of "coiffeurs") are words too, and the shorter is the likelier typed form.
    best = found[0][1]
    close = sorted((term for term, score, _index in found if score >= best - spread),
                   key=lambda term: (-fuzz.ratio(word, term), len(term)))
    return close[:3]


def wide_expression(words: tuple[QueryWord, ...], spelled: tuple[tuple[str, ...] | None, ...],
                    required: int) -> str | None:
    """An FTS5 expression matching at least the fiches of :func:`quick_expression` (maybe more),
    read from the prefix lists only: each prefix longer than the longest list is cut to its
    length ("chantier"* → "chantie"*), which no list merge precedes. Cheap to count an upper
    bound of the matches with."""
    if not words:
        return None
    parts = []
    for word, terms in zip(words, spelled + (None,) * (len(words) - len(spelled)), strict=True):
        if terms:
            parts.append("(" + " OR ".join('"' + term.replace('"', '""') + '"' for term in terms) + ")")
            continue
        groups = ["(" + " AND ".join("(" + " OR ".join(_wide_term(form, prefix) for form, prefix in word_forms(w))
                                     + ")" for w in group) + ")" for group in word.alternatives]
        parts.append("(" + " OR ".join(groups) + ")")
    return at_least_expression(parts, required, " AND ", " OR ")


def _wide_term(form: str, prefix: bool) -> str:
    """One FTS5 term of :func:`wide_expression`: a prefix cut to the longest prefix list."""
    if not prefix:
        return f'"{form}"'
    return f'"{form[:_LONGEST_PREFIX]}"*'


def _sorted(vocabulary: list[str]) -> list[str]:
    """``vocabulary`` sorted, kept while that list is (the search keeps it per database)."""
    entry = _SORTED.get(id(vocabulary))
    if entry is None or entry[0] is not vocabulary:
        if len(_SORTED) > 64:
            _SORTED.clear()
        entry = _SORTED[id(vocabulary)] = (vocabulary, sorted(vocabulary))
    return entry[1]
