"""« sans bac » typed in the search box is a level of study, not the start of « bactériologiste »
(on the starter catalogue, through the window's source and the command line)."""
from __future__ import annotations

import json
import pytest

from db.catalogue.search_levels import read_level_words
from db.catalogue.search_types import Criteria


@pytest.fixture(scope="module")
def starter_db(starter_file: str):
    from db.storage.opening import open_database

    database = open_database(starter_file, backups=False)  # read only here
    yield database
    database.close()


@pytest.fixture(scope="module")
def source(starter_db):
    from db.catalogue.source import DatabaseSource

    return DatabaseSource(starter_db)


def levels_of(source, criteria: Criteria) -> tuple[int, list]:
    answer = source.first_page(criteria, 500)
    return answer.total, [row.bac_plus for row in answer.rows]


def test_sans_bac_keeps_only_jobs_open_before_the_bac(source):
    total, levels = levels_of(source, Criteria(text="sans bac"))
    assert total > 20  # the starter catalogue has many CAP-level métiers
    assert len(levels) == total and all(level is not None and level < 0 for level in levels)
    notice = source.notice(Criteria(text="sans bac"))
    assert notice.startswith("« sans bac » est lu comme un niveau d'études : métiers accessibles avant le bac")
    # The words' search is gone: no fiche was kept for holding "bac…"
    assert source.notice(Criteria(text="sans bac")).count("Aucune fiche") == 0


def test_a_job_word_with_sans_bac_gives_that_job_at_that_level(source):
    answer = source.first_page(Criteria(text="coiffeur sans bac"), 50)
    assert answer.rows and answer.rows[0].name.startswith("coiffeur")
    assert all(row.bac_plus < 0 for row in answer.rows)


def test_the_filter_s_lower_level_wins(source):
    _, levels = levels_of(source, Criteria(text="sans le bac", max_bac_plus=-2))
    assert levels and all(level <= -2 for level in levels)
    criteria, _ = read_level_words(Criteria(text="pas de bac", max_bac_plus=2))
    assert criteria.max_bac_plus == -1 and criteria.text == ""


@pytest.mark.parametrize(("typed", "text", "ceiling"), [
    ("Sans diplôme", "", -4),
    ("vendeur SANS DIPLOME", "vendeur", -4),
    ("métier sans aucun diplôme avec les animaux", "metier avec les animaux", -4),
    ("sans bac ou sans diplôme", "ou", -4),
])
def test_phrases_read(typed: str, text: str, ceiling: int) -> None:
    criteria, sentence = read_level_words(Criteria(text=typed))
    assert (criteria.text, criteria.max_bac_plus) == (text, ceiling)
    assert sentence is not None and "sans diplôme" in sentence


@pytest.mark.parametrize(("typed", "text", "ceiling", "named"), [
    ("bac pro commerce", "commerce", 0, "« bac pro »"),
    ("CAP cuisine", "cuisine", -2, "« CAP »"),
    ("bac+2 informatique", "informatique", 2, "« bac + 2 »"),
    ("BTS", "", 2, "« BTS »"),
    ("bac", "", 0, "« bac »"),
])
def test_a_diploma_typed_is_the_level_it_opens(typed: str, text: str, ceiling: int, named: str) -> None:
    criteria, sentence = read_level_words(Criteria(text=typed))
    assert (criteria.text, criteria.max_bac_plus) == (text, ceiling)
    assert sentence is not None and sentence.startswith(f"{named} est lu comme un niveau d'études")


def test_cap_and_bac_pro_list_no_job_above_their_level(source):
    for typed, ceiling in (("CAP", -2), ("bac pro", 0)):
        total, levels = levels_of(source, Criteria(text=typed))
        assert total > 20 and all(level is not None and level <= ceiling for level in levels)


@pytest.mark.parametrize("typed", ["bactériologiste", "sans", "handicap", "diplomate", "capitaine", ""])
def test_other_texts_are_left_as_typed(typed: str) -> None:
    assert read_level_words(Criteria(text=typed)) == (Criteria(text=typed), None)


def test_command_line_reads_it_the_same_way(starter_file, capsys):
    from desktop.cli import main

    assert main(["search", "--texte", "sans bac", "--format", "json", "--db", starter_file]) == 0
    out, err = capsys.readouterr()
    rows = json.loads(out)
    assert rows and all(row["bac_plus"] < 0 for row in rows)
    assert "« sans bac » est lu comme un niveau d'études" in err  # JSON on stdout stays clean


def test_a_text_without_any_word_says_it_is_not_taken_into_account(source):
    criteria = Criteria(text="😀 !!")
    assert source.first_page(criteria, 5).total > 500  # the whole catalogue, as before
    assert source.notice(criteria) == ("« 😀 !! » ne contient aucun mot (lettres ou chiffres) : ce texte n'est pas "
                                       "pris en compte.")
