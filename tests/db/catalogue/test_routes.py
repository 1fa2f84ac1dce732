"""Routes from the pupil's class to a métier, checked by hand against the starter catalogue and
``resources/formations/types.tsv`` (and, when ../shared is present, the ONISEP formation fiches:
FOR.9664 "CAP cuisine" 2 ans après la 3e, FOR.423 "bac pro cuisine" 3 ans après la 3e,
FOR.2378 "diplôme d'État d'infirmier" 3 ans, niveau 6, sur Parcoursup, FOR.7539 "BTS maintenance
des systèmes option A" 2 ans)."""
from __future__ import annotations

import tarfile
import time

import pytest
from sqlalchemy import select

from db.catalogue.routes import CLASSES, Routes, class_code, routes_for
from db.errors import UserError
from db.models import Metier
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    """A database with the starter catalogue only (no ONISEP file)."""
    from db.storage.opening import open_database

    database = open_database(str(tmp_path_factory.mktemp("routes") / "o.sqlite"))
    yield database
    database.close()


def _shape(route) -> list[tuple[str, int]]:
    return [(step.label, step.years) for step in route.steps]


def test_from_3e_to_cuisinier_a_cap_or_a_bac_pro_first(starter):
    # ORI.cuisinier lists "CAP cuisine", "bac pro cuisine", "BP arts de la cuisine", "CS (ex MC) …".
    with starter.read() as session:
        found = routes_for(session, "ORI.cuisinier", "3e")
    assert _shape(found.routes[0]) == [("3e", 0), ("CAP cuisine", 2)]
    assert _shape(found.routes[1]) == [("3e", 0), ("bac pro cuisine", 3)]
    assert all(route.years <= 3 for route in found.routes) and len(found.routes) <= 3
    assert found.routes[0].line() == "3e → CAP cuisine (2 ans) : 2 ans en tout"


def test_from_3e_to_infirmier_the_bac_then_the_three_year_diplome_d_etat(starter):
    with starter.read() as session:
        found = routes_for(session, "ORI.infirmier", "3e")
    # The "bac techno ST2S" it also lists does not reach the métier's level (bac + 3): not a route.
    assert [_shape(r) for r in found.routes] == [[
        ("3e", 0), ("2de générale et technologique", 1), ("bac général ou technologique", 2),
        ("diplôme d'État d'infirmier", 3)]]
    assert found.routes[0].years == 6


def test_an_engineer_is_at_least_five_years_after_the_bac(starter):
    with starter.read() as session:
        found = routes_for(session, "ORI.ingenieur-en-mecanique", "3e")
        from_bac2 = routes_for(session, "ORI.ingenieur-en-mecanique", "bac+2")
    assert found.routes and all(route.years - 3 >= 5 for route in found.routes)  # 3 years to the bac
    first = found.routes[0]
    assert _shape(first)[-2:] == [("une classe préparatoire aux grandes écoles (CPGE) ou un BUT", 2),
                                  ("diplôme d'ingénieur", 3)]
    assert from_bac2.routes[0].years == 3  # a bac + 2 enters the engineering school directly


def test_from_terminale_pro_to_a_bts_metier(starter):
    with starter.read() as session:
        found = routes_for(session, "ORI.technicien-de-maintenance-industrielle", "terminale professionnelle")
    assert _shape(found.routes[0]) == [("terminale professionnelle", 0), ("bac professionnel", 0),
                                       ("BTS maintenance des systèmes option A systèmes de production", 2)]
    assert found.routes[0].years == 2


def test_a_route_beyond_the_students_aim_is_said(starter):
    with starter.read() as session:
        found = routes_for(session, "ORI.infirmier", "3e", max_bac_plus=2)
        fine = routes_for(session, "ORI.infirmier", "3e", max_bac_plus=3)
    assert any("études plus longues" in note for note in found.notes)
    assert not fine.notes


