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
from typing import TYPE_CHECKING, ClassVar, TypeVar
from collections.abc import Callable

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication, QWidget

from db.errors import DamagedPageError, UserError, user_message
from db.storage.paths import log_dir

if TYPE_CHECKING:
    from db.storage.engine import Database
    from desktop.backend_loader import BackendLoader
    from desktop.main_window import MainWindow

log = logging.getLogger("orientation")
_A = TypeVar("_A")
FIRST_PAINT_WAIT_MS = 1000  # start loading anyway when the window is not painted by then
FONT_SCALE = 1.1  # a little larger than the system font: the student reads from beside the counselor


class _FrenchGaps(QTranslator):
    """The few strings Qt's own French translation leaves in English (the file dialog's)."""

    TEXTS: ClassVar[dict[tuple[str, str], str]] = {
        ("QFileDialog", "&Look in:"): "&Regarder dans\u00a0:",
        ("QFileDialog", "Files of &type:"): "&Type de fichier\u00a0:"}

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # type: ignore[override]
                  n: int = -1) -> str | None:
        return self.TEXTS.get((context, source))  # None: not ours, Qt's translation answers

    def isEmpty(self) -> bool:
        return False


def install_french(app: QApplication) -> bool:
    """Make French the default locale and load Qt's French translation; True if it was found."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.French), "qtbase", "_", path):
        log.warning("Qt French translation not found in %s", path)
        return False
    gaps = _FrenchGaps(app)
    _KEPT.extend((translator, gaps))  # the Python object answers translate(): keep it alive
    app.installTranslator(translator)
    app.installTranslator(gaps)  # installed last: asked first
    return True


_KEPT: list[QTranslator] = []


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
        message = user_message(value)
        if message is not None:  # expected problem: its own sentence says it all
            relay.message.emit(message)
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
    Collection is (re-)enabled here: the GUI start-up turns it off while it builds the window.
    No full collection first: with ~90,000 objects tracked it blocked the window 55-95 ms right
    after start, to free ~1,600 garbage objects (a few hundred kB, kept instead).
    """
    gc.freeze()
    gc.enable()


def open_or_recover(db: str | None, ask_restore: Callable[[str], bool], show_error: Callable[[str], None],
                    ask_local: Callable[[str], bool] | None = None) -> Database | None:
    """Open the database; when it is damaged, offer to restore the newest backup instead of
    crashing; when it is a server that cannot be reached, offer (``ask_local``, a yes/no
    question) this computer's catalogue read-only. Returns None (after telling the user why, in
    French) when nothing is opened."""
    from db.storage.backup import restore_from, sqlite_path
    from db.storage.engine import resolve_url
    from db.storage.opening import open_database
    from db.errors import DatabaseDamagedError

    try:
        return open_database(db, daily=False)  # the day's backup: off the GUI thread, see _back_up_later
    except DatabaseDamagedError as exc:
        if exc.backup is None or not ask_restore(exc.message):
            show_error(exc.message)
            return None
        try:
            path = sqlite_path(resolve_url(db))
            assert path is not None  # only a SQLite file is found damaged
            restore_from(path, exc.backup)
            return open_database(db, daily=False)
        except UserError as again:
            show_error(again.message)
            return None
    except UserError as exc:
        return _local_catalogue_or_error(db, exc, ask_local or _ask_yes_no, show_error)


OPENING_NOTICE = ("Préparation de la base de données d'Orientation…\n\nUne base créée par une version "
                  "précédente est mise à jour, une nouvelle base reçoit le catalogue de départ : "
                  "quelques secondes, une seule fois.")


