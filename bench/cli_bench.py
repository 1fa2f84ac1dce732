"""``orientation students list --texte mar`` as a whole process on 10,000 students, beside its floor.

Goal (issue 20): at most 3× the floor, a plain ``python -c`` sqlite3 script running the same
query and printing the same rows (:data:`honest.FLOOR_STUDENTS`). The command, the floor and the
command forced onto its ordinary path (SQLAlchemy, the full opening) are alternated, ``--runs``
times each after one warm-up (the warm-up migrates an older cached base and makes the day's
first opening); medians are printed as one JSON object, the ratios beside the goal on stderr.

The database: ``--db PATH`` (copied first, never changed), else the realistic base of
:mod:`realistic_db` when it is cached for this schema (or for an older one: the warm-up
migrates the copy), else 10,000 students × 5 dated sessions written with bulk SQL into a new
database (a few seconds).

Usage: ``.venv/bin/python bench/cli_bench.py [--runs 7] [--db PATH]``
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import honest  # noqa: E402
import realistic_db  # noqa: E402

STUDENTS = 10_000
GOAL = 3.0
ORDINARY = ("import sys; import desktop.cli.student_list as quick; quick.list_quickly = lambda args: None; "
            "from desktop.cli import main; sys.exit(main(sys.argv[1:]))")


def source_base() -> tuple[Path | None, str]:
    """A cached realistic 10,000-student base (this schema's, else the newest older one) and its name."""
    wanted = realistic_db.cache_path(STUDENTS, 0)
    if wanted.exists():
        return wanted, "realistic (cached)"
    older = sorted(realistic_db.CACHE.glob(f"reel-*-e{STUDENTS}-m0.sqlite"), key=lambda p: p.stat().st_mtime)
    return (older[-1], "realistic (older schema cached, migrated by the warm-up)") if older else (None, "")


def bulk_base(path: Path, students: int = STUDENTS) -> Path:
    """A new database holding ``students`` students with 5 dated sessions each, written in bulk SQL."""
    from db.storage.opening import open_database
    from db.text import fold

    open_database(str(path), load_starter=False, daily=False).close()
    rng = random.Random(20)
    noms, prenoms = realistic_db._NOMS, realistic_db._PRENOMS
    start = date(2016, 9, 1)
    with sqlite3.connect(path) as conn:
        for n in range(students):
            nom, prenom = rng.choice(noms), f"{rng.choice(prenoms)} {n}"
            days = sorted(start + timedelta(days=rng.randrange(3650)) for _ in range(5))
            sid = conn.execute("INSERT INTO students (nom, prenom, classe, annee_scolaire, created_at, "
                               "last_session_on, search_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (nom, prenom, rng.choice(realistic_db._CLASSES), "2026-2027",
                                f"{days[0]} 09:00:00.000000", days[-1].isoformat(), fold(f"{nom} {prenom}"))).lastrowid
            conn.executemany("INSERT INTO sessions (student_id, date, next_steps, student_note, private_notes, "
                             "updated_at) VALUES (?, ?, '', '', '', ?)",
                             [(sid, d.isoformat(), f"{d} 10:00:00.000000") for d in days])
    conn.close()
    return path


def measure(db: Path, runs: int, workdir: Path) -> dict[str, Any]:
    """Medians (s) of the command, the floor and the ordinary path, alternated, whole processes."""
    env = honest._env(workdir, ORIENTATION_NO_BACKGROUND_CHECK="1")
    app = [honest.ORIENTATION, "students", "list", "--texte", "mar", "--db", str(db)]
    floor = [honest.PYTHON, "-c", honest.FLOOR_STUDENTS, str(db), "mar"]
    ordinary = [honest.PYTHON, "-c", ORDINARY, *app[1:]]
    for command in (ordinary, app, floor):  # warm-up: migration, the day's first opening, file cache
        honest._wall_s(command, env)
    times: dict[str, list[float]] = {"app": [], "floor": [], "ordinary": []}
    for _ in range(runs):
        for name, command in (("app", app), ("floor", floor), ("ordinary", ordinary)):
            times[name].append(honest._wall_s(command, env))
    app_s, floor_s, ordinary_s = (statistics.median(times[k]) for k in ("app", "floor", "ordinary"))
    return {"cli_students_s": round(app_s, 3), "cli_students_floor_s": round(floor_s, 3),
            "cli_students_ratio": round(app_s / floor_s, 2), "cli_students_ordinary_s": round(ordinary_s, 3),
            "cli_students_ordinary_ratio": round(ordinary_s / floor_s, 2), "runs": runs,
            "app_range_s": [round(min(times["app"]), 3), round(max(times["app"]), 3)],
            "floor_range_s": [round(min(times["floor"]), 3), round(max(times["floor"]), 3)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a database to copy and measure on")
    args = parser.parse_args()
    workdir = honest._workdir()
    try:
        source, kind = (args.db, "given") if args.db else source_base()
        db = workdir / "eleves.sqlite"
        if source is not None:
            shutil.copyfile(source, db)
            db.chmod(0o600)
        else:
            kind = "bulk SQL (no realistic base cached)"
            bulk_base(db)
        with sqlite3.connect(db) as conn:
            count = conn.execute("SELECT count(*) FROM students").fetchone()[0]
        conn.close()
        figures = {"base": kind, "students": count, **measure(db, args.runs, workdir)}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))
    verdict = "met" if figures["cli_students_ratio"] <= GOAL else "NOT met"
    print(f"students list --texte mar: {figures['cli_students_s']} s vs floor {figures['cli_students_floor_s']} s "
          f"= {figures['cli_students_ratio']}x (goal <= {GOAL}x: {verdict}); ordinary path "
          f"{figures['cli_students_ordinary_s']} s = {figures['cli_students_ordinary_ratio']}x", file=sys.stderr)


if __name__ == "__main__":
    main()
