"""The report's building blocks: paragraphs of escaped text, lists, the interest chart, the
métier blocks and the comparison table, all in the styles of one stylesheet.

Text arguments are user text unless a parameter says "markup": each goes through
:func:`reports.text.markup` or :func:`reports.text.plain` here before reportlab sees it.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from db.catalogue.format import years_words
from db.students.report_data import Comparison, ReportMetier, credits_in_words, routes_in_words
from reports.salary_chart import scatter
from reports.styles import ACCENT, BAND, BAR, INK, RULE, Layout
from reports.timeline import route_timeline
from reports.text import (capitalize, cell_markup, clip, display_order, fit, has_rtl, markup, one_line, plain,
                          starts_right_to_left)
from reports.words import BRUT_NET, level_words


# Fixed text with its own bold words: escaped by hand (only "&" can occur in it).
BRUT_NET_MARKUP = BRUT_NET.replace("&", "&amp;")


class BidiParagraph(Paragraph):  # type: ignore[misc]  # reportlab ships no type hints: Paragraph is Any
    """A paragraph whose right-to-left text (Arabic) is cut into lines in logical order, as
    reportlab does, then drawn with each line in display order (python-bidi), so a long Arabic
    note reads from its first line down, each line right to left. A paragraph that starts with
    right-to-left text and runs over several lines is set flush right (bulleted items keep
    their bullet on the left, as the French lists around them).

    reportlab reorders lines itself only with its optional rlbidi package, which this project
    does not use; the text arrives joined (:func:`reports.text.markup`) and in logical order.
    """

    blPara: Any  # reportlab's broken lines, set by wrap()
    style: Any

    def __init__(self, text: str | None, style: ParagraphStyle | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        source = "".join(str(getattr(frag, "text", "")) for frag in self.frags)
        self._rtl = has_rtl(source)
        self._base_rtl = self._rtl and starts_right_to_left(source)

    def drawPara(self, debug: int = 0) -> Any:  # reportlab's name
        if not self._rtl:
            return super().drawPara(debug)
        logical: Any = self.blPara
        style: ParagraphStyle = self.style
        self.blPara = _display_lines(logical, self._base_rtl)
        if self._base_rtl and not self.bulletText and len(logical.lines) > 1:
            self.style = ParagraphStyle(f"{style.name}-rtl", style, alignment=TA_RIGHT)
        try:
            return super().drawPara(debug)
        finally:  # a paragraph split later is cut again from its logical lines
            self.blPara, self.style = logical, style


def _display_lines(para: Any, right_to_left: bool) -> Any:
    """reportlab's broken lines (``blPara``) with each line's text in display order."""
    if para.kind == 0:  # one style: (extra space, words) per line
        lines = [(line[0], [display_order(" ".join(line[1]), right_to_left)], *line[2:]) for line in para.lines]
        return para.clone(lines=lines)
    lines = []
    for line in para.lines:  # several styles: a run of text per fragment
        words = [frag.clone(text=display_order(frag.text, right_to_left)) if hasattr(frag, "text") else frag
                 for frag in line.words]
        lines.append(line.clone(words=words[::-1] if right_to_left else words))
    return para.clone(lines=lines)


class RuledHeading(BidiParagraph):
    """A section heading with a rule drawn under it across the frame width."""

    def draw(self) -> None:
        super().draw()
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.line(0, -3, self.width, -3)
        canv.restoreState()


class MetierMark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints: Flowable is Any
    """An invisible mark where a métier's block opens (``title``) or closes (None).

    The renderer follows the marks as they are laid out, so a page that begins inside a
    métier's block starts with a line naming the métier that continues there.
    """

    def __init__(self, title: str | None) -> None:
        super().__init__()
        self.title = title

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def frameAction(self, frame: Any) -> None:  # reportlab's name
        """A frame "adds" a flowable with this hook without measuring it: the mark fits even
        when the block before it left the frame full (its space after past the foot), where
        an empty flowable would open a blank page."""

    def draw(self) -> None:
        pass


class Glued(Flowable):  # type: ignore[misc]  # reportlab ships no type hints: Flowable is Any
    """Flowables drawn one under the other that never split: a sub-heading and its first line
    stay together, in the story and inside a table cell (where reportlab's keepWithNext does
    nothing). Spacing between the parts is the larger of one's space after and the next's
    space before, as in a frame."""

    loose = 300.0  # points: taller than this (pages of text), the parts may part when they must

    def __init__(self, parts: Sequence[Flowable]) -> None:
        super().__init__()
        self.parts = list(parts)
        self._heights: list[float] = []

    def _gaps(self) -> list[float]:
        return [max(a.getSpaceAfter(), b.getSpaceBefore()) for a, b in zip(self.parts, self.parts[1:], strict=False)]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._heights = [part.wrap(available_width, available_height)[1] for part in self.parts]
        self.width = available_width
        self.height = sum(self._heights) + sum(self._gaps())
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Too tall for the room left: the last part is split so the others keep its first
        lines (a heading never goes alone); when the first part alone is taller than the room
        (5,000 characters of title), it is split instead; [] when neither can be done.
        Always two flowables or none, as a table cell splitting its content expects."""
        if len(self.parts) < 2:
            return []
        self.wrap(available_width, available_height)
        room = available_height - sum(self._heights[:-1]) - sum(self._gaps())
        pieces = self.parts[-1].split(available_width, room) if room > 0 else []
        if len(pieces) == 2:
            return [Glued([*self.parts[:-1], pieces[0]]), pieces[1]]
        if self.height <= self.loose:
            return []  # short: it moves whole to the next page or column
        rest = self.parts[1:]
        if self._heights[0] <= available_height:
            return [self.parts[0], Glued(rest) if len(rest) > 1 else rest[0]]
        pieces = self.parts[0].split(available_width, available_height)
        return [pieces[0], Glued([pieces[1], *rest])] if len(pieces) == 2 else []

    def getSpaceBefore(self) -> float:  # reportlab's name
        return float(self.parts[0].getSpaceBefore()) if self.parts else 0.0

    def getSpaceAfter(self) -> float:  # reportlab's name
        return float(self.parts[-1].getSpaceAfter()) if self.parts else 0.0

    def draw(self) -> None:
        y = self.height
        for part, height, gap in zip(self.parts, self._heights, [*self._gaps(), 0.0], strict=True):
            y -= height
            part.drawOn(self.canv, 0, y)
            y -= gap


