"""Loads the database layer on a background thread while the window is already on screen.

Importing SQLAlchemy and the ORM mappings, checking the file and making the daily backup
take several times longer than drawing the window (see :mod:`db.catalogue.startup_view`). The thread
does all of it through :func:`db.storage.engine.open_database` and hands the open
:class:`~db.storage.engine.Database` to the GUI thread (``loaded``), or the exception (``failed``),
whose handling — restore offer, French message — then happens in the GUI thread.
"""
from __future__ import annotations

import importlib
import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class BackendLoader(QObject):
    """Opens the database on its own thread; see the module docstring."""

    loaded = Signal(object)  # db.engine.Database
    failed = Signal(object)  # the exception open_database raised

    def __init__(self, db: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.database: Any = None  # the Database once opened, even if ``loaded`` was never delivered
        self._thread = threading.Thread(target=self._run, name="orientation-backend", daemon=True)

    def start(self) -> None:
        """Start loading; ``loaded`` or ``failed`` is emitted once, in the GUI thread."""
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the loading thread is done (before the process exits); True if it is."""
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            from db.storage.opening import open_database

            self.database = open_database(self.db)
            # The modules the first queries, the fiche view and the student panel need, so
            # that the GUI thread finds them loaded.
            for module in ("db.catalogue.fiche", "db.catalogue.search", "db.students.store", "db.students.suggest"):
                importlib.import_module(module)
        except Exception as exc:  # handled in the GUI thread (UserError: its message; bug: the log)
            log.info("background database opening failed: %r", exc)
            self.failed.emit(exc)
            return
        self.loaded.emit(self.database)
