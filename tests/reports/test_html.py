"""The accessible HTML twin of the bilan: same content as the PDF, real structure, escaped text."""
from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

from reports.html import render_report_html
from tests.reports.test_pdf import hostile_report, sample_report


class _Outline(HTMLParser):
    """The headings (tag, text) and the whole visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._in: str | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3"):
            self._in, self._buf = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self.headings.append((tag, self._buf.strip()))
            self._in = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in:
            self._buf += data


def outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


def test_html_twin_has_the_sections_of_the_pdf_as_headings() -> None:
    page = render_report_html(sample_report())
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    found = outline(page)
    assert ("h1", "Bilan d'orientation") in found.headings
    for title in ["Tes centres d'intérêt", "Les métiers que tu as retenus", "Tes prochaines étapes",
                  "Mots utiles", "Chaque métier en détail", "Études et salaire", "Comparaison",
                  "Sources des informations"]:
        assert ("h2", title) in found.headings, title
    assert ("h3", "6. Technicien/ne de laboratoire") in found.headings  # capitalised, as in the PDF
    assert found.tags.count("th") >= 4 + 6  # header cells of the overview: columns and rows


def test_html_twin_says_what_the_pdf_says() -> None:
    data = sample_report()
    text = " ".join("".join(outline(render_report_html(data)).text).split())
    for words in [data.counselor_contact, *data.next_steps, data.student_note, *data.sources,
                  "le brut est le salaire écrit sur le contrat", data.metiers[0].salary,
                  "1. infirmier/ère : 3 ans après le bac, à partir de 1 950 € brut par mois"]:
        assert " ".join(words.replace("\u00a0", " ").split()) in text.replace("\u00a0", " "), words


def test_html_twin_escapes_user_text_and_keeps_any_script() -> None:
    data = dataclasses.replace(hostile_report(), student_name="ليلى <script>alert(1)</script>")
    page = render_report_html(data)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "ليلى" in page  # logical order: the browser shapes and orders Arabic itself
    assert "<img" not in page and "&lt;img src=" in page


def test_a_fiches_credits_say_the_salarys_source_once() -> None:
    # The HTML bilan read « salaire : Source : fiche rédigée par l'équipe Orientation, 2025 ».
    from db.students.report_data import credits_in_words

    own = "Fiche rédigée par l'équipe Orientation"
    assert credits_in_words(own, "Source : fiche rédigée par l'équipe Orientation, 2025") == \
        "Fiche rédigée par l'équipe Orientation · salaire : données de 2025"
    assert credits_in_words("Onisep", "Source : Apec 2024") == "Onisep · salaire : Apec 2024"
    assert credits_in_words("", "") == ""
    data = sample_report()
    metier = dataclasses.replace(data.metiers[0], source=own, salary_source="Source : fiche rédigée par l'équipe "
                                                                           "Orientation, 2025")
    page = render_report_html(dataclasses.replace(data, metiers=[metier, *data.metiers[1:]]))
    assert "salaire : données de 2025" in page and "salaire : Source" not in page
