"""ROME 4.0 referential CSVs: recognised by their header, read as reference data (not métiers)."""
from __future__ import annotations

import pytest

from db.errors import FicheError
from db.catalogue.importers import parse_bytes, parse_path
from tests.conftest import shared_path


def _rome_file(stem: str):
    return shared_path("data", "rome-v460", f"unix_{stem}_v460_utf8.csv")


def test_codes_file_gives_1584_codes_with_labels_and_parents() -> None:
    parsed = parse_path(_rome_file("referentiel_code_rome"))
    assert parsed.format_name == "rome-csv" and parsed.records == []
    reference = parsed.rome
    assert reference.version == "4.60"
    assert len(reference.codes) == 1584
    by_code = {c.code: c for c in reference.codes}
    assert by_code["H2502"].label == "Responsable d'unité de production industrielle"
    assert by_code["H2507"].parent_code == "H2502"
    # 532 historic v3 codes are their own parent; ONISEP fiches cite those.
    assert sum(1 for c in reference.codes if c.parent_code == c.code) == 532
    assert all(c.parent_code in by_code for c in reference.codes)


def test_appellations_file_gives_13120_job_titles() -> None:
    reference = parse_path(_rome_file("referentiel_appellation")).rome
    assert len(reference.appellations) == 13120 and reference.codes == []
    first = reference.appellations[0]
    assert (first.code_ogr, first.rome_code) == ("10200", "F1402")
    assert " / " in first.label  # "Masculin / Féminin"


def test_riasec_file_gives_letters_per_code() -> None:
    reference = parse_path(_rome_file("referentiel_code_rome_riasec")).rome
    assert len(reference.codes) == 1584
    assert {c.riasec_major for c in reference.codes} <= set("RIASEC")
    assert all(c.label == "" for c in reference.codes)  # partial data: the writer merges by code


def test_codes_with_domains_file_gives_the_domaine_professionnel_of_each_code() -> None:
    reference = parse_path(_rome_file("cr_gd_dp")).rome
    h2502 = next(c for c in reference.codes if c.code == "H2502")
    assert h2502.domaine_code == "H25" and h2502.domaine_label


@pytest.mark.parametrize(("stem", "rows"), [("domaine_professionnel", 110), ("grand_domaine", 14)])
def test_domain_tables_are_checked_but_hold_no_rome_code(stem: str, rows: int) -> None:
    parsed = parse_path(_rome_file(stem))
    assert parsed.rome.codes == [] and parsed.rome.appellations == []
    assert any(f"{rows} ligne(s)" in note for note in parsed.notes)


@pytest.mark.parametrize("stem", ["texte", "themes", "rubrique_mobilite", "centre_interet"])
def test_other_tables_of_the_referential_are_recognised_and_ignored(stem: str) -> None:
    parsed = parse_path(_rome_file(stem))
    assert parsed.format_name == "rome-csv"
    assert parsed.rome.codes == [] and parsed.rome.appellations == []
    assert any("non utilisée" in note for note in parsed.notes)


HEADER = b'"code_rome","code_fiche_metier","code_ogr","libelle_rome","code_rome_parent"\n'


def test_detection_rests_on_the_header_not_the_name() -> None:
    data = HEADER + b'"H2502","1","2","Management de production","H2502"\n'
    parsed = parse_bytes(data, "donnees.txt")
    assert [c.code for c in parsed.rome.codes] == ["H2502"]
    assert parsed.rome.version == ""
    assert any("version du ROME inconnue" in note for note in parsed.notes)


@pytest.mark.parametrize(("row", "message"), [
    (b'"H25","1","2","Management","H2502"\n', r"ligne 3 : code ROME invalide « H25 »"),
    (b'"H2502","1","2",""\n', r"ligne 3 : 4 colonnes au lieu de 5"),
    (b'"H2502","1","2","","H2502"\n', r"ligne 3 : colonne « libelle_rome » vide"),
])
def test_a_bad_row_refuses_the_file_with_its_line(row: bytes, message: str) -> None:
    data = HEADER + b'"A1101","1","2","Conducteur","A1101"\n' + row
    with pytest.raises(FicheError, match=message):
        parse_bytes(data, "unix_referentiel_code_rome_v460_utf8.csv")


def test_header_only_is_refused() -> None:
    with pytest.raises(FicheError, match="aucune ligne de données"):
        parse_bytes(HEADER, "unix_referentiel_code_rome_v460_utf8.csv")


def _rome_state(database) -> tuple:
    from sqlalchemy import text

    with database.read() as session:
        return tuple(tuple(session.execute(text(q)).all()) for q in (
            "SELECT * FROM rome_appellations ORDER BY code_ogr",
            "SELECT code, label, riasec_major, riasec_minor FROM rome_codes ORDER BY code",
            "SELECT id, search_tags, search_text, riasec FROM metiers ORDER BY id",
            "SELECT code, titles FROM rome_fts ORDER BY code"))


def test_a_large_rome_table_written_in_short_transactions_gives_the_same_catalogue(tmp_path, monkeypatch):
    """The real appellation table (13,120 rows) goes in chunks of a few thousand rows, each its
    own transaction; the result is exactly that of one big transaction."""
    from db.catalogue import importing
    from db.storage.opening import open_database
    from tests.conftest import DATA, shared_path

    folder = shared_path("data", "rome-v460")
    files = [DATA / "mini.jsonl", folder / "unix_referentiel_code_rome_v460_utf8.csv",
             folder / "unix_referentiel_appellation_v460_utf8.csv"]
    states = []
    for chunk in (10**9, 3_000):
        monkeypatch.setattr(importing, "REFERENCE_CHUNK_ROWS", chunk)
        database = open_database(str(tmp_path / f"base-{chunk}.sqlite"), load_starter=False)
        summary = importing.import_paths(database, files)
        assert summary.refused == 0 and not summary.interrupted
        states.append(_rome_state(database))
        database.close()
    assert states[0] == states[1] and len(states[0][0]) > 13_000
    assert any("aide" in titles for _, titles in states[0][3])  # the job titles are indexed, per code


def test_the_rome_import_indexes_exactly_what_a_full_reindex_gives_and_finds_by_rome_words(tmp_path):
    """The import refreshes only the ROME job titles of the métiers citing a code, once for the
    whole import: the indexed text is then exactly what recomputing every column of every métier
    gives, and a fiche is found by a job title it only has through ROME."""
    from sqlalchemy import text

    from db.catalogue.criteria import SearchRequest, criteria_from_request
    from db.catalogue.importing import import_paths
    from db.catalogue.search import search
    from db.catalogue.search_index import SEARCH_COLUMNS, reindex
    from db.storage.opening import open_database
    from tests.conftest import DATA, shared_path

    folder = shared_path("data", "rome-v460")
    database = open_database(str(tmp_path / "base.sqlite"), load_starter=False)
    assert import_paths(database, [DATA / "mini.jsonl"]).refused == 0

    def found(words: str) -> list[str]:
        with database.read() as session:
            return [row.id for row in search(session, criteria_from_request(session, SearchRequest(texte=words)))]

    assert "ORI.macon" not in found("briqueteur")
    summary = import_paths(database, sorted(folder.glob("unix_referentiel_*.csv")))
    assert summary.refused == 0 and not summary.interrupted
    query = text(f"SELECT id, {', '.join(SEARCH_COLUMNS)}, riasec FROM metiers ORDER BY id")
    with database.read() as session:
        imported = session.execute(query).all()
    with database.write() as session:
        assert reindex(session.connection()) == 8
    with database.read() as session:
        assert session.execute(query).all() == imported
    assert "ORI.macon" in found("briqueteur")
    database.close()
