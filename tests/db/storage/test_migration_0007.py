"""Revision 0007 (formations, the student's current class): rows kept, labels folded, reversible."""
from __future__ import annotations

import sqlite3

import pytest
from alembic import command

from db.storage.migrate import alembic_config, upgrade_if_behind

pytestmark = pytest.mark.sqlite_only(
    reason="la migration 0007 est vérifiée sur un fichier SQLite ancien, lu avec sqlite3")


def test_0007_keeps_formations_and_students_and_goes_back(db_path):
    url = f"sqlite:///{db_path}"
    upgrade_if_behind(url, "0006")
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO formations (id, label) VALUES ('FOR.9664', 'CAP Cuisine'), "
                     "('F.bp-macon', 'BP Maçon')")
        conn.execute("INSERT INTO students (nom, prenom, classe, created_at, search_key) "
                     "VALUES ('Roux', 'Inès', '3e B', '2026-11-20 10:00:00', 'roux ines')")
    conn.close()
    assert upgrade_if_behind(url) is True
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT id, label, label_key, type_code FROM formations ORDER BY id").fetchall() == [
            ("F.bp-macon", "BP Maçon", "bp macon", None), ("FOR.9664", "CAP Cuisine", "cap cuisine", None)]
        assert conn.execute("SELECT nom, classe, current_class FROM students").fetchall() == [("Roux", "3e B", None)]
    conn.close()
    command.downgrade(alembic_config(url), "0006")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM formations").fetchone() == (2,)
        assert "current_class" not in {row[1] for row in conn.execute("PRAGMA table_info(students)")}
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'formation_metiers'").fetchone() == (0,)
    conn.close()
