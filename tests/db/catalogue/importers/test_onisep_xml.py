"""ONISEP Idéo-Fiches métiers: the real 2024 XML export (zipped and bare), the JSON variant,
hostile XML and archives."""
from __future__ import annotations

import io
import json
import re
import time
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from db.errors import FicheError
from db.catalogue.importers import onisep_xml, parse_bytes, parse_path
from db.catalogue.nomenclature import ONISEP_INTEREST_IDS, ONISEP_SECTOR_IDS, parse_level

from .conftest import small_xml


# ---------------------------------------------------------------------------------------------
# The real export
# ---------------------------------------------------------------------------------------------
def test_the_2024_zip_gives_928_metiers_dated_from_its_name(xml_parsed) -> None:
    assert xml_parsed.format_name == "onisep-xml"
    assert len(xml_parsed.records) == 928
    assert len({r.id for r in xml_parsed.records}) == 928
    assert all(re.fullmatch(r"MET\.\d+", r.id) for r in xml_parsed.records)
    assert {r.source_date for r in xml_parsed.records} == {"2024-06-25"}
    assert {(r.source_kind, r.licence) for r in xml_parsed.records} == {("onisep-xml", "ODbL — Source : Onisep")}


def test_the_bad_rome_code_is_dropped_with_a_note(xml_parsed) -> None:
    assert "A15" not in {c for r in xml_parsed.records for c in r.rome_codes}
    assert any("A15" in note for note in xml_parsed.notes)


def test_the_export_parses_in_seconds(xml_zip: Path) -> None:
    start = time.perf_counter()
    parsed = parse_path(xml_zip)
    elapsed = time.perf_counter() - start
    print(f"\nexport XML ONISEP (928 métiers, 12 Mo) lu en {elapsed:.2f} s")
    assert len(parsed.records) == 928
    assert elapsed < 10


def test_a_known_metier_keeps_every_element(xml_parsed) -> None:
    record = next(r for r in xml_parsed.records if r.id == "MET.1")
    assert record.name == "contrôleur/euse aérien/ne"
    assert (record.label_f, record.label_m) == ("contrôleuse aérienne", "contrôleur aérien")
    assert [s.name for s in record.synonyms][:1] == ["aiguilleur/euse du ciel"]
    assert record.rome_codes == ["N2202"]
    assert record.level_text == "Bac + 5" and parse_level(record.level_text).bac_plus == 5
    assert [(s.id, s.label) for s in record.statuts] == [("T-ITM.1", "fonctionnaire")]
    assert ("T-IDEO2.4841", "Logistique et transport") in [(s.id, s.label) for s in record.sectors]
    assert ("T-IDEO2.4820", "j'aime être aux commandes") in [(i.id, i.label) for i in record.interests]
    assert ("MET.400", "pilote de ligne") in [(r.id, r.label) for r in record.related]
    assert record.summary.startswith("Garant de la sécurité et de la fluidité du trafic aérien")
    keys = [s.key for s in record.sections]
    for key in ("presentation", "en_bref", "nature_travail", "competences", "conditions_travail",
                "vie_professionnelle", "acces_metier", "publications", "sources_numeriques"):
        assert key in keys
    nature = next(s.text for s in record.sections if s.key == "nature_travail")
    assert nature.startswith("Un suivi en temps réel\nLe contrôleur aérien règle la circulation")
    assert "<" not in nature and "&" not in nature
    assert record.salary.text.startswith("En tant qu'élève fonctionnaire")
    assert record.salary.source_date == "2024-06-25"


def test_a_sample_of_metiers_agrees_with_a_plain_tree_parse(xml_parsed, xml_bytes: bytes) -> None:
    """The stdlib parser reads the whole tree in memory (fine for a test) — a different method."""
    by_id = {r.id: r for r in xml_parsed.records}
    metiers = ET.fromstring(xml_bytes).findall("metier")
    for metier in metiers[::23]:  # about forty métiers spread over the file
        record = by_id[metier.findtext("identifiant")]
        assert record.name == metier.findtext("nom_metier").strip()
        assert record.level_text == metier.findtext("niveau_acces_min/libelle").strip()
        codes = [c.text for c in metier.iter("romeV3") if re.fullmatch(r"[A-N]\d{4}", c.text or "")]
        assert record.rome_codes == codes
        assert [s.id for s in record.sectors] == [
            s.text for s in metier.iterfind("secteurs_activite/secteur_activite/id")]
        assert [i.id for i in record.interests] == [
            i.text for i in metier.iterfind("centres_interet/centre_interet/id")]
        assert [s.id for s in record.statuts] == [s.text for s in metier.iterfind("statuts/statut/id")]
        assert [f.id for f in record.formations] == [
            f.text for f in metier.iterfind("formations_min_requise/formation_min_requise/id")]
        assert [m.id for m in record.related] == [m.text for m in metier.iterfind("metiers_associes/metier_associe/id")]
        assert len(record.synonyms) == len(metier.findall("synonymes/synonyme"))
        salary = re.search(r"<h5>Salaire du débutant</h5>\s*<p>A partir de (\d+) euros brut par mois",
                           metier.findtext("vie_professionnelle") or "")
        if salary:
            assert record.salary.min_eur == int(salary.group(1))


