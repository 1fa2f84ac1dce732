"""How long the year change takes on a generated year of 1,500 students × 4 sessions.

The issue sets no goal for it (it runs once a year); the figures are printed beside floors:
the same class move as one bare sqlite3 UPDATE, and the erasure of every record as bare
sqlite3 DELETEs with ``secure_delete`` on. Times: the preview, the change that moves every
student (retention of one extra year: nothing erased), the undo, and the change that erases
every record (default retention, the worst case). Prints one JSON object.

Usage: ``.venv/bin/python bench/year_change_bench.py``
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.storage.opening import open_database  # noqa: E402
from db.students.privacy import set_retention_extra_years  # noqa: E402
from db.students.year_change import change_year, plan_year_change, undo_year_change  # noqa: E402
from tests.caseload_data import generate  # noqa: E402

TODAY = date(2026, 9, 3)


def _ms(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return round((time.perf_counter() - start) * 1000, 1)


def _floor(path: Path, statements: list[str]) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        return _ms(lambda: conn.executescript("BEGIN;" + ";".join(statements) + ";COMMIT;"))
    finally:
        conn.close()


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-annee-"))
    try:
        path = folder / "annee.sqlite"
        database = open_database(str(path), load_starter=False)
        generate(database)
        set_retention_extra_years(database, 1)
        database.close()
        pristine = folder / "pristine.sqlite"
        shutil.copyfile(path, pristine)
        figures: dict[str, Any] = {"students": 1500, "sessions": 6000}
        database = open_database(str(path), load_starter=False, daily=False)

        def preview() -> None:
            with database.read() as session:
                plan_year_change(session, TODAY)

        figures["preview_ms"] = _ms(preview)
        figures["change_move_all_ms"] = _ms(lambda: change_year(database, "{}", TODAY))
        figures["undo_ms"] = _ms(lambda: undo_year_change(database))
        set_retention_extra_years(database, 0)
        figures["change_erase_all_ms"] = _ms(lambda: change_year(database, "{}", TODAY))
        database.close()
        for name, statements in (("floor_move_all_ms", ["UPDATE students SET classe = classe || '', "
                                                        "annee_scolaire = '2026-2027'"]),
                                 ("floor_erase_all_ms", ["DELETE FROM bilan_handovers", "DELETE FROM sessions",
                                                         "DELETE FROM students"])):
            copy = folder / f"{name}.sqlite"
            shutil.copyfile(pristine, copy)
            figures[name] = _floor(copy, statements)
        figures["goal"] = "aucun objectif fixé par l'issue (une fois par an)"
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