def open_with_notice(db: str | None, ask_restore: Callable[[str], bool],
                     show_error: Callable[[str], None]) -> Database | None:
    """:func:`open_or_recover` with a small window saying what is happening meanwhile.

    Used when the database cannot be shown at once (new, older schema, damaged…): creating it
    or bringing it up to date takes seconds on the GUI thread (7 s for a counselor's base of ten
    years at migration 0017), and a window that does not appear invites a second launch. The
    notice closes before any question or message, and when the opening ends."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    notice = QLabel(OPENING_NOTICE)
    notice.setWindowTitle("Orientation")
    notice.setAccessibleName("Préparation de la base de données")
    notice.setWordWrap(True)
    notice.setMargin(24)
    notice.setFixedWidth(460)
    notice.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
    notice.adjustSize()
    screen = QApplication.primaryScreen()
    if screen is not None:  # in the middle of the screen, where the window will appear
        notice.move(screen.availableGeometry().center() - notice.rect().center())
    notice.show()
    for _ in range(3):  # mapped, then painted: the opening below holds the GUI thread
        QApplication.processEvents()

    def first_closing(ask: Callable[[str], _A]) -> Callable[[str], _A]:
        def asked(message: str) -> _A:
            notice.close()
            return ask(message)
        return asked

    try:
        return open_or_recover(db, first_closing(ask_restore), first_closing(show_error),
                               first_closing(_ask_yes_no))
    finally:
        notice.close()
        notice.deleteLater()


def _local_catalogue_or_error(db: str | None, exc: UserError, ask: Callable[[str], bool],
                              show_error: Callable[[str], None]) -> Database | None:
    """A server that cannot be reached: offer this computer's catalogue, read-only (métiers only);
    a base this account cannot write: offer to consult it read-only; any other problem, or a
    refusal: its sentence, and None."""
    from db.errors import DatabaseLocationError
    from db.storage.local_catalogue import open_local_catalogue, read_only_note, server_away_fallback

    if isinstance(exc, DatabaseLocationError) and exc.read_only is not None:
        if not ask(f"{exc.message}.\n\nL'ouvrir quand même en lecture seule, pour consulter les métiers "
                   "(sans les élèves) ?"):
            return None
        return open_local_catalogue(exc.read_only, read_only_note(exc.read_only))
    away = server_away_fallback(db, exc)
    if away is None or away.local is None:
        show_error(away.message if away else exc.message)
        return None
    if not ask(f"{away.message}.\n\nOuvrir maintenant le catalogue local en lecture seule ?"):
        return None
    try:
        return open_local_catalogue(away.local)
    except UserError as again:
        show_error(again.message)
        return None


def _ask_yes_no(question: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(None, "Orientation", f"{question[:1].upper()}{question[1:]}")
    return answer == QMessageBox.StandardButton.Yes


def _ask_restore(message: str) -> bool:
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(None, "Orientation", f"{message[:1].upper()}{message[1:]}.\n\n"
                                  "Restaurer maintenant la dernière sauvegarde ? (la base endommagée est conservée)")
    return answer == QMessageBox.StandardButton.Yes


def _show_error(message: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, "Orientation", f"{message[:1].upper()}{message[1:]}.")


def run(db: str | None = None) -> int:
    """Open the database, show the main window and run the event loop; returns the exit status.

    On an ordinary start the window opens on the plain startup view of the catalogue and the
    database layer loads behind it (:mod:`desktop.backend_loader`); a missing, older or
    damaged database is opened (created, migrated, or restored) before the window instead.
    """
    from db.catalogue.startup_view import open_startup_view
    from db.storage.paths import base_to_create
    from desktop.main_window import MainWindow

    app = setup_application()
    startup = open_startup_view(db)
    window: MainWindow | None = None
    if startup is not None:
        try:
            window = MainWindow(startup=startup)
        except DamagedPageError:  # its first page is damaged (recorded): the ordinary path asks to restore
            startup.close()
    if window is None:
        new_file = base_to_create(db)
        database = open_with_notice(db, _ask_restore, _show_error)
        if database is None:
            return 2
        window = MainWindow(database)
        if new_file is not None and new_file.is_file():  # a mistyped --db must not pass for an empty caseload
            window.messages.info(f"Nouvelle base de données créée : {new_file} (catalogue de départ, aucun élève).")
        _after_first_paint(window, lambda: _back_up_later(window, database))
        return _show_and_run(app, window, None)
    loader = _start_loader(db, window)
    return _show_and_run(app, window, loader)


def _start_loader(db: str | None, window: MainWindow) -> BackendLoader:
    """Load the database layer behind ``window``; a failure is handled as at an ordinary start."""
    from desktop.backend_loader import BackendLoader

    loader = BackendLoader(db, window)

    def failed(_message: str) -> None:
        # Again in the GUI thread, where the restore question and the messages can be shown.
        try:
            database = open_or_recover(db, _ask_restore, _show_error)
        except Exception:  # a bug: logged, one French sentence, and the application stops
            log.exception("opening the database failed")
            _show_error(unexpected_error_text())
            QApplication.exit(1)
            return
        if database is None:
            QApplication.exit(2)
            return
        loader.database = database
        window.attach_database(database)
        freeze_startup_objects()
        _back_up_later(window, database)

    # In short event-loop turns: the window answers while the student panel is built.
    loader.loaded.connect(lambda database: window.attach_database(database, loader.choices, staged=True,
                                                                  first=loader.first_page))
    # Once every action works, each in a turn of its own.
    window.ready.connect(lambda: QTimer.singleShot(0, freeze_startup_objects))
    window.ready.connect(lambda: QTimer.singleShot(0, lambda: _back_up_later(window, loader.database)))
    loader.failed.connect(failed)
    # Once the window is painted: started earlier, the thread slows the drawing down (GIL).
    _after_first_paint(window, lambda: loader.start((window.browser.criteria, window.model.page_size)))
    return loader


def _back_up_later(window: MainWindow, database: Database) -> None:
    """The day's backup (skipped when nothing changed) on a worker thread, once the window has
    its database: copying the file never delays the first paint nor blocks the GUI thread. A
    backup that cannot be made is a warning in the window's message bar."""
    from db.storage.opening import backup_in_background
    from desktop.workers import TaskRunner

    def done(warning: str | None) -> None:
        if warning:
            window.messages.warning(warning)

    TaskRunner(window).run(lambda: backup_in_background(database), done, window.messages.warning,
                           error="la sauvegarde du jour s'est arrêtée sur une erreur inattendue "
                                 "(détail dans le journal). L'application reste utilisable")


class _FirstPaint(QObject):
    """Calls ``then`` once, on the event-loop turn after ``widget`` is first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        # A window that is never painted (minimised at start) must still get its database.
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self._go)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.then is not None:
            QTimer.singleShot(0, self._go)  # after this frame reaches the screen
        return False

    def _go(self) -> None:
        then, self.then = self.then, None
        if then is not None:
            self.widget.removeEventFilter(self)
            then()


def _after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    _FirstPaint(widget, then)


def _show_and_run(app: QApplication, window: MainWindow, loader: BackendLoader | None) -> int:
    install_excepthook(window.messages.error)
    window.show()
    if loader is None:
        freeze_startup_objects()
    try:
        return app.exec()
    finally:
        if loader is not None:
            loader.wait()
        database = window.database or (loader.database if loader is not None else None)
        if database is not None:
            database.close()
