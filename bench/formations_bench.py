"""Formations (issue 16) on the real ONISEP data (../shared), printed as JSON beside the goals.

    .venv/bin/python bench/formations_bench.py

Figures: ``import_s`` (the 2,342 Idéo-Fiches formations, Markdown, into a database holding the
starter catalogue; goal 5 s) with ``parse_only_s`` as its floor; the link rates once the ONISEP
métier fiches (Markdown and the 2024 XML) are imported too (``metiers_associes_linked``, goal
0.95); ``routes_ms_6`` (median time of the routes of a 6-métier shortlist from 3e, goal 50 ms)
and ``starter_with_route`` (share of starter métiers with at least one route, goal 0.90).
"""
from __future__ import annotations

import json
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from db.catalogue.formations import link_rates  # noqa: E402
from db.catalogue.importers import parse_path  # noqa: E402
from db.catalogue.importing import expand_paths, import_paths  # noqa: E402
from db.catalogue.routes import routes_for  # noqa: E402
from db.models import Metier  # noqa: E402
from db.storage.opening import open_database  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SHORTLIST = ("ORI.cuisinier", "ORI.infirmier", "ORI.ingenieur-en-mecanique",
             "ORI.technicien-de-maintenance-industrielle", "ORI.macon", "ORI.comptable")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with tarfile.open(DATA / "onisep-formations-md" / "formations_md_2342.tar.gz") as tar:
            tar.extractall(folder, filter="data")
        files = expand_paths([folder / "formations"])
        began = time.perf_counter()
        for path in files:
            parse_path(path)
        parse_s = time.perf_counter() - began
        database = open_database(str(folder / "o.sqlite"))
        with database.read() as session:
            starter = list(session.execute(select(Metier.id).where(Metier.id.like("ORI.%"))).scalars())
            with_route = sum(1 for mid in starter if routes_for(session, mid, "3e").routes)
        began = time.perf_counter()
        summary = import_paths(database, files)
        import_s = time.perf_counter() - began
        import_paths(database, [DATA / "onisep-metiers-md", DATA / "onisep-ideo-xml-2024"])
        with database.read() as session:
            rates = link_rates(session)
            times = []
            for _ in range(15):
                began = time.perf_counter()
                for metier_id in SHORTLIST:
                    routes_for(session, metier_id, "3e")
                times.append((time.perf_counter() - began) * 1000)
        database.close()
    figures = {
        "fiches": len(files), "refused": summary.refused, "import_s": round(import_s, 2),
        "parse_only_s": round(parse_s, 2),
        "metiers_associes_linked": round(rates.formation_labels_linked / rates.formation_labels, 3),
        "metier_formations_described": round(rates.metier_refs_described / rates.metier_refs, 3),
        "routes_ms_6": round(statistics.median(times), 1),
        "starter_with_route": round(with_route / len(starter), 3),
    }
    figures["goals"] = {"import_s<=5": figures["import_s"] <= 5,
                        "metiers_associes_linked>=0.95": figures["metiers_associes_linked"] >= 0.95,
                        "routes_ms_6<=50": figures["routes_ms_6"] <= 50,
                        "starter_with_route>=0.90": figures["starter_with_route"] >= 0.90}
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
