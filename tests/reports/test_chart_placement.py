"""The « Études et salaire » chart of the bilan: a métier's circle may be moved aside so that it
does not hide another, but never so far that it reads as another level of study, nor out of
the plot, and in a narrow chart only a little away from its salary; there, equal salaries of
one level are one marker listing their numbers."""
from __future__ import annotations

import dataclasses
from itertools import pairwise
from typing import NamedTuple

import pytest
from reportlab.graphics.shapes import Circle, Drawing, Rect, String

from reports.pdf import LargePrintRenderer, ReportRenderer, register_fonts
from reports.words import short_level
from tests.reports.test_pdf import sample_report

Points = list[tuple[int, int, int]]  # (number, bac_plus, salary)


def chart(renderer_class: type[ReportRenderer], points: Points, narrow: bool = False) -> Drawing:
    """The chart of ``points``, full width or as wide as beside a métier card (half)."""
    renderer = renderer_class(sample_report())
    register_fonts()
    renderer.styles = renderer.build_styles()  # as render() prepares them
    renderer.blocks = renderer.make_blocks()
    width = renderer.layout.frame_width / (2 if narrow else 1)
    return renderer.blocks._scatter(points, width)


def circles(drawing: Drawing) -> list[Circle]:
    return [shape for shape in drawing.contents if isinstance(shape, Circle)]


class Marker(NamedTuple):
    numbers: tuple[int, ...]
    cx: float
    cy: float
    half_width: float
    r: float


def markers(drawing: Drawing) -> list[Marker]:
    """Each marker (a circle, or the rounded box of several métiers at one spot) with the
    numbers written in it (the string drawn right after it)."""
    found: list[Marker] = []
    shapes = drawing.contents
    for shape, label in pairwise(shapes):
        if not isinstance(label, String) or not label.text.replace("\u2009", "").isdigit():
            continue
        numbers = tuple(int(n) for n in label.text.split())
        if isinstance(shape, Circle):
            found.append(Marker(numbers, shape.cx, shape.cy, shape.r, shape.r))
        elif isinstance(shape, Rect) and shape.rx:  # the plot's frame has square corners
            found.append(Marker(numbers, shape.x + shape.width / 2, shape.y + shape.height / 2, shape.width / 2,
                                shape.height / 2))
    return found


def level_x(drawing: Drawing) -> dict[int, float]:
    """The x of each level's label on the axis."""
    labels = {shape.text: shape.x for shape in drawing.contents if isinstance(shape, String)}
    return {level: labels[short_level(level)] for level in range(-3, 9) if short_level(level) in labels}


def salary_y(drawing: Drawing, salary: float) -> float:
    """The height of ``salary``, read from two graduations of the axis ("2 000 €", each label
    written 3/6.5 of a circle's radius below its line)."""
    marks = sorted((int(shape.text.replace("\u00a0", "").rstrip("€")), shape.y) for shape in drawing.contents
                   if isinstance(shape, String) and shape.text.endswith("€"))
    (v0, y0), (v1, y1) = marks[0], marks[-1]
    below = 3 * circles(drawing)[0].r / 6.5
    return y0 + below + (salary - v0) * (y1 - y0) / (v1 - v0)


def assert_readable(drawing: Drawing, points: Points) -> None:
    """Each métier's number drawn once, nearer its own level's line than any other, and no
    marker over another."""
    drawn = markers(drawing)
    axis = level_x(drawing)
    where = {number: marker for marker in drawn for number in marker.numbers}
    assert sorted(n for marker in drawn for n in marker.numbers) == sorted(n for n, _, _ in points)
    for number, level, _salary in points:
        nearest = min(axis, key=lambda lvl: abs(axis[lvl] - where[number].cx))
        assert nearest == level, f"métier {number} drawn nearer to {short_level(nearest)} than to {short_level(level)}"
    for i, a in enumerate(drawn):
        for b in drawn[i + 1:]:
            assert abs(a.cx - b.cx) >= a.half_width + b.half_width or abs(a.cy - b.cy) >= a.r + b.r


CROWDED: Points = [(1, 3, 1900), (2, 3, 1900), (3, 3, 1900), (4, 2, 1900), (5, 5, 2500), (6, -2, 1767),
                   (7, 3, 1900)]