def test_unknown_class_or_metier_is_one_french_sentence(starter):
    with starter.read() as session:
        with pytest.raises(UserError, match="classe actuelle inconnue : « 7e »"):
            routes_for(session, "ORI.cuisinier", "7e")
        with pytest.raises(UserError, match="aucun métier"):
            routes_for(session, "ORI.n-existe-pas", "3e")
    assert class_code("Terminale") == "term-gt" and class_code("2de professionnelle") == "2de-pro"
    assert all(class_code(c.code) == c.code and class_code(c.label) == c.code for c in CLASSES)


def test_nine_starter_metiers_in_ten_have_a_complete_route_and_six_take_under_50_ms(starter):
    with starter.read() as session:
        ids = list(session.execute(select(Metier.id).where(Metier.id.like("ORI.%"))).scalars())
        with_route = [mid for mid in ids if routes_for(session, mid, "3e").routes]
        began = time.perf_counter()
        for mid in ids[:6]:
            routes_for(session, mid, "3e")
        elapsed = time.perf_counter() - began
    assert len(with_route) / len(ids) >= 0.90  # 806/813 (99.1 %) measured
    assert elapsed <= 0.05 * 4  # ≤ 50 ms alone (about 10 ms measured); slack for a shared machine


def test_with_the_onisep_fiches_the_route_names_the_formation_ids(starter, tmp_path):
    archive = shared_path("data", "onisep-formations-md", "formations_md_2342.tar.gz")
    wanted = ("formations/FOR.9664_", "formations/FOR.423_", "formations/FOR.2378_")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(wanted)]
        tar.extractall(tmp_path, members=members, filter="data")
    from db.catalogue.importing import import_paths

    assert import_paths(starter, [tmp_path / "formations"]).refused == 0
    with starter.read() as session:
        cuisinier = routes_for(session, "ORI.cuisinier", "3e")
        infirmier = routes_for(session, "ORI.infirmier", "term-gt")
    assert [r.steps[-1].formation_id for r in cuisinier.routes[:2]] == ["FOR.9664", "FOR.423"]
    assert cuisinier.routes[0].as_json()["etapes"][-1] == {
        "formation_id": "FOR.9664", "libelle": "CAP cuisine", "type": "CAP", "duree_annees": 2}
    assert infirmier.routes[0].years == 3 and infirmier.routes[0].steps[-1].formation_id == "FOR.2378"


def test_the_fiche_says_each_formations_type_length_and_entry(starter):
    from db.catalogue.fiche import get_fiche
    from desktop.fiche_html import fiche_html

    with starter.read() as session:
        fiche = get_fiche(session, "ORI.cuisinier")
    assert fiche is not None
    assert fiche.formation_lines[:3] == ["CAP cuisine (CAP, 2 ans après la 3e)",
                                         "bac pro cuisine (bac professionnel, 3 ans après la 3e)",
                                         "BP arts de la cuisine (brevet professionnel, 2 ans après un CAP)"]
    assert "CAP cuisine (CAP, 2 ans après la 3e)" in fiche_html(fiche)


def test_a_vocational_pupil_gets_the_selective_route_with_a_warning(starter):
    with starter.read() as session:
        found = routes_for(session, "ORI.ingenieur-en-mecanique", "2de-pro")
    assert found.routes and _shape(found.routes[0])[:2] == [("2de professionnelle", 0), ("bac professionnel", 2)]
    assert any("l'entrée est possible mais sélective" in note for note in found.notes)


# The short diplômes d'État of care and social work (niveau 3 or 4: aide-soignant, auxiliaire de
# puériculture, accompagnant éducatif et social, ambulancier) ask no bac: a family reading the bilan
# was told « 2de → bac → diplôme d'État d'aide-soignant (3 ans) : 6 ans ».
SHORT_DE = {"ORI.aide-soignant": "diplôme d'État d'aide-soignant",
            "ORI.auxiliaire-de-puericulture": "diplôme d'État d'auxiliaire de puériculture",
            "ORI.accompagnant-educatif-et-social": "diplôme d'État d'accompagnant éducatif et social",
            "ORI.ambulancier": "diplôme d'État d'ambulancier"}


