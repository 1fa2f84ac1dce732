"""RGPD: export/import round trip, private notes only by choice, real erasure, retention, access log."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import UserError
from db.models import Student
from db.students.privacy import (access_log, count_past_retention, erase_student, export_student, import_student,
                                 past_retention, purge, retention_cutoff, retention_deadline, set_retention_extra_years)
from db.students.store import ShortlistItem, create_student, find_students, save_session, start_session

SECRET = "NOTE-PRIVEE-UNIQUE-7f3a9c"


def student_with_history(db) -> int:
    sid = create_student(db, "Kowalski", "Łukasz", "3e B", "Collège Jean Moulin", "2026-2027")
    for day, interests in (("2026-11-20", ["T-IDEO2.4807"]), ("2027-02-03", ["T-IDEO2.4807", "T-IDEO2.4809"])):
        with db.read() as session:
            state = start_session(session, sid, day)
        state.interests = interests
        state.max_bac_plus, state.min_salary, state.sectors_refused = 2, 1800, ["T-IDEO2.4863"]
        state.shortlist = [ShortlistItem("ORI.aide-soignant", "à découvrir en stage"), ShortlistItem("MET.9999", "")]
        state.comparison = ["ORI.aide-soignant", "ORI.comptable"]
        state.next_steps, state.student_note, state.private_notes = "Stage", "Bravo Łukasz", SECRET
        save_session(db, state)
    return sid


def without_ids(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "exporte_le"}


def test_export_format_and_private_notes_only_by_choice(mini_db):
    sid = student_with_history(mini_db)
    document = export_student(mini_db, sid)
    assert document["format"] == "orientation-eleve/2" and document["notes_privees_incluses"] is False
    assert document["eleve"] == {"nom": "Kowalski", "prenom": "Łukasz", "classe": "3e B",
                                 "etablissement": "Collège Jean Moulin", "annee_scolaire": "2026-2027"}
    first = document["seances"][0]
    assert first["date"] == "2026-11-20" and first["centres_interet"] == ["T-IDEO2.4807"]
    assert first["contraintes"]["niveau_max"] == "bac + 2"
    assert first["contraintes"]["secteurs_refuses"] == ["T-IDEO2.4863"]
    # The name beside the id, for the family reading its file; a métier no longer in the catalogue keeps its id.
    assert first["selection"] == [{"metier": "ORI.aide-soignant", "libelle": "aide-soignant/e",
                                   "commentaire": "à découvrir en stage"},
                                  {"metier": "MET.9999", "libelle": "MET.9999", "commentaire": ""}]
    assert first["notes_privees"] is None and SECRET not in json.dumps(document)
    assert export_student(mini_db, sid, include_private=True)["seances"][1]["notes_privees"] == SECRET


def test_round_trip_is_identical_apart_from_ids(mini_db):
    sid = student_with_history(mini_db)
    original = export_student(mini_db, sid, include_private=True)
    copy_id = import_student(mini_db, json.loads(json.dumps(original)), even_if_present=True)
    assert copy_id != sid
    assert without_ids(export_student(mini_db, copy_id, include_private=True)) == without_ids(original)


def test_bad_document_is_refused_and_creates_nothing(mini_db):
    with pytest.raises(UserError, match="orientation-eleve/1"):
        import_student(mini_db, {"format": "autre"})
    bad = {"format": "orientation-eleve/1", "eleve": {"nom": "A", "prenom": "B"},
           "seances": [{"date": "pas une date"}]}
    with pytest.raises(UserError, match="date d'entretien invalide"):
        import_student(mini_db, bad)
    with mini_db.read() as session:
        assert find_students(session) == []


@pytest.mark.sqlite_only(reason="aucun octet effacé ne reste dans le fichier SQLite (secure_delete)")
def test_erasure_leaves_no_byte_in_the_database_files(mini_db, db_path):
    sid = student_with_history(mini_db)
    export_student(mini_db, sid)  # a read that touches the WAL too
    assert any(SECRET.encode() in p.read_bytes() for p in db_path.parent.glob("orientation.sqlite*"))
    result = erase_student(mini_db, sid)
    assert result.wal_truncated
    for path in db_path.parent.glob("orientation.sqlite*"):
        content = path.read_bytes()
        assert SECRET.encode() not in content, path.name
        assert b"Kowalski" not in content and "Łukasz".encode() not in content, path.name
    with mini_db.read() as session:
        assert find_students(session) == []


def test_retention_deadline_is_end_of_school_year_plus_setting():
    assert retention_deadline("2026-11-20") == date(2027, 8, 31)
    assert retention_deadline("2027-06-30") == date(2027, 8, 31)
    assert retention_deadline("2027-09-01", 2) == date(2030, 8, 31)


@given(st.dates(date(2015, 1, 1), date(2035, 12, 31)), st.dates(date(2015, 1, 1), date(2035, 12, 31)),
       st.integers(0, 10))
def test_the_sql_cutoff_agrees_with_the_deadline_for_every_day(last, today, extra):
    # past_retention asks SQL "seen before the cutoff"; it must name exactly the records whose
    # deadline has passed.
    assert (retention_deadline(last.isoformat(), extra) < today) == (last < retention_cutoff(today, extra))


def test_records_never_seen_count_from_their_creation_and_the_reminder_counts_them(mini_db):
    never_seen = create_student(mini_db, "Jamais", "Vu")
    with mini_db.write() as session:
        session.get(Student, never_seen).created_at = datetime(2024, 9, 1, 8, 0)  # school year 2024-2025
    fresh = create_student(mini_db, "Nouveau", "Dossier")
    with mini_db.read() as session:
        assert [s.id for s in past_retention(session, date(2025, 9, 1))] == [never_seen]
        assert count_past_retention(session, date(2025, 9, 1)) == 1
        assert count_past_retention(session, date(2025, 8, 31)) == 0
        assert fresh not in [s.id for s in past_retention(session, date(2026, 11, 21))]


def test_purge_erases_only_records_past_retention(mini_db):
    old = create_student(mini_db, "Ancien", "Élève")
    with mini_db.read() as session:
        state = start_session(session, old, "2024-10-01")
    save_session(mini_db, state)
    recent = student_with_history(mini_db)
    with mini_db.read() as session:
        assert [s.id for s in past_retention(session, date(2026, 11, 21))] == [old]
    set_retention_extra_years(mini_db, 3)
    with mini_db.read() as session:
        assert past_retention(session, date(2026, 11, 21)) == []
    set_retention_extra_years(mini_db, 0)
    assert purge(mini_db, date(2026, 11, 21)) == [old]
    with mini_db.read() as session:
        assert [s.id for s in find_students(session)] == [recent]


def test_access_log_records_actions_never_contents(mini_db):
    sid = student_with_history(mini_db)
    export_student(mini_db, sid)
    erase_student(mini_db, sid)
    with mini_db.read() as session:
        entries = access_log(session)
    saves = [("entretien", sid)] * 2  # student_with_history saves two sessions
    assert [(e["action"], e["eleve"]) for e in entries] == [("effacement", sid), ("export", sid), *saves]
    assert SECRET not in json.dumps(entries) and "Kowalski" not in json.dumps(entries)


def test_import_never_adds_interests_to_this_catalogue(mini_db):
    """An interest unknown here is dropped (with a note), not recreated: a student file never
    changes the catalogue (see tests/db/test_student_file.py for matching by label)."""
    from db.models import InterestRow
    from db.students.student_file import import_student_file

    document = {"format": "orientation-eleve/1", "eleve": {"nom": "Roux", "prenom": "Inès"},
                "seances": [{"date": "2026-10-02", "centres_interet": ["CI.la-cuisine-me-passionne"],
                             "centres_interet_libelles": ["la cuisine me passionne"]}]}
    imported = import_student_file(mini_db, document, even_if_present=True)
    with mini_db.read() as session:
        assert session.get(InterestRow, "CI.la-cuisine-me-passionne") is None
    assert imported.notes == ["centre d'intérêt inconnu de ce catalogue, retiré des entretiens : "
                              "« la cuisine me passionne »"]
    assert export_student(mini_db, imported.id)["seances"][0]["centres_interet"] == []
