"""Start the Qt application on a database (the ``orientation`` command without arguments)."""
from __future__ import annotations

import sys

from db.engine import open_database


def run(db: str | None = None) -> int:
    """Open the database, show the main window and run the event loop; returns the exit status."""
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Orientation")
    app.setOrganizationName("Orientation")
    database = open_database(db)
    window = MainWindow(database)
    window.show()
    try:
        return app.exec()
    finally:
        database.close()