def _through_the_bac(route) -> bool:  # type: ignore[no-untyped-def]
    return any(step.label in ("bac général ou technologique", "2de générale et technologique") for step in route.steps)


@pytest.mark.parametrize("metier_id", sorted(SHORT_DE))
def test_a_short_diplome_d_etat_is_reached_without_the_bac(starter, metier_id):
    with starter.read() as session:
        found = routes_for(session, metier_id, "3e")
        from_pro = routes_for(session, metier_id, "term-pro")
    route = next(r for r in found.routes if r.steps[-1].label == SHORT_DE[metier_id])
    # A CAP first (the métier's own when it lists one: « CAP accompagnant éducatif petite enfance »).
    (first, first_years), last = _shape(route)[1], _shape(route)[2:]
    assert first.startswith(("un CAP du domaine", "CAP ")) and first_years == 2
    assert last == [(SHORT_DE[metier_id], 1)]
    assert route.years <= 3 and not any(_through_the_bac(r) for r in found.routes)
    assert _shape(next(r for r in from_pro.routes if r.steps[-1].label == SHORT_DE[metier_id]))[1:] == [
        (SHORT_DE[metier_id], 1)]


def test_the_long_diplome_d_etat_still_follows_the_bac(starter):
    with starter.read() as session:
        found = routes_for(session, "ORI.infirmier", "3e")
    assert all(_through_the_bac(r) for r in found.routes)


def test_an_onisep_diplome_d_etat_of_the_bacs_level_is_not_entered_after_the_bac(tmp_path):
    # FOR.7120 « diplôme d'État d'aide-soignant »: type « diplôme d'État du paramédical » (our DE,
    # after the bac), but niveau 4 and 2 ans in the fiche: entered after a first diploma.
    from db.catalogue.importing import import_paths
    from db.storage.opening import open_database

    archive = shared_path("data", "onisep-formations-md", "formations_md_2342.tar.gz")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("formations/FOR.7120_")]
        tar.extractall(tmp_path, members=members, filter="data")
    database = open_database(str(tmp_path / "o.sqlite"))
    try:
        assert import_paths(database, [tmp_path / "formations"]).refused == 0
        with database.read() as session:
            found = routes_for(session, "ORI.aide-soignant", "3e")
    finally:
        database.close()
    route = next(r for r in found.routes if r.steps[-1].formation_id == "FOR.7120")
    assert _shape(route)[1:] == [("un CAP du domaine", 2), ("diplôme d'État d'aide-soignant", 2)]
    assert not any(_through_the_bac(r) for r in found.routes)


def test_auxiliaire_veterinaire_goes_through_its_asv_title(starter):
    # The fiche names « titre d'auxiliaire spécialisé vétérinaire (ASV) » (bac + 1, like the métier):
    # the route used to end at a bac pro that never gives the title.
    with starter.read() as session:
        found = routes_for(session, "ORI.auxiliaire-veterinaire", "3e")
    assert found.routes and all(r.steps[-1].label.startswith("titre d'auxiliaire spécialisé vétérinaire")
                                for r in found.routes)
    assert found.routes[0].years == 4 and found.routes[0].steps[-1].years == 1


def _import_one(tmp_path, fiche: dict) -> object:
    """A new base holding the starter catalogue and ``fiche`` (orientation-fiche/1)."""
    import json

    from db.catalogue.importing import import_paths
    from db.storage.opening import open_database

    path = tmp_path / "fiche.jsonl"
    path.write_text(json.dumps({"format": "orientation-fiche/1", "pays": "FR", **fiche}, ensure_ascii=False),
                    encoding="utf-8")
    database = open_database(str(tmp_path / "o.sqlite"))
    assert import_paths(database, [path]).refused == 0
    return database


