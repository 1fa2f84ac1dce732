"""Student files (orientation-eleve/1) as a counselor meets them: a copy that comes back whole, a
wrong file refused in one French sentence naming the field with nothing written, no catalogue
entry ever created, no hang on a pipe or a device, and an import that a crash or Ctrl+C leaves
either absent or complete."""
from __future__ import annotations

import copy
import json
import os
import re
import signal
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from db.errors import UserError
from db.students.privacy import access_log, export_student
from db.students.student_file import MAX_FILE_BYTES, import_student, import_student_file, read_document
from db.students.store import (ShortlistItem, create_student, find_students, get_session, list_sessions, save_session,
                         start_session)
from tests.conftest import ROOT

SECRET = "NOTE-PRIVEE-7c1e"
TABLES = ("students", "sessions", "session_interests", "session_sectors", "shortlist", "comparison",
          "interests", "sectors", "access_log", "metiers")


def session_doc(day: str = "2026-11-20", **changes) -> dict:
    doc = {"date": day, "centres_interet": ["T-IDEO2.4807"],
           "centres_interet_libelles": ["ma vocation est de soigner"],
           "contraintes": {"niveau_max_bac_plus": 2, "niveau_max": "bac + 2", "salaire_min": 1800, "pays": "FR",
                           "secteurs_souhaites": [], "secteurs_refuses": ["T-IDEO2.4863"]},
           "selection": [{"metier": "ORI.aide-soignant", "commentaire": "à découvrir en stage"}],
           "comparaison": ["ORI.aide-soignant", "ORI.comptable"],
           "prochaines_etapes": "Stage", "note_eleve": "Bravo", "notes_privees": SECRET}
    doc.update(changes)
    return doc


def document(*sessions: dict) -> dict:
    return {"format": "orientation-eleve/1", "exporte_le": "2026-11-21T10:00:00", "notes_privees_incluses": True,
            "eleve": {"nom": "Kowalski", "prenom": "Łukasz", "classe": "3e B", "etablissement": "Collège Jean Moulin",
                      "annee_scolaire": "2026-2027"},
            "seances": list(sessions) or [session_doc()]}


def big_document(count: int) -> dict:
    first = date(2000, 1, 1)
    return document(*[session_doc((first + timedelta(days=n)).isoformat(), note_eleve=f"séance {n}")
                      for n in range(count)])


def snapshot(database) -> dict[str, list]:
    """Every row of the student and catalogue tables, to compare before/after a refused file."""
    with database.read() as session:
        return {t: sorted(map(tuple, session.execute(text(f"SELECT * FROM {t}"))), key=repr) for t in TABLES}


def count(database, table: str) -> int:
    with database.read() as session:
        return session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


# ------------------------------------------------------------------ round trip
def test_export_then_import_keeps_everything(mini_db, tmp_path):
    sid = create_student(mini_db, "Kowalski", "Łukasz", "3e B", "Collège Jean Moulin", "2026-2027")
    for day, interests in (("2027-02-03", ["T-IDEO2.4807", "T-IDEO2.4809"]), ("2026-11-20", ["T-IDEO2.4807"])):
        with mini_db.read() as session:
            state = start_session(session, sid, day)
        state.interests, state.max_bac_plus, state.min_salary, state.country = interests, -4, 0, "BE"
        state.sectors_wished, state.sectors_refused = ["T-IDEO2.4856"], ["T-IDEO2.4863"]
        state.shortlist = [ShortlistItem("ORI.aide-soignant", "à voir"), ShortlistItem("MET.9999", "")]
        state.comparison = ["ORI.aide-soignant", "ORI.comptable", "MET.9999"]
        state.next_steps, state.student_note, state.private_notes = "Stage", "Bravo Łukasz", SECRET
        save_session(mini_db, state)
    original = export_student(mini_db, sid, include_private=True)
    path = tmp_path / "eleve.json"
    path.write_text(json.dumps(original, ensure_ascii=False), encoding="utf-8")

    imported = import_student_file(mini_db, read_document(path), even_if_present=True)

    assert imported.id != sid and imported.sessions == 2 and imported.notes == []
    copy_ = export_student(mini_db, imported.id, include_private=True)
    assert {**copy_, "exporte_le": None} == {**original, "exporte_le": None}
    with mini_db.read() as session:
        assert {s.id: s.last_session_on for s in find_students(session)} == {sid: "2027-02-03",
                                                                             imported.id: "2027-02-03"}
        assert [(e["action"], e["eleve"]) for e in access_log(session)][:2] == [("export", imported.id),
                                                                                ("import", imported.id)]


