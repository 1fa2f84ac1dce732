"""``orientation export --onisep-odbl``: the ONISEP-derived métiers offered as the ODbL asks."""
from __future__ import annotations

import json
from datetime import date

from db.catalogue.importing import import_paths
from db.catalogue.odbl_export import write_onisep_odbl
from desktop.cli import main
from tests.db.catalogue.test_same_job import ONISEP_STYLE


def test_only_onisep_rows_with_their_normalised_fields_and_a_licence_note(mini_db, tmp_path):
    fiche = tmp_path / "MET.561.md"
    fiche.write_text(ONISEP_STYLE, encoding="utf-8")
    assert import_paths(mini_db, [fiche]).refused == 0
    with mini_db.read() as session:
        done = write_onisep_odbl(session, tmp_path / "odbl", today=date(2026, 12, 6))
    rows = json.loads(done.data.read_text(encoding="utf-8"))
    assert done.count == len(rows) == 1  # the project's own fiches of mini_db are not ONISEP's
    assert rows[0]["id"] == "MET.561" and rows[0]["source"] == "onisep-md"
    assert {"bac_plus", "salaire_min", "secteurs", "codes_rome"} <= rows[0].keys()
    assert "source_fichier" not in rows[0]  # a path on the counselor's computer is not data
    note = done.note.read_text(encoding="utf-8")
    assert "Idéo-Fiches métiers, Onisep, données du 21 octobre 2025, sous licence ODbL" in note
    assert "Open Database License (ODbL) 1.0" in note and "exporté le 6 décembre 2026" in note


def test_the_command_needs_a_folder(mini_db, db_location, tmp_path, capsys):
    mini_db.close()
    assert main(["export", "--onisep-odbl", "--db", db_location]) == 2
    assert "--out DOSSIER" in capsys.readouterr().err
    assert main(["export", "--onisep-odbl", "--out", str(tmp_path / "x"), "--db", db_location]) == 0
    assert (tmp_path / "x" / "LISEZMOI-ODbL.txt").exists()
