"""RGPD from the window: erasing a student for good, export (private notes only by choice) and
import, and the start-up reminder of records kept past retention with its purge."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.students.privacy import access_log
from db.students.store import ShortlistItem, create_student, find_students, save_session, start_session
from desktop.messages import MessageBar
from tests.conftest import on_postgresql
from tests.desktop.students_helpers import CARE, RecordingFiles, panel_of

SECRET = "NOTE-PRIVEE-GUI-9d41e7"


def student_with_session(database, day: str = "2026-11-20", nom: str = "Kowalski") -> int:
    student_id = create_student(database, nom, "Łukasz", "3e B", "Collège Jean Moulin")
    with database.read() as session:
        state = start_session(session, student_id, day)
    state.interests, state.shortlist = [CARE], [ShortlistItem("ORI.aide-soignant", "à voir")]
    state.student_note, state.private_notes = "Bravo Łukasz", SECRET
    save_session(database, state)
    return student_id


@pytest.fixture
def files(window, tmp_path):
    recording = RecordingFiles(tmp_path)
    window.students.use_files(recording)
    return recording


def test_erasing_through_the_window_leaves_no_byte_behind(qtbot, make_window, mini_db, db_location):
    student_id = student_with_session(mini_db)
    window = make_window(mini_db)
    panel = panel_of(window)
    assert panel.open_student(student_id)
    assert panel.editor.private_notes.toPlainText() == SECRET
    erase = window.students.menu_actions["Effacer le dossier de l'élève…"]
    window.messages.answer = False
    erase.trigger()
    question = window.messages.questions[-1]
    assert "Effacer définitivement le dossier de Łukasz Kowalski et ses 1 entretien(s) ?" in question
    assert panel.student is not None
    window.messages.answer = True
    erase.trigger()
    assert panel.student is None and panel.stack.currentIndex() == 0 and panel.list.students == []
    assert not erase.isEnabled() and not panel.editor.isVisible()
    said = window.messages.texts("info")[-1]
    with mini_db.read() as session:
        assert find_students(session) == []
        assert [e["action"] for e in access_log(session)] == ["effacement", "entretien"]
    if on_postgresql():  # the server's files are not ours to read: the window says what it keeps
        assert said.startswith("Le dossier de Łukasz Kowalski a été effacé définitivement. "
                               "Le serveur a été nettoyé (VACUUM)"), said
        assert "pg_dump" in said
        return
    assert said == ("Le dossier de Łukasz Kowalski a été effacé définitivement. "
                    "Aucune sauvegarde automatique ne contenait ce dossier.")
    for path in (p for p in Path(db_location).parent.rglob("*") if p.is_file()):  # backups included
        assert SECRET.encode() not in path.read_bytes(), path.name


def test_export_leaves_private_notes_out_unless_ticked_and_imports_back(qtbot, window, mini_db, files, tmp_path):
    student_id = student_with_session(mini_db)
    panel = panel_of(window)
    panel.list.refresh()
    panel.open_student(student_id)
    window.students.menu_actions["Exporter le dossier de l'élève…"].trigger()
    dialog = window.students.privacy.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.private_check.isChecked()
    files.save_answer = str(tmp_path / "dossier")
    dialog.accept()
    document = json.loads((tmp_path / "dossier.json").read_text(encoding="utf-8"))
    assert document["format"] == "orientation-eleve/2" and document["notes_privees_incluses"] is False
    assert document["seances"][0]["notes_privees"] is None and SECRET not in json.dumps(document)
    assert document["seances"][0]["selection"] == [{"metier": "ORI.aide-soignant", "libelle": "aide-soignant/e",
                                                    "commentaire": "à voir"}]
    assert "sans les notes privées" in window.messages.texts("info")[-1]

    files.open_answer = str(tmp_path / "dossier.json")
    window.students.menu_actions["Importer un dossier d'élève…"].trigger()
    assert panel.student is not None and panel.student.id != student_id and panel.student.prenom == "Łukasz"
    assert panel.editor.shortlist.ids() == ["ORI.aide-soignant"] and panel.editor.private_notes.toPlainText() == ""
    assert len(panel.list.students) == 2


def test_export_with_private_notes_only_when_ticked(qtbot, window, mini_db, files, tmp_path):
    panel = panel_of(window)
    panel.open_student(student_with_session(mini_db))
    window.students.privacy.export()
    dialog = window.students.privacy.export_dialog
    dialog.private_check.setChecked(True)
    files.save_answer = str(tmp_path / "avec-notes.json")
    dialog.accept()
    document = json.loads((tmp_path / "avec-notes.json").read_text(encoding="utf-8"))
    assert document["seances"][0]["notes_privees"] == SECRET


def test_a_bad_import_file_is_refused_in_french(window, files, tmp_path):
    bad = tmp_path / "autre.json"
    bad.write_text('{"format": "autre"}', encoding="utf-8")
    files.open_answer = str(bad)
    assert window.students.privacy.import_file() is None
    assert window.messages.texts("error") == ["ce fichier n'est pas un dossier d'élève (« orientation-eleve/1 » "
                                              "ou « /2 ») : exportez-le de nouveau depuis Orientation"]


def test_importing_a_pupil_already_here_asks_before_a_second_record(make_window, mini_db, tmp_path):
    from db.students.privacy import export_student

    student_id = student_with_session(mini_db)
    window = make_window(mini_db)
    files = RecordingFiles(tmp_path)
    window.students.use_files(files)
    path = tmp_path / "lukasz.json"
    path.write_text(json.dumps(export_student(mini_db, student_id)), encoding="utf-8")
    files.open_answer = str(path)
    window.messages.answer = False
    assert window.students.privacy.import_file() is None
    assert window.messages.questions[-1] == (f"Łukasz Kowalski (3e B) a déjà un dossier ici : élève numéro "
                                             f"{student_id}. Importer quand même un second dossier ?")
    with mini_db.read() as session:
        assert len(find_students(session)) == 1  # nothing written
    window.messages.answer = True
    assert window.students.privacy.import_file() not in (None, student_id)
    with mini_db.read() as session:
        assert len(find_students(session)) == 2


def test_start_up_reminder_of_records_past_retention_and_their_purge(qtbot, make_window, mini_db):
    old = student_with_session(mini_db, "2020-01-10", nom="Ancien")
    recent = student_with_session(mini_db, "2099-01-10", nom="Récent")
    window = make_window(mini_db)
    assert ("reminder", "1 dossier(s) d'élève ont dépassé la durée de conservation (fin de l'année scolaire du "
                        "dernier entretien) et devraient être effacés.") in window.messages.shown
    window.messages.answer = False
    window.messages.actions["Voir et effacer…"]()
    assert "• Łukasz Ancien (dernier entretien : 2020-01-10)" in window.messages.questions[-1]
    window.messages.answer = True
    window.messages.actions["Voir et effacer…"]()
    with mini_db.read() as session:
        assert [s.id for s in find_students(session)] == [recent]
    assert old not in [s.id for s in panel_of(window).list.students]
    assert window.students.privacy.remind() == 0


def test_the_message_bar_button_runs_its_action_once(qtbot):
    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.show()
    done = []
    bar.show_message("avertissement", "3 dossiers à effacer.", ("Voir et effacer…", lambda: done.append(1)))
    assert bar.action_button.isVisible() and bar.action_button.text() == "Voir et effacer…"
    qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)
    assert done == [1] and not bar.isVisible()
    bar.show_message("info", "Bonjour")
    assert not bar.action_button.isVisible()
