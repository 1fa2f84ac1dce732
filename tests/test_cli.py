"""The `orientation` command, run as a user would (in process and as a real process)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from desktop.cli import main
from tests.conftest import DATA, ROOT


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def filled(mini_db, db_location) -> str:
    """A database file holding only the eight test fiches (no starter catalogue)."""
    mini_db.close()
    return db_location


def test_import_prints_a_summary_per_file_and_totals(empty_db, db_location, capsys, tmp_path):
    bad = tmp_path / "vide.txt"
    bad.write_bytes(b"")
    status, out, _ = run(capsys, "import", str(DATA / "mini.jsonl"), str(bad), "--db", db_location)
    assert status == 1  # one file refused
    assert "mini.jsonl : importé (orientation-fiche/1 ; 8 nouvelle(s) fiche(s), 0 mise(s) à jour)" in out
    assert "vide.txt : refusé — fichier vide" in out
    assert "Total : 2 fichier(s), 1 accepté(s), 1 refusé(s) ; 8 fiche(s) créée(s)" in out


def test_dry_run_writes_nothing(empty_db, db_location, capsys):
    status, out, _ = run(capsys, "import", "--dry-run", str(DATA / "mini.jsonl"), "--db", db_location)
    assert status == 0 and "mini.jsonl : vérifié (orientation-fiche/1 ; 8 fiche(s) lue(s))" in out
    # It said « 8 fiche(s) créée(s) » though nothing was.
    assert out.rstrip().endswith("8 fiche(s) lue(s). Rien n'a été enregistré (vérification seulement).")
    assert "créée" not in out
    status, out, _ = run(capsys, "search", "--format", "json", "--db", db_location)
    assert json.loads(out) == []


def test_a_big_folder_lists_only_the_files_to_look_at(empty_db, db_location, capsys, tmp_path):
    # 893 ONISEP fiches printed 893 lines; their one warning was lost among them.
    folder = tmp_path / "fiches"
    folder.mkdir()
    for n in range(22):
        (folder / f"f{n:02}.jsonl").write_text(json.dumps({"format": "orientation-fiche/1", "id": f"ORI.essai-{n}",
                                                           "nom": f"métier d'essai {n}", "pays": "FR"}) + "\n",
                                               encoding="utf-8")
    for n in range(3):
        (folder / f"note{n}.txt").write_text("une lettre, pas une fiche", encoding="utf-8")
    status, out, _ = run(capsys, "import", str(folder), "--db", db_location)
    lines = out.splitlines()
    assert status == 1 and not any("f03.jsonl" in line for line in lines)
    assert "22 autre(s) fichier(s) importé(s) sans remarque (--detail pour les lister)." in lines
    # The three letters: their reason once, then each of them.
    assert sum("format non reconnu" in line for line in lines) == 1
    assert lines[0].startswith("3 fichiers refusés — format non reconnu") and lines[1].endswith("note0.txt")
    status, out, _ = run(capsys, "import", str(folder), "--detail", "--db", db_location)
    assert "f03.jsonl : mis à jour" in out


def test_search_level_and_salary_json(filled, capsys):
    status, out, _ = run(capsys, "search", "--niveau-max", "bac + 2", "--salaire-min", "2000",
                         "--format", "json", "--db", filled)
    assert status == 0
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["ORI.technicien-de-maintenance-industrielle"]
    assert all(r["bac_plus"] <= 2 and r["salaire_min"] >= 2000 for r in rows)


def test_search_by_labels_and_table_output(filled, capsys):
    status, out, _ = run(capsys, "search", "--secteur", "santé", "--interet", "je veux être utile aux autres",
                         "--db", filled)
    assert status == 0
    assert "aide-soignant/e" in out and "à partir de 1\u202f850\u202f€" in out
    assert "médecin généraliste" not in out  # interest not ticked on that fiche
    assert out.rstrip().endswith("1 métier(s)")


@pytest.mark.parametrize(("typed", "found", "left_out"), [
    ("BTSA", "ORI.comptable", "ORI.oenologue"),  # bac + 2
    ("M2", "ORI.oenologue", "ORI.medecin-generaliste"),  # bac + 5
    ("diplôme d’ingénieur", "ORI.ingenieur-informaticien", "ORI.medecin-generaliste"),
    ("doctorat", "ORI.medecin-generaliste", None),  # bac + 9 et plus kept
    ("niveau 8", "ORI.medecin-generaliste", None),
    ("bac pro", "ORI.vendeur-sans-salaire", "ORI.comptable"),
])
def test_search_level_in_counselors_words(filled, capsys, typed, found, left_out):
    status, out, _ = run(capsys, "search", "--niveau-max", typed, "--format", "json", "--db", filled)
    ids = [r["id"] for r in json.loads(out)]
    assert status == 0 and found in ids and left_out not in ids


def test_search_salary_minimum_0_is_no_filter(filled, capsys):
    status, out, _ = run(capsys, "search", "--salaire-min", "0", "--format", "json", "--db", filled)
    ids = [r["id"] for r in json.loads(out)]
    assert status == 0 and len(ids) == 8 and "ORI.vendeur-sans-salaire" in ids  # the fiche without a figure


def test_search_table_says_smic(filled, capsys):
    status, out, _ = run(capsys, "search", "--texte", "maçon", "--db", filled)
    assert status == 0 and "à partir de 1\u202f810\u202f€ (≈ SMIC)" in out  # 1 810 € in 2025


def test_search_csv(filled, capsys):
    status, out, _ = run(capsys, "search", "--texte", "œnologue", "--format", "csv", "--db", filled)
    lines = out.strip().splitlines()
    assert status == 0 and lines[0].startswith("id,nom,niveau") and lines[1].startswith("ORI.oenologue,")


@pytest.mark.parametrize("argv, message", [
    (["search", "--niveau-max", "licence bidon"], "niveau d'études inconnu"),
    (["search", "--secteur", "astronomie lunaire"], "secteur inconnu"),
])
def test_user_errors_are_one_french_line(filled, capsys, argv, message):
    status, _out, err = run(capsys, *argv, "--db", filled)
    assert status != 0 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_option_is_french(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["search", "--inconnue"])
    assert exc.value.code == 2
    assert "arguments non reconnus : --inconnue" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--db"], ["--db", "base.sqlite", "--inconnue"], ["--base", "x.sqlite"]])
def test_a_bad_window_start_line_is_still_explained_in_french(capsys, argv):
    """The window's usual start lines skip the full grammar; any other line still gets its French error."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.startswith("Erreur : ") and "orientation --help" in err