@pytest.mark.parametrize("renderer_class", [ReportRenderer, LargePrintRenderer])
@pytest.mark.parametrize("narrow", [False, True])
def test_crowded_circles_stay_on_their_level(renderer_class: type[ReportRenderer], narrow: bool) -> None:
    # Seven métiers as a student's list can hold them: four at bac + 3 with the same salary.
    assert_readable(chart(renderer_class, CROWDED, narrow), CROWDED)


def test_in_a_wide_chart_equal_salaries_sit_side_by_side() -> None:
    drawing = chart(ReportRenderer, CROWDED)
    at_three = [c for (_n, level, _s), c in zip(CROWDED, circles(drawing), strict=True) if level == 3]
    exact = [c for c in at_three if abs(c.cy - salary_y(drawing, 1900)) < 0.01]
    assert len(exact) >= 3  # three side by side at their salary; the fourth in the row above
    assert max(abs(c.cx - level_x(drawing)[3]) for c in at_three) < 0.5 * (level_x(drawing)[5] - level_x(drawing)[3])


@pytest.mark.parametrize("renderer_class", [ReportRenderer, LargePrintRenderer])
def test_in_a_narrow_chart_circles_move_little_from_their_salary(renderer_class: type[ReportRenderer]) -> None:
    # A real list (the chart beside the last card): four web jobs at bac + 3, 2 100 to 2 300 €.
    points = [(1, 3, 2100), (2, 3, 2100), (3, 3, 2200), (4, 2, 2800), (5, 5, 2915), (6, 5, 3200), (7, 3, 2300)]
    drawing = chart(renderer_class, points, narrow=True)
    assert_readable(drawing, points)
    where = {number: marker for marker in markers(drawing) for number in marker.numbers}
    step = where[3].r * 2 + 1
    for number, _level, salary in points:
        # Four métiers in one column: each within two circles' height of where its salary is.
        assert abs(where[number].cy - salary_y(drawing, salary)) < 2 * step, number
    assert where[7].cy > where[3].cy > where[1].cy  # the highest salary stays the highest


def test_a_circle_moved_aside_stays_inside_the_plot() -> None:
    # The lowest salaries of the list, four of them equal: none may go down over the axis' labels.
    points = [(1, 3, 1800), (2, 3, 1800), (3, 3, 1800), (4, 3, 1800), (5, 5, 2600)]
    for narrow in (False, True):
        drawing = chart(ReportRenderer, points, narrow)
        label = next(s for s in drawing.contents if isinstance(s, String) and s.text == "+3")
        assert all(circle.cy - circle.r >= label.y + 9 for circle in circles(drawing))


def test_a_lone_circle_sits_exactly_on_its_level() -> None:
    drawing = chart(ReportRenderer, [(1, 3, 1900), (2, 5, 2600)])
    axis = level_x(drawing)
    assert [round(c.cx, 3) for c in circles(drawing)] == [round(axis[3], 3), round(axis[5], 3)]


@pytest.mark.parametrize("renderer_class", [ReportRenderer, LargePrintRenderer])
def test_in_a_narrow_chart_equal_salaries_are_one_marker_at_their_salary(renderer_class: type[ReportRenderer]) -> None:
    # Three CAP métiers at 1 823, 1 823 and 1 801 € (≈ SMIC) were spread up and down: the lowest
    # sat on the 1 750 € line. One marker « 1 2 3 » now sits at their salary.
    points = [(1, -2, 1823), (2, -2, 1823), (3, -2, 1801), (4, 3, 2100)]
    drawing = chart(renderer_class, points, narrow=True)
    assert_readable(drawing, points)
    (shared,) = [m for m in markers(drawing) if len(m.numbers) > 1]
    assert shared.numbers == (1, 2, 3)
    assert abs(shared.cy - salary_y(drawing, (1823 + 1823 + 1801) / 3)) < 0.5
    wide = chart(renderer_class, points)  # room beside: three circles, each at its own salary
    assert all(len(m.numbers) == 1 for m in markers(wide))


def test_under_its_own_heading_the_chart_is_not_named_twice() -> None:
    # Without a comparison the section's heading is « Études et salaire »: the caption read
    # « Études et salaire : chaque numéro… » right under it.
    from reports.pdf import render_report
    from tests.reports.test_pdf import all_text

    text = all_text(render_report(dataclasses.replace(sample_report(), comparison=None)))
    assert "Chaque numéro est un métier de ta liste" in text
    assert "Études et salaire : chaque numéro" not in text
    assert "Études et salaire : chaque numéro" in all_text(render_report(sample_report()))  # under « Comparaison »
