"""The bilan's PDF properties: what a reader's « Propriétés du document » shows."""
from __future__ import annotations

import dataclasses
from datetime import date
from io import BytesIO

from pypdf import PdfReader

from reports.pdf import render_report
from tests.reports.test_pdf import sample_report


def test_the_pdf_is_dated_the_day_it_was_made() -> None:
    data = dataclasses.replace(sample_report(), made_on=date(2026, 11, 21))
    pdf = render_report(data)
    info = PdfReader(BytesIO(pdf)).metadata
    assert info is not None
    assert info["/CreationDate"].startswith("D:20261121") and info["/ModDate"].startswith("D:20261121")
    assert info.title.startswith("Bilan d'orientation") and info.author
    assert render_report(data) == pdf  # the same input still gives the same bytes

