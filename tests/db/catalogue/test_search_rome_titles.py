"""The ROME job titles of a métier's codes find it, alone or with words of its own fiche.

Since migration 0014 they have their own full-text index on SQLite (db.catalogue.search_match):
a fiche matches when each word is in its own text or in its ROME titles (since issue 17 on SQLite
too, as in PostgreSQL's single tsvector).
"""
from __future__ import annotations

import pytest

from db.catalogue.importing import import_paths
from db.catalogue.search import Criteria, search, text_notice
from tests.conftest import shared_path


def _with_rome(database):  # type: ignore[no-untyped-def]
    folder = shared_path("data", "rome-v460")
    files = [folder / "unix_referentiel_code_rome_v460_utf8.csv", folder / "unix_referentiel_appellation_v460_utf8.csv"]
    assert import_paths(database, files).refused == 0
    return database


def _found(database, typed: str) -> tuple[list[str], str | None]:  # type: ignore[no-untyped-def]
    with database.read() as session:
        criteria = Criteria(text=typed)
        return [row.id for row in search(session, criteria)], text_notice(session, criteria)


def test_a_rome_job_title_finds_the_metier_citing_its_code(mini_db):
    # « Briqueteur » is a ROME job title of F1703, the code of the test fiche « maçon/ne »; the
    # fiche itself never says it.
    assert _found(mini_db, "briqueteur") == ([], None)
    _with_rome(mini_db)
    assert _found(mini_db, "briqueteur") == (["ORI.macon"], None)


def test_words_of_the_fiche_and_of_its_rome_titles(mini_db):
    _with_rome(mini_db)
    # Both words in its ROME titles (« Maçon-briqueteur »): found, every word matched.
    assert _found(mini_db, "maçon briqueteur") == (["ORI.macon"], None)
    # "foundations" is in the fiche's description only, "briqueteur" in its ROME titles only.
    assert _found(mini_db, "foundations briqueteur")[0][0] == "ORI.macon"


def _with_fiche(database, tmp_path, fiche_id: str, description: str, code: str):  # type: ignore[no-untyped-def]
    """``database`` with one more fiche, its own text ``description``, citing the ROME ``code``."""
    import json

    record = {"format": "orientation-fiche/1", "id": fiche_id, "nom": "géotechnicien/ne",
              "libelle_feminin": "géotechnicienne", "libelle_masculin": "géotechnicien", "synonymes": [],
              "description": description, "codes_rome": [code], "niveau": "bac + 5", "pays": "FR"}
    path = tmp_path / "fiche.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert import_paths(database, [path]).refused == 0
    return database


def test_a_word_of_the_fiche_and_one_of_its_rome_titles_match_it_fully(mini_db, tmp_path):
    # « foundations » is in the description of « maçon/ne » only, « briqueteur » in the ROME
    # titles of its code F1703 only; another fiche says « foundations » but cites F1106, whose
    # titles never say « briqueteur ». Both engines: « maçon/ne » holds every word, the other
    # fiche one word only, so it is not a match, and nothing says that no fiche holds every word.
    _with_fiche(_with_rome(mini_db), tmp_path, "ORI.geotechnicien", "Studies the soil under foundations.", "F1106")
    assert _found(mini_db, "foundations") == (["ORI.geotechnicien", "ORI.macon"], None)
    assert _found(mini_db, "foundations briqueteur") == (["ORI.macon"], None)
    # A typo in the title's word, the words in the other order: the same.
    corrected = "Aucune fiche ne contient « briquetuer foundations » : résultats pour « briqueteur foundations »."
    assert _found(mini_db, "briquetuer foundations") == (["ORI.macon"], corrected)


def test_a_fiche_holding_the_words_across_both_is_found_beside_one_holding_them_in_its_own_text(mini_db, tmp_path):
    # « géotechnicien/ne » says both words in its own description; « maçon/ne » says
    # « foundations » in its description and « briqueteur » only in the ROME titles of F1703. Both
    # hold every word, as PostgreSQL reads them: both are found (before, SQLite dropped « maçon/ne »
    # as soon as one fiche held every word in one table).
    _with_fiche(_with_rome(mini_db), tmp_path, "ORI.geotechnicien",
                "Studies the soil under foundations, with a briqueteur at times.", "F1106")
    found, notice = _found(mini_db, "foundations briqueteur")
    assert sorted(found) == ["ORI.geotechnicien", "ORI.macon"] and notice is None
    with mini_db.read() as session:
        from db.catalogue.search import count

        assert count(session, Criteria(text="foundations briqueteur")) == 2


