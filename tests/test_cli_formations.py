"""`orientation parcours`, `orientation formations`, the student's current class and the export's
formation ids, run as a counselor would."""
from __future__ import annotations

import json
from pathlib import Path


from tests.conftest import run_cli as run
from tests.db.catalogue.test_formations import METIER, SAMPLE


def test_parcours_from_a_class_prints_the_routes_in_french(starter_file, capsys):
    status, out, _ = run(capsys, "parcours", "ORI.cuisinier", "--depuis", "3e", "--db", starter_file)
    assert status == 0
    assert out.splitlines()[:3] == ["Parcours vers « cuisinier/ère » depuis : 3e",
                                    "1. 3e → CAP cuisine (2 ans) : 2 ans en tout",
                                    "2. 3e → bac pro cuisine (3 ans) : 3 ans en tout"]


def test_parcours_json_is_a_list_of_routes_with_years_and_steps(starter_file, capsys):
    status, out, _ = run(capsys, "parcours", "ORI.infirmier", "--depuis", "terminale", "--format", "json",
                         "--db", starter_file)
    routes = json.loads(out)
    assert status == 0 and routes[0]["annees"] == 3
    assert routes[0]["etapes"][0] == {"classe": "terminale générale ou technologique",
                                      "libelle": "terminale générale ou technologique", "type": "", "duree_annees": 0}
    last = routes[0]["etapes"][-1]
    assert (last["libelle"], last["duree_annees"]) == ("diplôme d'État d'infirmier", 3) and "formation_id" in last


def test_a_students_current_class_is_set_shown_and_used(starter_file, capsys):
    status, out, _ = run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Léa", "--classe", "3e B",
                         "--classe-actuelle", "3e", "--db", starter_file)
    student = out.split("numéro ")[1].strip()
    assert status == 0
    _, out, _ = run(capsys, "parcours", "ORI.cuisinier", "--eleve", student, "--db", starter_file)
    assert "1. 3e → CAP cuisine (2 ans) : 2 ans en tout" in out
    status, out, _ = run(capsys, "students", "edit", student, "--classe-actuelle", "term-pro", "--db", starter_file)
    assert status == 0 and "classe actuelle : terminale professionnelle" in out
    _, out, _ = run(capsys, "students", "show", student, "--db", starter_file)
    assert "Léa Martin — 3e B · classe actuelle : terminale professionnelle" in out  # the rest kept
    _, out, _ = run(capsys, "parcours", "ORI.technicien-de-maintenance-industrielle", "--eleve", student,
                    "--db", starter_file)
    assert "terminale professionnelle → bac professionnel → BTS maintenance des systèmes option A" in out


def test_the_current_class_is_read_from_the_class_as_the_window_does(starter_file, capsys):
    # The window's quick entry reads « 3e B » as the 3e; `students add --classe` now does the same
    # (a student added from the command line had no « Parcours » in the bilan), and says so.
    status, out, _ = run(capsys, "students", "add", "--nom", "Martin", "--prenom", "Zoé", "--classe", "3e B",
                         "--db", starter_file)
    student = out.split("numéro ")[1].split()[0]
    assert status == 0 and "Classe actuelle déduite de la classe : 3e" in out
    _, out, _ = run(capsys, "parcours", "ORI.cuisinier", "--eleve", student, "--db", starter_file)
    assert "1. 3e → CAP cuisine (2 ans) : 2 ans en tout" in out
    # A class that names no level is left alone, and an explicit current class wins.
    _, out, _ = run(capsys, "students", "add", "--nom", "Durand", "--prenom", "Léo", "--classe", "groupe A",
                    "--db", starter_file)
    assert "déduite" not in out
    _, out, _ = run(capsys, "students", "add", "--nom", "Petit", "--prenom", "Lou", "--classe", "3e B",
                    "--classe-actuelle", "2de-pro", "--db", starter_file)
    assert "déduite" not in out
    _, out, _ = run(capsys, "students", "show", out.split("numéro ")[1].split()[0], "--db", starter_file)
    assert "classe actuelle : 2de professionnelle" in out


