"""The PDF report, read back with pypdf: content, escaping, fonts, metadata, page numbers, determinism."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from db.students.report_data import Comparison, ComparisonRow, ReportData, ReportInterest, ReportMetier
from reports.pdf import ReportRenderer, markup, plain, render_report

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"


# --------------------------------------------------------------------------------------------
# Sample data
# --------------------------------------------------------------------------------------------
_BAC_PLUS = {"bac + 3": 3, "bac + 2": 2, "CAP ou équivalent": -2}
_STUDIES = {3: "3 ans après le bac", 2: "2 ans après le bac", -2: "2 à 3 ans après la 3e"}


def _metier(title: str, fem: str, masc: str, level: str, salary: str, **kw) -> ReportMetier:
    """A shortlisted métier with sensible defaults for the fields a test does not care about
    (years of study and starting salary as db.students.report derives them)."""
    bac_plus = _BAC_PLUS.get(level)
    digits = "".join(c for c in salary if c.isdigit())
    defaults = dict(
        description=f"Le métier de {masc} en quelques mots : ce que l'on fait chaque jour.",
        salary_source="Source : Onisep, 2025", sectors=["santé"], formations=["BTS", "BUT"],
        reasons=["niveau d'études ✔", "secteur ✔"], comment="",
        source="Source : Idéo-Fiches métiers, Onisep, sous licence ODbL",
        bac_plus=bac_plus, study_years=_STUDIES.get(bac_plus, "") if bac_plus is not None else "",
        salary_start=int(digits) if digits else None,
    )
    defaults.update(kw)
    return ReportMetier(title=title, label_f=fem, label_m=masc, level=level, salary=salary, **defaults)


def sample_report() -> ReportData:
    """A typical 3e student: 6 métiers, a comparison of three, next steps and a note."""
    metiers = [
        _metier("infirmier/ère", "infirmière", "infirmier", "bac + 3",
                "à partir de 1 950 € brut par mois",
                description="L'infirmier ou l'infirmière soigne les patients, prépare et donne les "
                            "traitements prescrits par le médecin et accompagne les familles.",
                sectors=["santé", "social"],
                formations=["diplôme d'État d'infirmier (3 ans en IFSI)", "bac général",
                            "bac techno ST2S", "licence sciences pour la santé", "master pratique avancée"],
                reasons=["tu aimes aider les autres", "le niveau d'études (bac + 3) te convient",
                         "centres d'intérêt en commun : 2 sur 3"],
                comment="À découvrir en stage d'observation à l'hôpital."),
        _metier("électricien/ne", "électricienne", "électricien", "CAP ou équivalent",
                "à partir de 1 810 € brut par mois", sectors=["bâtiment, travaux publics"],
                formations=["CAP électricien", "bac pro MELEC", "BP électricien"],
                reasons=["tu aimes travailler de tes mains", "tu veux des études courtes"]),
        _metier("développeur/euse informatique", "développeuse informatique",
                "développeur informatique", "bac + 2", "à partir de 2 300 € brut par mois",
                salary_source="Source : France Travail (ROME), 2024", sectors=["informatique"],
                formations=["BTS SIO", "BUT informatique", "licence informatique"],
                reasons=["tu aimes résoudre des problèmes", "secteur ✔"],
                comment="Regarder les portes ouvertes du lycée Ampère.",
                source="Source : France Travail (ROME)"),
        _metier("éducateur/trice spécialisé/e", "éducatrice spécialisée", "éducateur spécialisé",
                "bac + 3", "à partir de 1 900 € brut par mois", sectors=["social"],
                formations=["diplôme d'État d'éducateur spécialisé", "bac pro ASSP"],
                reasons=["tu veux être utile aux autres"]),
        _metier("boulanger/ère", "boulangère", "boulanger", "CAP ou équivalent", "non précisé",
                salary_source="", sectors=["alimentation"],
                formations=["CAP boulanger", "mention complémentaire boulangerie spécialisée"],
                reasons=["tu aimes créer avec tes mains"],
                source="Fiche rédigée par l'équipe Orientation"),
        _metier("technicien/ne de laboratoire", "technicienne de laboratoire",
                "technicien de laboratoire", "bac + 2", "à partir de 1 850 € brut par mois",
                sectors=["santé", "recherche"], formations=["BTS analyses de biologie médicale",
                                                           "BUT génie biologique"],
                reasons=["tu aimes les sciences", "le niveau d'études (bac + 2) te convient"]),
    ]
    comparison = Comparison(
        titles=["infirmier/ère", "électricien/ne", "développeur/euse informatique"],
        # The criteria as db.catalogue.compare writes them.
        rows=[ComparisonRow("Niveau d'études minimum", ["bac + 3", "CAP ou équivalent", "bac + 2"]),
              ComparisonRow("Durée des études", ["3 ans après le bac", "2 à 3 ans après la 3e",
                                                 "2 ans après le bac"]),
              ComparisonRow("Salaire de début (brut par mois)", ["1 950 € brut par mois", "1 810 € brut par mois",
                                                                 "2 300 € brut par mois"]),
              ComparisonRow("Secteurs", ["santé, social", "bâtiment", "informatique"]),
              ComparisonRow("Statuts", ["salarié, fonctionnaire", "salarié, artisan", "salarié, indépendant"])])
    return ReportData(
        student_name="Zoé Martin", student_class="3e B", school="Collège Jean-Moulin, Lyon",
        session_date="21 novembre 2026", counselor_name="Claire Dubois",
        counselor_structure="CIO de Lyon Centre",
        counselor_contact="CIO de Lyon Centre, 12 rue de la République, 69001 Lyon — 04 78 00 00 00, "
                          "du lundi au vendredi de 9 h à 17 h.",
        interests=[ReportInterest("J'aime aider les autres", "Social"),
                   ReportInterest("Je veux être utile aux autres", "Social"),
                   ReportInterest("J'aime travailler de mes mains", "Concret"),
                   ReportInterest("J'aime les sciences", "Sciences"),
                   ReportInterest("J'aime résoudre des problèmes", "Sciences")],
        interest_profile=[("Aider, soigner", 0.9), ("Fabriquer, construire", 0.5),
                          ("Comprendre, chercher", 0.7), ("Créer, imaginer", 0.2),
                          ("Organiser, gérer", 0.1), ("Convaincre, vendre", 0.0)],
        metiers=metiers, comparison=comparison,
        next_steps=["Faire un stage d'observation de 3e à l'hôpital Édouard-Herriot.",
                    "Aller aux portes ouvertes du lycée Ampère le 14 mars.",
                    "Regarder la fiche « infirmier/ère » sur onisep.fr avec tes parents."],
        student_note="Tu as de belles idées, Zoé. Prends le temps de découvrir ces métiers "
                     "avant de choisir ton lycée.",
        sources=["Idéo-Fiches métiers, Onisep, données du 21 octobre 2025, sous licence ODbL "
                 "(Open Database License)", "Fiches rédigées par l'équipe Orientation, données 2025",
                 "Codes et métiers du ROME : France Travail, ROME 4.60, sous Licence Ouverte (Etalab)"],
        generated_on="21 novembre 2026",
    )


LONG_COMMENT = " ".join(f"Phrase {i:03d} : un commentaire très long & <b>détaillé</b>." for i in range(100))
LONG_COMMENT = (LONG_COMMENT * 2)[:5000]
HOSTILE_STRINGS = ["<b>gras</b>", "R&D", "<img src='/etc/passwd'>", "Łukasz", "Ở", "Zoé",
                   "<para>", "&amp;", "</font>"]


def hostile_report() -> ReportData:
    """Markup, ampersands, emoji, Polish and Vietnamese letters and a 5,000-character comment."""
    data = sample_report()
    return dataclasses.replace(
        data,
        student_name="Łukasz <b>gras</b> Nguyễn Ở 😀",
        student_class="3e <i>B</i> & co",
        school="Lycée Zoé & R&D <img src='/etc/passwd'>",
        counselor_name="Zoé <font size=40>Dubois</font>",
        interests=[ReportInterest("J'aime <b>gras</b> & le sport 🏀", "Sport"), *data.interests],
        interest_profile=[("<b>gras</b> & 🎉 Ở", 0.6), *data.interest_profile],
        metiers=[dataclasses.replace(data.metiers[0], title="<b>gras</b> & cie 🚀",
                                     description="Description avec <img src='/etc/passwd'> dedans.",
                                     comment=LONG_COMMENT,
                                     reasons=["tu es Łukasz 👍🏽", "</font> fermé & <para>"]),
                 *data.metiers[1:]],
        next_steps=["Appeler le CIO 📞 & demander <b>gras</b>", "Écrire à Ở"],
        student_note="Bravo 🎉🇫🇷 ! &amp; n'est pas un « & »\nnouvelle ligne.",
    )


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_report(sample_report())


@pytest.fixture(scope="module")
def hostile_pdf() -> bytes:
    return render_report(hostile_report())


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page with all whitespace (NBSP included) collapsed to one space, the
    words hyphenated at a line's end joined again."""
    reader = PdfReader(BytesIO(pdf))
    return [re.sub(r"\s+", " ", re.sub(r"(?<=\w)-\n(?=\w)", "", (page.extract_text() or "")).replace(NBSP, " "))
            for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def squash(text: str) -> str:
    """``text`` without any whitespace, to compare text that was wrapped at any point; a word
    hyphenated at the end of a line (in a narrow cell) is read whole again."""
    return re.sub(r"\s+", "", re.sub(r"(?<=\w)-\n(?=\w)", "", text.replace(NBSP, " ")))


def reads_in_order(item: str, text: str) -> bool:
    """Whether the words of ``item`` are all in ``text`` in that order (other text, such as the
    card beside it or a page break, may come between them)."""
    position = 0
    for word in item.split():
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


# --------------------------------------------------------------------------------------------
# The sample report
# --------------------------------------------------------------------------------------------
def test_sample_has_every_section(sample_pdf: bytes) -> None:
    text = all_text(sample_pdf)
    for heading in ["Bilan d'orientation", "Tes centres d'intérêt", "Ton profil d'intérêts",
                    "Les métiers que tu as retenus", "Comparaison", "Tes prochaines étapes",
                    "Un mot pour toi", "Sources des informations", "Pour reprendre contact"]:
        assert heading in text, heading


def test_sample_header_values(sample_pdf: bytes) -> None:
    first = pages_text(sample_pdf)[0]
    for value in ["Zoé Martin", "3e B", "Collège Jean-Moulin, Lyon", "21 novembre 2026",
                  "Claire Dubois, CIO de Lyon Centre", "Date de l'entretien"]:
        assert value in first, value


def test_sample_interests_and_chart_labels(sample_pdf: bytes) -> None:
    text = all_text(sample_pdf)
    data = sample_report()
    for interest in data.interests:
        assert interest.label in text
    for label, _ in data.interest_profile:
        assert label in text


@pytest.mark.parametrize("index", range(6))
def test_sample_metier_facts(sample_pdf: bytes, index: int) -> None:
    text, flat = all_text(sample_pdf), squash(all_text(sample_pdf))
    m = sample_report().metiers[index]
    title = f"{index + 1}. {m.title[0].upper()}{m.title[1:]}"
    assert title in text
    assert f"On dit : {m.label_f} ou {m.label_m}" in text
    assert squash(m.description) in flat
    # Level, length of studies and salary: on the métier's line of page 1's overview.
    first = squash(pages_text(sample_pdf)[0])
    assert squash(title) + squash(m.level) + squash(m.study_years or "non précisée") + squash(m.salary) in first
    if m.salary_source:
        assert squash(f"salaire : {m.salary_source.removeprefix('Source : ')}") in flat
    for item in [*m.sectors, *m.formations[:4], *m.reasons, m.source]:
        assert reads_in_order(item, text), item
    if m.comment:
        assert f"Commentaire de l'entretien : {m.comment}" in text


def test_at_most_four_formations(sample_pdf: bytes) -> None:
    text = all_text(sample_pdf)
    assert "licence sciences pour la santé" in text
    assert "master pratique avancée" not in text


def test_sample_comparison_next_steps_note_sources(sample_pdf: bytes) -> None:
    text, flat = all_text(sample_pdf), squash(all_text(sample_pdf))
    data = sample_report()
    # The comparison keeps what page 1 and the cards do not already say for these métiers.
    compared = text[text.index("Comparaison"):text.index("Sources des informations")]
    for row in data.comparison.rows:
        shown = row.criterion in ("Secteurs", "Statuts")
        assert (row.criterion in compared) == shown, row.criterion
        for value in row.values:
            assert squash(value) in (squash(compared) if shown else flat), value
    for item in [*data.next_steps, data.student_note, *data.sources, data.counselor_contact]:
        assert squash(item) in flat, item
    assert "— Claire Dubois" in text
    assert "Document établi le 21 novembre 2026." in text


def test_salary_never_wraps_inside_the_number() -> None:
    assert plain("à partir de 1\u202f850 €") == "à partir de 1\u00a0850\u00a0€"
    assert plain("Niveau : bac") == "Niveau\u00a0: bac"


def test_no_comparison_section_without_comparison() -> None:
    pdf = render_report(dataclasses.replace(sample_report(), comparison=None))
    assert "Comparaison" not in all_text(pdf)


def test_empty_report_renders_with_plain_words() -> None:
    data = ReportData(student_name="Léa", student_class="", school="", session_date="3 mars 2027",
                      counselor_name="", counselor_structure="", counselor_contact="")
    text = all_text(render_report(data))
    assert "Aucun centre d'intérêt n'a été coché" in text
    assert "Aucun métier n'a encore été retenu." in text
    assert "Aucune étape n'a été notée" in text
    assert "Un mot pour toi" not in text
    # No counselor set: the family is still told whom to ask, with a line to fill in by hand.
    assert "Pour reprendre contact" in text and "psychologue de l'Éducation nationale" in text
    assert "Nom et téléphone : ____" in text


def test_every_field_very_long_still_renders() -> None:
    """5,000 characters in every text field (and one unbroken word): pages flow, nothing crashes."""
    long = ("mot " * 1200) + "x" * 200
    data = sample_report()
    stressed = dataclasses.replace(
        data, student_name=long, student_class=long, school=long, session_date=long,
        counselor_name=long, counselor_structure=long, counselor_contact=long,
        interests=[ReportInterest(long, long)] * 3, interest_profile=[(long, 0.5)] * 40,
        metiers=[dataclasses.replace(m, title=long, label_f=long, description=long, level=long,
                                     salary=long, sectors=[long], formations=[long] * 4,
                                     reasons=[long], comment=long, source=long)
                 for m in data.metiers[:2]],
        comparison=Comparison(titles=[long] * 4, rows=[ComparisonRow(long, [long] * 4)] * 2),
        next_steps=[long] * 2, student_note=long, sources=[long], generated_on=long)
    pdf = render_report(stressed)
    assert len(PdfReader(BytesIO(pdf)).pages) > 10


def test_report_without_any_header_value() -> None:
    data = ReportData(student_name="", student_class="", school="", session_date="",
                      counselor_name="", counselor_structure="", counselor_contact="")
    assert "Bilan d'orientation" in all_text(render_report(data))


def test_private_notes_cannot_reach_the_report() -> None:
    names = {f.name for f in dataclasses.fields(ReportData)}
    assert not any("priv" in name for name in names)


# --------------------------------------------------------------------------------------------
# The hostile report
# --------------------------------------------------------------------------------------------
def test_hostile_text_prints_as_typed(hostile_pdf: bytes) -> None:
    text = all_text(hostile_pdf)
    for literal in HOSTILE_STRINGS:
        assert literal in text, literal
    for literal in ["Łukasz <b>gras</b> Nguyễn Ở", "3e <i>B</i> & co", "Zoé <font size=40>Dubois</font>",
                    "Lycée Zoé & R&D <img src='/etc/passwd'>", "1. <b>gras</b> & cie",
                    "« & »", "tu es Łukasz", "</font> fermé & <para>"]:
        assert literal in text, literal


def test_hostile_emoji_dropped_never_boxes(hostile_pdf: bytes) -> None:
    text = all_text(hostile_pdf)
    for emoji in ["😀", "🏀", "🎉", "🚀", "👍", "🏽", "📞", "🇫", "\ufe0f", "\ufffd"]:
        assert emoji not in text
    assert "Bravo ! &amp; n'est pas un « & » nouvelle ligne." in text


def body_text(pdf: bytes, data: ReportData) -> list[str]:
    """Each page's text without the running header and the page number."""
    pages = pages_text(pdf)
    header = f"Bilan d'orientation · {plain(data.student_name).strip()}, {plain(data.student_class)}"
    out = []
    for number, page in enumerate(pages, start=1):
        page = page.replace(f"Page {number} / {len(pages)}", "")
        if number > 1:
            page = page.replace(header, "", 1).replace(data.session_date, "", 1)
            # A page that continues a métier starts with "<n>. <title> (suite)".
            page = re.sub(r"^\s*\d+\. .*?\(suite\)\s*", "", page, count=1, flags=re.S)
        out.append(page)
    return out


def test_hostile_long_comment_flows_across_pages(hostile_pdf: bytes) -> None:
    """The comment is split across pages, not cut: every sentence is there, in order (the card
    beside it is read between two pages' parts of it)."""
    pages = body_text(hostile_pdf, hostile_report())
    flat = squash("".join(pages))
    numbers = re.findall(r"Phrase (\d{3})", LONG_COMMENT)
    positions = [flat.find(f"Phrase{n}:") for n in numbers]
    assert -1 not in positions and positions == sorted(positions)
    holding = [i for i, page in enumerate(pages) if "Phrase" in page]
    assert len(holding) >= 2  # the comment was split, not cut


def test_markup_and_plain_helpers() -> None:
    assert markup("<b>gras</b> & <img src='x'>") == "&lt;b&gt;gras&lt;/b&gt; &amp; &lt;img src='x'&gt;"
    assert markup("a\nb") == "a<br/>b"
    assert plain("Bravo 🎉👍🏽 ❤\ufe0f\u200d") == "Bravo  ❤"
    assert plain("Łukasz Ở Zoé") == "Łukasz Ở Zoé"
    assert plain(None) == ""


def test_no_image_or_file_embedded(hostile_pdf: bytes) -> None:
    assert b"/Subtype /Image" not in hostile_pdf
    reader = PdfReader(BytesIO(hostile_pdf))
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject")
        assert not xobjects or all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))


