"""The window opens on the startup view, before the database layer is loaded, and everything the
counselor does in that moment (typing, sorting, opening a fiche, importing) happens once the
database is attached."""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from db.catalogue.source import DatabaseSource
from db.catalogue.startup_view import open_startup_view
from db.errors import DatabaseLocationError
from desktop import app as desktop_app
from desktop.main_window import MainWindow
from desktop.settings import Settings
from tests.desktop.conftest import RecordingMessages, shown_ids, wait_ids

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
# The startup view is read with the sqlite3 module from the database file; a PostgreSQL URL takes
# the ordinary path instead (tests/desktop/test_start_new_database.py starts the window on one).
pytestmark = pytest.mark.sqlite_only(reason="la vue de démarrage lit le fichier SQLite avec sqlite3 ; une adresse "
                                            "PostgreSQL prend le chemin ordinaire (test_start_new_database.py)")
ALL = {"ORI.aide-soignant", "ORI.oenologue", "ORI.macon", "ORI.technicien-de-maintenance-industrielle",
       "ORI.comptable", "ORI.ingenieur-informaticien", "ORI.medecin-generaliste", "ORI.vendeur-sans-salaire"}


@pytest.fixture
def early_window(qtbot, mini_db, db_path, settings_path):
    """A shown window on the startup view of the eight test fiches; the database is not attached."""
    view = open_startup_view(str(db_path))
    assert view is not None
    window = MainWindow(startup=view, settings=Settings(settings_path), messages=RecordingMessages())
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window.filter_dock.raise_()  # in front of the Élève tab, as in the other window tests
    yield window
    window.browser.shutdown()


def attach(qtbot, window, database) -> None:
    with qtbot.waitSignal(window.ready, timeout=5000):
        window.attach_database(database)
    qtbot.waitUntil(lambda: not window.browser.busy)


def test_the_catalogue_is_shown_before_the_database_is_attached(early_window):
    window = early_window
    assert window.database is None
    assert set(shown_ids(window)) == ALL
    assert window.results.count_label.text() == "8 métiers"
    assert window.filters.sector_list.count() > 0  # the filter lists are there too
    assert not window.student_menu.isEnabled()
    assert isinstance(window.student_dock.widget(), QLabel)  # "Chargement du panneau élève…"


def test_on_attaching_the_student_panel_and_menu_arrive(qtbot, early_window, mini_db):
    window = early_window
    attach(qtbot, window, mini_db)
    assert window.student_menu.isEnabled()
    assert "Nouvel élève…" in [a.text().replace("&", "") for a in window.student_menu.actions()]
    assert window.students is not None and window.students.dock is window.student_dock
    assert window.student_dock.widget().accessibleName() == "Panneau de l'élève"
    assert isinstance(window.browser.source, DatabaseSource)  # the startup view gave way (and is closed)
    assert set(shown_ids(window)) == ALL


def test_a_staged_attach_answers_between_its_steps_and_is_ready_at_the_end(qtbot, early_window, mini_db):
    """At start-up the attach is cut into event-loop turns: the window is not "ready" when the
    call returns, what is asked meanwhile waits, and once ready the student panel works."""
    window = early_window
    done: list[str] = []
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.attach_database(mini_db, staged=True)
        assert window.database is None and not window.student_menu.isEnabled()  # not yet
        window.when_ready(lambda: done.append("asked meanwhile"))
        assert done == []
    assert done == ["asked meanwhile"]
    assert window.student_menu.isEnabled() and window.database is mini_db
    assert window.student_dock.widget().accessibleName() == "Panneau de l'élève"
    assert window.students is not None and window.students.panel.editor.interests.topLevelItemCount() > 0


def test_the_loader_reads_the_lists_and_the_rows_shown_off_the_gui_thread(qtbot, early_window, db_path):
    """What the background loader reads is what the window would read itself, and the window
    attached with it shows the same catalogue."""
    from desktop.backend_loader import BackendLoader

    window = early_window
    criteria, size = window.browser.criteria, window.model.page_size
    loader = BackendLoader(str(db_path), window)
    with qtbot.waitSignal(loader.loaded, timeout=10000):
        loader.start((criteria, size))
    database = loader.database
    try:
        own = DatabaseSource(database)
        assert loader.choices == own.choices()
        assert loader.first_page == (criteria, own.first_page(criteria, size))
        with qtbot.waitSignal(window.ready, timeout=10000):
            window.attach_database(database, loader.choices, staged=True, first=loader.first_page)
        assert set(shown_ids(window)) == ALL and window.results.count_label.text() == "8 métiers"
        qtbot.waitUntil(lambda: not window.browser.busy)
    finally:
        window.browser.shutdown()
        database.close()


