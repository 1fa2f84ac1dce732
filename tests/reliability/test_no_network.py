"""A whole session with the network cut off: nothing even tries to connect."""
from __future__ import annotations

import socket

import pytest

from tests.conftest import DATA


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("réseau interdit pendant ce test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.sqlite_only(reason="hors réseau, la base est le fichier SQLite local ; une base PostgreSQL se joint "
                                "par définition par le réseau (ou la socket du serveur)")
def test_full_session_offline(no_network, db_path, tmp_path, capsys):
    from desktop.cli import main

    db = str(db_path)
    assert main(["import", str(DATA / "mini.jsonl"), "--db", db]) == 0
    assert main(["search", "--texte", "soins", "--format", "json", "--db", db]) == 0
    assert main(["students", "add", "--nom", "Hors", "--prenom", "Ligne", "--db", db]) == 0

    from db.storage.opening import open_database
    from db.students.store import ShortlistItem, save_session, start_session

    database = open_database(db)
    with database.read() as session:
        state = start_session(session, 1, "2026-11-20")
    state.interests, state.shortlist = ["T-IDEO2.4807"], [ShortlistItem("ORI.aide-soignant", "")]
    save_session(database, state)
    database.close()
    assert main(["suggest", "1", "--db", db]) == 0
    assert main(["report", "1", "--out", str(tmp_path / "bilan.pdf"), "--db", db]) == 0
    assert main(["students", "export", "1", "--out", str(tmp_path / "eleve.json"), "--db", db]) == 0
    assert main(["backup", "--out", str(tmp_path / "copie.sqlite"), "--db", db]) == 0
    assert (tmp_path / "bilan.pdf").read_bytes().startswith(b"%PDF")
    assert no_network == []