def _routes_of_one(tmp_path, fiche: dict, school_class: str, **options: object) -> Routes:
    """The routes from ``school_class`` to ``fiche``, alone in a new base (see :func:`_import_one`)."""
    database = _import_one(tmp_path, fiche)
    try:
        with database.read() as session:  # type: ignore[attr-defined]
            return routes_for(session, fiche["id"], school_class, **options)  # type: ignore[arg-type]
    finally:
        database.close()  # type: ignore[attr-defined]


def test_of_two_cap_the_route_takes_the_one_named_after_the_metier(tmp_path):
    # ONISEP lists a métier's formations alphabetically: the palefrenier's first CAP is the
    # farrier's (« CAPa maréchal-ferrant »), and the bilan sent a stable hand through it.
    found = _routes_of_one(tmp_path, {
        "id": "ORI.test-palefrenier", "nom": "palefrenier/ère", "niveau": "CAP ou équivalent",
        "formations": ["CAPa maréchal-ferrant", "CAPa palefrenier soigneur",
                       "BP responsable d'entreprise hippique"]}, "3e")
    assert [_shape(r) for r in found.routes] == [
        [("3e", 0), ("CAPa palefrenier soigneur", 2)],
        [("3e", 0), ("CAPa palefrenier soigneur", 2), ("BP responsable d'entreprise hippique", 2)]]


def test_with_no_formation_named_after_it_the_fiche_order_stays(tmp_path):
    found = _routes_of_one(tmp_path, {
        "id": "ORI.test-agent-elevage", "nom": "agent/e d'élevage", "niveau": "CAP ou équivalent",
        "formations": ["CAPa maréchal-ferrant", "CAPa palefrenier soigneur"]}, "3e")
    assert [_shape(r) for r in found.routes] == [[("3e", 0), ("CAPa maréchal-ferrant", 2)]]


def test_the_onisep_palefrenier_goes_through_the_palefrenier_cap(tmp_path):
    from db.catalogue.importing import import_paths
    from db.storage.opening import open_database

    fiche = shared_path("data", "onisep-metiers-md", "MET.19_palefrenierère.md")
    database = open_database(str(tmp_path / "o.sqlite"))
    try:
        assert import_paths(database, [fiche]).refused == 0
        with database.read() as session:
            found = routes_for(session, "MET.19", "3e")
    finally:
        database.close()
    assert found.routes[0].line() == "3e → CAPa palefrenier soigneur (2 ans) : 2 ans en tout"
    assert not any("maréchal" in route.line() for route in found.routes)


def test_a_bac_of_this_year_is_not_zero_years(starter):
    # « terminale professionnelle → bac pro cuisine : 0 ans en tout » read like a slip.
    with starter.read() as session:
        found = routes_for(session, "ORI.cuisinier", "term-pro")
    lines = found.lines()
    assert "terminale professionnelle → bac pro cuisine : à la fin de cette année" in lines
    assert not any("0 ans" in line or "0 an " in line for line in lines)


def test_the_windows_fiche_says_this_year_too(starter):
    from desktop.fiche_html import routes_html

    with starter.read() as session:
        html = routes_html(routes_for(session, "ORI.cuisinier", "term-pro"))
    assert ": à la fin de cette année" in html and "0 ans" not in html


def test_a_generic_word_of_the_name_does_not_make_a_formation_the_metiers_own():
    from db.catalogue.routes import named_first

    labels = ["bac pro technicien en chaudronnerie industrielle", "BTS maintenance des systèmes"]
    assert named_first(labels, "technicien/ne de maintenance")[0] == "BTS maintenance des systèmes"
    assert named_first(labels, "soudeur/euse") == labels  # nothing named: the fiche's order


