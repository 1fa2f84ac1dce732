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

import math

from collections.abc import Callable
from functools import partial
from io import BytesIO

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, PageTemplate, Spacer

from db.students.report_data import Comparison, ReportData, comparison_to_print
from reports import styles
from reports.blocks import Blocks, Glued, MetierMark
from reports.styles import FONT_BOLD, FONT_REGULAR, Layout, NumberedCanvas, register_fonts
from reports.text import fit, markup, one_line, plain

__all__ = ["FONT_BOLD", "FONT_REGULAR", "LargePrintRenderer", "ReportRenderer",
           "markup", "plain", "register_fonts", "render_report"]


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
    furniture_size = 9.0  # running header and page number
    cards_per_row = 2  # métier cards side by side

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.styles: StyleSheet1 = StyleSheet1()
        self.blocks = Blocks(self.styles, self.layout, self.font_regular, self.font_bold)
        self._header: tuple[str, str] = ("", "")
        self._opening: str | None = None  # a block's title, its mark laid out but not yet its content
        self._chart_shown = False  # the studies/salary chart already sits beside the last card
        self._sources_shown = False  # and the sources under it
        self._doc: BaseDocTemplate | None = None

    # -- driver ------------------------------------------------------------------------------
    def render(self) -> bytes:
        """Build the whole document and return the PDF bytes (deterministic for equal data).

        When the bilan runs longer than :meth:`page_goal`, it is built again with the métier
        cards more compact (see :attr:`Blocks.compact`), keeping the shortest that fits, else the
        most compact."""
        register_fonts()
        self.styles = self.build_styles()
        goal = self.page_goal()
        for compact in range(4):
            pdf, pages = self._build(compact)
            if goal is None or pages <= goal:
                break
        return pdf

    def page_goal(self) -> int | None:
        """The most pages the bilan should take: 2 for up to 3 métiers, 4 for 6 (issue 15's goal);
        None for no goal."""
        count = len(self.data.metiers)
        return 2 if count <= 3 else 2 + math.ceil((count - 3) * 2 / 3)

    def _build(self, compact: int) -> tuple[bytes, int]:
        """One build at the given compactness: (PDF bytes, number of pages)."""
        self.blocks = self.make_blocks()
        self.blocks.compact = compact
        self._header = self.running_header()
        self._chart_shown = self._sources_shown = False
        self._opening = None
        buffer = BytesIO()
        doc = self.make_doc(buffer)
        doc.afterFlowable = self.after_flowable
        self._doc = doc
        doc.addPageTemplates(self.page_templates(doc))
        doc.build(self.story(), canvasmaker=partial(NumberedCanvas, draw_page_number=self.draw_page_number,
                                                    made_on=self.data.made_on))
        return buffer.getvalue(), doc.page

    def make_doc(self, buffer: BytesIO) -> BaseDocTemplate:
        """The document template, with metadata, language and invariant mode set."""
        d, lay = self.data, self.layout
        return BaseDocTemplate(
            buffer, pagesize=lay.pagesize, leftMargin=lay.left, rightMargin=lay.right,
            topMargin=lay.top, bottomMargin=lay.bottom,
            title=one_line(f"Bilan d'orientation — {d.student_name}", shape=False),
            author=one_line(d.counselor_name, shape=False),
            subject=one_line(f"Bilan d'orientation du {d.session_date}, {d.counselor_structure}", shape=False),
            creator="Orientation", keywords=["orientation", "bilan", "métiers"],
            invariant=1, lang="fr-FR", displayDocTitle=1, initialFontName=self.font_regular,
        )

    def build_styles(self) -> StyleSheet1:
        """All paragraph styles; body text is never below 10 pt."""
        return styles.build_styles(self.font_regular, self.font_bold, self.body_size)

    def make_blocks(self) -> Blocks:
        """The maker of flowables, in :attr:`styles`."""
        blocks = Blocks(self.styles, self.layout, self.font_regular, self.font_bold)
        blocks.wide_cards = self.cards_per_row == 1
        return blocks

    # -- pages -------------------------------------------------------------------------------
    def page_templates(self, doc: BaseDocTemplate) -> list[PageTemplate]:
        """A first page without running header, then later pages with it."""
        return styles.page_templates(doc, self.layout, self.on_first_page, self.on_later_pages)

    def on_first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Hook for the first page's decoration (nothing: the story starts with the header)."""

    def running_header(self) -> tuple[str, str]:
        """(left, right) texts of the running header, fitted to the page width."""
        d = self.data
        size = self.furniture_size
        right = fit(one_line(d.session_date), self.font_regular, size, 60 * mm)
        right_w = pdfmetrics.stringWidth(right, self.font_regular, size)
        who = ", ".join(part for part in (one_line(d.student_name), one_line(d.student_class)) if part)
        room = self.layout.frame_width - right_w - 12
        return fit(f"Bilan d'orientation · {who}", self.font_regular, size, room), right

    def after_flowable(self, flowable: Flowable) -> None:
        """Called by reportlab after each flowable is laid out: while a métier's block is open,
        every new page starts with "<title> (suite)" (reportlab's page-top flowables).

        A block is open once its first flowable after the mark is laid out: a block that does
        not fit and starts the next page has no "(suite)" line over its own title."""
        if self._doc is None:
            return
        if isinstance(flowable, MetierMark):
            self._opening = flowable.title
            if flowable.title is None:
                self._doc._pageTopFlowables = []  # reportlab's own hook, as SetPageTopFlowables sets it
            return
        if self._opening is not None:
            self._doc._pageTopFlowables = [self.blocks.p(f"{markup(self._opening)} (suite)", "Continued")]
            self._opening = None

    def on_later_pages(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Running header: whose report, and the date of the session."""
        styles.draw_running_header(canvas, self.layout, self.font_regular, *self._header, self.furniture_size)

    def draw_page_number(self, canvas: Canvas, page: int, total: int) -> None:
        """Footer of every page: "Page n / N", centred under the frame."""
        styles.draw_page_number(canvas, self.layout, self.font_regular, page, total, self.furniture_size)

    # -- story -------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        """Every section in reading order: page 1 is the overview a family pins on the fridge
        (who, when, with whom, interests, the métiers one line each, next steps, the counselor's
        word, the useful words); the details, the comparison and the sources follow."""
        story = [flowable for part in (*self.first_sections(), self.metiers_section) for flowable in part()]
        # The sources never stand alone on a last page: kept with the comparison before them
        # (or already printed beside the last métier card).
        comparison, sources = self.comparison_section(), self.sources_section()
        if not sources:
            return [*story, KeepTogether(comparison)] if comparison else story
        # The sources go with the last block before them (the table, or the chart), not with
        # the whole comparison: a page is not left half blank for a heading and a chart that fit.
        # (reportlab's keepWithNext cannot hold a heading to a KeepTogether: the heading goes in it.)
        split = 0 if len(comparison) <= 2 else len(comparison) - 1
        return [*story, *comparison[:split], KeepTogether([*comparison[split:], *sources]), MetierMark(None)]

    def first_sections(self) -> tuple[Callable[[], list[Flowable]], ...]:
        """The sections before the métier cards, in order (see :meth:`story`)."""
        return (self.header_section, self.interests_section, self.summary_section,
                self.next_steps_section, self.note_section, self.words_section)

    def header_section(self) -> list[Flowable]:
        """Title, student, and a box with the school, the date and the counselor."""
        d, b = self.data, self.blocks
        student = markup(d.student_name)
        if plain(d.student_class).strip():
            student += f"\u00a0· {markup(d.student_class)}"
        rows = [("Établissement", markup(d.school)), ("Date de l'entretien", markup(d.session_date)),
                ("Avec", markup(self._counselor_line())), ("Pour reprendre contact", self._contact())]
        rows = [(label, value) for label, value in rows if value]
        return [b.p("Bilan d'orientation", "Title"), b.p(student, "Student"), b.facts_box(rows)]

    def _contact(self) -> str:
        """Markup: how to reach the counselor again; with no counselor set, whom to ask, and a
        line to write a name and a number by hand."""
        d = self.data
        if plain(d.counselor_contact).strip():
            return markup(d.counselor_contact)
        if self._counselor_line():
            return "Nom et téléphone\u00a0: " + "_" * 30
        return ("le ou la psychologue de l'Éducation nationale de ton collège ou de ton lycée "
                "(on dit aussi «\u00a0PsyEN\u00a0»), ou le centre d'information et d'orientation (CIO) "
                "le plus proche.<br/>Nom et téléphone\u00a0: " + "_" * 30)

    def _counselor_line(self) -> str:
        """The counselor's name and structure, comma-separated (either may be missing)."""
        parts = (plain(self.data.counselor_name, reorder=False).strip(),
                 plain(self.data.counselor_structure, reorder=False).strip())
        return ", ".join(part for part in parts if part)

    def interests_section(self) -> list[Flowable]:
        """The ticked centres d'intérêt, then the profile chart."""
        d, b = self.data, self.blocks
        heading = b.heading("Tes centres d'intérêt")
        chosen = self._chosen_interests()
        if not d.interest_profile:
            return [heading, *chosen]
        if not b.profile_fits(d.interest_profile, b.half_width):
            return [heading, *chosen, Spacer(1, 4), *b.profile_chart(d.interest_profile)]
        # The list and its picture side by side: half the height of one under the other.
        return [heading, b.side_by_side(chosen, b.profile_chart(d.interest_profile, width=b.half_width))]

    def _chosen_interests(self) -> list[Flowable]:
        d, b = self.data, self.blocks
        if not d.interests:
            return [b.p("Aucun centre d'intérêt n'a été coché pendant l'entretien.")]
        return [b.p("Pendant l'entretien, tu as choisi\u00a0:"),
                *(b.p(markup(i.label), "Bullet", bulletText="•") for i in d.interests)]

    def summary_section(self) -> list[Flowable]:
        """The shortlisted métiers, one line each (level, studies, starting salary)."""
        b = self.blocks
        if not self.data.metiers:
            return [b.heading("Les métiers que tu as retenus"), b.p("Aucun métier n'a encore été retenu.")]
        # The table may start at the foot of a page (its head row repeats on the next): room
        # for the head row and two métiers under the heading is enough.
        return [*b.lead("Les métiers que tu as retenus", 7 * self.styles["Cell"].leading + 24),
                b.summary_table(self.data.metiers)]

    def words_section(self) -> list[Flowable]:
        """"Mots utiles": brut and net, and the levels of the shown métiers."""
        return [Spacer(1, 6), KeepTogether([self.blocks.words_box(self.data.metiers)])]

    def metiers_section(self) -> list[Flowable]:
        """The shortlisted métiers in detail, two cards side by side (the last one alone, full
        width, when their number is odd). A row of cards may split across pages; the page that
        continues it starts with a line naming the métiers it continues."""
        b = self.blocks
        metiers = self.data.metiers
        if not metiers:
            return []
        # The details start on a new page unless a good part of one is left.
        # A heading that keeps with the first row of cards by a CondPageBreak: keepWithNext would
        # push the whole row (a third of a page) to the next page.
        out: list[Flowable] = b.lead("Chaque métier en détail", 35 * mm)
        step = self.cards_per_row
        for start in range(0, len(metiers), step):
            pair = list(enumerate(metiers[start:start + step], start=start + 1))
            title = " · ".join(b.metier_mark(i, m).title or "" for i, m in pair)
            cards = [b.metier_card(i, m) for i, m in pair]
            if len(cards) == 1 and len(metiers) > 1 and step == 2:
                # The last card of an odd number: the studies/salary chart fills the other half,
                # with the sources under it (fine print in a column the card makes long anyway:
                # on a page of their own with the comparison, they made 3 métiers take 3 pages).
                side = b.study_salary_chart(metiers, width=b.half_width)
                self._chart_shown = bool(side)
                side += [Spacer(1, 4), *self._sources()]
                self._sources_shown = True
                if side:
                    cards.append(side)
            if start + step >= len(metiers) and not self._sources_shown and self._nothing_after_cards():
                # No chart nor comparison follows: the sources close the last card, glued to its
                # last line, so they never stand alone on a last page.
                cards[-1] = [*cards[-1][:-1], Glued([cards[-1][-1], Spacer(1, 4), *self._sources()])]
                self._sources_shown = True
            if step == 1:  # one card a row: its flowables in the page itself, where keepWithNext works
                out += [MetierMark(title), *cards[0], MetierMark(None)]
            else:
                out += [MetierMark(title), b.card_row(cards), MetierMark(None)]
        return out

    def _nothing_after_cards(self) -> bool:
        """Whether neither the studies/salary chart nor a comparison follows the cards."""
        if self._comparison() is not None:
            return False
        return self._chart_shown or not self.blocks.study_salary_chart(self.data.metiers)

    def comparison_section(self) -> list[Flowable]:
        """The chart of studies and salaries, then the side-by-side table when the data has one."""
        b = self.blocks
        comparison = self._comparison()
        chart = [] if self._chart_shown else b.study_salary_chart(self.data.metiers, titled=comparison is not None)
        if not chart and comparison is None:
            return []
        # No KeepTogether here: the story keeps this section and the sources together.
        heading = b.heading("Comparaison" if comparison is not None else "Études et salaire")
        if comparison is None:
            return [heading, Glued(chart)]
        table = b.comparison_table(comparison)
        # The chart is glued (the heading keeps with it); the table goes with the sources.
        if not chart:
            return [heading, table]
        # The table may go to the next page with the sources: that page then says what it continues.
        return [heading, Glued(chart), MetierMark("Comparaison"), Spacer(1, 4), table]

    def _comparison(self) -> Comparison | None:
        """The comparison to print (:func:`~db.students.report_data.comparison_to_print`)."""
        return comparison_to_print(self.data)

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
        return [Spacer(1, 4), KeepTogether(out)]

    def sources_section(self) -> list[Flowable]:
        """The sources, unless they already sit beside the last métier card."""
        return [] if self._sources_shown else self._sources()

    def _sources(self) -> list[Flowable]:
        """Where the information comes from, how recent it is and under which licence."""
        d, b = self.data, self.blocks
        # Fine print, as sources are: a small bold heading, not a section title.
        # No métier in the bilan, nothing of the catalogue to credit: no empty « Sources » heading.
        out: list[Flowable] = [b.p("Sources des informations", "SourcesHead"),
                               *b.bullets(d.sources, style="SmallBullet")] if d.sources else []
        if plain(d.generated_on).strip():
            out.append(b.p(f"Document établi le {markup(d.generated_on)}.", "Small"))
        return out


class LargePrintRenderer(ReportRenderer):
    """The same bilan in large print for pupils with low vision: 14 pt body, headings scaled,
    one métier card per row (long lines are easier to follow than narrow columns here)."""

    body_size = 14.0
    furniture_size = 12.0  # read by the same pupil: not the normal print's 9 pt
    cards_per_row = 1

    def first_sections(self) -> tuple[Callable[[], list[Flowable]], ...]:
        """Page 1 at 14 pt holds about half of what it holds in normal print: the ticked interests,
        then the next steps (what the pupil acts on; with six métiers they fell to page 2), then the
        start of the métiers' table. The interests' chart, a picture of the list above, follows the
        useful words."""
        return (self.header_section, self.interests_list_section, self.next_steps_section, self.summary_section,
                self.note_section, self.words_section, self.profile_section)

    def interests_list_section(self) -> list[Flowable]:
        """The ticked centres d'intérêt without their chart."""
        return [self.blocks.heading("Tes centres d'intérêt"), *self._chosen_interests()]

    def profile_section(self) -> list[Flowable]:
        """The interests' chart alone, kept whole (nothing when no interest was ticked)."""
        profile = self.data.interest_profile
        return [Spacer(1, 6), KeepTogether(self.blocks.profile_chart(profile))] if profile else []

    def page_goal(self) -> int | None:
        """None: large print takes the pages it needs (about twice the normal ones)."""
        return None


def render_report(data: ReportData, *, large_print: bool = False) -> bytes:
    """Render ``data`` as the student's A4 PDF report and return its bytes; ``large_print``
    sets the body text in 14 pt (:class:`LargePrintRenderer`).

    Deterministic (same data, same bytes), thread-safe, no file written, no network.
    """
    return (LargePrintRenderer if large_print else ReportRenderer)(data).render()