def test_beyond_the_exact_size_sqlite_keeps_the_one_table_reading(mini_db, tmp_path, monkeypatch):
    # On catalogues larger than EXACT_ACROSS_MAX métiers (synthetic copies of 100,000) SQLite does
    # not look across both tables while a fiche holds every word in one: documented, and bounded.
    from db.catalogue import search_match

    _with_fiche(_with_rome(mini_db), tmp_path, "ORI.geotechnicien",
                "Studies the soil under foundations, with a briqueteur at times.", "F1106")
    monkeypatch.setattr(search_match, "EXACT_ACROSS_MAX", 1)
    found, _notice = _found(mini_db, "foundations briqueteur")
    if mini_db.engine.dialect.name == "sqlite":
        assert found == ["ORI.geotechnicien"]
    else:  # PostgreSQL's single vector reads every word of both, whatever the size
        assert sorted(found) == ["ORI.geotechnicien", "ORI.macon"]


def test_the_most_words_count_a_word_of_the_fiche_and_one_of_its_rome_titles(mini_db, tmp_path):
    from db.catalogue.search import count, first_page

    _with_fiche(_with_rome(mini_db), tmp_path, "ORI.geotechnicien", "Studies the soil under foundations.", "F1106")
    # No fiche holds « cidrier » (a ROME title of A1413, « œnologue ») with the two others:
    # « maçon/ne » holds two of the three words, across its own text and its ROME titles, and is
    # the only fiche holding that many.
    assert _found(mini_db, "foundations briqueteur cidrier") == (
        ["ORI.macon"], "Aucune fiche ne contient tous les mots : voici celles qui en contiennent le plus.")
    with mini_db.read() as session:
        for typed in ("foundations briqueteur", "foundations briqueteur cidrier"):
            criteria = Criteria(text=typed)
            answer = first_page(session, criteria, 5)
            assert (answer.total, answer.exact) == (count(session, criteria), True) == (1, True)
            assert [row.id for row in answer.rows] == ["ORI.macon"]


@pytest.mark.sqlite_only(reason="migration 0015 ne change que l'index FTS5 de SQLite")
def test_migration_0015_moves_the_titles_index_from_each_metier_to_each_code_and_back(mini_db):
    """Down to 0014 the titles are each métier's ``search_rome`` again, in ``metier_fts_rome``;
    up again they are one row per code, ``search_rome`` emptied, and the fiche still found."""
    from alembic import command
    from sqlalchemy import text

    from db.storage.migrate import alembic_config

    def migrate(step, revision: str) -> None:  # type: ignore[no-untyped-def]
        with mini_db.engine.begin() as conn:
            config = alembic_config(mini_db.url)
            config.attributes["connection"] = conn
            step(config, revision)

    def rows(sql: str) -> list[tuple]:  # type: ignore[type-arg]
        with mini_db.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]

    _with_rome(mini_db)
    migrate(command.downgrade, "0014")
    assert rows("SELECT m.id FROM metier_fts_rome f JOIN metiers m ON m.pk = f.rowid "
                "WHERE metier_fts_rome MATCH 'briqueteur'") == [("ORI.macon",)]
    migrate(command.upgrade, "head")
    assert rows("SELECT count(*) FROM metiers WHERE search_rome <> ''") == [(0,)]
    assert rows("SELECT code FROM rome_fts WHERE rome_fts MATCH 'briqueteur'") == [("F1703",)]
    assert _found(mini_db, "briqueteur") == (["ORI.macon"], None)


def test_a_typo_is_not_read_as_a_rome_title_no_fiche_has(mini_db):
    # Every code's job titles are indexed, cited or not: « bûcheron » is a title of A1201, which
    # no test fiche cites. Reading « bucheronn » as it would find nothing, and say so wrongly.
    _with_rome(mini_db)
    assert _found(mini_db, "bucheronn") == ([], None)
    # A title of a cited code still corrects a typo (F1703, « maçon/ne »).
    assert _found(mini_db, "briquetteur") == (
        ["ORI.macon"], "Aucune fiche ne contient « briquetteur » : résultats pour « briqueteur ».")


@pytest.mark.parametrize("typed", ["briqueteur", "maçon briqueteur", "briquetuer", "maçon"])
def test_the_window_counts_the_fiches_its_rome_titles_find_and_corrected_words(mini_db, typed):
    from db.catalogue.search import count, first_page

    _with_rome(mini_db)
    with mini_db.read() as session:
        criteria = Criteria(text=typed)
        answer = first_page(session, criteria, 5)
        assert answer.total >= 1
        assert (answer.total, answer.exact) == (count(session, criteria), True)
        assert answer.rows == search(session, criteria, limit=5)
