"""A counselor's database as a counselor has one, for the benchmarks (issue 20).

The starter catalogue, then the ONISEP Markdown métiers, the Idéo XML export and the ROME 4.0
referential of ``../shared/data`` imported with the application's own import function (what
``orientation import`` runs); above the real count, synthetic copies of the real fiches (their
own ids and names, written by the application's upsert); then N students with 5 sessions each
spread over ten years, saved through the application's own student functions.

    .venv/bin/python bench/realistic_db.py --students 10000 --metiers 0 --out /tmp/reel.sqlite

``--metiers 0`` keeps the real catalogue (≈ 1,600 métiers). Built databases are cached under
``$ORIENTATION_BENCH_DIR/realistic`` (default /tmp/orientation-bench), keyed by the arguments and
the revision of the application code; ``--out`` receives a copy.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED_DATA = ROOT.parent / "shared" / "data"
CACHE = Path(os.environ.get("ORIENTATION_BENCH_DIR", "/tmp/orientation-bench")) / "realistic"
BUILD_TAG = "r1"  # bump when the generated content changes
SESSIONS_PER_STUDENT = 5
STUDENT_BATCH = 500
TEMPLATE_STUDENTS = 300  # saved through the app (≈ 0.1 s each here); the others are copies of their rows
SESSION_TABLES = ("session_interests", "session_sectors", "shortlist", "comparison")

_NOMS = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
         "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
         "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Marchand")
_PRENOMS = ("Léa", "Hugo", "Manon", "Lucas", "Chloé", "Nathan", "Emma", "Mathis", "Inès", "Enzo", "Camille",
            "Louis", "Sarah", "Maxime", "Jade", "Théo", "Marie", "Adam", "Lina", "Mariam", "Yanis", "Zoé",
            "Rayan", "Margaux", "Gabriel", "Clara", "Noah", "Anaïs", "Marius", "Louna")
_CLASSES = ("3e A", "3e B", "2de 1", "2de 2", "1re G", "1re STMG", "Tle G", "Tle STI2D", "CAP 1", "Bac pro 2")


def sources() -> list[Path]:
    """The shared files imported, in the order a counselor would import them (missing ones skipped)."""
    candidates = [SHARED_DATA / "onisep-metiers-md", SHARED_DATA / "onisep-ideo-xml-2024",
                  SHARED_DATA / "rome-v460"]
    return [path for path in candidates if path.exists()]


def shared_missing() -> str | None:
    """A French sentence when the shared data is absent, else None."""
    if not sources():
        return f"données partagées absentes ({SHARED_DATA}) : base réaliste impossible à construire"
    return None


def _code_revision() -> str:
    """A hash of the database schema (models and migrations): a cached base is rebuilt when it
    changes. Other changes to the application's code keep the cache (a build takes minutes);
    delete the cache folder to rebuild by hand."""
    digest = hashlib.sha256()
    for path in [ROOT / "db" / "models.py", *sorted((ROOT / "db" / "storage" / "migrations").rglob("*.py"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def cache_path(students: int, metiers: int) -> Path:
    """Where the database for these arguments is cached."""
    return CACHE / f"reel-{BUILD_TAG}-{_code_revision()}-e{students}-m{metiers}.sqlite"


def _import(path: Path, paths: list[Path]) -> int:
    """Import ``paths`` into the base at ``path`` (created with its starter catalogue if new),
    with the application's import function; returns the métier count."""
    from db.catalogue.importing import import_paths
    from db.storage.opening import open_database

    database = open_database(str(path), backups=False)
    try:
        summary = import_paths(database, paths)
        if summary.refused or summary.interrupted:
            _say(f"  import : {summary.refused} fichier(s) refusé(s) {summary.interrupted or ''}")
    finally:
        database.close()
    return _count(path, "metiers")


def _count(path: Path, table: str) -> int:
    """Rows in ``table`` of the base at ``path``."""
    with sqlite3.connect(path) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


