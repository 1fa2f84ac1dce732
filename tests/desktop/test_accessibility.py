"""What a screen reader gets from the main window with a student open and the catalogue filtered:
every interactive control in the accessibility tree has a name; the table answers with the text
of its cells; the fiche and the suggestions can be read."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface

from tests.desktop.conftest import wait_ids
from tests.desktop.students_helpers import CARE, add_from_table, create_student, tick, wait_suggestions

Role = QAccessible.Role
INTERACTIVE = {Role.PushButton, Role.CheckBox, Role.RadioButton, Role.ComboBox, Role.SpinBox, Role.EditableText,
               Role.List, Role.Table, Role.Tree, Role.PageTabList, Role.Slider, Role.ButtonMenu,
               Role.ButtonDropDown, Role.Link, Role.ScrollBar}
MAX_DEPTH = 40


def walk(node: QAccessibleInterface, depth: int = 0):  # type: ignore[no-untyped-def]
    """Every interface under ``node`` that is visible (items of lists and tables excluded: they are
    named by their text, checked through the model)."""
    if node is None or not node.isValid() or depth > MAX_DEPTH:
        return
    if node.state().invisible:
        return
    yield node
    if node.role() in (Role.List, Role.Table, Role.Tree, Role.ScrollBar):
        return
    for i in range(node.childCount()):
        yield from walk(node.child(i), depth + 1)


def describe(node: QAccessibleInterface) -> str:
    widget = node.object()
    return f"{node.role().name} {type(widget).__name__} {getattr(widget, 'objectName', lambda: '')()}"


def open_session_and_filter(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    create_student(qtbot, window, "Martin", "Zoé")
    add_from_table(window, "ORI.aide-soignant")
    tick(window, CARE)
    wait_suggestions(qtbot, window)
    window.filters.search_box.setText("aide")
    wait_ids(qtbot, window, {"ORI.aide-soignant"})
    window.open_fiche("ORI.aide-soignant")
    QCoreApplication.processEvents()


def test_every_interactive_control_in_the_accessibility_tree_has_a_name(qtbot, window):
    open_session_and_filter(qtbot, window)
    root = QAccessible.queryAccessibleInterface(window)
    nodes = list(walk(root))
    assert len(nodes) > 50  # the walk reached the panels, not only the window frame
    nameless = [describe(n) for n in nodes if n.role() in INTERACTIVE and not n.text(QAccessible.Text.Name).strip()]
    assert nameless == []
    names = {n.text(QAccessible.Text.Name) for n in nodes}
    for expected in ("Recherche par texte", "Métiers suggérés", "Fiche métier", "Enregistrer l'entretien"):
        assert expected in names, expected


def test_the_table_cells_read_as_their_text(qtbot, window):
    open_session_and_filter(qtbot, window)
    index = window.model.index(0, 1)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == index.data(Qt.ItemDataRole.DisplayRole)
    table = QAccessible.queryAccessibleInterface(window.table)
    cells = {table.child(i).text(QAccessible.Text.Name) for i in range(table.childCount())}
    assert window.model.index(0, 0).data() in cells and window.model.index(0, 2).data() in cells
