"""``orientation search`` takes amounts, levels and counts the way a counselor types them, and
its table never passes a cut name off as a whole one."""
from __future__ import annotations

import json

import pytest

from desktop.cli import main
from tests.test_cli import run


@pytest.fixture
def filled(mini_db, db_location) -> str:
    """A database file holding only the eight test fiches (no starter catalogue)."""
    mini_db.close()
    return db_location


@pytest.mark.parametrize("amount", ["1850", "1850€", "1850 €", "1 850 €", "1850 euros", "1850 brut par mois"])
def test_a_minimum_salary_with_its_euro_sign(filled, capsys, amount):
    status, out, _ = run(capsys, "search", "--salaire-min", amount, "--niveau-max", "CAP", "--format", "json",
                         "--db", filled)
    assert status == 0
    assert [r["id"] for r in json.loads(out)] == ["ORI.aide-soignant"]  # 1 850 €; the maçon's 1 810 € is below


@pytest.mark.parametrize("amount", ["18OO", "1850,50", "-5", "beaucoup", "1850$"])
def test_an_amount_that_is_none_is_refused_in_one_french_sentence(filled, capsys, amount):
    with pytest.raises(SystemExit) as stop:
        main(["search", "--salaire-min", amount, "--db", filled])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"montant invalide : « {amount} » (un nombre entier d'euros bruts par mois, par exemple 1800)" in err


@pytest.mark.parametrize("limit", ["0", "-1", "dix"])
def test_a_limit_below_one_is_refused_not_read_as_no_match(filled, capsys, limit):
    with pytest.raises(SystemExit):
        main(["search", "--texte", "maçon", "--limite", limit, "--db", filled])
    out, err = capsys.readouterr()
    assert "nombre invalide" in err and "au moins 1" in err
    assert "Aucun métier" not in out + err


@pytest.mark.parametrize("level", ["3e", "3ème", "troisième", "fin de 3e", "aucun diplôme"])
def test_levels_below_the_cap_are_understood(filled, capsys, level):
    status, out, err = run(capsys, "search", "--niveau-max", level, "--format", "json", "--db", filled)
    assert status == 0, err
    assert json.loads(out) == []  # the test fiches all ask for a CAP or more


def test_a_name_cut_in_the_table_ends_with_an_ellipsis(filled, capsys):
    from desktop.cli.catalogue import _table

    long_name = "technicien/ne de maintenance des installations de chauffage et de climatisation"
    record = {"nom": long_name, "niveau": "bac + 2", "salaire_min": 2000, "salaire_max": None,
              "salaire_annee": 2025, "pays": "FR", "secteur": "Énergie", "source_libelle": "Onisep",
              "id": "ORI.technicien-de-maintenance-des-installations-de-chauffage"}
    first = _table([record]).splitlines()[2]
    assert first.startswith(long_name[:47] + "…  ")
    # The identifier, which « --retenir » takes, is never cut: the table is where it is read.
    assert first.endswith("  ORI.technicien-de-maintenance-des-installations-de-chauffage")


def test_the_search_table_gives_each_metiers_identifier(filled, capsys):
    status, out, _ = run(capsys, "search", "--texte", "maçon", "--db", filled)
    header, _rule, first, *_ = out.splitlines()
    assert status == 0 and header.endswith("Identifiant") and first.startswith("maçon/ne ")
    assert first.endswith("  ORI.macon")


def test_an_unknown_interest_lists_the_labels_there_are(filled, capsys):
    status, _, err = run(capsys, "search", "--interet", "aider", "--db", filled)
    assert status != 0 and "centre d'intérêt inconnu : « aider » (au choix : " in err
    assert "« je veux être utile aux autres »" in err and len(err.strip().splitlines()) == 1


def test_texte_given_twice_searches_both(filled, capsys):
    # The last --texte alone was kept, silently: « --texte maçon --texte comptable » found the accountant only.
    status, out, _ = run(capsys, "search", "--texte", "maçon", "--texte", "BTP", "--format", "json", "--db", filled)
    assert status == 0 and [row["id"] for row in json.loads(out)] == ["ORI.macon"]
    status, out, _ = run(capsys, "search", "--texte", "maçon", "--texte", "comptable", "--format", "json",
                         "--db", filled)
    # No fiche holds both words: those holding the most of them, one each (the maçon was left out).
    assert status == 0 and {row["id"] for row in json.loads(out)} == {"ORI.macon", "ORI.comptable"}
