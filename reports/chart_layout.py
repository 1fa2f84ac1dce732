"""Where the circles of the bilan's « Études et salaire » chart go: none hides another, and none
is moved so far that it reads as another level of study or leaves the plot."""
from __future__ import annotations

from collections.abc import Callable, Sequence


def circle_centres(spots: Sequence[tuple[float, float]], step: float, band: float,
                    rows: tuple[float, float]) -> list[tuple[float, float]]:
    """Where each circle of the chart goes (``spots``: where its level and salary put it), so
    that none hides another (centres ``step`` apart) and each stays nearer its level's line than
    any other (within ``band`` of it: past half-way it would read as the next level) and inside
    the plot (``rows``: lowest and highest centre; lower, it would hide the axis' labels).

    A wide chart puts a circle beside the one already there (:func:`_free_spot`): its salary
    stays exact. In a narrow one (no room beside), the circles of a level that would touch are
    spread up and down around their own salaries, as little as possible (:func:`_spread`)."""
    if band >= step:
        placed: list[tuple[float, float]] = []
        for x, y in spots:
            placed.append(_free_spot(x, y, placed, step, band, rows))
        return placed
    centres = list(spots)
    for x in {x for x, _ in spots}:
        members = sorted((i for i, spot in enumerate(spots) if spot[0] == x), key=lambda i: spots[i][1])
        for i, y in zip(members, _spread([spots[i][1] for i in members], step, rows), strict=True):
            centres[i] = (x, y)
    return centres


def _spread(targets: list[float], step: float, rows: tuple[float, float]) -> list[float]:
    """Heights for ``targets`` (sorted), at least ``step`` apart, each group that had to be
    spread centred on its members' own heights (the least total move), within ``rows``."""
    groups: list[list[float]] = []  # members' targets; a group's circles sit step apart
    for target in targets:
        groups.append([target])
        while len(groups) > 1 and _bottom(groups[-1], step) < _bottom(groups[-2], step) + len(groups[-2]) * step:
            groups[-2:] = [groups[-2] + groups[-1]]  # they would touch: one group
    heights = [_bottom(group, step) + i * step for group in groups for i in range(len(group))]
    if heights and heights[0] < rows[0]:  # pushed below the plot: lifted, all together
        heights = [h + rows[0] - heights[0] for h in heights]
    if heights and heights[-1] > rows[1]:
        heights = [h - (heights[-1] - rows[1]) for h in heights]
    return heights


def _bottom(group: list[float], step: float) -> float:
    """The lowest circle's height of a group centred on its members' heights."""
    return sum(group) / len(group) - (len(group) - 1) * step / 2


def _free_spot(x: float, y: float, placed: Sequence[tuple[float, float]], step: float, band: float,
               rows: tuple[float, float]) -> tuple[float, float]:
    """Where a circle of a wide chart goes: at (x, y) unless a circle of ``placed`` is there,
    else the nearest free spot a ``step`` apart — beside it, right then left, within ``band``
    of x, then a row above or below, inside ``rows``."""
    sideways = [0.0]
    for n in range(1, int(band // step) + 1):
        sideways += [n * step, -n * step]
    for row in range(24):
        cy = y + (row + 1) // 2 * step * (1 if row % 2 else -1)
        if row and not rows[0] - 0.5 <= cy <= rows[1] + 0.5:
            continue
        for dx in sideways:
            if not any(abs(x + dx - ox) < step - 0.5 and abs(cy - oy) < step - 0.5 for ox, oy in placed):
                return x + dx, cy
    return x, y  # the column is full: drawn over (no list of métiers has that many)


def same_spot(points: Sequence[tuple[str, float, float]], close: float,
              fits: Callable[[str, float], bool]) -> list[tuple[str, float, float]]:
    """``points`` (label, level, salary) with those of one level whose salaries are within
    ``close`` of each other (in a chain) made one, labelled with every label, at their mean
    salary, as long as ``fits(label, level)`` (a marker that long would reach the next level's
    markers: the rest make another). For a narrow chart: three equal salaries spread up and
    down read as three salaries (the lowest on the graduation below); « 1 2 3 » says they are one."""
    merged: list[tuple[str, float, float]] = []
    for level in dict.fromkeys(x for _, x, _ in points):  # the levels in the order first met
        group: list[tuple[str, float]] = []
        for label, salary in sorted(((lb, y) for lb, x, y in points if x == level), key=lambda item: item[1]):
            if group and (salary - group[-1][1] > close or not fits(_one([*group, (label, salary)], level)[0], level)):
                merged.append(_one(group, level))
                group = []
            group.append((label, salary))
        merged.append(_one(group, level))
    return merged


def _one(group: list[tuple[str, float]], level: float) -> tuple[str, float, float]:
    labels = sorted((label for label, _ in group), key=lambda label: (len(label), label))
    return "\u2009".join(labels), level, sum(salary for _, salary in group) / len(group)
