"""The student's shortlist: the métiers kept, each with a short comment edited in place, in an
order the counselor chooses, and a "Comparer" tick on 2 to 4 of them. A métier added while fewer
than :data:`AUTO_COMPARED` are ticked comes ticked: the first three kept are compared unless the
counselor unticks one.

The widget holds plain values (métier id, name, comment); it never reads the database. Métier
names are given by the caller (from the table, the fiche or the suggestions); so are the routes
from the pupil's class (:meth:`Shortlist.set_route_source`): the shortest shows under the name,
all of them in its tooltip.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QApplication, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from db.students.store import MAX_COMPARED, ShortlistItem

if TYPE_CHECKING:
    from db.catalogue.routes import Routes

NAME, COMMENT, COMPARE = 0, 1, 2
AUTO_COMPARED = 3  # a new métier comes ticked "Comparer" while fewer than this are ticked
IdRole = Qt.ItemDataRole.UserRole
NameRole = Qt.ItemDataRole.UserRole + 1
EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)


class Shortlist(QWidget):
    """See the module docstring."""

    changed = Signal()
    compare_requested = Signal(list)  # métier ids, 2 to 4
    open_requested = Signal(str)  # métier id (double-click on its name)
    notice = Signal(str)  # a French warning for the message service

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.read_only = False
        self._return_to: QWidget | None = None  # where the focus goes back after a comment (edit_comment)
        self._routes_of: Callable[[str], Routes | None] | None = None
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Métier", "Commentaire", "Comparer"])
        self.table.setAccessibleName("Sélection de métiers")
        self.table.setAccessibleDescription("F2 ou frappe directe pour écrire un commentaire ; "
                                            "Espace dans la colonne Comparer pour cocher")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COMMENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COMPARE, QHeaderView.ResizeMode.ResizeToContents)
        # Long names wrap on several lines rather than being cut: two "accompagnant/e …" must differ.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel("Aucun métier retenu : « Ajouter à la sélection » depuis la liste des métiers, "
                                  "la fiche ou les suggestions.")
        self.empty_label.setWordWrap(True)
        self.up_button, self.down_button = QPushButton("Monter"), QPushButton("Descendre")
        self.remove_button, self.compare_button = QPushButton("Retirer"), QPushButton("C&omparer")
        for button, name in ((self.up_button, "Monter le métier dans la sélection"),
                             (self.down_button, "Descendre le métier dans la sélection"),
                             (self.remove_button, "Retirer le métier de la sélection"),
                             (self.compare_button, "Comparer les métiers cochés")):
            button.setAccessibleName(name)
        self._lay_out()
        self._connect()
        self._update_buttons()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.compare_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemDelegate().closeEditor.connect(self._editor_closed)
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())
        self.table.cellDoubleClicked.connect(self._double_clicked)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.remove_button.clicked.connect(self.remove_current)
        self.compare_button.clicked.connect(self.request_comparison)

    # ------------------------------------------------------------------ contents
    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """The item at (``row``, ``column``): every row has its three (``_append``, ``move_current``)."""
        item = self.table.item(row, column)
        assert item is not None
        return item

    def set_items(self, entries: list[tuple[str, str, str]], compared: list[str]) -> None:
        """Show ``entries`` ((métier id, name, comment)) with ``compared`` ticked; emits nothing."""
        self._quiet = True
        self.table.setRowCount(0)
        for metier_id, name, comment in entries:
            self._append(metier_id, name, comment, metier_id in compared)
        self._quiet = False
        self._update_buttons()

    def _append(self, metier_id: str, name: str, comment: str, compared: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(IdRole, metier_id)
        name_item.setData(NameRole, name)
        self._show_route(name_item)
        name_item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        comment_item = QTableWidgetItem(comment)
        comment_item.setToolTip("Un mot pour l'élève, imprimé dans le bilan")
        compare_item = QTableWidgetItem()
        compare_item.setCheckState(Qt.CheckState.Checked if compared else Qt.CheckState.Unchecked)
        compare_item.setData(Qt.ItemDataRole.AccessibleTextRole, "comparer")
        for column, item in ((NAME, name_item), (COMMENT, comment_item), (COMPARE, compare_item)):
            self.table.setItem(row, column, item)
        self._apply_flags(row)

    def set_route_source(self, routes_of: Callable[[str], Routes | None] | None) -> None:
        """Show under each name the shortest route ``routes_of(metier_id)`` gives (the open
        pupil's class known), every route in the tooltip; ``None``: names only."""
        self._routes_of = routes_of
        quiet, self._quiet = self._quiet, True  # showing the routes is not an edit of the session
        try:
            for row in range(self.table.rowCount()):
                self._show_route(self._cell(row, NAME))
        finally:
            self._quiet = quiet

    def _show_route(self, item: QTableWidgetItem) -> None:
        name = str(item.data(NameRole))
        routes = self._routes_of(str(item.data(IdRole))) if self._routes_of is not None else None
        shortest = routes.routes[0].brief() if routes is not None and routes.routes else ""
        item.setText(f"{name}\n↳ {shortest}" if shortest else name)
        item.setToolTip("\n".join([name, *routes.lines()]) if routes is not None else name)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, parcours : {shortest}" if shortest else name)

    def add(self, metier_id: str, name: str) -> bool:
        """Append a métier (False, and nothing changes, when it is already there), ticked
        "Comparer" while fewer than :data:`AUTO_COMPARED` are ticked."""
        if self.read_only or metier_id in self.ids():
            return False
        self._quiet = True
        self._append(metier_id, name, "", len(self.compared()) < AUTO_COMPARED)
        self._quiet = False
        self.table.setCurrentCell(self.table.rowCount() - 1, COMMENT)
        self._update_buttons()
        self.changed.emit()
        return True

    def ids(self) -> list[str]:
        """Métier ids in shortlist order."""
        return [self._cell(row, NAME).data(IdRole) for row in range(self.table.rowCount())]

    def entries(self) -> list[ShortlistItem]:
        """The shortlist as saved (comments trimmed by ``db``)."""
        return [ShortlistItem(self._cell(row, NAME).data(IdRole), self._cell(row, COMMENT).text())
                for row in range(self.table.rowCount())]

    def compared(self) -> list[str]:
        """Ids of the métiers ticked "Comparer", in shortlist order."""
        return [self._cell(row, NAME).data(IdRole) for row in range(self.table.rowCount())
                if self._cell(row, COMPARE).checkState() == Qt.CheckState.Checked]

    def set_comment(self, metier_id: str, comment: str) -> None:
        """Set the comment of ``metier_id`` as if typed (emits ``changed``)."""
        self._cell(self.ids().index(metier_id), COMMENT).setText(comment)

    def set_compared(self, metier_id: str, compared: bool) -> None:
        """Tick or untick "Comparer" as if clicked."""
        state = Qt.CheckState.Checked if compared else Qt.CheckState.Unchecked
        self._cell(self.ids().index(metier_id), COMPARE).setCheckState(state)

    # ------------------------------------------------------------------ editing
    def edit_comment(self, metier_id: str, return_to: QWidget | None = None) -> None:
        """Open the comment of ``metier_id`` for typing, the cursor in it; when the edit ends
        (Entrée or Échap), the focus goes back to ``return_to`` (where the métier was kept from)."""
        if self.read_only or metier_id not in self.ids():
            return
        row = self.ids().index(metier_id)
        self.table.setCurrentCell(row, COMMENT)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._return_to = return_to
        self.table.editItem(self._cell(row, COMMENT))

    def finish_comment(self) -> QWidget | None:
        """When a comment is being typed: keep it, close its editor and give where the métier was
        kept from (see :meth:`edit_comment`); else None and nothing changes."""
        editor = QApplication.focusWidget()
        if self.table.state() != QAbstractItemView.State.EditingState or editor is None \
                or not self.table.isAncestorOf(editor):
            return None
        target, self._return_to = self._return_to, None
        self.table.commitData(editor)
        self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return target

    def _editor_closed(self, _editor: QWidget, _hint: QAbstractItemDelegate.EndEditHint) -> None:
        target, self._return_to = self._return_to, None
        if target is not None and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def move_current(self, step: int) -> None:
        """Move the current métier up (−1) or down (+1)."""
        row, column = self.table.currentRow(), max(self.table.currentColumn(), 0)
        target = row + step
        if self.read_only or row < 0 or not 0 <= target < self.table.rowCount():
            return
        self._quiet = True
        items = [self.table.takeItem(row, c) for c in range(3)]
        self.table.removeRow(row)
        self.table.insertRow(target)
        for c, item in enumerate(items):
            self.table.setItem(target, c, item)
        self._quiet = False
        self.table.setCurrentCell(target, column)
        self.changed.emit()

    def remove_current(self) -> None:
        """Take the current métier out of the shortlist."""
        row = self.table.currentRow()
        if self.read_only or row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount():
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), NAME)
        self._update_buttons()
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        """Show the shortlist without letting it change (a past session)."""
        self.read_only = read_only
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only else EDIT_TRIGGERS)
        self._quiet = True
        for row in range(self.table.rowCount()):
            self._apply_flags(row)
        self._quiet = False
        self._update_buttons()

    def _apply_flags(self, row: int) -> None:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        self._cell(row, COMMENT).setFlags(base if self.read_only else base | Qt.ItemFlag.ItemIsEditable)
        self._cell(row, COMPARE).setFlags(base if self.read_only else base | Qt.ItemFlag.ItemIsUserCheckable)

    def _update_buttons(self) -> None:
        row, rows = self.table.currentRow(), self.table.rowCount()
        editable = not self.read_only and row >= 0
        self.up_button.setEnabled(editable and row > 0)
        self.down_button.setEnabled(editable and row < rows - 1)
        self.remove_button.setEnabled(editable)
        self.compare_button.setEnabled(rows >= 2)
        self.empty_label.setVisible(rows == 0)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._quiet:
            return
        if item.column() == COMPARE and item.checkState() == Qt.CheckState.Checked \
                and len(self.compared()) > MAX_COMPARED:
            self._quiet = True
            item.setCheckState(Qt.CheckState.Unchecked)
            self._quiet = False
            self.notice.emit(f"on compare au plus {MAX_COMPARED} métiers : décochez-en un d'abord.")
            return
        self.changed.emit()

    def _double_clicked(self, row: int, column: int) -> None:
        if column == NAME:
            self.open_requested.emit(self._cell(row, NAME).data(IdRole))

    def request_comparison(self) -> None:
        """Ask to compare the ticked métiers (``compare_requested``), or say how to tick them."""
        ids = self.compared()  # the ticks are saved with the session and printed in the bilan
        if len(ids) < 2:
            self.notice.emit("cochez « Comparer » sur 2 à 4 métiers de la sélection.")
            return
        self.compare_requested.emit(ids)
