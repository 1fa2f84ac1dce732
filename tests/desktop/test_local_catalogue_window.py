"""The window when the office's server is away: the French sentence, then, if the counselor
accepts, this computer's catalogue read-only — métiers to browse, no student, nothing written."""
from __future__ import annotations

import hashlib
import socket

import pytest

from db.storage.opening import open_database
from db.storage.paths import default_db_path
from db.students.store import create_student
from desktop.app import open_or_recover
from tests.desktop.conftest import shown_ids

pytestmark = pytest.mark.sqlite_only(reason="le catalogue local est un fichier SQLite ; le serveur est injoignable")


def _dead_server() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+psycopg://conseiller@127.0.0.1:{port}/orientation"


def test_an_unreachable_server_offers_the_local_catalogue_read_only(qtbot, make_window) -> None:
    local = open_database(None, backups=False)
    create_student(local, "Lefèvre", "Chloé", "3e B")
    local.close()
    before = hashlib.sha256(default_db_path().read_bytes()).hexdigest()
    asked: list[str] = []
    errors: list[str] = []

    assert open_or_recover(_dead_server(), lambda _m: True, errors.append, lambda q: asked.append(q) or False) is None
    assert len(asked) == 1 and asked[0].startswith("connexion impossible") and "lecture seule" in asked[0]

    database = open_or_recover(_dead_server(), lambda _m: True, errors.append, lambda q: True)
    assert database is not None and database.read_only and errors == []
    window = make_window(database)
    qtbot.waitUntil(lambda: window.database is database)
    assert "lecture seule" in window.windowTitle()
    assert not window.student_dock.isVisible() and not window.student_menu.isEnabled()
    assert any("lecture seule" in text for text in window.messages.texts("warning"))
    window.filters.search_box.setText("boulanger")
    qtbot.waitUntil(lambda: not window.browser.busy and len(shown_ids(window)) > 0
                    and "oulang" in window.model.row_at(0).name.lower())
    assert all("Lefèvre" not in window.model.row_at(i).name for i in range(window.model.rowCount()))
    window.close()
    database.close()
    assert hashlib.sha256(default_db_path().read_bytes()).hexdigest() == before


def test_a_base_on_a_read_only_medium_is_offered_read_only(tmp_path, qtbot, make_window):
    from tests.db.storage.test_opening import remount_read_only, small_filesystem

    folder = tmp_path / "partage"
    with small_filesystem(folder, 40_000):
        base = folder / "orientation.sqlite"
        open_database(str(base), backups=False).close()
        remount_read_only(folder)
        asked: list[str] = []
        assert open_or_recover(str(base), lambda _m: True, pytest.fail, lambda q: asked.append(q) or False) is None
        assert len(asked) == 1 and "lecture seule" in asked[0] and "consulter les métiers" in asked[0]

        database = open_or_recover(str(base), lambda _m: True, pytest.fail, lambda q: True)
        assert database is not None and database.read_only
        window = make_window(database)
        qtbot.waitUntil(lambda: window.database is database)
        assert "lecture seule" in window.windowTitle() and not window.student_menu.isEnabled()
        window.close()
        database.close()
