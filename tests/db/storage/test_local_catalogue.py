"""When the office's server is away: one French sentence at once, and this computer's own
catalogue opened read-only for browsing métiers (no student visible, nothing written)."""
from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest
from sqlalchemy import text

from db.catalogue.search import Criteria, search
from db.errors import UserError
from db.models import Base
from db.storage.local_catalogue import STUDENT_TABLES, open_local_catalogue, server_away_fallback
from db.storage.opening import open_database
from db.storage.paths import default_db_path
from db.students.store import create_student, find_students
from desktop.cli import main

pytestmark = pytest.mark.sqlite_only(reason="le catalogue local est un fichier SQLite ; le serveur est injoignable")


def _dead_server() -> str:
    with socket.socket() as probe:  # a port where nothing listens once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+psycopg://conseiller@127.0.0.1:{port}/orientation"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def local_file() -> Path:
    """The default local database, with the starter catalogue and one student, closed."""
    database = open_database(None, backups=False)
    create_student(database, "Lefèvre", "Chloé", "3e B")
    database.close()
    return default_db_path()


def test_every_table_is_either_catalogue_or_student() -> None:
    student_like = {name for name, table in Base.metadata.tables.items()
                    if "student_id" in table.columns or name in {"students", "access_log", "erasures"}}
    assert student_like <= STUDENT_TABLES <= set(Base.metadata.tables)


def test_a_dead_server_offers_the_local_catalogue_in_french(local_file: Path) -> None:
    url = _dead_server()
    with pytest.raises(UserError) as raised:
        open_database(url)
    away = server_away_fallback(url, raised.value)
    assert away is not None and away.local == local_file
    assert away.message.startswith("connexion impossible") and "lecture seule" in away.message
    assert server_away_fallback(str(local_file), raised.value) is None  # a file is not a server


def test_without_a_local_catalogue_the_sentence_says_so(tmp_path: Path) -> None:
    url = _dead_server()
    with pytest.raises(UserError) as raised:
        open_database(url)
    away = server_away_fallback(url, raised.value, tmp_path / "absente.sqlite")
    assert away is not None and away.local is None and "Aucun catalogue local" in away.message
    with pytest.raises(UserError, match="aucun catalogue local"):
        open_local_catalogue(tmp_path / "absente.sqlite")


def test_the_local_catalogue_is_searchable_shows_no_student_and_writes_nothing(local_file: Path) -> None:
    before = _digest(local_file)
    database = open_local_catalogue()
    try:
        assert database.read_only
        with database.read() as session:
            found = search(session, Criteria(text="boulanger"))
            assert found and any("oulang" in row.name for row in found)
            with pytest.raises(Exception, match="prohibited"):
                session.execute(text("SELECT nom FROM students")).all()
            with pytest.raises(Exception, match="prohibited"):
                find_students(session)
        with pytest.raises(UserError, match="lecture seule"):
            create_student(database, "Martin", "Paul")
        with database.sessions() as session, pytest.raises(Exception, match=r"readonly|read-only|query_only"):
            session.execute(text("UPDATE metiers SET name = 'changé'"))
    finally:
        database.close()
    assert _digest(local_file) == before


def test_the_search_command_falls_back_to_the_local_catalogue(local_file: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(local_file)
    assert main(["search", "--texte", "boulanger", "--format", "json", "--db", _dead_server()]) == 0
    out, err = capsys.readouterr()
    assert "oulang" in out and "Lefèvre" not in out
    assert err.startswith("Attention : connexion impossible") and "lecture seule" in err
    # A command about students still refuses: the local catalogue shows none.
    assert main(["students", "list", "--db", _dead_server()]) == 2
    assert "connexion impossible" in capsys.readouterr().err
    assert _digest(local_file) == before
