"""Importing fiche files without freezing the window.

:class:`ImportController` runs :func:`db.catalogue.importing.import_paths` in a child process
(:mod:`db.catalogue.import_process`: the import's Python work never holds this process's GIL, so
the window never stalls behind it), watched from a :class:`~desktop.workers.TaskRunner` thread
that only waits on the child's pipe and relays plain values: progress, then the
:class:`~db.catalogue.importing.ImportSummary` or a French error. A database only this process
can see (SQLite in memory) is imported on the worker thread itself. Cancelling takes effect
between two files (the progress callback returns False), so a file is always imported whole
or not at all. :class:`ImportProgress` is the
progress bar with its "Annuler" button; :class:`ImportSummaryDialog` lists each file's result.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar,
                               QPushButton, QVBoxLayout, QWidget)

from desktop.common_widgets import close_buttons
from desktop.workers import TaskContext, TaskRunner

if TYPE_CHECKING:
    from db.storage.engine import Database
    from db.catalogue.importing import ImportSummary

log = logging.getLogger(__name__)


class ImportController(QObject):
    """Starts at most one import at a time (on a :class:`~desktop.workers.TaskRunner`) and
    relays its progress and result."""

    started = Signal()
    progress = Signal(int, int, str)
    finished = Signal(object)  # ImportSummary (possibly partial after a cancel)
    failed = Signal(str)

    def __init__(self, database: Database | None, parent: QObject | None = None) -> None:
        """``database`` may be given later (set :attr:`database`), but before :meth:`start`."""
        super().__init__(parent)
        self.database = database
        self.runner = TaskRunner(self)
        self._context: TaskContext | None = None
        self.running = False
        self.cancelled = False
        self.child_pid: int | None = None  # the process the last import ran in

    def start(self, paths: Iterable[str | Path]) -> bool:
        """Import ``paths`` (files or folders) in the background; False if one already runs."""
        if self.running:
            return False
        assert self.database is not None, "ImportController.start() before the database is open"
        self.running, self.cancelled, self.child_pid = True, False, None
        self.started.emit()
        from db.catalogue.import_process import BUG_SENTENCE

        database, names = self.database, [str(p) for p in paths]
        self._context = self.runner.run_with_progress(
            lambda context: _import(database, names, context, self._child_started), self._done, self._failed,
            self.progress.emit, error=BUG_SENTENCE)
        return True

    def cancel(self) -> None:
        """Stop after the file being imported (it is kept whole)."""
        if self.running and self._context is not None:
            self.cancelled = True
            self._context.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is done (closing the window); True if it is."""
        return self.runner.wait(msecs)

    def _child_started(self, pid: int) -> None:
        self.child_pid = pid  # a plain attribute, set from the worker thread

    def _done(self, summary: ImportSummary) -> None:
        self.running = False
        self.finished.emit(summary)

    def _failed(self, message: str) -> None:
        self.running = False
        self.failed.emit(message)


def _import(database: Database, paths: list[str], context: TaskContext,
            started: Callable[[int], None]) -> ImportSummary:
    # Loaded with the database layer, not at start.
    from db.catalogue.import_process import import_in_process, in_process_possible
    from db.catalogue.importing import import_paths

    if not in_process_possible(database.url):
        return import_paths(database, paths, progress=context.progress)
    summary: ImportSummary = import_in_process(database.url, paths, read_only=database.read_only,
                                               progress=context.progress, started=started,
                                               cancelled=lambda: context.cancelled)
    return summary


class ImportProgress(QWidget):
    """ "Importation : fichier 3 sur 12 — nom" with a progress bar and an "Annuler" button."""

    def __init__(self, controller: ImportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progression de l'importation")
        self.bar.setMinimumWidth(200)
        self.cancel_button = QPushButton("Annuler")
        self.cancel_button.setAccessibleName("Annuler l'importation")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        controller.started.connect(self._started)
        controller.progress.connect(self._progress)
        controller.finished.connect(self.hide)
        controller.failed.connect(self.hide)
        self.hide()

    def _started(self) -> None:
        self.label.setText("Importation…")
        self.bar.setRange(0, 0)  # busy until the number of files is known
        self.cancel_button.setEnabled(True)
        self.show()

    def _progress(self, done: int, total: int, name: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        where = f"fichier {min(done + 1, total)} sur {total}" if total else "aucun fichier"
        self.label.setText(f"Importation : {where}" + (f" — {name}" if name else ""))

    def _cancel(self) -> None:
        self.controller.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText("Annulation après le fichier en cours…")


def summary_lines(summary: ImportSummary, cancelled: bool = False) -> list[str]:
    """The per-file lines (with their notes), the total, and a word when the import was cancelled."""
    lines: list[str] = []
    for result in summary.files:
        lines.append(result.line())
        lines.extend(f"    – {note}" for note in result.notes)
    if cancelled:
        lines.append("Importation annulée : les fichiers suivants n'ont pas été lus.")
    lines.append(summary.total_line())
    return lines


class ImportSummaryDialog(QDialog):
    """The result of each file, in a window that does not block the rest of the application."""

    def __init__(self, lines: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Résultat de l'importation")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = QPlainTextEdit("\n".join(lines))
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Résultat de chaque fichier")
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 360)