# --------------------------------------------------------------------------------------------
# Fonts, metadata, page numbers, determinism, layering
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_every_font_is_embedded_truetype(which: str, sample_pdf: bytes, hostile_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(sample_pdf if which == "sample" else hostile_pdf))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            seen.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert seen == {"DejaVuSans", "DejaVuSans-Bold"}


def test_metadata_and_language(sample_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(sample_pdf))
    meta = reader.metadata
    assert meta.title == "Bilan d'orientation — Zoé Martin"
    assert meta.author == "Claire Dubois"
    assert meta.subject == "Bilan d'orientation du 21 novembre 2026, CIO de Lyon Centre"
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"


def test_hostile_metadata_is_plain_text(hostile_pdf: bytes) -> None:
    meta = PdfReader(BytesIO(hostile_pdf)).metadata
    assert meta.title == "Bilan d'orientation — Łukasz <b>gras</b> Nguyễn Ở"
    assert meta.author == "Zoé <font size=40>Dubois</font>"


@pytest.mark.parametrize("which", ["sample", "hostile"])
def test_page_numbers_on_every_page(which: str, sample_pdf: bytes, hostile_pdf: bytes) -> None:
    pages = pages_text(sample_pdf if which == "sample" else hostile_pdf)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} / {len(pages)}" in text


