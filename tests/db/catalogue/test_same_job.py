"""The project's fiche and ONISEP's fiche for the same job never show as two unrelated entries."""
from __future__ import annotations

from db.catalogue.importing import import_paths
from db.catalogue.search import Criteria, search

# A small fiche in the ONISEP Markdown format, written for this test (not ONISEP's text).
ONISEP_STYLE = """# aide-soignant/e
**ID:** MET.561

**Appellations:**
- Féminin: aide-soignante
- Masculin: aide-soignant
**Codes ROME:**
- J1501

## Présentation

Texte d'essai pour la fiche Onisep de ce métier.

**Niveau d'accès minimum:** CAP ou équivalent

**Statuts possibles:**
- salarié

## Centres d'intérêt

- ma vocation est de soigner
"""


def test_onisep_fiche_takes_precedence_over_the_project_fiche(mini_db, tmp_path):
    def found() -> list[tuple[str, str]]:
        with mini_db.read() as session:
            return [(r.id, r.source_kind) for r in search(session, Criteria(text="aide-soignant"))]

    assert found() == [("ORI.aide-soignant", "projet")]
    path = tmp_path / "MET.561.md"
    path.write_text(ONISEP_STYLE, encoding="utf-8")
    assert import_paths(mini_db, [path]).refused == 0
    assert found() == [("MET.561", "onisep-md")]
    # re-importing the project's catalogue does not bring the duplicate back
    from tests.conftest import DATA

    import_paths(mini_db, [DATA / "mini.jsonl"])
    assert found() == [("MET.561", "onisep-md")]
