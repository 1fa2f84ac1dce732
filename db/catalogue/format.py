"""How values are written out for counselors, students and families (French conventions).

Shared by the GUI, the command line and the PDF report so a salary or a source reads the same
everywhere.
"""
from __future__ import annotations

from datetime import date

from db.catalogue.nomenclature import near_smic

NBSP = "\u202f"  # narrow no-break space: the French thousands separator and before "€"

SOURCE_LABELS = {
    "projet": "Fiche du projet",
    "onisep-md": "Onisep",
    "onisep-xml": "Onisep",
    "onisep-json": "Onisep",
    "cidj": "CIDJ / Info jeunes",
    "be-guide": "Guide des métiers (Belgique)",
    "titre-pro": "Titre professionnel",
}


def format_euros(amount: int | float) -> str:
    """ "1 850 €" with a narrow no-break space as thousands separator."""
    whole = round(amount)
    return f"{whole:,}".replace(",", NBSP) + NBSP + "€"


SMIC_NOTE = " (≈ SMIC)"


def format_salary(low: int | None, high: int | None, year: int | None = None, country: str | None = "FR") -> str:
    """ "à partir de 1 850 €", "1 600 – 4 000 €", or "non précisé".

    A French starting figure that is the SMIC of the salary's ``year`` in effect
    (:func:`~db.catalogue.nomenclature.near_smic`; the latest SMIC when the year is unknown) says
    so: "à partir de 1 823 € (≈ SMIC)", "1 802 € (≈ SMIC) – 2 100 €". Other countries' figures
    are never compared with the French SMIC.
    """
    note = SMIC_NOTE if (country or "FR").upper() == "FR" and near_smic(low, year) else ""
    if low is not None and high is not None and high != low:
        start = format_euros(low) + note if note else format_euros(low)[:-2]
        return f"{start} – {format_euros(high)}"
    if low is not None:
        return f"à partir de {format_euros(low)}{note}"
    if high is not None:
        return f"jusqu'à {format_euros(high)}"
    return "non précisé"


def salary_cell(low: int | None, high: int | None, year: int | None = None, country: str | None = "FR") -> str:
    """:func:`format_salary` for a narrow table column: the SMIC named instead of its figure
    ("SMIC – 2 100 €", "à partir du SMIC"); the fiche page gives the figure."""
    if (country or "FR").upper() == "FR" and near_smic(low, year):
        return f"SMIC – {format_euros(high)}" if high is not None and high != low else "à partir du SMIC"
    return format_salary(low, high, year, country)


def source_label(kind: str | None) -> str:
    """The producer of a fiche as the counselor knows it ("Onisep", "Fiche du projet"…)."""
    return SOURCE_LABELS.get(kind or "", kind or "inconnue")


def salary_sentence(low: int | None, high: int | None, year: int | None = None, country: str | None = "FR") -> str:
    """A starting salary as read aloud: "à partir de 1 850 € brut par mois", "1 600 – 4 000 € brut
    par mois", "à partir de 1 823 € brut par mois (≈ SMIC)" (see :func:`format_salary`), or
    "non précisé" when the fiche gives no figure."""
    text = format_salary(low, high, year, country)
    if low is None and high is None:
        return text
    if text.endswith(SMIC_NOTE):
        return f"{text[:-len(SMIC_NOTE)]} brut par mois{SMIC_NOTE}"
    return f"{text} brut par mois"


def salary_origin(kind: str | None, year: int | None, source_date: str | None = None) -> str:
    """Where and when a salary figure comes from: "Onisep, 2025", "Fiche du projet" (no year known)."""
    when = year if year is not None else (source_date[:4] if source_date and source_date[:4].isdigit() else None)
    label = source_label(kind)
    return f"{label}, {when}" if when is not None else label


COUNTRY_LABELS = {"FR": "France", "BE": "Belgique", "CH": "Suisse", "LU": "Luxembourg", "CA": "Canada"}


def country_label(code: str | None) -> str:
    """The French name of a country code ("FR" → "France"); unknown codes are shown as they are."""
    return COUNTRY_LABELS.get((code or "").upper(), code or "inconnu")


def title_in_form(name: str, label_f: str | None, label_m: str | None, form: str) -> str:
    """A métier's title in the form chosen in the settings: "feminin", "masculin", or the
    inclusive name ("inclusif", and whenever the chosen form is not known)."""
    if form == "feminin" and label_f:
        return label_f
    if form == "masculin" and label_m:
        return label_m
    return name


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def french_date(iso: str | date) -> str:
    """ "21 novembre 2026" (1er for the first of the month)."""
    day = date.fromisoformat(iso) if isinstance(iso, str) else iso
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def years_words(n: int) -> str:
    """« 1 an », « 3 ans » (a length of studies)."""
    return f"{n} an" if n == 1 else f"{n} ans"
