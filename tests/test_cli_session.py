"""A whole counselling session scripted through the ``orientation`` command, as a counselor's
script would run it: create the pupil, record the session, read it back, suggest, print."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli import main
from tests.conftest import ROOT
from tests.test_cli import run

CARE, USEFUL = "T-IDEO2.4807", "T-IDEO2.4812"  # "ma vocation est de soigner", "je veux être utile aux autres"
HEALTH, BUILDING = "T-IDEO2.4869", "T-IDEO2.4863"  # Santé, Bâtiment et travaux publics (BTP)

SCRIPT = ["--interet", "ma vocation est de soigner", "--interet", USEFUL, "--niveau-max", "bac + 2",
          "--salaire-min", "1800", "--secteur", "santé", "--secteur-refuse", "BTP",
          "--retenir", "ORI.aide-soignant", "--commentaire", "à découvrir en stage", "--retenir", "ORI.comptable",
          "--note", "Bravo pour ta curiosité, Zoé !", "--etape", "Stage d'observation en EHPAD",
          "--etape", "Portes ouvertes du lycée"]


@pytest.fixture
def db(mini_db, db_location) -> str:
    """A database file holding only the eight test fiches (tests/data/mini.jsonl)."""
    mini_db.close()
    return db_location


@pytest.fixture
def zoe(db, capsys) -> str:
    """Zoé Martin (3e B), pupil number 1, with the session of SCRIPT recorded."""
    assert run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Zoé", "--classe", "3e B", "--db", db)[0] == 0
    status, out, err = run(capsys, "students", "seance", "1", *SCRIPT, "--db", db)
    assert status == 0, err
    return out


def show(capsys, db: str, *extra: str) -> dict:
    status, out, err = run(capsys, "students", "show", "1", "--format", "json", *extra, "--db", db)
    assert status == 0, err
    return json.loads(out)


def test_a_scripted_session_is_recorded_whole(db, zoe, capsys):
    assert zoe.startswith("Entretien du ") and " enregistré — élève numéro 1." in zoe.splitlines()[0]
    for line in ("Centres d'intérêt : je veux être utile aux autres ; ma vocation est de soigner",
                 "Niveau d'études visé (au plus) : bac + 2", "Secteurs souhaités : Santé",
                 "Secteurs refusés : Bâtiment et travaux publics (BTP)",
                 "1. aide-soignant/e [ORI.aide-soignant] — à découvrir en stage", "2. comptable [ORI.comptable]",
                 "– Stage d'observation en EHPAD", "Note pour l'élève : Bravo pour ta curiosité, Zoé !"):
        assert line in zoe, line
    record = show(capsys, db)
    assert {k: record[k] for k in ("id", "nom", "prenom", "classe")} == {"id": 1, "nom": "Martin", "prenom": "Zoé",
                                                                         "classe": "3e B"}
    [session] = record["entretiens"]
    assert record["dernier_entretien"] == session["date"]
    assert session["centres_interet"] == [{"id": USEFUL, "libelle": "je veux être utile aux autres"},
                                          {"id": CARE, "libelle": "ma vocation est de soigner"}]
    assert (session["niveau_max"], session["niveau_max_bac_plus"], session["salaire_min"]) == ("bac + 2", 2, 1800)
    assert session["secteurs_souhaites"] == [{"id": HEALTH, "libelle": "Santé"}]
    assert session["secteurs_refuses"] == [{"id": BUILDING, "libelle": "Bâtiment et travaux publics (BTP)"}]
    assert session["selection"] == [
        {"id": "ORI.aide-soignant", "nom": "aide-soignant/e", "commentaire": "à découvrir en stage"},
        {"id": "ORI.comptable", "nom": "comptable", "commentaire": ""}]
    assert session["prochaines_etapes"] == "Stage d'observation en EHPAD\nPortes ouvertes du lycée"
    assert session["note_eleve"] == "Bravo pour ta curiosité, Zoé !"
    assert "notes_privees" not in session


def test_the_scripted_session_drives_suggest_and_the_bilan(db, zoe, capsys, tmp_path):
    status, out, _ = run(capsys, "suggest", "1", "--format", "json", "--db", db)
    ranked = [r["id"] for r in json.loads(out)]
    # Both interests, the wished sector and the salary: aide-soignant leads (score 18). The
    # doctor (bac + 9) is above the level, the mason in the refused sector: neither comes up.
    assert status == 0 and ranked[0] == "ORI.aide-soignant"
    assert "ORI.medecin-generaliste" not in ranked and "ORI.macon" not in ranked
    status, out, err = run(capsys, "report", "1", "--out", str(tmp_path / "bilan.pdf"), "--db", db)
    assert status == 0, err
    reader = PdfReader(io.BytesIO((tmp_path / "bilan.pdf").read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\u202f", " ").replace("\xa0", " ")
    text = " ".join(text.split())  # words as read, whatever the line breaks of the bilan's narrow columns
    for expected in ("Zoé Martin", "1. Aide-soignant/e", "2. Comptable", "à découvrir en stage",
                     "Stage d'observation en EHPAD", "Bravo pour ta curiosité, Zoé !"):
        assert expected in text, expected


def test_suggest_prints_the_score_as_the_window_does(db, zoe, capsys):
    # « score 11.67 » on the terminal, « score 11,7 » in the window; the id --retenir wants at the end.
    status, out, _ = run(capsys, "suggest", "1", "--db", db)
    first = out.splitlines()[0]
    assert status == 0 and re.fullmatch(r" 1\. aide-soignant/e  \(score \d+,\d\) — ORI\.aide-soignant", first), first


def test_a_new_session_continues_the_last_and_removals_apply(db, zoe, capsys):
    status, _, err = run(capsys, "students", "seance", "1", "--nouvelle", "--retirer-interet", "soigner",
                           "--retirer", "ORI.comptable", "--retirer-secteur", "BTP", "--niveau-max", "aucun",
                           "--salaire-min", "aucun", "--secteur-refuse", "santé", "--db", db)
    assert status == 0, err
    first, second = show(capsys, db)["entretiens"]
    assert [i["id"] for i in first["centres_interet"]] == [USEFUL, CARE]  # the earlier session is untouched
    assert first["selection"][1]["id"] == "ORI.comptable"
    assert [i["id"] for i in second["centres_interet"]] == [USEFUL]
    assert second["selection"] == [first["selection"][0]]  # the comment carried over
    assert (second["niveau_max"], second["salaire_min"]) == (None, None)
    # "santé" moved from wished to refused rather than sitting in both lists
    assert second["secteurs_souhaites"] == [] and second["secteurs_refuses"] == [{"id": HEALTH, "libelle": "Santé"}]
    assert second["prochaines_etapes"] == first["prochaines_etapes"] and second["note_eleve"] == ""


def test_a_comment_on_a_metier_already_kept_keeps_its_place(db, zoe, capsys):
    status, _, err = run(capsys, "students", "seance", "1", "--retenir", "ORI.comptable", "--commentaire",
                         "à voir au forum", "--db", db)
    assert status == 0, err
    [session] = show(capsys, db)["entretiens"]
    assert [(i["id"], i["commentaire"]) for i in session["selection"]] == [
        ("ORI.aide-soignant", "à découvrir en stage"), ("ORI.comptable", "à voir au forum")]


@pytest.mark.parametrize("argv, message", [
    (["--interet", "je veux être utile aux autres", "--retenir", "MET.999999"],
     "aucun métier n'a l'identifiant « MET.999999 » (les identifiants sont dans la dernière colonne"),
    # A name typed for an identifier: the fiches of that name are offered.
    (["--retenir", "maçon"], "aucun métier n'a l'identifiant « maçon » ; vouliez-vous dire ORI.macon (maçon/ne) ?"),
    (["--interet", "astronomie lunaire"], "centre d'intérêt inconnu : « astronomie lunaire »"),
    (["--interet", "j'aime"], "centre d'intérêt ambigu : « j'aime »"),
    (["--secteur", "astronomie lunaire"], "secteur inconnu"),
    # The labels near what was typed, not the whole list (64 sectors were listed for a typo).
    (["--secteur", "santee"], "secteur inconnu : « santee » ; vouliez-vous dire « Santé » ?"),
    (["--interet", "aime les animaux"], "« aime les animaux » ; vouliez-vous dire « je veux m'occuper d'animaux » ?"),
    (["--secteur", "BTP", "--secteur-refuse", "BTP"], "ne peut pas être à la fois souhaité et refusé"),
    (["--niveau-max", "bac + 12"], "niveau d'études inconnu « bac + 12 »"),
    (["--salaire-min", "beaucoup"], "salaire minimum invalide : « beaucoup »"),
    (["--salaire-min", "99999"], "salaire minimum invalide : « 99999 » (un montant en euros bruts par mois, "
                                 "de 0 à 10\u202f000 €"),  # the window's maximum too
    (["--retirer", "ORI.macon"], "le métier « ORI.macon » n'est pas dans la sélection"),
    (["--retirer-interet", "j'aime bouger"], "« j'aime bouger » n'est pas parmi les centres d'intérêt"),
    (["--note", "x" * 20_001], "trop long"),
])
def test_a_bad_value_is_one_french_sentence_and_changes_nothing(db, zoe, capsys, argv, message):
    before = show(capsys, db)
    log_before = run(capsys, "students", "log", "--format", "json", "--db", db)[1]
    status, out, err = run(capsys, "students", "seance", "1", "--salaire-min", "2500", *argv, "--db", db)
    assert status == 2 and out == ""
    assert err.startswith("Erreur : ") and message in err and len(err.strip().splitlines()) == 1
    assert show(capsys, db) == before  # not even the valid --salaire-min 2500 was kept
    assert run(capsys, "students", "log", "--format", "json", "--db", db)[1] == log_before


def test_unknown_pupil_and_comment_without_metier(db, capsys):
    status, _, err = run(capsys, "students", "seance", "999", "--interet", "j'aime bouger", "--db", db)
    assert status == 2 and "aucun élève n'a le numéro 999" in err
    with pytest.raises(SystemExit) as exc:
        main(["students", "seance", "1", "--commentaire", "à voir", "--db", db])
    assert exc.value.code == 2 and "--commentaire suit le --retenir" in capsys.readouterr().err


def test_a_pupil_without_session_is_told_how_to_start_one(db, capsys):
    run(capsys, "students", "add", "--nom", "Roux", "--prenom", "Inès", "--db", db)
    status, _, err = run(capsys, "students", "seance", "1", "--db", db)
    assert status == 2 and "aucun entretien : ajoutez --nouvelle" in err
    status, out, _ = run(capsys, "students", "show", "1", "--db", db)
    assert status == 0 and out.startswith("Élève numéro 1 : Inès Roux") and "Aucun entretien" in out


def test_private_notes_are_shown_only_when_asked(db, zoe, capsys):
    from db.storage.opening import open_database
    from db.students.store import latest_session, save_session

    database = open_database(db)
    with database.read() as session:
        state = latest_session(session, 1)
    assert state is not None
    state.private_notes = "famille en difficulté"
    save_session(database, state)
    database.close()
    assert "famille en difficulté" not in json.dumps(show(capsys, db), ensure_ascii=False)
    assert "famille en difficulté" not in run(capsys, "students", "show", "1", "--db", db)[1]
    assert show(capsys, db, "--avec-notes-privees")["entretiens"][0]["notes_privees"] == "famille en difficulté"
    # a scripted edit leaves the private note as it was
    run(capsys, "students", "seance", "1", "--etape", "Rendez-vous en janvier", "--db", db)
    assert show(capsys, db, "--avec-notes-privees")["entretiens"][0]["notes_privees"] == "famille en difficulté"


def test_each_scripted_edit_is_traced_without_content(db, zoe, capsys):
    from desktop.cli.logs import log_file

    status, out, _ = run(capsys, "students", "log", "--format", "json", "--db", db)
    entries = json.loads(out)
    assert status == 0
    assert [(e["action"], e["eleve"]) for e in entries] == [("entretien", 1)]
    run(capsys, "students", "seance", "1", "--db", db)  # nothing asked: nothing saved, nothing traced
    assert json.loads(run(capsys, "students", "log", "--format", "json", "--db", db)[1]) == entries
    logged = Path(log_file()).read_text(encoding="utf-8") if Path(log_file()).exists() else ""
    for content in ("Zoé", "Martin", "EHPAD", "curiosité"):
        assert content not in json.dumps(entries, ensure_ascii=False) and content not in logged


# ------------------------------------------------------------------ frictions of issue 14
@pytest.mark.parametrize("command", [["report", "999", "--out", "bilan.pdf"], ["suggest", "999"]])
def test_an_unknown_pupil_is_named_as_such(db, capsys, tmp_path, command):
    status, _, err = run(capsys, *command, "--db", db)
    assert status == 2 and "aucun élève n'a le numéro 999" in err and "entretien" not in err
    assert not (tmp_path / "bilan.pdf").exists()


def test_adding_the_same_pupil_twice_is_refused_unless_asked(db, capsys):
    assert run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Zoé", "--classe", "3e B", "--db", db)[0] == 0
    status, _, err = run(capsys, "students", "add", "--nom", "MARTIN", "--prenom", "zoe", "--classe", "3E B",
                         "--db", db)
    assert status == 2
    assert err.strip() == ("Erreur : Zoé Martin (3e B) existe déjà : élève numéro 1 ; "
                           "ajoutez --meme-si-existe pour créer quand même un second dossier")
    status, out, _ = run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Zoé", "--classe", "4e A",
                         "--db", db)
    assert status == 0 and "numéro 2" in out  # another class: another pupil
    status, out, _ = run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Zoé", "--classe", "3e B",
                         "--doublon", "--db", db)
    assert status == 0 and "numéro 3" in out
    listed = json.loads(run(capsys, "students", "list", "--format", "json", "--db", db)[1])
    assert sorted(s["id"] for s in listed) == [1, 2, 3]


def test_a_missing_file_is_said_in_french(db, capsys, tmp_path):
    missing = str(tmp_path / "absent.json")
    status, _, err = run(capsys, "students", "import", missing, "--db", db)
    assert status == 2 and err.strip() == f"Erreur : le fichier « {missing} » est introuvable"
    status, out, err = run(capsys, "import", str(tmp_path / "absent.md"), "--db", db)
    assert status == 1 and "est introuvable" in out
    assert "No such file" not in out + err


def test_the_real_command_in_a_real_process(db):
    def orientation(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "desktop.cli", *argv, "--db", db], cwd=ROOT,
                              capture_output=True, text=True)

    assert orientation("students", "add", "--nom", "Martin", "--prenom", "Zoé").returncode == 0
    result = orientation("students", "seance", "1", "--interet", "j'aime bouger", "--retenir", "ORI.macon",
                         "--commentaire", "stage chez un artisan")
    assert result.returncode == 0, result.stderr
    assert "1. maçon/ne [ORI.macon] — stage chez un artisan" in result.stdout


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


def test_two_sessions_of_one_day_are_told_apart_by_their_number(db, capsys, tmp_path):
    # A pupil seen twice the same day (morning, then with a parent): the date names the last one only.
    from db.storage.opening import open_database
    from db.students.store import create_student, save_session, start_session

    database = open_database(db)
    try:
        sid = create_student(database, "Martin", "Zoé", "3e B")
        for note in ("Bravo pour ta curiosité, Zoé !", "Deuxième rendez-vous, avec ta mère."):
            with database.read() as session:
                state = start_session(session, sid, "2026-11-20")
            state.student_note = note
            save_session(database, state)
    finally:
        database.close()
    for which, note in (("1", "Bravo pour ta curiosité, Zoé !"), ("2/2", "Deuxième rendez-vous, avec ta mère."),
                        ("2026-11-20", "Deuxième rendez-vous, avec ta mère.")):
        out = tmp_path / f"bilan-{which.replace('/', '-')}.pdf"
        status, _, err = run(capsys, "report", str(sid), "--seance", which, "--out", str(out), "--db", db)
        assert status == 0, err
        text = _pdf_text(out)
        assert note in text, which
        assert ("Bravo pour ta curiosité" in text) == (which == "1")
    # « 2/12 » may be the 2nd of December: refused, since this pupil has no 12 sessions.
    for wrong in ("3", "2/12"):
        status, _, err = run(capsys, "report", str(sid), "--seance", wrong, "--out", str(tmp_path / "x.pdf"),
                             "--db", db)
        assert status == 2 and f"pas d'entretien numéro {wrong} : cet élève en a 2" in err, err
        assert "AAAA-MM-JJ" in err
    status, _, err = run(capsys, "suggest", str(sid), "--seance", "hier", "--db", db)
    assert status == 2 and "entretien invalide : « hier »" in err and "students show" in err


def test_the_school_year_is_two_years_in_a_row_and_the_edit_says_what_is_now(db, zoe, capsys):
    # « --annee-scolaire abcd » was kept (the year groups the caseload and dates each erasure), and
    # the confirmation said « classe actuelle : 3e » whatever was changed.
    for typed in ("abcd", "2027-2026", "2026"):
        status, _, err = run(capsys, "students", "edit", "1", "--annee-scolaire", typed, "--db", db)
        assert status == 2 and f"année scolaire invalide : « {typed} »" in err
    status, out, _ = run(capsys, "students", "edit", "1", "--annee-scolaire", "2030/31", "--db", db)
    assert status == 0 and out.startswith("Élève numéro 1 modifié : Zoé Martin — 3e B · classe actuelle : 3e")
    assert out.rstrip().endswith("· 2030-2031")
    assert show(capsys, db)["annee_scolaire"] == "2030-2031"


def test_report_says_where_the_html_page_went_and_refuses_a_pupil_and_a_class(db, zoe, capsys, tmp_path):
    out_pdf = tmp_path / "zoe.pdf"
    status, out, _ = run(capsys, "report", "1", "--html", "--out", str(out_pdf), "--db", db)
    assert status == 0 and f"Page HTML accessible : {tmp_path / 'zoe.html'}" in out
    status, _, err = run(capsys, "report", "1", "--classe", "3e B", "--out", str(tmp_path / "d"), "--db", db)
    assert status == 2 and "soit le numéro d'un élève, soit --classe" in err and not (tmp_path / "d").exists()
