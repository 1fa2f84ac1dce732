"""A route drawn as a small timeline (reportlab graphics, vector, black and white friendly).

``[("3e", 0), ("2de GT", 1), ("bac général", 2), ("DE infirmier", 3)]`` becomes: the current
class in a rounded tag, then for each step an arrow and a box holding the step's name and its
length in years; the last box, the diploma, has a thick frame. No Qt, no colour needed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from db.catalogue.format import years_words
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

ARROW = 9.0  # width of the gap holding an arrow, in points
PAD = 2.5
MAX_LINES = 3  # lines of a step's name; longer names end with "…"
# Long stage names said shortly in a box (the route lines above the drawing say them in full).
_SHORT = (("2de générale et technologique", "2de GT"), ("bac général ou technologique", "bac général ou techno"),
          ("classe préparatoire aux grandes écoles (CPGE)", "CPGE"),
          ("les deux premières années d'un BUT", "2 ans de BUT"), ("diplôme d'État d'", "DE "),
          ("diplôme d'État", "DE"), ("professionnelle", "pro"), ("professionnel", "pro"),
          ("technologique", "techno"))


def route_timeline(steps: Sequence[tuple[str, int]], width: float, regular: str, bold: str,
                   size: float = 6.5) -> Drawing | None:
    """The drawing of a route at most ``width`` points wide; None with fewer than two steps
    (nothing to draw). ``steps`` = the current class first, then (label, years) up to the diploma."""
    if len(steps) < 2:
        return None
    leading = size * 1.2
    tag_lines = wrap(short_label(steps[0][0]), width * 0.2 - 2 * PAD, regular, size)
    tag_w = max(stringWidth(line, regular, size) for line in tag_lines) + 2 * PAD + 2
    count = len(steps) - 1
    box_w = min((width - tag_w - ARROW * count) / count, width * 0.3)
    boxes = [_box_lines(label, years, box_w, regular if i < count else bold, bold, size)
             for i, (label, years) in enumerate(steps[1:], start=1)]
    height = max(len(tag_lines), *(len(lines) for lines in boxes)) * leading + 2 * PAD + 1
    drawing = Drawing(tag_w + count * (ARROW + box_w), height)
    drawing.add(Rect(0.5, 0.5, tag_w - 1, height - 1, rx=4, ry=4, fillColor=colors.HexColor("#E4E8EE"),
                     strokeColor=colors.black, strokeWidth=0.6))
    _text(drawing, [(line, regular) for line in tag_lines], tag_w / 2, height, leading, size)
    x = tag_w
    for index, lines in enumerate(boxes, start=1):
        _arrow(drawing, x, height / 2)
        x += ARROW
        drawing.add(Rect(x + 0.8, 0.8, box_w - 1.6, height - 1.6, fillColor=colors.white,
                         strokeColor=colors.black, strokeWidth=1.6 if index == count else 0.6))
        _text(drawing, lines, x + box_w / 2, height, leading, size)
        x += box_w
    return drawing


def _box_lines(label: str, years: int, box_w: float, font: str, bold: str,
               size: float) -> list[tuple[str, str]]:
    """The (text, font) lines of one step's box: its name, then its length in bold."""
    lines = [(line, font) for line in wrap(short_label(label), box_w - 2 * PAD, font, size)]
    if years:
        lines.append((years_words(years), bold))
    return lines


def short_label(label: str) -> str:
    """A stage's name shortened for a narrow box: known long phrases, no leading article."""
    for long, short in _SHORT:
        label = label.replace(long, short)
    for article in ("un ", "une ", "le ", "la "):
        if label.startswith(article):
            label = label[len(article):]
    return label


def _text(drawing: Drawing, lines: list[tuple[str, str]], centre: float, height: float, leading: float,
          size: float) -> None:
    """(text, font) lines centred in a box ``height`` points high."""
    y = height / 2 + (len(lines) - 1) * leading / 2 - size * 0.35
    for line, font in lines:
        drawing.add(String(centre, y, line, fontName=font, fontSize=size, textAnchor="middle"))
        y -= leading


def _arrow(drawing: Drawing, x: float, y: float) -> None:
    drawing.add(Line(x + 1.5, y, x + ARROW - 3, y, strokeColor=colors.black, strokeWidth=0.8))
    drawing.add(Polygon([x + ARROW - 1, y, x + ARROW - 4, y + 2.2, x + ARROW - 4, y - 2.2],
                        fillColor=colors.black, strokeColor=colors.black, strokeWidth=0.1))


def wrap(text: str, width: float, font: str, size: float, max_lines: int = MAX_LINES) -> list[str]:
    """``text`` in at most ``max_lines`` lines of at most ``width`` points; cut with "…" if longer.
    Lines break between words and after an apostrophe ("d'|ingénieur")."""
    pieces = [(piece, index == 0) for word in (text.split() or [""])
              for index, piece in enumerate(re.split(r"(?<=['’])(?=\w)", word))]
    lines: list[str] = []
    current = ""
    for piece, spaced in pieces:
        trial = f"{current} {piece}".strip() if spaced else current + piece
        if stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = piece
    lines.append(current)
    lines = [_fit(line, width, font, size) for line in lines]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1] + "…", width, font, size, force=True)
    return lines


def _fit(line: str, width: float, font: str, size: float, force: bool = False) -> str:
    """``line`` cut to ``width`` points with a final "…" when it is too long."""
    if stringWidth(line, font, size) <= width and not (force and not line.endswith("…")):
        return line
    body = line.rstrip("…")
    while body and stringWidth(body + "…", font, size) > width:
        body = body[:-1]
    return body.rstrip() + "…"
