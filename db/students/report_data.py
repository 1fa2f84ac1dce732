"""Plain data for the student's PDF report (bilan d'orientation).

``db`` assembles a :class:`ReportData` from a student's session; ``reports`` turns it into PDF
bytes. Everything here is already decided and written out in French (levels spelled out,
salaries formatted, reasons in plain words): the renderer only lays it out. Private notes are
never part of this structure, so they cannot reach a PDF.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ReportInterest:
    """A ticked centre d'intérêt, with the group it belongs to (for the profile chart)."""

    label: str
    group: str


@dataclass
class ReportMetier:
    """One shortlisted métier as the student reads it."""

    title: str  # the inclusive name, e.g. "infirmier/ère"
    label_f: str
    label_m: str
    description: str
    level: str  # written out: "bac + 2", "CAP ou équivalent", "non précisé"
    salary: str  # formatted: "à partir de 1 850 € brut par mois", or "non précisé"
    salary_source: str  # "Source : Onisep, 2025" / "fiche du projet, 2025"
    sectors: list[str] = field(default_factory=list)
    formations: list[str] = field(default_factory=list)  # 2–4 shown
    reasons: list[str] = field(default_factory=list)  # why it fits, plain words
    cautions: list[str] = field(default_factory=list)  # criteria it does not meet (or unknown), plain words
    comment: str = ""  # the counselor's comment on the shortlist entry
    source: str = ""  # "Source : Idéo-Fiches métiers, Onisep, sous licence ODbL", …
    routes: list[str] = field(default_factory=list)  # from the pupil's class, one French line each
    route_notes: list[str] = field(default_factory=list)  # sentences about those routes (none known, longer…)
    route_steps: list[tuple[str, int]] = field(default_factory=list)  # the shortest route, drawn: (label, years)
    study_years: str = ""  # written out: "2 ans après le bac", "2 à 3 ans après la 3e"
    bac_plus: int | None = None  # years of study after the bac (CAP: -2), for the chart
    salary_start: int | None = None  # starting salary in euros, brut per month, for the chart


@dataclass
class ComparisonRow:
    """One line of the comparison table: a criterion and one value per compared métier."""

    criterion: str
    values: list[str]


@dataclass
class Comparison:
    """The side-by-side comparison of 2–4 métiers (titles in column order)."""

    titles: list[str]
    rows: list[ComparisonRow] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything the report shows, nothing more (no private notes, no other student)."""

    student_name: str  # "Prénom Nom"
    student_class: str  # "3e B"
    school: str
    session_date: str  # written out: "21 novembre 2026"
    counselor_name: str
    counselor_structure: str  # "CIO de Lyon Centre"
    counselor_contact: str  # how to reach the counselor / the CIO
    interests: list[ReportInterest] = field(default_factory=list)
    interest_profile: list[tuple[str, float]] = field(default_factory=list)  # (axis label, 0..1)
    metiers: list[ReportMetier] = field(default_factory=list)
    comparison: Comparison | None = None
    next_steps: list[str] = field(default_factory=list)
    student_note: str = ""
    sources: list[str] = field(default_factory=list)  # "Source : Onisep (licence ODbL), données du 21/10/2025"
    generated_on: str = ""  # written out date the PDF was made
    made_on: date | None = None  # that day, for the PDF's metadata (None: reportlab's fixed date)


# Comparison rows that page one's overview and the métier cards already show (criteria as
# db.catalogue.compare writes them): printed twice, they may also disagree (the overview's length
# of studies is the route from the pupil's class, the comparison's the level's usual one).
SHOWN_ELSEWHERE = ("Niveau d'études", "Durée des études", "Salaire", "Formations")


def comparison_to_print(data: ReportData) -> Comparison | None:
    """The comparison a bilan prints (PDF and HTML alike): without the rows of
    :data:`SHOWN_ELSEWHERE` when every compared métier has its card; None when nothing is left."""
    comparison = data.comparison
    if comparison is None or not comparison.titles:
        return None
    shown = {m.title for m in data.metiers}
    if not all(title in shown for title in comparison.titles):
        return comparison
    rows = [row for row in comparison.rows if not row.criterion.startswith(SHOWN_ELSEWHERE)]
    return Comparison(comparison.titles, rows) if rows else None


def routes_in_words(routes: list[str], notes: list[str]) -> str:
    """The routes from the pupil's class said in one paragraph: « A ; ou B. » then the notes as
    sentences of their own (never joined as one more « ou »)."""
    said = " ".join(notes)
    return " ; ou ".join(routes) + (". " if routes and said else "") + said


def credits_in_words(source: str, salary_source: str) -> str:
    """Who wrote a métier's fiche, then where its salary comes from, in one line, for the PDF and
    the HTML bilan alike: « Fiche rédigée par l'équipe Orientation · salaire : données de 2025 »
    when the salary comes from the fiche's own producer, else « … · salaire : <its source> »."""
    source = source.strip()
    salary = re.sub(r"^\s*source\s*:\s*", "", salary_source or "", flags=re.IGNORECASE).strip()
    parts = [source] if source else []
    if source and salary.lower().startswith(source.lower()):  # the same producer: say only the year
        year = salary[len(source):].strip(" ,")
        parts.append(f"salaire : données de {year}" if year else "salaire : même source")
    elif salary:
        parts.append(f"salaire : {salary}")
    return " · ".join(parts)
