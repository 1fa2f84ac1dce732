"""How fast the caseload answers, on generated years of 1,500 and 10,000 students (4 sessions each).

Goal (issue 19): under 200 ms with 1,500 students × 4 sessions for a filter change (first page
of 200 rows, the number of matching students and the per-class counts). For each filter the
median of several runs through :mod:`db.students.caseload` is printed beside its floor: the
same SQL statements run directly on sqlite3 (no SQLAlchemy). Prints one JSON object.

Also times the anonymous statistics of the school year (:func:`db.students.stats.activity_stats`,
goal under 1 s at 1,500 students) and their one-page PDF, beside the floor of the bare
sqlite3 read of the period's sessions.

Usage: ``.venv/bin/python bench/caseload_bench.py [--sizes 1500,10000]``
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from db.storage.engine import Database  # noqa: E402
from db.storage.opening import open_database  # noqa: E402
from db.students import caseload as cl  # noqa: E402
from tests.caseload_data import generate  # noqa: E402

GOAL_MS = 200.0
STATS_GOAL_MS = 1000.0
REPEATS = 9
TODAY = date(2026, 6, 1)
FILTERS = {
    "tous": cl.CaseloadFilter(),
    "pas_vu_60j": cl.CaseloadFilter(not_seen_days=60, today=TODAY),
    "aucun_entretien": cl.CaseloadFilter(no_session=True),
    "aucun_metier": cl.CaseloadFilter(no_shortlist=True),
    "bilan_non_remis": cl.CaseloadFilter(bilan_not_given=True),
    "classe_combine": cl.CaseloadFilter(etablissement="Lycée Ampère", classe="1re G2", no_shortlist=True,
                                        bilan_not_given=True, not_seen_days=30, today=TODAY),
}


def _median_ms(run: Callable[[], Any]) -> float:
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def _filter_change(database: Database, filt: cl.CaseloadFilter) -> None:
    """What the window does on a filter change: first page, number of matches, per-class counts."""
    with database.read() as session:
        cl.caseload(session, filt, limit=200)
        cl.count_caseload(session, filt)
        cl.class_counts(session, filt)


def _floor_sql(database: Database, filt: cl.CaseloadFilter) -> list[str]:
    """The same three statements as plain SQL text (literal values)."""
    from db.models import Student

    conditions = cl._conditions(filt)
    page = (select(Student.id, Student.nom, Student.prenom, Student.classe, Student.etablissement,
                   Student.last_session_on).where(*conditions)
            .order_by(Student.etablissement, Student.classe, Student.search_key, Student.id).limit(200))
    from sqlalchemy import func

    count = select(func.count()).select_from(Student).where(*conditions)
    dialect = database.engine.dialect
    texts = [str(q.compile(dialect=dialect, compile_kwargs={"literal_binds": True})) for q in (page, count)]
    with database.read() as session:  # the per-class query, captured as run
        captured: list[str] = []
        from sqlalchemy import event

        def grab(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            captured.append(statement if not params else _inline(statement, params))

        event.listen(database.engine, "before_cursor_execute", grab)
        try:
            cl.class_counts(session, filt)
        finally:
            event.remove(database.engine, "before_cursor_execute", grab)
    return texts + captured[-1:]


def _inline(statement: str, params: Any) -> str:
    for value in params:
        statement = statement.replace("?", repr(value) if isinstance(value, str) else str(value), 1)
    return statement


def _plans(path: Path, statements: list[str]) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [" | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {s}")) for s in statements]


def bench(size: int, folder: Path) -> dict[str, Any]:
    path = folder / f"caseload-{size}.sqlite"
    database = open_database(str(path), load_starter=False, backups=False)
    generate(database, students=size, sessions=size * 4)
    figures: dict[str, Any] = {}
    for name, filt in FILTERS.items():
        _filter_change(database, filt)  # warm
        figures[f"{name}_ms"] = _median_ms(lambda f=filt: _filter_change(database, f))  # type: ignore[misc]
        statements = _floor_sql(database, filt)
        with sqlite3.connect(path) as conn:
            figures[f"{name}_floor_ms"] = _median_ms(lambda s=statements, c=conn: [c.execute(x).fetchall() for x in s])  # type: ignore[misc]
        if name == "classe_combine":
            figures["plans_classe_combine"] = _plans(path, statements)
    figures.update(_stats_figures(database, path))
    database.close()
    worst = max(v for k, v in figures.items() if k.endswith("_ms") and "floor" not in k and "stats" not in k)
    figures["worst_ms"] = worst
    figures["goal_ms"] = GOAL_MS
    return figures


def _stats_figures(database: Database, path: Path) -> dict[str, Any]:
    from db.students.stats import activity_stats
    from reports.stats_pdf import render_stats_pdf

    start, end = date(2025, 9, 1), date(2026, 8, 31)

    def tables() -> Any:
        with database.read() as session:
            return activity_stats(session, start, end)

    stats = tables()
    floor_sql = ("SELECT s.date, st.etablissement, st.classe FROM sessions s JOIN students st ON st.id = s.student_id "
                 "WHERE s.date BETWEEN '2025-09-01' AND '2026-08-31'")
    with sqlite3.connect(path) as conn:
        floor = _median_ms(lambda: conn.execute(floor_sql).fetchall())
    return {"stats_ms": _median_ms(tables), "stats_floor_ms": floor,
            "stats_pdf_ms": _median_ms(lambda: render_stats_pdf(stats)), "stats_goal_ms": STATS_GOAL_MS}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1500,10000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        result = {f"caseload_{size}": bench(int(size), Path(folder)) for size in args.sizes.split(",")}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