_COPIED = {"pk": "pk + :shift", "id": "id || :tag", "name": "name || :suffix",
           "label_f": "coalesce(label_f, name) || :suffix", "label_m": "coalesce(label_m, name) || :suffix",
           "sort_key": "sort_key || :suffix", "search_title": "search_title || :suffix", "same_as": "NULL",
           "source_file": "'bench-copies'"}


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    """The column names of ``table``."""
    return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def _add_copies(path: Path, count: int) -> None:
    """Add ``count`` synthetic copies of the real métiers, in bulk SQL: every row of the métier
    and of its link tables copied as the application wrote it, under a new pk, id (``….cK``) and
    name (``… (copie K)``); the application's own triggers index the copies for full-text search.
    (Writing 100k fiches through the application's upsert takes most of an hour here.)"""
    with sqlite3.connect(path) as connection:
        real = int(connection.execute("SELECT max(pk) FROM metiers").fetchone()[0])
        columns = _columns(connection, "metiers")
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                          "AND name LIKE 'metier_%' AND name NOT LIKE 'metier_fts%'")
                  if "metier_pk" in _columns(connection, name)]
        select = ", ".join(_COPIED.get(column, column) for column in columns)
        chosen = "SELECT pk FROM metiers WHERE pk <= :real ORDER BY pk LIMIT :n"
        done, k = 0, 1
        while done < count:
            n = min(real, count - done)
            values = {"shift": k * real, "tag": f".c{k}", "suffix": f" (copie {k})", "real": real, "n": n}
            connection.execute(f"INSERT INTO metiers ({', '.join(columns)}) SELECT {select} FROM metiers "
                               f"WHERE pk IN ({chosen})", values)
            for table in tables:
                names = _columns(connection, table)
                picked = ", ".join("metier_pk + :shift" if c == "metier_pk" else c for c in names)
                connection.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {picked} FROM {table} "
                                   f"WHERE metier_pk IN ({chosen})", values)
            connection.commit()
            done += n
            k += 1


def _session_states(student_id: int, rng: random.Random, metier_ids: list[str], first: date) -> list:
    """Five sessions of one student, a few months apart, starting on ``first``."""
    from db.catalogue import nomenclature as nom
    from db.students.store import SessionState, ShortlistItem

    states = []
    day = first
    for n in range(SESSIONS_PER_STUDENT):
        kept = rng.sample(metier_ids, 3)
        states.append(SessionState(
            student_id=student_id, date=day.isoformat(),
            interests=[i.id for i in rng.sample(nom.ONISEP_INTERESTS, rng.randint(1, 4))],
            max_bac_plus=rng.choice((None, 0, 2, 3, 5)), min_salary=rng.choice((None, 1800, 2200)),
            country="FR", sectors_wished=[s for s, _ in rng.sample(nom.ONISEP_SECTORS, 2)],
            shortlist=[ShortlistItem(m, "à approfondir" if n % 2 else "") for m in kept],
            comparison=kept[:2], next_steps="Stage d'observation, salon de l'orientation.",
            student_note="Bon entretien.", private_notes="RAS."))
        day += timedelta(days=rng.randint(20, 120))
    return states


def _add_students(path: Path, count: int, seed: int = 20) -> None:
    """``count`` students, each with 5 sessions, first seen over the last ten years: the first
    :data:`TEMPLATE_STUDENTS` saved through the application's functions, the others replicated
    from their rows (see :func:`_replicate_students`)."""
    made = min(count, TEMPLATE_STUDENTS)
    _save_students(path, made, seed)
    if count > made:
        _replicate_students(path, count - made, random.Random(seed + 1))


