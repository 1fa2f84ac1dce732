"""The student form records the pupil's current class (used for the routes to a métier)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from db.students.store import create_student, find_students, get_student
from desktop.student_dialog import StudentDialog
from tests.desktop.conftest import RecordingMessages


def _save(qtbot, dialog: StudentDialog) -> None:
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_the_current_class_is_chosen_kept_and_cleared(qtbot, empty_db):
    student_id = create_student(empty_db, "Martin", "Léa", "3e B", current_class="3e")
    with empty_db.read() as session:
        listed = find_students(session)[0]  # as the student list gives it: without the current class
    dialog = StudentDialog(empty_db, RecordingMessages(), None, listed)
    qtbot.addWidget(dialog)
    assert dialog.current_class.currentText() == "3e"  # read again, not lost
    dialog.classe.setCurrentText("2de 4")
    _save(qtbot, dialog)
    with empty_db.read() as session:
        assert get_student(session, student_id).current_class == "3e"  # other field edited, class kept
    dialog = StudentDialog(empty_db, RecordingMessages(), None, listed)
    qtbot.addWidget(dialog)
    dialog.current_class.setCurrentIndex(dialog.current_class.findText("2de professionnelle"))
    _save(qtbot, dialog)
    with empty_db.read() as session:
        assert get_student(session, student_id).current_class == "2de-pro"
    dialog = StudentDialog(empty_db, RecordingMessages(), None, listed)
    qtbot.addWidget(dialog)
    dialog.current_class.setCurrentIndex(0)  # "non renseignée"
    _save(qtbot, dialog)
    with empty_db.read() as session:
        assert get_student(session, student_id).current_class is None


def test_a_new_student_gets_the_chosen_class(qtbot, empty_db):
    dialog = StudentDialog(empty_db, RecordingMessages(), None, None)
    qtbot.addWidget(dialog)
    dialog.nom.setText("Petit")
    dialog.prenom.setText("Jo")
    dialog.current_class.setCurrentIndex(dialog.current_class.findText("terminale professionnelle"))
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    with empty_db.read() as session:
        assert get_student(session, saved.args[0]).current_class == "term-pro"