def glue_first(flowables: list[Flowable], count: int = 2) -> list[Flowable]:
    """``flowables`` with the first ``count`` glued together (see :class:`Glued`)."""
    if len(flowables) < 2:
        return flowables
    return [Glued(flowables[:count]), *flowables[count:]]


class Blocks:
    """Makes the flowables of the report in the styles of ``styles`` (see :func:`reports.styles.build_styles`)."""

    max_formations = 4
    # 0: everything; 1: no formation list beside the routes from the pupil's class; 2: and only the
    # shortest route; 3: and that route said in words, not drawn. Set by the renderer when the bilan
    # runs longer than its page goal.
    compact = 0
    chart_rows_per_drawing = 14
    max_column_title = 120  # characters of a métier title in the comparison header and "(suite)" lines

    def __init__(self, styles: StyleSheet1, layout: Layout, font_regular: str, font_bold: str) -> None:
        self.styles = styles
        self.layout = layout
        self.font_regular = font_regular
        self.font_bold = font_bold

    # -- paragraphs and lists ------------------------------------------------------------------
    def p(self, text: str, style: str = "Body", **kwargs: Any) -> Paragraph:
        """A paragraph of trusted markup (already escaped) in the named style."""
        return BidiParagraph(text, self.styles[style], **kwargs)

    def _fits(self, style: str, column: float, padding: float = 8) -> Callable[[str], bool]:
        """Whether a string fits on one line of a table column ``column`` wide (its cell padding
        ``padding`` taken off), in the named style's font (see :func:`reports.text.hyphenable`)."""
        font, size = self.styles[style].fontName, self.styles[style].fontSize
        return lambda run: pdfmetrics.stringWidth(run, font, size) <= column - padding

    def field(self, label: str, value: str, style: str = "Body") -> Paragraph:
        """A "label : value" line, label in bold; ``value`` is user text and gets escaped."""
        return self.p(f"<b>{markup(label)}</b>\u00a0: {markup(value)}", style)

    def bullets(self, items: Sequence[str], bullet: str = "•",
                style: str = "Bullet") -> list[Flowable]:
        """One paragraph per non-empty item, each with ``bullet`` in the margin."""
        return [self.p(markup(item), style, bulletText=bullet)
                for item in items if plain(item).strip()]

    def list_block(self, title: str, items: Sequence[str], bullet: str = "•",
                   styles: tuple[str, str] = ("H3", "Bullet")) -> list[Flowable]:
        """A bold sub-heading and its bulleted items; nothing when there is no item.
        ``styles`` names the heading's and the items' styles."""
        paragraphs = self.bullets(items, bullet, style=styles[1])
        # The sub-heading never ends a page or a column alone: glued to the first item.
        return glue_first([self.p(markup(title), styles[0]), *paragraphs]) if paragraphs else []

    def heading(self, title: str) -> Paragraph:
        """A section heading (fixed French text) that stays with what follows."""
        return RuledHeading(markup(title), self.styles["H1"])

    def lead(self, title: str, follow: float) -> list[Flowable]:
        """A section heading before a long flowable that may split (a table): it goes to the
        next page only when less than its own height and ``follow`` points are left, so the
        table starts under it instead of being pushed whole to the next page (which
        ``keepWithNext`` would do, leaving a page a quarter blank)."""
        heading = RuledHeading(markup(title), self.styles["H1Lead"])
        height = heading.wrap(self.layout.frame_width, 1e6)[1] + heading.getSpaceBefore() + heading.getSpaceAfter()
        return [CondPageBreak(height + follow), heading]

    def table_style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """``commands`` on top of the body font, so that no cell falls back to Helvetica."""
        return TableStyle([("FONT", (0, 0), (-1, -1), self.font_regular, 10), *commands])

    def facts_box(self, rows: Sequence[tuple[str, str]]) -> Table:
        """A shaded box of "label | value" rows (labels in bold, sized to the longest one);
        the values are markup, already escaped."""
        size = self.styles["CellHead"].fontSize
        label_width = max(pdfmetrics.stringWidth(label, self.font_bold, size) for label, _ in rows)
        table = Table([[self.p(markup(k), "CellHead"), self.p(v, "Cell")] for k, v in rows],
                      colWidths=[label_width + 24, None], splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("BOX", (0, 0), (-1, -1), 0.8, RULE), ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ]))
        return table

    # -- interests -------------------------------------------------------------------------------
    def profile_chart(self, profile: Sequence[tuple[str, float]], width: float | None = None) -> list[Flowable]:
        """A caption and horizontal bars (0 to 1), drawn in grey and black for any printer,
        ``width`` wide (the frame's width by default)."""
        caption = self.p("<b>Ton profil d'intérêts</b>\u00a0: plus la barre est longue, plus tu as "
                         "choisi ce domaine.", "CardBody")
        step = self.chart_rows_per_drawing
        width = width or self.layout.frame_width
        charts = [self._bars(profile[i:i + step], width) for i in range(0, len(profile), step)]
        return [caption, *charts]  # no KeepTogether: it cannot split inside a table cell

    def profile_fits(self, profile: Sequence[tuple[str, float]], width: float) -> bool:
        """Whether every label of ``profile`` fits, whole, beside its bar in ``width``."""
        size = self.styles["Cell"].fontSize
        room = self._label_width(width) - 6
        return all(pdfmetrics.stringWidth(one_line(label), self.font_regular, size) <= room for label, _ in profile)

    def _label_width(self, width: float) -> float:
        """The width of the labels' column of a profile chart ``width`` wide."""
        return float(min(62 * mm, width * 0.62))

    def side_by_side(self, left: list[Flowable], right: list[Flowable]) -> Table:
        """Two half-width columns of flowables; the row may split across pages."""
        return self.card_row([left, right])

    def _bars(self, rows: Sequence[tuple[str, float]], width: float) -> Drawing:
        """One drawing with a labelled bar per (label, value) row."""
        size = self.styles["Cell"].fontSize
        label_w, row_h = self._label_width(width), size * 1.35
        bar_w = width - label_w - 8
        drawing = Drawing(width, row_h * len(rows) + 4, initialFontName=self.font_regular,
                          initialFontSize=size)
        for index, (label, value) in enumerate(rows):
            y = drawing.height - (index + 1) * row_h
            text = fit(one_line(label), self.font_regular, size, label_w - 6)
            drawing.add(String(0, y + 3.5, text, fontName=self.font_regular, fontSize=size,
                               fillColor=INK))
            _bar(drawing, label_w, y + 2, bar_w, row_h - 4, _unit(value))
        return drawing

    # -- métiers ---------------------------------------------------------------------------------
    def summary_table(self, metiers: Sequence[ReportMetier]) -> Table:
        """One line per shortlisted métier: its number and name, level, length of studies and
        starting salary (the page-1 overview; the details follow later)."""
        head = [self.p(text, "CellHead") for text in
                ("", "Métier", "Niveau d'études", "Durée des études", "Salaire de début")]
        width = self.layout.frame_width
        number = 7 * mm
        widths = [number, *((width - number) * f for f in (0.27, 0.215, 0.245, 0.27))]
        styles = ("CellHead", "Cell", "Cell", "Cell")
        title_fits, *fits = (self._fits(style, w) for style, w in zip(styles, widths[1:], strict=True))
        # The number in its own column: a long title then wraps (and hyphenates) on its own.
        rows = [[self.p(f"{i}.", "CellHead"),
                 self.p(cell_markup(clip(capitalize(plain(m.title, reorder=False)), self.max_column_title), title_fits),
                        "CellHead"),
                 self.p(cell_markup(m.level or "non précisé", fits[0]), "Cell"),
                 self.p(cell_markup(m.study_years or "non précisée", fits[1]), "Cell"),
                 self.p(cell_markup(m.salary or "non précisé", fits[2]), "Cell")]
                for i, m in enumerate(metiers, start=1)]
        table = Table([head, *rows], colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK), ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), BAND), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (0, -1), 0),
        ]))
        return table

    def metier_card(self, index: int, m: ReportMetier) -> list[Flowable]:
        """Everything about one métier, for a half-page column: title, both job titles,
        description, sectors, formations, reasons, points to check, comment and sources.
        Level, studies and salary are on page 1's overview and in the chart: not repeated here."""
        out: list[Flowable] = [self.p(f"{index}.\u00a0{markup(capitalize(m.title))}", "H2")]
        out += self._titles(m)
        if plain(m.description).strip():
            out.append(self.p(markup(m.description), "CardBody"))
        out += self._sectors(m)
        formations = [f for f in (plain(x, reorder=False).strip() for x in m.formations[:self.max_formations]) if f]
        routes = [r for r in (plain(x, reorder=False).strip() for x in m.routes) if r]
        notes = [n for n in (plain(x, reorder=False).strip() for x in m.route_notes) if n]
        if self.compact and routes:  # the routes name the formations that matter from the pupil's class
            formations, routes = [], routes[:1] if self.compact > 1 else routes
        if formations:
            out.append(self.p(f"<b>Formations pour y arriver</b>\u00a0: {markup(' ; '.join(formations))}",
                              "CardBody"))
        lists = ("CardH3", "CardBullet")
        if routes or notes:  # inline, as the formations: a heading and bullets made a 3-métier bilan 3 pages
            out += self._routes(m, routes, notes)
        out += self.list_block("Pourquoi ce métier te correspond", m.reasons, bullet="✔", styles=lists)
        out += self.list_block("Points à vérifier", m.cautions, bullet="!", styles=lists)
        if plain(m.comment).strip():
            out.append(self.p(f"<b>Commentaire de l'entretien</b>\u00a0: {markup(m.comment)}", "CardBox"))
        # The credits never open a page or a column alone (« (suite) » above one small line):
        # glued to the line above them; the title never ends one alone: glued to the line under it.
        credits = self._credits(m)
        if credits and len(out) > 2:
            out = [*out[:-1], Glued([out[-1], *credits])]
        else:
            out += credits
        return glue_first(out)

    def _routes(self, m: ReportMetier, routes: list[str], notes: list[str]) -> list[Flowable]:
        """The routes from the pupil's class: the shortest drawn as a timeline with its total length
        (its line would only repeat the drawing), the others in words under it; all in words when
        there is no drawing. The notes follow as sentences (never as one more « ou »)."""
        drawing = self._route_drawing(m) if routes else []
        if not drawing:
            return [self.p(f"<b>Parcours depuis ta classe</b>\u00a0: {markup(routes_in_words(routes, notes))}",
                           "CardBody")]
        total = years_words(sum(years for _, years in m.route_steps))
        # The line that introduces the drawing never ends a page or a column without it.
        out: list[Flowable] = [Glued([self.p(f"<b>Parcours depuis ta classe</b> ({total} en tout)\u00a0:",
                                             "CardBody"), *drawing])]
        if routes[1:]:
            out.append(self.p(f"ou\u00a0: {markup(' ; ou '.join(routes[1:]))}", "CardBody"))
        if notes:
            out.append(self.p(markup(routes_in_words([], notes)), "CardBody"))
        return out

    def _route_drawing(self, m: ReportMetier) -> list[Flowable]:
        """The shortest route drawn as a timeline under the route lines, when it has more than one
        step (one box would only repeat the line above it, and cost the bilan room)."""
        if len(m.route_steps) < 3 or self.compact > 2:  # the class, then one step; or no room left
            return []
        size = self.styles["Small"].fontSize - 2.5  # 7.5 pt, 10.5 pt in large print
        drawing = route_timeline(m.route_steps, self.card_width, self.font_regular, self.font_bold, size)
        return [] if drawing is None else [drawing, Spacer(1, 3)]

    card_gap = 6 * mm
    wide_cards = False  # one card a row (large print): a card is as wide as the frame

    @property
    def card_width(self) -> float:
        """The width of a métier card."""
        return float(self.layout.frame_width) if self.wide_cards else self.half_width

    @property
    def half_width(self) -> float:
        """The width of one of two cards side by side."""
        return float(self.layout.frame_width - self.card_gap) / 2

    def card_row(self, cards: Sequence[list[Flowable]]) -> Table:
        """One or two métier cards side by side; the row may split across pages."""
        width, half = self.layout.frame_width, self.half_width
        widths = [width] if len(cards) == 1 else [half, self.card_gap, half]
        row: list[Any] = [cards[0]] if len(cards) == 1 else [cards[0], "", cards[1]]
        table = Table([row], colWidths=widths, splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
            # 2 pt above: a title's shaded band must not cover the rule of the heading over it
            ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]))
        return table

    def metier_mark(self, index: int, m: ReportMetier) -> MetierMark:
        """The mark opening the block of ``m``; clipped: its "(suite)" line must fit at the top
        of a page whatever the title."""
        return MetierMark(clip(one_line(f"{index}. {capitalize(plain(m.title, reorder=False))}", reorder=False),
                              self.max_column_title))

    def _titles(self, m: ReportMetier) -> list[Flowable]:
        """Both job titles, or one line when they are the same word."""
        fem, masc = plain(m.label_f, reorder=False).strip(), plain(m.label_m, reorder=False).strip()
        if not fem and not masc:
            return []
        if fem == masc or not (fem and masc):
            return [self.p(f"On dit\u00a0: <b>{markup(fem or masc)}</b>", "CardTitles")]
        return [self.p(f"On dit\u00a0: <b>{markup(fem)}</b> ou <b>{markup(masc)}</b>", "CardTitles")]

    def _sectors(self, m: ReportMetier) -> list[Flowable]:
        """The sectors on one line; nothing when none is known."""
        sectors = [s for s in (plain(x, reorder=False).strip() for x in m.sectors) if s]
        if not sectors:
            return []
        return [self.field("Secteurs" if len(sectors) > 1 else "Secteur", ", ".join(sectors), "CardBody")]

    def _credits(self, m: ReportMetier) -> list[Flowable]:
        """Who wrote the fiche, and where the salary comes from, in small print."""
        said = credits_in_words(plain(m.source, reorder=False), plain(m.salary_source, reorder=False))
        return [self.p(markup(said).replace(" : ", "\u00a0: "), "Small")] if said else []

    # -- comparison ------------------------------------------------------------------------------
    def comparison_table(self, comparison: Comparison) -> Table:
        """Criteria down the left, one column per métier; rows may split across pages."""
        n = len(comparison.titles)
        width = self.layout.frame_width
        first = 38 * mm
        head_fits, value_fits = self._fits("CellHead", (width - first) / n), self._fits("Cell", (width - first) / n)
        # The header row repeats on every page, so it must stay short whatever the titles.
        head = [""] + [self.p(cell_markup(clip(capitalize(t), self.max_column_title), head_fits), "CellHead")
                       for t in comparison.titles]
        body = [[self.p(cell_markup(row.criterion, self._fits("CellHead", first)), "CellHead"),
                 *(self.p(cell_markup(v, value_fits), "Cell") for v in _pad(row.values, n))]
                for row in comparison.rows]
        table = Table([head, *body], colWidths=[first] + [(width - first) / n] * n,
                      repeatRows=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("GRID", (0, 0), (-1, -1), 0.5, RULE), ("BACKGROUND", (0, 0), (-1, 0), BAND),
            ("BACKGROUND", (0, 1), (0, -1), colors.HexColor("#F3F4F6")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
        ]))
        return table

    # -- study / salary chart --------------------------------------------------------------------
    def study_salary_chart(self, metiers: Sequence[ReportMetier], width: float | None = None, *,
                           titled: bool = True) -> list[Flowable]:
        """Each métier's number placed by years of study (left to right) and starting salary
        (bottom to top): black circles on white, dashed grey grid, for any printer. Nothing
        when fewer than two métiers can be placed. ``titled``: the caption names the chart
        (not under a heading that already does: « Études et salaire » twice in a row)."""
        placed = [(i, m.bac_plus, m.salary_start) for i, m in enumerate(metiers, start=1)
                  if m.bac_plus is not None and m.salary_start]
        if len(placed) < 2:
            return []  # one point says no more than the overview's line
        said = ("chaque numéro est un métier de ta liste, placé selon ses études (+2\u00a0: bac\u00a0+\u00a02) "
                "et son salaire de début (brut par mois).")
        caption = self.p("<b>Études et salaire</b>\u00a0: " + said if titled else capitalize(said), "Small")
        points = [(i, x, y) for i, x, y in placed if x is not None and y]
        out: list[Flowable] = [caption, self._scatter(points, width or self.layout.frame_width)]
        missing = [f"{i}.\u00a0{plain(capitalize(m.title), reorder=False)}" for i, m in enumerate(metiers, start=1)
                   if m.bac_plus is None or not m.salary_start]
        if missing:
            out.append(self.p("Pas sur le dessin (niveau ou salaire inconnu)\u00a0: "
                              + markup(", ".join(missing)) + ".", "Small"))
        return out

    def _scatter(self, points: Sequence[tuple[int, int, int]], width: float) -> Drawing:
        """The drawing of :meth:`study_salary_chart` (:func:`reports.salary_chart.scatter`);
        ``points`` are (number, bac_plus, salary)."""
        size = self.styles["Small"].fontSize - 1  # 9 pt, 12 pt in large print
        return scatter(points, width, size, self.font_regular, self.font_bold)

    # -- words ---------------------------------------------------------------------------------
    def words_box(self, metiers: Sequence[ReportMetier]) -> Table:
        """"Mots utiles": brut and net, and the levels the shown métiers need, in a shaded box."""
        rows = [("Brut et net", BRUT_NET_MARKUP)]
        rows += [(word, markup(text)) for word, text in level_words((m.level, m.bac_plus) for m in metiers)]
        size = self.styles["CellHead"].fontSize
        label_width = max(pdfmetrics.stringWidth(label, self.font_bold, size) for label, _ in rows)
        cells = [[self.p(markup(k), "CellHead"), self.p(v, "Cell")] for k, v in rows]
        # It may split between two words explained, its title row repeated on the next page.
        table = Table([[self.p("Mots utiles", "CellHead"), ""], *cells],
                      colWidths=[label_width + 16, None], hAlign="LEFT", repeatRows=1)
        table.setStyle(self.table_style([
            ("BOX", (0, 0), (-1, -1), 0.8, RULE), ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("SPAN", (0, 0), (-1, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ]))
        return table


def _bar(drawing: Drawing, x: float, y: float, width: float, height: float, value: float) -> None:
    """A white track with quarter ticks and a mid-blue filled part for ``value`` (0..1).

    Mid-tone, not black: a full black bar read as a passage blacked out (a family's reading);
    it prints mid-grey on a black-and-white printer, still far from the white track."""
    drawing.add(Rect(x, y, width, height, fillColor=colors.white, strokeColor=RULE,
                     strokeWidth=0.6))
    if value > 0:
        drawing.add(Rect(x, y, width * value, height, fillColor=BAR, strokeColor=ACCENT, strokeWidth=0.6))
    for quarter in (0.25, 0.5, 0.75):
        tick_x = x + width * quarter
        if tick_x > x + width * value:
            drawing.add(Line(tick_x, y, tick_x, y + height, strokeColor=RULE,
                             strokeWidth=0.4, strokeDashArray=[1, 1.5]))


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
