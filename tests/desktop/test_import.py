"""Importing through the window: the file dialog, the worker thread, the summary, errors, cancel."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from db.catalogue.search import Criteria, count
from tests.conftest import DATA
from tests.desktop.conftest import shown_ids

WAIT_MS = 15_000


def wait_import(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.importer.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.browser.busy, timeout=WAIT_MS)


def choose(monkeypatch, *paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *args, **kwargs: ([str(p) for p in paths], "")))


def test_import_action_runs_the_worker_and_refreshes_the_table(qtbot, make_window, empty_db, monkeypatch):
    window = make_window(empty_db)
    assert window.model.rowCount() == 0 and window.results.count_label.text() == "0 métier"
    choose(monkeypatch, DATA / "mini.jsonl")
    window.import_action.trigger()
    assert window.importer.running and window.import_progress.isVisible()
    wait_import(qtbot, window)
    assert len(shown_ids(window)) == 8
    assert window.results.count_label.text() == "8 métiers"
    assert not window.import_progress.isVisible()
    lines = window.summary_dialog.text.toPlainText()
    assert "mini.jsonl : importé (orientation-fiche/1 ; 8 nouvelle(s) fiche(s), 0 mise(s) à jour)" in lines
    assert "Total : 1 fichier(s), 1 accepté(s), 0 refusé(s)" in lines
    assert window.messages.texts("info") == ["Importation terminée : 8 fiche(s) ajoutée(s), 0 mise(s) à jour."]
    assert window.filters.sector_list.count() > 0  # the new sectors are offered
    assert window.settings.import_folder == str(DATA)


def test_after_an_import_the_student_panel_offers_the_new_sectors_and_countries(qtbot, make_window, empty_db,
                                                                                monkeypatch):
    """The panel gets the lists the window read off the GUI thread after the import."""
    window = make_window(empty_db)
    constraints = window.students.panel.editor.constraints
    assert constraints.wished_list.count() == 0
    choose(monkeypatch, DATA / "mini.jsonl")
    window.import_action.trigger()
    wait_import(qtbot, window)
    qtbot.waitUntil(lambda: constraints.wished_list.count() == window.filters.sector_list.count() > 0)
    assert constraints.refused_list.count() == constraints.wished_list.count()
    assert constraints.country_combo.count() > 1  # "tous pays" and the countries of the new fiches


def test_a_bad_file_is_refused_with_its_french_reason_and_changes_nothing(qtbot, make_window, mini_db, monkeypatch,
                                                                         tmp_path):
    window = make_window(mini_db)
    bad = tmp_path / "vide.txt"
    bad.write_bytes(b"")
    broken = tmp_path / "casse.jsonl"
    broken.write_text('{"format": "orientation-fiche/1", "id": "ORI.x", "nom": "x"}\n{pas du json\n', encoding="utf-8")
    choose(monkeypatch, bad, broken)
    window.import_action.trigger()
    wait_import(qtbot, window)
    [warning] = window.messages.texts("warning")
    assert warning.startswith("2 fichier(s) refusé(s) — vide.txt : fichier vide ; "
                              "casse.jsonl : ligne 2 : JSON invalide")
    with mini_db.read() as session:
        assert count(session, Criteria()) == 8
    assert "refusé" in window.summary_dialog.text.toPlainText()


def test_dropping_files_on_the_window_imports_them(qtbot, make_window, empty_db):
    window = make_window(empty_db)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DATA / "mini.jsonl"))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.model.total == 8, timeout=WAIT_MS)
    wait_import(qtbot, window)


def test_a_folder_can_be_imported(qtbot, make_window, empty_db, monkeypatch, tmp_path):
    (tmp_path / "fiches").mkdir()
    (tmp_path / "fiches" / "mini.jsonl").write_bytes((DATA / "mini.jsonl").read_bytes())
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path / "fiches")))
    window = make_window(empty_db)
    window.import_folder_action.trigger()
    wait_import(qtbot, window)
    assert window.model.total == 8


@pytest.fixture
def gated_import(monkeypatch):
    """Make the worker wait, before it starts the import's process, until the test lets it go."""
    go = threading.Event()
    import db.catalogue.import_process

    real = db.catalogue.import_process.import_in_process

    def gated(url, paths, *, cancelled, **kwargs):
        def gate():
            go.wait(10)
            return cancelled()

        return real(url, paths, cancelled=gate, **kwargs)

    monkeypatch.setattr(db.catalogue.import_process, "import_in_process", gated)  # looked up when it runs
    return go


def test_cancel_stops_before_the_next_file(qtbot, make_window, empty_db, monkeypatch, tmp_path, gated_import):
    paths = []
    for name in ("a.jsonl", "b.jsonl"):
        paths.append(tmp_path / name)
        paths[-1].write_bytes((DATA / "mini.jsonl").read_bytes())
    window = make_window(empty_db)
    choose(monkeypatch, *paths)
    window.import_action.trigger()
    qtbot.mouseClick(window.import_progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.import_progress.cancel_button.isEnabled()
    gated_import.set()
    wait_import(qtbot, window)
    assert window.model.total == 0
    assert "Importation annulée" in window.summary_dialog.text.toPlainText()


def test_closing_during_an_import_asks_first(qtbot, make_window, empty_db, monkeypatch, gated_import):
    window = make_window(empty_db)
    choose(monkeypatch, DATA / "mini.jsonl")
    window.import_action.trigger()
    window.messages.answer = False
    window.close()
    assert window.isVisible() and window.messages.questions
    window.messages.answer = True
    gated_import.set()
    window.close()
    assert not window.isVisible()
    assert window.importer.runner.pool.activeThreadCount() == 0  # the worker was waited for


def test_a_second_import_while_one_runs_is_refused_in_french(qtbot, make_window, empty_db, monkeypatch, gated_import):
    window = make_window(empty_db)
    choose(monkeypatch, DATA / "mini.jsonl")
    window.import_action.trigger()
    window.import_action.trigger()
    assert window.messages.texts("warning") == ["une importation est déjà en cours ; attendez qu'elle se termine."]
    gated_import.set()
    wait_import(qtbot, window)


def test_chips_still_work_after_an_import_refreshed_the_lists(qtbot, make_window, mini_db, monkeypatch):
    window = make_window(mini_db)
    sante = next(window.filters.sector_list.item(i) for i in range(window.filters.sector_list.count())
                 if window.filters.sector_list.item(i).text().startswith("Santé ("))
    sante.setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: window.model.total == 2)
    choose(monkeypatch, DATA / "mini.jsonl")
    window.import_action.trigger()
    wait_import(qtbot, window)
    assert window.filters.selected_sectors() == ["T-IDEO2.4869"]  # still ticked in the new list
    qtbot.mouseClick(window.results.chip_buttons()[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.total == 8)
    assert window.filters.selected_sectors() == []


def test_the_window_imports_in_another_process(qtbot, make_window, empty_db, monkeypatch):
    """The import's Python work never competes with the window for its process's GIL."""
    import os

    window = make_window(empty_db)
    choose(monkeypatch, DATA / "mini.jsonl")
    window.import_action.trigger()
    wait_import(qtbot, window)
    assert window.importer.child_pid is not None and window.importer.child_pid != os.getpid()
    assert window.results.count_label.text() == "8 métiers"
