"""The anonymous activity statistics as a one-page A4 PDF (rapport d'activité).

Contract: :func:`render_stats_pdf` takes :class:`db.students.stats.ActivityStats` and returns the
PDF bytes: the charts of :func:`reports.stats_charts.stats_charts` (sessions per month; per
school and levels aimed at, side by side) and every protected table, shrunk to fit one page.
Only what the protected tables show is drawn ("< 5", "n.c." as such); a hidden figure has no
bar and shows its mark instead. No Qt, no database access.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from db.students.stats import ActivityStats, StatTable
from reports.stats_charts import Chart, stats_charts
from reports.stats_export import LEGEND, table_grid
from reports.styles import FONT_BOLD, FONT_REGULAR, register_fonts
from reports.text import clip, line_markup

MARGIN = 14 * mm
BAR_COLOUR = colors.HexColor("#3A6EA5")


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
             Paragraph(line_markup(LEGEND), small), Spacer(1, 2 * mm), *_charts(stats_charts(stats), doc.width)]
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


def _charts(charts: list[Chart], width: float) -> list[Drawing | Table]:
    """The month chart across the page, the others two by two beside each other."""
    flows: list[Drawing | Table] = [_column_chart(c, width) for c in charts if not c.horizontal]
    side = [_bar_chart(c, width / 2 - 2 * mm) for c in charts if c.horizontal]
    for i in range(0, len(side), 2):
        pair = side[i:i + 2]
        flows.append(Table([[*pair, *[""] * (2 - len(pair))]], colWidths=[width / 2] * 2, hAlign="LEFT",
                           style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return flows


def _column_chart(chart: Chart, width: float) -> Drawing:
    """Vertical bars (the months); a hidden figure has no bar and shows its mark instead."""
    height = 48 * mm
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 12 * mm, 10 * mm, width - 16 * mm, height - 14 * mm
    bars.data = [[bar.value or 0 for bar in chart.bars]]
    bars.categoryAxis.categoryNames = [bar.label for bar in chart.bars]
    _style(bars)
    drawing.add(bars)
    step = bars.width / max(1, len(chart.bars))
    for index, bar in enumerate(chart.bars):
        if bar.value is None:
            drawing.add(String(bars.x + step * (index + 0.5), bars.y + 2, bar.shown, fontName=FONT_REGULAR,
                               fontSize=6.5, textAnchor="middle"))
    drawing.add(String(0, height - 3 * mm, chart.title, fontName=FONT_BOLD, fontSize=9))
    return drawing


def _bar_chart(chart: Chart, width: float) -> Drawing:
    """Horizontal bars (long labels: schools, levels), each with its figure as shown."""
    row = 4.2 * mm
    label_width = 38 * mm
    height = row * len(chart.bars) + 14 * mm
    drawing = Drawing(width, height)
    bars = HorizontalBarChart()
    bars.x, bars.y = label_width, 8 * mm
    bars.width, bars.height = width - label_width - 10 * mm, row * len(chart.bars)
    bars.data = [[bar.value or 0 for bar in reversed(chart.bars)]]  # the first row on top
    bars.categoryAxis.categoryNames = [clip(bar.label, 30) for bar in reversed(chart.bars)]
    _style(bars)
    top = max([bar.value or 0 for bar in chart.bars] + [4]) * 1.25  # room for the figure after the bar
    bars.valueAxis.valueMax = top
    drawing.add(bars)
    for index, bar in enumerate(reversed(chart.bars)):
        x = bars.x + bars.width * (bar.value or 0) / top + 2
        drawing.add(String(x, bars.y + row * (index + 0.5) - 2.2, bar.shown, fontName=FONT_REGULAR, fontSize=6.5))
    drawing.add(String(0, height - 3 * mm, chart.title, fontName=FONT_BOLD, fontSize=9))
    return drawing


def _style(bars: VerticalBarChart | HorizontalBarChart) -> None:
    for axis in (bars.categoryAxis, bars.valueAxis):
        axis.labels.fontName = FONT_REGULAR
        axis.labels.fontSize = 7
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor = BAR_COLOUR
    bars.bars[0].strokeColor = None
