"""« Année › Statistiques d'activité… »: the anonymous tables of a school year in a window.

The figures are those of ``orientation stats`` (:mod:`db.students.stats`, printed by
:func:`reports.stats_export.table_grid`: "< 5" and "n.c." as such). A year closed by a year
change shows the tables archived then (its sessions may since have been erased). Only counts
and labels are shown: no name, no id, no free text.
"""
from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel,
                               QScrollArea, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from db.storage.engine import Database
from db.students.store import school_year
from reports.stats_charts import Chart

Grid = list[list[str]]
YEARS_BACK = 3  # school years offered before the current one


def year_tables(database: Database, year: str) -> tuple[str, list[tuple[str, Grid, str]], list[Chart] | None]:
    """The period line, the (title, grid, note) of each table of ``year`` and its charts (those
    the statistics PDF draws): the archive when the year was closed by a year change (its tables
    only: charts None), else computed now, once for both."""
    from db.students.stats import activity_stats, period_from
    from db.students.year_change import archived_statistics
    from reports.stats_charts import stats_charts
    from reports.stats_export import table_grid

    with database.read() as session:
        archived = archived_statistics(session, year)
        if archived is None:
            start, end = period_from(year, None, None, date.today())
            stats = activity_stats(session, start, end)
            return stats.period, [(t.title, table_grid(t), t.note) for t in stats.tables], stats_charts(stats)
    document = json.loads(archived)
    period = f"{year} (archivées au changement d'année)"
    tables = [(t.get("titre", ""), t.get("grille", []), t.get("note", "")) for t in document.get("tableaux", [])]
    return period, tables, None


def offered_years(database: Database, today: date | None = None) -> list[str]:
    """The current school year, the previous ones, and any archived year, latest first."""
    from db.students.year_change import archived_years

    current = int(school_year(today or date.today())[:4])
    years = {f"{y}-{y + 1}" for y in range(current - YEARS_BACK, current + 1)}
    with database.read() as session:
        years.update(archived_years(session))
    return sorted(years, reverse=True)


class StatsDialog(QDialog):
    """A year chooser, the legend, one tab per table."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        from reports.stats_export import LEGEND

        super().__init__(parent)
        self.database = database
        self.setWindowTitle("Statistiques d'activité (anonymes)")
        self.year = QComboBox()
        self.year.setAccessibleName("Année scolaire")
        self.year.addItems(offered_years(database))
        self.period = QLabel()
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        self.tabs = QTabWidget()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Année scolaire :"))
        top.addWidget(self.year)
        top.addWidget(self.period, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(legend)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.year.currentTextChanged.connect(self.show_year)
        self.show_year(self.year.currentText())

    def show_year(self, year: str) -> None:
        """Read and show the tables of ``year``."""
        period, tables, charts = year_tables(self.database, year)
        self.period.setText(period)
        self.tabs.clear()
        if charts:  # the PDF's charts, drawn in the window from the same values
            self.tabs.addTab(_charts_widget(charts), "Graphiques")
        for title, grid, note in tables:
            self.tabs.addTab(_table_widget(grid, note), title)

    def tab_cells(self, index: int) -> Grid:
        """The cells shown in tab ``index`` (header first), as the counselor reads them."""
        page = self.tabs.widget(index)
        table = page.findChild(QTableWidget) if page is not None else None
        if table is None:
            return []

        def text(item: QTableWidgetItem | None) -> str:
            return item.text() if item is not None else ""

        header = [text(table.horizontalHeaderItem(c)) for c in range(table.columnCount())]
        return [header, *[[text(table.item(r, c)) for c in range(table.columnCount())]
                          for r in range(table.rowCount())]]


def _charts_widget(charts: list[Chart]) -> QWidget:
    """The charts, scrollable: the months across, the others two by two side by side."""
    from desktop.bar_chart import BarChart

    page = QWidget()
    layout = QGridLayout(page)
    row = 0
    for chart in charts:
        if not chart.horizontal:
            layout.addWidget(BarChart(chart), row, 0, 1, 2)
            row += 1
    for index, chart in enumerate(c for c in charts if c.horizontal):
        layout.addWidget(BarChart(chart), row + index // 2, index % 2, Qt.AlignmentFlag.AlignTop)
    layout.setRowStretch(layout.rowCount(), 1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    scroll.setAccessibleName("Graphiques")
    scroll.setAccessibleDescription("Les mêmes chiffres que les onglets suivants, en tableaux")
    return scroll


def _table_widget(grid: Grid, note: str) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    if len(grid) <= 1:
        layout.addWidget(QLabel("Aucune donnée à publier pour cette période."))
        layout.addStretch(1)
        return page
    table = QTableWidget(len(grid) - 1, len(grid[0]))
    table.setHorizontalHeaderLabels(grid[0])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, line in enumerate(grid[1:]):
        for c, value in enumerate(line):
            item = QTableWidgetItem(value)
            if c > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    layout.addWidget(table)
    if note:
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
    return page
