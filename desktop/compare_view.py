"""The comparison of 2–4 métiers side by side (:func:`db.catalogue.compare.compare`), shown in the
main window in place of the fiche (the session stays in sight, the keys keep working): one column
per métier, one row per criterion. Échap or "Revenir à la fiche" shows the fiche again, as does
any fiche opened."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the data module loads with the database layer, after the first paint
    from db.students.report_data import Comparison


class _Table(QTableWidget):
    """Échap leaves the comparison (a table would otherwise ignore it)."""

    escape_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CompareView(QWidget):
    """Shows one :class:`~db.students.report_data.Comparison`; ``closed`` when the counselor leaves it."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.table = _Table(0, 0)
        self.table.setAccessibleName("Comparaison des métiers")
        self.table.setAccessibleDescription("Une colonne par métier ; Échap revient à la fiche")
        self.table.horizontalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.back_button = QPushButton("Revenir à la fiche")
        self.back_button.setAccessibleName("Fermer la comparaison et revenir à la fiche")
        self.back_button.setToolTip("Échap")
        self.back_button.clicked.connect(self.closed)
        self.table.escape_pressed.connect(self.closed)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.table, 1)

    def show_comparison(self, comparison: Comparison, student_name: str) -> None:
        """Fill the table with ``comparison`` (the métier names in a first row: a header does not wrap)."""
        self.comparison = comparison
        self.title.setText(f"Comparaison des métiers — {student_name}" if student_name else "Comparaison des métiers")
        self.table.clear()
        self.table.setRowCount(len(comparison.rows) + 1)
        self.table.setColumnCount(len(comparison.titles))
        self.table.setVerticalHeaderLabels(["Métier", *(row.criterion for row in comparison.rows)])
        bold = QFont(self.font())
        bold.setBold(True)
        for c, title in enumerate(comparison.titles):
            item = QTableWidgetItem(title)
            item.setFont(bold)
            self.table.setItem(0, c, item)
        for r, row in enumerate(comparison.rows, start=1):
            for c, value in enumerate(row.values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{comparison.titles[c]}, {row.criterion} : {value}")
                self.table.setItem(r, c, item)

    def text(self) -> str:
        """The table as lines "criterion : value | value", for tests and screen readers."""
        if self.comparison is None:
            return ""
        return "\n".join(f"{row.criterion} : {' | '.join(row.values)}" for row in self.comparison.rows)
