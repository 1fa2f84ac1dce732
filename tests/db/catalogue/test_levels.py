"""Levels typed as counselors say them: diploma words, the 2019 framework's bands, the window's choices."""
from __future__ import annotations

import pytest

from db.catalogue.criteria import resolve_level
from db.catalogue.nomenclature import LEVEL_CHOICES, LEVELS, describe_max_level, level_ceiling, parse_level
from db.catalogue.search import Criteria, search
from db.errors import UserError


# Expected values checked by hand against the French framework (DATA.md, "Levels across systems"):
# the highest bac_plus a student stopping at that diploma can reach.
@pytest.mark.parametrize(("typed", "max_bac_plus"), [
    ("brevet", -3), ("CAP", -2), ("BEP", -2),
    ("bac", 0), ("BP", 0), ("bac professionnel", 0), ("bac pro", 0), ("Bac Pro", 0), ("bac général", 0),
    ("bac general", 0), ("bac technologique", 0),
    ("BTS", 2), ("BTSA", 2), ("DUT", 2),
    ("BUT", 3), ("licence", 3), ("licence pro", 3), ("licence professionnelle", 3), ("L3", 3), ("l3", 3),
    ("M1", 4), ("master", 5), ("M2", 5),
    ("diplôme d'ingénieur", 5), ("diplôme d’ingénieur", 5), ("Diplome d'ingenieur", 5),
    ("doctorat", 9), ("bac + 2", 2), ("bac+5", 5),
])
def test_each_diploma_word_is_understood(typed: str, max_bac_plus: int) -> None:
    assert resolve_level(typed) == max_bac_plus


# niveau 3 = CAP, 4 = bac (+ 1), 5 = bac + 2, 6 = bac + 3 and bac + 4, 7 = bac + 5 to + 7,
# 8 = bac + 8 and bac + 9 et plus.
@pytest.mark.parametrize(("typed", "max_bac_plus"), [
    ("niveau 3", -1), ("niveau 4", 1), ("niveau 5", 2), ("niveau 6", 4), ("Niveau 7", 7), ("niveau 8", 9),
    ("Niveau : III", 2), ("niveau II", 4),  # the 1969 scale groups the same way (II = bac + 3, + 4)
])
def test_a_framework_level_keeps_its_whole_band(typed: str, max_bac_plus: int) -> None:
    assert resolve_level(typed) == max_bac_plus


@pytest.mark.parametrize("band", range(3, 9))
def test_niveau_n_keeps_every_level_filed_under_it_and_none_above(band: int) -> None:
    ceiling = level_ceiling(f"niveau {band}")
    assert ceiling is not None
    assert all(lv.bac_plus <= ceiling for lv in LEVELS if lv.level_2019 is not None and lv.level_2019 <= band)
    assert all(lv.bac_plus > ceiling for lv in LEVELS if lv.level_2019 is not None and lv.level_2019 > band)


def test_a_band_word_still_files_a_fiche_at_its_first_level() -> None:
    # A source writing "niveau 6" for a fiche means a bac + 3 minimum, not bac + 4.
    assert parse_level("niveau 6").bac_plus == 3 and parse_level("doctorat").bac_plus == 8


def test_bac_plus_8_typed_is_bac_plus_8_and_et_plus_reaches_bac_plus_9() -> None:
    assert resolve_level("bac + 8") == 8
    assert resolve_level("bac + 8 et plus") == 9


def test_the_windows_top_choice_keeps_bac_plus_9() -> None:
    top = LEVEL_CHOICES[-1]
    assert (top.label, top.max_bac_plus) == ("bac + 8 et plus (doctorat, médecine)", 9)
    assert resolve_level(top.label) == 9  # typed as it reads, it means the same
    assert describe_max_level(9) == "bac + 8 et plus" and describe_max_level(4) == "bac + 4"


@pytest.mark.parametrize("typed", ["doctorat", "niveau 8", "bac + 8 et plus (doctorat, médecine)"])
def test_doctorat_finds_the_bac_plus_9_fiches(mini_db, typed: str) -> None:
    with mini_db.read() as session:
        found = {row.id for row in search(session, Criteria(max_bac_plus=resolve_level(typed)))}
    assert "ORI.medecin-generaliste" in found  # its fiche says "bac + 9 et plus"


@pytest.mark.parametrize("typed", ["licence bidon", "bac + 12", "niveau 9", "ingé"])
def test_an_unknown_level_is_one_french_sentence_with_examples(typed: str) -> None:
    with pytest.raises(UserError) as caught:
        resolve_level(typed)
    message = str(caught.value)
    assert message.startswith(f"niveau d'études inconnu « {typed} »")
    assert "« BTS »" in message and "« niveau 6 »" in message and "\n" not in message
