"""With a student open whose current class is known, the fiche pane shows the routes from that
class to the métier: each step with its years, the total; none without a class or a student."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.desktop.students_helpers import create_student, panel_of


def _open_student_in_3e(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.students.menu_actions["Nouvel élève…"].trigger()
    dialog = panel_of(window).dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.nom.setText("Martin")
    dialog.prenom.setText("Zoé")
    dialog.current_class.setCurrentIndex(dialog.current_class.findData("3e"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel_of(window).student is not None)


def _fiche_text(qtbot, window, metier_id: str) -> str:  # type: ignore[no-untyped-def]
    window.open_fiche(metier_id)
    qtbot.waitUntil(lambda: window.fiche_view.fiche is not None and window.fiche_view.fiche.id == metier_id)
    return " ".join(window.fiche_view.text().split())


def test_the_fiche_shows_the_routes_from_the_open_students_class(qtbot, window):
    before = _fiche_text(qtbot, window, "ORI.macon")
    assert "Parcours depuis" not in before  # no student open
    _open_student_in_3e(qtbot, window)
    text = " ".join(window.fiche_view.text().split())  # the fiche shown is redrawn with the routes
    assert "Parcours depuis la classe actuelle (3e)" in text
    assert "3e → CAP maçon 2 ans = 2 ans" in text
    assert "3e → CAP maçon 2 ans → BP maçon 2 ans = 4 ans" in text
    if os.environ.get("ORIENTATION_SHOTS"):  # to look at it: ORIENTATION_SHOTS=/tmp/shots
        window.resize(1280, 720)
        window.fiche_view.browser.scrollToAnchor("parcours")
        window.grab().save(str(Path(os.environ["ORIENTATION_SHOTS"]) / "fiche_routes.png"))


def test_no_route_block_for_a_student_without_a_current_class(qtbot, window):
    create_student(qtbot, window, "Durand", "Léo")
    assert "Parcours depuis" not in _fiche_text(qtbot, window, "ORI.macon")


def _shortlist_cells(window) -> list[str]:  # type: ignore[no-untyped-def]
    table = panel_of(window).editor.shortlist.table
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def test_the_shortlist_shows_the_shortest_route_under_each_metier(qtbot, window):
    _open_student_in_3e(qtbot, window)
    panel = panel_of(window)
    qtbot.waitUntil(lambda: panel.can_edit)
    panel.add_to_shortlist("ORI.macon", "maçon/ne")
    (cell,) = _shortlist_cells(window)
    assert cell == "maçon/ne\n↳ CAP maçon (2 ans)"  # the shortest of the routes the fiche shows
    tooltip = panel.editor.shortlist.table.item(0, 0).toolTip()
    assert "3e → CAP maçon (2 ans) → BP maçon (2 ans) : 4 ans en tout" in tooltip
    assert panel.editor.shortlist.ids() == ["ORI.macon"]  # the id, not the text shown, is what is saved


def test_no_route_under_the_shortlisted_metier_without_a_current_class(qtbot, window):
    create_student(qtbot, window, "Durand", "Léo")
    panel = panel_of(window)
    qtbot.waitUntil(lambda: panel.can_edit)
    panel.add_to_shortlist("ORI.macon", "maçon/ne")
    assert _shortlist_cells(window) == ["maçon/ne"]


def test_reopening_a_student_whose_shortlist_shows_routes_is_not_an_edit(qtbot, window):
    # Filling in the routes under the shortlisted métiers used to count as an edit: every returning
    # student with a current class opened « modifié — pas encore enregistré », and leaving asked
    # to save a session nobody had touched.
    _open_student_in_3e(qtbot, window)
    panel = panel_of(window)
    qtbot.waitUntil(lambda: panel.can_edit)
    panel.add_to_shortlist("ORI.macon", "maçon/ne")
    assert panel.save()
    first = panel.student.id
    create_student(qtbot, window, "Durand", "Léo")
    assert panel.open_student(first)
    assert _shortlist_cells(window) == ["maçon/ne\n↳ CAP maçon (2 ans)"]  # the route is shown…
    assert not panel.dirty  # …and nothing is to be saved
    assert panel.page.status_label.text() == "enregistré"
