"""The five seed documents: each is detected by its content and yields the facts its README lists."""
from __future__ import annotations

from db.catalogue.importers import parse_bytes
from db.catalogue.importers.textio import is_emoji
from db.catalogue.nomenclature import match_interest, match_sector, match_statut, parse_level
from db.catalogue.records import MetierRecord, ParsedFile

from .conftest import seed_bytes


def _parse(key: str) -> tuple[ParsedFile, MetierRecord]:
    # A neutral name: detection must rest on the content, not on a file extension.
    parsed = parse_bytes(seed_bytes(key), "document")
    assert len(parsed.records) == 1
    return parsed, parsed.records[0]


def _section(record: MetierRecord, key: str) -> str:
    found = [s.text for s in record.sections if s.key == key]
    assert found, f"section {key} absente : {[s.key for s in record.sections]}"
    return found[0]


def test_seed_000_onisep_markdown_responsable_de_production_mode() -> None:
    parsed, record = _parse("onisep_mode")
    assert parsed.format_name == "onisep-md"
    assert (record.id, record.name) == ("MET.8115", "responsable de production (mode)")
    assert record.rome_codes == ["H2505"] and record.legacy_rome_codes == []
    assert record.level_text == "bac + 2" and parse_level(record.level_text).bac_plus == 2
    assert len(record.formations) == 8
    assert all(f.id and f.id.startswith("FOR.") for f in record.formations)
    assert record.formations[0].label == "BTS métiers de la mode vêtements" and record.formations[0].id == "FOR.6038"
    assert [match_statut(s.label, s.id)[0] for s in record.statuts] == ["T-ITM.9"]
    interests = [match_interest(i.label, i.id) for i in record.interests]
    assert [i for i, _ in interests][:2] == ["T-IDEO2.4814", "T-IDEO2.4810"]
    # The newer 2025 label has no ONISEP id but stays a real interest, under a stable id.
    assert interests[2] == ("CI.la-mode-me-fait-rever", "la mode me fait rêver")
    assert record.summary.startswith("Le ou la responsable de production coordonne")
    assert "Après le bac" in _section(record, "en_bref")  # the shifted, indented sub-heading
    assert record.salary is None  # this fiche states no salary
    assert (record.source_kind, record.licence) == ("onisep-md", "ODbL — Source : Onisep")


def test_seed_001_titre_professionnel_annex() -> None:
    parsed, record = _parse("titre_pro")
    assert parsed.format_name == "titre-pro"
    assert record.id == "TP.technicien-ne-superieur-e-en-gestion-de-production"
    assert any("identifiant dérivé du titre" in note for note in parsed.notes)
    assert record.name == "technicien(ne) supérieur(e) en gestion de production"
    assert (record.label_m, record.label_f) == ("technicien supérieur en gestion de production",
                                                "technicienne supérieure en gestion de production")
    level = parse_level(record.level_text)
    assert record.level_text == "Niveau : III"
    assert (level.bac_plus, level.level_2019, level.level_1969) == (2, 5, "III")
    assert record.nsf_code == "200 p"
    assert record.legacy_rome_codes == ["52111", "53111"] and record.rome_codes == []
    assert [s.label for s in record.sectors] == ["mécanique", "plasturgie", "chimie", "sidérurgie",
                                                 "métallurgie", "électronique", "textile", "aéronautique",
                                                 "agroalimentaire", "automobile"]
    assert match_sector("chimie")[0] == "T-IDEO2.4843"
    blocks = [s for s in record.sections if s.key.startswith("competences_")]
    assert [s.title for s in blocks] == ["1. Piloter à long terme les flux de produits industriels",
                                         "2. Conduire les flux de production à moyen et court terme",
                                         "3. Optimiser l'outil de gestion de production"]
    assert "Gérer les stocks." in blocks[0].text and "Suivre la production." in blocks[1].text
    assert "52111 - Technicien(ne) de méthodes-ordonnancement-planification" in _section(record, "codes_rome")


