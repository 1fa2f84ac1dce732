"""The student panel without a mouse: Tab reaches every control of every tab, each control has
an accessible name, and the Élève shortcuts work."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QWidget

from tests.desktop.conftest import wait_ids
from tests.desktop.students_helpers import (CARE, add_from_table, create_student, panel_of, press, tick,
                                            wait_suggestions)


def tab_through(qtbot, start: QWidget, presses: int = 70) -> list[QWidget]:
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    reached = []
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    return reached


def open_session(qtbot, window):  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    create_student(qtbot, window, "Martin", "Zoé")
    add_from_table(window, "ORI.aide-soignant")
    add_from_table(window, "ORI.macon")
    tick(window, CARE)
    wait_suggestions(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return panel_of(window)


def test_tab_reaches_every_control_of_every_tab(qtbot, window):
    panel = open_session(qtbot, window)
    editor = panel.editor
    top = panel.page
    common = [top.back_button, top.edit_button, top.session_combo, top.new_session_button, top.date_edit,
              editor.tabBar(), panel.suggestions.list, top.save_button, top.report_button]
    pages = {
        0: [editor.interest_finder, editor.interests],
        1: [editor.constraints.level_combo, editor.constraints.salary_spin, editor.constraints.country_combo,
            editor.constraints.wished_list, editor.constraints.refused_list],
        2: [editor.shortlist.table, editor.shortlist.up_button, editor.shortlist.remove_button,
            editor.shortlist.compare_button],
        3: [editor.next_steps, editor.student_note, editor.private_notes],
    }
    panel.suggestions.list.setCurrentRow(0)  # its buttons are enabled with a current row
    for page, controls in pages.items():
        editor.setCurrentIndex(page)
        editor.shortlist.table.setCurrentCell(1, 0)
        reached = tab_through(qtbot, panel.page.back_button)
        for widget in common + controls + [panel.suggestions.add_button]:
            assert widget in reached, (page, widget.accessibleName() or type(widget).__name__)


def test_ctrl_tab_changes_tab_and_space_ticks_an_interest(qtbot, window):
    panel = open_session(qtbot, window)
    tree = panel.editor.interests
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    tree.setCurrentItem(tree.item_for(CARE))
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert len(tree.ticked()) == 2
    qtbot.keyClick(tree, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.currentIndex() == 1


def test_every_control_of_the_panel_has_an_accessible_name(qtbot, window):
    panel = open_session(qtbot, window)
    panel.suggestions.list.setCurrentRow(0)
    nameless = set()
    for page in range(panel.editor.count()):
        panel.editor.setCurrentIndex(page)
        QCoreApplication.processEvents()
        for widget in window.findChildren(QWidget):
            if not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            if isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
                continue
            name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
            if not name:
                nameless.add(f"{type(widget).__name__} {widget.objectName()}")
    assert nameless == set()


def test_element_shortcuts(qtbot, window):
    panel = open_session(qtbot, window)
    window.table.setFocus()
    row = next(r for r in range(window.model.rowCount()) if window.model.row_at(r).id == "ORI.comptable")
    window.table.setCurrentIndex(window.model.index(row, 0))
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # Ctrl+D: keep the current row
    assert panel.editor.shortlist.ids()[-1] == "ORI.comptable"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # no comment: back to the list
    qtbot.waitUntil(window.table.hasFocus)
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Ctrl+E: the open session first
    qtbot.waitUntil(panel.editor.tabBar().hasFocus)
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # again: find another student
    qtbot.waitUntil(panel.list.search_box.hasFocus)
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the filters come forward
    qtbot.waitUntil(window.filters.search_box.hasFocus)
    press(qtbot, window, Qt.Key.Key_F9)  # F9: to the open session, which was in sight all along
    qtbot.waitUntil(panel.editor.tabBar().hasFocus)
    press(qtbot, window, Qt.Key.Key_F9)  # pressed again: still there, never hidden
    assert window.students.dock.isVisible() and panel.stack.currentIndex() == 1


def test_the_session_stays_in_sight_while_searching_the_catalogue(qtbot, window):
    panel = open_session(qtbot, window)  # 1280 × 720
    assert window.tabifiedDockWidgets(window.filter_dock) == []
    press(qtbot, window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.filters.search_box.hasFocus)
    assert window.students.in_front() and panel.page.isVisible() and panel.suggestions.list.isVisible()
    assert not window.students.dock.geometry().intersects(window.filter_dock.geometry())


def test_panels_sit_side_by_side_on_a_wide_window(qtbot, make_window, mini_db):
    window = make_window(mini_db, size=(1920, 1080))
    assert window.tabifiedDockWidgets(window.filter_dock) == []
    assert window.filters.isVisible() and window.students.panel.isVisible()
    assert window.table.width() >= 500 and window.fiche_view.width() >= 300


def test_ctrl_d_after_a_search_keeps_the_listed_metier_not_the_fiche_read_before(qtbot, window):
    panel = open_session(qtbot, window)
    window.open_fiche("ORI.oenologue")  # read earlier, still on the right
    qtbot.waitUntil(lambda: window.fiche_view.fiche is not None and window.fiche_view.fiche.id == "ORI.oenologue")
    window.focus_search()
    qtbot.keyClicks(window.filters.search_box, "comptable")
    wait_ids(qtbot, window, {"ORI.comptable"})
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert panel.editor.shortlist.ids()[-1] == "ORI.comptable"
    assert "ORI.oenologue" not in panel.editor.shortlist.ids()


def test_ctrl_d_puts_the_cursor_in_the_comment_and_enter_returns_to_the_next_row(qtbot, window):
    panel = open_session(qtbot, window)  # aide-soignant and maçon kept, both ticked "Comparer"
    shortlist = panel.editor.shortlist
    assert shortlist.compared() == ["ORI.aide-soignant", "ORI.macon"]
    window.table.setFocus()
    for metier_id, comment in (("ORI.comptable", "stage en cabinet"), ("ORI.oenologue", "a voir")):
        row = next(r for r in range(window.model.rowCount()) if window.model.row_at(r).id == metier_id)
        window.table.setCurrentIndex(window.model.index(row, 0))
        press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert panel.editor.currentWidget() is shortlist
        qtbot.keyClicks(QApplication.focusWidget(), comment)  # typed straight into the comment
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.waitUntil(window.table.hasFocus)  # back in the results, on the next row, its fiche shown
        assert window.table.currentIndex().row() == row + 1
        assert window.fiche_view.fiche.id == window.model.row_at(row + 1).id
    assert [item.comment for item in shortlist.entries()][-2:] == ["stage en cabinet", "a voir"]
    # The third métier kept came ticked; the fourth did not (three compared by default).
    assert shortlist.compared() == ["ORI.aide-soignant", "ORI.macon", "ORI.comptable"]


def test_f9_and_ctrl_e_bring_the_open_session_forward_from_the_filters(qtbot, window):
    panel = open_session(qtbot, window)
    window.focus_search()  # Ctrl+F: the cursor in the search box, the session still in sight
    qtbot.waitUntil(window.filters.search_box.hasFocus)
    assert window.students.in_front()
    press(qtbot, window, Qt.Key.Key_F9)  # the focus goes to the session, never hides it
    qtbot.waitUntil(panel.editor.tabBar().hasFocus)
    assert panel.stack.currentIndex() == 1 and panel.student.prenom == "Zoé"  # the session, still open
    window.focus_search()
    qtbot.waitUntil(window.filters.search_box.hasFocus)
    qtbot.keyClick(window.filters.search_box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.editor.tabBar().hasFocus)  # Ctrl+E works from the search box too
    assert panel.stack.currentIndex() == 1  # first the open session
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(panel.list.search_box.hasFocus)  # then the list, to find another pupil


def test_ctrl_1_to_4_reach_the_session_tabs_from_the_search_box(qtbot, window):
    panel = open_session(qtbot, window)
    window.focus_search()
    qtbot.waitUntil(window.filters.search_box.hasFocus)
    for key, page, field in ((Qt.Key.Key_4, 3, panel.editor.next_steps),
                             (Qt.Key.Key_3, 2, panel.editor.shortlist.table),
                             (Qt.Key.Key_2, 1, panel.editor.constraints.level_combo),
                             (Qt.Key.Key_1, 0, panel.editor.interest_finder)):
        press(qtbot, window, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(field.hasFocus)
        assert panel.editor.currentIndex() == page


def test_the_window_opens_with_the_cursor_in_the_student_search(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    search = panel_of(window).list.search_box
    qtbot.waitUntil(search.hasFocus)  # an interview starts by finding the pupil: no key needed
    qtbot.keyClicks(QApplication.focusWidget(), "Martin")
    assert search.text() == "Martin"


def test_a_name_not_found_in_the_student_search_is_carried_into_the_new_student_form(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel = panel_of(window)
    qtbot.waitUntil(panel.list.search_box.hasFocus)
    qtbot.keyClicks(panel.list.search_box, "Martin")  # looked for first: no such pupil yet
    press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.dialog is not None and panel.dialog.prenom.hasFocus())
    assert panel.dialog.nom.text() == "Martin"  # the cursor waits in "Prénom"
    qtbot.keyClicks(panel.dialog.prenom, "Zoe")
    qtbot.keyClick(panel.dialog.prenom, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.student is not None)
    assert (panel.student.nom, panel.student.prenom) == ("Martin", "Zoe")


def test_tab_out_of_the_private_notes_then_a_space_adds_no_metier(qtbot, window):
    # Seen in a keyboard-only interview: Tab left « Notes privées » for « Ajouter », and the next
    # space added the first suggestion to the pupil's selection.
    panel = open_session(qtbot, window)
    panel.editor.setCurrentIndex(3)
    before = panel.editor.shortlist.ids()
    reached = tab_through(qtbot, panel.editor.private_notes, 3)
    assert reached == [panel.suggestions.list, panel.suggestions.add_button, panel.suggestions.open_button]
    panel.editor.private_notes.setFocus()
    qtbot.waitUntil(panel.editor.private_notes.hasFocus)
    qtbot.keyClick(panel.editor.private_notes, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert panel.editor.shortlist.ids() == before
