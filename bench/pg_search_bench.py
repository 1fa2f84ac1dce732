"""Filter latency on PostgreSQL beside SQLite, same run, at 10,000 and 100,000 synthetic métiers.

    .venv/bin/python bench/pg_search_bench.py [--sizes 10000,100000] [--repeats 7] [--reuse]

For each size: the synthetic catalogue of ``bench/filter_bench.py`` (built once, cached under
$ORIENTATION_BENCH_DIR), copied to a private SQLite file (the shared cache is never migrated) and
into a database of a local PostgreSQL server (``COPY``, table by table, after the migrations have
created the schema: the full-text column, its index and the word list follow through the
server's generated column and triggers; then VACUUM ANALYZE, as autovacuum would). Then the 14
filter cases of ``filter_bench.CASES`` run on both engines as the window's data source does (a
read session: the first page of 200 rows with the count capped at 3,000, then the text notice):
median of ``--repeats`` runs per case, and per engine the median and the worst of those
medians. Prints one JSON object.

``--reuse`` keeps the PostgreSQL copy a previous run made on the same server when it holds as
many métiers (the copy of 100,000 takes minutes): runs of two branches can then alternate on one
server (point ``ORIENTATION_TEST_PG_URL`` at a server started apart, e.g.
``bash scripts/pg_test_server.sh sleep 3600``); each schema revision has copies of its own,
SQLite and PostgreSQL, so that neither branch migrates the other's.

The server: the one ``ORIENTATION_TEST_PG_URL`` names, else a throw-away one started through
``scripts/pg_test_server.sh`` (the script runs itself again under it). Goals (issue 5, the
window's): 16 ms at 10,000 métiers and 50 ms at 100,000, median of the cases.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import Engine, create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.types import TypeDecorator  # noqa: E402

from db.catalogue.search import Criteria, first_page, text_notice  # noqa: E402
from db.catalogue.search_types import COUNT_CAP  # noqa: E402
from db.models import Base  # noqa: E402
from db.storage.engine import Database  # noqa: E402
from db.storage.opening import open_database  # noqa: E402
from db.storage.schema_version import HEAD  # noqa: E402

PG_URL_VAR = "ORIENTATION_TEST_PG_URL"
PAGE = 200
GOALS = {10_000: 16.0, 100_000: 50.0}
PRIVATE = Path(os.environ.get("ORIENTATION_BENCH_DIR", "/tmp/orientation-bench")) / "pg-search"


def sqlite_copy(size: int) -> Path:
    """A private copy of filter_bench's catalogue of ``size`` métiers: the shared cached file is
    only read (opening it with this branch's code would move it to this branch's schema). One
    copy per schema revision (its name ends with it), as the PostgreSQL copy: runs of two
    branches at different revisions can alternate without migrating each other's copy."""
    import filter_bench

    name = f"catalogue-{filter_bench.SCHEMA_TAG}-{size}.sqlite"
    target, shared = PRIVATE / f"catalogue-{filter_bench.SCHEMA_TAG}-{size}-{HEAD}.sqlite", filter_bench.CACHE / name
    PRIVATE.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return target
    if not shared.exists():  # built here, the first time, where no other run takes it for its copy
        filter_bench.CACHE = PRIVATE / "built"
        filter_bench.CACHE.mkdir(exist_ok=True)
        filter_bench.catalogue(size).close()
        shared = filter_bench.CACHE / name
    partial = target.with_suffix(".partial")
    with sqlite3.connect(f"file:{shared}?mode=ro", uri=True) as src, sqlite3.connect(partial) as dst:
        src.backup(dst)
    partial.replace(target)
    return target


