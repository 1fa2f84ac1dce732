"""Catalogue search: each criterion alone and combined, text folding, hostile input, facets."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.catalogue.search import Criteria, count, facets, search


def ids(database, **criteria) -> list[str]:
    with database.read() as session:
        return [row.id for row in search(session, Criteria(**criteria))]


def test_no_criteria_lists_every_fiche_in_french_name_order(mini_db):
    assert ids(mini_db) == [
        "ORI.aide-soignant", "ORI.vendeur-sans-salaire", "ORI.comptable", "ORI.ingenieur-informaticien",
        "ORI.macon", "ORI.medecin-generaliste", "ORI.oenologue", "ORI.technicien-de-maintenance-industrielle"]


def test_max_level_keeps_cap_and_below_in_order(mini_db):
    assert set(ids(mini_db, max_bac_plus=-2)) == {"ORI.aide-soignant", "ORI.macon"}
    assert set(ids(mini_db, max_bac_plus=0)) == {"ORI.aide-soignant", "ORI.macon", "ORI.vendeur-sans-salaire"}
    assert "ORI.medecin-generaliste" not in ids(mini_db, max_bac_plus=8)
    assert "ORI.medecin-generaliste" in ids(mini_db, max_bac_plus=9)


def test_min_salary_excludes_fiches_without_figure_unless_asked(mini_db):
    assert set(ids(mini_db, min_salary=2300)) == {"ORI.oenologue", "ORI.ingenieur-informaticien",
                                                   "ORI.medecin-generaliste"}
    assert "ORI.vendeur-sans-salaire" not in ids(mini_db, min_salary=1000)
    assert "ORI.vendeur-sans-salaire" in ids(mini_db, min_salary=1000, include_no_salary=True)


def test_sectors_any_of_onisep_and_rome(mini_db):
    assert set(ids(mini_db, sectors=("T-IDEO2.4869",))) == {"ORI.aide-soignant", "ORI.medecin-generaliste"}
    assert set(ids(mini_db, sectors=("T-IDEO2.4863", "T-IDEO2.4842"))) == {"ORI.macon", "ORI.comptable"}
    # ROME grand domaine derived from the codes: F = Construction, BTP
    assert ids(mini_db, sectors=("ROME.F",)) == ["ORI.macon"]


def test_interests_any_and_all(mini_db):
    any_of = set(ids(mini_db, interests=("T-IDEO2.4807", "T-IDEO2.4812")))
    assert any_of == {"ORI.aide-soignant", "ORI.medecin-generaliste", "ORI.vendeur-sans-salaire"}
    all_of = ids(mini_db, interests=("T-IDEO2.4807", "T-IDEO2.4812"), interests_mode="all")
    assert all_of == ["ORI.aide-soignant"]


def test_statut_and_country(mini_db):
    assert set(ids(mini_db, statuts=("T-ITM.2",))) == {"ORI.macon"}
    assert set(ids(mini_db, statuts=("T-ITM.8", "T-ITM.7"))) == {"ORI.medecin-generaliste",
                                                                  "ORI.vendeur-sans-salaire"}
    assert ids(mini_db, countries=("BE",)) == ["ORI.vendeur-sans-salaire"]


def test_combined_criteria(mini_db):
    assert ids(mini_db, max_bac_plus=2, min_salary=2000) == ["ORI.technicien-de-maintenance-industrielle"]
    assert ids(mini_db, max_bac_plus=5, sectors=("T-IDEO2.4868",), text="vin") == []
    assert ids(mini_db, max_bac_plus=5, sectors=("T-IDEO2.4868",), text="wine") == ["ORI.oenologue"]
    assert ids(mini_db, text="soins", interests=("T-IDEO2.4807",), countries=("FR",)) == ["ORI.aide-soignant"]


def test_text_ignores_case_accents_and_ligatures(mini_db):
    for query in ("oenologue", "ŒNOLOGUE", "Œnologue", "œno", "oeno"):
        assert ids(mini_db, text=query) == ["ORI.oenologue"], query
    assert ids(mini_db, text="MEDECIN") == ["ORI.medecin-generaliste"]
    assert ids(mini_db, text="maçon") == ids(mini_db, text="macon") == ["ORI.macon"]


def test_text_searches_synonyms_and_descriptions(mini_db):
    assert ids(mini_db, text="auxiliaire de soins") == ["ORI.aide-soignant"]
    assert ids(mini_db, text="factory machines") == ["ORI.technicien-de-maintenance-industrielle"]


def test_hyphenated_and_quoted_input(mini_db):
    assert ids(mini_db, text="aide-soignant") == ["ORI.aide-soignant"]
    assert ids(mini_db, text='"aide soignant"') == ["ORI.aide-soignant"]
    assert len(ids(mini_db, text='"')) == 8  # no word: no text filter, no error


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60) | st.sampled_from(['"', "'", "*", "NEAR(", "a OR b", "-x", "^", "col:x", "\x00",
                                                "AND", "(", ")", "{}", "%", "_", "\\", "🙂 emoji"]))
def test_hostile_text_never_errors(mini_db, text):
    with mini_db.read() as session:
        rows = search(session, Criteria(text=text))
        assert count(session, Criteria(text=text)) == len(rows)


def test_sort_by_salary_and_level(mini_db):
    by_salary = ids(mini_db, sort="salary")
    assert by_salary[:3] == ["ORI.macon", "ORI.aide-soignant", "ORI.comptable"]
    assert by_salary[-1] == "ORI.vendeur-sans-salaire"  # no figure: last
    assert ids(mini_db, sort="salary", descending=True)[0] == "ORI.medecin-generaliste"
    by_level = ids(mini_db, sort="level")
    assert by_level[:2] == ["ORI.aide-soignant", "ORI.macon"] and by_level[-1] == "ORI.medecin-generaliste"
    assert ids(mini_db, sort="name", descending=True)[0] == "ORI.technicien-de-maintenance-industrielle"


def test_facets_count_per_sector_and_level(mini_db):
    with mini_db.read() as session:
        result = facets(session, Criteria(max_bac_plus=2, sectors=("T-IDEO2.4869",)))
    # sector counts ignore the sector filter but keep the level one
    assert result.sectors["T-IDEO2.4869"] == 1  # aide-soignant (médecin is above bac + 2)
    assert result.sectors["T-IDEO2.4863"] == 1
    assert "T-IDEO2.4835" not in result.sectors  # the engineer is bac + 5
    # level counts ignore the level filter but keep the sector one
    assert result.levels == {"cap": 1, "bac+9": 1}


def test_rows_are_plain_values(mini_db):
    with mini_db.read() as session:
        row = search(session, Criteria(text="maçon"))[0]
    assert row._asdict() == {
        "pk": row.pk, "id": "ORI.macon", "name": "maçon/ne", "label_f": "maçonne", "label_m": "maçon",
        "level_label": "CAP ou équivalent", "bac_plus": -2, "salary_min": 1810, "salary_max": None,
        "sector_label": "Bâtiment et travaux publics (BTP)", "source_kind": "projet", "country": "FR",
        "salary_year": 2025}