@pytest.mark.parametrize(("name", "level", "formation", "years"), [
    ("vétérinaire", "bac + 6", "diplôme d'État de docteur vétérinaire", 6),  # was read as médecine's 9 years
    ("chirurgien/ne-dentiste", "bac + 6", "diplôme d'État de docteur en chirurgie dentaire", 6),
    ("masseur/euse-kinésithérapeute", "bac + 5", "diplôme d'État de masseur-kinésithérapeute", 5),  # was 3
    ("sage-femme", "bac + 5", "diplôme d'État de sage-femme", 5),
])
def test_each_long_diplome_d_etat_has_its_own_length(tmp_path, name, level, formation, years):
    fiche = {"id": "ORI.test-de", "nom": name, "niveau": level, "formations": [formation]}
    found = _routes_of_one(tmp_path, fiche, "2de-gt")
    assert _shape(found.routes[0]) == [("2de générale et technologique", 0), ("bac général ou technologique", 2),
                                       (formation, years)]
    assert found.notes == []  # the diploma reaches the métier's level: no « d'autres années d'études suivent »


def test_the_medecine_diploma_keeps_its_nine_years(tmp_path):
    found = _routes_of_one(tmp_path, {"id": "ORI.test-de", "nom": "médecin", "niveau": "bac + 9",
                                      "formations": ["diplôme d'État de docteur en médecine"]}, "bac-gt")
    assert _shape(found.routes[0])[-1] == ("diplôme d'État de docteur en médecine", 9)


def test_a_cap_level_metier_with_bac_level_formations_is_not_beyond_a_cap_aim(tmp_path):
    # The bilan said « ✔ le niveau demandé (CAP) correspond à ce que tu vises », then « Ce métier
    # demande des études plus longues… »: its known formations are bac-level, the métier is not.
    found = _routes_of_one(tmp_path, {
        "id": "ORI.test-canin", "nom": "éducateur/trice canin/ne", "niveau": "CAP ou équivalent",
        "formations": ["BP éducateur canin", "bac pro conduite d'activités d'élevage et d'hébergement"]}, "3e",
        max_bac_plus=-2)
    assert found.routes and not any("plus longues" in note for note in found.notes + found.pupil_notes)


def test_a_pupil_preparing_a_bac_pro_is_told_the_route_needs_that_speciality(starter):
    # « terminale professionnelle → bac pro cuisine : à la fin de cette année » was said to a pupil
    # of any bac pro (an electrician was sent to a shepherd's bac pro « à la fin de cette année »).
    with starter.read() as session:
        in_pro = routes_for(session, "ORI.cuisinier", "term-pro")
        in_3e = routes_for(session, "ORI.cuisinier", "3e")
        in_gt = routes_for(session, "ORI.cuisinier", "2de-gt")
    assert "Ce parcours suppose un bac pro de cette spécialité ; sinon, une formation de plus est à prévoir " \
           "après le bac." in in_pro.notes and in_pro.assumes_speciality
    assert any("suppose que ton bac pro soit de cette spécialité" in note for note in in_pro.pupil_notes)
    assert not any("spécialité" in note for note in in_3e.notes + in_gt.notes)


def test_a_pupil_in_4e_takes_the_routes_of_the_3e_a_year_later(starter):
    # « 4e » was refused as a current class: collège counselors see 4e pupils too.
    from db.students.quick_entry import suggested_current_class

    assert class_code("4e") == class_code("4ème") == "4e" and suggested_current_class("4e B") == "4e"
    with starter.read() as session:
        from_4e = routes_for(session, "ORI.cuisinier", "4e")
        from_3e = routes_for(session, "ORI.cuisinier", "3e")
    assert from_4e.class_code == "4e"
    assert [_shape(r) for r in from_4e.routes] == [[("4e", 0), ("3e", 1), *_shape(r)[1:]] for r in from_3e.routes]
    assert from_4e.routes[0].line() == "4e → 3e (1 an) → CAP cuisine (2 ans) : 3 ans en tout"
