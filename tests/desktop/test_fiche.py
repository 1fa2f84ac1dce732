"""Opening a fiche from the table (Enter, double-click) and reading every field of it."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QUrl, Qt

from db.catalogue.store import upsert_records
from db.catalogue.fiche import get_fiche
from db.catalogue.records import MetierRecord, Ref, RomeCode, RomeReference, Salary, Section, Synonym
from db.catalogue.rome import write_rome_reference
from desktop.theme import contrast
from tests.desktop.conftest import shown_ids, wait_ids


def plain(window) -> str:
    """The fiche text with French narrow/no-break spaces as plain spaces."""
    return window.fiche_view.text().replace("\u202f", " ").replace("\xa0", " ")


def row_of(window, metier_id):
    return shown_ids(window).index(metier_id)


def test_the_fiche_follows_the_highlighted_row(qtbot, window):
    table = window.table
    table.setFocus()
    table.setCurrentIndex(window.model.index(row_of(window, "ORI.comptable"), 0))
    qtbot.keyClick(table, Qt.Key.Key_Down)  # arrows move, the fiche follows
    below = window.model.row_at(row_of(window, "ORI.comptable") + 1).id
    assert window.fiche_view.fiche.id == below
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens it too
    assert window.fiche_view.fiche.id == "ORI.comptable"
    assert "Niveau d'études minimum : bac + 2" in window.fiche_view.text()


def test_click_and_double_click_open_the_fiche(qtbot, window):
    index = window.model.index(row_of(window, "ORI.oenologue"), 2)
    point = window.table.visualRect(index).center()
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.fiche_view.fiche.id == "ORI.oenologue"
    window.fiche_view.set_fiche(None)
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.fiche_view.fiche.id == "ORI.oenologue"
    text = plain(window)
    assert "œnologue" in text
    assert "Salaire de début : 2 300 – 2 800 € brut par mois (Fiche du projet, 2025)" in text


def test_the_fiche_shows_every_field_for_reading_aloud(window):
    window.open_fiche("ORI.aide-soignant")
    text = plain(window)
    for expected in (
        "aide-soignant/e",
        "Au féminin : aide-soignante — au masculin : aide-soignant",
        "Autres appellations : auxiliaire de soins",
        "Niveau d'études minimum : CAP ou équivalent",
        "Salaire de début : à partir de 1 850 € brut par mois (Fiche du projet, 2025)",
        "Secteurs : Santé\n",  # the ONISEP sector; the ROME grand domaine J has the same name: once
        "Statuts : salarié, fonctionnaire",
        "Présentation", "Test fiche: helps patients with daily care in a hospital.",
        "Le travail au quotidien", "Comment y accéder",
        "Formations", "diplôme d'État d'aide-soignant",
        "Centres d'intérêt", "ma vocation est de soigner ; je veux être utile aux autres",
        "Codes ROME", "J1501",
        "Fiche rédigée par l'équipe Orientation — fiche importée le",
    ):
        assert expected in text, expected


def _heading_colour(window, heading: str):  # type: ignore[no-untyped-def]
    block = window.fiche_view.browser.document().begin()
    while block.isValid():
        if block.text() == heading:
            return block.begin().fragment().charFormat().foreground().color()
        block = block.next()
    raise AssertionError(heading)


@pytest.mark.parametrize("base", ["#ffffff", "#202020"])
def test_fiche_headings_stay_readable_on_a_light_or_dark_palette(window, base):
    from PySide6.QtGui import QColor, QPalette

    palette = window.fiche_view.browser.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000" if base == "#ffffff" else "#f0f0f0"))
    window.fiche_view.browser.setPalette(palette)
    window.open_fiche("ORI.aide-soignant")
    assert "Présentation" in plain(window)
    assert contrast(_heading_colour(window, "Présentation"), QColor(base)) >= 7


def test_title_form_applies_to_table_and_fiche(qtbot, window):
    window.open_fiche("ORI.macon")
    feminine = next(a for a in window.title_actions.actions() if a.data() == "feminin")
    feminine.trigger()
    assert window.fiche_view.text().startswith("maçonne")
    titles = [window.model.index(i, 0).data() for i in range(window.model.rowCount())]
    assert "maçonne" in titles and "aide-soignante" in titles
    assert window.settings.title_form == "feminin"


@pytest.fixture
def onisep_like_db(mini_db):
    """The test fiches plus one fiche with markup in its data, related métiers and ROME labels."""
    record = MetierRecord(
        id="MET.900", name="<b>testeur</b>/euse", source_kind="onisep-xml", label_f="testeuse", label_m="testeur",
        synonyms=[Synonym("essayeur <i>pro</i>")],
        sections=[Section("presentation", "Présentation",
                          "<script>alert('x')</script> Il teste.\n\nDeuxième paragraphe.")],
        rome_codes=["J1501"], level_text="bac + 2",
        salary=Salary("Environ 2000 euros brut par mois", 2000, None, year=2024, source_date="2024-06-25"),
        sectors=[Ref("Santé", "T-IDEO2.4869")], related=[Ref("maçon/ne", "ORI.macon"), Ref("astronaute", "MET.999")],
        source_date="2024-06-25", licence="ODbL")
    with mini_db.write() as session:
        upsert_records(session, [record], "test.xml", datetime(2026, 11, 21, 10, 0))
        write_rome_reference(session, RomeReference(
            "4.60", codes=[RomeCode("J1501", "Soins d'hygiène, de confort du patient")]))
    return mini_db


def test_markup_in_data_shows_as_text(make_window, onisep_like_db):
    window = make_window(onisep_like_db)
    window.open_fiche("MET.900")
    text = window.fiche_view.text()
    assert text.startswith("<b>testeur</b>/euse")
    assert "<script>alert('x')</script> Il teste." in text
    assert "essayeur <i>pro</i>" in text
    assert "<script>" not in window.fiche_view.browser.toHtml()


def test_onisep_fiche_sources_salary_origin_and_rome_labels(make_window, onisep_like_db):
    window = make_window(onisep_like_db)
    window.open_fiche("MET.900")
    text = plain(window)
    assert "Salaire de début : à partir de 2 000 € brut par mois (Onisep, 2024)" in text
    assert "D'après la fiche : « Environ 2000 euros brut par mois »" in text
    assert "J1501 — Soins d'hygiène, de confort du patient" in text
    assert "Libellés des codes : France Travail (ROME)" in text
    assert ("Source : Idéo-Fiches métiers, Onisep, sous licence ODbL — fiche importée le 21 novembre 2026 — "
            "données du 25 juin 2024") in text
    assert "Deuxième paragraphe." in text


def test_a_related_link_opens_that_fiche(make_window, onisep_like_db):
    window = make_window(onisep_like_db)
    window.open_fiche("MET.900")
    text = window.fiche_view.text()
    assert "maçon/ne" in text and "astronaute (pas dans le catalogue)" in text
    html = window.fiche_view.browser.toHtml()
    assert 'href="metier:ORI.macon"' in html and "MET.999" not in html
    window.fiche_view.browser.anchorClicked.emit(QUrl("metier:ORI.macon"))
    assert window.fiche_view.fiche.id == "ORI.macon"
    assert window.fiche_view.text().startswith("maçon/ne")


def test_get_fiche_returns_plain_values_usable_after_the_session(onisep_like_db):
    with onisep_like_db.read() as session:
        fiche = get_fiche(session, "MET.900")
        assert get_fiche(session, "MET.404") is None
    assert fiche.level == "bac + 2" and fiche.salary_origin == "Onisep, 2024"
    assert [(r.id, r.in_catalogue) for r in fiche.related] == [("ORI.macon", True), ("MET.999", False)]
    assert fiche.rome_codes[0].label == "Soins d'hygiène, de confort du patient"
    assert fiche.source == "Onisep" and fiche.imported_at == datetime(2026, 11, 21, 10, 0)


def test_a_fiche_gone_from_the_catalogue_is_a_french_warning(window):
    window.open_fiche("MET.404")
    assert window.messages.texts("warning") == ["cette fiche n'est plus dans le catalogue."]


def test_the_fiche_is_cleared_when_the_list_no_longer_holds_it(qtbot, window):
    window.table.setCurrentIndex(window.model.index(row_of(window, "ORI.comptable"), 0))
    assert window.fiche_view.fiche.id == "ORI.comptable"
    window.filters.search_box.setText("maçon")
    wait_ids(qtbot, window, {"ORI.macon"})
    assert window.fiche_view.fiche is None  # never a fiche the list does not show
    assert "comptable" not in window.fiche_view.text()


def test_a_fiche_opened_elsewhere_selects_its_row(qtbot, window):
    window.open_fiche("ORI.oenologue")  # e.g. from a suggestion
    assert window.table.currentIndex().row() == row_of(window, "ORI.oenologue")


def test_sectors_read_from_the_rome_codes_are_said_so(window):
    # The window listed « Sport ; Spectacle » where the bilan said « Sport »: the second is only the
    # grand domaine of the fiche's ROME code. The fiche's own sectors come first, the other is named.
    window.open_fiche("ORI.macon")
    assert ("Secteurs : Bâtiment et travaux publics (BTP) ; Construction, Bâtiment et Travaux publics "
            "(d'après ses codes ROME)\n") in plain(window)
