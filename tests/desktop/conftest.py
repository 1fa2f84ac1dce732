"""Desktop fixtures: the real main window on a fresh database, with a recording message service
and a settings file of its own (never the user's)."""
from __future__ import annotations

import pytest

from desktop.messages import MessageService


class RecordingMessages(MessageService):
    """Keeps every message instead of showing it; ``answer`` is what :meth:`confirm` returns."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.questions: list[str] = []
        self.answer = True
        self.choice: int | None = 0  # what choose() returns
        self.actions: dict[str, object] = {}  # reminder button label → callback

    def info(self, text: str) -> None:
        self.shown.append(("info", text))

    def warning(self, text: str) -> None:
        self.shown.append(("warning", text))

    def error(self, text: str) -> None:
        self.shown.append(("error", text))
        button = self.error_action(text) if self.error_action else None  # as the message bar would show it
        if button is not None:
            self.actions[button[0]] = button[1]

    def confirm(self, question: str, *, yes: str = "Oui", no: str = "Non") -> bool:
        self.questions.append(question)
        return self.answer

    def choose(self, question: str, choices) -> int | None:
        self.questions.append(question)
        return self.choice

    def reminder(self, text: str, action: str, callback) -> None:
        self.shown.append(("reminder", text))
        self.actions[action] = callback

    def texts(self, level: str | None = None) -> list[str]:
        return [text for lvl, text in self.shown if level is None or lvl == level]


@pytest.fixture(scope="session")
def french_qt(qapp):
    """Qt's French translation, installed once as the application installs it at start
    (shortcut names read "Ctrl+Maj+B"): a test that reads them must not depend on another test
    having installed it before (the PostgreSQL pass and parallel runs order tests differently)."""
    from desktop.app import install_french

    assert install_french(qapp)


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "orientation.ini"


@pytest.fixture
def make_window(qtbot, settings_path):
    """Build a shown MainWindow on a database; closed (and its workers waited for) after the test."""
    from desktop.main_window import MainWindow
    from desktop.settings import Settings

    def make(database, *, size=(1280, 720)):
        window = MainWindow(database, settings=Settings(settings_path), messages=RecordingMessages())
        qtbot.addWidget(window, before_close_func=stop_timers)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.filter_dock.raise_()  # catalogue tests work in the filters (the Élève panel comes forward by itself)
        qtbot.waitUntil(lambda: not window.browser.busy)
        return window

    return make


def stop_timers(widget) -> None:
    """Stop the widget's pending delayed work (a search typed less than its debounce delay
    before the test ended): closed after the test, the window must not query a database that
    the test's teardown has closed, or on the PostgreSQL pass dropped from the server."""
    from PySide6.QtCore import QTimer

    for timer in widget.findChildren(QTimer):
        timer.stop()


@pytest.fixture
def window(make_window, mini_db):
    """The main window on the eight test fiches."""
    return make_window(mini_db)


def shown_ids(window) -> list[str]:
    """Public ids of the rows the table holds, in order."""
    model = window.model
    return [model.row_at(i).id for i in range(model.rowCount())]


def wait_ids(qtbot, window, expected, *, ordered: bool = False) -> None:
    """Wait until the table shows exactly ``expected`` (a set, or a list when ``ordered``)."""
    if ordered:
        qtbot.waitUntil(lambda: shown_ids(window) == list(expected))
    else:
        qtbot.waitUntil(lambda: set(shown_ids(window)) == set(expected))
