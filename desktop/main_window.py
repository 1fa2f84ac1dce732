"""The counselor's main window: filters and student panels | métier table | fiche, menus, import, messages.

The window only wires the parts together: the search runs in :mod:`desktop.browse` (and
``db``), filters live in :mod:`desktop.filter_panel`, the fiche in :mod:`desktop.fiche_view`,
imports in :mod:`desktop.import_worker`, the student panel and its menu in
:mod:`desktop.student_actions`. The filters and the student panel are docks (side by side on
a wide screen, tabs otherwise). Messages go through one :class:`MessageService` that tests
replace; preferences (title form, geometry, docks, splitter) through :class:`Settings`.

The window can open before the database layer is loaded: built on a
:class:`db.catalogue.startup_view.StartupView`, it shows the catalogue at once and gets the
:class:`~db.storage.engine.Database` later through :meth:`MainWindow.attach_database`. What needs the
database meanwhile (opening a fiche, importing) is kept and done on attaching; the student
panel and its menu are built then. Given a database, the window attaches it at once.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QFrame, QLabel, QMainWindow, QMenu, QMessageBox, QScrollArea,
                               QSplitter, QTabBar, QTabWidget, QVBoxLayout, QWidget)

from db.catalogue.search_types import Choices, Criteria
from db.catalogue.source import CatalogueSource, DatabaseSource, StartupSource
from desktop.browse import CatalogueBrowser
from desktop.chips import ResultsBar
from desktop.common_widgets import name_inner_controls
from desktop.fiche_view import FicheView
from desktop.filter_panel import FilterPanel
from desktop.import_worker import ImportController, ImportProgress, ImportSummaryDialog, summary_lines
from desktop.messages import MessageBar, MessageService, WindowMessages
from desktop.settings import TITLE_FORMS, Settings
from desktop.table_model import MetierTableModel, RowRole
from desktop.table_view import MetierTableView
from desktop.workers import in_turns

if TYPE_CHECKING:
    from desktop.student_page import StudentPage
    from db.catalogue.importing import ImportSummary
    from db.catalogue.startup_view import StartupView
    from db.storage.engine import Database
    from desktop.server_lost import ServerLostMode
    from desktop.student_actions import StudentActions

ABOUT_TEXT = (
    "<h3>Orientation</h3>"
    "<p>Catalogue des métiers pour les entretiens d'orientation. Fonctionne sans connexion internet.</p>"
    "<p><b>Sources et licences</b></p><ul>{sources}</ul>"
    "<p>Une base tirée des données Onisep reste sous licence ODbL : « orientation export --onisep-odbl » "
    "l'écrit sous une forme lisible par un programme.</p>"
)
ABOUT_SOURCES_UNKNOWN = ("Idéo-Fiches métiers et Idéo-Fiches formations, Onisep, sous licence ODbL ; ROME, "
                         "France Travail, sous Licence Ouverte (Etalab) ; fiches rédigées par l'équipe Orientation")
SPLITTER_SHARES = (0.45, 0.55)  # table | fiche, when no positions were saved
FILTER_WIDTH = 270  # px of the Filtres panel at first start: its lists uncut
STUDENT_WIDTH = 420  # px of the Élève panel: its five tabs and the suggestions' reasons readable
# px: a narrower window at first start (a 1024 px school screen) gives the Filtres panel its minimum width;
NARROW_WINDOW = 1280  # the Élève panel keeps its own (narrower, its buttons are cut)
FILE_FILTER = "Fiches (*.jsonl *.json *.md *.xml *.zip *.tar.gz *.tgz *.csv *.txt);;Tous les fichiers (*)"
WIDE_CENTRE = 1000  # px: from this width of the centre the fiche sits beside the table, else under it
WINDOW_STATE_VERSION = 2  # docks side by side (version 1 tabbed them: such a saved state is not restored)


class MainWindow(QMainWindow):
    """Window titled "Orientation" (see the module docstring)."""

    ready = Signal()  # the database is attached: every action works

    def __init__(self, database: Database | None = None, *, startup: StartupView | None = None,
                 settings: Settings | None = None, messages: MessageService | None = None) -> None:
        """Open on ``database``, or on ``startup`` until :meth:`attach_database` is called."""
        super().__init__()
        self.database: Database | None = None
        self.students: StudentActions | None = None
        self.server_lost: ServerLostMode | None = None  # on an office server (desktop.server_lost)
        self._on_ready: list[Callable[[], None]] = []
        self.settings = settings or Settings()
        self.setWindowTitle("Orientation")
        self.setAcceptDrops(True)
        self._build_parts(database, startup)
        self.messages: MessageService = messages or WindowMessages(self.message_bar, self)
        self._build_layout()
        self._build_menus()
        self._connect()
        self._restore()
        name_inner_controls(self)
        self.summary_dialog: ImportSummaryDialog | None = None
        self.about_box: QMessageBox | None = None
        self.reload_choices()
        self.browser.apply(self.filters.criteria())
        self.table.setSortingEnabled(True)
        if database is not None:
            self.attach_database(database)

    def attach_database(self, database: Database, choices: Choices | None = None, staged: bool = False,
                        first: tuple[Criteria, Any] | None = None) -> None:
        """Work on ``database`` from now on: build what needs it and do what was asked meanwhile;
        :attr:`ready` is emitted once every action works. ``choices``, the database's filter lists,
        and ``first`` (see :meth:`CatalogueBrowser.use`) when already read off the GUI thread.
        ``staged``: the work is cut into short event-loop turns (start-up: the window stays
        responsive, issue 20) instead of done before returning."""
        self.importer.database = database
        if not isinstance(self.browser.source, DatabaseSource):  # opened on the startup view: take over
            shown_choices = self.browser.choices()
            self.browser.use(DatabaseSource(database), first)
            if choices is None:
                choices = self.browser.choices()
            if choices != shown_choices:
                self._set_choices(choices)
        if database.read_only:  # the local catalogue while the server is away: métiers only
            from desktop.local_catalogue_mode import attach_catalogue_only
            return attach_catalogue_only(self, database)
        if not staged:
            self._attach_done(database, self._attach_students(database, None, deferred=False))
            return
        self._attach_in_turns(database, choices)  # one short step per turn (issue 20), ready after the last

    def _attach_in_turns(self, database: Database, choices: Choices | None) -> None:
        from desktop import session_editor, student_page, suggestions  # with the database layer, not before

        built: dict[str, Any] = {}  # the session editor and the suggestions, then the page around them
        parts = session_editor.EditorParts()  # the editor's larger widgets, one per turn

        def students() -> None:
            actions = self._attach_students(database, built.pop("page"), deferred=True)
            steps.extend([*actions.start_steps(choices), lambda: self._attach_done(database, actions)])

        steps: list[Callable[[], object]] = [
            *parts.steps(),
            lambda: built.update(editor=session_editor.SessionEditor(parts=parts)),
            lambda: built.update(suggestions=suggestions.SuggestionList()),
            lambda: built.update(page=student_page.StudentPage(editor=built.pop("editor"),
                                                               suggestions=built.pop("suggestions"))), students]
        in_turns(steps, self)

    def _attach_students(self, database: Database, page: StudentPage | None, deferred: bool) -> StudentActions:
        from desktop.student_actions import StudentActions, WindowParts  # with the database layer, not before

        self.students = StudentActions(WindowParts(database, self.messages, self.table, self.fiche_view, self.importer,
                                                   self.open_fiche, self), self.student_dock,
                                       page=page, deferred=deferred)
        return self.students

    def _attach_done(self, database: Database, students: StudentActions) -> None:
        self.database = database
        students.build_menu(self.student_menu, self.view_menu)
        self.student_menu.setEnabled(True)
        from desktop.caseload_window import install_year_menu  # the « Année » menu (issue 19)
        from desktop.formations_window import install_formations_action  # issue 16: the formation view
        from desktop.server_lost import install_server_lost_mode  # issue 17: the server stops answering
        install_year_menu(self, database)
        install_formations_action(self, database)
        self.server_lost = install_server_lost_mode(self, database)
        self.name_dock_tabs()
        name_inner_controls(self)  # the student panel's scroll bars too
        waiting, self._on_ready = self._on_ready, []
        for action in waiting:
            action()
        for warning in database.warnings:  # e.g. the day's backup could not be made (disk full)
            self.messages.warning(warning)
        from desktop.caseload_window import remind_milestones
        remind_milestones(self, database)  # the counselor's deadlines of the next 14 days, once
        students.start_on_student_search()
        if students.welcome(self.settings.welcomed == "fait"):
            self.settings.welcomed = "fait"  # offered once: « Plus tard » means the menu, not every start
        self.ready.emit()

    def when_ready(self, action: Callable[[], None]) -> None:
        """Do ``action`` now if the database is attached, else as soon as it is."""
        if self.database is not None:
            action()
        else:
            self._on_ready.append(action)

    # ------------------------------------------------------------------ construction
    def _build_parts(self, database: Database | None, startup: StartupView | None) -> None:
        self.model = MetierTableModel(self)
        if database is not None:
            source: CatalogueSource = DatabaseSource(database)
        elif startup is not None:
            source = StartupSource(startup)
        else:
            raise ValueError("MainWindow needs a database or a startup view")
        self.browser = CatalogueBrowser(source, self.model, self)
        self.filters = FilterPanel()
        self.results = ResultsBar()
        self.table = MetierTableView()
        self.table.setModel(self.model)
        self.browser.start_sorted(self.table)  # the rows are read once, when the filters are applied
        self.fiche_view = FicheView()
        self.fiche_view.browser.setAccessibleDescription("La fiche du métier surligné dans la liste")
        self.message_bar = MessageBar()
        self.importer = ImportController(None, self)  # given the database on attaching
        self.import_progress = ImportProgress(self.importer)

    def _build_layout(self) -> None:
        self.filter_dock = self._dock("Filtres", "filterDock", self._filter_scroll(), 230)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.filter_dock)
        waiting = QLabel("Chargement du panneau élève…")  # replaced by StudentActions on attaching
        waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The session sits on the right, never behind the filters: it stays in sight while browsing.
        self.student_dock = self._dock("Élève", "studentDock", waiting, 330)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.student_dock)
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(4, 8, 4, 0)
        centre_layout.addWidget(self.results)
        centre_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.installEventFilter(self)
        for widget in (centre, self.fiche_view):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.indexOf(widget), 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.splitter, 1)
        # Messages float over the bottom of the fiche: the table never moves or shrinks (issue 14).
        self.message_bar.float_over(body)
        self.setCentralWidget(body)
        self.statusBar().addPermanentWidget(self.import_progress)
        self.statusBar().showMessage("F1 : raccourcis — Ctrl+F : rechercher un métier — F9 : l'élève")
        QWidget.setTabOrder(self.filters.clear_button, self.table)
        QWidget.setTabOrder(self.table, self.fiche_view.browser)

    def _filter_scroll(self) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setAccessibleName("Panneau des filtres")
        scroll.setWidget(self.filters)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _dock(self, title: str, name: str, widget: QWidget, width: int) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setMinimumWidth(width)
        # A dock tabbed behind another by the counselor is only moved off screen: disabled, Tab never lands in it.
        dock.visibilityChanged.connect(lambda visible: dock.widget().setEnabled(visible))
        dock.dockLocationChanged.connect(lambda _area: self.name_dock_tabs())
        return dock

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Fichier")
        self.import_action = self._action(file_menu, "&Importer des fiches…", self.choose_files, "Ctrl+I")
        self.import_folder_action = self._action(file_menu, "Importer un &dossier de fiches…", self.choose_folder)
        file_menu.addSeparator()
        # Ctrl+Q on every system (Qt's standard Quit key is empty on Windows and on some Linux desktops).
        self._action(file_menu, "&Quitter", self.close, "Ctrl+Q")
        view_menu = self.view_menu = self.menuBar().addMenu("&Affichage")
        self.find_action = self._action(view_menu, "&Rechercher un métier", self.focus_search,
                                        QKeySequence.StandardKey.Find)
        view_menu.addSection("Forme des titres")
        self.title_actions = QActionGroup(self)
        for form, label in TITLE_FORMS.items():
            action = self._action(view_menu, label, lambda checked=False, form=form: self.set_title_form(form))
            action.setCheckable(True)
            action.setData(form)
            self.title_actions.addAction(action)
        view_menu.addSeparator()
        self.filter_dock.toggleViewAction().setText("Panneau &Filtres")
        view_menu.addAction(self.filter_dock.toggleViewAction())
        self.student_menu = self.menuBar().addMenu("É&lève")  # filled on attaching the database
        self.student_menu.setEnabled(False)
        help_menu = self.menuBar().addMenu("Ai&de")
        self._action(help_menu, "&Raccourcis clavier", self.show_shortcuts, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&Guide d'utilisation", self.show_guide)
        self._action(help_menu, "À &propos d'Orientation", self.show_about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        self.filters.criteria_changed.connect(self.apply_criteria)
        self.filters.results_requested.connect(self.go_to_results)
        self.browser.results_changed.connect(self.results.set_count)
        self.browser.notice_changed.connect(self.results.set_notice)
        self.browser.sort_reset.connect(
            lambda: self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder))
        self.browser.facets_changed.connect(self.filters.set_facets)
        self.table.open_requested.connect(self.open_row)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.browser.results_changed.connect(lambda _count, _exact: self._results_changed())
        self.fiche_view.related_requested.connect(self.open_fiche)
        self.importer.finished.connect(self._import_finished)
        self.importer.failed.connect(self._import_failed)

    def _restore(self) -> None:
        if not self.restoreGeometry(self.settings.geometry):
            available = self.screen().availableGeometry()  # a small school screen gets a window that fits
            self.resize(min(1280, available.width()), min(720, available.height()))
        # No saved positions: share the width once the window has its real size (first show).
        self._default_splitter = not self.splitter.restoreState(self.settings.splitter_state)
        self._default_docks = not self.restoreState(self.settings.window_state, WINDOW_STATE_VERSION)
        self.set_title_form(self.settings.title_form)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._default_docks:
            self._default_docks = False
            self.arrange_docks()
        if self._default_splitter:
            self._default_splitter = False
            self._orient_splitter()
            vertical = self.splitter.orientation() == Qt.Orientation.Vertical
            total = self.splitter.height() if vertical else self.splitter.width()
            self.splitter.setSizes([int(total * share) for share in SPLITTER_SHARES])

    def arrange_docks(self) -> None:
        """First start: filters on the left, the session on the right, the catalogue between them."""
        docks = [self.filter_dock, self.student_dock]
        widths = [FILTER_WIDTH, STUDENT_WIDTH]
        if self.width() < NARROW_WINDOW:
            widths[0] = self.filter_dock.minimumWidth()
        self.resizeDocks(docks, widths, Qt.Orientation.Horizontal)
        self.name_dock_tabs()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self._orient_splitter()
        return super().eventFilter(watched, event)

    def _orient_splitter(self) -> None:
        """Table above the fiche in a narrow centre (a 1280 px screen), beside it in a wide one."""
        wide = self.splitter.width() >= WIDE_CENTRE
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
            total = self.splitter.width() if wide else self.splitter.height()
            self.splitter.setSizes([int(total * share) for share in SPLITTER_SHARES])

    def name_dock_tabs(self) -> None:
        """Give the tab bars Qt makes for tabbed docks an accessible name (they have none)."""
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            bar.setAccessibleName("Onglets des panneaux")

    # ------------------------------------------------------------------ browsing
    def apply_criteria(self, criteria: Criteria) -> None:
        """Run the search for ``criteria`` and show the active filters as chips."""
        self.browser.apply(criteria)
        self.results.set_filters(self.filters.active_filters())

    def reload_choices(self) -> None:
        """Refresh the filter lists from the catalogue now."""
        self._set_choices(self.browser.choices())

    def _set_choices(self, choices: Choices) -> None:
        self.filters.set_choices(choices)
        self.results.set_filters(self.filters.active_filters())  # chips point at the new list items
        if (students := self.students) is not None:  # the same lists in the student panel, a turn of its own
            in_turns([lambda: students.panel.show_choices(choices)], self)

    def go_to_results(self, open_first: bool) -> None:
        """From the search box to the list: its first row current (and its fiche open with Enter)."""
        if self.model.rowCount() == 0:
            return
        first = self.model.index(0, 0)
        self.table.setFocus()
        self.table.setCurrentIndex(first)
        if open_first:
            self.open_row(first)

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected (Ctrl+F); the session stays in sight."""
        self.filter_dock.show()
        self.filter_dock.raise_()
        self.student_dock.show()
        self.filters.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search_box.selectAll()

    def open_row(self, index: QModelIndex) -> None:
        """Open the fiche of the table row at ``index``."""
        if index.isValid():
            self.open_fiche(index.data(RowRole).id)

    def open_fiche(self, metier_id: str) -> None:
        """Show the fiche of ``metier_id`` in the fiche panel (once the database is attached); the
        list's selection moves to its row, or leaves the list when the list does not hold it."""
        self.when_ready(lambda: self._show_fiche(metier_id))

    def _show_fiche(self, metier_id: str) -> None:
        from db.catalogue.fiche import get_fiche

        assert self.database is not None
        shown = self.fiche_view.fiche
        if shown is None or shown.id != metier_id:
            with self.database.read() as session:
                fiche = get_fiche(session, metier_id)
            if fiche is None:
                self.messages.warning("cette fiche n'est plus dans le catalogue.")
                return
            self.fiche_view.set_fiche(fiche)
        self.fiche_view.show_fiche_page()
        self._select_row_of(metier_id)

    def _row_of(self, metier_id: str) -> int | None:
        """The list row holding ``metier_id`` among those fetched, or None."""
        return next((i for i, row in enumerate(self.model.rows_fetched()) if row.id == metier_id), None)

    def _select_row_of(self, metier_id: str) -> None:
        """Make the list's selection match the fiche shown: what Ctrl+D adds is what is highlighted."""
        row = self._row_of(metier_id)
        current = self.table.currentIndex()
        if row is None:
            self.table.selectionModel().clear()
        elif not current.isValid() or current.row() != row:
            self.table.setCurrentIndex(self.model.index(row, 0))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The fiche follows the list's selection (arrows, click, search results)."""
        if current.isValid():
            self.open_fiche(current.data(RowRole).id)

    def _results_changed(self) -> None:
        """New results: the fiche's row selected again, or the fiche cleared when the list no
        longer holds it (a fiche read earlier is never mistaken for a listed one)."""
        fiche = self.fiche_view.fiche
        if fiche is None:
            return
        if self._row_of(fiche.id) is None:
            self.fiche_view.set_fiche(None)
        else:
            self._select_row_of(fiche.id)

    def set_title_form(self, form: str) -> None:
        """Show titles in ``form`` everywhere and remember the choice."""
        form = form if form in TITLE_FORMS else "inclusif"
        self.settings.title_form = form
        self.model.set_title_form(form)
        self.fiche_view.set_title_form(form)
        for action in self.title_actions.actions():
            action.setChecked(action.data() == form)

    def shortcut_lines(self) -> list[str]:
        """ "Ctrl+F : Rechercher un métier"… for every menu action that has a shortcut (read from
        the menus, so the list never drifts from them), then the keys of the lists."""
        lines: list[str] = []
        for menu in self.menuBar().findChildren(QMenu):
            for action in menu.actions():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys and action.text():
                    lines.append(f"{keys} : {action.text().replace('&', '').rstrip('…')}")
        return [*lines, "Flèche bas ou Entrée dans la recherche : aller à la liste",
                "Flèches dans la liste ou les suggestions : la fiche suit le métier surligné",
                "Après Ctrl+D : taper le commentaire du métier ; Entrée revient à la liste, sur le métier suivant ;"
                " Ctrl+D garde aussi ce suivant",
                "Recherche d'élève sans résultat, Entrée (ou Ctrl+N) : « Zoé Martin 3e B » remplit le formulaire",
                "Champ des intérêts : « utile, vocation, bouger » puis Entrée les coche et passe aux critères",
                "Niveau d'études : taper « bac + 3 » le choisit ; Entrée dans les critères : aux suggestions",
                "Échap dans la comparaison, ou Ctrl+Maj+C à nouveau : revenir à la fiche",
                "Ctrl+Tab dans le panneau Élève : onglet suivant",
                "Échap : fermer une fenêtre ou un menu"]

    def show_shortcuts(self) -> None:
        """The keyboard shortcuts (a window that does not block the application)."""
        text = "\n".join(self.shortcut_lines())
        self.shortcuts_box = QMessageBox(QMessageBox.Icon.Information, "Raccourcis clavier", text,
                                         QMessageBox.StandardButton.Close, self)
        self.shortcuts_box.button(QMessageBox.StandardButton.Close).setText("Fermer")
        self.shortcuts_box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.shortcuts_box.open()

    def show_guide(self) -> None:
        """Aide › Guide d'utilisation (offline, a window that does not block the application)."""
        from desktop.help_dialog import GuideDialog

        self.guide_dialog = GuideDialog(self)
        self.guide_dialog.show()

    def show_about(self) -> None:
        """The sources and licences (a window that does not block the application)."""
        sources = [ABOUT_SOURCES_UNKNOWN]  # before the database is attached
        if self.database is not None:
            from db.catalogue.credits import source_lines

            with self.database.read() as session:  # the catalogue's own sources, dates and versions
                sources = source_lines(session)
        items = "".join(f"<li>{html.escape(line, quote=False)}</li>" for line in sources)
        self.about_box = QMessageBox(QMessageBox.Icon.Information, "À propos d'Orientation",
                                     ABOUT_TEXT.format(sources=items),
                                     QMessageBox.StandardButton.Close, self)
        self.about_box.button(QMessageBox.StandardButton.Close).setText("Fermer")
        self.about_box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_box.open()

    # ------------------------------------------------------------------ import
    def choose_files(self) -> None:
        """Fichier > Importer des fiches…: pick files, then import them in the background."""
        paths, _ = QFileDialog.getOpenFileNames(self, "Importer des fiches", self._import_start_folder(), FILE_FILTER)
        if paths:
            self.settings.import_folder = str(Path(paths[0]).parent)
            self.start_import(paths)

    def choose_folder(self) -> None:
        """Fichier > Importer un dossier…: every file under the chosen folder."""
        folder = QFileDialog.getExistingDirectory(self, "Importer un dossier de fiches", self._import_start_folder())
        if folder:
            self.settings.import_folder = folder
            self.start_import([folder])

    def _import_start_folder(self) -> str:
        """Where the import dialogs open: the last folder imported from, else the Documents folder
        (never the program's own folder)."""
        from desktop.file_services import default_folder

        return self.settings.import_folder or default_folder()

    def start_import(self, paths: list[str]) -> None:
        """Import ``paths`` in the background (one import at a time, once the database is attached)."""
        self.when_ready(lambda: self._start_import(paths))

    def _start_import(self, paths: list[str]) -> None:
        if not self.importer.start(paths):
            self.messages.warning("une importation est déjà en cours ; attendez qu'elle se termine.")

    def _import_finished(self, summary: ImportSummary) -> None:
        cancelled = self.importer.cancelled
        if not summary.files and not cancelled:
            self.messages.warning("aucun fichier à importer dans ce que vous avez choisi.")
            return
        self._catalogue_changed()  # first: the lists are read off the GUI thread meanwhile
        in_turns([lambda: self._import_summary(summary, cancelled)], self)  # a turn of its own

    def _import_summary(self, summary: ImportSummary, cancelled: bool) -> None:
        self.summary_dialog = ImportSummaryDialog(summary_lines(summary, cancelled), self)
        self.summary_dialog.show()
        refused = [f for f in summary.files if f.refused]
        if cancelled:
            self.messages.info(f"Importation annulée : {len(summary.files)} fichier(s) lu(s) avant l'arrêt.")
        elif refused:
            reasons = " ; ".join(f"{Path(f.path).name} : {f.reason}" for f in refused[:3])
            more = f" (et {len(refused) - 3} autre(s))" if len(refused) > 3 else ""
            self.messages.warning(f"{len(refused)} fichier(s) refusé(s) — {reasons}{more}")
        else:
            self.messages.info(f"Importation terminée : {summary.created} fiche(s) ajoutée(s), "
                               f"{summary.updated} mise(s) à jour.")

    def _import_failed(self, message: str) -> None:
        self.messages.error(message)
        self._catalogue_changed()

    def _catalogue_changed(self) -> None:
        self.browser.load_choices(self._set_choices)  # read over the whole catalogue: off the GUI thread
        self.browser.refresh()
        if self.fiche_view.fiche is not None:
            self.open_fiche(self.fiche_view.fiche.id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # After the drop returns: the drag source must not wait for the import to start.
            QTimer.singleShot(0, lambda: self.start_import(paths))

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.students is not None and not self.students.can_close():  # unsaved session kept by choice
            event.ignore()
            return
        if self.importer.running:
            if not self.messages.confirm("Une importation est en cours. L'arrêter après le fichier en cours "
                                         "et quitter ?", yes="Arrêter et quitter", no="Continuer"):
                event.ignore()
                return
            self.importer.cancel()
            self.importer.wait()
        self.browser.shutdown()
        if self.students is not None:
            self.students.shutdown()
        self.save_state()
        super().closeEvent(event)

    def save_state(self) -> None:
        """Remember geometry and splitter positions for the next start."""
        self.settings.geometry = self.saveGeometry()
        self.settings.splitter_state = self.splitter.saveState()
        self.settings.window_state = self.saveState(WINDOW_STATE_VERSION)
        self.settings.sync()
