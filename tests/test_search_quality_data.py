"""The judged search queries (tests/data/search_queries.json) are well-formed and name real fiches.

The bench ``bench/search_quality.py`` scores the search against them; a misspelt id there would
silently lower (or raise) its figures, so every id is checked against the catalogues it names.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT, shared_path

QUERIES = DATA / "search_queries.json"
KINDS = {"job", "plural", "feminine", "typo", "sentence", "abbreviation", "two-words", "field"}


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return list(json.loads(QUERIES.read_text(encoding="utf-8"))["queries"])


@pytest.fixture(scope="module")
def starter() -> dict[str, str | None]:
    """Starter fiche id → its ONISEP twin id (None when it has none)."""
    twins: dict[str, str | None] = {}
    for path in sorted((ROOT / "resources" / "catalogue").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                fiche = json.loads(line)
                twins[fiche["id"]] = fiche.get("onisep_id")
    return twins


def test_at_least_fifty_distinct_queries_of_every_kind(queries):
    texts = [q["query"] for q in queries]
    assert len(texts) >= 50
    assert len(set(texts)) == len(texts), "requête en double"
    assert {q["kind"] for q in queries} == KINDS


def test_each_query_has_unique_relevant_ids_and_a_target_among_them(queries):
    for q in queries:
        relevant = q["relevant"]
        assert relevant, q["query"]
        assert len(set(relevant)) == len(relevant), q["query"]
        assert set(q["target"]) <= set(relevant), q["query"]
        assert all(re.fullmatch(r"(ORI\.[a-z0-9-]+|MET\.[0-9]+)", i) for i in relevant), q["query"]


def test_every_starter_id_exists_and_brings_its_onisep_twin(queries, starter):
    markdown = shared_markdown_ids_or_none()
    for q in queries:
        for metier_id in (i for i in q["relevant"] if i.startswith("ORI.")):
            assert metier_id in starter, f"{q['query']}: {metier_id} absent du catalogue de départ"
            twin = starter[metier_id]
            # Once ONISEP is imported the twin hides the starter fiche: it must count as relevant too.
            if twin is not None and markdown is not None and twin in markdown:
                assert twin in q["relevant"], f"{q['query']}: {metier_id} sans son jumeau {twin}"


def shared_markdown_ids_or_none() -> set[str] | None:
    folder = ROOT.parent / "shared" / "data" / "onisep-metiers-md"
    return _markdown_ids(folder) if folder.is_dir() else None


def _markdown_ids(folder: Path) -> set[str]:
    return {path.name.split("_", 1)[0] for path in folder.glob("MET.*.md")}


def test_every_onisep_id_is_a_shared_markdown_fiche(queries):
    known = _markdown_ids(shared_path("data", "onisep-metiers-md"))
    for q in queries:
        for metier_id in (i for i in q["relevant"] if i.startswith("MET.")):
            assert metier_id in known, f"{q['query']}: {metier_id} absent des fiches ONISEP partagées"