def test_the_plain_function_still_returns_the_new_id(empty_db):
    student_id = import_student(empty_db, document())
    with empty_db.read() as session:
        assert [s.id for s in find_students(session)] == [student_id]


# ------------------------------------------------------------------ wrong files
def changed(path: tuple, value, *, base: dict | None = None) -> dict:
    """A valid two-session document with the value at ``path`` replaced (or removed for ...)."""
    doc = copy.deepcopy(base or document(session_doc("2026-11-20"), session_doc("2027-01-15")))
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


S0, S1 = ("seances", 0), ("seances", 1)
WRONG = [
    (changed((*S0, "contraintes", "pays"), ["FR"]),
     "« seances[0].contraintes.pays » doit être un code pays de 2 lettres"),
    (changed((*S1, "contraintes", "pays"), "FRA"), "« seances[1].contraintes.pays »"),
    (changed((*S0, "contraintes", "niveau_max_bac_plus"), {}), "« seances[0].contraintes.niveau_max_bac_plus »"),
    (changed((*S0, "contraintes", "niveau_max_bac_plus"), 42), "« seances[0].contraintes.niveau_max_bac_plus »"),
    (changed((*S0, "contraintes", "niveau_max_bac_plus"), True), "« seances[0].contraintes.niveau_max_bac_plus »"),
    (changed((*S0, "centres_interet"), "T-IDEO2.4807"), "« seances[0].centres_interet »"),
    (changed((*S0, "centres_interet"), [4807]), "« seances[0].centres_interet[0] »"),
    (changed((*S0, "centres_interet_libelles"), ["un", "deux"]), "« seances[0].centres_interet_libelles »"),
    (changed(("seances",), {"0": session_doc()}), "« seances » doit être une liste"),
    (changed(("seances",), [session_doc(), 42]), "« seances[1] » doit être un objet"),
    (changed((*S0, "contraintes", "salaire_min"), True), "« seances[0].contraintes.salaire_min »"),
    (changed((*S0, "contraintes", "salaire_min"), -5), "« seances[0].contraintes.salaire_min »"),
    (changed((*S0, "contraintes", "salaire_min"), 1800.5), "« seances[0].contraintes.salaire_min »"),
    (changed((*S0, "contraintes", "salaire_min"), "1800"), "« seances[0].contraintes.salaire_min »"),
    (changed((*S1, "date"), "2027-02-30"), "« seances[1].date » doit être une date AAAA-MM-JJ"),
    (changed((*S1, "date"), "20270215"), "« seances[1].date »"),
    (changed((*S0, "date"), ...), "« seances[0].date »"),
    (changed((*S0, "contraintes"), ["FR"]), "« seances[0].contraintes » doit être un objet"),
    (changed((*S0, "contraintes", "secteurs_souhaites"), "T-IDEO2.4856"),
     "« seances[0].contraintes.secteurs_souhaites »"),
    (changed((*S0, "contraintes", "secteurs_refuses"), [None]), "« seances[0].contraintes.secteurs_refuses[0] »"),
    (changed((*S0, "contraintes", "secteurs_souhaites"), ["T-IDEO2.4863"]), "à la fois souhaité et refusé"),
    (changed((*S0, "selection"), ["ORI.aide-soignant"]), "« seances[0].selection[0] » doit être un objet"),
    (changed((*S0, "selection"), [{"metier": None}]), "« seances[0].selection[0].metier »"),
    (changed((*S0, "selection"), [{"metier": "ORI.x", "commentaire": 5}]), "« seances[0].selection[0].commentaire »"),
    (changed((*S0, "comparaison"), ["A", "B", "C", "D", "E"]), "« seances[0].comparaison » contient trop"),
    (changed((*S0, "notes_privees"), [SECRET]), "« seances[0].notes_privees » doit être un texte"),
    (changed((*S1, "note_eleve"), "x" * 20_001), "« seances[1].note_eleve » est trop long"),
    (changed(("eleve",), "Kowalski"), "« eleve » doit être un objet"),
    (changed(("eleve", "nom"), ""), "« eleve.nom » doit être un texte non vide"),
    (changed(("eleve", "prenom"), 12), "« eleve.prenom »"),
    (changed(("eleve", "classe"), ["3e"]), "« eleve.classe »"),
    (changed(("eleve", "etablissement"), "é" * 101), "« eleve.etablissement » est trop long"),
    (changed(("format",), "orientation-eleve/3"), "n'est pas un dossier d'élève (« orientation-eleve/1 » ou « /2 »)"),
]