def test_seed_002_belgian_guide_page() -> None:
    parsed, record = _parse("be_guide")
    assert parsed.format_name == "be-guide"
    assert (record.id, record.name, record.country) == ("BE.responsable-de-production-manager",
                                                         "Responsable de production (Manager)", "BE")
    salary = record.salary
    assert (salary.min_eur, salary.max_eur, salary.scope) == (3200, 4500, "debutant")
    assert (salary.career_min_eur, salary.career_max_eur) == (3500, 7500)
    assert salary.text.startswith("3 500-7 500€ brut/mois (débutant 3 200-4 500€")
    assert (salary.country, salary.year) == ("BE", 2025)
    # Belgian studies: a bachelier is a bac + 3 (level 6), not the French baccalauréat.
    assert record.level_text == "Bachelier"
    assert (parse_level(record.level_text).bac_plus, parse_level(record.level_text).level_2019) == (3, 6)
    studies = _section(record, "acces_metier")
    assert "Certificat d'Enseignement Secondaire Supérieur (CESS)" in studies and "Master" in studies
    assert "Planifier et organiser le travail des équipes" in _section(record, "nature_travail")
    assert "Logiciels ERP" in _section(record, "outils")
    pros_cons = _section(record, "avantages_inconvenients")
    assert "Points +" in pros_cons and "Points -" in pros_cons and "Charge mentale élevée." in pros_cons
    assert "Le bilinguisme (français-néerlandais)" in _section(record, "faq")
    everything = " ".join([record.summary or ""] + [s.title + " " + s.text for s in record.sections])
    assert "quiz" not in everything.lower() and "compatibilit" not in everything.lower()
    assert not any(is_emoji(ch) for ch in everything)
    assert record.summary.startswith("Le chef d'orchestre de l'usine")


def test_seed_003_onisep_markdown_ingenieur_production_mecanique() -> None:
    _, record = _parse("onisep_meca")
    assert (record.id, record.name) == ("MET.242", "ingénieur/e production en mécanique")
    assert (record.label_f, record.label_m) == ("ingénieure production en mécanique",
                                                "ingénieur production en mécanique")
    assert record.rome_codes == ["H2502"]
    assert record.level_text == "bac + 5" and parse_level(record.level_text).bac_plus == 5
    assert (record.salary.min_eur, record.salary.max_eur) == (2667, None)
    assert record.salary.text == "A partir de 2667 euros brut par mois"
    assert (record.salary.scope, record.salary.source_date) == ("debutant", "2025-10-21")
    assert len(record.synonyms) == 1
    synonym = record.synonyms[0]
    assert (synonym.name, synonym.label_f, synonym.label_m) == (
        "ingénieur/e de fabrication mécanique", "ingénieure de fabrication mécanique",
        "ingénieur de fabrication mécanique")
    assert len(record.formations) == 14 and record.formations[-1].id == "FOR.12017"
    keys = [s.key for s in record.sections]
    assert keys == ["presentation", "en_bref", "nature_travail", "competences", "conditions_travail",
                    "vie_professionnelle", "acces_metier"]
    # "## Salaire" stays inside "Vie professionnelle"; sub-headings keep their own line.
    assert "Salaire du débutant\nA partir de 2667 euros brut par mois" in _section(record, "vie_professionnelle")
    assert _section(record, "nature_travail").startswith("Responsable de A à Z\nPrésent tout au long")


def test_seed_004_cidj_fiche() -> None:
    parsed, record = _parse("cidj")
    assert parsed.format_name == "cidj"
    assert record.id == "CIDJ.planificateur-planificatrice-de-production"
    assert any("identifiant dérivé du titre" in note for note in parsed.notes)
    assert (record.label_m, record.label_f) == ("Planificateur de production", "Planificatrice de production")
    assert [s.name for s in record.synonyms] == ["responsable d'ordonnancement", "responsable exploitation",
                                                 "responsable fabrication", "responsable production",
                                                 "technicien de gestion de production"]
    assert [s.label for s in record.sectors] == ["Matériaux - Industrie"]
    assert match_sector("Matériaux - Industrie")[0] == "T-IDEO2.5668"
    assert [i.label for i in record.interests] == ["Organiser, gérer", "Travailler dans un domaine technique"]
    assert [match_interest(i.label)[0] for i in record.interests] == ["T-IDEO2.4814", "T-IDEO2.4825"]
    assert (record.salary.min_eur, record.salary.max_eur) == (1600, 4000)
    assert record.salary.text.startswith("De 1 600 € à 4 000 € brut par mois, en fonction")
    assert record.level_text == "bac + 2"
    assert record.source_date == "2024-12-09"
    acces = _section(record, "acces_metier")
    levels = [line for line in acces.split("\n") if line.startswith("niveau bac +")]
    assert levels == ["niveau bac + 2", "niveau bac + 3", "niveau bac + 4", "niveau bac + 5", "niveau bac + 6"]
    assert len(record.formations) == 22
    assert record.formations[0].label == "BTS conception des processus de réalisation de produits"
    assert record.formations[-1].label.startswith("MS responsable de l'amélioration continue")
    assert "chef de projet GPAO" in _section(record, "vie_professionnelle")
    everything = " ".join(s.text for s in record.sections)
    assert "Nous rencontrer" not in everything and "Info jeunes" not in everything
