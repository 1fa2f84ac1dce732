"""A bar chart drawn with QPainter: the statistics window's charts, from the same
:class:`reports.stats_charts.Chart` values as the PDF's (no charting library to ship).

Colours come from the palette (text, highlight), so a dark or high-contrast system palette is
followed; a hidden figure ("< 5", "n.c.") has no bar and shows its mark. Screen readers get the
chart's title as its name and every bar with its figure as its description.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from reports.stats_charts import Chart

ROW = 22  # px per horizontal bar
PLOT_HEIGHT = 180  # px of the vertical bars' area


class BarChart(QWidget):
    """See the module docstring."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(chart.description())
        self.setToolTip(chart.description())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        line = QFontMetrics(self.font()).height()
        body = ROW * len(self.chart.bars) if self.chart.horizontal else PLOT_HEIGHT + line
        return QSize(420, line * 2 + body + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:  # a painter left active breaks the window's next paint
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        palette = self.palette()
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(0, metrics.ascent(), self.chart.title)
        painter.setFont(self.font())
        top = metrics.height() * 2
        if self.chart.horizontal:
            self._horizontal(painter, metrics, top)
        else:
            self._vertical(painter, metrics, top)

    def _largest(self) -> int:
        return max([bar.value or 0 for bar in self.chart.bars] + [1])

    def _horizontal(self, painter: QPainter, metrics: QFontMetrics, top: int) -> None:
        widest = max((metrics.horizontalAdvance(b.label) for b in self.chart.bars), default=0)
        label_width = min(self.width() // 3, widest + 14)
        figure_width = max((metrics.horizontalAdvance(b.shown) for b in self.chart.bars), default=0) + 8
        span = max(1, self.width() - label_width - figure_width)
        for index, bar in enumerate(self.chart.bars):
            y = top + index * ROW
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(QRectF(0, y, label_width - 8, ROW), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, label)
            length = span * (bar.value or 0) / self._largest()
            painter.fillRect(QRectF(label_width, y + 3, length, ROW - 6),
                             self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawText(QRectF(label_width + length + 4, y, figure_width, ROW), Qt.AlignmentFlag.AlignVCenter,
                             bar.shown)

    def _vertical(self, painter: QPainter, metrics: QFontMetrics, top: int) -> None:
        step = self.width() / max(1, len(self.chart.bars))
        base = top + PLOT_HEIGHT
        for index, bar in enumerate(self.chart.bars):
            x = index * step
            height = (PLOT_HEIGHT - metrics.height()) * (bar.value or 0) / self._largest()
            painter.fillRect(QRectF(x + step * 0.15, base - height, step * 0.7, height),
                             self.palette().color(QPalette.ColorRole.Highlight))
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(QRectF(x, base - height - metrics.height(), step, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, bar.shown)
            painter.drawText(QRectF(x, base + 2, step, metrics.height()), Qt.AlignmentFlag.AlignCenter, bar.label)
        painter.drawLine(0, base, self.width(), base)
