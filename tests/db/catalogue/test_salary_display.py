"""Starting salaries as counselors and families read them: the SMIC of the year, "≈ SMIC", and no
salary filter at 0."""
from __future__ import annotations

import pytest

from db.catalogue.fiche import get_fiche
from db.catalogue.format import format_salary, salary_sentence
from db.catalogue.nomenclature import smic_for_year
from db.catalogue.search import Criteria, search

E = "\u202f€"  # narrow no-break space before the euro sign
K = "\u202f"  # and as thousands separator


def test_the_smic_is_known_by_year() -> None:
    assert smic_for_year(2025) == 1801.80
    assert smic_for_year(2026) == 1823.03
    assert smic_for_year(None) == 1823.03  # the latest known when the year is not


@pytest.mark.parametrize(("low", "high", "year", "shown"), [
    (1823, None, 2026, f"à partir de 1{K}823{E} (≈ SMIC)"),
    (1802, None, 2026, f"à partir de 1{K}802{E} (≈ SMIC)"),  # under the 2026 SMIC
    (1820, None, 2025, f"à partir de 1{K}820{E} (≈ SMIC)"),  # 1 % above the 2025 SMIC
    (1840, None, 2026, f"à partir de 1{K}840{E} (≈ SMIC)"),
    (1850, None, 2026, f"à partir de 1{K}850{E}"),  # 1.5 % above: a salary of its own
    (1830, None, 2025, f"à partir de 1{K}830{E}"),
    (1802, 2100, 2025, f"1{K}802{E} (≈ SMIC) – 2{K}100{E}"),
    (1900, 2100, 2025, f"1{K}900 – 2{K}100{E}"),
    (None, 1810, 2025, f"jusqu'à 1{K}810{E}"),  # no starting figure to compare
    (80, 90, 2025, f"80 – 90{E}"),  # a daily rate is not a monthly SMIC
    (None, None, 2025, "non précisé"),
])
def test_a_starting_salary_at_the_smic_of_its_year_says_so(low, high, year, shown) -> None:
    assert format_salary(low, high, year) == shown


def test_only_french_salaries_are_compared_with_the_smic() -> None:
    assert format_salary(1810, None, 2025, "BE") == f"à partir de 1{K}810{E}"


def test_the_sentence_keeps_the_note_after_the_unit() -> None:
    assert salary_sentence(1823, None, 2026) == f"à partir de 1{K}823{E} brut par mois (≈ SMIC)"
    assert salary_sentence(1900, None, 2026) == f"à partir de 1{K}900{E} brut par mois"


def test_the_fiche_page_and_the_result_table_show_it(mini_db) -> None:
    with mini_db.read() as session:
        fiche = get_fiche(session, "ORI.macon")  # 1 810 € in 2025
        rows = {row.id: row for row in search(session, Criteria())}
    assert fiche.salary_line == f"à partir de 1{K}810{E} brut par mois (≈ SMIC)"
    macon, aide = rows["ORI.macon"], rows["ORI.aide-soignant"]
    assert macon.salary_year == 2025
    assert format_salary(macon.salary_min, macon.salary_max, macon.salary_year, macon.country).endswith("(≈ SMIC)")
    assert "SMIC" not in format_salary(aide.salary_min, aide.salary_max, aide.salary_year, aide.country)


def test_a_salary_minimum_of_0_keeps_fiches_without_a_figure(mini_db) -> None:
    with mini_db.read() as session:
        every = {row.id for row in search(session, Criteria())}
        at_zero = {row.id for row in search(session, Criteria(min_salary=0))}
    assert "ORI.vendeur-sans-salaire" in at_zero and at_zero == every
