"""Words of the free text that name a level of study, not a word of a fiche.

A counselor types « sans bac » or « sans diplôme » in the search box meaning "jobs open without
the bac": searched as words, « bac » found « bactériologiste » and « diplôme » « diplomate ».
:func:`read_level_words` takes such phrases out of the text and turns them into a maximum level
(the lower of it and the level chosen in the filter), with a sentence that says so. The window's
catalogue source and ``orientation search`` both call it before searching.

Only the standard library, :mod:`db.text` and the nomenclature here.
"""
from __future__ import annotations

from dataclasses import replace

from db.catalogue.nomenclature import describe_max_level, level_ceiling
from db.catalogue.search_types import Criteria
from db.text import words

# Folded words → (highest bac_plus kept, what it means). bac_plus: brevet −3, CAP −2,
# « CAP + 1 an » −1 (all below the bac); « sans diplôme » and « 3e » are −4.
_WITHOUT_BAC = (-1, "métiers accessibles avant le bac (CAP ou équivalent au plus)")
_WITHOUT_DIPLOMA = (-4, "métiers accessibles sans diplôme")
_PHRASES: dict[tuple[str, ...], tuple[int, str]] = {
    **{(*lead, bac): _WITHOUT_BAC
       for lead in (("sans",), ("sans", "le"), ("pas", "de"), ("pas", "le"), ("avant", "le"))
       for bac in ("bac", "baccalaureat")},
    **{(*lead, diploma): _WITHOUT_DIPLOMA
       for lead in (("sans",), ("pas", "de"), ("sans", "aucun"))
       for diploma in ("diplome", "diplomes", "qualification", "qualifications")},
}
# Diplomas typed alone are a level too (« bac pro » listed programmiste and bactériologiste; « CAP »
# a bac + 5 first): what they open, the level filter's "maximum" (level_ceiling of the first
# name), and how they are named back (the second; "bac+2" is read as the words "bac" "2").
_DIPLOMAS: dict[tuple[str, ...], tuple[str, str]] = {
    ("cap",): ("cap", "CAP"), ("capa",): ("capa", "CAPA"), ("bep",): ("bep", "BEP"),
    ("cap", "bep"): ("cap", "CAP-BEP"), ("bac",): ("bac", "bac"), ("bac", "pro"): ("bac pro", "bac pro"),
    ("bac", "professionnel"): ("bac pro", "bac professionnel"), ("bac", "techno"): ("bac techno", "bac techno"),
    ("bac", "technologique"): ("bac techno", "bac technologique"),
    ("bac", "general"): ("bac general", "bac général"), ("bts",): ("bts", "BTS"), ("btsa",): ("btsa", "BTSA"),
    ("dut",): ("dut", "DUT"), **{("bac", str(n)): (f"bac+{n}", f"bac + {n}") for n in range(1, 10)}}
_DISPLAY = {key: said for key, (_, said) in _DIPLOMAS.items()}
for _key, (_level, _said) in _DIPLOMAS.items():
    _ceiling = level_ceiling(_level)
    assert _ceiling is not None, _level  # a name the nomenclature does not know: caught at the first import
    _PHRASES.setdefault(_key, (_ceiling, f"métiers accessibles à ce niveau ou avant "
                                         f"({describe_max_level(_ceiling)} au plus)"))
_LONGEST = max(len(key) for key in _PHRASES)
_ACCENTED = {"diplome": "diplôme", "diplomes": "diplômes", "baccalaureat": "baccalauréat"}


def read_level_words(criteria: Criteria) -> tuple[Criteria, str | None]:
    """``criteria`` with the level phrases of its text (« sans bac », « pas de diplôme »…) taken
    out and turned into ``max_bac_plus`` (never raised above the one already asked), and the
    French sentence telling how the text was read (None: no such phrase, ``criteria`` unchanged).
    A text without any word (emoji, signs) is left as it is, with the sentence saying it is not
    taken into account (the search ignores it: every fiche is listed)."""
    tokens = words(criteria.text)
    if criteria.text.strip() and not tokens:  # only emoji or signs: every fiche matches, and is shown
        return criteria, (f"« {' '.join(criteria.text.split())[:40]} » ne contient aucun mot (lettres ou chiffres) : "
                          "ce texte n'est pas pris en compte.")
    kept: list[str] = []
    found: list[tuple[str, int, str]] = []
    position = 0
    while position < len(tokens):
        for size in range(_LONGEST, 0, -1):
            key = tuple(tokens[position:position + size])
            if len(key) == size and key in _PHRASES:
                found.append((_DISPLAY.get(key) or " ".join(_ACCENTED.get(w, w) for w in key), *_PHRASES[key]))
                position += size
                break
        else:
            kept.append(tokens[position])
            position += 1
    if not found:
        return criteria, None
    ceiling = min(level for _, level, _ in found)
    if criteria.max_bac_plus is not None:
        ceiling = min(ceiling, criteria.max_bac_plus)
    typed, _, meaning = min(found, key=lambda phrase: phrase[1])
    # The rest is searched as typed; folded words read the same (the search folds them anyway).
    return (replace(criteria, text=" ".join(kept), max_bac_plus=ceiling),
            f"« {typed} » est lu comme un niveau d'études : {meaning}.")
