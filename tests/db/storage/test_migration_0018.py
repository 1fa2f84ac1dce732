"""Revision 0018: a base imported before the salary reading rules of 2026-12-07 gets its figures
read again from the wording each fiche kept, on both engines — the fee per show is no longer a
monthly salary on the bilan, and a project fiche's twin-held figures follow."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from db.catalogue.importing import import_paths
from db.storage.engine import make_engine
from db.storage.migrate import upgrade_if_behind
from db.storage.opening import open_database
from tests.db.storage.test_migration_0016 import _downgrade

# Small fiches in the ONISEP Markdown format, written for this test (not ONISEP's text).
FICHE = """# {name}
**ID:** {ident}

**Appellations:**
- Féminin: {name}
- Masculin: {name}
**Codes ROME:**
- L1204

## Présentation

Texte d'essai pour cette fiche.

## Vie professionnelle

## Salaire

            ### Salaire du débutant
            {salary}

            ## Intégrer le marché du travail

Texte d'essai.
"""
WRONG_BEFORE = {  # what the rules before 0018 read: id → (wording, old min, old max, new min, new max)
    "MET.9001": ("75 à 150 euros par représentation.", 150, 150, None, None),
    "MET.9002": ("À partir du Smic et jusqu'à 2231 euros brut par mois.", 1802, None, 1802, 2231),
    "MET.9003": ("A partir de 1900 euros brut par mois", 1900, None, 1900, None),  # unchanged
}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'orientation.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


def _figures(url: str) -> dict[str, tuple[int | None, int | None]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, salary_min, salary_max FROM metiers WHERE id LIKE 'MET.900%'"))
        figures = {row[0]: (row[1], row[2]) for row in rows}
    engine.dispose()
    return figures


def test_0018_reads_the_salaries_again(url: str, tmp_path) -> None:
    database = open_database(url, load_starter=False, backups=False)
    for number, (ident, (wording, *_)) in enumerate(WRONG_BEFORE.items()):
        path = tmp_path / f"{ident}.md"
        path.write_text(FICHE.format(name=f"métier d'essai {number}", ident=ident, salary=wording), encoding="utf-8")
        assert import_paths(database, [path]).refused == 0
    database.close()
    _downgrade(url, "0017")
    engine = make_engine(url)
    with engine.begin() as conn:  # the figures the older rules had stored
        conn.execute(text("UPDATE metiers SET salary_min = :lo, salary_max = :hi WHERE id = :i"),
                     [{"lo": old_lo, "hi": old_hi, "i": ident}
                      for ident, (_, old_lo, old_hi, _, _) in WRONG_BEFORE.items()])
    engine.dispose()
    assert _figures(url)["MET.9001"] == (150, 150)

    assert upgrade_if_behind(url) is True
    assert _figures(url) == {ident: (new_lo, new_hi) for ident, (_, _, _, new_lo, new_hi) in WRONG_BEFORE.items()}
