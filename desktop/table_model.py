"""The métier table: a Qt model over plain :class:`db.catalogue.search_types.MetierRow` values.

The model holds only the rows already fetched. The controller gives it the first page, the
full count and a ``fetch_page(offset, limit)`` callback; the view asks for more pages as the
counselor scrolls (``canFetchMore``/``fetchMore``), so a criteria change costs one page of
rows whatever the size of the catalogue. Sorting is never done here: :meth:`sort` asks the
controller (``sort_requested``) to run the query again in SQL with another order.
"""
from __future__ import annotations

from enum import IntEnum
from functools import lru_cache
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from db.catalogue.format import format_salary, salary_cell, source_label, title_in_form
from db.catalogue.nomenclature import describe_level
from db.catalogue.search_types import MetierRow

FetchPage = Callable[[int, int], list[MetierRow]]
Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    """Columns in display order."""

    TITLE = 0
    LEVEL = 1
    SALARY = 2
    SECTOR = 3
    SOURCE = 4


HEADERS = ("Métier", "Niveau d'études", "Salaire de début", "Secteur", "Source")
# The db.search sort of each column (Criteria.sort).
SORT_KEYS = ("name", "level", "salary", "sector", "source")

SortRole = Qt.ItemDataRole.UserRole  # raw, comparable value of a cell
RowRole = Qt.ItemDataRole.UserRole + 1  # the whole MetierRow of the line

PAGE_SIZE = 200


@lru_cache(maxsize=256)
def _level_text(bac_plus: int | None, label: str | None) -> str:
    return describe_level(bac_plus, label)


def title_for(row: MetierRow, form: str) -> str:
    """The title of ``row`` in the chosen form ("inclusif", "feminin", "masculin")."""
    return title_in_form(row.name, row.label_f, row.label_m, form)


class MetierTableModel(QAbstractTableModel):
    """Rows of the current search, fetched page by page (see the module docstring)."""

    sort_requested = Signal(str, bool)  # db.search sort key, descending

    def __init__(self, parent: QObject | None = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self.title_form = "inclusif"
        self._rows: list[MetierRow] = []
        self._total = 0
        self._fetch: FetchPage | None = None
        self._open_ended = False  # more rows may follow than the total says (a "more than" count)

    # ------------------------------------------------------------------ contents
    def set_rows(self, rows: list[MetierRow], total: int | None = None, fetch_page: FetchPage | None = None,
                 *, exact: bool = True) -> None:
        """Replace the contents with ``rows``, the first of ``total`` matching rows.

        ``fetch_page(offset, limit)`` returns the following rows when the view needs them;
        without it (or when ``total`` is None) ``rows`` is the whole result. ``exact`` false:
        ``total`` is a lower bound, and pages are fetched until one comes back short.
        """
        self.beginResetModel()
        self._rows = list(rows)
        self._total = len(self._rows) if total is None or fetch_page is None else max(total, len(self._rows))
        self._fetch = fetch_page
        self._open_ended = not exact and fetch_page is not None and total is not None
        self.endResetModel()

    def set_fetch(self, fetch_page: FetchPage) -> None:
        """Fetch the following pages with ``fetch_page`` from now on (same rows, another source)."""
        self._fetch = fetch_page

    def rows_fetched(self) -> list[MetierRow]:
        """A copy of the rows fetched so far, in display order."""
        return list(self._rows)

    @property
    def total(self) -> int:
        """How many rows the search matched (fetched or not); a lower bound while not :attr:`exact`."""
        return self._total

    @property
    def exact(self) -> bool:
        """Whether :attr:`total` is the exact number of matching rows."""
        return not self._open_ended

    def row_at(self, row: int) -> MetierRow:
        """The plain row shown on line ``row``."""
        return self._rows[row]

    def set_title_form(self, form: str) -> None:
        """Show titles in ``form`` ("inclusif", "feminin" or "masculin")."""
        if form == self.title_form:
            return
        self.title_form = form
        if self._rows:
            self.dataChanged.emit(self.index(0, Column.TITLE), self.index(len(self._rows) - 1, Column.TITLE))

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        if parent.isValid() or self._fetch is None:
            return False
        return self._open_ended or len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        assert self._fetch is not None
        wanted = self.page_size if self._open_ended else min(self.page_size, self._total - len(self._rows))
        more = self._fetch(len(self._rows), wanted)
        if len(more) < wanted:  # the last page (or the catalogue shrank since the count): stop asking
            self._open_ended = False
            self._total = len(self._rows) + len(more)
        if not more:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self._total = max(self._total, len(self._rows))
        self.endInsertRows()

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text when the cell is too narrow
            if column == Column.SALARY:  # with the figure the cell names "SMIC" for
                return format_salary(row.salary_min, row.salary_max, row.salary_year, row.country)
            return self._title_tooltip(row) if column == Column.TITLE else self._display(row, column)
        if role == SortRole:
            return self._sort_value(row, column)
        if role == RowRole:
            return row
        return None

    def _display(self, row: MetierRow, column: int) -> str | None:
        if column == Column.TITLE:
            return title_for(row, self.title_form)
        if column == Column.LEVEL:
            return _level_text(row.bac_plus, row.level_label)
        if column == Column.SALARY:
            return salary_cell(row.salary_min, row.salary_max, row.salary_year, row.country)
        if column == Column.SECTOR:
            return row.sector_label or "non précisé"
        if column == Column.SOURCE:
            return source_label(row.source_kind)
        return None

    @staticmethod
    def _title_tooltip(row: MetierRow) -> str:
        forms = [f for f in (row.label_f, row.label_m) if f]
        return " / ".join(dict.fromkeys(forms)) if forms else row.name

    @staticmethod
    def _sort_value(row: MetierRow, column: int) -> Any:
        return (row.name, row.bac_plus, row.salary_min, row.sector_label, row.source_kind)[column]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Trier par « {HEADERS[section]} » (cliquer à nouveau pour inverser)"
        if role == Qt.ItemDataRole.InitialSortOrderRole:  # a first click always sorts A→Z, low→high
            return Qt.SortOrder.AscendingOrder
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the rows again in SQL, ordered by ``column`` (never sorted here)."""
        if 0 <= column < len(SORT_KEYS):
            self.sort_requested.emit(SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
