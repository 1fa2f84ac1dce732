"""The counselor's main window (a first version: the catalogue table and a search box)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from db.engine import Database
from db.format import format_salary, source_label
from db.search import Criteria, search


class MainWindow(QMainWindow):
    """Window titled "Orientation" listing the catalogue."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
        self.setWindowTitle("Orientation")
        self.search_box = QLineEdit(placeholderText="Rechercher un métier…")
        self.search_box.setAccessibleName("Recherche")
        self.count_label = QLabel()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Métier", "Niveau d'études", "Salaire de début", "Secteur", "Source"])
        layout = QVBoxLayout()
        for widget in (self.search_box, self.count_label, self.table):
            layout.addWidget(widget)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.search_box.textChanged.connect(self.refresh)
        self.resize(1100, 700)
        self.refresh()

    def refresh(self) -> None:
        """Re-run the search with the current text and fill the table."""
        with self.database.read() as session:
            rows = search(session, Criteria(text=self.search_box.text()))
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            values = (row.name, row.level_label or "non précisé", format_salary(row.salary_min, row.salary_max),
                      row.sector_label or "", source_label(row.source_kind))
            for j, value in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(value))
        self.count_label.setText(f"{len(rows)} métiers")
