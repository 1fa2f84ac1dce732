"""The plain values of a catalogue search: what is asked (:class:`Criteria`) and what comes back.

Kept apart from :mod:`db.catalogue.search` (which builds the SQL with SQLAlchemy) so that the window
can hold criteria and rows before SQLAlchemy is even loaded (see :mod:`db.catalogue.startup_view`).
Only the standard library here.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

SORTS = ("auto", "name", "salary", "level", "relevance", "sector", "source")


@dataclass(frozen=True)
class Criteria:
    """What the counselor asks for. Empty/None fields do not filter.

    - ``max_bac_plus``: keep fiches whose minimum level is at most this (CAP = −2, bac = 0,
      bac + 2 = 2…); fiches whose level is unknown are left out.
    - ``min_salary``: keep fiches whose starting salary (its lower figure) is at least this many
      euros gross per month; fiches without a figure are left out unless ``include_no_salary``.
      0 (like None) is no minimum: every fiche stays, with or without a figure.
    - ``sectors`` / ``statuts`` / ``countries``: any of the given ids.
    - ``interests`` with ``interests_mode`` "any" (at least one) or "all" (every one).
    - ``text``: free text, see the module docstring.
    - ``sort``: one of :data:`SORTS`; "auto" (the default) and "relevance" order by relevance
      when there is text, by name otherwise.
    """

    text: str = ""
    max_bac_plus: int | None = None
    min_salary: int | None = None
    include_no_salary: bool = False
    sectors: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    interests_mode: str = "any"
    statuts: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sort: str = "auto"
    descending: bool = False


class MetierRow(NamedTuple):
    """One line of the result table: plain values only."""

    pk: int
    id: str
    name: str
    label_f: str | None
    label_m: str | None
    level_label: str | None
    bac_plus: int | None
    salary_min: int | None
    salary_max: int | None
    sector_label: str | None
    source_kind: str
    country: str
    salary_year: int | None = None  # the year the salary figures hold for (the SMIC of that year)


# The window counts matches up to this many only: beyond, it says "plus de 3 000 métiers" and
# lets the counselor scroll on (a full count reads every match: 100s of ms at 100,000 métiers).
# The same as db.catalogue.search.RANKED_MAX, so a capped count still chooses the ranking.
COUNT_CAP = 3_000


class FirstPage(NamedTuple):
    """The window's answer to a criteria change: how many match, and the first rows.

    ``exact`` false: more than ``total`` - 1 match (``total`` is :data:`COUNT_CAP` + 1);
    the following pages are asked for until one comes back short.
    """

    total: int
    rows: list[MetierRow]
    exact: bool = True


@dataclass
class Facets:
    """Counts for the current criteria: per sector id (ignoring the sector filter) and per
    level code (ignoring the level filter), so the counselor sees what each choice would give."""

    sectors: dict[str, int] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)


@dataclass
class Choices:
    """What the filter lists offer: every sector, interest, statut and country in use."""

    sectors: list[tuple[str, str, int]] = field(default_factory=list)  # id, label, métiers
    interests: list[tuple[str, str, str]] = field(default_factory=list)  # id, label, group
    statuts: list[tuple[str, str, int]] = field(default_factory=list)  # id, label, métiers
    countries: list[tuple[str, int]] = field(default_factory=list)  # code, métiers


def with_sort(criteria: Criteria, sort: str, descending: bool = False) -> Criteria:
    """A copy of ``criteria`` sorted another way."""
    return replace(criteria, sort=sort, descending=descending)


def no_match_notice(criteria: Criteria) -> str:
    """What to try when no métier matches ``criteria`` (French, one sentence): the window shows it
    under the count, the command line under its empty table."""
    filtered = replace(criteria, text="", sort="auto", descending=False) != Criteria()
    if not criteria.text.strip():
        return "Aucun métier ne correspond à tous ces filtres : retirez-en un."
    shown = " ".join(criteria.text.split())[:60]
    if filtered:
        return (f"Aucun métier ne correspond à « {shown} » avec ces filtres : retirez un filtre, ou essayez "
                "un mot plus courant ou plus général.")
    return (f"Aucun métier ne correspond à « {shown} » : essayez un mot plus courant ou plus général "
            "(le domaine, une activité).")
