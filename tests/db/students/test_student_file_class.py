"""The student file carries the pupil's current class; files without it still import."""
from __future__ import annotations

import pytest

from db.errors import UserError
from db.students.privacy import export_student
from db.students.store import create_student, find_students, get_student
from db.students.student_file import import_student


def test_the_current_class_travels_with_the_students_file(mini_db):
    sid = create_student(mini_db, "Roux", "Inès", "1re 2", current_class="1re-pro")
    document = export_student(mini_db, sid)
    assert document["format"] == "orientation-eleve/2" and document["eleve"]["classe_actuelle"] == "1re-pro"
    copy = import_student(mini_db, document, even_if_present=True)
    with mini_db.read() as session:
        assert get_student(session, copy).current_class == "1re-pro"


def test_a_file_written_before_the_current_class_imports_without_it(mini_db):
    old = {"format": "orientation-eleve/1", "eleve": {"nom": "Roux", "prenom": "Inès"}, "seances": []}
    copy = import_student(mini_db, old)
    with mini_db.read() as session:
        assert get_student(session, copy).current_class is None


def test_an_unknown_current_class_refuses_the_file_and_creates_nobody(mini_db):
    bad = {"format": "orientation-eleve/2", "eleve": {"nom": "Roux", "prenom": "Inès", "classe_actuelle": "CM2"},
           "seances": []}
    with pytest.raises(UserError, match=r"« eleve\.classe_actuelle » n'est pas une classe connue"):
        import_student(mini_db, bad)
    with mini_db.read() as session:
        assert find_students(session, "Roux") == []


def test_without_a_current_class_the_file_is_as_before(mini_db):
    sid = create_student(mini_db, "Roux", "Inès")
    assert "classe_actuelle" not in export_student(mini_db, sid)["eleve"]