def test_export_json_has_every_design_field(filled, capsys):
    status, out, _ = run(capsys, "export", "--format", "json", "--db", filled)
    rows = json.loads(out)
    assert status == 0 and len(rows) == 8
    macon = next(r for r in rows if r["id"] == "ORI.macon")
    for key in ("id", "source", "nom", "libelle_feminin", "libelle_masculin", "codes_rome", "niveau", "bac_plus",
                "salaire_min", "salaire_max", "secteurs", "centres_interet", "statuts", "formations"):
        assert key in macon
    assert macon["codes_rome"] == ["F1703"] and macon["niveau"] == "CAP ou équivalent"
    assert macon["secteurs"] == ["Bâtiment et travaux publics (BTP)"]
    assert macon["centres_interet"] == ["je veux travailler de mes mains", "j'aimerais travailler dehors"]
    assert macon["statuts"] == ["salarié", "artisan"] and macon["formations"] == ["CAP maçon", "BP maçon"]


def test_export_out_writes_the_file_and_a_csv_a_spreadsheet_reads(filled, capsys, tmp_path):
    # « export --out » was ignored without --onisep-odbl: 36,000 lines of JSON in the terminal.
    target = tmp_path / "catalogue.json"
    status, out, _ = run(capsys, "export", "--out", str(target), "--db", filled)
    assert status == 0 and out == f"Catalogue exporté : {target}\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 8
    sheet = tmp_path / "catalogue.csv"
    assert run(capsys, "export", "--format", "csv", "--out", str(sheet), "--db", filled)[0] == 0
    data = sheet.read_bytes()
    assert data.startswith("\ufeff".encode())  # French Excel reads the accents right
    header, *rows = data.decode("utf-8-sig").splitlines()
    assert header.startswith("id;") and len(rows) == 8
    macon = next(row for row in rows if row.startswith("ORI.macon;"))
    assert "Bâtiment et travaux publics (BTP)" in macon and "CAP maçon | BP maçon" in macon
    status, _, err = run(capsys, "export", "--out", str(tmp_path), "--db", filled)  # a folder
    assert status == 2 and err.startswith("Erreur : ") and "Traceback" not in err


def test_export_on_a_new_default_base_prints_the_starter_fiches(tmp_path):
    """The real command in a real process, on the default base, which does not exist yet (its
    first use creates it; a path given with --db where there is no base is refused, see below)."""
    from db.catalogue.starter import catalogue_dir

    expected = {json.loads(line)["id"] for p in catalogue_dir().glob("*.jsonl")
                for line in p.read_text(encoding="utf-8").splitlines() if line.strip()}
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "donnees")}
    env.pop("ORIENTATION_DB", None)
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "export", "--format", "json"], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == expected
    assert all(r["source"] == "projet" for r in rows)


def test_network_share_database_is_refused(capsys):
    status, _, err = run(capsys, "export", "--db", "//serveur/partage/orientation.sqlite")
    assert status == 2 and "partage réseau" in err