def _save_students(path: Path, count: int, seed: int) -> None:
    """``count`` students saved one session at a time by the application's student functions."""
    from db.models import Student
    from db.storage.opening import open_database
    from db.students.store import _student_values, save_session_in  # the app's own validation and rows

    rng = random.Random(seed)
    with sqlite3.connect(path) as connection:
        metier_ids = [row[0] for row in connection.execute("SELECT id FROM metiers ORDER BY pk LIMIT 5000")]
    today = date.today()
    database = open_database(str(path), backups=False)
    try:
        for start in range(0, count, STUDENT_BATCH):
            with database.write() as session:
                for i in range(start, min(count, start + STUDENT_BATCH)):
                    first = today - timedelta(days=rng.randint(400, 3650))
                    values = _student_values(rng.choice(_NOMS), f"{rng.choice(_PRENOMS)} {i}", rng.choice(_CLASSES),
                                             "Collège et lycée Jean Moulin", f"{first.year}-{first.year + 1}")
                    student = Student(created_at=datetime.combine(first, datetime.min.time()), **values)
                    session.add(student)
                    session.flush()
                    for state in _session_states(student.id, rng, metier_ids, first):
                        save_session_in(session, state)
    finally:
        database.close()


def _rows(connection: sqlite3.Connection, sql: str) -> list[dict]:
    """The rows of ``sql`` as dicts keyed by column name."""
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _insert(connection: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if rows:
        names = list(rows[0])
        connection.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                               f"({', '.join('?' * len(names))})", [tuple(r[n] for n in names) for r in rows])


def _shift_day(value: str | None, shift: timedelta) -> str | None:
    """An ISO date or date-time string moved by ``shift`` days (the time part kept)."""
    return None if value is None else (date.fromisoformat(value[:10]) + shift).isoformat() + value[10:]


def _replicate_students(path: Path, count: int, rng: random.Random) -> None:
    """``count`` more students, each a copy of a saved student's rows (sessions, their interests,
    sectors, shortlist and comparison, access log) under new ids, with an identity made by the
    application's :func:`_student_values` and the dates moved to a new first session."""
    from db.students.store import _student_values

    with sqlite3.connect(path) as connection:
        students = _rows(connection, "SELECT * FROM students ORDER BY id")
        sessions = _rows(connection, "SELECT * FROM sessions ORDER BY date, id")
        links = {table: _rows(connection, f"SELECT * FROM {table}") for table in SESSION_TABLES}
        logs = _rows(connection, "SELECT * FROM access_log WHERE student_id IS NOT NULL")
        next_student = int(connection.execute("SELECT max(id) FROM students").fetchone()[0]) + 1
        next_session = int(connection.execute("SELECT max(id) FROM sessions").fetchone()[0]) + 1
        by_student = {s["id"]: [x for x in sessions if x["student_id"] == s["id"]] for s in students}
        by_session: dict[tuple[str, int], list[dict]] = {}
        for table, rows in links.items():
            for row in rows:
                by_session.setdefault((table, row["session_id"]), []).append(row)
        logs_of: dict[int, list[dict]] = {}
        for row in logs:
            logs_of.setdefault(row["student_id"], []).append({k: v for k, v in row.items() if k != "id"})
        today = date.today()
        for start in range(0, count, STUDENT_BATCH):
            out: dict[str, list[dict]] = {"students": [], "sessions": [], "access_log": []}
            out.update({table: [] for table in SESSION_TABLES})
            for i in range(start, min(count, start + STUDENT_BATCH)):
                model = students[i % len(students)]
                own = by_student[model["id"]]
                first = today - timedelta(days=rng.randint(400, 3650))
                shift = first - date.fromisoformat(own[0]["date"]) if own else timedelta(0)
                values = _student_values(rng.choice(_NOMS), f"{rng.choice(_PRENOMS)} {i + TEMPLATE_STUDENTS}",
                                         rng.choice(_CLASSES), model["etablissement"], f"{first.year}-{first.year + 1}")
                out["students"].append({**model, **values, "id": next_student,
                                        "created_at": _shift_day(model["created_at"], shift),
                                        "last_session_on": _shift_day(model["last_session_on"], shift)})
                for old in own:
                    out["sessions"].append({**old, "id": next_session, "student_id": next_student,
                                            "date": _shift_day(old["date"], shift)})
                    for table in SESSION_TABLES:
                        out[table].extend({**row, "session_id": next_session}
                                          for row in by_session.get((table, old["id"]), []))
                    next_session += 1
                out["access_log"].extend({**row, "student_id": next_student} for row in logs_of.get(model["id"], []))
                next_student += 1
            for table, rows in out.items():
                _insert(connection, table, rows)
            connection.commit()


