"""The bilan says, for each kept métier, the routes from the pupil's current class."""
from __future__ import annotations

import io

from pypdf import PdfReader

from db.students.report import build_report
from db.students.store import ShortlistItem, create_student, latest_session, save_session, start_session
from reports.pdf import render_report


def _student(database, current_class: str | None) -> int:
    sid = create_student(database, "Martin", "Zoé", "3e B", current_class=current_class)
    with database.read() as session:
        state = start_session(session, sid, "2026-11-20")
    state.shortlist = [ShortlistItem("ORI.macon", "")]
    save_session(database, state)
    return sid


def test_the_bilan_shows_the_routes_from_the_current_class(mini_db):
    sid = _student(mini_db, "3e")
    with mini_db.read() as session:
        data = build_report(session, latest_session(session, sid))
    # ORI.macon (tests/data/mini.jsonl) lists "CAP maçon" then "BP maçon"; a BP follows a CAP.
    # Said briefly (the heading names the class), shortest first.
    assert data.metiers[0].routes == ["CAP maçon (2 ans)", "CAP maçon (2 ans) → BP maçon (2 ans) : 4 ans"]
    reader = PdfReader(io.BytesIO(render_report(data)))
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")
    assert "Parcours depuis ta classe : CAP maçon (2 ans) ; ou CAP maçon (2 ans) → BP maçon (2 ans) : 4 ans" in \
        " ".join(text.split())


def test_without_a_current_class_the_bilan_has_no_route_block(mini_db):
    sid = _student(mini_db, None)
    with mini_db.read() as session:
        data = build_report(session, latest_session(session, sid))
    assert data.metiers[0].routes == []
    reader = PdfReader(io.BytesIO(render_report(data)))
    assert "Parcours depuis ta classe" not in "\n".join(page.extract_text() for page in reader.pages)


def test_three_metiers_with_their_routes_still_fit_two_pages(mini_db):
    """Issue 15's floor (3 métiers, at most 2 pages) holds with the routes printed too."""
    sid = create_student(mini_db, "Martin", "Zoé", "3e B", current_class="3e")
    with mini_db.read() as session:
        state = start_session(session, sid, "2026-11-20")
    state.shortlist = [ShortlistItem(i, "") for i in
                       ("ORI.macon", "ORI.aide-soignant", "ORI.technicien-de-maintenance-industrielle")]
    save_session(mini_db, state)
    with mini_db.read() as session:
        data = build_report(session, latest_session(session, sid))
    assert all(m.routes for m in data.metiers)
    assert len(PdfReader(io.BytesIO(render_report(data))).pages) <= 2


def _bilan(database, metier_ids: list[str]):
    sid = create_student(database, "Martin", "Zoé", "3e B", current_class="3e")
    with database.read() as session:
        state = start_session(session, sid, "2026-11-20")
    state.shortlist = [ShortlistItem(i, "") for i in metier_ids]
    save_session(database, state)
    with database.read() as session:
        return build_report(session, latest_session(session, sid))


def _lines(data) -> list[str]:
    reader = PdfReader(io.BytesIO(render_report(data)))
    return [" ".join(line.split()) for page in reader.pages for line in page.extract_text().splitlines()]


def test_the_shortest_route_is_drawn_under_the_route_lines(mini_db):
    data = _bilan(mini_db, ["ORI.technicien-de-maintenance-industrielle"])
    steps = data.metiers[0].route_steps
    assert steps[0] == ("3e", 0) and len(steps) >= 3
    # The drawing's own strings: the class alone on a line.
    assert "3e" in _lines(data)


def test_a_one_step_route_is_not_drawn_again_under_its_line(mini_db):
    """« CAP maçon (2 ans) » is said on the line above: a box saying it again costs room."""
    data = _bilan(mini_db, ["ORI.macon"])
    assert data.metiers[0].route_steps == [("3e", 0), ("CAP maçon", 2)]
    assert "3e" not in _lines(data)


def test_the_drawings_add_no_page_to_a_six_metier_bilan(mini_db):
    data = _bilan(mini_db, ["ORI.macon", "ORI.aide-soignant", "ORI.technicien-de-maintenance-industrielle",
                            "ORI.comptable", "ORI.ingenieur-informaticien", "ORI.medecin-generaliste"])
    assert len(data.metiers) == 6 and sum(bool(m.route_steps) for m in data.metiers) >= 3
    drawn = len(PdfReader(io.BytesIO(render_report(data))).pages)
    for metier in data.metiers:
        metier.route_steps = []
    assert drawn == len(PdfReader(io.BytesIO(render_report(data))).pages)


def test_the_study_length_on_page_one_is_the_drawn_routes(mini_db):
    # Page one said « 2 ans après le bac » for a technician while the route drawn further down, from
    # the pupil's 3e, took 5 years; a family reads the two side by side.
    data = _bilan(mini_db, ["ORI.technicien-de-maintenance-industrielle", "ORI.macon"])
    technician, macon = data.metiers
    total = sum(years for _, years in technician.route_steps)
    assert total == 5 and technician.study_years == "5 ans depuis ta classe"
    assert macon.study_years == "2 ans depuis ta classe"
    reader = PdfReader(io.BytesIO(render_report(data)))
    first_page = " ".join(reader.pages[0].extract_text().split())
    assert "5 ans depuis ta classe" in first_page and "2 ans après le bac" not in first_page


def test_without_a_class_page_one_keeps_the_usual_length(mini_db):
    sid = _student(mini_db, None)
    with mini_db.read() as session:
        data = build_report(session, latest_session(session, sid))
    assert data.metiers[0].study_years == "2 à 3 ans après la 3e"  # maçon: a CAP-level métier


