"""Everyday words the search must read as a counselor means them, on the starter catalogue.

Each test pins one line of ``resources/recherche/abreviations.tsv`` or one stop word of
:mod:`db.catalogue.search_text` that the search-quality bench (``bench/search_quality.py``)
showed was missing.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from db.catalogue.search import Criteria, search
from db.catalogue.search_text import read_query


@pytest.fixture(scope="module")
def starter_db(tmp_path_factory: pytest.TempPathFactory):
    """A database opened the normal way, so holding the starter catalogue (read only here)."""
    from db.storage.opening import open_database

    folder: Path = tmp_path_factory.mktemp("starter")
    database = open_database(str(folder / "orientation.sqlite"), backups=False)
    yield database
    database.close()


def first_ids(database, text: str, n: int) -> list[str]:
    with database.read() as session:
        return [row.id for row in search(session, Criteria(text=text), limit=n)]


def test_devenir_is_not_a_word_fiches_must_contain():
    # "devenir" used to be required, so only the few fiches saying "devenir" came back.
    assert [word.typed for word in read_query("je veux devenir infirmière plus tard")] == ["infirmiere"]


def test_a_pupil_who_wants_to_become_a_nurse_gets_the_nurse_first(starter_db):
    assert first_ids(starter_db, "je veux devenir infirmière", 3)[0] == "ORI.infirmier"


def test_mecanique_auto_finds_the_car_mechanic(starter_db):
    # Read word by word, "mécanique" pulled up mechanical engineering before the car mechanic.
    for text in ("mécanique auto", "mécanique automobile", "méca auto"):
        assert first_ids(starter_db, text, 1) == ["ORI.technicien-automobile"], text


def test_aide_a_domicile_finds_the_accompagnant_educatif_et_social(starter_db):
    # The job itself first, then the AES (its diploma); the aide-soignant once came first.
    for text in ("aide à domicile", "aides à domicile", "aide domicile"):
        assert first_ids(starter_db, text, 1) == ["ORI.aide-a-domicile"], text
        assert "ORI.accompagnant-educatif-et-social" in first_ids(starter_db, text, 3), text


@pytest.mark.parametrize("typed", ["youtubeur", "YouTubeuse", "tiktokeur", "streameuse"])
def test_a_pupil_who_wants_to_be_a_youtuber_gets_the_influencer(starter_db, typed):
    # "youtubeur" was corrected to "youtube", a word a few fiches cite as a link (radioprotection…).
    assert "ORI.influenceur" in first_ids(starter_db, typed, 3)
