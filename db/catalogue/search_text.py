"""How catalogue text is made searchable, and how what a person types becomes a query.

Only the standard library and the stemmer here (no SQL): :mod:`db.catalogue.search` builds the
statements, :mod:`db.catalogue.store` and :mod:`db.catalogue.search_index` write the indexed text.

- **Indexing**: every word is folded (case, accents and ligatures ignored, see :func:`db.text.fold`)
  and written twice when its French stem differs ("infirmieres" → "infirmieres infirmier"), so
  plurals and feminine forms meet on the stem.
- **Reading a query**: folded words; everyday abbreviations and words of the curated table
  ``resources/recherche/abreviations.tsv`` ("kiné", "véto", "IDE") are replaced by what they stand
  for; stop words ("je", "veux", "les", "métiers") are dropped; each remaining word becomes a
  :class:`QueryWord` matched as a prefix of a word or of a stem ("infirmières" finds
  "infirmier/ère"). Words of one or two letters must match a whole word ("IDE" no longer finds
  "idée": it is read as "infirmier").
- A fiche must match every word when at least one fiche does; otherwise the search keeps the
  fiches that match the most words (:func:`fts_at_least`), so a long sentence never ends with
  nothing ("je veux travailler dehors avec des chevaux").

User input never reaches the FTS5 syntax as such: every term is quoted, so ``"``, ``*``,
``NEAR`` or ``-`` are only text.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import combinations
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

import snowballstemmer

from db.text import words

if TYPE_CHECKING:
    from db.catalogue.records import MetierRecord

MAX_QUERY_WORDS = 12  # a pasted paragraph is cut here: the first words carry the intent
_MIN_PREFIX = 3  # shorter words match whole words only
_MIN_STEM = 4  # shorter stems are too vague to search by prefix ("art" → "artichaut")

# Folded French words that say nothing about a job. "autres", "aider", "dehors" stay: they
# are the words of the ONISEP interests ("je veux être utile aux autres").
_STOP_WORDS_TEXT = """
a ai aie aies aient ait as au aupres aussi aux avec avoir avons avez bien c ca ce ceci cela celle
celles celui ces cet cette chez comme comment d dans de des donc dont du elle elles en encore est et
etre eu faire fais fait font genre j je l la le les leur leurs lui m ma mais me mes moi mon n ne ni
nos notre nous on ont ou par pas peu peut peux plus pour pourquoi quand que quel quelle quelles quels
qu qui quoi s sa sans se ses si son sont suis sur t ta te tes toi ton tres tu un une vers voila vos
votre vous y aime aimer aimerais aimerait adore adorer envie voudrais voudrait veut veux vouloir
souhaite trouver cherche chercher travailler travaille travail boulot job jobs metier metiers
devenir deviens devenu devenue tard
emploi emplois profession professions domaine domaines secteur secteurs truc trucs choses chose
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """The French Snowball stem of a folded word ("infirmieres" → "infirmier")."""
    return str(_stemmer().stemWord(word))


def index_text(parts: Iterable[str | None]) -> str:
    """The indexed form of some text: its folded words, each followed by its stem when different.

    Every occurrence stays: how often a description names a word counts in the ranking.
    """
    return " ".join(" ".join(map(_indexed, words(part))) for part in parts if part)


class OwnText(NamedTuple):
    """The indexed columns a métier's record alone determines: ``search_title``,
    ``search_synonyms`` and ``search_text`` (the others depend on the database: the labels of
    its sectors and interests, the ROME job titles of its codes)."""

    title: str
    synonyms: str
    text: str


def own_text(record: MetierRecord) -> OwnText:
    """:class:`OwnText` of ``record``: the very text :func:`db.catalogue.search_index.reindex`
    computes from the rows the writer makes of it (name and labels; synonyms' name and labels in
    order; summary, then each section's title and text in order)."""
    return OwnText(index_text((record.name, record.label_f, record.label_m)),
                   index_text([t for s in record.synonyms for t in (s.name, s.label_f, s.label_m)]),
                   index_text([record.summary, *(t for s in record.sections for t in (s.title, s.text))]))


@lru_cache(maxsize=262_144)
def _indexed(word: str) -> str:
    """``word`` followed by its stem when there is one worth indexing ("chevaux cheval").

    A stem searched by prefix (:func:`word_forms`: from :data:`_MIN_STEM` letters) that begins
    the word is not indexed again: the word itself is found by that prefix ("infirmieres" by
    "infirmier"*). Such stems were a third of the indexed words, and each costs the full-text
    index one entry per prefix list."""
    if len(word) < _MIN_STEM:
        return word
    root = stem(word)
    if root == word or len(root) < _MIN_PREFIX or (len(root) >= _MIN_STEM and word.startswith(root)):
        return word
    return f"{word} {root}"


