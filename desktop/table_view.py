"""The métier table view: whole-row selection, sorting through the model, Enter opens the fiche."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.table_model import Column


# Typical content of each column but the title (which takes the rest, at least TITLE_MIN px).
# The salary is read aloud: its longest usual form always fits.
COLUMN_SAMPLES = {Column.LEVEL: "CAP ou équivalent", Column.SALARY: "à partir de 1 802 €",
                  Column.SECTOR: "Commerce et distribution", Column.SOURCE: "Fiche du projet"}
# The longest usual values, given when the title still gets TITLE_COMFORT px beside them.
WIDE_SAMPLES = {Column.LEVEL: "diplôme national du brevet", Column.SECTOR: "Comptabilité, gestion, ressources"}
TITLE_COMFORT = 300
TITLE_MIN = 220  # "administrateur/trice de réseaux" and most titles read whole
CELL_PADDING = 20  # text margins and the sort arrow


class MetierTableView(QTableView):
    """Arrows move, Enter/Return (or a double-click, or a click) asks to open the fiche."""

    open_requested = Signal(QModelIndex)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Liste des métiers")
        self.setAccessibleDescription("Flèches pour se déplacer, la fiche suit ; Ctrl+D ajoute le métier "
                                      "à la sélection de l'élève ; clic sur un en-tête pour trier")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table, as everywhere else
        self.verticalHeader().hide()
        self.doubleClicked.connect(self.open_requested)
        self.clicked.connect(self.open_requested)

    def setModel(self, model) -> None:
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give each column room for its usual content; the title takes the rest.

        When the table is narrow the sector, then the source, give way (they are elided), so
        the title, the level and the salary stay readable; narrower still (the student panel
        open on a small screen), the source column, then the sector column, are hidden: the
        fiche names both, and the title must stay readable.
        """
        # The vertical scroll bar's room is always kept: it comes and goes with the rows.
        width = self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        metrics = self.fontMetrics()
        widths = {column: metrics.horizontalAdvance(text) + CELL_PADDING for column, text in COLUMN_SAMPLES.items()}
        for column in (Column.LEVEL, Column.SECTOR):  # room to spare: the longest values fit too
            wide = metrics.horizontalAdvance(WIDE_SAMPLES[column]) + CELL_PADDING
            if width - sum(widths.values()) - (wide - widths[column]) >= TITLE_COMFORT:
                widths[column] = wide
        for column, narrowest in ((Column.SECTOR, "Commerce"), (Column.SOURCE, "Onisep")):
            room = width - sum(widths.values()) - TITLE_MIN
            if room < 0:
                widths[column] = max(metrics.horizontalAdvance(narrowest) + CELL_PADDING, widths[column] + room)
        for column in (Column.SOURCE, Column.SECTOR):
            hide = width - sum(widths.values()) < TITLE_MIN
            self.setColumnHidden(column, hide)
            if hide:
                del widths[column]
        header = self.horizontalHeader()
        for column, size in widths.items():
            header.resizeSection(column, size)
        header.resizeSection(Column.TITLE, max(TITLE_MIN // 2, width - sum(widths.values())))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)