def pg_copy(lite: Path, base_url: str, size: int, reuse: bool = False) -> Database:
    """A new PostgreSQL database holding the rows of ``lite`` (schema by the migrations); with
    ``reuse``, the one a previous run made on this server, when it holds ``size`` métiers."""
    name = f"orientation_bench_{size}_{HEAD}"  # per schema revision, as sqlite_copy
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    if reuse and _filled(admin, url, size):
        admin.dispose()
        return open_database(url, load_starter=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    database = open_database(url, load_starter=False)
    started = time.perf_counter()
    source = create_engine(f"sqlite:///{lite}")
    _transfer(source, database.engine)
    source.dispose()
    # As autovacuum would soon after an import: statistics, and the GIN index's pending list merged.
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"  {size} métiers copiés dans PostgreSQL en {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return database


def _filled(admin: Engine, url: str, size: int) -> bool:
    """Whether the database of ``url`` exists and holds ``size`` métiers."""
    with admin.connect() as conn:
        name = make_url(url).database
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            return False
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM metiers")).scalar_one() == size
    finally:
        engine.dispose()


def _transfer(source: Engine, target: Engine) -> None:
    """Every table's rows from ``source`` into ``target`` (emptied first), by COPY."""
    tables = [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]
    with target.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " CASCADE"))
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        with source.connect() as reader:
            for table in tables:
                columns = [f'"{c.name}"' for c in table.columns]
                rows = reader.execution_options(stream_results=True).execute(select(*table.columns))
                with cursor.copy(f'COPY "{table.name}" ({", ".join(columns)}) FROM STDIN') as copy:
                    # Typed columns as the application binds them (sort keys: NUL is U+0001 there).
                    binds = [c.type.bind_processor(target.dialect) if isinstance(c.type, TypeDecorator) else None
                             for c in table.columns]
                    for row in rows:
                        copy.write_row(tuple(b(v) if b else v for b, v in zip(binds, row, strict=True)))


def time_case(database: Database, criteria: Criteria, repeats: int) -> float:
    """Median ms of what the window's data source does for ``criteria`` (first page, notice)."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        with database.read() as session:
            first_page(session, criteria, PAGE, COUNT_CAP)
            text_notice(session, criteria)
        samples.append(time.perf_counter() - started)
    return round(statistics.median(samples) * 1000, 2)


def run(sizes: list[int], repeats: int, base_url: str, reuse: bool = False) -> dict:
    import filter_bench

    result: dict = {"cases": list(filter_bench.CASES), "repeats": repeats}
    for size in sizes:
        tag = f"{size // 1000}k"
        lite = open_database(str(sqlite_copy(size)), load_starter=False, backups=False)
        pg = pg_copy(Path(lite.url.removeprefix("sqlite:///")), base_url, size, reuse)
        detail: dict = {}
        for name, criteria in filter_bench.CASES.items():
            # Alternated, so that neither engine always runs on a warmer machine.
            detail[name] = {"sqlite_ms": time_case(lite, criteria, repeats),
                            "postgresql_ms": time_case(pg, criteria, repeats)}
        for engine in ("sqlite", "postgresql"):
            figures = [case[f"{engine}_ms"] for case in detail.values()]
            result[f"filter_ms_{tag}_{engine}"] = round(statistics.median(figures), 2)
            result[f"filter_worst_ms_{tag}_{engine}"] = max(figures)
        result[f"filter_goal_ms_{tag}"] = GOALS.get(size)
        result[f"detail_{tag}"] = detail
        lite.close()
        pg.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--reuse", action="store_true",
                        help="garder la base PostgreSQL d'un passage précédent sur ce serveur (même taille)")
    args = parser.parse_args()
    base_url = os.environ.get(PG_URL_VAR)
    if not base_url and os.environ.get("ORIENTATION_PG_BENCH_CHILD"):
        raise SystemExit("PostgreSQL n'est pas installé ici (initdb, pg_ctl) : banc d'essai impossible.")
    if not base_url:  # start a throw-away server and run again under it
        server = ROOT / "scripts" / "pg_test_server.sh"
        os.environ["ORIENTATION_PG_BENCH_CHILD"] = "1"
        sys.exit(subprocess.call(["bash", str(server), sys.executable, *sys.argv]))
    result = run([int(s) for s in args.sizes.split(",")], args.repeats, base_url, args.reuse)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
