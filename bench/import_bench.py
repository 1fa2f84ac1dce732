"""Import throughput on the real ONISEP data (../shared), printed as JSON.

    python bench/import_bench.py            # 893 Markdown fiches and the 2024 XML export

Figures: seconds and fiches per second for a first import into an empty database and for a
re-import (every fiche updated in place), and the parse-only time (the floor: no database).
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.storage.opening import open_database  # noqa: E402
from db.catalogue.importers import parse_path  # noqa: E402
from db.catalogue.importing import expand_paths, import_paths  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def measure(folder: Path, runs: int = 3) -> dict:
    files = expand_paths([folder])
    parse = []
    first, again = [], []
    for _ in range(runs):
        start = time.perf_counter()
        for path in files:
            parse_path(path)
        parse.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as tmp:
            database = open_database(str(Path(tmp) / "bench.sqlite"), load_starter=False, backups=False)
            start = time.perf_counter()
            summary = import_paths(database, [folder])
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            import_paths(database, [folder])
            again.append(time.perf_counter() - start)
            database.close()
    fiches = summary.created
    return {"files": len(files), "fiches": fiches, "refused": summary.refused,
            "import_s": round(statistics.median(first), 3), "reimport_s": round(statistics.median(again), 3),
            "parse_only_s": round(statistics.median(parse), 3),
            "import_fiches_per_s": round(fiches / statistics.median(first), 1)}


def main() -> None:
    if not SHARED.exists():
        print(json.dumps({"erreur": "../shared absent : pas de données réelles à importer"}))
        return
    result = {"onisep_md": measure(SHARED / "onisep-metiers-md"),
              "onisep_xml_2024": measure(SHARED / "onisep-ideo-xml-2024", runs=1)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
