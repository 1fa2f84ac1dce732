"""``orientation export``: every métier once, in name order, read a chunk at a time."""
from __future__ import annotations

from db.catalogue import export
from db.catalogue.search import Criteria, search


def test_the_export_read_in_small_chunks_is_the_whole_catalogue_in_name_order(mini_db, monkeypatch):
    with mini_db.read() as session:
        whole = export.export_catalogue(session)
        monkeypatch.setattr(export, "EXPORT_CHUNK", 3)
        chunked = list(export.iter_catalogue(session))
        by_name = [r.id for r in search(session, Criteria(sort="name"))]
    assert chunked == whole and len(whole) == 8
    assert [r["id"] for r in whole] == by_name
    medecin = next(r for r in whole if r["id"] == "ORI.medecin-generaliste")
    assert medecin["secteurs"] == ["Santé"] and medecin["codes_rome"] and medecin["niveau"]


def test_the_streamed_export_prints_what_the_whole_list_printed(db_location, capsys):
    """On the starter catalogue, ``orientation export`` written record by record prints the very
    text of the whole list dumped at once (JSON) or written row by row from it (CSV)."""
    import csv
    import io
    import json

    from desktop.cli import main
    from desktop.cli.catalogue import _csv_value
    from db.storage.opening import open_database

    database = open_database(db_location)
    with database.read() as session:
        whole = export.export_catalogue(session)
    database.close()
    assert len(whole) > 500
    assert main(["export", "--format", "json", "--db", db_location]) == 0
    assert capsys.readouterr().out == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    expected = io.StringIO()
    writer = csv.DictWriter(expected, fieldnames=list(export.EXPORT_FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _csv_value(v) for k, v in record.items()} for record in whole)
    assert main(["export", "--format", "csv", "--db", db_location]) == 0
    assert capsys.readouterr().out == expected.getvalue()


def test_every_exported_row_carries_the_credit_its_licence_asks_for(mini_db, tmp_path):
    """A row shown again elsewhere keeps its source's words: ODbL names the ONISEP dataset."""
    from db.catalogue.importing import import_paths
    from tests.db.catalogue.test_same_job import ONISEP_STYLE

    fiche = tmp_path / "MET.561.md"
    fiche.write_text(ONISEP_STYLE, encoding="utf-8")
    assert import_paths(mini_db, [fiche]).refused == 0
    with mini_db.read() as session:
        credits = {row["source"]: row["attribution"] for row in export.iter_catalogue(session)}
    assert credits == {"projet": "Fiche rédigée par l'équipe Orientation",
                       "onisep-md": "Source : Idéo-Fiches métiers, Onisep, sous licence ODbL"}
    with mini_db.read() as session:
        found = {export.search_record(row)["attribution"] for row in search(session, Criteria())}
    assert found == set(credits.values())  # ``orientation search --format json|csv`` says the same
