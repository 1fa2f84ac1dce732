"""The list of students: search by name (accents and case ignored, in SQL through
:func:`db.students.store.find_students`), most recently seen first; Entrée or a double-click opens one."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QVBoxLayout, QWidget)

from db.storage.engine import Database
from db.catalogue.format import french_date
from db.errors import UserError
from db.students.store import StudentInfo, count_students, find_students, get_student

LIST_LIMIT = 200  # students listed at once (most recently seen first)

SEARCH_DELAY_MS = 150
StudentRole = Qt.ItemDataRole.UserRole


def student_line(info: StudentInfo) -> str:
    """ "Zoé Martin — 3e B\\ndernier entretien : 20 novembre 2026" """
    first = info.full_name + (f" — {info.classe}" if info.classe else "")
    seen = f"dernier entretien : {french_date(info.last_session_on)}" if info.last_session_on else "aucun entretien"
    return f"{first}\n{seen}"


class _List(QListWidget):
    """Enter opens the current student, as in the métier table."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
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
        self.students: list[StudentInfo] = []
        self.search_box = QLineEdit(placeholderText="Nom ou prénom de l'élève")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Rechercher un élève")
        self.list = _List()
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

    def _connect(self) -> None:
        self.search_box.textChanged.connect(lambda: self._timer.start())
        self._timer.timeout.connect(self.refresh)
        self.search_box.returnPressed.connect(self._open_first)
        self.list.itemActivated.connect(lambda item: self._open(item))
        self.list.enter_pressed.connect(lambda: self._open(self.list.currentItem()))
        self.list.currentItemChanged.connect(lambda item, _old: self.open_button.setEnabled(item is not None))
        self.open_button.clicked.connect(lambda: self._open(self.list.currentItem()))
        self.new_button.clicked.connect(self.new_requested)

    def refresh(self, select_id: int | None = None) -> None:
        """Run the search again (after a change), keeping or moving to ``select_id``."""
        self._timer.stop()
        current = select_id if select_id is not None else self.current_id()
        text = self.search_box.text()
        with self.database.read() as session:
            # A bounded page: a caseload of 10,000 pupils must not freeze the window; the rest
            # is reached by typing part of a name.
            self.students = find_students(session, text, limit=LIST_LIMIT)
            more = count_students(session, text) - len(self.students) if len(self.students) == LIST_LIMIT else 0
            if select_id is not None and select_id not in {info.id for info in self.students}:
                try:  # the student asked for (just created) is in view, first, even beyond the page
                    self.students.insert(0, get_student(session, select_id))
                except UserError:
                    pass  # erased meanwhile
        self.list.clear()
        for info in self.students:
            item = QListWidgetItem(student_line(info))
            item.setData(StudentRole, info.id)
            self.list.addItem(item)
            if info.id == current:
                self.list.setCurrentItem(item)
        if more > 0:
            hint = QListWidgetItem(f"… et {more} autres élèves : tapez une partie du nom pour les trouver.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(hint)
        self.open_button.setEnabled(self.list.currentItem() is not None)
        searching = bool(self.search_box.text().strip())
        self.empty_label.setText("" if self.students else (
            "Aucun élève ne porte ce nom." if searching else "Aucun élève pour l'instant : « Nouvel élève… »."))
        self.empty_label.setVisible(not self.students)

    def current_id(self) -> int | None:
        """Id of the highlighted student, if any."""
        item = self.list.currentItem()
        return item.data(StudentRole) if item is not None else None

    def _open_first(self) -> None:
        self.refresh()
        if self.list.count():
            self._open(self.list.currentItem() or self.list.item(0))

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.open_requested.emit(item.data(StudentRole))