def test_running_header_on_later_pages(sample_pdf: bytes) -> None:
    pages = pages_text(sample_pdf)
    assert all("Bilan d'orientation · Zoé Martin, 3e B" in page for page in pages[1:])


def test_two_renders_are_byte_identical(sample_pdf: bytes) -> None:
    assert render_report(sample_report()) == sample_pdf
    assert render_report(hostile_report()) == render_report(hostile_report())


def test_render_is_identical_in_a_fresh_process(sample_pdf: bytes) -> None:
    """Golden check: another interpreter, another hash seed, the very same bytes."""
    code = ("import hashlib, sys; from tests.reports.test_pdf import sample_report; "
            "from reports.pdf import render_report; "
            "sys.stdout.write(hashlib.sha256(render_report(sample_report())).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out == hashlib.sha256(sample_pdf).hexdigest()


def test_body_text_is_at_least_10pt() -> None:
    renderer = ReportRenderer(sample_report())
    styles = renderer.build_styles()
    assert all(style.fontSize >= 10 for style in styles.byName.values())


def test_reports_imports_no_qt_and_no_orm() -> None:
    code = ("import sys, reports, reports.pdf; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy', 'shiboken6')]; "
            "sys.exit(1 if bad else 0)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_sample_text_matches_the_golden_file(sample_pdf: bytes) -> None:
    """Golden test: the text of the fixed sample, page by page, as checked by hand
    (tests/reports/golden/sample.txt). Regenerate it only after looking at the new pages."""
    from pathlib import Path

    golden = (Path(__file__).with_name("golden") / "sample.txt").read_text(encoding="utf-8")
    pages = PdfReader(BytesIO(sample_pdf)).pages
    assert "\n\f\n".join(page.extract_text() for page in pages) + "\n" == golden


def test_a_page_that_continues_a_metier_names_it_first(sample_pdf: bytes, hostile_pdf: bytes) -> None:
    """Cards of métiers flow from page to page two by two; a page that begins inside a row of
    cards starts with "<n>. <title> · <n>. <title> (suite)", the titles printed as text."""
    header = "Bilan d'orientation · Zoé Martin, 3e B 21 novembre 2026"
    starts = [" ".join(page.split())[len(header):].strip() for page in pages_text(sample_pdf)[1:]]
    assert starts[-1].startswith("5. Boulanger/ère · 6. Technicien/ne de laboratoire (suite)")
    hostile = " ".join(" ".join(pages_text(hostile_pdf)).split())
    assert "1. <b>gras</b> & cie · 2. Électricien/ne (suite)" in hostile


# --------------------------------------------------------------------------------------------
# A bilan a family keeps: short, plain words, pictures, any script
# --------------------------------------------------------------------------------------------
def report_with(count: int) -> ReportData:
    """The sample with its first ``count`` métiers (and the comparison only with 3 or more)."""
    data = sample_report()
    return dataclasses.replace(data, metiers=data.metiers[:count],
                               comparison=data.comparison if count >= 3 else None)


def page_fill(pdf: bytes) -> list[float]:
    """How far down each page the content goes, 0..1 of the frame (drawn by pdfium)."""
    import pypdfium2 as pdfium

    fills = []
    document = pdfium.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=0.5, grayscale=True).to_pil()
        width, height = image.size
        top, bottom = int(height * 0.09), int(height * 0.90)  # below the running header, above "Page n / N"
        rows = [y for y in range(top, bottom) if image.crop((0, y, width, y + 1)).getextrema()[0] < 200]
        fills.append((max(rows) - top) / (bottom - top) if rows else 0.0)
    return fills


@pytest.mark.parametrize(("count", "most"), [(1, 2), (3, 2), (6, 4)])
def test_page_count_for_one_three_and_six_metiers(count: int, most: int) -> None:
    pdf = render_report(report_with(count))
    pages = pages_text(pdf)
    assert len(pages) <= most
    fills = page_fill(pdf)
    assert all(fill > 0.6 for fill in fills[:-1]), fills  # no page mostly blank but the last
    # The sources never stand alone on the last page.
    last = pages[-1].split("Sources des informations")[0]
    assert len(squash(last)) > 200


def test_page_one_is_the_overview(sample_pdf: bytes) -> None:
    """Who, when, with whom and how to call, the interests, each métier on one line, the steps."""
    first = pages_text(sample_pdf)[0]
    for words in ["Zoé Martin", "21 novembre 2026", "Claire Dubois", "Pour reprendre contact", "04 78 00 00 00",
                  "Tes centres d'intérêt", "Les métiers que tu as retenus", "Tes prochaines étapes",
                  "6. Technicien/ne de laboratoire", "Aller aux portes ouvertes du lycée Ampère"]:
        assert words in first, words


def test_brut_and_levels_explained_once(sample_pdf: bytes) -> None:
    text = all_text(sample_pdf)
    assert text.count("Mots utiles") == 1
    assert "le brut est le salaire écrit sur le contrat" in text
    assert "environ 78 % du brut" in text
    assert "bac + 2 2 ans d'études après le bac : BTS, BUT 2e année" in text
    assert "CAP diplôme d'un métier" in text
    assert "bac + 5" not in text  # no shown métier needs it


def test_study_and_salary_chart_places_each_metier(sample_pdf: bytes) -> None:
    text = all_text(sample_pdf)
    assert "Études et salaire : chaque numéro est un métier de ta liste" in text
    assert "Pas sur le dessin (niveau ou salaire inconnu) : 5. Boulanger/ère." in text
    assert "2 250 €" in text  # an axis graduation: the chart is drawn as text and lines, no image


def test_no_counselor_still_names_an_adult_with_a_line_to_fill() -> None:
    data = dataclasses.replace(report_with(3), counselor_name="", counselor_structure="", counselor_contact="")
    first = pages_text(render_report(data))[0]
    assert "Pour reprendre contact le ou la psychologue de l'Éducation nationale de ton collège" in first
    assert "Nom et téléphone : ______" in first


def test_bac_plus_and_amounts_never_break() -> None:
    assert plain("un bac+2 ou un Bac + 5") == "un bac\u00a0+\u00a02 ou un Bac\u00a0+\u00a05"
    assert plain("3 ans après le bac, 1\u202f800 €") == "3\u00a0ans après le bac, 1\u00a0800\u00a0€"


def test_narrow_cells_hyphenate_instead_of_cutting() -> None:
    long_word = "accompagnateur/trice de tourisme équestre et d'alpinisme"
    data = dataclasses.replace(report_with(3), comparison=Comparison(
        titles=["a", "b", "c", "d"], rows=[ComparisonRow("Secteurs", [long_word] * 4)]))
    compared = all_text(render_report(data)).split("Comparaison")[-1]
    # Each cut inside a word is marked with a hyphen: the words read back whole once joined.
    assert compared.count("alpi-") + compared.count("alpinisme") >= 4
    assert "d'alpi nisme" not in compared and "accompagnateur/t rice" not in compared


def test_arabic_is_joined_and_right_to_left() -> None:
    name = "ليلى"  # Layla: four letters that join
    data = dataclasses.replace(report_with(1), student_name=name)
    shaped = plain(name)
    # Presentation forms (joined shapes), in display order (the last letter drawn first).
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shaped)
    assert shaped[0] in "\ufef0\ufeef\ufef4"  # a final alef maksura, drawn leftmost
    first = PdfReader(BytesIO(render_report(data))).pages[0].extract_text()
    assert sum(0xFE70 <= ord(c) <= 0xFEFF for c in first) == 4  # printed, joined
    assert not any(0x0600 <= ord(c) <= 0x06FF for c in first)  # no unjoined letter
    # The title in the metadata stays in logical order: a viewer or a screen reader shapes it.
    assert PdfReader(BytesIO(render_report(data))).metadata.title == f"Bilan d'orientation — {name}"


def test_emoji_only_text_prints_a_placeholder() -> None:
    data = dataclasses.replace(report_with(1), student_name="🦄🌈", next_steps=["🎉🎉", "Écrire au CIO"])
    text = all_text(render_report(data))
    assert "Bilan d'orientation (émoji)" in text
    assert text.count("(émoji)") >= 3  # the name in the title, the running header and the step
    assert "Écrire au CIO" in text


def test_large_print_sets_the_body_in_14_pt_or_more() -> None:
    from reports.pdf import LargePrintRenderer

    styles = LargePrintRenderer(sample_report()).build_styles()
    assert styles["Body"].fontSize >= 14 and styles["CardBody"].fontSize >= 13
    assert all(style.fontSize >= 12 for style in styles.byName.values())
    pdf = render_report(report_with(3), large_print=True)
    normal = render_report(report_with(3))
    assert len(PdfReader(BytesIO(pdf)).pages) > len(PdfReader(BytesIO(normal)).pages)
    for words in ["Les métiers que tu as retenus", "Mots utiles", "Sources des informations"]:
        assert words in all_text(pdf)