@dataclass(frozen=True)
class QueryWord:
    """One thing the person typed, and the ways a fiche can match it.

    ``alternatives`` are OR-ed; each is a tuple of words that must all be present (an
    abbreviation may stand for several words: "asv" → ("auxiliaire", "veterinaire")).
    """

    typed: str
    alternatives: tuple[tuple[str, ...], ...]


@cache
def abbreviations() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The curated table: folded typed words → the word groups they stand for."""
    table: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    text = (resources.files("resources") / "recherche" / "abreviations.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        typed, expansions = line.split("\t", 1)
        key = tuple(words(typed))
        groups = tuple(tuple(w for w in words(form) if w not in STOP_WORDS) for form in expansions.split("|"))
        if key:
            table[key] = tuple(group for group in groups if group)
    return table


def read_query(user_text: str | None) -> list[QueryWord]:
    """The :class:`QueryWord` list for what a person typed (empty: no text filter).

    Abbreviations are read first, longest first ("dev web" before "dev"); stop words are then
    dropped, unless nothing else is left (someone searching "la" gets "la").
    """
    tokens = words(user_text)[:MAX_QUERY_WORDS * 2]
    table = abbreviations()
    result: list[QueryWord] = []
    position = 0
    alone = len(tokens) == 1
    while position < len(tokens):
        for size in (3, 2, 1):
            key = tuple(tokens[position:position + size])
            if len(key) == size and key in table and (alone or size > 1 or key[0] not in STOP_WORDS):
                result.append(QueryWord(" ".join(key), table[key]))
                position += size
                break
        else:
            token = tokens[position]
            result.append(QueryWord(token, ((token,),)))
            position += 1
    meaningful = [w for w in result if w.typed not in STOP_WORDS]
    return (meaningful or result)[:MAX_QUERY_WORDS]


def word_forms(word: str) -> list[tuple[str, bool]]:
    """The indexed forms that match one folded word, each with whether it matches as a prefix
    (True) or as a whole word only: the word itself (a prefix when long enough) and its stem."""
    if len(word) < _MIN_PREFIX:
        return [(word, False)]
    forms = [(word, True)]
    root = stem(word)
    if root != word and len(root) >= _MIN_STEM:
        forms.append((root, True))
    elif root != word and len(root) >= _MIN_PREFIX:
        forms.append((root, False))  # a short stem as a whole word: "aides" meets "aide" (stem "aid")
    return forms


def word_variants(word: str) -> list[str]:
    """The FTS5 terms for one folded word (see :func:`word_forms`)."""
    return [f'"{form}"*' if prefix else f'"{form}"' for form, prefix in word_forms(word)]


def fts_expression(query_word: QueryWord) -> str:
    """The FTS5 expression matching one query word in any indexed column."""
    alternatives = []
    for group in query_word.alternatives:
        parts = ["(" + " OR ".join(word_variants(w)) + ")" for w in group]
        alternatives.append("(" + " AND ".join(parts) + ")")
    return " OR ".join(alternatives)


MAX_COMBINED_WORDS = 6  # beyond, "at least k of n" would spell too many combinations: any word will do


def fts_at_least(query: list[QueryWord], required: int) -> str | None:
    """The FTS5 expression of a fiche matching at least ``required`` of the query's words.

    None when there are no words. ``required`` is clamped to 1..len(query); with more than
    :data:`MAX_COMBINED_WORDS` words, anything short of all of them means any one of them.
    """
    if not query:
        return None
    return at_least_expression([f"({fts_expression(w)})" for w in query], required, " AND ", " OR ")


def at_least_expression(parts: list[str], required: int, both: str, either: str) -> str:
    """``parts`` (one bracketed expression per word) combined so that at least ``required`` of
    them hold, with the engine's ``both`` and ``either`` operators (FTS5 " AND "/" OR ",
    tsquery " & "/" | "). ``required`` is clamped to 1..len(parts); beyond
    :data:`MAX_COMBINED_WORDS` parts, anything short of all of them means any one of them."""
    required = max(1, min(required, len(parts)))
    if required == len(parts):
        return both.join(parts)
    if required == 1 or len(parts) > MAX_COMBINED_WORDS:
        return either.join(parts)
    return either.join("(" + both.join(group) + ")" for group in combinations(parts, required))
