"""Fixtures for the importer tests: real files read in place from ../shared (skipped when absent)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.conftest import shared_path

SEEDS = {
    "onisep_mode": "000_5c1a66be3f1a0243.txt",
    "titre_pro": "001_6e25e1360f9c7d58.txt",
    "be_guide": "002_605dc9752bad785c.txt",
    "onisep_meca": "003_e080700e2266a2c9.txt",
    "cidj": "004_32ca8e5a5e6e9829.txt",
}
XML_ZIP = "Onisep_Ideo_Fiches_metiers_25062024.xml.zip"


def seed_bytes(key: str) -> bytes:
    """The bytes of one of the five seed documents (skips the test when ../shared is absent)."""
    return shared_path("seeds", SEEDS[key]).read_bytes()


@pytest.fixture(scope="session")
def xml_zip() -> Path:
    return shared_path("data", "onisep-ideo-xml-2024", XML_ZIP)


@pytest.fixture(scope="session")
def xml_bytes(xml_zip: Path) -> bytes:
    """The 12 MB XML inside the 2024 export zip."""
    with zipfile.ZipFile(xml_zip) as archive:
        return archive.read(archive.namelist()[0])


@pytest.fixture(scope="session")
def xml_parsed(xml_zip: Path):
    """The 2024 export parsed once for the whole session (it takes about a second)."""
    from db.catalogue.importers import parse_path

    return parse_path(xml_zip)


def small_xml(xml: bytes, count: int = 2) -> bytes:
    """The first ``count`` <metier> elements of the export, closed into a valid document."""
    end = 0
    for _ in range(count):
        end = xml.index(b"</metier>", end) + len(b"</metier>")
    return xml[:end] + b"\n</metiers>\n"
