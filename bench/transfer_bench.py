"""Peak memory and time of ``orientation transfert`` on synthetic catalogues, as JSON.

    python bench/transfer_bench.py [--sizes 10000 100000]
    bash scripts/pg_test_server.sh .venv/bin/python bench/transfer_bench.py   # also into PostgreSQL

The catalogues are those of ``bench/filter_bench.py`` (cached under /tmp). Each transfer runs as
its own process into a new file (and, when ``ORIENTATION_TEST_PG_URL`` is set, into a new
database of that server); its peak resident memory is printed beside a process that only opens
the database: the copy reads and writes in batches, so the difference should not grow with the
catalogue (floor: under 100 MB more than opening, whatever the size).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ORIENTATION_NO_BACKGROUND_CHECK", "1")

from bench.export_bench import _OPEN_ONLY, catalogue_path, peak_mb  # noqa: E402  (after the path above)

FLOOR_EXTRA_MB = 100


def _new_pg_database(base: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"orientation_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    result: dict[str, object] = {"floor_extra_mb": FLOOR_EXTRA_MB}
    server = os.environ.get("ORIENTATION_TEST_PG_URL")
    for size in args.sizes:
        path = catalogue_path(size)
        label = f"{size // 1000}k"
        open_mb, _ = peak_mb([sys.executable, "-c", _OPEN_ONLY, path])
        with tempfile.TemporaryDirectory() as folder:
            targets = {"sqlite": str(Path(folder) / "copie.sqlite")}
            if server:
                targets["postgresql"] = _new_pg_database(server)
            for kind, target in targets.items():
                mb, seconds = peak_mb([sys.executable, "-m", "desktop.cli", "transfert", "--de", path,
                                       "--vers", target])
                result[f"{kind}_{label}_peak_mb"] = round(mb, 1)
                result[f"{kind}_{label}_extra_mb"] = round(mb - open_mb, 1)
                result[f"{kind}_{label}_seconds"] = round(seconds, 1)
        result[f"open_only_{label}_peak_mb"] = round(open_mb, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
