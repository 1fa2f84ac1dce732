"""The route drawn as a timeline: the class, each step with its length, the diploma framed thick;
always inside the width it is given, long names cut rather than overflowing."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.styles import FONT_BOLD, FONT_REGULAR, register_fonts
from reports.timeline import route_timeline

INFIRMIER = [("3e", 0), ("2de générale et technologique", 1), ("bac général ou technologique", 2),
             ("diplôme d'État d'infirmier", 3)]


def _draw(steps: list[tuple[str, int]], width: float = 240) -> Drawing:
    register_fonts()
    drawing = route_timeline(steps, width, FONT_REGULAR, FONT_BOLD, 7.5)
    assert drawing is not None
    return drawing


def _strings(drawing: Drawing) -> list[String]:
    return [item for item in drawing.contents if isinstance(item, String)]


def test_each_step_shows_its_name_and_years_and_the_diploma_is_framed_thick():
    drawing = _draw(INFIRMIER)
    texts = [s.text for s in _strings(drawing)]
    assert texts[0] == "3e"
    assert "2de GT" in texts and "1 an" in texts and texts.count("2 ans") == 1 and texts[-1] == "3 ans"
    assert "infirmier" in " ".join(texts)
    frames = [r.strokeWidth for r in drawing.contents if isinstance(r, Rect)]
    assert len(frames) == 4 and frames[-1] > max(frames[:-1])  # the diploma's box stands out


def test_the_drawing_keeps_inside_its_width_even_with_long_names():
    long = [("terminale professionnelle", 0),
            ("une classe préparatoire aux grandes écoles (CPGE) ou un BUT", 2),
            ("diplôme d'ingénieur de l'école nationale supérieure des techniques avancées de Bretagne", 3)]
    drawing = _draw(long, width=170)
    assert drawing.width <= 170
    for text in _strings(drawing):
        font = text.fontName
        assert stringWidth(text.text, font, text.fontSize) / 2 <= min(text.x, drawing.width - text.x) + 0.01
    assert any(s.text.endswith("…") for s in _strings(drawing))  # cut, said so


def test_nothing_is_drawn_without_a_step_after_the_class():
    register_fonts()
    assert route_timeline([("3e", 0)], 200, FONT_REGULAR, FONT_BOLD) is None
    assert route_timeline([], 200, FONT_REGULAR, FONT_BOLD) is None
