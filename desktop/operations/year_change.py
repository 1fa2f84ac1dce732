"""The year change as the window and ``orientation annee changer`` run it: the closing year's
anonymous statistics are computed first (the change may erase the sessions they count), kept in
the database and, when the counselor picks a folder, written there as CSV and PDF; then
:func:`db.students.year_change.change_year` does the rest in one transaction."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from db.errors import UserError
from db.storage.engine import Database
from db.students.year_change import YearChangeResult, closing_year


def year_statistics_json(database: Database, year: str) -> str:
    """The protected statistics of the school ``year`` as JSON text (no name, no id, no note)."""
    from db.students.stats import activity_stats, period_from
    from reports.stats_export import stats_json

    start, end = period_from(year, None, None, date.today())
    with database.read() as session:
        return stats_json(activity_stats(session, start, end))


def write_year_files(database: Database, year: str, folder: Path) -> list[Path]:
    """Write ``statistiques-<year>.csv`` and ``.pdf`` into ``folder`` (owner-only files)."""
    from db.storage.files import private_dir, write_atomically
    from db.students.stats import activity_stats, period_from
    from reports.stats_export import stats_csv
    from reports.stats_pdf import write_stats_pdf

    start, end = period_from(year, None, None, date.today())
    with database.read() as session:
        stats = activity_stats(session, start, end)
    try:
        private_dir(Path(folder).expanduser())
    except OSError as exc:
        raise UserError(f"le dossier « {folder} » ne peut pas être créé : choisissez-en un autre") from exc
    base = Path(folder).expanduser() / f"statistiques-{year}"
    return [write_atomically(base.with_suffix(".csv"), stats_csv(stats).encode("utf-8")),
            write_stats_pdf(stats, base.with_suffix(".pdf"))]


def run_year_change(database: Database, *, today: date | None = None, year: str | None = None,
                    mapping: dict[str, str | None] | None = None,
                    folder: Path | None = None) -> tuple[YearChangeResult, list[Path]]:
    """Archive the statistics (and write them into ``folder`` when given), then change the year.
    A failure before the change (folder, backup) leaves the database as it was."""
    from db.students.year_change import change_year, plan_year_change

    with database.read() as session:  # refuse a bad mapping or a closed year before writing files
        plan = plan_year_change(session, today, year, mapping)
    year = plan.closing or closing_year(today or date.today())
    written = write_year_files(database, year, folder) if folder is not None else []
    result = change_year(database, year_statistics_json(database, year), today, year, mapping)
    return result, written
