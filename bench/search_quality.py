"""Search quality on judged counselor queries: precision@5 and "job in the top 3", in the default order.

    .venv/bin/python bench/search_quality.py [--shared /work/shared] [--verbose] [--json]

The queries and their hand-judged relevant métiers are in ``tests/data/search_queries.json``
(how they were judged: ``tests/data/search_queries.md``). Two catalogues are measured, each in
a temporary database opened the application's normal way (:func:`open_database`, which loads
the starter catalogue):

- ``starter``: the starter catalogue alone;
- ``starter+onisep``: the same, then the ONISEP Markdown fiches of ``--shared`` imported
  (``orientation import``; skipped when the folder is absent). An ONISEP fiche then supersedes
  its starter twin, which is why the judged lists name both ids.

For each query, ``search(session, Criteria(text=query), limit=5)`` in the default ("auto") order:

- **precision@5** = (relevant métiers among the first 5 returned) / min(5, R), where R is the
  number of relevant métiers *present* in that catalogue (visible, not superseded). A query whose
  relevant set has only 2 fiches in the catalogue scores 1.0 when both are in the first 5. Queries
  with R = 0 are left out (counted in ``no_relevant``). The figure is the mean over queries.
- **target in top 3** = share of the queries with a target present in the catalogue for which one
  of the target's ids is among the first 3 returned.

Goals (issue 13): precision@5 ≥ 0.85 and target in top 3 ≥ 90 %, on both catalogues.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.catalogue.importing import import_paths  # noqa: E402
from db.catalogue.search import Criteria, search  # noqa: E402
from db.storage.engine import Database  # noqa: E402
from db.storage.opening import open_database  # noqa: E402

QUERIES = ROOT / "tests" / "data" / "search_queries.json"
GOAL_PRECISION = 0.85
GOAL_TARGET_TOP3 = 0.90
TOP = 5
TARGET_TOP = 3


@dataclass
class QueryResult:
    """One query on one catalogue: what came back and how it scores."""

    query: str
    kind: str
    returned: list[tuple[str, str]]  # (id, name) of the first TOP rows
    relevant_present: int
    precision: float | None  # None: no relevant fiche in this catalogue
    target_hit: bool | None  # None: no target, or none of its ids in this catalogue

    @property
    def failed(self) -> bool:
        return (self.precision is not None and self.precision < 1.0) or self.target_hit is False


@dataclass
class CatalogueFigures:
    name: str
    fiches: int
    results: list[QueryResult] = field(default_factory=list)

    def precision(self, kind: str | None = None) -> float | None:
        scores = [r.precision for r in self.results if r.precision is not None and kind in (None, r.kind)]
        return round(sum(scores) / len(scores), 3) if scores else None

    def target_top3(self) -> float | None:
        hits = [r.target_hit for r in self.results if r.target_hit is not None]
        return round(sum(hits) / len(hits), 3) if hits else None

    def as_dict(self) -> dict:
        kinds = sorted({r.kind for r in self.results})
        return {
            "fiches": self.fiches,
            "queries": sum(r.precision is not None for r in self.results),
            "no_relevant": [r.query for r in self.results if r.precision is None],
            "precision_at_5": self.precision(),
            "precision_at_5_goal": GOAL_PRECISION,
            "target_top3": self.target_top3(),
            "target_top3_goal": GOAL_TARGET_TOP3,
            "target_queries": sum(r.target_hit is not None for r in self.results),
            "precision_by_kind": {kind: self.precision(kind) for kind in kinds},
            "failing": [r.query for r in self.results if r.failed],
        }


def load_queries(path: Path = QUERIES) -> list[dict]:
    """The judged queries (see tests/data/search_queries.md)."""
    return list(json.loads(path.read_text(encoding="utf-8"))["queries"])


def live_ids(database: Database) -> set[str]:
    """Ids of the métiers a search can return (superseded fiches are hidden)."""
    with database.read() as session:
        return {row.id for row in search(session, Criteria(sort="name"))}


def measure(name: str, database: Database, queries: list[dict]) -> CatalogueFigures:
    """Run every query on ``database`` and score it (see the module docstring)."""
    present = live_ids(database)
    figures = CatalogueFigures(name, len(present))
    with database.read() as session:
        for entry in queries:
            rows = search(session, Criteria(text=entry["query"]), limit=TOP)
            returned = [(row.id, row.name) for row in rows]
            relevant = set(entry["relevant"]) & present
            hits = sum(metier_id in relevant for metier_id, _ in returned)
            precision = hits / min(TOP, len(relevant)) if relevant else None
            target = set(entry.get("target") or ()) & present
            target_hit = any(mid in target for mid, _ in returned[:TARGET_TOP]) if target else None
            figures.results.append(QueryResult(entry["query"], entry["kind"], returned, len(relevant),
                                               precision, target_hit))
    return figures


def default_shared() -> Path | None:
    beside = ROOT.parent / "shared"
    return beside if beside.exists() else None


def build_catalogues(workdir: Path, shared: Path | None) -> list[tuple[str, Database]]:
    """The starter catalogue, and starter + ONISEP Markdown fiches when ``shared`` holds them."""
    catalogues = [("starter", open_database(str(workdir / "starter.sqlite"), backups=False))]
    folder = shared / "data" / "onisep-metiers-md" if shared else None
    if folder is not None and folder.is_dir():
        database = open_database(str(workdir / "onisep.sqlite"), backups=False)
        summary = import_paths(database, [folder])
        if summary.refused:
            raise SystemExit(f"{summary.refused} fiches ONISEP refusées à l'import : {summary.total_line()}")
        catalogues.append(("starter+onisep", database))
    return catalogues


def _mark(value: float | None, goal: float) -> str:
    if value is None:
        return "—"
    return "atteint" if value >= goal else "NON atteint"


def print_text(all_figures: list[CatalogueFigures], verbose: bool, queries: list[dict]) -> None:
    relevant_of = {entry["query"]: set(entry["relevant"]) for entry in queries}
    target_of = {entry["query"]: set(entry.get("target") or ()) for entry in queries}
    for figures in all_figures:
        p, t = figures.precision(), figures.target_top3()
        data = figures.as_dict()
        print(f"== {figures.name} ({figures.fiches} fiches visibles, {data['queries']} requêtes jugées)")
        print(f"   précision@5        {p if p is not None else '—':<6} objectif ≥ {GOAL_PRECISION}  "
              f"{_mark(p, GOAL_PRECISION)}")
        shown = f"{t:.0%}" if t is not None else "—"
        print(f"   métier dans le top 3 {shown:<5} objectif ≥ {GOAL_TARGET_TOP3:.0%}  {_mark(t, GOAL_TARGET_TOP3)}"
              f"  ({data['target_queries']} requêtes avec cible)")
        print("   par type : " + ", ".join(f"{k} {v}" for k, v in data["precision_by_kind"].items()))
        if data["no_relevant"]:
            print("   sans fiche pertinente dans ce catalogue : " + ", ".join(data["no_relevant"]))
        if verbose:
            for result in figures.results:
                if not result.failed:
                    continue
                target = ("" if result.target_hit is None else
                          "  cible dans le top 3" if result.target_hit else "  CIBLE HORS DU TOP 3")
                precision = "—" if result.precision is None else f"{result.precision:.2f}"
                print(f"   ✗ « {result.query} » p@5 {precision} ({result.relevant_present} pertinentes){target}")
                for rank, (metier_id, name) in enumerate(result.returned, 1):
                    mark = ("◎" if metier_id in target_of[result.query] else
                            "✓" if metier_id in relevant_of[result.query] else " ")
                    print(f"       {rank}. {mark} {name}  [{metier_id}]")
                if not result.returned:
                    print("       (aucun résultat)")
        print()


def run(shared: Path | None) -> list[CatalogueFigures]:
    """Build the catalogues in a temporary folder and measure both."""
    queries = load_queries()
    with tempfile.TemporaryDirectory(prefix="orientation-search-quality-") as tmp:
        catalogues = build_catalogues(Path(tmp), shared)
        try:
            return [measure(name, database, queries) for name, database in catalogues]
        finally:
            for _name, database in catalogues:
                database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Orientation : qualité de la recherche sur des requêtes jugées.")
    parser.add_argument("--shared", type=Path, default=None,
                        help="dossier partagé (défaut : ../shared à côté du dépôt s'il existe)")
    parser.add_argument("--verbose", action="store_true", help="les 5 premiers résultats de chaque requête en échec")
    parser.add_argument("--json", action="store_true", help="les chiffres en JSON")
    args = parser.parse_args()
    shared = args.shared if args.shared is not None else default_shared()
    all_figures = run(shared)
    if args.json:
        print(json.dumps({f.name: f.as_dict() for f in all_figures}, ensure_ascii=False, indent=2))
    else:
        print_text(all_figures, args.verbose, load_queries())


if __name__ == "__main__":
    main()
