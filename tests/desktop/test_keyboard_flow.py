"""The interview's short keyboard paths (issue 14): a new pupil from one line typed in the student
search, several interests typed at once, Entrée from the criteria to the suggestions, Ctrl+D that
moves on to the next métier, and the comparison shown in place of the fiche."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.desktop.students_helpers import CARE, MOVE, USEFUL, create_student, panel_of, press, tick

CTRL = Qt.KeyboardModifier.ControlModifier


def active(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_a_line_typed_in_the_student_search_fills_the_new_student_form(qtbot, window):
    active(qtbot, window)
    panel = panel_of(window)
    qtbot.waitUntil(panel.list.search_box.hasFocus)
    qtbot.keyClicks(panel.list.search_box, "Zoe Martin 3e B")
    qtbot.keyClick(panel.list.search_box, Qt.Key.Key_Return)  # nobody found: Entrée opens the form
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.isVisible())
    dialog = panel.dialog
    assert (dialog.prenom.text(), dialog.nom.text(), dialog.classe.currentText()) == ("Zoe", "Martin", "3e B")
    assert dialog.current_class.currentText() == "3e"  # for the routes to a métier, guessed from the class
    qtbot.waitUntil(dialog.prenom.hasFocus)  # the form can be corrected; Entrée saves it as it is
    qtbot.keyClick(dialog.prenom, Qt.Key.Key_Return)  # « Enregistrer »
    qtbot.waitUntil(lambda: panel.student is not None)
    assert (panel.student.prenom, panel.student.nom, panel.student.classe) == ("Zoe", "Martin", "3e B")
    active(qtbot, window)
    qtbot.waitUntil(panel.editor.interest_finder.hasFocus)  # next: what the pupil likes


def test_a_search_that_finds_someone_opens_them_and_never_creates(qtbot, window):
    create_student(qtbot, window, "Martin", "Zoé")
    panel = panel_of(window)
    panel.show_list()
    qtbot.keyClicks(panel.list.search_box, "zoe")
    qtbot.waitUntil(lambda: len(panel.list.students) == 1)
    qtbot.keyClick(panel.list.search_box, Qt.Key.Key_Return)
    assert panel.dialog is None or not panel.dialog.isVisible()
    assert panel.stack.currentIndex() == 1 and panel.student.prenom == "Zoé"


def test_interests_typed_at_once_are_ticked_and_what_was_not_found_stays(qtbot, window):
    create_student(qtbot, window, "Martin", "Zoé")
    editor = panel_of(window).editor
    finder = editor.interest_finder
    finder.setFocus()
    qtbot.keyClicks(finder, "utile, vocation, pas de tel interet")
    qtbot.keyClick(finder, Qt.Key.Key_Return)
    assert set(editor.interests.ticked()) == {USEFUL, CARE}
    assert finder.text() == "pas de tel interet"  # to be corrected; the cursor stays
    assert "Pas trouvé : « pas de tel interet »" in editor.interest_said.text()
    assert "« je veux être utile aux autres »" in editor.interest_said.text()
    assert editor.currentIndex() == 0 and editor.tabText(0) == "Intérêts (2)"
    finder.setText("")
    qtbot.keyClicks(finder, "bouger")
    qtbot.keyClick(finder, Qt.Key.Key_Return)  # all found: on to the criteria, the cursor on the level
    assert MOVE in editor.interests.ticked() and finder.text() == ""
    assert editor.currentWidget() is editor.constraints
    qtbot.waitUntil(editor.constraints.level_combo.hasFocus)
    assert panel_of(window).dirty


def test_enter_in_the_criteria_goes_to_the_best_suggestion_and_its_fiche(qtbot, window):
    create_student(qtbot, window, "Martin", "Zoé")
    panel = panel_of(window)
    tick(window, CARE)
    active(qtbot, window)
    panel.editor.constraints.salary_spin.setFocus()
    qtbot.keyClicks(panel.editor.constraints.salary_spin, "1500")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.suggestions.list.hasFocus() and panel.suggestions.list.currentRow() == 0,
                    timeout=5000)  # once the suggestions for the new salary are computed
    best = panel.suggestions.current_id()
    qtbot.waitUntil(lambda: window.fiche_view.fiche is not None and window.fiche_view.fiche.id == best)
    qtbot.keyClick(panel.suggestions.list, Qt.Key.Key_Down)  # the fiche follows the highlighted suggestion
    qtbot.waitUntil(lambda: window.fiche_view.fiche.id == panel.suggestions.current_id() != best)


def keep_from_suggestions(qtbot, window) -> list[str]:  # type: ignore[no-untyped-def]
    """Two suggestions kept with Ctrl+D, a comment typed for each; the ids suggested first."""
    panel = panel_of(window)
    tick(window, CARE)
    tick(window, USEFUL)
    active(qtbot, window)
    panel.focus_suggestions()
    qtbot.waitUntil(panel.suggestions.list.hasFocus, timeout=5000)
    assert len(panel.suggestions.suggestions) >= 3
    ids = [s.metier_id for s in panel.suggestions.suggestions[:3]]
    shortlist = panel.editor.shortlist
    for comment in ("stage", "portes ouvertes"):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, CTRL)
        qtbot.waitUntil(lambda: shortlist.table.viewport().isAncestorOf(QApplication.focusWidget()))
        qtbot.keyClicks(QApplication.focusWidget(), comment)
    return ids


def test_ctrl_d_in_a_comment_keeps_it_and_the_next_metier_highlighted(qtbot, window):
    create_student(qtbot, window, "Martin", "Zoé")
    ids = keep_from_suggestions(qtbot, window)
    panel = panel_of(window)
    shortlist = panel.editor.shortlist
    assert shortlist.ids() == ids[:2]
    assert shortlist.entries()[0].comment == "stage"  # kept by the second Ctrl+D
    assert panel.suggestions.current_id() == ids[2]  # the next one highlighted, its fiche shown
    assert window.fiche_view.fiche.id == ids[2]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Entrée: back to the suggestions
    qtbot.waitUntil(panel.suggestions.list.hasFocus)
    assert [item.comment for item in shortlist.entries()] == ["stage", "portes ouvertes"]


def test_the_comparison_shows_in_place_of_the_fiche_and_the_keys_still_work(qtbot, window):
    create_student(qtbot, window, "Martin", "Zoé")
    keep_from_suggestions(qtbot, window)
    panel = panel_of(window)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = window.fiche_view
    assert view.comparing() and view.comparison.isVisible() and view.comparison.table.columnCount() == 2
    assert panel.editor.shortlist.entries()[1].comment == "portes ouvertes"  # the comment typed is kept
    assert view.comparison.title.text() == "Comparaison des métiers — Zoé Martin"
    qtbot.waitUntil(view.comparison.table.hasFocus)  # read with the arrows (a screen reader follows)
    qtbot.keyClick(view.comparison.table, Qt.Key.Key_Escape)  # Échap: the fiche again
    assert not view.comparing() and view.browser.isVisible()
    press(qtbot, window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert view.comparing()
    press(qtbot, window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)  # again: back to the fiche
    assert not view.comparing()
    press(qtbot, window, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert view.comparing()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, CTRL)  # no window in the way: the notes
    qtbot.waitUntil(panel.editor.next_steps.hasFocus)
    window.open_fiche(panel.editor.shortlist.ids()[0])  # any fiche opened comes in front
    qtbot.waitUntil(lambda: not view.comparing())


def test_ctrl_b_shows_the_bilan_window_when_no_pdf_viewer_opens_it(qtbot, window, tmp_path):
    from tests.desktop.students_helpers import RecordingFiles

    class NoViewer(RecordingFiles):
        def open_file(self, path):  # type: ignore[no-untyped-def]
            super().open_file(path)
            return False

    files = NoViewer(tmp_path)
    window.students.use_files(files)
    create_student(qtbot, window, "Martin", "Zoé")
    tick(window, CARE)
    press(qtbot, window, Qt.Key.Key_B, CTRL)
    qtbot.waitUntil(lambda: window.students.report.dialog is not None, timeout=10_000)  # to save or print it
    assert files.opened and "aucun lecteur de PDF n'a pu ouvrir le bilan" in window.messages.texts("warning")[-1]
    window.students.report.dialog.close()
