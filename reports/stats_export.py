"""The anonymous activity statistics as text, CSV and JSON (see :mod:`db.students.stats`).

Only what the protected tables show is written: the figures ("< 5" and "n.c." as such), the
row and column names, the period. Nothing else is read.
"""
from __future__ import annotations

import csv
import io
import json

from db.students.stats import ActivityStats, StatTable
from db.students.suppression import GRAND, PRIMARY, SECONDARY

LEGEND = (f"« {PRIMARY} » : effectif de 1 à 4, masqué ; « {SECONDARY} » : non communiqué, masqué pour qu'on ne "
          "puisse pas retrouver un petit effectif à partir des totaux.")


def table_grid(table: StatTable) -> list[list[str]]:
    """The table as printed: a header row, one row per line, the totals last when additive."""
    counts, shown = table.table.counts, table.table
    two_way = len(table.cols) > 1
    header = [table.row_label, *table.cols, *(["Total"] if two_way and counts.additive else [])]
    grid = [header]
    if not table.cols:  # no session in the period: nothing to publish (and no column to total)
        return grid
    for row in table.rows:
        line = [row, *(shown.text(("cell", row, col)) for col in table.cols)]
        if two_way and counts.additive:
            line.append(shown.text(("row", row)))
        grid.append(line)
    if counts.additive:
        totals = [shown.text(("col", col)) for col in table.cols] if two_way else []
        grid.append(["Total", *totals, shown.text(GRAND)])
    return grid


def stats_text(stats: ActivityStats) -> str:
    """A plain-text report, one aligned table after another."""
    out = [f"Statistiques d'activité {stats.period}", LEGEND, ""]
    for table in stats.tables:
        out.append(table.title)
        grid = table_grid(table)
        if len(grid) == 1:
            out += ["  (aucune donnée à publier)", ""]
            continue
        widths = [max(len(line[i]) for line in grid) for i in range(len(grid[0]))]
        for line in grid:
            out.append("  " + "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                                        for i, (cell, w) in enumerate(zip(line, widths, strict=True))))
        if table.note:
            out.append(f"  {table.note}")
        out.append("")
    return "\n".join(out)


def stats_csv(stats: ActivityStats) -> str:
    """CSV (semicolon, as French spreadsheets expect): one line per figure —
    tableau ; ligne ; colonne ; valeur."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["periode", "tableau", "ligne", "colonne", "valeur"])
    for table in stats.tables:
        grid = table_grid(table)
        for line in grid[1:]:
            for col, value in zip(grid[0][1:], line[1:], strict=True):
                writer.writerow([stats.period, table.title, line[0], col, value])
    return buffer.getvalue()


def stats_json(stats: ActivityStats) -> str:
    """JSON: the period, the legend, and each table as its printed grid."""
    document = {"format": "orientation-statistiques/1", "debut": stats.start.isoformat(), "fin": stats.end.isoformat(),
                "legende": LEGEND,
                "tableaux": [{"titre": t.title, "note": t.note, "grille": table_grid(t)} for t in stats.tables]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
