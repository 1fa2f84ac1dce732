"""The window when the office's server stops answering while it is open (issue 17).

A message that says the server is gone (:func:`db.errors.says_server_gone`: a search, a save, an
opening that failed for that reason) comes with a button « Catalogue local (lecture seule) »;
the same is in the « Fichier » menu. Taking it keeps the session being edited (saved if the
server came back, else kept as a local draft by the student panel), then the list, the fiches
and the filters switch to this computer's catalogue, read-only
(:func:`db.storage.local_catalogue.open_local_catalogue`: no student table can be read there);
the student panel and the « Élève » and « Année » menus are put away, not closed: nothing typed
is lost. « Revenir au serveur » (button and menu) checks the server off the GUI thread and, when
it answers, puts everything back as it was; the draft is offered when the student is next opened.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from db.catalogue.source import DatabaseSource
from db.errors import UserError, says_server_gone
from desktop.workers import TaskRunner

if TYPE_CHECKING:
    from db.storage.engine import Database
    from desktop.main_window import MainWindow

LOCAL_LABEL = "Catalogue local (lecture seule)"
BACK_LABEL = "Revenir au serveur"
LOCAL_TITLE = "Orientation — catalogue local, lecture seule (serveur injoignable)"


class ServerLostMode(QObject):
    """Switches the window between the office's server and the local catalogue (module docstring)."""

    def __init__(self, window: MainWindow, server: Database) -> None:
        super().__init__(window)
        self.window, self.server = window, server
        self.local: Database | None = None
        self.title = window.windowTitle()
        self.checker = TaskRunner(self)
        self.local_action = QAction(LOCAL_LABEL, window)
        self.local_action.triggered.connect(self.switch_to_local)
        self.back_action = QAction(BACK_LABEL, window)
        self.back_action.triggered.connect(self.back_to_server)
        self.back_action.setVisible(False)
        menu = _file_menu(window)
        if menu is not None and menu.actions():
            last = menu.actions()[-1]  # « Quitter »
            menu.insertActions(last, [self.local_action, self.back_action])
            menu.insertSeparator(last)

    @property
    def on_local(self) -> bool:
        """Whether the window shows the local catalogue now."""
        return self.local is not None

    def offer(self, message: str) -> tuple[str, Callable[[], object]] | None:
        """The button to put beside ``message`` (an error about to be shown): the local
        catalogue when it says the server is gone and the window is still on the server."""
        if self.on_local or not says_server_gone(message):
            return None
        return (LOCAL_LABEL, self.switch_to_local)

    def switch_to_local(self) -> None:
        """Browse this computer's catalogue, read-only, until the server is back."""
        from db.storage.local_catalogue import local_catalogue_path, open_local_catalogue

        if self.on_local:
            return
        if not self._keep_unsaved_session():
            return
        path = local_catalogue_path()
        try:
            if path is None:
                raise UserError("aucun catalogue local à jour sur ce poste : il faut attendre le retour du serveur")
            local = open_local_catalogue(path)
        except UserError as exc:
            self.window.messages.error(exc.message)
            return
        self.local = local
        self._point_at(local, students=False)
        self.window.setWindowTitle(LOCAL_TITLE)
        self.window.messages.reminder("le serveur ne répond pas : vous consultez le catalogue local de ce poste en "
                                      "lecture seule (métiers seulement, sans les élèves). Les entretiens "
                                      "reviennent avec le serveur.", BACK_LABEL, self.back_to_server)

    def back_to_server(self) -> None:
        """Check, off the GUI thread, that the server answers; then work on it again."""
        if not self.on_local:
            return
        self.back_action.setEnabled(False)
        self.window.messages.info("connexion au serveur…")
        self.checker.run(self._ping, lambda _result: self._server_back(), self._still_away)

    def _ping(self) -> None:
        from sqlalchemy import text

        with self.server.read() as session:
            session.execute(text("SELECT 1"))

    def _server_back(self) -> None:
        local, self.local = self.local, None
        self._point_at(self.server, students=True)
        self.window.setWindowTitle(self.title)
        if local is not None:
            local.close()
        self.window.messages.info("le serveur répond de nouveau : vous travaillez sur le catalogue et les élèves "
                                  "du serveur.")

    def _still_away(self, message: str) -> None:
        self.back_action.setEnabled(True)
        self.window.messages.reminder(f"{message}. Vous restez sur le catalogue local, en lecture seule.", BACK_LABEL,
                                      self.back_to_server)

    def _point_at(self, database: Database, *, students: bool) -> None:
        """List, fiches, filter lists and imports on ``database``; the student parts shown or not."""
        window = self.window
        window.database = database
        window.importer.database = database  # the local one refuses at once, in French
        window.browser.use(DatabaseSource(database))
        if window.students is not None:  # the routes from the pupil's class: student data, the server's only
            window.students.show_fiche_routes() if students else window.fiche_view.set_routes_source(None)
        window.student_dock.setVisible(students)
        window.student_menu.setEnabled(students)
        for menu in _menus_named(window, "Ann&ée"):
            menu.setEnabled(students)
        self.local_action.setVisible(students)
        self.back_action.setVisible(not students)
        self.back_action.setEnabled(True)
        window.browser.load_choices(window._set_choices)

    def _keep_unsaved_session(self) -> bool:
        """Save the session being edited, or have it kept as a local draft; False (nothing
        switched) when neither worked, so that nothing typed is put out of sight unsaved."""
        students = getattr(self.window, "students", None)
        panel = getattr(students, "panel", None)
        if panel is None or not panel.dirty:
            return True
        if panel.save():
            return True
        from db.students.drafts import find_draft

        student = panel.student
        return student is not None and find_draft(self.server.url, student.id) is not None


def install_server_lost_mode(window: MainWindow, database: Database) -> ServerLostMode | None:
    """On a server database: the mode, wired to the window's error messages; else None."""
    from db.storage.local_catalogue import is_server_url

    if not is_server_url(database.url):
        return None
    mode = ServerLostMode(window, database)
    window.messages.error_action = mode.offer
    return mode


def _file_menu(window: MainWindow) -> QMenu | None:
    return next(iter(_menus_named(window, "&Fichier")), None)


def _menus_named(window: MainWindow, title: str) -> list[QMenu]:
    return [menu for menu in window.menuBar().findChildren(QMenu) if menu.title() == title]
