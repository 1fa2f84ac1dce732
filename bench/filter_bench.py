"""How fast the métier table follows a filter change, on synthetic catalogues of 1k, 10k, 100k métiers.

Goal (issue 5): under 16 ms at 10,000 métiers and under 50 ms at 100,000, from the criteria
change to an updated table model. For each size the benchmark runs several kinds of criteria
(level, salary, sector, interests any/all, statut, text, combined, sorted) through the real
:class:`desktop.browse.CatalogueBrowser` and :class:`desktop.table_model.MetierTableModel`,
takes the median, and measures the "raw SQL floor": the same count and first-page SQL run
directly on sqlite3, without SQLAlchemy or Qt. Prints one JSON object.

Generated databases are cached under /tmp (``ORIENTATION_BENCH_DIR``); delete them after a
schema change. Usage: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/filter_bench.py [--sizes 1000,10000]``
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import event  # noqa: E402

from db.catalogue import nomenclature as nom  # noqa: E402
from db.catalogue.store import upsert_records  # noqa: E402
from db.storage.engine import Database  # noqa: E402
from db.storage.opening import open_database  # noqa: E402
from db.catalogue.records import MetierRecord, Ref, Salary, Section  # noqa: E402
from db.catalogue.search import Criteria  # noqa: E402

CACHE = Path(os.environ.get("ORIENTATION_BENCH_DIR", "/tmp/orientation-bench"))
SCHEMA_TAG = "v3"  # bump when the generated content changes
REPEATS = 15

_STEMS = ("technicien", "agent", "conseiller", "responsable", "opérateur", "chargé", "ingénieur", "assistant",
          "animateur", "éducateur", "infirmier", "mécanicien", "vendeur", "gestionnaire", "développeur",
          "contrôleur", "chef", "conducteur", "designer", "juriste", "boulanger", "maçon", "soigneur")
_DOMAINS = ("de maintenance", "commercial", "en logistique", "de production", "informatique", "du bâtiment",
            "de laboratoire", "en environnement", "agricole", "de la santé", "du patrimoine", "en énergie",
            "de la mode", "du tourisme", "bancaire", "en aéronautique", "du numérique", "social", "culturel")
_WORDS = ("atelier", "client", "équipe", "machine", "projet", "terrain", "bureau", "chantier", "patient",
          "données", "qualité", "sécurité", "réseau", "vente", "formation", "stock", "nature", "enfant")
_LEVELS = ("CAP ou équivalent", "bac ou équivalent", "bac + 2", "bac + 3", "bac + 5", "bac + 8", None)


def _record(i: int, rng: random.Random) -> MetierRecord:
    name = f"{rng.choice(_STEMS)} {rng.choice(_DOMAINS)} {i}"
    low = rng.choice((None, *range(1700, 3600, 50)))
    sectors = rng.sample(nom.ONISEP_SECTORS, rng.randint(1, 3))
    interests = rng.sample(nom.ONISEP_INTERESTS, rng.randint(1, 4))
    text = " ".join(rng.choice(_WORDS) for _ in range(40))
    rome = f"{rng.choice('ABCDEFGHIJKLMN')}{rng.randint(1100, 1900)}"
    return MetierRecord(
        id=f"ORI.bench-{i}", name=name, source_kind=rng.choice(("projet", "onisep-xml", "onisep-md")),
        label_f=name + "e", label_m=name, summary=text[:120],
        sections=[Section("presentation", "Présentation", text)], rome_codes=[rome],
        level_text=rng.choice(_LEVELS),
        salary=Salary(text="", min_eur=low, max_eur=None, year=2025) if low else None,
        sectors=[Ref(label, sid) for sid, label in sectors], interests=[Ref(i.label, i.id) for i in interests],
        statuts=[Ref(label, sid) for sid, label in rng.sample(nom.STATUTS, rng.randint(1, 2))],
        formations=[Ref(f"BTS {rng.choice(_DOMAINS)}")], country="BE" if i % 20 == 0 else "FR")


def catalogue(size: int) -> Database:
    """A database of ``size`` synthetic métiers, generated once and cached under /tmp."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"catalogue-{SCHEMA_TAG}-{size}.sqlite"
    fresh = not path.exists()
    database = open_database(str(path), load_starter=False, backups=False)
    if fresh:
        rng = random.Random(size)
        started = time.perf_counter()
        with database.write() as session:
            upsert_records(session, (_record(i, rng) for i in range(size)), "bench")
        print(f"  généré {size} métiers en {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return database


CASES: dict[str, Criteria] = {
    "tout": Criteria(),
    "niveau": Criteria(max_bac_plus=2),
    "salaire": Criteria(min_salary=2500),
    "secteur": Criteria(sectors=("T-IDEO2.4869",)),
    "interets_un": Criteria(interests=("T-IDEO2.4807", "T-IDEO2.4812")),
    "interets_tous": Criteria(interests=("T-IDEO2.4807", "T-IDEO2.4812"), interests_mode="all"),
    "statut": Criteria(statuts=("T-ITM.2",)),
    "texte": Criteria(text="techn"),
    "texte_rare": Criteria(text="boulanger agricole"),
    "texte_phrase": Criteria(text="je voudrais travailler sur un chantier avec des machines"),
    "texte_faute": Criteria(text="tecnicien"),
    "texte_nom": Criteria(text="techn", sort="name"),
    "combine": Criteria(max_bac_plus=3, min_salary=2000, sectors=("T-IDEO2.4835", "T-IDEO2.4869")),
    "tri_salaire": Criteria(sort="salary", descending=True),
}


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def time_model(database: Database, criteria: Criteria, clock: Any = time.perf_counter) -> float:
    """Median ms from a criteria change to the table model holding the new first page
    (``clock``: wall time, or ``time.process_time`` for this process's CPU time alone)."""
    from desktop.browse import CatalogueBrowser
    from desktop.table_model import MetierTableModel

    model = MetierTableModel()
    from db.catalogue.source import DatabaseSource

    browser = CatalogueBrowser(DatabaseSource(database), model)
    browser.request_facets = lambda: None  # type: ignore[method-assign]  # timed apart: background work
    browser.set_sort(criteria.sort, criteria.descending)
    samples = []
    for _ in range(REPEATS):
        # Alternate with an empty criteria so no result is reused from the previous run.
        browser.apply(Criteria())
        started = clock()
        browser.apply(criteria)
        samples.append(clock() - started)
        assert model.rowCount() == min(model.total, model.page_size)
    return _median_ms(samples)


def _statements(database: Database, criteria: Criteria) -> list[tuple[str, Any]]:
    """The SQL (with parameters) that the browser runs for ``criteria``, captured as it runs."""
    from db.catalogue.search import count, search

    def run(session: Any) -> None:
        search(session, criteria, limit=200, total=count(session, criteria))

    return captured_selects(database, run)


def captured_selects(database: Database, work: Any) -> list[tuple[str, Any]]:
    """The SELECTs (with parameters) that ``work(session)`` runs in one read session."""
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.read() as session:
            work(session)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    return captured


def time_floor(database: Database, criteria: Criteria) -> float:
    """Median ms of the very same SQL (count, then first page) on a bare sqlite3 connection."""
    return replay_ms(database, _statements(database, criteria))


def replay_ms(database: Database, statements: list[tuple[str, Any]], repeats: int = REPEATS) -> float:
    """Median ms of running ``statements`` (captured SQL and parameters) on a bare sqlite3 connection."""
    conn = sqlite3.connect(database.url.removeprefix("sqlite:///"))
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for statement, parameters in statements:
            conn.execute(statement, parameters).fetchall()
        samples.append(time.perf_counter() - started)
    conn.close()
    return _median_ms(samples)


def time_facets(database: Database, criteria: Criteria) -> float:
    """Median ms of the per-sector counts (computed on a worker thread by the window)."""
    from db.catalogue.search import facets

    samples = []
    for _ in range(5):
        started = time.perf_counter()
        with database.read() as session:
            facets(session, criteria, levels=False)
        samples.append(time.perf_counter() - started)
    return _median_ms(samples)


def run(sizes: list[int]) -> dict:
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 (models need an application)
    result: dict = {}
    detail: dict = {}
    for size in sizes:
        database = catalogue(size)
        per_case = {name: time_model(database, c) for name, c in CASES.items()}
        floors = {name: time_floor(database, c) for name, c in CASES.items()}
        tag = f"{size // 1000}k"
        result[f"filter_ms_{tag}"] = statistics.median(per_case.values())
        result[f"filter_max_ms_{tag}"] = max(per_case.values())
        result[f"floor_ms_{tag}"] = statistics.median(floors.values())
        result[f"fts_ms_{tag}"] = per_case["texte"]
        result[f"fts_floor_ms_{tag}"] = floors["texte"]
        result[f"facets_background_ms_{tag}"] = max(time_facets(database, c) for c in CASES.values())
        detail[tag] = {name: {"modele_ms": per_case[name], "sql_ms": floors[name]} for name in CASES}
        database.close()
    result["detail"] = detail
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    print(json.dumps(run([int(s) for s in args.sizes.split(",")]), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