def test_typing_before_attaching_filters_once_attached(qtbot, early_window, mini_db):
    window = early_window
    qtbot.keyClicks(window.filters.search_box, "macon")
    qtbot.wait(400)  # past the debounce: the query waits for the database
    assert set(shown_ids(window)) == ALL
    attach(qtbot, window, mini_db)
    wait_ids(qtbot, window, {"ORI.macon"})
    assert window.results.count_label.text() == "1 métier"
    window.filters.search_box.clear()  # and from now on, the ordinary search
    wait_ids(qtbot, window, ALL)


def test_sorting_before_attaching_sorts_once_attached(qtbot, early_window, mini_db):
    window = early_window
    window.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # Salaire de début
    attach(qtbot, window, mini_db)
    assert shown_ids(window)[:2] == ["ORI.macon", "ORI.aide-soignant"]
    assert shown_ids(window)[-1] == "ORI.vendeur-sans-salaire"


def test_a_fiche_asked_before_attaching_opens_once_attached(qtbot, early_window, mini_db):
    window = early_window
    table = window.table
    table.setFocus()
    table.setCurrentIndex(window.model.index(shown_ids(window).index("ORI.comptable"), 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.fiche_view.fiche is None
    attach(qtbot, window, mini_db)
    assert window.fiche_view.fiche.id == "ORI.comptable"


def test_an_import_asked_before_attaching_runs_once_attached(qtbot, early_window, mini_db, tmp_path):
    window = early_window
    extra = tmp_path / "une-fiche.jsonl"
    extra.write_text((DATA / "mini.jsonl").read_text(encoding="utf-8").splitlines()[0]
                     .replace("ORI.aide-soignant", "ORI.aide-soignant-bis"), encoding="utf-8")
    window.start_import([str(extra)])
    assert not window.importer.running
    with qtbot.waitSignal(window.importer.finished, timeout=10000):
        attach(qtbot, window, mini_db)
    qtbot.waitUntil(lambda: window.model.total == 9)


def test_rows_that_changed_meanwhile_are_replaced_on_attaching(qtbot, early_window, mini_db, tmp_path):
    from db.catalogue.importing import import_paths

    window = early_window
    line = (DATA / "mini.jsonl").read_text(encoding="utf-8").splitlines()[2].replace("ORI.macon", "ORI.macon-bis")
    path = tmp_path / "autre-poste.jsonl"
    path.write_text(line, encoding="utf-8")
    import_paths(mini_db, [path])  # another window imported a fiche while this one was opening
    assert window.model.total == 8
    attach(qtbot, window, mini_db)
    assert window.model.total == 9 and "ORI.macon-bis" in shown_ids(window)
    assert window.results.count_label.text() == "9 métiers"


def test_a_failed_background_opening_is_handled_in_the_window(qtbot, early_window, mini_db, monkeypatch):
    """The background opening fails; the GUI thread opens again the ordinary way and attaches."""
    window = early_window
    calls = []

    def flaky_open(db=None, **kwargs):
        calls.append(db)
        if len(calls) == 1:
            raise DatabaseLocationError("la base de données est occupée")
        return mini_db

    import db.storage.opening

    monkeypatch.setattr(db.storage.opening, "open_database", flaky_open)
    gc.disable()  # as the GUI start-up does; attaching must turn collection back on
    try:
        loader = desktop_app._start_loader("quelque-part.sqlite", window)
        with qtbot.waitSignal(window.ready, timeout=10000):
            pass
        assert loader.wait(5)
        assert calls == ["quelque-part.sqlite", "quelque-part.sqlite"]
        assert window.database is mini_db
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_closing_before_the_database_is_attached(qtbot, early_window, mini_db):
    window = early_window
    window.open_fiche("ORI.comptable")  # asked, never done: the window closes first
    window.close()
    assert not window.isVisible() and window.database is None


def test_a_background_opening_that_cannot_be_repaired_ends_the_application(qtbot, early_window, monkeypatch):
    window = early_window
    shown, exits = [], []

    def refused(db=None, **kwargs):
        raise DatabaseLocationError("la base de données « x » est sur un partage réseau")

    import db.storage.opening

    monkeypatch.setattr(db.storage.opening, "open_database", refused)
    monkeypatch.setattr(desktop_app, "_show_error", shown.append)
    monkeypatch.setattr(QApplication, "exit", lambda status=0: exits.append(status))
    loader = desktop_app._start_loader(None, window)
    qtbot.waitUntil(lambda: exits == [2], timeout=10000)
    assert shown == ["la base de données « x » est sur un partage réseau"]
    assert loader.wait(5) and window.database is None


def test_the_real_start_shows_the_window_before_sqlalchemy_then_attaches(mini_db, db_path, tmp_path):
    """``orientation --db …``: when the window is shown it holds the catalogue and SQLAlchemy is
    not loaded yet; then the database is attached."""
    mini_db.close()
    probe = """
import sys
from PySide6.QtCore import QTimer
from desktop.main_window import MainWindow
show = MainWindow.show
def probed_show(window):
    show(window)
    print("shown", window.isVisible(), window.model.total, window.database is None, "sqlalchemy" in sys.modules)
    def ready():
        import gc
        print("ready", window.model.total, window.student_menu.isEnabled(), gc.isenabled())
        window.close()
    window.ready.connect(lambda: QTimer.singleShot(0, ready))  # once start-up has finished
MainWindow.show = probed_show
from desktop.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", probe, str(db_path)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("shown", "ready"))]
    assert lines == ["shown True 8 True False", "ready 8 True True"]


def test_the_days_backup_is_made_after_the_database_is_attached(qtbot, early_window, mini_db, db_path):
    """The window's own opening makes no copy (the first paint and the attach never wait for
    it); the day's backup follows on a worker thread once the database is attached."""
    from db.storage import backup

    folder = backup.backup_dir(db_path)
    for made in [*folder.glob("*quotidienne*"), folder / backup.DAILY_FILE]:
        made.unlink()  # as on a new day with changes since the last backup
    window = early_window
    try:
        loader = desktop_app._start_loader(str(db_path), window)
        with qtbot.waitSignal(window.ready, timeout=10000):
            pass
        qtbot.waitUntil(lambda: bool(list(folder.glob("*quotidienne*"))), timeout=10000)
        assert loader.wait(5)
        assert [text for kind, text in window.messages.shown if kind == "warning"] == []
    finally:
        gc.enable()
        gc.unfreeze()


def _visible_notice() -> bool:
    return any(isinstance(w, QLabel) and w.isVisible() and w.text() == desktop_app.OPENING_NOTICE
               for w in QApplication.topLevelWidgets())


def test_a_notice_shows_while_an_older_database_is_brought_up_to_date(qtbot, tmp_path, monkeypatch):
    """An older base is migrated before the window (seconds on a counselor's real base): a small
    window says so meanwhile, and is gone once the base is open."""
    from db.storage.opening import open_database
    from tests.db.storage.test_migration_0016 import _downgrade

    path = tmp_path / "base.sqlite"
    open_database(str(path), load_starter=False, backups=False).close()
    _downgrade(f"sqlite:///{path}", "0016")
    assert open_startup_view(str(path)) is None  # not the quick start: opened before the window
    seen = []
    real = desktop_app.open_or_recover

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(_visible_notice())
        return real(*args, **kwargs)

    monkeypatch.setattr(desktop_app, "open_or_recover", watched)
    database = desktop_app.open_with_notice(str(path), lambda _m: False, lambda _m: None)
    assert database is not None and seen == [True] and not _visible_notice()
    database.close()


def test_the_notice_is_gone_before_a_damaged_base_asks_its_question(qtbot, tmp_path):
    from db.storage import integrity
    from db.storage.opening import open_database
    from tests.conftest import damage

    path = tmp_path / "base.sqlite"
    open_database(str(path), load_starter=False).close()
    damage(path)
    integrity.run_check(path)
    asked = []
    restored = desktop_app.open_with_notice(str(path), lambda m: asked.append(_visible_notice()) or True,
                                            lambda _m: None)
    assert asked == [False] and restored is not None and not _visible_notice()
    restored.close()


def test_a_damaged_first_page_at_start_asks_to_restore_instead_of_failing(qtbot, tmp_path, monkeypatch):
    """The damage is not known yet (the weekly check has not run): the quick start opens, its
    first page meets the damaged rows, and the start takes the ordinary path, which checks the
    file and asks to restore the latest backup."""
    import sqlite3

    from db.storage import backup
    from db.storage.opening import open_database
    from tests.db.storage.test_damage_in_use import damage_rows_of

    path = tmp_path / "base.sqlite"
    open_database(str(path), daily=False).close()  # the starter catalogue
    kept = backup.automatic_backup(path, "quotidienne")
    with sqlite3.connect(path) as conn:
        first = {pk for (pk,) in conn.execute("SELECT pk FROM metiers WHERE superseded_by IS NULL "
                                              "ORDER BY sort_key, pk LIMIT 3")}
    conn.close()
    assert damage_rows_of(path, "metiers", first) >= 1
    view = open_startup_view(str(path))
    assert view is not None  # the count and the lists do not read those pages
    view.close()
    asked, shown = [], []
    monkeypatch.setattr(desktop_app, "setup_application", QApplication.instance)
    monkeypatch.setattr(desktop_app, "_ask_restore", lambda message: asked.append(message) or True)
    monkeypatch.setattr(desktop_app, "_show_and_run", lambda _app, window, loader: shown.append((window, loader)) or 0)
    assert desktop_app.run(str(path)) == 0
    window, loader = shown[0]
    qtbot.addWidget(window)
    assert loader is None and len(asked) == 1 and "endommagée" in asked[0]
    assert window.database is not None and window.model.total > 100  # the backup's catalogue
    assert backup.full_check(path) is None and kept is not None
    window.browser.shutdown()
    window.database.close()
