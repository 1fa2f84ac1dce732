"""RGPD: a student's file carries their follow-up (bilan handed over, consent to the note de
liaison, the milestones concerning them), an import brings it back, an erasure takes it all
(milestones of this student alone included, those shared kept), and a note de liaison never
carries it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db.errors import UserError
from db.models import BilanHandover, LiaisonConsent, Milestone, MilestoneStudent
from db.students.caseload import add_milestone, milestones, record_bilan_given
from db.students.privacy import erase_student, export_student, import_student
from db.students.store import SessionState, create_student, save_session
from db.students.transition import record_consent, transition_note

OWN_TITLE = "Zqrdvinesxw"  # a milestone about this student alone (its title may name them)


@pytest.fixture
def followed(mini_db):
    sid = create_student(mini_db, "Durand", "Inès", "3e B", "Collège Jean Moulin", "2025-2026")
    other = create_student(mini_db, "Petit", "Noah", "3e B", "Collège Jean Moulin", "2025-2026")
    save_session(mini_db, SessionState(student_id=sid, date="2026-03-02", next_steps="Stage"))
    record_bilan_given(mini_db, sid, "2026-05-12")
    record_consent(mini_db, sid, "2026-06-02", "l'élève et sa mère")
    add_milestone(mini_db, "Vœux Affelnet", "2026-05-20", [sid, other])
    add_milestone(mini_db, OWN_TITLE, "2026-04-01", [sid])
    return mini_db, sid, other


def test_the_export_carries_the_follow_up_and_the_import_brings_it_back(followed):
    db, sid, _ = followed
    document = export_student(db, sid)
    assert document["suivi"] == {"bilan_remis_le": "2026-05-12",
                                 "consentement_liaison": {"le": "2026-06-02", "par": "l'élève et sa mère"},
                                 "echeances": [{"titre": OWN_TITLE, "date": "2026-04-01"},
                                               {"titre": "Vœux Affelnet", "date": "2026-05-20"}]}
    copy_id = import_student(db, json.loads(json.dumps(document)), even_if_present=True)
    again = export_student(db, copy_id)
    assert again["suivi"] == document["suivi"]
    with db.read() as session:
        assert [m.student_ids for m in milestones(session) if m.title == "Vœux Affelnet"][-1] == [copy_id]


def test_a_file_without_follow_up_still_imports_and_a_bad_one_is_refused_whole(followed):
    db, sid, _ = followed
    document = export_student(db, sid)
    del document["suivi"]
    plain = import_student(db, document, even_if_present=True)
    assert export_student(db, plain)["suivi"] == {"bilan_remis_le": None, "consentement_liaison": None,
                                                  "echeances": []}
    document["suivi"] = {"echeances": [{"titre": "Parcoursup", "date": "2026-13-40"}]}
    with db.read() as session:
        before = session.execute(select(func.count()).select_from(Milestone)).scalar_one()
    with pytest.raises(UserError, match=r"« suivi.echeances\[0\].date » doit être une date AAAA-MM-JJ"):
        import_student(db, document)
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Milestone)).scalar_one() == before


@pytest.mark.sqlite_only(reason="l'effacement atteint les sauvegardes du fichier SQLite")
def test_erasure_takes_the_follow_up_and_the_milestones_of_this_student_alone(followed, db_path):
    from db.storage.backup import automatic_backup

    db, sid, other = followed
    copy = automatic_backup(db_path, "quotidienne")
    assert OWN_TITLE.encode() in copy.read_bytes()
    erase_student(db, sid)
    with db.read() as session:
        for table in (BilanHandover, LiaisonConsent, MilestoneStudent):
            assert session.execute(select(func.count()).select_from(table)
                                   .where(table.student_id == sid)).scalar_one() == 0
        assert [(m.title, m.student_ids) for m in milestones(session)] == [("Vœux Affelnet", [other])]
    for path in db_path.parent.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert OWN_TITLE.encode() not in content and "l'élève et sa mère".encode() not in content, path


def test_a_note_de_liaison_never_carries_the_follow_up(followed):
    db, sid, _ = followed
    assert "suivi" not in transition_note(db, sid, {"prochaines_etapes"})
