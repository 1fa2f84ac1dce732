"""Start the Qt application on a database (the ``orientation`` command without arguments).

French everywhere: Qt's own ``qtbase_fr`` translation (buttons and dialogs Qt draws itself)
and a French default locale (number formats). Text follows the system font size; it is only
made a little larger, for a projector. A bug that escapes is logged with its traceback in
the user log folder and shown as one short French sentence, never as a traceback.
"""
from __future__ import annotations

import gc
import logging
import sys
import traceback
from types import TracebackType
from typing import Callable

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from db.engine import log_dir, open_database
from db.errors import UserError

log = logging.getLogger("orientation")
FONT_SCALE = 1.1  # a little larger than the system font: the student reads from beside the counselor


def install_french(app: QApplication) -> bool:
    """Make French the default locale and load Qt's French translation; True if it was found."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.French), "qtbase", "_", path):
        log.warning("Qt French translation not found in %s", path)
        return False
    app.installTranslator(translator)
    return True


def scale_font(app: QApplication, factor: float = FONT_SCALE) -> None:
    """Enlarge the application font relative to the system's, so a larger system font stays larger."""
    font = app.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
        app.setFont(font)


def setup_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, named, in French, with readable type (reuses an existing one)."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Orientation")
    app.setOrganizationName("Orientation")
    app.setApplicationDisplayName("Orientation")
    install_french(app)
    scale_font(app)
    return app


class _ErrorRelay(QObject):
    """Carries an error sentence to the GUI thread, whichever thread the bug happened in."""

    message = Signal(str)


def unexpected_error_text() -> str:
    """The French sentence shown for a bug (where to find the detail)."""
    return f"une erreur inattendue s'est produite. Le détail est enregistré dans {log_dir() / 'orientation.log'}."


def install_excepthook(show: Callable[[str], None]) -> Callable[..., None]:
    """Log uncaught exceptions and show a short French message through ``show``; returns the hook."""
    relay = _ErrorRelay(QApplication.instance())
    relay.message.connect(show)

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        if isinstance(value, UserError):  # expected problem: its own sentence says it all
            relay.message.emit(value.message)
            return
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        relay.message.emit(unexpected_error_text())

    sys.excepthook = hook
    return hook


def freeze_startup_objects() -> None:
    """Keep the objects made at start-up out of later garbage collections.

    A full collection walks every object the process holds (Qt wrappers, SQLAlchemy, the
    catalogue…) while holding the GIL: during an import it stalled the window for 60-80 ms.
    Frozen objects are never scanned again; they were going to live as long as the process.
    """
    gc.collect()
    gc.freeze()


def run(db: str | None = None) -> int:
    """Open the database, show the main window and run the event loop; returns the exit status."""
    from desktop.main_window import MainWindow

    app = setup_application()
    database = open_database(db)
    window = MainWindow(database)
    install_excepthook(window.messages.error)
    window.show()
    freeze_startup_objects()
    try:
        return app.exec()
    finally:
        database.close()
