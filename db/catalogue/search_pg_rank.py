"""PostgreSQL relevance: FTS5's ``bm25()`` computed in SQL (see :func:`score`), for
:mod:`db.catalogue.search_pg`, which holds the rest of the search.

How often a fiche holds a phrase (a folded form, by prefix or as a whole word) is counted in its
``search_*`` columns themselves, not by unpacking its ``tsvector`` lexeme by lexeme: those
columns are the very words the ``tsvector`` was made of (letters and digits, one space between
words, already folded: :func:`db.catalogue.search_text.index_text`; the text search
configuration only splits them at the spaces), so counting " boulang" in " " + column is
counting the words that start with "boulang". ``replace()`` does that in C: ≈ 0.02 ms a fiche,
where the ``unnest()`` of its lexemes took ≈ 0.1 ms ("boulanger agricole" at 100,000 métiers
scores 216 fiches).

Where the two counts could differ, the ``tsvector``'s is taken, as before: a lexeme keeps at
most 256 positions and no position beyond 16,383, so a phrase found more than
:data:`_MAX_COUNTED` times, or a fiche longer than :data:`_MAX_WORDS` words, is counted from
the ``tsvector`` (the order is then exactly the one the lexemes give).
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, String, case, func, literal, literal_column, select
from sqlalchemy.orm import Session

from db.catalogue import search_pg_fast
from db.catalogue.search_text import QueryWord, word_forms
from db.models import Metier, table_of

_M = table_of(Metier)
_K1, _B = 1.2, 0.75  # BM25's constants, as in FTS5
_MAX_COUNTED = 250  # a lexeme keeps 255 positions at most: fewer occurrences are all there
_MAX_WORDS = 16_000  # positions stop at 16,383: below this many words, none is merged
_FORM = re.compile(r"[0-9a-z]+")  # what a folded word is made of (db.text.words)
# The tsvector's labels: the job's name and labels A (12), synonyms B (6), interest and sector
# labels C (3), ROME job titles and the description D (1).
_COLUMNS = (("search_title", 12), ("search_synonyms", 6), ("search_tags", 3), ("search_rome", 1),
            ("search_text", 1))


def size() -> ColumnElement[int]:
    """How many words the fiche's indexed text holds (BM25's document length, as in FTS5)."""
    return literal_column("metiers.search_words")


def statistics(session: Session) -> dict[str, float]:
    """BM25's figures of this catalogue, counted once per catalogue version and kept across
    sessions: "" the number of fiches, "mean" their mean length, each phrase its fiches.

    The version is bumped by a trigger at every write to ``metiers`` (see search_pg's schema),
    so a figure is never older than the catalogue: the order stays the one SQLite gives."""
    key = (str(session.get_bind().engine.url), search_pg_fast.version(session))
    if key not in _STATISTICS:
        if len(_STATISTICS) > 16:
            _STATISTICS.clear()
        fiches, mean = session.execute(select(func.count(), func.avg(size())).select_from(_M)).one()
        _STATISTICS[key] = {"": float(fiches), "mean": float(mean or 1)}
    return _STATISTICS[key]


_STATISTICS: dict[tuple[str, int], dict[str, float]] = {}


def score(session: Session, words: list[QueryWord], term: Callable[[str, bool], str],
          holds: Callable[[str], ColumnElement[bool]]) -> ColumnElement[float]:
    """FTS5's ``bm25()`` computed in SQL, lower is better: for each form of each word (an FTS5
    phrase), its rarity over the whole table times its saturated weighted frequency in the
    fiche, shortened by the fiche's length against the mean (k1 = 1.2, b = 0.75).

    ``term``: the tsquery term of a form (prefix or whole word), ``holds``: the test of a fiche
    matching a tsquery (how each phrase's fiches are counted, once per catalogue version).

    ``ts_rank_cd`` was tried first: it knows neither rarity nor FTS5's column weights by
    count, and ordered a third of the judged queries' first ten differently from SQLite; this
    orders 68 of 71 the same (the others differ by ROME titles weighing 1 here, 1.5 in FTS5).
    """
    counts = statistics(session)
    fiches = counts[""]
    # Each form of each word is a BM25 phrase of its own, as in the FTS5 expression: a form
    # found in two alternatives ("dev web": "developpeur web" | "integrateur web") counts twice,
    # but, as in FTS5, only in the alternatives the fiche matches (see _alternatives).
    phrases = [(form, prefix) for word in words for group in word.alternatives for w in group
               for form, prefix in word_forms(w)]
    rarities = []
    for form, prefix in phrases:
        expression = term(form, prefix)
        if expression not in counts:
            if len(counts) > 4096:  # a long day of typing: forget the phrases, keep the totals
                for phrase in [k for k in counts if k not in ("", "mean")]:
                    del counts[phrase]
            counts[expression] = session.execute(select(func.count()).select_from(_M)
                                                 .where(holds(expression))).scalar_one()
        rarities.append(max(math.log((fiches - counts[expression] + 0.5) / (counts[expression] + 0.5)), 1e-6))
    if not all(_FORM.fullmatch(form) for form, _prefix in phrases):  # never: folded words only
        return _score_from_lexemes(phrases, rarities, counts["mean"])
    return literal_column(_score_sql(phrases, rarities, counts["mean"], _alternatives(words)))


def _alternatives(words: list[QueryWord]) -> list[list[list[int]]]:
    """For each phrase of :func:`score` (same order): the phrases of its alternative, word by
    word. FTS5 gives no instance to the phrases of an alternative a fiche does not match (all
    of its words, each by one of its forms): "dev web" scores "web" once in a fiche matching
    "developpeur web" only, not a second time for "integrateur web"."""
    out: list[list[list[int]]] = []
    index = 0
    for word in words:
        for group in word.alternatives:
            members = []
            for w in group:
                count = len(word_forms(w))
                members.append(list(range(index, index + count)))
                index += count
            out.extend(members for member in members for _ in member)
    return out


def _float(value: float) -> str:
    """A double precision literal of exactly ``value`` (repr is the shortest exact writing)."""
    return f"'{value!r}'::float8"


def _length(mean: float) -> str:
    """SQL of the fiche's length against the mean, as BM25 weighs it (b = 0.75)."""
    return f"{_float(1 - _B)} + ({_float(_B)} * metiers.search_words) / {_float(mean)}"


def _bm25(frequencies: list[str], rarities: list[float], length: str) -> str:
    """The BM25 sum over ``frequencies`` (SQL of each phrase's weighted frequency; ``length``:
    SQL of :func:`_length`), with the operations, in the order, of the former SQLAlchemy
    expression: the same doubles."""
    total = _float(0.0)
    for frequency, rarity in zip(frequencies, rarities, strict=True):
        total += (f" + ({_float(rarity)} * {frequency} * {_float(_K1 + 1)}) "
                  f"/ ({frequency} + {_float(_K1)} * {length})::float8")
    return total


def _score_sql(phrases: list[tuple[str, bool]], rarities: list[float], mean: float,
               alternatives: list[list[list[int]]]) -> str:
    """:func:`score` as one SQL expression over the current ``metiers`` row (see the module
    docstring): each column's text read once (OFFSET 0 keeps the levels apart, else each
    reference would unpack the column again), then each phrase counted in each column, and
    counted only where its alternative matches (``alternatives``: see :func:`_alternatives`)."""
    texts, counted = [], []
    for column, _weight in _COLUMNS:
        texts.append(f"' ' || metiers.{column} AS p_{column}")
        if any(not prefix for _form, prefix in phrases):  # whole words: each one between its own spaces
            texts.append(f"' ' || replace(metiers.{column}, ' ', '  ') || ' ' AS w_{column}")
        for i, (form, prefix) in enumerate(phrases):
            source = f"{'p' if prefix else 'w'}_{column}"
            pattern = f" {form}" if prefix else f" {form} "
            counted.append(f"(octet_length({source}) - octet_length(replace({source}, '{pattern}', ''))) "
                           f"/ {len(pattern)} AS c{i}_{column}")
    frequencies, exact = [], []
    seen = [" + ".join(f"c{i}_{column}" for column, _weight in _COLUMNS) for i in range(len(phrases))]
    for i, (form, prefix) in enumerate(phrases):
        cheap = " + ".join(f"{weight} * c{i}_{column}" for column, weight in _COLUMNS)
        matched = " AND ".join("(" + " OR ".join(f"({seen[j]}) > 0" for j in member) + ")"
                               for member in alternatives[i])
        exact.append(f"CASE WHEN NOT ({matched}) THEN 0 "
                     f"WHEN {seen[i]} <= {_MAX_COUNTED} AND metiers.search_words <= {_MAX_WORDS} "
                     f"THEN {cheap} ELSE {_lexeme_frequency(form, prefix)} END AS f{i}")
        frequencies.append(f"frequencies.f{i}")
    exact.append(f"{_length(mean)} AS length")  # computed once, used by every phrase
    return (f"-(SELECT {_bm25(frequencies, rarities, 'frequencies.length')} FROM "
            f"(SELECT {', '.join(exact)} FROM (SELECT {', '.join(counted)} FROM "
            f"(SELECT {', '.join(texts)} OFFSET 0) AS texts OFFSET 0) AS counted) AS frequencies)")


def _lexeme_frequency(form: str, prefix: bool) -> str:
    """SQL of the weighted frequency of one phrase read from the fiche's lexemes (the former
    way, kept for the fiches where counting the words could differ)."""
    test = f"lexemes.lexeme LIKE '{form}%'" if prefix else f"lexemes.lexeme = '{form}'"
    weighted = ("cardinality(lexemes.weights) + 11 * cardinality(array_positions(lexemes.weights, 'A')) "
                "+ 5 * cardinality(array_positions(lexemes.weights, 'B')) "
                "+ 2 * cardinality(array_positions(lexemes.weights, 'C'))")
    return (f"(SELECT coalesce(sum(CASE WHEN {test} THEN {weighted} ELSE 0 END), 0) "
            f"FROM unnest(metiers.search_tsv) AS lexemes)")


def _score_from_lexemes(phrases: list[tuple[str, bool]], rarities: list[float], mean: float) -> ColumnElement[float]:
    """:func:`score` with every frequency read from the lexemes, the forms bound as parameters
    (for a form that is not a folded word, which the search never makes)."""
    lexemes = func.unnest(literal_column("metiers.search_tsv")).table_valued("lexeme", "positions", "weights") \
        .alias("lexemes")
    weights = lexemes.c.weights

    def times(label: str) -> ColumnElement[int]:
        return func.cardinality(func.array_positions(weights, literal(label, String)))

    weighted = func.cardinality(weights) + 11 * times("A") + 5 * times("B") + 2 * times("C")
    columns = []
    for i, (form, prefix) in enumerate(phrases):
        test = lexemes.c.lexeme.startswith(form, autoescape=True) if prefix else lexemes.c.lexeme == form
        columns.append(func.coalesce(func.sum(case((test, weighted), else_=0)), 0).label(f"f{i}"))
    found = select(*columns).select_from(lexemes).subquery("frequencies")
    length = literal(1 - _B) + literal(_B) * size() / literal(mean)
    total: ColumnElement[float] = literal(0.0)
    for i, rarity in enumerate(rarities):
        frequency: Any = found.c[f"f{i}"]
        total = total + literal(rarity) * frequency * (_K1 + 1) / (frequency + literal(_K1) * length)
    return -select(total).select_from(found).scalar_subquery()
