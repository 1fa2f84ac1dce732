"""A damaged page met while the database is in use (opening reads only the header, the full check
runs in the background): the counselor gets one French sentence, nothing is written, and the
next opening checks the whole file and names what to restore."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from db.catalogue.search import Criteria, search
from db.errors import DamagedPageError, DatabaseDamagedError
from db.storage import backup, integrity
from db.storage.opening import open_database
from tests.conftest import run_cli

pytestmark = pytest.mark.sqlite_only(reason="des pages d'un fichier SQLite abîmées à la main")


def damage_the_metiers(db_file: Path) -> None:
    """Scribble over a few leaves of the ``metiers`` table in the middle of the closed file:
    pages the cheap checks of opening never read."""
    with sqlite3.connect(db_file) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        leaves = [n for (n,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'metiers' AND pagetype = 'leaf' ORDER BY pageno")]
    conn.close()
    assert len(leaves) > 8, "the starter catalogue fills more than a few pages"
    data = bytearray(db_file.read_bytes())
    for number in leaves[len(leaves) // 2:len(leaves) // 2 + 4]:  # numbered from 1
        data[(number - 1) * page:number * page] = b"\xa5" * page
    db_file.write_bytes(bytes(data))


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's variable-length integer at ``at``: (value, position after it)."""
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def damage_rows_of(db_file: Path, table: str, rowids: set[int]) -> int:
    """Scribble over the leaves of ``table`` that hold one of ``rowids`` (read from each table
    leaf's cells: payload size, then rowid); returns how many pages were damaged."""
    with sqlite3.connect(db_file) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        leaves = [n for (n,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
    conn.close()
    data = bytearray(db_file.read_bytes())
    hit = 0
    for number in leaves:
        start = (number - 1) * page
        leaf = bytes(data[start:start + page])
        assert leaf[0] == 0x0D, "a table leaf"
        cells = int.from_bytes(leaf[3:5], "big")
        found = set()
        for i in range(cells):
            at = int.from_bytes(leaf[8 + 2 * i:10 + 2 * i], "big")
            _size, at = _varint(leaf, at)
            found.add(_varint(leaf, at)[0])
        if found & rowids:
            data[start:start + page] = b"\xa5" * page
            hit += 1
    db_file.write_bytes(bytes(data))
    return hit


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(db_path: Path) -> Path:
    """A starter base, closed cleanly (so no check is due), then damaged on disk."""
    open_database(str(db_path), daily=False).close()
    damage_the_metiers(db_path)
    return db_path


def test_a_search_meeting_a_damaged_page_says_so_and_the_next_opening_checks(damaged: Path) -> None:
    database = open_database(str(damaged), daily=False)  # the header is sound: it opens
    before = digest(damaged)
    try:
        with pytest.raises(DamagedPageError) as caught, database.read() as session:
            search(session, Criteria(), limit=10_000)  # every métier: reads the damaged pages
    finally:
        database.close()
    assert "endommagée" in caught.value.message and "Relancez" in caught.value.message
    assert digest(damaged) == before  # nothing written
    assert integrity.recorded_problem(damaged) is not None
    # The next opening runs the full check at once and refuses the file, naming what to do.
    with pytest.raises(DatabaseDamagedError) as refused:
        open_database(str(damaged), daily=False)
    assert "contrôle d'intégrité" in refused.value.message and "restore" in refused.value.message


def test_the_next_opening_names_the_backup_to_restore(db_path: Path) -> None:
    open_database(str(db_path), daily=False).close()
    kept = backup.automatic_backup(db_path, "quotidienne")  # made before the disk failed
    assert kept is not None
    damage_the_metiers(db_path)
    database = open_database(str(db_path), daily=False)
    with pytest.raises(DamagedPageError), database.read() as session:
        search(session, Criteria(), limit=10_000)
    database.close()
    with pytest.raises(DatabaseDamagedError) as refused:
        open_database(str(db_path), daily=False)
    assert refused.value.backup == kept and f'orientation restore "{kept}"' in refused.value.message


def test_a_command_meeting_a_damaged_page_prints_the_sentence_not_a_bug(damaged: Path, capsys) -> None:
    status, _out, err = run_cli(capsys, "search", "--db", str(damaged))
    assert status == 2
    assert "endommagée" in err and "inattendue" not in err
    # The same command again: refused at opening, with the check's sentence.
    status, _out, err = run_cli(capsys, "search", "--db", str(damaged))
    assert status == 2 and "contrôle d'intégrité" in err


def test_a_sound_file_records_nothing(db_path: Path) -> None:
    database = open_database(str(db_path), daily=False)
    with database.read() as session:
        assert len(search(session, Criteria(), limit=10_000)) > 100
    database.close()
    assert integrity.recorded_problem(db_path) is None
