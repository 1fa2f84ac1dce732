"""The main window on the local catalogue while the office's server is away: métiers only.

The database (:func:`db.storage.local_catalogue.open_local_catalogue`) is read-only and hides
every student table; here the window only leaves out what needs them (the student panel and
menu, the year menu) and says, in its title and message bar, what it is showing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.storage.engine import Database
    from desktop.main_window import MainWindow


def attach_catalogue_only(window: MainWindow, database: Database) -> None:
    """Finish :meth:`MainWindow.attach_database` for a read-only local catalogue."""
    from desktop.formations_window import install_formations_action

    window.database = database
    window.setWindowTitle("Orientation — catalogue local, lecture seule")
    window.student_dock.hide()
    window.student_menu.setEnabled(False)
    install_formations_action(window, database)
    waiting, window._on_ready = window._on_ready, []
    for action in waiting:
        action()
    for warning in database.warnings:
        window.messages.warning(warning)
    window.ready.emit()