def test_bad_class_or_missing_class_is_one_french_line(starter_file, capsys):
    status, _, err = run(capsys, "students", "add", "--nom", "Petit", "--prenom", "Jo", "--classe-actuelle",
                         "CM2", "--db", starter_file)
    assert status == 2 and err.startswith("Erreur : classe actuelle inconnue : « CM2 »")
    _, out, _ = run(capsys, "students", "add", "--nom", "Petit", "--prenom", "Jo", "--db", starter_file)
    student = out.split("numéro ")[1].strip()
    status, _, err = run(capsys, "parcours", "ORI.cuisinier", "--eleve", student, "--db", starter_file)
    assert status == 2 and "classe actuelle de l'élève" in err and "n'est pas renseignée" in err


def test_formations_search_and_show(tmp_path, capsys):
    db = str(tmp_path / "o.sqlite")
    fiches = tmp_path / "fiches"
    fiches.mkdir()
    (fiches / "metiers.jsonl").write_text(json.dumps(METIER, ensure_ascii=False) + "\n", encoding="utf-8")
    (fiches / "FOR.90001_cap.md").write_text(SAMPLE, encoding="utf-8")
    assert run(capsys, "import", str(fiches), "--db", db)[0] == 0
    status, out, _ = run(capsys, "formations", "search", "--texte", "patisserie", "--type", "cap", "--db", db)
    assert status == 0 and "FOR.90001    CAP pâtisserie d'essai  (CAP (CAP) · niveau 3 · 2 ans)" in out
    status, out, _ = run(capsys, "formations", "show", "FOR.90001", "--format", "json", "--db", db)
    shown = json.loads(out)
    assert {"id": "ORI.patissier-essai", "libelle": "pâtissière d'essai"} in shown["metiers"]
    assert shown["source"].startswith("Source : Onisep")
    status, _, err = run(capsys, "formations", "show", "FOR.1", "--db", db)
    assert status == 2 and "aucune formation n'a l'identifiant « FOR.1 »" in err


def test_export_keeps_each_formations_id(tmp_path, capsys):
    db = str(tmp_path / "o.sqlite")
    fiche = Path(__file__).parent / "data" / "mini.jsonl"
    assert run(capsys, "import", str(fiche), "--db", db)[0] == 0
    # An ONISEP métier fiche citing its formations by id (the shape of the Markdown export).
    onisep = tmp_path / "MET.9001_macon.md"
    onisep.write_text("# maçon/ne d'essai\n\n**ID:** MET.9001\n\n## Formations recommandées\n\n"
                      "- CAP maçon (ID: FOR.495)\n- BP maçon (ID: FOR.5240)\n", encoding="utf-8")
    assert run(capsys, "import", str(onisep), "--db", db)[0] == 0
    _, out, _ = run(capsys, "export", "--format", "json", "--db", db)
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["MET.9001"]["formations"] == ["CAP maçon", "BP maçon"]
    assert rows["MET.9001"]["formations_ids"] == ["FOR.495", "FOR.5240"]
    assert rows["ORI.macon"]["formations_ids"] == ["F.cap-macon", "F.bp-macon"]  # labels only: derived ids
    _, out, _ = run(capsys, "export", "--format", "csv", "--db", db)
    assert "formations_ids" in out.splitlines()[0] and "FOR.495" in out


def test_formations_search_says_when_its_list_is_cut(starter_file, capsys):
    status, out, _ = run(capsys, "formations", "search", "--type", "cap", "--limite", "3", "--db", starter_file)
    lines = out.splitlines()
    assert status == 0 and len(lines) == 4  # three formations, then the sentence (not « 3 formation(s) »)
    assert lines[-1] == ("3 premières formations seulement : il y en a d'autres (précisez --texte, ou augmentez "
                         "--limite).")
    status, out, _ = run(capsys, "formations", "search", "--type", "cap", "--limite", "1000", "--db", starter_file)
    assert out.splitlines()[-1] == f"{len(out.splitlines()) - 1} formation(s)"