def test_ids_are_onisep_nomenclature_ids(xml_parsed) -> None:
    sector_ids = {s.id for r in xml_parsed.records for s in r.sectors}
    interest_ids = {i.id for r in xml_parsed.records for i in r.interests}
    assert sector_ids <= ONISEP_SECTOR_IDS and len(sector_ids) == 49
    assert interest_ids <= ONISEP_INTEREST_IDS
    assert {s.id for r in xml_parsed.records for s in r.statuts} <= {f"T-ITM.{n}" for n in range(1, 10)}
    levels = {r.level_text for r in xml_parsed.records}
    assert {lv for lv in levels if parse_level(lv) is None} == {"autre formation"}


def test_bare_xml_reads_like_the_zip(xml_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "Onisep_Ideo_Fiches_metiers_25062024.xml"
    path.write_bytes(small_xml(xml_bytes, 3))
    parsed = parse_path(path)
    assert [r.id for r in parsed.records] == ["MET.1", "MET.10", "MET.100"][: len(parsed.records)]
    assert len(parsed.records) == 3 and parsed.records[0].source_date == "2024-06-25"


def test_unknown_export_date_is_said(xml_bytes: bytes) -> None:
    parsed = parse_bytes(small_xml(xml_bytes, 1), "export.xml")
    assert parsed.records[0].source_date is None
    assert any("date de l'export inconnue" in note for note in parsed.notes)


def test_memory_stays_bounded_while_streaming() -> None:
    """A 6 MB export whose bulk is an element the app does not use: parse overhead stays small,
    because each <metier> is dropped once read."""
    filler = "<extra>" + "x" * 40_000 + "</extra>"
    body = "".join(f"<metier><identifiant>MET.{n}</identifiant><nom_metier>métier {n}</nom_metier>"
                   f"{filler}</metier>" for n in range(1, 151))
    data = f"<?xml version='1.0' encoding='UTF-8'?><metiers>{body}</metiers>".encode()
    tracemalloc.start()
    try:
        parsed = parse_bytes(data, "export.xml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(parsed.records) == 150
    assert peak < len(data) / 4, f"pic mémoire {peak} octets pour {len(data)} octets lus"


# ---------------------------------------------------------------------------------------------
# Hostile and broken XML
# ---------------------------------------------------------------------------------------------
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE metiers [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<metiers><metier><identifiant>MET.1</identifiant><nom_metier>&g;</nom_metier></metier></metiers>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE metiers [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<metiers><metier><identifiant>MET.1</identifiant><nom_metier>&secret;</nom_metier></metier></metiers>
"""


def test_entity_bomb_is_refused_quickly() -> None:
    start = time.perf_counter()
    with pytest.raises(FicheError, match="entités"):
        parse_bytes(BOMB, "bombe.xml")
    assert time.perf_counter() - start < 1


def test_external_entity_is_refused_and_nothing_is_read() -> None:
    with pytest.raises(FicheError, match="refusé") as caught:
        parse_bytes(EXTERNAL, "externe.xml")
    assert "root:" not in caught.value.message


def test_entity_bomb_inside_a_zip_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FicheError, match="entités"):
        parse_bytes(_zip({"export.xml": BOMB}), "export.zip")


def test_truncated_xml_names_the_line(xml_bytes: bytes) -> None:
    data = small_xml(xml_bytes, 2)
    with pytest.raises(FicheError, match=r"fichier XML invalide : ligne \d+"):
        parse_bytes(data[: len(data) // 2], "export.xml")


def test_metier_without_id_refuses_the_whole_file() -> None:
    data = b"<metiers><metier><identifiant>MET.1</identifiant><nom_metier>a</nom_metier></metier>" \
           b"<metier><nom_metier>b</nom_metier></metier></metiers>"
    with pytest.raises(FicheError, match="métier n° 2 : identifiant absent"):
        parse_bytes(data, "export.xml")


def test_duplicate_ids_refuse_the_file() -> None:
    one = b"<metier><identifiant>MET.7</identifiant><nom_metier>a</nom_metier></metier>"
    with pytest.raises(FicheError, match=r"identifiant en double « MET\.7 »"):
        parse_bytes(b"<metiers>" + one + one + b"</metiers>", "export.xml")


def test_unknown_declared_encoding_is_refused() -> None:
    with pytest.raises(FicheError, match="encodage"):
        parse_bytes(b"<?xml version='1.0' encoding='klingon'?><metiers></metiers>", "export.xml")


def test_missing_and_extra_elements_are_tolerated() -> None:
    data = ("<metiers><metier><identifiant>MET.5</identifiant><nom_metier>soudeur/euse</nom_metier>"
            "<nouvel_element><x>1</x></nouvel_element><romesV3/><statuts></statuts></metier></metiers>")
    record = parse_bytes(data.encode(), "export.xml").records[0]
    assert (record.id, record.name, record.rome_codes, record.statuts, record.sections) == (
        "MET.5", "soudeur/euse", [], [], [])


# ---------------------------------------------------------------------------------------------
# Archives
# ---------------------------------------------------------------------------------------------
def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_with_several_files_is_refused(xml_bytes: bytes) -> None:
    data = _zip({"a.xml": small_xml(xml_bytes, 1), "b.xml": small_xml(xml_bytes, 1)})
    with pytest.raises(FicheError, match="un seul fichier XML ou JSON attendu \\(2 trouvés\\)"):
        onisep_xml.parse_xml(data, "export.zip")


def test_zip_member_over_the_limit_is_refused_before_inflating(xml_bytes: bytes, monkeypatch) -> None:
    monkeypatch.setattr(onisep_xml, "MAX_FILE_BYTES", 100_000)
    with pytest.raises(FicheError, match="trop volumineux une fois décompressé"):
        parse_bytes(_zip({"export.xml": small_xml(xml_bytes, 20)}), "export.zip")


def test_inflating_stops_at_the_limit_whatever_the_header_says() -> None:
    reader = onisep_xml._LimitedReader(io.BytesIO(b"x" * 5000), 1000, "export.xml")
    with pytest.raises(FicheError, match="dépasse"):
        while reader.read(300):
            pass


def test_damaged_zip_is_refused_in_french(xml_bytes: bytes) -> None:
    data = bytearray(_zip({"export.xml": small_xml(xml_bytes, 5)}))
    middle = len(data) // 2
    data[middle:middle + 40] = bytes(40)
    with pytest.raises(FicheError, match=r"ZIP|XML"):
        parse_bytes(bytes(data), "export.zip")


# ---------------------------------------------------------------------------------------------
# JSON variant: same names, a list of one collapsed to an object, an empty list as null
# ---------------------------------------------------------------------------------------------
JSON_METIERS = [
    {
        "identifiant": "MET.9101", "nom_metier": "apiculteur/trice",
        "libelle_feminin": "apicultrice", "libelle_masculin": "apiculteur",
        "synonymes": {"synonyme": {"nom_metier": "éleveur/euse d'abeilles", "libelle_feminin": "éleveuse d'abeilles",
                                   "libelle_masculin": "éleveur d'abeilles"}},
        "romesV3": {"romeV3": "A1407"},
        "accroche_metier": "<p>Il ou elle élève des abeilles &amp; récolte le miel.</p>",
        "vie_professionnelle": "<h3>Salaire</h3><h5>Salaire du débutant</h5>"
                               "<p>A partir de 1900 euros brut par mois</p>",
        "statuts": {"statut": [{"id": "T-ITM.2", "libelle": "artisan"}, {"id": "T-ITM.9", "libelle": "salarié"}]},
        "niveau_acces_min": {"id": "REF.413", "libelle": "CAP ou équivalent"},
        "secteurs_activite": {"metier_transverse": None,
                              "secteur_activite": {"id": "T-IDEO2.4852", "libelle": "Agriculture"}},
        "centres_interet": {"centre_interet": {"id": "T-IDEO2.4824", "libelle": "j'aime la nature"}},
        "metiers_associes": None, "formations_min_requise": None, "publications": None,
    },
    {"identifiant": "MET.9102", "nom_metier": "testeur/euse", "romesV3": None, "synonymes": None},
]


@pytest.mark.parametrize("shape", ["nested", "list", "single"])
def test_json_variant_reads_like_the_xml(shape: str) -> None:
    document = {"nested": {"metiers": {"metier": JSON_METIERS}}, "list": JSON_METIERS,
                "single": JSON_METIERS[0]}[shape]
    parsed = parse_bytes(json.dumps(document, ensure_ascii=False).encode(), "Onisep_metiers_01022026.json")
    assert parsed.format_name == "onisep-json"
    record = parsed.records[0]
    assert (record.id, record.name, record.source_kind) == ("MET.9101", "apiculteur/trice", "onisep-json")
    assert [(s.name, s.label_f) for s in record.synonyms] == [("éleveur/euse d'abeilles", "éleveuse d'abeilles")]
    assert record.rome_codes == ["A1407"]
    assert record.summary == "Il ou elle élève des abeilles & récolte le miel."
    assert (record.salary.min_eur, record.salary.source_date) == (1900, "2026-02-01")
    assert [s.id for s in record.statuts] == ["T-ITM.2", "T-ITM.9"]
    assert record.level_text == "CAP ou équivalent"
    assert [(s.id, s.label) for s in record.sectors] == [("T-IDEO2.4852", "Agriculture")]
    assert [i.id for i in record.interests] == ["T-IDEO2.4824"]
    assert record.related == [] and record.formations == []
    if shape != "single":
        assert parsed.records[1].rome_codes == [] and parsed.records[1].synonyms == []


def test_json_errors_are_french() -> None:
    with pytest.raises(FicheError, match="fichier JSON invalide : ligne 1"):
        parse_bytes(b'[{"identifiant": "MET.1", "nom_metier": ', "x.json")
    with pytest.raises(FicheError, match="identifiant absent"):
        parse_bytes(b'[{"identifiant": "MET.1", "nom_metier": "a"}, {"identifiant": "x1"}]', "x.json")
