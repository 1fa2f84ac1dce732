"""Note de liaison: nothing before the consent is recorded, only the ticked parts after, never
the private notes."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from db.errors import UserError
from db.students.privacy import access_log
from db.students.store import ShortlistItem, create_student, save_session, start_session
from db.students.transition import consent_of, record_consent, transition_note


@pytest.fixture
def student(mini_db) -> int:
    student_id = create_student(mini_db, "Durand", "Inès", "3e B", "Collège Jean Moulin")
    with mini_db.read() as session:
        state = start_session(session, student_id, "2026-05-02")
    state.interests = ["T-IDEO2.4807"]
    state.max_bac_plus = 2
    state.shortlist = [ShortlistItem("MET.1", "stage en juin")]
    state.next_steps = "Visiter le lycée"
    state.student_note = "Bravo"
    state.private_notes = "SECRET famille"
    save_session(mini_db, state)
    return student_id


def test_no_note_before_the_consent_of_pupil_and_family_is_recorded(mini_db, student):
    with pytest.raises(UserError, match="consentement de l'élève et de sa famille"):
        transition_note(mini_db, student, {"selection"})
    consent = record_consent(mini_db, student, "2026-05-10", "  l'élève et sa mère ")
    with mini_db.read() as session:
        assert consent_of(session, student) == consent
    assert consent.given_by == "l'élève et sa mère"
    note = transition_note(mini_db, student, {"selection", "prochaines_etapes"})
    assert note["note_de_liaison"] == {"parties": ["selection", "prochaines_etapes"],  # the order of PARTS
                                       "consentement_le": "2026-05-10", "consentement_de": "l'élève et sa mère",
                                       "transmise_par": {"nom": "", "structure": "", "contact": ""}}
    (latest,) = note["seances"]
    assert latest["selection"] == [{"metier": "MET.1", "libelle": "MET.1", "commentaire": "stage en juin"}]
    assert latest["prochaines_etapes"] == "Visiter le lycée"
    assert latest["centres_interet"] == [] and latest["note_eleve"] == ""
    assert latest["contraintes"]["niveau_max_bac_plus"] is None
    assert "SECRET" not in json.dumps(note)
    with mini_db.read() as session:
        assert [e["action"] for e in access_log(session)][:1] == ["liaison"]


def test_bad_consent_or_parts_are_refused_in_one_sentence(mini_db, student):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for day, who, message in (("2026-05-10", " ", "qui a donné son accord"), ("10/05/2026", "la mère", "date invalide"),
                              (tomorrow, "la mère", "futur"), ("2026-05-10", "x" * 101, "trop long")):
        with pytest.raises(UserError, match=message):
            record_consent(mini_db, student, day, who)
    with mini_db.read() as session:
        assert consent_of(session, student) is None
    record_consent(mini_db, student, "2026-05-10", "le père")
    with pytest.raises(UserError, match="cochez au moins une partie"):
        transition_note(mini_db, student, set())
    with pytest.raises(UserError, match="partie inconnue : notes_privees"):
        transition_note(mini_db, student, {"notes_privees"})


def test_the_command_records_consent_then_writes_an_owner_only_file(mini_db, db_location, student, capsys, tmp_path):
    from desktop.cli import main

    out = tmp_path / "liaison.json"
    db = ["--db", db_location]
    assert main(["students", "liaison", str(student), "--partie", "selection", "--out", str(out), *db]) == 2
    assert "consentement" in capsys.readouterr().err and not out.exists()
    assert main(["students", "consentement", str(student), "--le", "2026-05-10", "--par", "l'élève et son père",
                 *db]) == 0
    assert main(["students", "liaison", str(student), "--partie", "selection", "--out", str(out), *db]) == 0
    assert json.loads(out.read_text())["format"] == "orientation-eleve/2" and out.stat().st_mode & 0o077 == 0
    pdf = tmp_path / "liaison.pdf"
    assert main(["students", "liaison", str(student), "--partie", "selection", "--partie", "note_eleve",
                 "--out", str(pdf), *db]) == 0
    from pypdf import PdfReader

    (page,) = PdfReader(pdf).pages
    text = page.extract_text()
    assert "l'élève et son père" in text and "stage en juin" in text and "Bravo" in text
    assert "SECRET" not in text and "Visiter le lycée" not in text
    # Who sends it (the settings), so the next school knows whom to call; the parts in words.
    said = capsys.readouterr().out
    assert "(parties : métiers retenus, note pour l'élève ; jamais les notes privées)" in said
    assert main(["settings", "--conseiller", "Mme Dubois, PsyEN", "--structure", "CIO de Lyon Centre", "--contact",
                 "04 72 00 00 00", *db]) == 0
    assert main(["students", "liaison", str(student), "--partie", "selection", "--out", str(pdf), *db]) == 0
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Transmise par : Mme Dubois, PsyEN — CIO de Lyon Centre — 04 72 00 00 00." in text


def test_markup_typed_in_a_name_or_a_note_prints_as_typed(mini_db, tmp_path):
    from pypdf import PdfReader

    from reports.transition_pdf import write_transition_pdf

    sid = create_student(mini_db, "<b>Roux</b> & Fils", "Inès <i>", "3e B")
    with mini_db.read() as session:
        state = start_session(session, sid, "2026-05-02")
    state.student_note = "a < b & <font size=40>c</font>"
    save_session(mini_db, state)
    record_consent(mini_db, sid, "2026-05-10", "l'élève <img src='x'>")
    note = transition_note(mini_db, sid, {"note_eleve"})
    text = PdfReader(write_transition_pdf(note, {}, tmp_path / "n.pdf")).pages[0].extract_text()
    assert "Inès <i> <b>Roux</b> & Fils" in text
    assert "a < b & <font size=40>c</font>" in text and "l'élève <img src='x'>" in text
