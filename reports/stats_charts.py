"""What the statistics charts show, once, for the PDF (:mod:`reports.stats_pdf`) and the window.

Contract: :func:`stats_charts` takes :class:`db.students.stats.ActivityStats` and returns the
charts — sessions per month, sessions per school, levels aimed at — as plain values: only
what the protected tables show (a figure hidden as "< 5" or "n.c." has no bar, its mark is its
label). No Qt, no reportlab, no database access.
"""
from __future__ import annotations

from dataclasses import dataclass

from db.students.stats import ActivityStats, StatTable

SHORT_MONTHS = {"janvier": "janv.", "février": "févr.", "mars": "mars", "avril": "avr.", "mai": "mai",
                "juin": "juin", "juillet": "juil.", "août": "août", "septembre": "sept.", "octobre": "oct.",
                "novembre": "nov.", "décembre": "déc."}
MONTHS = "Entretiens par mois"
SCHOOLS = "Entretiens par établissement et niveau de classe"
LEVELS = "Niveau d'études visé"  # the start of that table's title


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None when the table hides it) and the figure as shown."""

    label: str
    value: int | None
    shown: str


@dataclass(frozen=True)
class Chart:
    """A bar chart: vertical bars (months) or horizontal ones (long labels)."""

    title: str
    bars: tuple[Bar, ...]
    horizontal: bool

    def description(self) -> str:
        """French, for screen readers: every bar with its figure as shown."""
        return f"{self.title} : " + " ; ".join(f"{bar.label} {bar.shown}" for bar in self.bars)


def stats_charts(stats: ActivityStats) -> list[Chart]:
    """The charts of the period with at least one figure shown (none without any session, none
    whose every figure the protected tables hide)."""
    by_title = {table.title: table for table in stats.tables}
    charts: list[Chart] = []
    months = by_title.get(MONTHS)
    if months is not None and months.cols:
        column = months.cols[0]
        charts.append(Chart("Entretiens par mois", tuple(
            _bar(months, ("cell", row, column), SHORT_MONTHS.get(row.split()[0], row.split()[0]))
            for row in months.rows), horizontal=False))
    schools = by_title.get(SCHOOLS)
    if schools is not None and schools.cols:
        charts.append(Chart("Entretiens par établissement", tuple(
            _bar(schools, ("row", row), row) for row in schools.rows), horizontal=True))
    levels = next((t for t in stats.tables if t.title.startswith(LEVELS)), None)
    if levels is not None and levels.cols:
        column = levels.cols[0]
        charts.append(Chart("Niveau d'études visé", tuple(
            _bar(levels, ("cell", row, column), row) for row in levels.rows), horizontal=True))
    # A chart whose every figure is hidden (« < 5 ») or 0 would be an empty frame: the tables say it.
    return [chart for chart in charts if any(bar.value for bar in chart.bars)]


def _bar(table: StatTable, key: tuple[str, ...], label: str) -> Bar:
    return Bar(label, table.table.shown(key), table.table.text(key))
