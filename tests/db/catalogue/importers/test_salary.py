"""Salary sentences → gross monthly euros, one row per wording the fiches use (issue 3)."""
from __future__ import annotations

import pytest

from db.catalogue.importers.salary import parse_salary

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(("text", "low", "high"), [
    # ONISEP Markdown / XML wordings
    ("A partir de 2400 euros brut par mois", 2400, None),
    ("À partir de 2400 euros brut par mois", 2400, None),
    ("Entre 1900 et 2500 euros brut par mois", 1900, 2500),
    ("A partir de 1801 euros brut par mois, hors primes", 1801, None),
    ("Entre 1900 et 2500 euros brut par mois, hors primes", 1900, 2500),
    ("A partir de 2100 euros brut par mois, variable en fonction du lieu d'exercice", 2100, None),
    ("1532 euros brut par mois, hébergement et nourriture pris en charge", 1532, 1532),
    # several statements: the first one is the salary
    ("A partir de 1800 euros brut par mois, pour un salarié. De 30 à 50 euros de l'heure pour un libéral",
     1800, None),
    ("Entre 2000 et 2400 euros brut par mois, dans le secteur public\nA partir de 2600 euros brut par mois, "
     "dans le secteur privé", 2000, 2400),
    # CIDJ: thousands grouped with narrow no-break spaces, euro sign, no-break space before "à"
    (f"De 1{NNBSP}600{NBSP}€ à 4{NNBSP}000{NBSP}€ brut par mois, en fonction de multiples facteurs", 1600, 4000),
    ("De 1 600 € à 4 000 € brut par mois", 1600, 4000),
    ("De 1.600 € à 4.000 € brut par mois", 1600, 4000),
    ("1 801,80 € brut par mois", 1802, 1802),
    # annual amounts → ÷ 12, rounded
    ("35 k€ par an", 2917, 2917),
    ("Entre 28 et 35 k€ brut annuel", 2333, 2917),
    ("30 000 € brut par an", 2500, 2500),
    ("Entre 24 000 et 30 000 euros brut par an", 2000, 2500),
    ("2,5 k€ par mois", 2500, 2500),
    # Idéo wordings: a range without "de"/"entre", "et jusqu'à", "environ" without a unit
    ("2300 à 2500 euros brut par mois", 2300, 2500),
    ("Environ 2900 à 3500 euros brut par mois en début de carrière.", 2900, 3500),
    ("À partir du Smic et jusqu'à 2231 euros brut par mois.", 1802, 2231),
    ("A partir de 4100 euros jusqu'à 5400 brut par mois en fonction du poste", 4100, 5400),
    ("À partir de 2000 euros brut par mois et jusqu'à 6000 euros brut par mois en fin de carrière.", 2000, None),
    ("A partir du Smic (public) et jusqu'à 1765 (privé) euros brut par mois.", 1802, None),
    ("3000 euros brut par mois. Jusqu'à 6000 euros brut par mois, selon l'expérience", 3000, 3000),
    ("Environ  1770  pour un aide-soignant débutant dans la fonction publique hospitalière", 1770, 1770),
    # the first statement is no salary: the next one is
    ("1440 euros brut pour 1 semaine de 35 heures. 2344 euros brut pour 1 CDI.", 2344, 2344),
    ("En tant qu'élève fonctionnaire, le contrôleur aérien perçoit une rémunération brute mensuelle de "
     "1486 euros en 1re année ; 2200 euros en 2e année ; 2383 euros en 3e année.\nEnfin, il a un salaire "
     "d'environ 2552 euros brut par mois 1 an après la sortie de l'école.", 2552, 2552),
    # a figure with no period: monthly below 10 000 €, yearly from 10 000 €
    ("Environ 2 000 € brut", 2000, 2000),
    ("30 000 € brut", 2500, 2500),
])
def test_monthly_figures(text: str, low: int | None, high: int | None) -> None:
    salary = parse_salary(text, "2025-10-21")
    assert (salary.min_eur, salary.max_eur) == (low, high)
    assert salary.text == text.strip()


