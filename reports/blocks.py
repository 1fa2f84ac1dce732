"""The report's building blocks: paragraphs of escaped text, lists, the interest chart, the
métier blocks and the comparison table, all in the styles of one stylesheet.

Text arguments are user text unless a parameter says "markup": each goes through
:func:`reports.text.markup` or :func:`reports.text.plain` here before reportlab sees it.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from db.students.report_data import Comparison, ReportInterest, ReportMetier
from reports.styles import ACCENT, BAND, INK, RULE, Layout
from reports.text import capitalize, clip, fit, markup, one_line, plain


class RuledHeading(Paragraph):  # type: ignore[misc]  # reportlab ships no type hints: Paragraph is Any
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

    def draw(self) -> None:
        pass


class Blocks:
    """Makes the flowables of the report in the styles of ``styles`` (see :func:`reports.styles.build_styles`)."""

    max_formations = 4
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
        return Paragraph(text, self.styles[style], **kwargs)

    def field(self, label: str, value: str, style: str = "Body") -> Paragraph:
        """A "label : value" line, label in bold; ``value`` is user text and gets escaped."""
        return self.p(f"<b>{markup(label)}</b>\u00a0: {markup(value)}", style)

    def bullets(self, items: Sequence[str], bullet: str = "•",
                style: str = "Bullet") -> list[Flowable]:
        """One paragraph per non-empty item, each with ``bullet`` in the margin."""
        return [self.p(markup(item), style, bulletText=bullet)
                for item in items if plain(item).strip()]

    def list_block(self, title: str, items: Sequence[str], bullet: str = "•") -> list[Flowable]:
        """A bold sub-heading and its bulleted items; nothing when there is no item."""
        paragraphs = self.bullets(items, bullet)
        return [self.p(markup(title), "H3"), *paragraphs] if paragraphs else []

    def heading(self, title: str) -> Paragraph:
        """A section heading (fixed French text) that stays with what follows."""
        return RuledHeading(markup(title), self.styles["H1"])

    def table_style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """``commands`` on top of the body font, so that no cell falls back to Helvetica."""
        return TableStyle([("FONT", (0, 0), (-1, -1), self.font_regular, 10), *commands])

    def facts_box(self, rows: Sequence[tuple[str, str]]) -> Table:
        """A shaded box of "label | value" rows (labels in bold, sized to the longest one)."""
        label_width = max(pdfmetrics.stringWidth(label, self.font_bold, 10) for label, _ in rows)
        table = Table([[self.p(markup(k), "CellHead"), self.p(markup(v), "Cell")] for k, v in rows],
                      colWidths=[label_width + 24, None], splitInRow=1, hAlign="LEFT")
        table.setStyle(self.table_style([
            ("BOX", (0, 0), (-1, -1), 0.8, RULE), ("BACKGROUND", (0, 0), (-1, -1), BAND),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ]))
        return table

    # -- interests -------------------------------------------------------------------------------
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
        width = self.layout.frame_width
        label_w, row_h, size = 62 * mm, 17, 10
        bar_w = width - label_w - 8
        drawing = Drawing(width, row_h * len(rows) + 4, initialFontName=self.font_regular,
                          initialFontSize=size)
        for index, (label, value) in enumerate(rows):
            y = drawing.height - (index + 1) * row_h
            text = fit(one_line(label), self.font_regular, size, label_w - 6)
            drawing.add(String(0, y + 4.5, text, fontName=self.font_regular, fontSize=size,
                               fillColor=INK))
            _bar(drawing, label_w, y + 2, bar_w, row_h - 5, _unit(value))
        return drawing

    # -- métiers ---------------------------------------------------------------------------------
    def metier_intro(self, index: int, m: ReportMetier) -> list[Flowable]:
        """Title, both job titles, description, level, salary and sectors."""
        out: list[Flowable] = [self.p(f"{index}.\u00a0{markup(capitalize(m.title))}", "H2")]
        out += self._titles(m)
        if plain(m.description).strip():
            out.append(self.p(markup(m.description)))
        return out + self._facts(m)

    def metier_detail_parts(self, m: ReportMetier) -> list[list[Flowable]]:
        """Formations, reasons, points to check and the counselor's comment, one part each (the
        empty ones left out), the source closing the last part; always at least one part."""
        parts = [self.list_block("Formations pour y arriver", m.formations[:self.max_formations]),
                 self.list_block("Parcours depuis ta classe", m.routes, bullet="→"),
                 self.list_block("Pourquoi ce métier te correspond", m.reasons, bullet="✔"),
                 self.list_block("Points à vérifier", m.cautions, bullet="!")]
        if plain(m.comment).strip():
            parts.append([self.p(f"<b>Commentaire de l'entretien</b>\u00a0: {markup(m.comment)}", "Box")])
        parts = [part for part in parts if part] or [[]]
        if plain(m.source).strip():
            parts[-1].append(self.p(markup(m.source), "Small"))
        return parts

    def metier_mark(self, index: int, m: ReportMetier) -> MetierMark:
        """The mark opening the block of ``m``; clipped: its "(suite)" line must fit at the top
        of a page whatever the title."""
        return MetierMark(clip(one_line(f"{index}. {capitalize(plain(m.title))}"), self.max_column_title))

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

    # -- comparison ------------------------------------------------------------------------------
    def comparison_table(self, comparison: Comparison) -> Table:
        """Criteria down the left, one column per métier; rows may split across pages."""
        n = len(comparison.titles)
        # The header row repeats on every page, so it must stay short whatever the titles.
        head = [""] + [self.p(markup(clip(capitalize(t), self.max_column_title)), "CellHead")
                       for t in comparison.titles]
        body = [[self.p(markup(row.criterion), "CellHead"),
                 *(self.p(markup(v), "Cell") for v in _pad(row.values, n))]
                for row in comparison.rows]
        width = self.layout.frame_width
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


def _bar(drawing: Drawing, x: float, y: float, width: float, height: float, value: float) -> None:
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
