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