def test_students_lifecycle_through_the_command(filled, capsys, tmp_path):
    from db.storage.opening import open_database
    from db.students.store import save_session, start_session

    status, out, _ = run(capsys, "students", "add", "--nom", "Dupont", "--prenom", "Léa", "--classe", "3e B",
                         "--db", filled)
    assert status == 0 and "numéro 1" in out
    database = open_database(filled)
    with database.read() as session:
        state = start_session(session, 1, "2026-11-20")
    state.interests, state.private_notes = ["T-IDEO2.4807"], "très confidentiel"
    save_session(database, state)
    database.close()

    status, out, _ = run(capsys, "students", "list", "--format", "json", "--db", filled)
    assert json.loads(out) == [{"id": 1, "nom": "Dupont", "prenom": "Léa", "classe": "3e B",
                                "derniere_seance": "2026-11-20"}]
    status, out, _ = run(capsys, "suggest", "1", "--db", filled)
    assert status == 0 and out.splitlines()[0].startswith(" 1. ") and "intérêts 1/1" in out

    target = tmp_path / "lea.json"
    status, out, _ = run(capsys, "students", "export", "1", "--out", str(target), "--db", filled)
    assert status == 0 and "sans les notes privées" in out
    assert "très confidentiel" not in target.read_text(encoding="utf-8")
    # The same pupil imported again made a second record silently: asked for by name, as « add » does.
    status, _, err = run(capsys, "students", "import", str(target), "--db", filled)
    assert status == 2 and "Léa Dupont (3e B) a déjà un dossier ici : élève numéro 1 ; ajoutez --meme-si-existe" in err
    status, out, _ = run(capsys, "students", "import", str(target), "--doublon", "--db", filled)
    assert status == 0 and "élève numéro 2" in out

    status, _, err = run(capsys, "students", "erase", "1", "--db", filled)
    assert status == 2 and "--yes" in err
    assert "l'effacement de Léa Dupont (n° 1, 3e B, dernier entretien : " in err  # the number checked by its name
    status, out, _ = run(capsys, "students", "erase", "1", "--yes", "--db", filled)
    assert status == 0 and "effacé" in out
    status, out, _ = run(capsys, "students", "log", "--format", "json", "--db", filled)
    assert [e["action"] for e in json.loads(out)] == ["effacement", "import", "export", "entretien"]


def test_no_screen_gives_a_french_message(monkeypatch, capsys):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    status, _, err = run(capsys)
    assert status == 2 and "aucun écran" in err


def test_listing_students_loads_no_file_parser(empty_db, db_location):
    """``students list`` on an existing database opens it without loading the importers (they
    only serve a new database's starter catalogue): a command pays for what it uses."""
    code = ("import sys; from desktop.cli import main; status = main(sys.argv[1:]); "
            "print(status, 'db.catalogue.importers' in sys.modules, 'reportlab' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, "students", "list", "--texte", "mar", "--db", db_location],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "0 False False", done.stderr


def test_search_with_no_match_says_what_to_try(filled, capsys):
    status, out, _ = run(capsys, "search", "--texte", "astronaute")
    assert status == 0 and out.rstrip().endswith(
        "0 métier(s)\nAucun métier ne correspond à « astronaute » : essayez un mot plus courant ou plus général "
        "(le domaine, une activité).")
    _, out, _ = run(capsys, "search", "--texte", "boulanger", "--salaire-min", "9000")
    assert "Aucun métier ne correspond à « boulanger » avec ces filtres : retirez un filtre" in out
    _, out, _ = run(capsys, "search", "--texte", "astronaute", "--format", "json")
    assert json.loads(out) == []  # JSON stays clean


def test_a_mistyped_base_is_refused_by_a_command_that_needs_records(tmp_path, capsys):
    """``--db`` naming no base: listing students (or searching, a bilan…) says so and creates
    nothing, instead of showing an empty caseload as if the records were gone."""
    real = tmp_path / "cio" / "Base.sqlite"
    status, _, _ = run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Léa", "--db", str(real))
    assert status == 0
    typo = tmp_path / "cio" / "base.sqlite"
    for command in (["students", "list"], ["search", "--texte", "infirmier"], ["report", "1", "--out",
                                                                                 str(tmp_path / "b.pdf")]):
        status, out, err = run(capsys, *command, "--db", str(typo))
        assert status == 2 and "aucune base de données" in err and "vérifiez le chemin" in err, err
        assert "élève(s)" not in out
    assert sorted(p.name for p in (tmp_path / "cio").iterdir()) == ["Base.sqlite", "sauvegardes"]
    assert not (tmp_path / "b.pdf").exists()
    elsewhere = tmp_path / "absent" / "base.sqlite"
    status, _, _ = run(capsys, "students", "list", "--db", str(elsewhere))
    assert status == 2 and not elsewhere.parent.exists()  # not even its folder


def test_a_command_that_creates_a_base_says_so(tmp_path, capsys):
    new = tmp_path / "nouvelle.sqlite"
    status, out, err = run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Léa", "--db", str(new))
    assert status == 0 and "Élève créé" in out
    assert f"Nouvelle base de données créée : {new}" in err
    status, _, err = run(capsys, "students", "add", "--nom", "Durand", "--prenom", "Tom", "--db", str(new))
    assert status == 0 and "Nouvelle base" not in err  # said once, when it is made
