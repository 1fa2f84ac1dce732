"""The window when the office's server stops answering while it is open (issue 17): the error
offers this computer's catalogue read-only, the session being edited is kept as a draft, the
list switches to the local métiers without any student, and « Revenir au serveur » puts the
server back once it answers (test server behind :class:`tests.pg_relay.Relay`)."""
from __future__ import annotations

import hashlib
import sys

import pytest

from db.errors import SERVER_GONE_SENTENCE
from db.storage.opening import open_database
from db.storage.paths import default_db_path
from db.students.drafts import find_draft
from db.students.store import create_student
from desktop.app import install_excepthook
from desktop.server_lost import BACK_LABEL, LOCAL_LABEL
from tests import pg_relay
from tests.desktop.conftest import shown_ids
from tests.pg_relay import Relay

relayed = pg_relay.relayed  # the fixture: the test server behind a relay that can be cut


def _names(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [window.model.row_at(i).name for i in range(window.model.rowCount())]


@pytest.mark.qt_no_exception_capture
def test_a_server_lost_while_open_switches_to_the_local_catalogue_and_back(  # type: ignore[no-untyped-def]
        qtbot, make_window, relayed, monkeypatch) -> None:
    local = open_database(None, backups=False)  # this computer's catalogue: the starter fiches, one pupil of its own
    create_student(local, "Local", "Élève", "3e B")
    local.close()
    before = hashlib.sha256(default_db_path().read_bytes()).hexdigest()
    url, relay, socket_path = relayed
    server = open_database(url, load_starter=False)  # the office's catalogue: empty here, so the switch shows
    try:
        student = create_student(server, "Lefèvre", "Chloé", "3e A")
        window = make_window(server)
        qtbot.waitUntil(lambda: window.database is server and window.server_lost is not None)
        assert shown_ids(window) == []
        window.students.panel.open_student(student)
        window.students.panel.editor.private_notes.setPlainText("ce qu'elle a dit")
        assert window.students.panel.dirty

        relay.stop()
        # In the application, an error in a slot reaches its exception hook, which shows the
        # French sentence (here the hook is the application's own, see the mark above).
        monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
        install_excepthook(window.messages.error)
        window.filters.search_box.setText("boulanger")
        qtbot.waitUntil(lambda: LOCAL_LABEL in window.messages.actions, timeout=15_000)
        assert SERVER_GONE_SENTENCE in window.messages.texts("error")[-1]
        window.messages.actions.pop(LOCAL_LABEL)()  # the button beside the message
        assert find_draft(url, student) is not None  # the unsaved session: kept on this computer
        assert window.server_lost.on_local and "lecture seule" in window.windowTitle()
        assert not window.student_dock.isVisible() and not window.student_menu.isEnabled()
        window.filters.search_box.setText("")
        window.filters.search_box.setText("boulanger")
        qtbot.waitUntil(lambda: not window.browser.busy and any("oulang" in n.lower() for n in _names(window)))
        assert not any("Local" in n or "Lefèvre" in n for n in _names(window))
        window.open_fiche(window.model.row_at(0).id)
        assert window.fiche_view.fiche is not None and "oulang" in window.fiche_view.fiche.name.lower()
        assert window.students.panel.editor.private_notes.toPlainText() == "ce qu'elle a dit"  # put away, not lost

        window.messages.actions.pop(BACK_LABEL)()  # the server is still away: one sentence, still local
        qtbot.waitUntil(lambda: BACK_LABEL in window.messages.actions, timeout=15_000)
        assert window.server_lost.on_local and SERVER_GONE_SENTENCE in window.messages.shown[-1][1]

        back = Relay(socket_path, relay.port)
        try:
            window.messages.actions.pop(BACK_LABEL)()
            qtbot.waitUntil(lambda: not window.server_lost.on_local, timeout=15_000)
            assert window.database is server and window.student_dock.isVisible() and window.student_menu.isEnabled()
            assert "lecture seule" not in window.windowTitle()
            qtbot.waitUntil(lambda: not window.browser.busy)
            assert shown_ids(window) == []  # the server's (empty) catalogue again
            assert window.students.panel.save()  # the session typed before the loss reaches the server
            assert find_draft(url, student) is None
        finally:
            back.stop()
        window.close()
    finally:
        server.close()
    assert hashlib.sha256(default_db_path().read_bytes()).hexdigest() == before  # the local file: untouched


@pytest.mark.sqlite_only(reason="un fichier SQLite n'a pas de serveur qui puisse disparaître")
def test_on_a_sqlite_file_nothing_is_offered(make_window, mini_db) -> None:  # type: ignore[no-untyped-def]
    window = make_window(mini_db)
    assert window.server_lost is None
    window.messages.error(SERVER_GONE_SENTENCE)
    assert LOCAL_LABEL not in window.messages.actions


def test_the_message_bar_shows_the_offered_button(qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.messages import MessageBar, WindowMessages

    bar = MessageBar()
    qtbot.addWidget(bar)
    messages = WindowMessages(bar, bar)
    pressed: list[str] = []
    messages.error_action = lambda text: (LOCAL_LABEL, lambda: pressed.append(text)) if "serveur" in text else None
    messages.error("le disque est plein")
    assert bar.action_button.isHidden()
    messages.error(SERVER_GONE_SENTENCE)
    assert not bar.action_button.isHidden() and bar.action_button.text() == LOCAL_LABEL
    bar.action_button.click()
    assert pressed == [SERVER_GONE_SENTENCE]
