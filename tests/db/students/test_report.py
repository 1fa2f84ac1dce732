"""The report assembled from a real session, rendered, and read back as a family would read it."""
from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from db.students.report import build_report, french_date
from db.students.settings import Counselor, set_counselor
from db.students.store import ShortlistItem, create_student, latest_session, save_session, start_session
from desktop.cli import main
from reports.pdf import render_report

PRIVATE = "NOTE-PRIVEE-QUI-NE-DOIT-PAS-SORTIR"


@pytest.fixture
def student(mini_db) -> int:
    set_counselor(mini_db, Counselor("Mme Claire Dubois", "CIO de Lyon Centre", "04 72 00 00 00"))
    sid = create_student(mini_db, "Martin", "Zoé", "3e B", "Collège Jean Moulin")
    with mini_db.read() as session:
        state = start_session(session, sid, "2026-11-20")
    state.interests = ["T-IDEO2.4807", "T-IDEO2.4812", "T-IDEO2.4814"]
    state.max_bac_plus, state.min_salary = 3, 1840
    state.shortlist = [ShortlistItem("ORI.aide-soignant", "à découvrir en stage"), ShortlistItem("ORI.macon", "")]
    state.comparison = ["ORI.aide-soignant", "ORI.macon"]
    state.next_steps = "Stage d'observation en EHPAD\n- Journée portes ouvertes du lycée"
    state.student_note, state.private_notes = "Continue comme ça, Zoé !", PRIVATE
    save_session(mini_db, state)
    return sid


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_report_data_says_the_right_things(mini_db, student):
    with mini_db.read() as session:
        data = build_report(session, latest_session(session, student), today=date(2026, 11, 21))
    assert (data.student_name, data.student_class, data.school) == ("Zoé Martin", "3e B", "Collège Jean Moulin")
    assert data.session_date == "20 novembre 2026" and data.generated_on == "21 novembre 2026"
    assert data.made_on == date(2026, 11, 21)  # the PDF's creation date
    assert [i.label for i in data.interests] == [  # alphabetical, as in the reasons below
        "j'aime organiser, gérer", "je veux être utile aux autres", "ma vocation est de soigner"]
    first, second = data.metiers
    assert (first.title, first.level, first.comment) == ("aide-soignant/e", "CAP ou équivalent", "à découvrir en stage")
    assert first.salary == "à partir de 1\u202f850\u202f€ brut par mois"
    assert first.salary_source == "Source : fiche rédigée par l'équipe Orientation, 2025"
    assert ("Il correspond à 2 de tes 3 centres d'intérêt : je veux être utile aux autres ; "
            "ma vocation est de soigner.") in first.reasons  # interests in label order
    assert second.salary == "à partir de 1\u202f810\u202f€ brut par mois (≈ SMIC)"  # 2025 SMIC: 1 801,80 €
    assert second.cautions == ["Il ne correspond à aucun de tes centres d'intérêt.",
                               "Le salaire de début (1\u202f810\u202f€ brut par mois) est sous les 1\u202f840\u202f€ "
                               "que tu souhaites."]
    assert data.comparison.titles == ["aide-soignant/e", "maçon/ne"]
    assert data.comparison.rows[1].values == ["2 à 3 ans après la 3e", "2 à 3 ans après la 3e"]
    assert data.next_steps == ["Stage d'observation en EHPAD", "Journée portes ouvertes du lycée"]
    assert data.interest_profile == [("Aider, soigner", 1.0), ("Organiser, vendre", 0.5)]
    assert data.sources == ["Fiches rédigées par l'équipe Orientation, données 2025"]


def test_rendered_report_has_every_section_and_no_private_note(mini_db, student):
    with mini_db.read() as session:
        pdf = render_report(build_report(session, latest_session(session, student)))
    text = pdf_text(pdf)
    for expected in ("Bilan d'orientation", "Zoé Martin", "Collège Jean Moulin", "20 novembre 2026",
                     "Mme Claire Dubois", "CIO de Lyon Centre", "Tes centres d'intérêt", "ma vocation est de soigner",
                     "Les métiers que tu as retenus", "Aide-soignant/e", "CAP ou équivalent", "1 850 €", "(≈ SMIC)",
                     "à découvrir en stage", "Comparaison", "Tes prochaines étapes", "Stage d'observation en EHPAD",
                     "Continue comme ça, Zoé !", "Fiche rédigée par l'équipe Orientation", "04 72 00 00 00"):
        # Words as read, whatever the line breaks of the narrow columns.
        assert expected in " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split()), expected
    assert PRIVATE not in text and PRIVATE.encode() not in pdf


