"""``orientation --db LOCATION`` on a database that does not exist yet: the ordinary start path
creates it with the starter catalogue and shows the whole window on it. On the PostgreSQL pass
LOCATION is the URL of a blank database of the test server, so this is the window really
started on PostgreSQL (the startup view of tests/desktop/test_startup.py reads SQLite files only)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from db.catalogue.search import count
from db.catalogue.search_types import Criteria
from db.storage.opening import open_database

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from PySide6.QtCore import QTimer
from desktop.main_window import MainWindow
show = MainWindow.show
def probed_show(window):
    show(window)
    def settled():
        if window.database is None or window.browser.busy:
            QTimer.singleShot(50, settled)
            return
        print("shown", window.isVisible(), window.model.total, window.student_menu.isEnabled(), flush=True)
        print("bar", window.message_bar.text(), flush=True)
        window.close()
    QTimer.singleShot(0, settled)
MainWindow.show = probed_show
from desktop.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def test_a_new_database_is_made_and_the_window_shows_its_starter_catalogue(db_location):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", PROBE, db_location], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    shown = [line.split() for line in result.stdout.splitlines() if line.startswith("shown")]
    database = open_database(db_location, daily=False)
    try:
        with database.read() as session:
            metiers = count(session, Criteria())
    finally:
        database.close()
    assert metiers > 0  # the starter catalogue was loaded by the window's own opening
    assert shown == [["shown", "True", str(metiers), "True"]]
    bar = [line for line in result.stdout.splitlines() if line.startswith("bar")]
    if "://" not in db_location:  # a file that did not exist: said, so that a mistyped name is noticed
        assert bar == [f"bar Nouvelle base de données créée : {db_location} (catalogue de départ, aucun élève)."]
