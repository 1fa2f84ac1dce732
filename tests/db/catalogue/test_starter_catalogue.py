"""The bundled starter catalogue: every fiche valid, coverage rules met, facts agree with ONISEP/ROME."""
from __future__ import annotations

import csv
import re
import zipfile
from collections import Counter
from xml.etree import ElementTree

import pytest

from db.catalogue import nomenclature as nom
from db.catalogue.importers import parse_path
from db.catalogue.records import MetierRecord
from db.catalogue.starter import catalogue_dir
from db.text import fold
from tests.conftest import shared_path

SMIC_2025 = nom.smic_at("2025-12-31")
BANDS = {"CAP ou moins": (-9, -1), "bac": (0, 1), "bac + 2": (2, 2), "bac + 3": (3, 4), "bac + 5": (5, 7),
         "bac + 8 et plus": (8, 9)}


@pytest.fixture(scope="module")
def fiches() -> list[MetierRecord]:
    records: list[MetierRecord] = []
    for path in sorted(catalogue_dir().glob("*.jsonl")):
        records.extend(parse_path(path).records)  # the same parser as any imported file
    return records


@pytest.fixture(scope="module")
def raw_lines() -> list[dict]:
    import json

    return [json.loads(line) for path in sorted(catalogue_dir().glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_at_least_400_unique_metiers(fiches):
    ids = [f.id for f in fiches]
    assert len(ids) >= 400
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]


def test_every_fiche_follows_the_schema(fiches):
    sectors, interests, statuts = nom.ONISEP_SECTOR_IDS, nom.ALL_INTEREST_IDS, {s for s, _ in nom.STATUTS}
    problems = []
    for f in fiches:
        checks = {
            "id": re.fullmatch(r"ORI\.[a-z0-9][a-z0-9-]*", f.id),
            "titres": f.label_f and f.label_m and f.name,
            "description": f.summary and 2 <= len(re.findall(r"[.!?…](\s|$)", f.summary)) <= 5,
            "sections": [s.key for s in f.sections] == ["description", "travail", "acces"],
            "rome": 1 <= len(f.rome_codes) <= 3 and all(nom.ROME_CODE.match(c) for c in f.rome_codes),
            "niveau": nom.parse_level(f.level_text) is not None,
            "secteurs": 1 <= len(f.sectors) <= 3 and all(s.id in sectors for s in f.sectors),
            "intérêts": 1 <= len(f.interests) <= 4 and all(i.id in interests for i in f.interests),
            "statuts": 1 <= len(f.statuts) <= 3 and all(s.id in statuts for s in f.statuts),
            "formations": 2 <= len(f.formations) <= 6,
            "riasec": f.riasec and re.fullmatch(r"[RIASEC]{1,3}", f.riasec),
            "source": f.source_kind == "projet",
        }
        problems += [f"{f.id}: {name}" for name, ok in checks.items() if not ok]
    assert problems == []


def test_every_level_band_has_ten_metiers(fiches):
    counts = Counter()
    for f in fiches:
        level = nom.parse_level(f.level_text)
        for band, (low, high) in BANDS.items():
            if low <= level.bac_plus <= high:
                counts[band] += 1
    assert all(counts[band] >= 10 for band in BANDS), counts


def test_thirty_onisep_sectors_have_three_metiers(fiches):
    counts = Counter(s.id for f in fiches for s in f.sectors)
    assert sum(1 for n in counts.values() if n >= 3) >= 30, counts


def test_every_onisep_sector_has_five_metiers(fiches):
    """A counselor who filters on any ONISEP sector gets a real choice, not one or two fiches."""
    counts = Counter(s.id for f in fiches for s in f.sectors)
    assert {label: counts[sid] for sid, label in nom.ONISEP_SECTORS if counts[sid] < 5} == {}


def test_everyday_jobs_have_a_fiche(fiches):
    """Jobs pupils name first in a session (issue 13), by title or synonym."""
    names = {fold(n) for f in fiches for n in (f.name, f.label_f, f.label_m, *(s.name for s in f.synonyms)) if n}
    wanted = ["carreleur/euse-mosaïste", "chef/fe de chantier en installations électriques",
              "toiletteur/euse d'animaux", "orthoptiste", "ATSEM", "aide à domicile", "auxiliaire de vie"]
    assert [name for name in wanted if fold(name) not in names] == []


def test_every_onisep_interest_is_on_eight_metiers(fiches):
    counts = Counter(i.id for f in fiches for i in f.interests)
    assert {i: counts[i] for i in nom.ONISEP_INTEREST_IDS if counts[i] < 8} == {}


def test_newer_onisep_interests_are_on_three_metiers_each(fiches):
    """A student who ticks "j'adore conduire" (or another 2025 label) is offered métiers."""
    counts = Counter(i.id for f in fiches for i in f.interests)
    assert {i.id: counts[i.id] for i in nom.NEWER_INTERESTS if counts[i.id] < 3} == {}


def test_newer_interests_reach_the_database(fiches):
    """The importer keeps our ids for the newer labels instead of dropping them (empty label)."""
    for interest in nom.NEWER_INTERESTS:
        assert nom.match_interest("", interest.id) == (interest.id, interest.label)


def _whole_euros_smic(year: int) -> int:
    """The SMIC in force at the end of ``year``, in whole euros as fiches write salaries."""
    return int(nom.smic_at(f"{year}-12-31"))


def test_salaries_present_and_never_below_the_smic_without_reason(fiches, raw_lines):
    with_salary = [f for f in fiches if f.salary and f.salary.min_eur is not None]
    assert len(with_salary) >= 0.95 * len(fiches)
    assert all(f.salary.year for f in with_salary)
    assert all(f.salary.max_eur is None or f.salary.max_eur >= f.salary.min_eur for f in with_salary)


def test_the_newer_onisep_interests_find_their_metiers_once_loaded(tmp_path):
    """A newer interest named by id alone (no label on the line) still reaches the database."""
    from db.catalogue.search import Criteria, search
    from db.storage.opening import open_database

    database = open_database(str(tmp_path / "orientation.sqlite"), backups=False)
    try:
        with database.read() as session:
            found = {row.name for row in search(session, Criteria(interests=("CI.j-adore-conduire",)), limit=500)}
    finally:
        database.close()
    assert {"chauffeur/euse de taxi", "facteur/trice"} <= found


def test_no_starting_salary_under_the_smic_of_its_year_without_a_note(fiches, raw_lines):
    """1 802 € was the SMIC of 2025; from 2026 it is 1 823,03 €, so a fiche dated 2026 at 1 802 €
    would show a student a pay that is not legal. Only a note (apprentice, per-show pay) excuses it."""
    notes = {line["id"]: line.get("salaire_note") for line in raw_lines}
    low = [(f.id, f.salary.year, f.salary.min_eur) for f in fiches
           if f.salary and f.salary.min_eur is not None and f.salary.year
           and f.salary.min_eur < _whole_euros_smic(f.salary.year) and not notes[f.id]]
    assert low == []


def test_no_starter_salary_under_the_current_smic_without_a_note(fiches, raw_lines):
    """Fiches are read today: a figure from an older year must still reach the SMIC in force."""
    notes = {line["id"]: line.get("salaire_note") for line in raw_lines}
    current = int(nom.smic_at(None))
    low = [(f.id, f.salary.min_eur) for f in fiches
           if f.salary and f.salary.min_eur is not None and f.salary.min_eur < current and not notes[f.id]]
    assert low == []


# ------------------------------------------------------------------ against the real ONISEP / ROME data
def _rome_codes() -> dict[str, str]:
    path = shared_path("data", "rome-v460", "unix_referentiel_code_rome_v460_utf8.csv")
    with path.open(encoding="utf-8") as handle:
        return {row["code_rome"]: row["code_rome_parent"] for row in csv.DictReader(handle)}


def _onisep_facts() -> dict[str, tuple[str | None, set[str]]]:
    """MET.n → (level label, ROME codes) from the 2025 Markdown fiches, completed by the 2024 XML."""
    facts: dict[str, tuple[str | None, set[str]]] = {}
    archive = next(shared_path("data", "onisep-ideo-xml-2024").glob("*.zip"))
    with zipfile.ZipFile(archive) as zipped, zipped.open(zipped.namelist()[0]) as handle:
        for _, element in ElementTree.iterparse(handle):
            if element.tag == "metier":
                facts[element.findtext("identifiant")] = (
                    element.findtext("niveau_acces_min/libelle"),
                    {r.text.strip() for r in element.iter("romeV3") if r.text})
                element.clear()
    for path in shared_path("data", "onisep-metiers-md").glob("MET.*.md"):
        text = path.read_text(encoding="utf-8")
        ident = re.search(r"\*\*ID:\*\* (MET\.\d+)", text)
        level = re.search(r"\*\*Niveau d'accès minimum:\*\* (.+)", text)
        block = re.search(r"\*\*Codes ROME:\*\*\n((?:- .+\n?)+)", text)
        codes = set(re.findall(r"- ([A-N]\d{4})", block.group(1))) if block else set()
        if ident:
            facts[ident.group(1)] = (level.group(1).strip() if level else None, codes)
    return facts


def test_every_rome_code_exists_in_rome_4(fiches):
    known = _rome_codes()
    assert [(f.id, c) for f in fiches for c in f.rome_codes if c not in known] == []


def test_levels_and_rome_codes_agree_with_onisep(fiches, capsys):
    known, onisep = _rome_codes(), _onisep_facts()
    linked = [f for f in fiches if f.same_as]
    missing = [f.id for f in linked if f.same_as not in onisep]
    comparable = [f for f in linked if f.same_as in onisep and nom.parse_level(onisep[f.same_as][0])]
    level_ok = [f for f in comparable if nom.parse_level(f.level_text).bac_plus
                == nom.parse_level(onisep[f.same_as][0]).bac_plus]
    rome_cases = [f for f in linked if f.same_as in onisep and onisep[f.same_as][1]]
    rome_ok = [f for f in rome_cases if any(c in onisep[f.same_as][1] or known.get(c) in onisep[f.same_as][1]
                                            for c in f.rome_codes)]
    with capsys.disabled():
        print(f"\nCatalogue de départ : {len(fiches)} fiches, {len(linked)} liées à une fiche Onisep "
              f"({len(missing)} introuvables dans les données Onisep)")
        print(f"  niveau identique : {len(level_ok)}/{len(comparable)} ; "
              f"codes ROME concordants : {len(rome_ok)}/{len(rome_cases)}")
        for f in sorted((f for f in comparable if f not in level_ok), key=lambda f: f.id):
            print(f"  niveau différent : {f.id} {f.level_text!r} vs Onisep {onisep[f.same_as][0]!r}")
    assert missing == []
    assert len(level_ok) >= 0.9 * len(comparable)
    assert len(rome_ok) >= 0.9 * len(rome_cases)


def test_a_base_made_with_an_older_starter_edition_gets_the_new_one(tmp_path, monkeypatch):
    """An office that installed an earlier version gets the new fiches and corrected facts at the
    first opening by this one, once; a base that declined the starter catalogue stays empty."""
    import json

    from db.catalogue import starter
    from sqlalchemy import select

    from db.catalogue.search import Criteria, count
    from db.models import Metier
    from db.storage.opening import open_database

    old = tmp_path / "ancien"
    old.mkdir()
    first = sorted(starter.catalogue_dir().glob("*.jsonl"))[0]
    lines = first.read_text(encoding="utf-8").splitlines()
    older = [json.loads(line) for line in lines[:5]]
    older[0]["salaire_min"], older[0]["salaire_annee"] = 1802, 2025
    (old / first.name).write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in older), encoding="utf-8")
    monkeypatch.setattr(starter, "catalogue_dir", lambda: old)
    path = str(tmp_path / "base.sqlite")
    open_database(path, backups=False).close()
    monkeypatch.undo()
    database = open_database(path, backups=False)  # this version's edition
    with database.read() as session:
        total = count(session, Criteria())
        salary = session.execute(select(Metier.salary_min).where(Metier.id == older[0]["id"])).scalar_one()
    database.close()
    bundled = sum(1 for p in starter.catalogue_dir().glob("*.jsonl")
                  for line in p.read_text(encoding="utf-8").splitlines() if line.strip())
    assert total == bundled and salary == json.loads(lines[0])["salaire_min"] != 1802
    again = open_database(path, backups=False)
    assert starter.load_starter_catalogue(again) == 0  # once only
    again.close()