def _say(text: str) -> None:
    """A progress line on stderr."""
    print(text, file=sys.stderr, flush=True)


def _cached(name: str, make: Callable[[Path], int]) -> Path:
    """A base cached under ``name`` (per code revision), made by ``make(path)`` when absent."""
    target = CACHE / f"{name}-{BUILD_TAG}-{_code_revision()}.sqlite"
    if not target.exists():
        started = time.perf_counter()
        work = target.with_suffix(".building")
        work.mkdir(parents=True, exist_ok=True)
        path = work / "base.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        count = make(path)
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.move(str(path), target)
        shutil.rmtree(work, ignore_errors=True)
        _say(f"  {name} : {count} métiers en {time.perf_counter() - started:.0f} s")
    return target


def onisep_base() -> Path:
    """The starter catalogue plus the ONISEP Markdown fiches and the Idéo XML export (no ROME)."""
    return _cached("onisep", lambda path: _import(path, [p for p in sources() if "onisep" in p.name]))


def _imported_base() -> Path:
    """:func:`onisep_base` plus the ROME referential: the real catalogue."""
    def make(path: Path) -> int:
        shutil.copyfile(onisep_base(), path)
        return _import(path, [p for p in sources() if "onisep" not in p.name])

    return _cached("importe", make)


def _wait_for_other_build(work: Path, target: Path) -> bool:
    """True once another live process building ``target`` has finished it (False: build it here)."""
    try:
        pid = int((work / "pid").read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return False
    _say(f"  attente de la construction en cours (processus {pid}) : {target.name}")
    while not target.exists():
        try:
            os.kill(pid, 0)
        except OSError:
            return target.exists()
        time.sleep(2)
    return True


def build(students: int, metiers: int, *, quiet: bool = False) -> Path:
    """The cached database for these arguments, built first when absent; returns its path."""
    target = cache_path(students, metiers)
    if target.exists():
        return target
    missing = shared_missing()
    if missing:
        raise SystemExit(missing)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = target.with_suffix(".building")
    if _wait_for_other_build(work, target):
        return target
    work.mkdir(parents=True, exist_ok=True)
    (work / "pid").write_text(str(os.getpid()))
    path = work / "base.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    shutil.copyfile(_imported_base(), path)
    real = _count(path, "metiers")
    if metiers > real:
        _add_copies(path, metiers - real)
        _say(f"  copies : {metiers - real} métiers en {time.perf_counter() - started:.0f} s")
    if students:
        _add_students(path, students)
        _say(f"  élèves : {students} en {time.perf_counter() - started:.0f} s")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.move(str(path), target)
    shutil.rmtree(work, ignore_errors=True)
    if not quiet:
        print(f"  base réaliste construite en {time.perf_counter() - started:.0f} s : "
              f"{_count(target, 'metiers')} métiers, {_count(target, 'students')} élèves", file=sys.stderr)
    return target


def copy_to(students: int, metiers: int, out: Path) -> Path:
    """A private copy of the cached database at ``out`` (the benchmarks may write into it)."""
    source = build(students, metiers)
    out.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Construit une base de conseiller réaliste pour les bancs d'essai.")
    parser.add_argument("--students", type=int, default=10_000, help="nombre d'élèves (5 entretiens chacun)")
    parser.add_argument("--metiers", type=int, default=0,
                        help="nombre de métiers voulu (au-delà du réel : copies synthétiques)")
    parser.add_argument("--out", type=Path, required=True, help="fichier de la base à écrire")
    args = parser.parse_args()
    out = copy_to(args.students, args.metiers, args.out)
    print(f"{out} : {_count(out, 'metiers')} métiers, {_count(out, 'students')} élèves, "
          f"{_count(out, 'sessions')} entretiens")


if __name__ == "__main__":
    main()
