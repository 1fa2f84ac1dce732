"""The anonymous activity statistics as a one-page A4 PDF (rapport d'activité).

Contract: :func:`render_stats_pdf` takes :class:`db.students.stats.ActivityStats` and returns the
PDF bytes: a bar chart of sessions per month and every protected table, shrunk to fit one
page. Only what the protected tables show is drawn ("< 5", "n.c." as such); hidden months are
drawn as empty bars labelled with their mark. No Qt, no database access.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.students.stats import ActivityStats, StatTable
from reports.stats_export import LEGEND, table_grid
from reports.styles import FONT_BOLD, FONT_REGULAR, register_fonts
from reports.text import line_markup

MARGIN = 14 * mm
_SHORT = {"janvier": "janv.", "février": "févr.", "mars": "mars", "avril": "avr.", "mai": "mai", "juin": "juin",
          "juillet": "juil.", "août": "août", "septembre": "sept.", "octobre": "oct.", "novembre": "nov.",
          "décembre": "déc."}


def render_stats_pdf(stats: ActivityStats) -> bytes:
    """One A4 page: title, period, legend, the chart of sessions per month, the tables."""
    register_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title="Statistiques d'activité", author="Orientation",
                            invariant=True)
    title = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=2 * mm)
    small = ParagraphStyle("s", fontName=FONT_REGULAR, fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    head = ParagraphStyle("h", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=3 * mm, spaceAfter=1 * mm)
    story = [Paragraph("Statistiques d'activité", title), Paragraph(line_markup(f"Période {stats.period}"), small),
             Paragraph(line_markup(LEGEND), small), Spacer(1, 2 * mm), _month_chart(stats.tables[0], doc.width)]
    blocks = [[Paragraph(line_markup(table.title), head), _table(table, small)] for table in stats.tables]
    for block in blocks[:2]:
        story += block
    pairs = [blocks[i:i + 2] for i in range(2, len(blocks), 2)]  # the smaller tables side by side
    for pair in pairs:
        cells = [[block for block in pair] + [""] * (2 - len(pair))]
        story.append(Table(cells, colWidths=[doc.width / 2] * 2, hAlign="LEFT",
                           style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    frame = KeepInFrame(doc.width, doc.height, story, mode="shrink")
    doc.build([frame])
    return buffer.getvalue()


def write_stats_pdf(stats: ActivityStats, path: Path) -> Path:
    """Write the PDF atomically, owner-only (it is still about the counselor's work)."""
    from db.storage.files import write_atomically

    return write_atomically(path, render_stats_pdf(stats))


def _table(table: StatTable, small: ParagraphStyle) -> Table | Paragraph:
    grid = table_grid(table)
    if len(grid) == 1:
        return Paragraph("Aucune donnée à publier.", small)
    flow = Table(grid, repeatRows=1, hAlign="LEFT")
    style = [("FONT", (0, 0), (-1, -1), FONT_REGULAR, 7.5), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5),
             ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#BBBBBB")),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    if table.table.counts.additive:
        style.append(("FONT", (0, -1), (-1, -1), FONT_BOLD, 7.5))
    flow.setStyle(TableStyle(style))
    if table.note:
        return Table([[flow], [Paragraph(line_markup(table.note), small)]], hAlign="LEFT",
                     style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)])
    return flow


def _month_chart(table: StatTable, width: float) -> Drawing:
    """Bars of sessions per month; a hidden month has no bar and shows its mark instead."""
    height = 48 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, width - 16 * mm, height - 14 * mm
    column = table.cols[0]
    values = [table.table.shown(("cell", row, column)) for row in table.rows]
    chart.data = [[v or 0 for v in values]]
    chart.categoryAxis.categoryNames = [_SHORT.get(row.split()[0], row.split()[0]) for row in table.rows]
    chart.categoryAxis.labels.fontName = FONT_REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT_REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#3A6EA5")
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    step = chart.width / max(1, len(values))
    for index, (row, value) in enumerate(zip(table.rows, values, strict=True)):
        if value is None:
            drawing.add(String(chart.x + step * (index + 0.5), chart.y + 2, table.table.text(("cell", row, column)),
                               fontName=FONT_REGULAR, fontSize=6.5, textAnchor="middle"))
    drawing.add(String(0, height - 3 * mm, "Entretiens par mois", fontName=FONT_BOLD, fontSize=9))
    return drawing
