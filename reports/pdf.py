"""The student's PDF report (bilan d'orientation), rendered with reportlab Platypus.

Contract: :func:`render_report` takes a :class:`db.students.report_data.ReportData` and returns the bytes
of an A4 PDF in French. The same input always gives the same bytes (reportlab invariant mode),
so tests can compare renders. Every piece of text from the data is escaped by
:func:`reports.text.markup` or :func:`reports.text.plain` before reportlab sees it.

The package is split by concern: :mod:`reports.styles` (fonts, styles, page furniture),
:mod:`reports.text` (making user text safe), :mod:`reports.blocks` (the flowables), and this
module, which orders the sections and drives the document. It imports reportlab and the plain
report dataclasses only: no Qt, no ORM.
"""
from __future__ import annotations

from functools import partial
from io import BytesIO

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, PageTemplate, Spacer

from db.students.report_data import ReportData
from reports import styles
from reports.blocks import Blocks, MetierMark
from reports.styles import FONT_BOLD, FONT_REGULAR, Layout, NumberedCanvas, register_fonts
from reports.text import fit, markup, one_line, plain

__all__ = ["FONT_BOLD", "FONT_REGULAR", "ReportRenderer", "markup", "plain", "register_fonts", "render_report"]


class ReportRenderer:
    """Lays out one :class:`ReportData` as an A4 PDF.

    Hooks, meant to be overridden: :meth:`build_styles`, :meth:`make_blocks`,
    :meth:`page_templates`, :meth:`on_first_page`, :meth:`on_later_pages`,
    :meth:`draw_page_number`, :meth:`story` and one method per section. Only :meth:`render`
    has side effects (font registration, once).
    """

    layout = Layout()
    font_regular = FONT_REGULAR
    font_bold = FONT_BOLD
    body_size = 10.5

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.styles: StyleSheet1 = StyleSheet1()
        self.blocks = Blocks(self.styles, self.layout, self.font_regular, self.font_bold)
        self._header: tuple[str, str] = ("", "")
        self._doc: BaseDocTemplate | None = None

    # -- driver ------------------------------------------------------------------------------
    def render(self) -> bytes:
        """Build the whole document and return the PDF bytes (deterministic for equal data)."""
        register_fonts()
        self.styles = self.build_styles()
        self.blocks = self.make_blocks()
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
            title=one_line(f"Bilan d'orientation — {d.student_name}"),
            author=one_line(d.counselor_name),
            subject=one_line(f"Bilan d'orientation du {d.session_date}, {d.counselor_structure}"),
            creator="Orientation", keywords=["orientation", "bilan", "métiers"],
            invariant=1, lang="fr-FR", displayDocTitle=1, initialFontName=self.font_regular,
        )

    def build_styles(self) -> StyleSheet1:
        """All paragraph styles; body text is never below 10 pt."""
        return styles.build_styles(self.font_regular, self.font_bold, self.body_size)

    def make_blocks(self) -> Blocks:
        """The maker of flowables, in :attr:`styles`."""
        return Blocks(self.styles, self.layout, self.font_regular, self.font_bold)

    # -- pages -------------------------------------------------------------------------------
    def page_templates(self, doc: BaseDocTemplate) -> list[PageTemplate]:
        """A first page without running header, then later pages with it."""
        return styles.page_templates(doc, self.layout, self.on_first_page, self.on_later_pages)

    def on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Hook for the first page's decoration (nothing: the story starts with the header)."""

    def running_header(self) -> tuple[str, str]:
        """(left, right) texts of the running header, fitted to the page width."""
        d = self.data
        right = fit(one_line(d.session_date), self.font_regular, 9, 60 * mm)
        right_w = pdfmetrics.stringWidth(right, self.font_regular, 9)
        who = ", ".join(part for part in (one_line(d.student_name), one_line(d.student_class)) if part)
        room = self.layout.frame_width - right_w - 12
        return fit(f"Bilan d'orientation · {who}", self.font_regular, 9, room), right

    def after_flowable(self, flowable: Flowable) -> None:
        """Called by reportlab after each flowable is laid out: while a métier's block is open,
        every new page starts with "<title> (suite)" (reportlab's page-top flowables)."""
        if isinstance(flowable, MetierMark) and self._doc is not None:
            # reportlab's own hook, set the way SetPageTopFlowables sets it
            self._doc._pageTopFlowables = (
                [self.blocks.p(f"{markup(flowable.title)} (suite)", "Continued")] if flowable.title else [])

    def on_later_pages(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Running header: whose report, and the date of the session."""
        styles.draw_running_header(canvas, self.layout, self.font_regular, *self._header)

    def draw_page_number(self, canvas: Canvas, page: int, total: int) -> None:
        """Footer of every page: "Page n / N", centred under the frame."""
        styles.draw_page_number(canvas, self.layout, self.font_regular, page, total)

    # -- story -------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        """Every section in reading order."""
        parts = (self.header_section, self.interests_section, self.metiers_section,
                 self.comparison_section, self.next_steps_section, self.note_section,
                 self.sources_section, self.contact_section)
        return [flowable for part in parts for flowable in part()]

    def header_section(self) -> list[Flowable]:
        """Title, student, and a box with the school, the date and the counselor."""
        d, b = self.data, self.blocks
        student = markup(d.student_name)
        if plain(d.student_class).strip():
            student += f"\u00a0· {markup(d.student_class)}"
        rows = [("Établissement", d.school), ("Date de l'entretien", d.session_date),
                ("Avec", self._counselor_line())]
        rows = [(label, value) for label, value in rows if plain(value).strip()]
        title = [b.p("Bilan d'orientation", "Title"), b.p(student, "Student")]
        if not rows:
            return title
        return [*title, b.facts_box(rows), Spacer(1, 4)]

    def _counselor_line(self) -> str:
        """The counselor's name and structure, comma-separated (either may be missing)."""
        parts = (plain(self.data.counselor_name).strip(), plain(self.data.counselor_structure).strip())
        return ", ".join(part for part in parts if part)

    def interests_section(self) -> list[Flowable]:
        """The ticked centres d'intérêt, then the profile chart."""
        d, b = self.data, self.blocks
        out: list[Flowable] = [b.heading("Tes centres d'intérêt")]
        if not d.interests:
            out.append(b.p("Aucun centre d'intérêt n'a été coché pendant l'entretien."))
        else:
            out.append(b.p("Pendant l'entretien, tu as choisi :"))
            out.append(b.interest_list(d.interests))
        if d.interest_profile:
            out += b.profile_chart(d.interest_profile)
        return out

    def metiers_section(self) -> list[Flowable]:
        """One block per shortlisted métier, flowing from page to page without half-empty pages.

        A block breaks only between its parts, each kept whole: the facts (title, description,
        level, salary, sectors), then the formations, the reasons, the points to check, the
        comment. A page that begins inside a block names the métier in its running header.
        """
        b = self.blocks
        heading = b.heading("Les métiers que tu as retenus")
        if not self.data.metiers:
            return [heading, b.p("Aucun métier n'a encore été retenu.")]
        out: list[Flowable] = []
        for index, metier in enumerate(self.data.metiers, start=1):
            # The marks travel inside the kept-together parts, so they land on the page their
            # part lands on; keepWithNext does not reach into a KeepTogether: the section
            # heading joins the first part.
            intro = [b.metier_mark(index, metier), *b.metier_intro(index, metier)]
            out.append(KeepTogether([heading, *intro] if index == 1 else intro))
            parts = b.metier_detail_parts(metier)
            # The gap ends the block so it never lands alone at the top of the next page.
            parts[-1] = [*parts[-1], MetierMark(None), Spacer(1, 8)]
            out += [KeepTogether(part) for part in parts]
        return out

    def comparison_section(self) -> list[Flowable]:
        """The side-by-side table, only when the data has one."""
        comparison = self.data.comparison
        if comparison is None or not comparison.titles:
            return []
        return [self.blocks.heading("Comparaison"), self.blocks.comparison_table(comparison)]

    def next_steps_section(self) -> list[Flowable]:
        """The next steps as boxes the student can tick."""
        b = self.blocks
        steps = b.bullets(self.data.next_steps, bullet="☐", style="Check")
        if not steps:
            steps = [b.p("Aucune étape n'a été notée pour l'instant.")]
        return [b.heading("Tes prochaines étapes"), *steps]

    def note_section(self) -> list[Flowable]:
        """The counselor's note for the student, signed; nothing when there is none."""
        d, b = self.data, self.blocks
        if not plain(d.student_note).strip():
            return []
        out: list[Flowable] = [b.p("Un mot pour toi", "H3"), b.p(markup(d.student_note), "Box")]
        if plain(d.counselor_name).strip():
            out.append(b.p(f"— {markup(d.counselor_name)}", "Signature"))
        return [Spacer(1, 6), KeepTogether(out)]

    def sources_section(self) -> list[Flowable]:
        """Where the information comes from and how recent it is, kept on one page if it can."""
        d, b = self.data, self.blocks
        out: list[Flowable] = [b.heading("Sources des informations")]
        out += b.bullets(d.sources) or [b.p("Sources non précisées.")]
        if plain(d.generated_on).strip():
            out.append(b.p(f"Document établi le {markup(d.generated_on)}.", "Small"))
        return [KeepTogether(out)]

    def contact_section(self) -> list[Flowable]:
        """How to reach the counselor or the CIO again. With no counselor set, the family is
        still told whom to ask, with a line to write a name and a number by hand."""
        b = self.blocks
        out: list[Flowable] = []
        line = self._counselor_line()
        if line:
            out.append(b.p(f"<b>{markup(line)}</b>"))
        if plain(self.data.counselor_contact).strip():
            out.append(b.p(markup(self.data.counselor_contact)))
        if not out:
            out = [b.p("Au collège ou au lycée, le ou la psychologue de l'Éducation nationale ; ailleurs, "
                       "le centre d'information et d'orientation (CIO) le plus proche."),
                   b.p("Nom et téléphone : " + "_" * 40)]
        return [KeepTogether([b.heading("Pour reprendre contact"), *out])]


def render_report(data: ReportData) -> bytes:
    """Render ``data`` as the student's A4 PDF report and return its bytes.

    Deterministic (same data, same bytes), thread-safe, no file written, no network.
    """
    return ReportRenderer(data).render()
