"""Fonts, colours, paragraph styles and page furniture (frames, running header, page numbers).

Everything here is reportlab set-up that holds no text from the report data, except the
running header's two strings, which arrive already cleaned (see :mod:`reports.text`).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------
FONT_REGULAR = "OrientationSans"
FONT_BOLD = "OrientationSans-Bold"
_FONT_FILES = {FONT_REGULAR: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}
_font_lock = threading.Lock()
_covered: frozenset[int] = frozenset()


def register_fonts() -> frozenset[int]:
    """Register the bundled DejaVu Sans family with reportlab, once per process.

    Returns the code points that both the regular and the bold face can draw. Safe to call
    from several threads; later calls cost nothing.
    """
    global _covered
    with _font_lock:
        if _covered:
            return _covered
        faces = [_load_font(name, file) for name, file in _FONT_FILES.items()]
        pdfmetrics.registerFontFamily(FONT_REGULAR, normal=FONT_REGULAR, bold=FONT_BOLD,
                                      italic=FONT_REGULAR, boldItalic=FONT_BOLD)
        cmaps = [{cp for cp, glyph in f.face.charToGlyph.items() if glyph} for f in faces]
        _covered = frozenset(set.intersection(*cmaps))
        return _covered


def _load_font(name: str, file_name: str) -> TTFont:
    """Load one TrueType file from ``resources/fonts`` and register it under ``name``."""
    path = files("resources").joinpath("fonts", file_name)
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font


# --------------------------------------------------------------------------------------------
# Colours, geometry, paragraph styles
# --------------------------------------------------------------------------------------------
INK = colors.black
ACCENT = colors.HexColor("#1B3A5C")  # dark blue: prints as near-black in grey scale
MUTED = colors.HexColor("#404040")
BAND = colors.HexColor("#E4E8EE")
RULE = colors.HexColor("#8A8A8A")
BAR = colors.HexColor("#6F8FB3")  # profile bars: mid-blue, mid-grey once printed in black and white


@dataclass(frozen=True)
class Layout:
    """Page geometry in points."""

    pagesize: tuple[float, float] = A4
    left: float = 20 * mm
    right: float = 20 * mm
    top: float = 20 * mm
    bottom: float = 20 * mm
    header: float = 8 * mm  # extra room for the running header on later pages

    @property
    def frame_width(self) -> float:
        """The width between the side margins."""
        return self.pagesize[0] - self.left - self.right


def build_styles(regular: str, bold: str, body_size: float) -> StyleSheet1:
    """All paragraph styles, in the fonts ``regular`` and ``bold``; body text is never below 10 pt.

    Table cells break a word only at the soft hyphens :func:`reports.text.hyphenable` puts
    (French rules, pyphen) in a run too wide for its cell: a narrow cell breaks "accompa-gnateur"
    with a hyphen instead of cutting it anywhere, and a name wraps between its words first
    (reportlab's own hyphenation, off, cut words merely to fill a line: "vétéri-naire").
    """
    sheet = StyleSheet1()
    base = ParagraphStyle("Body", fontName=regular, fontSize=body_size, leading=body_size * 1.3,
                          bulletFontName=regular, textColor=INK, alignment=TA_LEFT, spaceAfter=2)
    sheet.add(base)
    for style in _derived_styles(base, regular, bold):
        sheet.add(style)
    return sheet


def _derived_styles(base: ParagraphStyle, regular: str, bold: str) -> Iterator[ParagraphStyle]:
    """The styles built on the body style (titles, headings, lists, boxes, fine print)."""
    size = base.fontSize
    scale = size / 10.5  # the large-print body scales every heading with it
    small = max(10.0, size - 1)
    yield ParagraphStyle("Title", base, fontName=bold, fontSize=22 * scale, leading=26 * scale,
                         textColor=ACCENT, spaceAfter=2)
    yield ParagraphStyle("Student", base, fontName=bold, fontSize=15 * scale, leading=19 * scale, spaceAfter=6)
    h1 = ParagraphStyle("H1", base, fontName=bold, fontSize=14 * scale, leading=17 * scale, textColor=ACCENT,
                        spaceBefore=6, spaceAfter=5, keepWithNext=1)
    yield h1
    yield ParagraphStyle("H1Lead", h1, keepWithNext=0)  # kept with what follows by a CondPageBreak
    yield ParagraphStyle("H2", base, fontName=bold, fontSize=12 * scale, leading=15 * scale, textColor=INK,
                         backColor=BAND, borderPadding=(3, 5, 3, 5), spaceBefore=6,
                         spaceAfter=5, keepWithNext=1)
    yield ParagraphStyle("H3", base, fontName=bold, spaceBefore=3, spaceAfter=1, keepWithNext=1)
    yield ParagraphStyle("Titles", base, textColor=MUTED, spaceAfter=3)
    yield ParagraphStyle("Bullet", base, leftIndent=14, bulletIndent=3, spaceAfter=1,
                         bulletFontName=regular)
    yield ParagraphStyle("SourcesHead", base, fontName=bold, textColor=ACCENT, spaceBefore=6, spaceAfter=1,
                         keepWithNext=1)
    yield ParagraphStyle("SmallBullet", base, fontSize=small, leading=small * 1.25, leftIndent=14,
                         bulletIndent=3, spaceAfter=1, bulletFontName=regular, textColor=MUTED)
    yield ParagraphStyle("Check", base, leftIndent=18, bulletIndent=2, spaceAfter=2,
                         bulletFontName=regular, bulletFontSize=size + 1.5)
    yield ParagraphStyle("Box", base, borderWidth=0.7, borderColor=RULE, borderPadding=5,
                         leftIndent=5, rightIndent=5, spaceBefore=8, spaceAfter=8)
    yield ParagraphStyle("Small", base, fontSize=small, leading=small * 1.25, textColor=MUTED)
    yield ParagraphStyle("Continued", base, fontName=bold, textColor=MUTED, spaceAfter=4)
    yield ParagraphStyle("Signature", base, alignment=2, spaceBefore=2)
    # The métier cards (half a page wide): a notch smaller and tighter than the body.
    card = ParagraphStyle("CardBody", base, fontSize=small, leading=small * 1.22, spaceAfter=1.5)
    yield card
    yield ParagraphStyle("CardTitles", card, textColor=MUTED)
    yield ParagraphStyle("CardH3", card, fontName=bold, spaceBefore=2, spaceAfter=0.5, keepWithNext=1)
    yield ParagraphStyle("CardBullet", card, leftIndent=12, bulletIndent=2, spaceAfter=0.5, bulletFontName=regular)
    yield ParagraphStyle("CardBox", card, borderWidth=0.7, borderColor=RULE, borderPadding=4,
                         leftIndent=4, rightIndent=4, spaceBefore=6, spaceAfter=6)
    cell = ParagraphStyle("Cell", base, fontSize=small, leading=small * 1.2, spaceAfter=0,
                          embeddedHyphenation=1)
    yield cell
    yield ParagraphStyle("CellHead", cell, fontName=bold)


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------
PageHook = Callable[[Canvas, BaseDocTemplate], None]


def page_templates(doc: BaseDocTemplate, layout: Layout, on_first_page: PageHook,
                   on_later_pages: PageHook) -> list[PageTemplate]:
    """A first page without running header, then later pages with room for it."""
    first = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height - layout.header,
                  id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    return [
        PageTemplate("first", [first], onPage=on_first_page, autoNextPageTemplate="later"),
        PageTemplate("later", [later], onPage=on_later_pages),
    ]


def draw_running_header(canvas: Canvas, layout: Layout, font: str, left: str, right: str, size: float = 9) -> None:
    """``left`` and ``right`` (already fitted, in ``size`` points) above a thin rule at the top of the frame."""
    width, height = layout.pagesize
    y = height - layout.top
    canvas.saveState()
    canvas.setFont(font, size)
    canvas.setFillColor(MUTED)
    canvas.drawString(layout.left, y, left)
    canvas.drawRightString(width - layout.right, y, right)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(layout.left, y - 4, width - layout.right, y - 4)
    canvas.restoreState()


def draw_page_number(canvas: Canvas, layout: Layout, font: str, page: int, total: int, size: float = 9) -> None:
    """"Page n / N" in ``size`` points, centred under the frame."""
    canvas.saveState()
    canvas.setFont(font, size)
    canvas.setFillColor(MUTED)
    canvas.drawCentredString(layout.pagesize[0] / 2, layout.bottom / 2, f"Page {page} / {total}")
    canvas.restoreState()


def pdf_date(day: date) -> Callable[..., str]:
    """A reportlab date formatter writing ``day`` (at midnight, UTC) as the PDF's dates.

    Invariant mode (same input, same bytes) otherwise dates every PDF 1 January 2000, which a
    reader's « Propriétés du document » shows; the day the document was made keeps the bytes
    the same for the same input, and says when it was made."""
    stamp = f"D:{day:%Y%m%d}000000+00'00'"
    return lambda *_ymdhms: stamp


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints: Canvas is Any
    """A canvas that holds pages back until the end so each can show "Page n / N".

    ``draw_page_number(canvas, page, total)`` is called once per page, just before it is written.
    ``made_on``: the day the document was made, written as its creation and modification dates
    (see :func:`pdf_date`).
    """

    def __init__(self, *args: Any, draw_page_number: Callable[[Canvas, int, int], None],
                 made_on: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._draw_page_number = draw_page_number
        self._saved_pages: list[dict[str, Any]] = []
        if made_on is not None:
            self.setDateFormatter(pdf_date(made_on))

    def showPage(self) -> None:  # reportlab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_page_number(self, self._pageNumber, total)
            super().showPage()
        super().save()
