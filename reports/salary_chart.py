"""The bilan's « Études et salaire » chart: each métier's number placed by its years of study
(left to right) and starting salary (bottom to top), black on white, dashed grey grid, for any
printer. Where the markers go is :mod:`reports.chart_layout`'s."""
from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from reports.chart_layout import circle_centres, same_spot
from reports.styles import INK, RULE
from reports.words import short_level

# Salaries of one level this close are one spot of a narrow chart (1 801 € and 1 823 €: both ≈ SMIC);
# the table beside gives each one.
SAME_SALARY = 25


def scatter(points: Sequence[tuple[int, int, int]], width: float, size: float, regular: str, bold: str) -> Drawing:
    """The drawing of the chart: ``points`` are (number, bac_plus, salary), ``size`` the text's
    size (9 pt, 12 pt in large print; everything scales with it), ``regular`` and ``bold`` its fonts."""
    k = size / 9  # everything scales with the text
    height = 42 * mm * k
    left, bottom, top, right = 17 * mm * k, 7 * mm * k, 6 * k, 14 * k
    xs = [x for _, x, _ in points]
    ys = [y for _, _, y in points]
    x_lo, x_hi = min(-2, *xs) - 0.6, max(5, *xs) + 0.4
    step = 250 if max(ys) - min(ys) <= 1500 else 500
    y_lo = (min(ys) - 100) // step * step
    y_hi = max(y_lo + 2 * step, -(-(max(ys) + 100) // step) * step)
    plot_w, plot_h = width - left - right, height - bottom - top

    def px(value: float) -> float:
        return float(left + (value - x_lo) / (x_hi - x_lo) * plot_w)

    def py(value: float) -> float:
        return float(bottom + (value - y_lo) / (y_hi - y_lo) * plot_h)

    band = 0.45 * (px(1) - px(0))  # a circle stays nearer its level's line than any other
    # Narrow (no room beside a circle): equal salaries of one level are one marker « 1 2 3 ».
    markers: list[tuple[str, float, float]] = [(str(n), x, y) for n, x, y in points]
    if band < 14 * k:
        levels = sorted({x for _, x, _ in points})

        def fits(label: str, level: float) -> bool:  # half-way to the next level's line, at most
            room = min((abs(px(other) - px(level)) / 2 for other in levels if other != level), default=plot_w)
            return _label_width(label, bold, size, k) / 2 <= room

        markers = same_spot(markers, SAME_SALARY, fits)
    for _ in range(3):
        centres = circle_centres([(px(x), py(y)) for _, x, y in markers], 14 * k, band,
                                 (bottom + 6.5 * k, bottom + plot_h - 6.5 * k))
        lifted = max(cy - py(y) for (_, _, y), (_, cy) in zip(markers, centres, strict=True))
        lowered = max(py(y) - cy for (_, _, y), (_, cy) in zip(markers, centres, strict=True))
        if max(lifted, lowered) <= 1.5 * 14 * k:
            break
        # Circles of a crowded level pushed far from their salary by the plot's edge: one
        # more graduation on that side gives them room.
        if lifted >= lowered and y_lo >= step:
            y_lo -= step
        elif lowered > lifted:
            y_hi += step
        else:
            break

    d = Drawing(width, height, initialFontName=regular, initialFontSize=size)
    d.add(Rect(left, bottom, plot_w, plot_h, fillColor=None, strokeColor=RULE, strokeWidth=0.6))
    for value in range(int(y_lo), int(y_hi) + 1, step):
        d.add(Line(left, py(value), left + plot_w, py(value), strokeColor=RULE, strokeWidth=0.4,
                   strokeDashArray=[1, 2]))
        label = f"{value:,}".replace(",", "\u00a0") + "\u00a0€"
        d.add(String(left - 4, py(value) - 3 * k, label, fontName=regular, fontSize=size,
                     fillColor=INK, textAnchor="end"))
    for value in sorted({-2, 0, 2, 3, 5, *xs}):
        if x_lo <= value <= x_hi:
            d.add(Line(px(value), bottom, px(value), bottom + plot_h, strokeColor=RULE,
                       strokeWidth=0.4, strokeDashArray=[1, 2]))
            d.add(String(px(value), bottom - 11 * k, short_level(value), fontName=regular,
                         fontSize=size, fillColor=INK, textAnchor="middle"))
    for (label, _x, _y), (cx, cy) in zip(markers, centres, strict=True):
        r, wide = 6.5 * k, _label_width(label, bold, size, k)
        if wide <= 2 * r:
            d.add(Circle(cx, cy, r, fillColor=colors.white, strokeColor=INK, strokeWidth=1))
        else:  # several métiers at one spot: a rounded box around their numbers
            d.add(Rect(cx - wide / 2, cy - r, wide, 2 * r, rx=r, ry=r, fillColor=colors.white, strokeColor=INK,
                       strokeWidth=1))
        d.add(String(cx, cy - 3.2 * k, label, fontName=bold, fontSize=size, fillColor=INK,
                     textAnchor="middle"))
    return d


def _label_width(label: str, font: str, size: float, k: float) -> float:
    """The width of a marker holding ``label`` (a circle's diameter for one number)."""
    return max(13 * k, float(pdfmetrics.stringWidth(label, font, size)) + 5 * k)
