"""The main window opens on the database and shows the catalogue."""
from __future__ import annotations

from desktop.main_window import MainWindow


def test_window_is_titled_orientation_and_lists_fiches(qtbot, mini_db):
    window = MainWindow(mini_db)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "Orientation"
    assert window.table.rowCount() == 8
    window.search_box.setText("maçon")
    assert window.table.rowCount() == 1
