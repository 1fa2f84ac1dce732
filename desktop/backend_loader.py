"""Loads the database layer on a background thread while the window is already on screen.

Importing SQLAlchemy and the ORM mappings and checking the file
take several times longer than drawing the window (see :mod:`db.catalogue.startup_view`). The thread
does all of it through :func:`db.storage.opening.open_database` and hands the open
:class:`~db.storage.engine.Database` to the GUI thread (``loaded``), or says it failed
(``failed``); the window then opens the database the ordinary way in the GUI thread, where the
restore offer and the French message can be shown.
"""
from __future__ import annotations

import importlib
import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.workers import TaskRunner

log = logging.getLogger(__name__)


class BackendLoader(QObject):
    """Opens the database on a :class:`~desktop.workers.TaskRunner`; see the module docstring."""

    loaded = Signal(object)  # db.storage.engine.Database
    failed = Signal(str)  # French sentence; the window opens the database again to offer a repair

    def __init__(self, db: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.database: Any = None  # the Database once opened, even if ``loaded`` was never delivered
        self.choices: Any = None  # its filter lists (db.catalogue.search_types.Choices), read here too
        self.first_page_of: tuple[Any, int] | None = None  # (criteria, page size) asked at start
        self.first_page: tuple[Any, Any] | None = None  # (those criteria, their FirstPage), read here too
        self.runner = TaskRunner(self)

    def start(self, first_page_of: tuple[Any, int] | None = None) -> None:
        """Start loading; ``loaded`` or ``failed`` is emitted once, in the GUI thread.
        ``first_page_of``: (criteria without text, page size) whose first page of the catalogue
        is read too (:attr:`first_page`), so that the window need not query it on attaching."""
        self.first_page_of = first_page_of
        self.runner.run(self._open, self.loaded.emit, self._failed,
                        error="l'ouverture de la base s'est arrêtée sur une erreur inattendue "
                              "(détail dans le journal).")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the loading is done (before the process exits); True if it is."""
        return self.runner.wait(-1 if timeout is None else int(timeout * 1000))

    def _open(self) -> Any:
        from db.storage.opening import open_database

        from db.catalogue.source import DatabaseSource

        self.database = open_database(self.db, daily=False)  # backed up after the attach (desktop.app)
        # The modules the first queries, the fiche view and the student panel need, so that
        # the GUI thread finds them loaded (importing defines classes; no widget is made here).
        for module in ("db.catalogue.fiche", "db.catalogue.search", "db.students.store", "db.students.suggest",
                       "db.students.privacy", "desktop.student_actions", "desktop.caseload_window",
                       "desktop.formations_window"):
            importlib.import_module(module)
        # The filter lists are read over the whole catalogue, and the rows shown: here, not on the GUI thread.
        source = DatabaseSource(self.database)
        self.choices = source.choices()
        if self.first_page_of is not None and not self.first_page_of[0].text:
            criteria, limit = self.first_page_of
            self.first_page = (criteria, source.first_page(criteria, limit))
        return self.database

    def _failed(self, message: str) -> None:
        log.info("background database opening failed")
        self.failed.emit(message)
