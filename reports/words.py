"""The bilan's "Mots utiles": the words a family may not know, explained once in plain French.

Only the levels the shown métiers need are explained; "brut" and "net" always are, since every
salary in the bilan is brut. No reportlab here: plain strings in, plain strings out.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

# Paragraph markup (fixed text): no-break spaces written out so "78 %" and "1 800 €" never wrap.
BRUT_NET = ("le <b>brut</b> est le salaire écrit sur le contrat\u00a0; le <b>net</b>, ce que l'on reçoit "
            "vraiment, vaut environ 78\u00a0% du brut (1\u00a0800\u00a0€ brut ≈ 1\u00a0400\u00a0€ net).")

# Years after the bac (CAP counted as -2, as in db.catalogue.nomenclature) → the diplomas a
# pupil hears about, in the words of the classroom.
_LEVELS: dict[int, tuple[str, str]] = {
    -2: ("CAP", "diplôme d'un métier, en 2 ans après la 3e (lycée professionnel ou apprentissage)."),
    0: ("bac", "bac général, technologique ou professionnel, 3 ans après la 3e."),
    1: ("bac + 1", "1 an d'études après le bac : une formation courte ou une spécialisation."),
    2: ("bac + 2", "2 ans d'études après le bac : BTS, BUT 2e année…"),
    3: ("bac + 3", "3 ans après le bac : licence, BUT, diplômes d'État (infirmier, éducateur…)."),
    4: ("bac + 4", "4 ans après le bac : 1re année de master, certaines écoles…"),
    5: ("bac + 5", "5 ans après le bac : master, diplôme d'ingénieur, école de commerce…"),
    8: ("bac + 8", "8 ans et plus après le bac : doctorat, études de médecine…"),
}
_BAC_PLUS = re.compile(r"bac\s*\+\s*(\d+)", re.IGNORECASE)


def level_key(level: str, bac_plus: int | None = None) -> int | None:
    """The row of :data:`_LEVELS` that explains ``level`` ("bac + 3", "CAP ou équivalent"…)."""
    if bac_plus is None:
        found = _BAC_PLUS.search(level.replace("\u00a0", " "))
        if found:
            bac_plus = int(found.group(1))
        elif "cap" in level.lower() or "bep" in level.lower():
            bac_plus = -2
        elif level.lower().startswith("bac"):
            bac_plus = 0
    if bac_plus is None:
        return None
    keys = sorted(_LEVELS)
    # A level between two rows (bac + 6) is explained by the row just below it.
    return max((k for k in keys if k <= bac_plus), default=keys[0])


def level_words(levels: Iterable[tuple[str, int | None]]) -> list[tuple[str, str]]:
    """(word, explanation) for each distinct level among ``levels`` ((written level, bac_plus)
    pairs), shortest studies first."""
    keys = {k for k in (level_key(text, bac_plus) for text, bac_plus in levels) if k is not None}
    return [_LEVELS[k] for k in sorted(keys)]


def short_level(bac_plus: int) -> str:
    """A level in a few characters for a chart's axis: "CAP", "bac", "+3" (years after the bac)."""
    if bac_plus <= -3:
        return "brevet"
    if bac_plus < 0:
        return "CAP"
    return "bac" if bac_plus == 0 else f"+{bac_plus}"