def test_a_route_that_stops_below_the_metiers_level_leaves_the_usual_length(mini_db, tmp_path):
    # A fiche whose formations all stop below its level (the route falls back to them): « 2 ans
    # depuis ta classe » would tell a family a bac + 5 is two years away.
    import json

    from db.catalogue.importing import import_paths

    fiche = {"format": "orientation-fiche/1", "id": "ORI.test-juriste", "nom": "juriste d'essai", "pays": "FR",
             "niveau": "bac + 5", "formations": ["CAP agent de sécurité"]}
    path = tmp_path / "fiche.jsonl"
    path.write_text(json.dumps(fiche, ensure_ascii=False), encoding="utf-8")
    assert import_paths(mini_db, [path]).refused == 0
    data = _bilan(mini_db, ["ORI.test-juriste"])
    (metier,) = data.metiers
    assert metier.route_steps  # a route is still drawn on the card
    assert metier.study_years == "5 ans après le bac"
    # and the card says that route is only a first step
    assert "d'autres années d'études suivent ce parcours" in " ".join(_lines(data))


def test_the_html_bilan_prints_no_comparison_row_that_page_one_already_gives(mini_db):
    from reports.html import render_report_html

    data = _bilan(mini_db, ["ORI.technicien-de-maintenance-industrielle", "ORI.macon"])
    assert data.comparison is None  # nothing compared yet: compare them
    from db.catalogue.compare import compare

    with mini_db.read() as session:
        data.comparison = compare(session, ["ORI.technicien-de-maintenance-industrielle", "ORI.macon"])
    html = render_report_html(data)
    comparison = html[html.index("<h2>Comparaison</h2>"):]
    assert "Durée des études" not in comparison and "après le bac" not in comparison
    assert "5 ans depuis ta classe" in html


def test_a_route_note_is_its_own_sentence_never_one_more_ou(mini_db):
    # A pupil aiming at a CAP at most, shown a technician (bac + 2): the note saying so was joined
    # to the routes as « ; ou Ce métier demande… », as if it were one more route.
    sid = create_student(mini_db, "Martin", "Zoé", "3e B", current_class="3e")
    with mini_db.read() as session:
        state = start_session(session, sid, "2026-11-20")
    state.shortlist = [ShortlistItem("ORI.technicien-de-maintenance-industrielle", "")]
    state.max_bac_plus = -2
    save_session(mini_db, state)
    with mini_db.read() as session:
        data = build_report(session, latest_session(session, sid))
    (metier,) = data.metiers
    assert metier.routes and not any("études plus longues" in line for line in metier.routes)
    # Said to the pupil: the bilan is theirs (« ce que l'élève envisage » read as a report about them).
    assert any("études plus longues que celles que tu envisages" in note for note in metier.route_notes)
    assert not any("l'élève" in note for note in metier.route_notes)
    text = " ".join(_lines(data))
    assert "études plus longues" in text and "ou Ce métier" not in text and "ou : Ce métier" not in text


def test_the_html_bilan_says_the_routes_too(mini_db):
    from reports.html import render_report_html

    html = render_report_html(_bilan(mini_db, ["ORI.macon"]))
    assert "<strong>Parcours depuis ta classe</strong> : CAP maçon (2 ans) ; ou CAP maçon (2 ans) → BP maçon " \
           "(2 ans) : 4 ans" in html


def _one_metier(database, current_class: str, metier_id: str):  # type: ignore[no-untyped-def]
    """The bilan's card of ``metier_id``, kept alone by a pupil of ``current_class``."""
    sid = create_student(database, "Roux", "Inès", "", current_class=current_class)
    with database.read() as session:
        state = start_session(session, sid, "2026-11-20")
    state.shortlist = [ShortlistItem(metier_id, "")]
    save_session(database, state)
    with database.read() as session:
        (metier,) = build_report(session, latest_session(session, sid)).metiers
    return metier


def test_a_pupil_in_a_bac_pro_is_not_told_this_year_for_another_speciality(mini_db):
    # A Tle Pro MELEC pupil read « l'année en cours » on page 1 for a métier reached through
    # another bac pro: the drawn route assumes that speciality, page 1 has no room to say so.
    metier = _one_metier(mini_db, "term-pro", "ORI.aide-soignant")
    assert metier.route_steps[-1] == ("bac pro accompagnement, soins et services à la personne", 0)
    assert metier.study_years != "l'année en cours"
    assert metier.route_notes == ["Ce parcours suppose que ton bac pro soit de cette spécialité ; sinon, une "
                                  "formation de plus est à prévoir."]


def test_the_drawn_route_alone_decides_whether_page_one_gives_its_length(mini_db, tmp_path):
    # In 2de pro, a cook's shortest route is a titre professionnel (1 year); only the other one goes
    # through the bac pro cuisine: page 1 gives the drawn route's length, the note stays.
    import json

    from db.catalogue.importing import import_paths

    fiche = tmp_path / "cuisinier.jsonl"
    fiche.write_text(json.dumps({"format": "orientation-fiche/1", "pays": "FR", "id": "ORI.test-cuisinier",
                                 "nom": "cuisinier/ère", "niveau": "CAP ou équivalent",
                                 "formations": ["bac pro cuisine", "titre professionnel cuisinier"]}), encoding="utf-8")
    assert import_paths(mini_db, [fiche]).refused == 0
    metier = _one_metier(mini_db, "2de-pro", "ORI.test-cuisinier")
    assert metier.route_steps == [("2de professionnelle", 0), ("titre professionnel cuisinier", 1)]
    assert metier.study_years == "1 an depuis ta classe"
    assert any("suppose que ton bac pro soit de cette spécialité" in note for note in metier.route_notes)
