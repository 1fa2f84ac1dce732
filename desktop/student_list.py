"""The list of students: search by name (accents and case ignored, in SQL through
:func:`db.students.store.find_students`), most recently seen first; Entrée or a double-click opens one.

The list is a model/view pair fetched page by page as the counselor scrolls (like the catalogue's
table): a caseload of 10,000 pupils costs one page of rows, read through the index on the last
session's date, not 10,000 list items built on the GUI thread.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QListView, QPushButton, QVBoxLayout, QWidget

from db.storage.engine import Database
from db.catalogue.format import french_date
from db.errors import UserError
from db.students.store import StudentInfo, count_students, find_students, get_student

PAGE_SIZE = 100  # students read at once; the next page comes when the list is scrolled to its end

SEARCH_DELAY_MS = 150
StudentRole = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


def student_line(info: StudentInfo) -> str:
    """ "Zoé Martin — 3e B\ndernier entretien : 20 novembre 2026" """
    first = info.full_name + (f" — {info.classe}" if info.classe else "")
    seen = f"dernier entretien : {french_date(info.last_session_on)}" if info.last_session_on else "aucun entretien"
    return f"{first}\n{seen}"


class StudentListModel(QAbstractListModel):
    """The students found, fetched ``page_size`` at a time (``canFetchMore``/``fetchMore``).

    A pinned student (one just created or asked for) comes first even when the order would put it
    pages away; it is not listed a second time when its page arrives."""

    def __init__(self, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.rows: list[StudentInfo] = []
        self._total = 0  # matching students in the order's pages (the pinned one aside)
        self._read = 0  # how many of them were fetched
        self._fetch: Callable[[int, int], list[StudentInfo]] | None = None

    def reset_rows(self, rows: list[StudentInfo], total: int, read: int,
                   fetch: Callable[[int, int], list[StudentInfo]]) -> None:
        """Show ``rows`` (the first page, a pinned student first) of ``total``; ``fetch(offset,
        limit)`` gives the next pages, ``read`` being how many of the order's rows are in ``rows``."""
        self.beginResetModel()
        self.rows, self._total, self._read, self._fetch = rows, total, read, fetch
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._fetch is not None and self._read < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        assert self._fetch is not None
        page = self._fetch(self._read, self.page_size)
        if not page:  # fewer students than counted (one was erased meanwhile): stop asking
            self._total = self._read
            return
        self._read += len(page)
        shown = {info.id for info in self.rows}
        new = [info for info in page if info.id not in shown]
        if new:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(new) - 1)
            self.rows.extend(new)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        info = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return student_line(info)
        if role == StudentRole:
            return info.id
        return None

    def row_of(self, student_id: int | None) -> int | None:
        """The row showing ``student_id`` among those fetched, if any."""
        return next((row for row, info in enumerate(self.rows) if info.id == student_id), None)


class _List(QListView):
    """Enter opens the current student, as in the métier table."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class StudentList(QWidget):
    """Search box, the students found, "Nouvel élève…" and "Ouvrir"."""

    open_requested = Signal(int)  # student id
    new_requested = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.model = StudentListModel(self)
        self.search_box = QLineEdit(placeholderText="Nom ou prénom de l'élève")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Rechercher un élève")
        self.list = _List()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)  # every line is two lines high: no measuring of each row
        self.list.setAccessibleName("Élèves")
        self.list.setAccessibleDescription("Les plus récemment vus d'abord ; Entrée pour ouvrir")
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.new_button = QPushButton("&Nouvel élève…")
        self.open_button = QPushButton("&Ouvrir")
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._lay_out()
        self._connect()
        self.refresh()

    def _lay_out(self) -> None:
        title = QLabel("Rechercher un élève")
        title.setBuddy(self.search_box)
        title.setStyleSheet("font-weight: bold;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(title)
        layout.addWidget(self.search_box)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)

    @property
    def students(self) -> list[StudentInfo]:
        """The students listed so far (the next pages come as the list is scrolled)."""
        return self.model.rows

    def _connect(self) -> None:
        self.search_box.textChanged.connect(lambda: self._timer.start())
        self._timer.timeout.connect(self.refresh)
        self.search_box.returnPressed.connect(self._open_first)
        self.list.activated.connect(self._open)
        self.list.enter_pressed.connect(lambda: self._open(self.list.currentIndex()))
        self.list.selectionModel().currentChanged.connect(
            lambda index, _old: self.open_button.setEnabled(index.isValid()))
        self.open_button.clicked.connect(lambda: self._open(self.list.currentIndex()))
        self.new_button.clicked.connect(self.new_requested)

    def refresh(self, select_id: int | None = None) -> None:
        """Run the search again (after a change), keeping or moving to ``select_id``."""
        self._timer.stop()
        current = select_id if select_id is not None else self.current_id()
        text = self.search_box.text()
        database = self.database

        def fetch(offset: int, limit: int) -> list[StudentInfo]:
            with database.read() as session:
                return find_students(session, text, limit=limit, offset=offset)

        with database.read() as session:
            rows = find_students(session, text, limit=self.model.page_size)
            total = count_students(session, text) if len(rows) == self.model.page_size else len(rows)
            read = len(rows)
            if select_id is not None and select_id not in {info.id for info in rows}:
                try:  # the student asked for (just created) is in view, first, even pages away
                    rows.insert(0, get_student(session, select_id))
                except UserError:
                    pass  # erased meanwhile
        self.model.reset_rows(rows, total, read, fetch)
        row = self.model.row_of(current)
        if row is not None:
            self.list.setCurrentIndex(self.model.index(row))
        self.open_button.setEnabled(self.list.currentIndex().isValid())
        searching = bool(text.strip())
        self.empty_label.setText("" if rows else (
            "Aucun élève ne porte ce nom : Entrée ouvre « Nouvel élève » (prénom, nom et classe repris)."
            if searching else "Aucun élève pour l'instant : « Nouvel élève… »."))
        self.empty_label.setVisible(not rows)

    def current_id(self) -> int | None:
        """Id of the highlighted student, if any."""
        index = self.list.currentIndex()
        return index.data(StudentRole) if index.isValid() else None

    def _open_first(self) -> None:
        """Entrée in the search: open the highlighted (else first) student found; when none is
        found, the "Nouvel élève" form for what was typed ("Zoé Martin 3e B")."""
        self.refresh()
        if self.model.rows:
            index = self.list.currentIndex()
            self._open(index if index.isValid() else self.model.index(0))
        elif self.search_box.text().strip():
            self.new_requested.emit()

    def _open(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(StudentRole))
