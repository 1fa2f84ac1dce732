"""A refused file leaves the database content exactly as it was (db/importing.py's contract),
whatever the reason: bad bytes, hostile XML, a bad line deep in a file, a failing write."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import db.catalogue.importers as importers
import db.catalogue.importers.registry  # noqa: F401 (patched below)
from db.errors import UserError
from db.catalogue.importing import import_file, import_paths
from db.catalogue.records import ParsedFile, RomeCode, RomeReference

from tests.conftest import database_content

from .conftest import SEEDS, seed_bytes, small_xml
from .test_onisep_xml import BOMB, EXTERNAL


def content(database) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """Every row of every table, read in a new transaction (either engine)."""
    return database_content(database)


@pytest.fixture
def seeded(empty_db, tmp_path: Path, xml_bytes: bytes):
    """A database holding the five seeds and two métiers of the 2024 export."""
    folder = tmp_path / "depart"
    folder.mkdir()
    for key in SEEDS:
        (folder / f"{key}.txt").write_bytes(seed_bytes(key))
    (folder / "Onisep_Ideo_Fiches_metiers_25062024.xml").write_bytes(small_xml(xml_bytes, 2))
    summary = import_paths(empty_db, [folder])
    assert summary.refused == 0 and summary.created == 7
    return empty_db


def _refusals(xml_bytes: bytes) -> dict[str, bytes]:
    fiche = seed_bytes("onisep_meca")
    first = small_xml(xml_bytes, 1)
    return {
        "vide.md": b"",
        "binaire.pdf": b"%PDF-1.7\n\x00\x01\x02\x03" + bytes(range(256)),
        "tronque.xml": small_xml(xml_bytes, 2)[:5000],
        "bombe.xml": BOMB,
        "externe.xml": EXTERNAL,
        # MET.1 is valid and already in the base, but the file's second métier has no id.
        "sans_id_au_bout.xml": first.replace(b"</metiers>", b"<metier><nom_metier>x</nom_metier></metier></metiers>"),
        "fiche_sans_id.md": fiche.replace(b"**ID:** MET.242", b"**ID:** inconnu"),
        "rome_casse.csv": b'"code_rome","libelle_rome","code_rome_parent"\n"H2502","Titre","H2502"\n"X","y","z"\n',
        "lettre.txt": "Madame, Monsieur, veuillez trouver ci-joint…".encode(),
        "mal_encode.md": b"# caf\xe9\n**ID:** MET.1\n\x81\x8d\x90",
    }


def test_every_kind_of_refused_file_leaves_the_base_unchanged(seeded, tmp_path: Path,
                                                              xml_bytes: bytes) -> None:
    before = content(seeded)
    for name, data in _refusals(xml_bytes).items():
        path = tmp_path / name
        path.write_bytes(data)
        result = import_file(seeded, path)
        assert result.refused, name
        assert result.reason and "Traceback" not in result.reason, name
        assert content(seeded) == before, name


def test_a_file_over_the_size_limit_is_refused_and_changes_nothing(seeded, tmp_path: Path,
                                                                    monkeypatch) -> None:
    monkeypatch.setattr(importers.registry, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "gros.md"
    path.write_bytes(seed_bytes("onisep_meca") + b"x" * (2 * 1024 * 1024))
    before = content(seeded)
    result = import_file(seeded, path)
    assert result.refused and result.reason == (f"le fichier « {path} » est trop gros (2 Mo ; maximum 1 Mo) : "
                                                "vérifiez qu'il s'agit du bon fichier")
    assert content(seeded) == before


def test_a_write_that_fails_half_way_is_rolled_back(seeded, tmp_path: Path, monkeypatch) -> None:
    """The records are written, then the ROME part fails: nothing of the file may remain."""
    import db.catalogue.importing as importing

    record = importers.parse_bytes(seed_bytes("onisep_meca"), "f.md").records[0]
    record.name = "nom modifié par un import qui échoue"
    parsed = ParsedFile("onisep-md", records=[record],
                        rome=RomeReference("4.60", codes=[RomeCode("H2502", "Titre")]))
    monkeypatch.setattr(importing, "parse_path", lambda path: parsed)

    def failing_rome_write(session, reference, **_options):
        raise UserError("échec simulé pendant l'écriture")

    monkeypatch.setattr(importing, "write_rome_reference", failing_rome_write)
    before = content(seeded)
    path = tmp_path / "echec.md"
    path.write_bytes(b"ignored")
    result = import_file(seeded, path)
    assert result.refused and result.reason == "échec simulé pendant l'écriture"
    assert content(seeded) == before


def test_dry_run_changes_nothing(seeded, tmp_path: Path) -> None:
    path = tmp_path / "fiche.md"
    path.write_bytes(seed_bytes("onisep_meca").replace(b"A partir de 2667", b"A partir de 2999"))
    before = content(seeded)
    summary = import_paths(seeded, [path], dry_run=True)
    assert summary.refused == 0 and summary.files[0].status == "vérifié"
    assert content(seeded) == before


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(key=st.sampled_from(sorted(SEEDS)), seed=st.integers(0, 2**32 - 1),
       cut=st.floats(0, 1), flips=st.integers(0, 8))
def test_mutated_seeds_are_imported_or_refused_without_a_trace(seeded, tmp_path: Path,
                                                                 key: str, seed: int, cut: float, flips: int) -> None:
    rnd = random.Random(seed)
    data = bytearray(seed_bytes(key))
    for _ in range(flips):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    data = bytes(data[: max(1, int(len(data) * cut))])
    path = tmp_path / "mutant.txt"
    path.write_bytes(data)
    before = content(seeded)
    result = import_file(seeded, path)
    if result.refused:
        assert result.reason and content(seeded) == before
