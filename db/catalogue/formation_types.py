"""The project's nomenclature of diploma types (``resources/formations/types.tsv``).

It gives each type its level, usual duration and entry point, so that a formation known only
by its label ("CAP cuisine", "BTS tourisme") still gets a route, with or without the ONISEP
formation fiches. See ``resources/formations/README.md`` for the columns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from db.text import fold

ENTRIES = ("3e", "cap", "bac", "bac+2", "bac+3", "bac+5")
# Years after the bac an entry point stands for (3e and cap come before the bac).
ENTRY_BAC_PLUS = {"3e": -4, "cap": -2, "bac": 0, "bac+2": 2, "bac+3": 3, "bac+5": 5}
LEVEL_BAC_PLUS = {3: -2, 4: 0, 5: 2, 6: 3, 7: 5, 8: 8}  # 2019 framework level → years after the bac


@dataclass(frozen=True)
class FormationType:
    """One row of ``types.tsv``."""

    code: str
    label: str
    prefixes: tuple[str, ...]  # folded label beginnings
    onisep_types: tuple[str, ...]  # folded ONISEP "Type" values
    level: int
    bac_plus: int
    years: int
    entry: str  # one of ENTRIES
    bacs: str  # "tous" | "gt" | "" (entry is not the bac)
    before: str  # French: the usual step before it ("une licence"), "" when none
    before_years: int
    apprenticeship: bool


def _split(cell: str) -> tuple[str, ...]:
    return tuple(fold(part) for part in cell.split("|") if part.strip())


@cache
def formation_types() -> tuple[FormationType, ...]:
    """Every type of the bundled table, in file order."""
    text = (resources.files("resources") / "formations" / "types.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines()[1:] if line.strip()]
    return tuple(FormationType(
        code=r[0], label=r[1], prefixes=_split(r[2]), onisep_types=_split(r[3]), level=int(r[4]),
        bac_plus=int(r[5]), years=int(r[6]), entry=r[7], bacs=r[8], before=r[9],
        before_years=int(r[10] or 0), apprenticeship=r[11] == "oui") for r in rows)


@cache
def type_by_code(code: str) -> FormationType | None:
    """The type with this code, or None."""
    return next((t for t in formation_types() if t.code == code), None)


def type_of_onisep(type_text: str | None) -> FormationType | None:
    """Our type for an ONISEP fiche's "Type" value (exact match, case and accents ignored)."""
    wanted = fold(type_text).strip()
    return next((t for t in formation_types() if wanted and wanted in t.onisep_types), None)


def type_of_label(label: str | None) -> FormationType | None:
    """Our type for a formation label, by its longest known beginning ("CAP cuisine" → CAP)."""
    text = fold(label).strip() + " "
    best: tuple[int, FormationType] | None = None
    for ftype in formation_types():
        for prefix in ftype.prefixes:
            if text.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), ftype)
    return best[1] if best else None


_YEARS = re.compile(r"(\d+)\s*ans?\b")
_LEVEL = re.compile(r"niveau\s*(\d)")


def parse_years(text: str | None) -> int | None:
    """Years in "3 ans", "1 an"; None when the text holds no figure (or an absurd one)."""
    found = _YEARS.search(fold(text))
    return int(found.group(1)) if found and 0 < int(found.group(1)) <= 12 else None


def parse_level(text: str | None) -> int | None:
    """The 2019 framework level in "niveau 5" (3–8), or None ("non inscrit au RNCP")."""
    found = _LEVEL.search(fold(text))
    return int(found.group(1)) if found and int(found.group(1)) in LEVEL_BAC_PLUS else None
