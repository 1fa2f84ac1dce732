"""« Affichage › Formations… »: formations found by name, type and level; a formation fiche with
the usual path into it and its métiers as links that open the métier's fiche in the main window."""
from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QMenu


def _open(window, qtbot):  # type: ignore[no-untyped-def]
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Affichage")
    (action,) = [a for a in menu.actions() if a.text() == "F&ormations…"]
    action.trigger()
    formations = window._formations_window
    qtbot.waitUntil(formations.isVisible)
    return formations


def _listed(formations) -> list[str]:  # type: ignore[no-untyped-def]
    return [formations.results.item(row).text() for row in range(formations.results.count())]


def test_formations_are_found_by_name_and_type_and_lead_to_their_metiers(window, qtbot, tmp_path):
    formations = _open(window, qtbot)
    qtbot.keyClicks(formations.search_box, "macon")  # accents ignored
    qtbot.waitUntil(lambda: "CAP maçon — CAP" in _listed(formations))
    assert "BP maçon — brevet professionnel" in _listed(formations)
    formations.type_box.setCurrentIndex(formations.type_box.findData("CAP"))
    assert _listed(formations) == ["CAP maçon — CAP"]
    text = " ".join(formations.fiche.toPlainText().split())
    assert "CAP : se prépare d'habitude en 2 ans après la 3e ; possible en apprentissage." in text
    assert "Métiers maçon/ne" in text
    formations.activateWindow()
    qtbot.waitUntil(formations.isActiveWindow)
    formations.search_box.setFocus()
    qtbot.keyClick(formations.search_box, Qt.Key.Key_Down)  # keyboard: from the field into the list
    assert QApplication.focusWidget() is formations.results and formations.results.currentRow() == 0
    formations.type_box.setCurrentIndex(0)  # every type again
    formations.search_box.setFocus()
    formations.search_box.clear()
    qtbot.keyClicks(formations.search_box, "BP ma")
    qtbot.keyClick(formations.search_box, Qt.Key.Key_Down)  # at once, before the typing pause
    assert formations.results.currentItem().text() == "BP maçon — brevet professionnel"
    formations.fiche.anchorClicked.emit(QUrl("metier:ORI.macon"))  # the métier link
    qtbot.waitUntil(lambda: window.fiche_view.fiche is not None and window.fiche_view.fiche.id == "ORI.macon")
    formations.grab().save(str(tmp_path / "formations.png"))


def test_no_formation_says_so(window, qtbot):
    formations = _open(window, qtbot)
    formations.search_box.setText("xyzabc")
    qtbot.waitUntil(lambda: formations.count_label.text() == "Aucune formation ne correspond.")
    assert formations.results.count() == 0 and formations.fiche.toPlainText() == ""