@pytest.mark.parametrize(("doc", "field"), WRONG, ids=[f for _, f in WRONG])
def test_a_wrong_field_is_named_in_one_french_sentence_and_nothing_is_written(empty_db, doc, field):
    import_student(empty_db, document())  # a student already there, whose rows must not move
    before = snapshot(empty_db)
    with pytest.raises(UserError) as caught:
        import_student_file(empty_db, doc)
    message = caught.value.message
    assert field in message
    assert "\n" not in message and SECRET not in message and "Kowalski" not in message
    assert snapshot(empty_db) == before


def test_too_many_sessions_is_refused_before_reading_them(empty_db, monkeypatch):
    monkeypatch.setattr("db.students.student_file.MAX_SESSIONS", 3)
    with pytest.raises(UserError, match=re.escape("« seances » contient trop d'entretiens (4 ; maximum 3)")):
        import_student_file(empty_db, big_document(4))
    assert count(empty_db, "students") == 0


# ------------------------------------------------------------------ catalogue never grows
def test_unknown_interests_are_matched_by_label_or_dropped_with_a_note_and_no_catalogue_row(empty_db):
    before = snapshot(empty_db)
    doc = document(session_doc(
        centres_interet=["T-IDEO2.4807", "AUTRE-CIO.12", "CI.la-cuisine-me-passionne", "AUTRE-CIO.12"],
        centres_interet_libelles=["ma vocation est de soigner", "J'aime organiser, gérer", "la cuisine me passionne",
                                  "J'aime organiser, gérer"],
        contraintes={"secteurs_souhaites": ["SEC.inconnu-ici"], "secteurs_refuses": ["T-IDEO2.4863"]}))

    imported = import_student_file(empty_db, doc)

    assert imported.notes == [
        "centre d'intérêt remplacé par son équivalent de ce catalogue : « J'aime organiser, gérer » → "
        "« j'aime organiser, gérer »",
        "centre d'intérêt inconnu de ce catalogue, retiré des entretiens : « la cuisine me passionne »",
        "secteur inconnu de ce catalogue, retiré des entretiens : SEC.inconnu-ici"]
    after = snapshot(empty_db)
    for table in ("interests", "sectors", "metiers"):
        assert after[table] == before[table], table
    session = export_student(empty_db, imported.id)["seances"][0]
    assert session["centres_interet"] == ["T-IDEO2.4807", "T-IDEO2.4814"]
    assert session["contraintes"]["secteurs_souhaites"] == [] and session["contraintes"]["secteurs_refuses"] == [
        "T-IDEO2.4863"]
    assert session["comparaison"] == ["ORI.aide-soignant", "ORI.comptable"]  # métiers kept even if unknown here


def test_many_unknown_interests_make_one_short_note(empty_db):
    ids = [f"X.{n}" for n in range(12)]
    imported = import_student_file(empty_db, document(session_doc(centres_interet=ids, centres_interet_libelles=ids)))
    assert len(imported.notes) == 1
    assert imported.notes[0].startswith("12 centres d'intérêt inconnus de ce catalogue, retirés des entretiens : "
                                        "« X.0 »")
    assert imported.notes[0].endswith("« X.4 » et 7 autre(s)")


def test_the_command_prints_the_notes(empty_db, db_location, tmp_path, capsys):
    from desktop.cli import main

    path = tmp_path / "eleve.json"
    path.write_text(json.dumps(document(session_doc(contraintes={"secteurs_refuses": ["SEC.x"]}))), encoding="utf-8")
    empty_db.close()
    assert main(["students", "import", str(path), "--db", db_location]) == 0
    out = capsys.readouterr().out
    assert "Dossier importé : élève numéro 1 (1 entretien(s))." in out
    assert "Remarque : secteur inconnu de ce catalogue, retiré des entretiens : SEC.x." in out


