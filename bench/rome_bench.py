"""ROME import into a counselor's real catalogue, against its parse-only floor, printed as JSON.

    python bench/rome_bench.py [--runs 3]

The catalogue is the starter one plus the ONISEP Markdown fiches and the 2024 Idéo XML export
(../shared/data), built once; each run imports the ROME reference tables
(``unix_referentiel_*.csv``) into a fresh copy of it. The floor is parsing the same files with no
database. Import and floor alternate in one run; medians are printed with their ratio (goal ≤ 3),
the number of SQL statements the import issued, and what SQLite alone takes to write the ROME
titles' full-text rows the import wrote (one row per ROME code since migration 0015, a floor under
the import's refresh: one executemany in one transaction, no Python beyond the driver). CPU times
(``time.process_time``) are printed beside wall-clock ones: on a shared machine they move less.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ORIENTATION_NO_BACKGROUND_CHECK", "1")  # the bench times the import, not a check

from sqlalchemy import event  # noqa: E402

from db.catalogue.importers import parse_path  # noqa: E402
from db.catalogue.importing import import_paths  # noqa: E402
from db.storage.opening import open_database  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
GOAL_RATIO = 3.0


def build_catalogue(folder: Path) -> Path:
    """The starter catalogue plus the ONISEP imports, closed, ready to copy."""
    path = folder / "catalogue.sqlite"
    database = open_database(str(path), backups=False)
    summary = import_paths(database, [SHARED / "onisep-metiers-md", SHARED / "onisep-ideo-xml-2024"])
    database.close()
    if summary.refused:
        raise SystemExit(f"{summary.refused} fichier(s) ONISEP refusé(s) : catalogue incomplet")
    return path


def one_import(base: Path, folder: Path, files: list[Path], run: int) -> tuple[float, float, int, int, Path]:
    """Seconds (wall, CPU) to import ``files`` into a copy of ``base``, SQL statements issued,
    métiers, and the imported copy."""
    copy = folder / f"run-{run}.sqlite"
    shutil.copy(base, copy)
    database = open_database(str(copy), backups=False, daily=False)
    statements = [0]
    event.listen(database.engine, "before_cursor_execute", lambda *args: statements.__setitem__(0, statements[0] + 1))
    start, cpu = time.perf_counter(), time.process_time()
    summary = import_paths(database, files)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    with database.engine.connect() as conn:
        metiers = conn.exec_driver_sql("SELECT count(*) FROM metiers").scalar_one()
    database.close()
    if summary.refused:
        raise SystemExit("fichier ROME refusé")
    return elapsed, cpu, statements[0], int(metiers), copy


def index_write(base: Path, imported: Path, folder: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) for SQLite alone to write, into a copy of ``base``, the ROME titles'
    index rows the import wrote in ``imported`` (``rome_fts``, one row per code, migration 0015):
    the full-text index's own cost of following the import, one transaction."""
    import sqlite3

    with sqlite3.connect(imported) as source:
        rows = source.execute("SELECT code, titles FROM rome_fts").fetchall()
    copy = folder / "index-floor.sqlite"
    shutil.copy(base, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO rome_fts (code, titles) VALUES (?, ?)", rows)
        conn.execute("COMMIT")
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        conn.close()


def parse_only(files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        parse_path(path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not SHARED.exists():
        print(json.dumps({"erreur": "../shared absent : pas de données réelles à importer"}))
        return
    files = sorted((SHARED / "rome-v460").glob("unix_referentiel_*.csv"))
    with tempfile.TemporaryDirectory(prefix="rome-bench-") as tmp:
        folder = Path(tmp)
        base = build_catalogue(folder)
        imports, cpus, floors, floor_cpus, index_walls, index_cpus = [], [], [], [], [], []
        for run in range(args.runs):
            cpu = time.process_time()
            floors.append(parse_only(files))
            floor_cpus.append(time.process_time() - cpu)
            elapsed, cpu, statements, metiers, imported = one_import(base, folder, files, run)
            imports.append(elapsed)
            cpus.append(cpu)
            index_wall, index_cpu = index_write(base, imported, folder)
            index_walls.append(index_wall)
            index_cpus.append(index_cpu)
            imported.unlink()
    import_s, floor_s = statistics.median(imports), statistics.median(floors)
    index_s = statistics.median(index_walls)
    print(json.dumps({"files": [p.name for p in files], "metiers": metiers, "runs": args.runs,
                      "rome_import_s": round(import_s, 3), "rome_parse_only_s": round(floor_s, 3),
                      "rome_import_ratio": round(import_s / floor_s, 2), "goal_ratio": GOAL_RATIO,
                      "rome_import_cpu_s": round(statistics.median(cpus), 3),
                      "rome_parse_only_cpu_s": round(statistics.median(floor_cpus), 3),
                      "index_write_of_imported_texts_s": round(index_s, 3),
                      "index_write_of_imported_texts_cpu_s": round(statistics.median(index_cpus), 3),
                      "rome_import_ratio_to_parse_plus_index": round(import_s / (floor_s + index_s), 2),
                      "sql_statements": statements, "load_average": os.getloadavg()}, indent=2))


if __name__ == "__main__":
    main()
