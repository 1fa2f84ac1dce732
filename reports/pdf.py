"""The student's PDF report (bilan d'orientation), rendered with reportlab Platypus.

Contract: :func:`render_report` takes a :class:`db.students.report_data.ReportData` and returns the bytes
of an A4 PDF in French. The same input always gives the same bytes (reportlab invariant mode),
so tests can compare renders. Every piece of text from the data goes through :func:`markup` (for
``Paragraph``) or :func:`plain` (for the canvas and charts): it is escaped, so ``<b>``, ``&`` or
``<img src=...>`` print as typed and never change the layout or embed a file, and characters the
embedded font cannot draw are dropped instead of showing as boxes.

This module imports reportlab and the plain report dataclasses only: no Qt, no ORM.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import partial
from importlib.resources import files
from io import BytesIO
from typing import Callable, Iterable, Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table,
    TableStyle,
)

from db.students.report_data import Comparison, ReportData, ReportInterest, ReportMetier

__all__ = ["ReportRenderer", "render_report", "markup", "plain", "FONT_REGULAR", "FONT_BOLD"]

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
# Text: clean, escape
# --------------------------------------------------------------------------------------------
# Spaces reportlab would break on or collapse; U+202F (the French thousands separator) is one
# of them, so "1 850 €" could wrap between its digits. Map them to the no-break space.
_SPACE_MAP = str.maketrans({
    "\t": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
    "\u202f": "\u00a0", "\u2007": "\u00a0", "\u2060": "",
})
# French typography: no line break before : ; ! ? » € % and after «.
_NBSP_BEFORE = re.compile(r" +(?=[:;!?»€%])")
_NBSP_AFTER = re.compile(r"(?<=«) +")
_DROPPED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}


def _is_emoji(cp: int) -> bool:
    """Pictographs of the emoji planes and their modifiers.

    DejaVu draws a few of them (😀) in black and white but not most (🎉, 👍🏽): they are all
    dropped so that a report never shows half of an emoji sequence.
    """
    return 0x1F000 <= cp <= 0x1FAFF or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


class _DropTable(dict):
    """A ``str.translate`` table that keeps what the fonts can draw and drops the rest.

    Filled lazily, one entry per distinct code point, so cleaning long text stays a C loop.
    """

    def __init__(self, covered: frozenset[int]) -> None:
        super().__init__()
        self.covered = covered

    def __missing__(self, cp: int) -> int | None:
        keep = cp == 10 or (not _is_emoji(cp) and cp in self.covered
                            and unicodedata.category(chr(cp)) not in _DROPPED_CATEGORIES)
        self[cp] = cp if keep else None
        return self[cp]


_drop_table: _DropTable | None = None


def _drop_uncovered(text: str) -> str:
    """``text`` without the characters the embedded fonts cannot draw (and invisible controls)."""
    global _drop_table
    if _drop_table is None:
        _drop_table = _DropTable(register_fonts())
    return text.translate(_drop_table)


def plain(text: str | None) -> str:
    """``text`` ready for the canvas or a chart: NFC, printable by the font, no markup meaning.

    Characters the embedded fonts do not cover (emoji, unknown scripts) and invisible controls
    are removed; line breaks are kept as ``\\n``; no escaping is done (the canvas draws text
    literally). Returns "" for None.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text).replace("\r\n", "\n")).translate(_SPACE_MAP)
    text = _drop_uncovered(text)
    text = _NBSP_BEFORE.sub("\u00a0", text)
    return _NBSP_AFTER.sub("\u00a0", text)


def markup(text: str | None) -> str:
    """``text`` as safe ``Paragraph`` markup: :func:`plain`, then XML-escaped, newlines as <br/>.

    Whatever the input, the result contains no tag other than ``<br/>``, so user text can
    neither change the layout nor make reportlab read a file (``<img src=...>``).
    """
    return escape(plain(text).strip()).replace("\n", "<br/>")