@pytest.mark.parametrize("text", [
    "Variable",
    "Variable en fonction du lieu d'exercice et du type d'entreprise",
    "Très variable selon le niveau de responsabilités et la taille de la structure",
    "Salaire variable en fonction du lieu d'exercice.",
    "Variable. Par exemple, 5000 euros brut pour un documentaire de 52 minutes diffusé à la télévision",
    "Entre 80 et 90 euros brut le forfait journalier, incluant le déjeuner.",
    "De 350 à 450 euros brut par jour selon la saison",
    "769,64 euros brut par semaine de 35 heures selon la grille salariale",
    "Un indépendant peut facturer une journée entre 150 à 250 euros brut",
    "Cachet de répétition : 98,50 euros par jour",
    "Le salaire est calculé en pourcentage, par exemple de 10 pour cent de la rémunération",
    "75 à 150 euros par représentation.",
    "De 100 à 800 euros d'indemnités pour les volontaires de solidarité internationale (hors prise en "
    "charge du transport, du logement et de la nourriture)",
    "993 euros brut par semaine de 39 heures et 1464 euros brut par semaine de 42 heures",
    "Environ 150 euros brut",  # per service, its unit left out: no month pays that
    "",
])
def test_no_monthly_figure_keeps_the_text(text: str) -> None:
    salary = parse_salary(text, "2025-10-21")
    assert salary.min_eur is None and salary.max_eur is None
    assert salary.text == text.strip()


def test_belgian_starting_figures_are_the_salary_and_the_range_is_the_career() -> None:
    text = ("3 500-7 500€ brut/mois (débutant 3 200-4 500€, expérimenté 5 000-8 000€ + voiture de "
            "société, bonus de performance et autres avantages extralégaux).")
    salary = parse_salary(text, None, "BE", scope="inconnu")
    assert (salary.min_eur, salary.max_eur) == (3200, 4500)
    assert (salary.career_min_eur, salary.career_max_eur) == (3500, 7500)
    assert salary.scope == "debutant"
    assert salary.country == "BE"
    assert salary.text == text


def test_a_range_without_starting_figures_keeps_the_scope_given() -> None:
    salary = parse_salary("3 500-7 500€ brut/mois", None, "BE", scope="inconnu")
    assert (salary.min_eur, salary.max_eur) == (3500, 7500)
    assert salary.career_min_eur is None
    assert salary.scope == "inconnu"


@pytest.mark.parametrize(("source_date", "expected"), [
    ("2025-10-21", 1802),  # 1 801,80 € since November 2024
    ("2026-02-01", 1823),  # 1 823,03 € since January 2026
    ("2023-06-01", 1747),  # 1 747,20 € from May 2023
])
def test_smic_is_the_one_in_force_at_the_source_date(source_date: str, expected: int) -> None:
    salary = parse_salary("À partir du Smic. S'y ajoute la part variable selon les ventes réalisées.",
                          source_date)
    assert salary.min_eur == expected
    assert salary.max_eur is None
    assert salary.year == int(source_date[:4])
    assert salary.source_date == source_date


def test_smic_to_a_figure() -> None:
    salary = parse_salary("Entre le Smic et 2 000 euros brut par mois", "2025-10-21")
    assert (salary.min_eur, salary.max_eur) == (1802, 2000)


def test_the_first_figure_wins_over_a_later_smic_mention() -> None:
    salary = parse_salary("A partir de 1900 euros brut par mois. Le Smic n'est pas toujours atteint "
                          "par les indépendants", "2025-10-21")
    assert salary.min_eur == 1900


def test_provenance_fields() -> None:
    salary = parse_salary("  A partir de 2667 euros brut par mois  ", "2025-10-21", "FR")
    assert salary.text == "A partir de 2667 euros brut par mois"
    assert (salary.year, salary.source_date, salary.country, salary.scope) == (2025, "2025-10-21", "FR", "debutant")


def test_long_hostile_text_is_read_quickly() -> None:
    import time

    text = "De " + "1 " * 20000 + "€ à " + "9" * 5000 + " euros " * 3000
    start = time.perf_counter()
    parse_salary(text)
    assert time.perf_counter() - start < 1.0
