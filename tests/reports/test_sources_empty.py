"""A bilan with no métier credits nothing: no « Sources » heading over an empty list (it read
« Sources non précisées », as if the information came from nowhere), in the PDF and its HTML twin."""
from __future__ import annotations

import dataclasses
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports.html import render_report_html
from reports.pdf import render_report
from tests.reports.test_pdf import sample_report


def pdf_text(data, large_print: bool = False) -> str:
    reader = PdfReader(BytesIO(render_report(data, large_print=large_print)))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("large_print", [False, True])
def test_no_metier_no_sources_heading_but_the_date(large_print: bool) -> None:
    data = dataclasses.replace(sample_report(), metiers=[], comparison=None, sources=[])
    text = pdf_text(data, large_print)
    assert "Sources" not in text and "non précisées" not in text
    assert f"Document établi le {data.generated_on}" in text


def test_with_metiers_the_sources_are_listed() -> None:
    data = sample_report()
    assert data.sources  # the sample bilan credits its sources
    text = pdf_text(data)
    assert "Sources des informations" in text and data.sources[0].split(",")[0] in text


def test_html_twin_says_the_same() -> None:
    empty = render_report_html(dataclasses.replace(sample_report(), metiers=[], comparison=None, sources=[]))
    assert "Sources" not in empty and "non précisées" not in empty and "Document établi le" in empty
    assert "<h2>Sources des informations</h2>" in render_report_html(sample_report())