def test_report_command_and_class_batch(mini_db, student, db_location, tmp_path, capsys):
    mini_db.close()
    out = tmp_path / "bilan.pdf"
    assert main(["report", str(student), "--out", str(out), "--db", db_location]) == 0
    assert "Zoé Martin" in pdf_text(out.read_bytes())
    assert main(["report", "--classe", "3E B", "--out", str(tmp_path / "classe"), "--db", db_location]) == 0
    assert [p.name for p in (tmp_path / "classe").iterdir()] == ["bilan-martin-zoe-2026-11-20.pdf"]
    twin = tmp_path / "twin.pdf"  # the accessible HTML page beside the PDF
    assert main(["report", str(student), "--html", "--out", str(twin), "--db", db_location]) == 0
    page = twin.with_suffix(".html").read_text(encoding="utf-8")
    assert "<h2>Tes prochaines étapes</h2>" in page and PRIVATE not in page
    big = tmp_path / "gros.pdf"  # large print: the same bilan on more pages
    assert main(["report", str(student), "--gros-caracteres", "--out", str(big), "--db", db_location]) == 0
    assert len(PdfReader(io.BytesIO(big.read_bytes())).pages) > len(PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert main(["report", str(student), "--seance", "2020-01-01", "--out", str(out), "--db", db_location]) == 2
    assert "aucun entretien le 2020-01-01" in capsys.readouterr().err


def test_report_out_must_name_a_pdf(mini_db, student, db_location, tmp_path, capsys):
    """« --out bilan.html --html » wrote the PDF into bilan.html over the HTML page: a name in
    another suffix than .pdf is refused, nothing written; a name without one gets .pdf."""
    mini_db.close()
    asked = tmp_path / "bilan.html"
    assert main(["report", str(student), "--html", "--out", str(asked), "--db", db_location]) == 2
    assert "donnez un nom de fichier en .pdf (par exemple « bilan.pdf »)" in capsys.readouterr().err
    assert not asked.exists() and not (tmp_path / "bilan.pdf").exists()
    assert main(["report", str(student), "--out", str(tmp_path / "zoe"), "--db", db_location]) == 0
    assert "Zoé Martin" in pdf_text((tmp_path / "zoe.pdf").read_bytes())
    assert f"Bilan écrit : {tmp_path / 'zoe.pdf'}" in capsys.readouterr().out
    # A dot in a name is not a suffix: « bilan Z. Martin » is a name like any other.
    assert main(["report", str(student), "--out", str(tmp_path / "bilan Z. Martin"), "--db", db_location]) == 0
    assert (tmp_path / "bilan Z. Martin.pdf").is_file()


def test_french_dates():
    assert french_date("2026-11-01") == "1er novembre 2026" and french_date(date(2027, 2, 3)) == "3 février 2027"


def test_sources_name_the_dataset_its_date_and_licence(mini_db, tmp_path):
    """ODbL: the dataset named with its date; Licence Ouverte: producer, data and version."""
    from db.catalogue.importing import import_paths
    from db.catalogue.credits import source_lines
    from tests.db.catalogue.test_same_job import ONISEP_STYLE

    fiche = tmp_path / "MET.561.md"
    fiche.write_text(ONISEP_STYLE, encoding="utf-8")
    rome = tmp_path / "unix_referentiel_code_rome_v460_utf8.csv"
    rome.write_text('"code_rome","code_rome_parent","libelle_rome","code_ogr"\n'
                    '"J1501","J1501","Soins d\'hygiène, de confort du patient","1"\n', encoding="utf-8")
    assert import_paths(mini_db, [fiche, rome]).refused == 0
    with mini_db.read() as session:
        lines = source_lines(session, ["MET.561", "ORI.macon"])
    # The Markdown export's date (21/10/2025, see db.catalogue.importers.onisep_md).
    assert lines[0] == ("Idéo-Fiches métiers, Onisep, données du 21 octobre 2025, sous licence ODbL "
                        "(Open Database License)")
    assert lines[1].startswith("Fiches rédigées par l'équipe Orientation")
    assert lines[2].startswith("Codes et métiers du ROME : France Travail, ROME 4.60, données importées le ")
    assert lines[2].endswith(", sous Licence Ouverte (Etalab)")
    # ROME is credited only when a shown métier cites one of its codes.
    with mini_db.read() as session:
        alone = source_lines(session, ["ORI.macon"])
    assert alone == ["Fiches rédigées par l'équipe Orientation, données 2025"]
