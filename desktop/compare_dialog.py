"""The comparison of 2–4 métiers side by side (:func:`db.catalogue.compare.compare`), in a window that does
not block the rest of the application: one column per métier, one row per criterion."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHeaderView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from db.students.report_data import Comparison
from desktop.common_widgets import close_buttons


class CompareDialog(QDialog):
    """Shows one :class:`~db.students.report_data.Comparison`."""

    def __init__(self, comparison: Comparison, student_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Comparaison des métiers — {student_name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.comparison = comparison
        # The métier names go in a first row rather than the header: a header does not wrap, a cell does.
        self.table = QTableWidget(len(comparison.rows) + 1, len(comparison.titles))
        self.table.setAccessibleName("Comparaison des métiers")
        self.table.horizontalHeader().hide()
        self.table.setVerticalHeaderLabels(["Métier", *(row.criterion for row in comparison.rows)])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
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
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(260 + 220 * len(comparison.titles), 520)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # As tall as the table once its rows have wrapped to the real width (within the screen).
        rows = self.table.verticalHeader().length() + 2 * self.table.frameWidth()
        wanted = self.height() - self.table.height() + rows
        self.resize(self.width(), min(wanted, self.screen().availableGeometry().height() - 80))

    def text(self) -> str:
        """The table as lines "criterion : value | value", for tests and screen readers."""
        return "\n".join(f"{row.criterion} : {' | '.join(row.values)}" for row in self.comparison.rows)
