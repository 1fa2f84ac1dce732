"""How fast suggestions follow a session, on the starter catalogue and on synthetic catalogues.

For a few typical sessions (interests, level, salary, sectors wished or refused) the benchmark
times :func:`db.students.suggest.suggest` (top 20, as ``orientation suggest`` shows them; the
window asks for 50 on a worker thread) and takes the median over repeats and then over sessions.
Its floor is the very same SQL run on a bare sqlite3 connection: what is left above it is
SQLAlchemy and the scoring in Python. It also counts the distinct scores in each top 20 (the
fewer, the more the alphabet decides the order; a session with only a sector wished has little
else to rank by). Prints one JSON object.

The starter catalogue is loaded into a fresh temporary database; the synthetic ones are
:func:`filter_bench.catalogue`'s (cached under $ORIENTATION_BENCH_DIR).
Usage: ``.venv/bin/python bench/suggest_bench.py [--sizes 10000,100000]``
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


from db.storage.engine import Database  # noqa: E402
from db.storage.opening import open_database  # noqa: E402
from db.students.store import SessionState  # noqa: E402
from db.students.suggest import suggest  # noqa: E402

REPEATS = 15
LIMIT = 20
AUTOMOBILE, HEALTH, DEFENCE = "T-IDEO2.4859", "T-IDEO2.4869", "T-IDEO2.4839"
TYPICAL = "social_bac3"  # its number of distinct scores in the top 20 is the headline figure
PROFILES: dict[str, dict[str, Any]] = {
    "social_bac3": {"interests": ["T-IDEO2.4812", "T-IDEO2.4817", "T-IDEO2.4815"], "max_bac_plus": 3,
                    "min_salary": 1900},
    "sensations_sport": {"interests": ["T-IDEO2.4826", "T-IDEO2.4827"], "max_bac_plus": 0,
                         "sectors_refused": [DEFENCE]},
    "automobile": {"interests": ["T-IDEO2.4806", "T-IDEO2.4822"], "sectors_wished": [AUTOMOBILE],
                   "max_bac_plus": 0, "min_salary": 1900},
    "cinq_interets": {"interests": ["T-IDEO2.4805", "T-IDEO2.4813", "T-IDEO2.4824", "T-IDEO2.4825",
                                    "T-IDEO2.5723"]},
    "secteur_seul": {"sectors_wished": [HEALTH], "min_salary": 2000},
}


def _state(fields: dict[str, Any]) -> SessionState:
    return SessionState(student_id=0, date="2026-11-20", **fields)


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def time_suggest(database: Database, fields: dict[str, Any]) -> tuple[float, int]:
    """Median ms of one top-20 suggestion for this session, and its number of distinct scores."""
    state = _state(fields)
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        with database.read() as session:
            results = suggest(session, state, limit=LIMIT)
        samples.append(time.perf_counter() - started)
    return _median_ms(samples), len({r.score for r in results})


def _statements(database: Database, fields: dict[str, Any]) -> list[tuple[str, Any]]:
    """The SELECTs (with parameters) that one suggestion runs, captured as it runs."""
    import filter_bench

    return filter_bench.captured_selects(database, lambda session: suggest(session, _state(fields), limit=LIMIT))


def time_floor(database: Database, fields: dict[str, Any]) -> float:
    """Median ms of the same SQL on a bare sqlite3 connection (no SQLAlchemy, no scoring)."""
    import filter_bench

    return filter_bench.replay_ms(database, _statements(database, fields), REPEATS)


def measure(database: Database, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Figures for one catalogue (keys suffixed with ``tag``) and the per-session detail."""
    timed = {name: time_suggest(database, fields) for name, fields in PROFILES.items()}
    floors = {name: time_floor(database, fields) for name, fields in PROFILES.items()}
    result = {f"suggest_ms_{tag}": statistics.median(ms for ms, _ in timed.values()),
              f"suggest_max_ms_{tag}": max(ms for ms, _ in timed.values()),
              f"suggest_floor_ms_{tag}": statistics.median(floors.values()),
              f"suggest_distinct_scores_{tag}": timed[TYPICAL][1]}
    detail = {name: {"suggestion_ms": timed[name][0], "sql_ms": floors[name], "scores_distincts_top20": timed[name][1]}
              for name in PROFILES}
    return result, detail


def starter() -> tuple[dict[str, Any], dict[str, Any]]:
    """Figures on the starter catalogue, loaded into a fresh temporary database."""
    folder = Path(tempfile.mkdtemp(prefix="orientation-bench-suggest-"))
    try:
        database = open_database(str(folder / "orientation.sqlite"), backups=False)
        try:
            return measure(database, "starter")
        finally:
            database.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(sizes: list[int]) -> dict[str, Any]:
    """Every figure: the starter catalogue, then each synthetic size."""
    import filter_bench

    result, detail = starter()
    details = {"starter": detail}
    for size in sizes:
        database = filter_bench.catalogue(size)
        try:
            figures, details[f"{size // 1000}k"] = measure(database, f"{size // 1000}k")
        finally:
            database.close()
        result.update(figures)
    result["detail"] = details
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000", help="tailles des catalogues synthétiques (ex. 10000,100000)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(json.dumps(run(sizes), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