def _one_line(text: str) -> str:
    """:func:`plain` on one line with single spaces, for PDF metadata and running headers."""
    return " ".join(plain(text).replace("\u00a0", " ").split())


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits in ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # bisect the longest prefix that fits with its ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


# --------------------------------------------------------------------------------------------
# Flowables and canvas
# --------------------------------------------------------------------------------------------
INK = colors.black
ACCENT = colors.HexColor("#1B3A5C")  # dark blue: prints as near-black in grey scale
MUTED = colors.HexColor("#404040")
BAND = colors.HexColor("#E4E8EE")
RULE = colors.HexColor("#8A8A8A")


class RuledHeading(Paragraph):
    """A section heading with a rule drawn under it across the frame width."""

    def draw(self) -> None:
        super().draw()
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.line(0, -3, self.width, -3)
        canv.restoreState()


class MetierMark(Flowable):
    """An invisible mark where a métier's block opens (``title``) or closes (None).

    The renderer follows the marks as they are laid out, so a page that begins inside a
    métier's block starts with a line naming the métier that continues there.
    """

    def __init__(self, title: str | None) -> None:
        super().__init__()
        self.title = title

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class NumberedCanvas(Canvas):
    """A canvas that holds pages back until the end so each can show "Page n / N".

    ``draw_page_number(canvas, page, total)`` is called once per page, just before it is written.
    """

    def __init__(self, *args, draw_page_number: Callable[[Canvas, int, int], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._draw_page_number = draw_page_number
        self._saved_pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab API)
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_page_number(self, self._pageNumber, total)
            super().showPage()
        super().save()


@dataclass(frozen=True)
class Layout:
    """Page geometry in points."""

    pagesize: tuple[float, float] = A4
    left: float = 20 * mm
    right: float = 20 * mm
    top: float = 20 * mm
    bottom: float = 20 * mm
    header: float = 8 * mm  # extra room for the running header on later pages


# --------------------------------------------------------------------------------------------
# The renderer
# --------------------------------------------------------------------------------------------
class ReportRenderer:
    """Lays out one :class:`ReportData` as an A4 PDF.

    Hooks, meant to be overridden: :meth:`build_styles`, :meth:`page_templates`,
    :meth:`on_first_page`, :meth:`on_later_pages`, :meth:`draw_page_number`, :meth:`story` and
    one method per section. Only :meth:`render` has side effects (font registration, once).
    """

    layout = Layout()
    font_regular = FONT_REGULAR
    font_bold = FONT_BOLD
    body_size = 10.5
    max_formations = 4
    chart_rows_per_drawing = 14
    max_column_title = 120  # characters of a métier title in the comparison header

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.styles: StyleSheet1 = StyleSheet1()
        self._header: tuple[str, str] = ("", "")
        self._doc: BaseDocTemplate | None = None

    # -- driver ------------------------------------------------------------------------------
    def render(self) -> bytes:
        """Build the whole document and return the PDF bytes (deterministic for equal data)."""
        register_fonts()
        self.styles = self.build_styles()
        self._header = self.running_header()
        buffer = BytesIO()
        doc = self.make_doc(buffer)
        doc.afterFlowable = self.after_flowable
        self._doc = doc
        doc.addPageTemplates(self.page_templates(doc))
        doc.build(self.story(), canvasmaker=partial(NumberedCanvas,
                                                    draw_page_number=self.draw_page_number))
        return buffer.getvalue()

    def make_doc(self, buffer: BytesIO) -> BaseDocTemplate:
        """The document template, with metadata, language and invariant mode set."""
        d, lay = self.data, self.layout
        return BaseDocTemplate(
            buffer, pagesize=lay.pagesize, leftMargin=lay.left, rightMargin=lay.right,
            topMargin=lay.top, bottomMargin=lay.bottom,
            title=_one_line(f"Bilan d'orientation — {d.student_name}"),
            author=_one_line(d.counselor_name),
            subject=_one_line(f"Bilan d'orientation du {d.session_date}, {d.counselor_structure}"),
            creator="Orientation", keywords=["orientation", "bilan", "métiers"],
            invariant=1, lang="fr-FR", displayDocTitle=1, initialFontName=self.font_regular,
        )

    # -- styles ------------------------------------------------------------------------------
    def build_styles(self) -> StyleSheet1:
        """All paragraph styles; body text is never below 10 pt."""
        sheet = StyleSheet1()
        size, lead = self.body_size, self.body_size * 1.4
        base = ParagraphStyle("Body", fontName=self.font_regular, fontSize=size, leading=lead,
                              bulletFontName=self.font_regular, textColor=INK, alignment=TA_LEFT,
                              spaceAfter=3)
        sheet.add(base)
        for style in self._derived_styles(base):
            sheet.add(style)
        return sheet

    def _derived_styles(self, base: ParagraphStyle) -> Iterable[ParagraphStyle]:
        """The styles built on the body style (titles, headings, lists, boxes, fine print)."""
        bold = self.font_bold
        yield ParagraphStyle("Title", base, fontName=bold, fontSize=24, leading=29,
                             textColor=ACCENT, spaceAfter=4)
        yield ParagraphStyle("Student", base, fontName=bold, fontSize=16, leading=21, spaceAfter=8)
        yield ParagraphStyle("H1", base, fontName=bold, fontSize=16, leading=20, textColor=ACCENT,
                             spaceBefore=16, spaceAfter=12, keepWithNext=1)
        yield ParagraphStyle("H2", base, fontName=bold, fontSize=13, leading=17, textColor=INK,
                             backColor=BAND, borderPadding=(4, 5, 4, 5), spaceBefore=6,
                             spaceAfter=8, keepWithNext=1)
        yield ParagraphStyle("H3", base, fontName=bold, spaceBefore=5, spaceAfter=2, keepWithNext=1)
        yield ParagraphStyle("Titles", base, textColor=MUTED, spaceAfter=5)
        yield ParagraphStyle("Bullet", base, leftIndent=15, bulletIndent=4, spaceAfter=1.5,
                             bulletFontName=self.font_regular)
        yield ParagraphStyle("Check", base, leftIndent=18, bulletIndent=2, spaceAfter=3,
                             bulletFontName=self.font_regular, bulletFontSize=12)
        yield ParagraphStyle("Box", base, borderWidth=0.7, borderColor=RULE, borderPadding=6,
                             leftIndent=6, rightIndent=6, spaceBefore=12, spaceAfter=10)
        yield ParagraphStyle("Small", base, fontSize=10, leading=13, textColor=MUTED)
        yield ParagraphStyle("Continued", base, fontName=bold, textColor=MUTED, spaceAfter=6)
        yield ParagraphStyle("Signature", base, alignment=2, spaceBefore=2)
        yield ParagraphStyle("Cell", base, fontSize=10, leading=13, spaceAfter=0)
        yield ParagraphStyle("CellHead", base, fontName=bold, fontSize=10, leading=13, spaceAfter=0)

    def p(self, text: str, style: str = "Body", **kwargs) -> Paragraph:
        """A paragraph of trusted markup (already escaped) in the named style."""
        return Paragraph(text, self.styles[style], **kwargs)

    def field(self, label: str, value: str, style: str = "Body") -> Paragraph:
        """A "label : value" line, label in bold; ``value`` is user text and gets escaped."""
        return self.p(f"<b>{markup(label)}</b>\u00a0: {markup(value)}", style)

    def bullets(self, items: Sequence[str], bullet: str = "•",
                style: str = "Bullet") -> list[Flowable]:
        """One paragraph per non-empty item, each with ``bullet`` in the margin."""
        return [self.p(markup(item), style, bulletText=bullet)
                for item in items if plain(item).strip()]

    def table_style(self, commands: list[tuple]) -> TableStyle:
        """``commands`` on top of the body font, so that no cell falls back to Helvetica."""
        return TableStyle([("FONT", (0, 0), (-1, -1), self.font_regular, 10), *commands])

    # -- page templates ----------------------------------------------------------------------
    def page_templates(self, doc: BaseDocTemplate) -> list[PageTemplate]:
        """A first page without running header, then later pages with it."""
        lay = self.layout
        first = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height - lay.header,
                      id="later", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        return [
            PageTemplate("first", [first], onPage=self.on_first_page, autoNextPageTemplate="later"),
            PageTemplate("later", [later], onPage=self.on_later_pages),
        ]

    def on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Hook for the first page's decoration (nothing: the story starts with the header)."""

    def running_header(self) -> tuple[str, str]:
        """(left, right) texts of the running header, fitted to the page width."""
        lay, d = self.layout, self.data
        right = _fit(_one_line(d.session_date), self.font_regular, 9, 60 * mm)
        right_w = pdfmetrics.stringWidth(right, self.font_regular, 9)
        who = ", ".join(part for part in (_one_line(d.student_name), _one_line(d.student_class)) if part)
        room = lay.pagesize[0] - lay.left - lay.right - right_w - 12
        return _fit(f"Bilan d'orientation · {who}", self.font_regular, 9, room), right

    def after_flowable(self, flowable: Flowable) -> None:
        """Called by reportlab after each flowable is laid out: while a métier's block is open,
        every new page starts with "<title> (suite)" (reportlab's page-top flowables)."""
        if isinstance(flowable, MetierMark) and self._doc is not None:
            self._doc._pageTopFlowables = (  # noqa: SLF001 (reportlab's own hook, set as SetPageTopFlowables does)
                [self.p(f"{markup(flowable.title)} (suite)", "Continued")] if flowable.title else [])

    def on_later_pages(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Running header: whose report, and the date of the session."""
        lay = self.layout
        width, height = lay.pagesize
        y = height - lay.top
        left, right = self._header
        canvas.saveState()
        canvas.setFont(self.font_regular, 9)
        canvas.setFillColor(MUTED)
        canvas.drawString(lay.left, y, left)
        canvas.drawRightString(width - lay.right, y, right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(lay.left, y - 4, width - lay.right, y - 4)
        canvas.restoreState()

    def draw_page_number(self, canvas: Canvas, page: int, total: int) -> None:
        """Footer of every page: "Page n / N", centred under the frame."""
        width = self.layout.pagesize[0]
        canvas.saveState()
        canvas.setFont(self.font_regular, 9)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(width / 2, self.layout.bottom / 2, f"Page {page} / {total}")
        canvas.restoreState()

    # -- story -------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        """Every section in reading order."""
        parts = (self.header_section, self.interests_section, self.metiers_section,
                 self.comparison_section, self.next_steps_section, self.note_section,
                 self.sources_section, self.contact_section)
        return [flowable for part in parts for flowable in part()]

    def heading(self, title: str) -> Paragraph:
        """A section heading (fixed French text) that stays with what follows."""
        return RuledHeading(markup(title), self.styles["H1"])

    def header_section(self) -> list[Flowable]:
        """Title, student, and a box with the school, the date and the counselor."""
        d = self.data
        student = markup(d.student_name)
        if plain(d.student_class).strip():
            student += f"\u00a0· {markup(d.student_class)}"
        rows = [("Établissement", d.school), ("Date de l'entretien", d.session_date),
                ("Avec", self._counselor_line())]
        rows = [(label, value) for label, value in rows if plain(value).strip()]
        title = [self.p("Bilan d'orientation", "Title"), self.p(student, "Student")]
        if not rows:
            return title
        label_width = max(pdfmetrics.stringWidth(label, self.font_bold, 10) for label, _ in rows)
        table = Table([[self.p(markup(k), "CellHead"), self.p(markup(v), "Cell")] for k, v in rows],
                      colWidths=[label_width + 24, None], splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("BOX", (0, 0), (-1, -1), 0.8, RULE), ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ]))
        return [*title, table, Spacer(1, 4)]

    def _counselor_line(self) -> str:
        """The counselor's name and structure, comma-separated (either may be missing)."""
        parts = (plain(self.data.counselor_name).strip(), plain(self.data.counselor_structure).strip())
        return ", ".join(part for part in parts if part)

    # -- interests ---------------------------------------------------------------------------
    def interests_section(self) -> list[Flowable]:
        """The ticked centres d'intérêt, then the profile chart."""
        d = self.data
        out: list[Flowable] = [self.heading("Tes centres d'intérêt")]
        if not d.interests:
            out.append(self.p("Aucun centre d'intérêt n'a été coché pendant l'entretien."))
        else:
            out.append(self.p("Pendant l'entretien, tu as choisi :"))
            out.append(self.interest_list(d.interests))
        if d.interest_profile:
            out += self.profile_chart(d.interest_profile)
        return out

    def interest_list(self, interests: Sequence[ReportInterest]) -> Flowable:
        """The interests as a bulleted list, in two columns when there are more than three."""
        items = [self.p(markup(i.label), "Bullet", bulletText="•") for i in interests]
        if len(items) <= 3:
            return KeepTogether(items)
        half = math.ceil(len(items) / 2)
        rows = [[items[i], items[i + half] if i + half < len(items) else ""] for i in range(half)]
        table = Table(rows, colWidths=["50%", "50%"], splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        return table

    def profile_chart(self, profile: Sequence[tuple[str, float]]) -> list[Flowable]:
        """A caption and horizontal bars (0 to 1), drawn in grey and black for any printer."""
        caption = self.p("<b>Ton profil d'intérêts</b> (plus la barre est longue, plus ce domaine "
                         "revient dans tes choix)")
        step = self.chart_rows_per_drawing
        charts = [self._bars(profile[i:i + step]) for i in range(0, len(profile), step)]
        return [Spacer(1, 6), KeepTogether([caption, charts[0]]), *charts[1:]]

    def _bars(self, rows: Sequence[tuple[str, float]]) -> Drawing:
        """One drawing with a labelled bar per (label, value) row."""
        width = self.layout.pagesize[0] - self.layout.left - self.layout.right
        label_w, row_h, size = 62 * mm, 17, 10
        bar_w = width - label_w - 8
        drawing = Drawing(width, row_h * len(rows) + 4, initialFontName=self.font_regular,
                          initialFontSize=size)
        for index, (label, value) in enumerate(rows):
            y = drawing.height - (index + 1) * row_h
            text = _fit(_one_line(label), self.font_regular, size, label_w - 6)
            drawing.add(String(0, y + 4.5, text, fontName=self.font_regular, fontSize=size,
                               fillColor=INK))
            self._bar(drawing, label_w, y + 2, bar_w, row_h - 5, _unit(value))
        return drawing

    @staticmethod
    def _bar(drawing: Drawing, x: float, y: float, width: float, height: float,
             value: float) -> None:
        """A white track with quarter ticks and a dark filled part for ``value`` (0..1)."""
        drawing.add(Rect(x, y, width, height, fillColor=colors.white, strokeColor=RULE,
                         strokeWidth=0.6))
        if value > 0:
            drawing.add(Rect(x, y, width * value, height, fillColor=colors.HexColor("#333333"),
                             strokeColor=INK, strokeWidth=0.6))
        for quarter in (0.25, 0.5, 0.75):
            tick_x = x + width * quarter
            if tick_x > x + width * value:
                drawing.add(Line(tick_x, y, tick_x, y + height, strokeColor=RULE,
                                 strokeWidth=0.4, strokeDashArray=[1, 1.5]))

    # -- métiers -----------------------------------------------------------------------------
    def metiers_section(self) -> list[Flowable]:
        """One block per shortlisted métier, flowing from page to page without half-empty pages.

        A block breaks only between its parts, each kept whole: the facts (title, description,
        level, salary, sectors), then the formations, the reasons, the points to check, the
        comment. A page that begins inside a block names the métier in its running header.
        """
        heading = self.heading("Les métiers que tu as retenus")
        if not self.data.metiers:
            return [heading, self.p("Aucun métier n'a encore été retenu.")]
        out: list[Flowable] = []
        for index, metier in enumerate(self.data.metiers, start=1):
            # The marks travel inside the kept-together parts, so they land on the page their
            # part lands on; keepWithNext does not reach into a KeepTogether: the section
            # heading joins the first part.
            # Clipped: the "(suite)" line must fit at the top of a page whatever the title.
            opening = MetierMark(_clip(_one_line(f"{index}. {_capitalize(plain(metier.title))}"),
                                       self.max_column_title))
            intro = [opening, *self.metier_intro(index, metier)]
            out.append(KeepTogether([heading, *intro] if index == 1 else intro))
            parts = self.metier_detail_parts(metier)
            # The gap ends the block so it never lands alone at the top of the next page.
            parts[-1] = [*parts[-1], MetierMark(None), Spacer(1, 8)]
            out += [KeepTogether(part) for part in parts]
        return out

    def metier_block(self, index: int, m: ReportMetier) -> list[Flowable]:
        """Titles, description, key facts, formations, reasons, comment and source of one métier."""
        return [*self.metier_intro(index, m), *(f for part in self.metier_detail_parts(m) for f in part)]

    def metier_intro(self, index: int, m: ReportMetier) -> list[Flowable]:
        """Title, both job titles, description, level, salary and sectors."""
        out: list[Flowable] = [self.p(f"{index}.\u00a0{markup(_capitalize(m.title))}", "H2")]
        out += self._titles(m)
        if plain(m.description).strip():
            out.append(self.p(markup(m.description)))
        return out + self._facts(m)

    def metier_detail_parts(self, m: ReportMetier) -> list[list[Flowable]]:
        """Formations, reasons, points to check and the counselor's comment, one part each (the
        empty ones left out), the source closing the last part; always at least one part."""
        parts = [self._list_block("Formations pour y arriver", m.formations[:self.max_formations]),
                 self._list_block("Pourquoi ce métier te correspond", m.reasons, bullet="✔"),
                 self._list_block("Points à vérifier", m.cautions, bullet="!")]
        if plain(m.comment).strip():
            parts.append([self.p(f"<b>Commentaire de l'entretien</b>\u00a0: {markup(m.comment)}", "Box")])
        parts = [part for part in parts if part] or [[]]
        if plain(m.source).strip():
            parts[-1].append(self.p(markup(m.source), "Small"))
        return parts

    def _titles(self, m: ReportMetier) -> list[Flowable]:
        """Both job titles, or one line when they are the same word."""
        fem, masc = plain(m.label_f).strip(), plain(m.label_m).strip()
        if not fem and not masc:
            return []
        if fem == masc or not (fem and masc):
            return [self.p(f"Intitulé\u00a0: {markup(fem or masc)}", "Titles")]
        return [self.p(f"Au féminin\u00a0: <b>{markup(fem)}</b> · au masculin\u00a0: "
                       f"<b>{markup(masc)}</b>", "Titles")]

    def _facts(self, m: ReportMetier) -> list[Flowable]:
        """Level, salary (with its source) and sectors."""
        salary = markup(m.salary or "non précisé")
        if plain(m.salary_source).strip():
            salary += f" <font color='#404040'>({markup(m.salary_source)})</font>"
        out = [self.field("Niveau d'études minimum", m.level or "non précisé"),
               self.p(f"<b>Salaire en début de carrière</b>\u00a0: {salary}")]
        sectors = [s for s in (plain(x).strip() for x in m.sectors) if s]
        if sectors:
            label = "Secteurs" if len(sectors) > 1 else "Secteur"
            out.append(self.field(label, ", ".join(sectors)))
        return out

    def _list_block(self, title: str, items: Sequence[str], bullet: str = "•") -> list[Flowable]:
        """A bold sub-heading and its bulleted items; nothing when there is no item."""
        paragraphs = self.bullets(items, bullet)
        return [self.p(markup(title), "H3"), *paragraphs] if paragraphs else []

    # -- comparison --------------------------------------------------------------------------
    def comparison_section(self) -> list[Flowable]:
        """The side-by-side table, only when the data has one."""
        comparison = self.data.comparison
        if comparison is None or not comparison.titles:
            return []
        return [self.heading("Comparaison"), self.comparison_table(comparison)]

    def comparison_table(self, comparison: Comparison) -> Table:
        """Criteria down the left, one column per métier; rows may split across pages."""
        n = len(comparison.titles)
        # The header row repeats on every page, so it must stay short whatever the titles.
        head = [""] + [self.p(markup(_clip(_capitalize(t), self.max_column_title)), "CellHead")
                       for t in comparison.titles]
        body = [[self.p(markup(row.criterion), "CellHead"),
                 *(self.p(markup(v), "Cell") for v in _pad(row.values, n))]
                for row in comparison.rows]
        width = self.layout.pagesize[0] - self.layout.left - self.layout.right
        first = 44 * mm
        table = Table([head, *body], colWidths=[first] + [(width - first) / n] * n,
                      repeatRows=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("GRID", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, 0), BAND),
            ("BACKGROUND", (0, 1), (0, -1), colors.HexColor("#F3F4F6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5), ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
        ]))
        return table

    # -- next steps, note, sources, contact --------------------------------------------------
    def next_steps_section(self) -> list[Flowable]:
        """The next steps as boxes the student can tick."""
        steps = self.bullets(self.data.next_steps, bullet="☐", style="Check")
        if not steps:
            steps = [self.p("Aucune étape n'a été notée pour l'instant.")]
        return [self.heading("Tes prochaines étapes"), *steps]

    def note_section(self) -> list[Flowable]:
        """The counselor's note for the student, signed; nothing when there is none."""
        if not plain(self.data.student_note).strip():
            return []
        out: list[Flowable] = [self.p("Un mot pour toi", "H3"),
                               self.p(markup(self.data.student_note), "Box")]
        if plain(self.data.counselor_name).strip():
            out.append(self.p(f"— {markup(self.data.counselor_name)}", "Signature"))
        return [Spacer(1, 6), KeepTogether(out)]

    def sources_section(self) -> list[Flowable]:
        """Where the information comes from and how recent it is, kept on one page if it can."""
        out: list[Flowable] = [self.heading("Sources des informations")]
        out += self.bullets(self.data.sources) or [self.p("Sources non précisées.")]
        if plain(self.data.generated_on).strip():
            out.append(self.p(f"Document établi le {markup(self.data.generated_on)}.", "Small"))
        return [KeepTogether(out)]

    def contact_section(self) -> list[Flowable]:
        """How to reach the counselor or the CIO again; nothing when no contact is known."""
        out: list[Flowable] = []
        line = self._counselor_line()
        if line:
            out.append(self.p(f"<b>{markup(line)}</b>"))
        if plain(self.data.counselor_contact).strip():
            out.append(self.p(markup(self.data.counselor_contact)))
        return [KeepTogether([self.heading("Pour reprendre contact"), *out])] if out else []


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def _unit(value: float) -> float:
    """``value`` clamped to 0..1; NaN and junk count as 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(number) else min(1.0, max(0.0, number))


def _pad(values: Sequence[str], n: int) -> list[str]:
    """Exactly ``n`` values: missing ones empty, extra ones dropped."""
    return [*values[:n], *[""] * (n - len(values[:n]))]


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _capitalize(text: str) -> str:
    """First letter upper-case ("infirmier/ère" → "Infirmier/ère"); the rest as typed."""
    return text[:1].upper() + text[1:] if text else text


def render_report(data: ReportData) -> bytes:
    """Render ``data`` as the student's A4 PDF report and return its bytes.

    Deterministic (same data, same bytes), thread-safe, no file written, no network.
    """
    return ReportRenderer(data).render()
