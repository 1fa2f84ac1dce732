"""« Suivi de l'année »: the caseload window (menu « Année »).

Students by school and class with the caseload filters, the counts per class, the upcoming
milestones; double-click (or Entrée) opens the student in the main window's Élève panel.
Every figure comes from :mod:`db.students.caseload` (the ``orientation students list`` options
read the same functions); this module only shows them.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QMainWindow, QMenu,
                               QPushButton, QSpinBox, QSplitter, QTableView, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from db.catalogue.format import french_date
from db.errors import UserError
from db.storage.engine import Database
from db.students.caseload import (CaseloadFilter, CaseloadRow, caseload, class_counts, record_bilan_given,
                                  reminder_lines, schools)

Index = QModelIndex | QPersistentModelIndex
ALL = "Tous les établissements"
REMINDER_DAYS = 14  # milestones due this close are recalled at start-up
HEADERS = ("Élève", "Classe", "Établissement", "Dernier entretien", "Bilan remis")
COUNT_HEADERS = ("Établissement", "Classe", "Élèves", "Pas vus", "Sans entretien", "Sans métier", "Bilan non remis")


class CaseloadModel(QAbstractTableModel):
    """The listed students (read-only)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CaseloadRow] = []

    def reset(self, rows: list[CaseloadRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self.rows[index.row()]
        info = row.info
        values = (f"{info.nom} {info.prenom}", info.classe or "—", info.etablissement or "—",
                  french_date(info.last_session_on) if info.last_session_on else "jamais",
                  french_date(row.bilan_given_on) if row.bilan_given_on else "non")
        return values[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


class CaseloadWindow(QMainWindow):
    """The caseload with its filters. ``open_student`` is called with a student id on double-click."""

    def __init__(self, database: Database, open_student: Callable[[int], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Suivi de l'année — Orientation")
        self.database, self.open_student = database, open_student
        self.model = CaseloadModel()
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.reminders = QLabel()
        self.reminders.setWordWrap(True)
        self.reminders.setStyleSheet("font-weight: bold")
        self.school = QComboBox()
        self.not_seen = QCheckBox("Pas vu·e depuis")
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(60)
        self.days.setSuffix(" jours")
        self.no_session = QCheckBox("Aucun entretien")
        self.no_shortlist = QCheckBox("Aucun métier retenu")
        self.no_bilan = QCheckBox("Bilan non remis")
        self.given_button = QPushButton("Bilan remis aujourd'hui")
        self.given_button.setToolTip("Noter que le bilan de l'élève sélectionné lui a été remis aujourd'hui")
        filters = QHBoxLayout()
        for widget in (QLabel("Établissement :"), self.school, self.not_seen, self.days, self.no_session,
                       self.no_shortlist, self.no_bilan):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.given_button)
        self.counts = QTableWidget(0, len(COUNT_HEADERS))
        self.counts.setHorizontalHeaderLabels(COUNT_HEADERS)
        self.counts.verticalHeader().hide()
        self.counts.setWordWrap(False)
        self.counts.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.summary = QLabel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.table)
        split = QSplitter()
        split.addWidget(self.counts)
        split.addWidget(right)
        split.setSizes([660, 620])
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.reminders)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        self.setCentralWidget(body)
        self.statusBar().showMessage("Double-clic ou Entrée : ouvrir l'élève — "
                                     "clic sur une classe : n'afficher qu'elle")
        self._fill_schools()
        self._connect()

    def _connect(self) -> None:
        for box in (self.not_seen, self.no_session, self.no_shortlist, self.no_bilan):
            box.toggled.connect(self.refresh)
        self.days.valueChanged.connect(self.refresh)
        self.school.currentIndexChanged.connect(self._school_changed)
        self.counts.cellClicked.connect(lambda row, _col: self.refresh())
        self.table.activated.connect(self._open)
        self.given_button.clicked.connect(self.mark_given)

    def _school_changed(self) -> None:
        self.counts.setCurrentCell(-1, -1)  # another school: every class of it
        self.refresh()

    def _fill_schools(self) -> None:
        with self.database.read() as session:
            names = schools(session)
        self.school.addItems([ALL, *names])

    def current_filter(self) -> CaseloadFilter:
        """The filter the widgets show (the class picked in the counts table, if any)."""
        school = self.school.currentText()
        classe = None
        picked = self.counts.currentRow()
        school_item, class_item = self.counts.item(picked, 0), self.counts.item(picked, 1)
        if picked >= 0 and school_item is not None and class_item is not None:
            school, classe = school_item.text(), class_item.text()
        return CaseloadFilter(etablissement=None if school == ALL else school, classe=classe,
                              not_seen_days=self.days.value() if self.not_seen.isChecked() else None,
                              no_session=self.no_session.isChecked(), no_shortlist=self.no_shortlist.isChecked(),
                              bilan_not_given=self.no_bilan.isChecked())

    def refresh(self) -> None:
        """Read the list, the counts and the reminders again."""
        filt = self.current_filter()
        school = self.school.currentText()
        scope = CaseloadFilter(etablissement=None if school == ALL else school, not_seen_days=filt.not_seen_days)
        with self.database.read() as session:
            rows = caseload(session, filt)
            counts = class_counts(session, scope)
            reminders = reminder_lines(session)
        self.model.reset(rows)
        self._show_counts(counts, filt)
        where = f" — {filt.etablissement} · {filt.classe}" if filt.classe else ""
        self.summary.setText(f"{len(rows)} élève(s){where}")
        self.reminders.setText("\n".join(reminders) or "Aucune échéance dans les 14 prochains jours.")

    def _show_counts(self, counts: list, filt: CaseloadFilter) -> None:  # type: ignore[type-arg]
        self.counts.blockSignals(True)
        self.counts.setRowCount(len(counts))
        picked = -1
        for row, c in enumerate(counts):
            seen = str(c.not_seen) if filt.not_seen_days is not None else "—"
            for col, value in enumerate((c.etablissement, c.classe, str(c.students), seen, str(c.no_session),
                                         str(c.no_shortlist), str(c.bilan_not_given))):
                item = QTableWidgetItem(value)
                if col >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(row, col, item)
            if filt.classe == c.classe and filt.etablissement == c.etablissement:
                picked = row
        if picked >= 0:
            self.counts.setCurrentCell(picked, 0)
        else:
            self.counts.clearSelection()
            self.counts.setCurrentCell(-1, -1)
        self.counts.blockSignals(False)

    def selected_id(self) -> int | None:
        """The student of the current row, or None."""
        index = self.table.currentIndex()
        return self.model.rows[index.row()].info.id if index.isValid() else None

    def mark_given(self) -> None:
        """Record today's handover for the selected student (a French sentence when none is)."""
        student_id = self.selected_id()
        if student_id is None:
            self.statusBar().showMessage("Sélectionnez d'abord un élève dans la liste.")
            return
        try:
            record_bilan_given(self.database, student_id)
        except UserError as exc:
            self.statusBar().showMessage(str(exc))
            return
        self.refresh()
        self.statusBar().showMessage("Bilan noté comme remis aujourd'hui.")

    def _open(self, index: Index) -> None:
        self.open_student(self.model.rows[index.row()].info.id)


def install_year_menu(window: Any, database: Database) -> QMenu:
    """Add the « Année » menu (« Suivi de l'année… ») to the main window, before « Aide »; the
    caseload opens students in the window's Élève panel."""
    menu = QMenu("Ann&ée", window.menuBar())
    help_menu = next((m for m in window.menuBar().findChildren(QMenu) if m.title() == "Ai&de"), None)
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    else:
        window.menuBar().addMenu(menu)
    menu.addAction("&Suivi de l'année…", lambda: show_caseload(window, database))
    menu.addAction("Statistiques d'&activité…", lambda: show_stats(window, database))
    menu.addAction("&Statistiques d'activité de l'année (PDF)…", lambda: save_year_stats(window, database))
    from desktop.year_change_actions import install_year_change

    install_year_change(menu, window, database)
    return menu


def show_caseload(window: Any, database: Database) -> CaseloadWindow:
    """Open (or bring forward) the caseload window; it opens students in the window's Élève panel."""
    def open_student(student_id: int) -> None:
        window.students.show_panel()
        window.students.panel.open_student(student_id)

    caseload_window: CaseloadWindow | None = getattr(window, "_caseload_window", None)
    if caseload_window is None:
        caseload_window = window._caseload_window = CaseloadWindow(database, open_student, window)
        caseload_window.resize(1280, 720)
    caseload_window.refresh()
    if caseload_window.isVisible():
        caseload_window.raise_()
    else:
        caseload_window.show()
    return caseload_window


def remind_milestones(window: Any, database: Database, *, today: date | None = None,
                      days: int = REMINDER_DAYS) -> list[str]:
    """At start-up: the counselor's milestones due within ``days`` days, as one reminder with a
    button opening the caseload (numbers of students, never a name); the lines shown ([] when
    none). Shown when the message bar is free, so it never hides another reminder (the records
    past retention) or a warning: it waits until that one is closed."""
    with database.read() as session:
        lines = reminder_lines(session, today, days)
    if not lines:
        return []
    more = f" ; et {len(lines) - 3} autre(s)" if len(lines) > 3 else ""
    text = f"Dans les {days} prochains jours — " + " ; ".join(lines[:3]) + more + "."
    when_bar_free(window.messages, lambda: window.messages.reminder(
        text, "Voir le suivi de l'année…", lambda: show_caseload(window, database)))
    return lines


def when_bar_free(messages: Any, show: Callable[[], None]) -> None:
    """Call ``show`` now when ``messages`` has no bar or its bar is empty, else once it is closed."""
    bar = getattr(messages, "bar", None)
    if bar is None or not bar.text():
        show()
        return
    done = False

    def attempt() -> None:
        nonlocal done
        if not done and not bar.text():
            done = True
            show()

    for button in (bar.close_button, bar.action_button):  # the action's own message may come first
        button.clicked.connect(lambda: QTimer.singleShot(0, attempt))


def show_stats(window: Any, database: Database) -> Any:
    """Open the anonymous statistics window (:mod:`desktop.stats_dialog`)."""
    from desktop.stats_dialog import StatsDialog

    dialog = window._stats_dialog = StatsDialog(database, window)
    dialog.resize(1000, 600)
    dialog.show()
    return dialog


def save_year_stats(window: Any, database: Database) -> Path | None:
    """Ask where to save the anonymous statistics of the current school year as a one-page PDF,
    write it and open it; a French message on failure. None when the counselor cancelled."""
    from db.students.stats import activity_stats, period_from
    from desktop.file_services import default_folder, with_suffix
    from reports.stats_pdf import write_stats_pdf

    start, end = period_from(None, None, None, date.today())
    files = window.students.files
    suggested = str(Path(default_folder()) / f"statistiques-activite-{start.year}-{end.year}.pdf")
    answer = files.save_path(window, "Enregistrer les statistiques d'activité", suggested, "PDF (*.pdf)")
    if not answer:
        return None
    try:
        with database.read() as session:
            stats = activity_stats(session, start, end)
        path = write_stats_pdf(stats, with_suffix(answer, ".pdf"))
    except UserError as exc:
        window.messages.error(str(exc))
        return None
    window.messages.info(f"Statistiques anonymes de l'année enregistrées dans {path}.")
    files.open_file(path)
    return path
