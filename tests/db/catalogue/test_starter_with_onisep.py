"""The starter catalogue next to ONISEP's Idéo XML: one entry per job, never two of the same name.

A starter fiche that forgets its ONISEP id stays visible beside ONISEP's fiche once an office
imports the XML, and the counselor sees "peintre en bâtiment" twice. Skipped without ../shared.
"""
from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from db.catalogue.importing import import_paths
from db.models import Metier, table_of
from db.storage.opening import open_database
from db.text import fold
from tests.conftest import shared_path

XML_ZIP = "Onisep_Ideo_Fiches_metiers_25062024.xml.zip"


@pytest.fixture(scope="module")
def live_names(tmp_path_factory) -> dict[str, list[str]]:
    """Folded name → ids of the live (not superseded) métiers after starter + XML."""
    archive = shared_path("data", "onisep-ideo-xml-2024", XML_ZIP)
    database = open_database(str(tmp_path_factory.mktemp("xml") / "o.sqlite"), backups=False)
    try:
        assert import_paths(database, [archive]).refused == 0
        table = table_of(Metier)
        with database.read() as session:
            rows = session.execute(select(table.c.id, table.c.name).where(table.c.superseded_by.is_(None))).all()
    finally:
        database.close()
    names: dict[str, list[str]] = defaultdict(list)
    for ident, name in rows:
        names[fold(name)].append(ident)
    return names


def test_no_two_live_metiers_share_a_name(live_names):
    assert {name: ids for name, ids in live_names.items() if len(ids) > 1} == {}


def test_the_four_jobs_once_doubled_show_once_as_onisep_fiches(live_names):
    """The starter fiches of these jobs now name their ONISEP id, so ONISEP's fiche hides them."""
    shown = {name: live_names[name] for name in ("peintre en batiment", "cuisinier/ere",
                                                 "animateur/trice nature", "directeur/trice d'hotel")}
    assert shown == {"peintre en batiment": ["MET.10"], "cuisinier/ere": ["MET.420"],
                     "animateur/trice nature": ["MET.77"], "directeur/trice d'hotel": ["MET.2"]}