# ------------------------------------------------------------------ reading the file
def refused_within(path: Path, seconds: float = 2.0) -> str:
    """read_document's French refusal, which must come before ``seconds`` (a daemon thread: a
    hang fails the test instead of blocking it)."""
    outcome: dict[str, BaseException] = {}

    def target() -> None:
        try:
            read_document(path)
        except BaseException as exc:  # reported to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"read_document({path}) still running after {seconds} s"
    assert isinstance(outcome.get("error"), UserError), outcome
    return outcome["error"].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "eleve.json"
    os.mkfifo(fifo)
    assert "n'est pas un fichier ordinaire" in refused_within(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_at_once():
    assert "« /dev/zero » n'est pas un fichier ordinaire" in refused_within(Path("/dev/zero"))


def test_a_too_big_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "eleve.json"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert "est trop gros" in refused_within(big)


@pytest.mark.parametrize(("content", "expected"), [
    (b"\xff\xfe{}", "n'est pas un texte UTF-8"),
    (b'{"format": ', "n'est pas du JSON valide (ligne 1, colonne 12)"),
    (b"[" * 200_000, "JSON démesuré"),
    (b"", "n'est pas du JSON valide"),
])
def test_an_unreadable_file_is_named_in_french(tmp_path, content, expected):
    path = tmp_path / "eleve.json"
    path.write_bytes(content)
    message = refused_within(path)
    assert expected in message and f"« {path} »" in message


def test_missing_file_and_folder_are_named(tmp_path):
    assert f"« {tmp_path / 'absent.json'} » est introuvable" in refused_within(tmp_path / "absent.json")
    assert "est un dossier" in refused_within(tmp_path)


def test_a_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "eleve.json"
    path.write_bytes("\ufeff".encode() + json.dumps(document()).encode())
    assert read_document(path)["eleve"]["nom"] == "Kowalski"


# ------------------------------------------------------------------ size and atomicity
BIG = 20_000


def test_twenty_thousand_sessions_import_in_one_go(empty_db):
    imported = import_student_file(empty_db, big_document(BIG))
    assert imported.sessions == BIG and imported.notes == []
    with empty_db.read() as session:
        sessions = list_sessions(session, imported.id)
        assert len(sessions) == BIG
        assert find_students(session)[0].last_session_on == (date(2000, 1, 1) + timedelta(days=BIG - 1)).isoformat()
        assert [e["action"] for e in access_log(session)] == ["import"]
    for table, per_session in (("session_interests", 1), ("session_sectors", 1), ("shortlist", 1), ("comparison", 2)):
        assert count(empty_db, table) == BIG * per_session, table
    with empty_db.read() as session:
        last = get_session(session, sessions[-1][0])
    assert (last.student_note, last.private_notes, last.interests, last.sectors_refused) == (
        f"séance {BIG - 1}", SECRET, ["T-IDEO2.4807"], ["T-IDEO2.4863"])
    assert [(i.metier_id, i.comment) for i in last.shortlist] == [("ORI.aide-soignant", "à découvrir en stage")]


CHILD = """
import json, sys
import db.students.student_file as student_file
from db.storage.opening import open_database

insert_student = student_file._insert_student

def announced(*args, **kwargs):  # the write transaction is open and the student row is in it
    student_id = insert_student(*args, **kwargs)
    print("writing", flush=True)
    return student_id

student_file._insert_student = announced
database = open_database(sys.argv[1], load_starter=False, backups=False)
with open(sys.argv[2], encoding="utf-8") as handle:
    document = json.load(handle)
student_file.import_student(database, document)
print("done", flush=True)
"""


def assert_absent_or_complete(database, sessions: int) -> int:
    """The number of students, each of them whole."""
    with database.read() as session:
        for info in find_students(session):
            assert len(list_sessions(session, info.id)) == sessions, f"student {info.id} half-imported"
            assert info.last_session_on is not None
    students = count(database, "students")
    assert count(database, "sessions") == students * sessions
    assert count(database, "comparison") == students * sessions * 2
    assert count(database, "access_log") == students
    return students


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_an_interrupted_import_leaves_the_student_absent_or_complete(empty_db, db_location, tmp_path, signum):
    path = tmp_path / "gros.json"
    path.write_text(json.dumps(big_document(BIG)), encoding="utf-8")
    # Interrupted at different moments once the transaction holds the student row, then once let
    # to finish: the assertions hold whatever moment the signal actually lands.
    for pause in (0.0, 0.1, 0.2, 0.3, None):
        child = subprocess.Popen([sys.executable, "-c", CHILD, db_location, str(path)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "writing", child.stderr.read()
            if pause is not None:
                threading.Event().wait(pause)
                child.send_signal(signum)
            out, err = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        if pause is None:
            assert child.returncode == 0 and "done" in out, err
        assert_absent_or_complete(empty_db, BIG)
    assert assert_absent_or_complete(empty_db, BIG) >= 1  # the uninterrupted run is there, whole
