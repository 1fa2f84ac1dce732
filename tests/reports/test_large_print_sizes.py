"""Large print is large everywhere a pupil with low vision reads: no text under 12 pt, the running
header and the page numbers included (they were 9 pt, as in normal print)."""
from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from reports.pdf import render_report
from tests.reports.test_pdf import sample_report

_MARKS = {"•", "✔", "!", "☐", "□"}  # bullet glyphs, beside 14 pt text


def text_sizes(pdf: bytes) -> dict[str, float]:
    """Each text run of the PDF (stripped) → the smallest size it is drawn at, in points."""
    sizes: dict[str, float] = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
            if text.strip():
                drawn = size * (tm[3] or 1) * (cm[3] or 1)
                sizes[text.strip()] = min(drawn, sizes.get(text.strip(), drawn))
        page.extract_text(visitor_text=visit)
    return sizes


def test_no_text_under_12_points_in_large_print() -> None:
    sizes = text_sizes(render_report(sample_report(), large_print=True))
    small = {text: size for text, size in sizes.items() if size < 11.95 and text not in _MARKS}
    assert small == {}
    assert any(text.startswith("Page 2 / ") for text in sizes)


def test_normal_print_keeps_its_small_page_furniture() -> None:
    sizes = text_sizes(render_report(sample_report()))
    assert min(size for text, size in sizes.items() if text.startswith("Page 1 / ")) < 10
