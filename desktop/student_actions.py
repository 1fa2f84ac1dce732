"""Puts the student panel into the main window: into its dock, the "Élève" menu, "Ajouter à la
sélection" on the métier table and the fiche, the comparison window, the bilan and the RGPD
actions. The main window only creates a :class:`StudentActions` with the few parts it needs
(:class:`WindowParts`: no reference to the window itself) and asks it before closing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QFrame, QLineEdit, QMenu, QScrollArea, QWidget

from db.errors import UserError
from db.students.settings import get_counselor
from db.storage.engine import Database
from desktop.counselor_dialog import CounselorDialog, first_run_wanted
from desktop.fiche_view import FicheView
from desktop.file_services import FileServices
from desktop.import_worker import ImportController
from desktop.messages import MessageService
from desktop.privacy_actions import PrivacyActions
from desktop.report_actions import ReportController
from desktop.student_page import StudentPage
from desktop.student_panel import StudentPanel
from desktop.suggestions import NameRole
from desktop.table_model import RowRole
from desktop.table_view import MetierTableView

if TYPE_CHECKING:
    from db.catalogue.routes import Routes
    from db.catalogue.search_types import Choices


@dataclass
class WindowParts:
    """What the student actions use of the main window, and nothing more."""

    database: Database
    messages: MessageService
    table: MetierTableView  # "Ajouter à la sélection" on its rows
    fiche_view: FicheView  # the fiche shown, and its "Ajouter à la sélection" button
    importer: ImportController  # after an import the window hands the panel its new lists
    open_fiche: Callable[[str], None]  # shows a métier's fiche
    parent: QWidget  # owner of the dialogs and actions


class StudentActions(QObject):
    """See the module docstring."""

    def __init__(self, window: WindowParts, dock: QDockWidget, files: FileServices | None = None,
                 page: StudentPage | None = None, deferred: bool = False) -> None:
        """Put the panel into ``dock`` (the window's Élève dock). ``page``: the student page, when
        built beforehand; ``deferred``: leave the panel's lists and the retention reminder to
        :meth:`finish_start` (so that start-up work is cut into short event-loop turns)."""
        super().__init__(window.parent)
        self.window = window
        self.files = files or FileServices()
        self.panel = StudentPanel(window.database, window.messages, page=page, load_choices=not deferred)
        self.dock = dock
        self.scroll = scroll = QScrollArea()  # a small screen scrolls the panel rather than cutting it
        scroll.setWidget(self.panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Panneau de l'élève")
        if not deferred:
            self._place_panel()
        self.report = ReportController(window.database, window.messages, self.files, window.parent)
        self.privacy = PrivacyActions(window.database, window.messages, self.files, self.panel, window.parent)
        self.menu_actions: dict[str, QAction] = {}
        self.counselor_dialog: CounselorDialog | None = None
        self.add_action = QAction("Ajouter le métier à la &sélection", window.parent)
        self.add_action.setShortcut(QKeySequence("Ctrl+D"))
        self.table_add_action = QAction("Ajouter à la sélection de l'élève", window.table)
        window.table.addAction(self.table_add_action)
        window.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._connect()
        self._update_actions()
        if not deferred:
            self.finish_start()

    def finish_start(self) -> None:
        """The start-up reads left by ``deferred``: the panel's lists, then the reminder of the
        records kept past the retention period."""
        for step in self.start_steps():
            step()

    def start_steps(self, choices: Choices | None = None) -> list[Callable[[], object]]:
        """What :meth:`finish_start` does, one step each (the window runs them in event-loop turns
        of their own): the panel placed in its dock, its lists (``choices`` when already read off
        the GUI thread: no query then), the retention reminder."""
        panel = self.panel
        lists = (lambda: panel.show_choices(choices)) if choices is not None else panel.reload_choices
        return [self._place_panel, lists, self.privacy.remind]

    def _place_panel(self) -> None:
        """The panel into its dock, instead of the « Chargement » label (laid out and drawn then)."""
        waiting = self.dock.widget()
        if waiting is self.scroll:
            return
        self.scroll.setEnabled(waiting is None or waiting.isEnabled())  # the dock may be behind a tab
        self.dock.setWidget(self.scroll)
        if waiting is not None:
            waiting.deleteLater()

    def use_files(self, files: FileServices) -> None:
        """Use ``files`` for every file dialog and viewer (tests give a recording one)."""
        self.files = self.report.files = self.privacy.files = files

    # ------------------------------------------------------------------ menus and layout
    def build_menu(self, menu: QMenu, view_menu: QMenu) -> None:
        """Fill the "Élève" menu; add the panel toggle to "Affichage"."""
        # F9 goes to the session and never hides it; closing the panel is a menu choice of its own.
        go_to = self.toggle_action = QAction("Aller au panneau &Élève", self.window.parent)
        go_to.setShortcut(QKeySequence("F9"))
        go_to.triggered.connect(self.focus_panel)
        view_menu.addSeparator()
        view_menu.addAction(go_to)
        self.dock.toggleViewAction().setText("Afficher le panneau É&lève")
        view_menu.addAction(self.dock.toggleViewAction())
        entries = [
            ("&Rechercher un élève", self.find_student, "Ctrl+E"), ("&Nouvel élève…", self.new_student, "Ctrl+N"),
            ("Nouvel &entretien", self.panel.new_session, "Ctrl+Shift+N"),
            ("Enre&gistrer l'entretien", self.panel.save, "Ctrl+S"), None,
            self.add_action, ("&Comparer les métiers cochés", self.compare_checked, "Ctrl+Shift+C"),
            ("Générer et ouvrir le &bilan", lambda: self.generate_report(open_directly=True), "Ctrl+B"),
            ("Bilan &PDF (enregistrer, imprimer…)…", self.generate_report, "Ctrl+Shift+B"), None,
            ("E&xporter le dossier de l'élève…", self.privacy.export, None),
            ("&Importer un dossier d'élève…", self.privacy.import_file, None),
            ("E&ffacer le dossier de l'élève…", self.privacy.erase, None),
            ("Effacer les &dossiers expirés…", self.privacy.purge, None), None,
            ("C&oordonnées du conseiller…", self.edit_counselor, None)]
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif isinstance(entry, QAction):
                menu.addAction(entry)
            else:
                text, slot, shortcut = entry
                action = menu.addAction(text)
                action.triggered.connect(lambda checked=False, slot=slot: slot())
                if shortcut:
                    action.setShortcut(QKeySequence(shortcut))
                self.menu_actions[text.replace("&", "")] = action
        self._tab_menu(menu)
        self._update_actions()

    def _tab_menu(self, menu: QMenu) -> None:
        """Élève › Aller à l'onglet: Ctrl+1…4 reach a tab of the session from anywhere."""
        tabs = menu.addMenu("&Aller à l'onglet")
        for number, title in enumerate(("Intérêts", "Critères", "Sélection", "Notes")):
            action = tabs.addAction(title)
            action.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            action.triggered.connect(lambda checked=False, number=number: self.go_to_tab(number))
            self.menu_actions[f"Onglet {title}"] = action

    def _connect(self) -> None:
        window, panel = self.window, self.panel
        panel.open_fiche_requested.connect(window.open_fiche)
        panel.report_requested.connect(self.generate_report)
        panel.editor.shortlist.compare_requested.connect(self.show_comparison)
        panel.student_changed.connect(self._update_actions)
        panel.student_changed.connect(self.show_fiche_routes)
        panel.student_changed.connect(lambda: self.show_panel() if panel.student else None)
        panel.session_changed.connect(self._update_actions)
        window.fiche_view.shortlist_requested.connect(panel.add_to_shortlist)
        self.add_action.triggered.connect(self.add_focused)
        self.table_add_action.triggered.connect(self.add_current_row)
        self.report.busy_changed.connect(self._report_busy)

    def show_fiche_routes(self) -> None:
        """The fiche pane and the shortlist show the routes from the open student's current class
        (none without one)."""
        student, database = self.panel.student, self.window.database
        if student is None:
            self.window.fiche_view.set_routes_source(None)
            self.panel.editor.shortlist.set_route_source(None)
            return

        def routes_of(metier_id: str, student_id: int = student.id) -> Routes | None:
            from db.students.pathways import fiche_routes

            with database.read() as session:
                return fiche_routes(session, student_id, metier_id)

        self.window.fiche_view.set_routes_source(routes_of)
        self.panel.editor.shortlist.set_route_source(routes_of)

    def _update_actions(self) -> None:
        editable, student = self.panel.can_edit, self.panel.student is not None
        self.add_action.setEnabled(editable)
        self.table_add_action.setEnabled(editable)
        self.window.fiche_view.offer_shortlist(editable)
        for name in ("Nouvel entretien", "Enregistrer l'entretien", "Comparer les métiers cochés",
                     "Générer et ouvrir le bilan", "Bilan PDF (enregistrer, imprimer…)…",
                     "Exporter le dossier de l'élève…", "Effacer le dossier de l'élève…"):
            if name in self.menu_actions:
                self.menu_actions[name].setEnabled(student if name != "Enregistrer l'entretien" else editable)
        self.panel.page.report_button.setEnabled(student and not self.report.busy)

    # ------------------------------------------------------------------ students
    def show_panel(self) -> None:
        """Show the Élève panel in front."""
        self.dock.show()
        self.dock.raise_()

    def in_front(self) -> bool:
        """Whether the Élève panel is shown and not covered by another panel."""
        return self.dock.isVisible() and not self.dock.visibleRegion().isEmpty()

    def focus_panel(self) -> None:
        """F9: the Élève panel shown, the focus on the open session's tabs (arrows change tab, Tab
        goes into it), or in the student search when no student is open."""
        self.show_panel()
        panel = self.panel
        if panel.student is None:
            panel.show_list()
            return
        panel.stack.setCurrentWidget(panel.page)
        panel.editor.tabBar().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def go_to_tab(self, index: int) -> None:
        """Ctrl+1…4: the open session's tab ``index`` in front, the cursor in its first field."""
        panel = self.panel
        if panel.student is None:
            self.window.messages.warning("ouvrez d'abord un élève (Ctrl+E) ou créez-en un (Ctrl+N).")
            return
        self.show_panel()
        panel.stack.setCurrentWidget(panel.page)
        panel.editor.setCurrentIndex(index)
        editor = panel.editor
        first = (editor.interest_finder, editor.constraints.level_combo, editor.shortlist.table,
                 editor.next_steps)[index]
        first.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def find_student(self) -> None:
        """Ctrl+E: first to the open session (as F9) when the focus is outside the Élève panel;
        pressed again, or with no session open, the student list with the cursor in its search box."""
        focus = QApplication.focusWidget()
        in_panel = isinstance(focus, QWidget) and self.panel.isAncestorOf(focus)
        if self.panel.student is not None and not in_panel:
            self.focus_panel()
            return
        self.show_panel()
        self.panel.show_list()
        self.panel.list.search_box.selectAll()

    def start_on_student_search(self) -> None:
        """Start-up: the cursor in the student search, as an interview starts by finding (or
        creating) the pupil — unless a student is open or the counselor already typed in a field."""
        focus = QApplication.focusWidget()
        if self.panel.student is not None or (isinstance(focus, QLineEdit) and focus.text()):
            return
        self.panel.list.search_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_student(self) -> None:
        """Ctrl+N: the "Nouvel élève" form."""
        self.show_panel()
        self.panel.new_student()

    def edit_counselor(self, *, first_run: bool = False) -> None:
        """The counselor's details printed on bilans (with a welcome at first start)."""
        self.counselor_dialog = CounselorDialog(self.window.database, self.window.messages, self.window.parent,
                                                first_run=first_run)
        self.counselor_dialog.open()

    def welcome(self, already_offered: bool) -> bool:
        """First start: ask the counselor's details and the retention period (skippable, offered
        once); True when the dialog was opened."""
        with self.window.database.read() as session:
            counselor = get_counselor(session)
        if not first_run_wanted(already_offered, counselor):
            return False
        self.edit_counselor(first_run=True)
        return True

    # ------------------------------------------------------------------ shortlist and comparison
    def add_current_row(self) -> bool:
        """Add the métier of the table's current row to the shortlist."""
        index = self.window.table.currentIndex()
        if not index.isValid():
            self.window.messages.warning("choisissez d'abord un métier dans la liste.")
            return False
        row = index.data(RowRole)
        return self.panel.add_to_shortlist(row.id, row.name)

    def add_focused(self) -> bool:
        """Ctrl+D: add the métier visibly selected — the highlighted suggestion when the
        suggestions have the focus, else the list's highlighted row (the fiche shows the same
        métier), or its only row (typing "berger" then Ctrl+D keeps the berger), else the fiche
        shown (opened from a suggestion or the shortlist). Once added, the cursor is in its
        comment and the list it came from highlights its next métier (whose fiche shows); Entrée
        (or Échap) brings the focus back to that list, and Ctrl+D pressed in the comment keeps
        the comment and that next métier at once."""
        focus = self.panel.editor.shortlist.finish_comment() or QApplication.focusWidget()
        picked = self._visibly_selected(focus)
        if picked is None:
            return self.add_current_row()  # says to pick a métier first
        metier_id, name = picked
        if not self.panel.add_to_shortlist(metier_id, name):
            return False
        self.show_panel()
        self._highlight_next(focus)
        shortlist = self.panel.editor.shortlist
        self.panel.editor.setCurrentWidget(shortlist)
        shortlist.edit_comment(metier_id, return_to=focus if isinstance(focus, QWidget) else None)
        return True

    def _highlight_next(self, focus: object) -> None:
        """After a métier is kept from a list, that list highlights (and the fiche pane shows) the next one."""
        suggestions = self.panel.suggestions
        if focus is suggestions.list:
            row = suggestions.list.currentRow() + 1
            if 0 < row < suggestions.list.count():
                suggestions.list.setCurrentRow(row)
                if (metier_id := suggestions.current_id()) is not None:
                    self.window.open_fiche(metier_id)
            return
        table, current = self.window.table, self.window.table.currentIndex()
        if current.isValid() and current.row() + 1 < table.model().rowCount():
            table.setCurrentIndex(table.model().index(current.row() + 1, current.column()))

    def _visibly_selected(self, focus: object) -> tuple[str, str] | None:
        """(id, name) of the métier Ctrl+D acts on (see :meth:`add_focused`), or None."""
        suggestions = self.panel.suggestions
        if focus is suggestions.list and (metier_id := suggestions.current_id()) is not None:
            return metier_id, suggestions.list.currentItem().data(NameRole)
        table = self.window.table
        if table.currentIndex().isValid():
            row = table.currentIndex().data(RowRole)
            return row.id, row.name
        if table.model().rowCount() == 1:
            row = table.model().index(0, 0).data(RowRole)
            return row.id, row.name
        fiche = self.window.fiche_view.fiche
        return (fiche.id, fiche.name) if fiche is not None else None

    def compare_checked(self) -> None:
        """Ctrl+Maj+C: compare the métiers ticked in the shortlist (a comment being typed is kept
        first); pressed again while the comparison is shown, back to the fiche."""
        if self.window.fiche_view.comparing():
            self.window.fiche_view.leave_comparison()
            return
        self.panel.editor.shortlist.finish_comment()
        self.show_panel()
        self.panel.editor.setCurrentWidget(self.panel.editor.shortlist)
        self.panel.editor.shortlist.request_comparison()

    def show_comparison(self, metier_ids: list[str]) -> None:
        """The comparison table of ``metier_ids`` in the main window, in place of the fiche."""
        from db.catalogue.compare import compare  # on first use: not loaded before the window is ready

        state = self.panel.current_state()
        try:
            with self.window.database.read() as session:
                comparison = compare(session, metier_ids, state.interests if state else [])
        except UserError as exc:
            self.window.messages.error(exc.message)
            return
        name = self.panel.student.full_name if self.panel.student else ""
        self.window.fiche_view.show_comparison(comparison, name)

    # ------------------------------------------------------------------ bilan
    def generate_report(self, *, open_directly: bool = False) -> bool:
        """Make the bilan of the session shown, in the background (``open_directly``: in the PDF
        viewer as soon as it is ready, see :meth:`ReportController.generate`). An unsaved session is saved
        first, without asking (the bilan prints what is on screen, and Ctrl+S would be the only
        answer); nothing is made when it cannot be saved (the reason is shown)."""
        panel = self.panel
        if panel.student is None or panel.base is None:
            self.window.messages.warning("ouvrez d'abord un élève et son entretien.")
            return False
        if (panel.dirty or (panel.base.id is None and not panel.read_only)) and not panel.save():
            return False
        with self.window.database.read() as session:
            anonymous = not get_counselor(session).name
        state = panel.current_state()
        assert state is not None
        if not self.report.generate(state, panel.student, open_directly=open_directly):
            return False
        if anonymous:
            self.window.messages.warning("votre nom ne figure pas sur le bilan : renseignez-le dans "
                                         "Élève > Coordonnées du conseiller…")
        return True

    def _report_busy(self, busy: bool) -> None:
        self.panel.page.report_button.setText("Préparation du bilan…" if busy else "Générer le bilan PDF")
        self._update_actions()

    # ------------------------------------------------------------------ closing
    def can_close(self) -> bool:
        """Whether the window may close (unsaved changes saved or dropped by choice)."""
        return self.panel.maybe_discard()

    def shutdown(self) -> None:
        """Wait for the background work and remove temporary bilans (the database closes next)."""
        self.panel.shutdown()
        self.report.shutdown()
