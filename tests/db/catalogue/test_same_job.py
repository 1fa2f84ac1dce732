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


def _fiche(database, metier_id):
    from db.catalogue.fiche import get_fiche

    with database.read() as session:
        return get_fiche(session, metier_id)


def test_a_fiche_that_supersedes_its_twin_keeps_the_facts_it_lacks(mini_db, tmp_path):
    """The ONISEP Markdown fiche has no sector and no salary: those of the project's fiche stay,
    and the fiche says where they come from."""
    before = _fiche(mini_db, "ORI.aide-soignant")
    path = tmp_path / "MET.561.md"
    path.write_text(ONISEP_STYLE, encoding="utf-8")
    assert import_paths(mini_db, [path]).refused == 0
    after = _fiche(mini_db, "MET.561")
    assert after.sectors == before.sectors and after.sectors
    assert (after.salary_min, after.salary_max) == (before.salary_min, before.salary_max)
    assert after.interests == ["ma vocation est de soigner"]  # its own facts win
    assert "Secteurs : d'après la fiche « aide-soignant/e » (Fiche du projet)." in after.provenance
    with mini_db.read() as session:  # the sector filter finds it
        assert "MET.561" in [r.id for r in search(session, Criteria(sectors=("T-IDEO2.4869",)))]
        assert "ORI.aide-soignant" not in [r.id for r in search(session, Criteria(sectors=("T-IDEO2.4869",)))]


def test_a_fiche_without_twin_gets_the_sectors_of_its_rome_code(mini_db, tmp_path):
    other_job = ONISEP_STYLE.replace("aide-soignant/e", "brancardier/ère").replace("MET.561", "MET.99001") \
        .replace("aide-soignante", "brancardière").replace("Masculin: aide-soignant", "Masculin: brancardier")
    path = tmp_path / "MET.99001.md"
    path.write_text(other_job, encoding="utf-8")
    assert import_paths(mini_db, [path]).refused == 0
    fiche = _fiche(mini_db, "MET.99001")
    assert fiche.sectors == _fiche(mini_db, "ORI.aide-soignant").sectors
    assert fiche.provenance == ["Secteurs : d'après les autres fiches du code ROME J1501."]


def _stating(metier_id: str, name: str, sector_label: str) -> str:
    """An ONISEP-style fiche on J1501 that states one sector."""
    return (ONISEP_STYLE.replace("MET.561", metier_id).replace("aide-soignant/e", name)
            .replace("**Statuts possibles:**", f"**Secteurs d'activité:**\n- {sector_label}\n\n**Statuts possibles:**"))


def test_inferred_sectors_follow_the_fiches_stating_one_for_the_rome_code(mini_db, tmp_path):
    """A fiche's inferred sector moves when more fiches of its ROME code state another one: the
    old inferred sector goes, the new one comes first (before the sector of its ROME domain),
    becomes its main sector, and the sector filter and its provenance say so."""
    from sqlalchemy import text

    from db.catalogue.search import Criteria, search

    with mini_db.read() as session:
        other = session.execute(text("SELECT label FROM sectors WHERE id = 'T-IDEO2.4868'")).scalar_one()
    brancardier = tmp_path / "MET.99001.md"
    brancardier.write_text(ONISEP_STYLE.replace("aide-soignant/e", "brancardier/ère").replace("MET.561", "MET.99001"),
                           encoding="utf-8")
    assert import_paths(mini_db, [brancardier]).refused == 0
    before = _fiche(mini_db, "MET.99001")
    assert before.sectors == _fiche(mini_db, "ORI.aide-soignant").sectors  # inferred from the only stating fiche
    for metier_id, name in (("MET.99002", "agent/e de service hospitalier"), ("MET.99003", "ambulancier/ère")):
        path = tmp_path / f"{metier_id}.md"
        path.write_text(_stating(metier_id, name, other), encoding="utf-8")
        assert import_paths(mini_db, [path]).refused == 0
    after = _fiche(mini_db, "MET.99001")
    assert after.sectors[0] == other and after.sectors != before.sectors
    assert after.provenance == ["Secteurs : d'après les autres fiches du code ROME J1501."]
    with mini_db.read() as session:
        rows = session.execute(text(
            "SELECT s.sector_id, s.is_derived, s.position, m.main_sector_id FROM metier_sectors s "
            "JOIN metiers m ON m.pk = s.metier_pk WHERE m.id = 'MET.99001' ORDER BY s.position")).all()
        assert rows[0][:3] == ("T-IDEO2.4868", 0, 0) and rows[0][3] == "T-IDEO2.4868"
        assert [r.position for r in rows] == list(range(len(rows)))  # one list, no gap or duplicate
        assert all(r.is_derived for r in rows[1:])  # the sector of its ROME domain stays, after
        assert "MET.99001" in [r.id for r in search(session, Criteria(sectors=("T-IDEO2.4868",)))]
        assert "MET.99001" not in [r.id for r in search(session, Criteria(sectors=("T-IDEO2.4869",)))]


def test_the_sector_shown_beside_an_onisep_fiche_is_the_project_twins_choice(mini_db, tmp_path):
    # ONISEP lists sectors alphabetically: « Fonction publique » first would be shown for
    # aide-soignant; the project chose « Santé », which ONISEP states too.
    fiche = ONISEP_STYLE.replace("**Statuts possibles:**", "**Secteurs d'activité:**\n- Fonction publique\n- Santé\n\n"
                                 "**Statuts possibles:**")
    path = tmp_path / "MET.561.md"
    path.write_text(fiche, encoding="utf-8")
    assert import_paths(mini_db, [path]).refused == 0
    with mini_db.read() as session:
        rows = search(session, Criteria(text="aide-soignant"))
    assert [(r.id, r.sector_label) for r in rows] == [("MET.561", "Santé")]
