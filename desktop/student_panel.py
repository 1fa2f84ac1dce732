"""The student panel: find or create a student, then work on one session of theirs.

Two pages. The list (:class:`~desktop.student_list.StudentList`); then the student's page: who
they are, which session is shown (the latest opens for editing, older ones read-only until
"Modifier cet entretien"), the session's content (:class:`~desktop.session_editor.SessionEditor`)
and the suggestions computed in the background. Every change is kept in the widgets until
"Enregistrer" (Ctrl+S); nothing unsaved is dropped without asking (:meth:`StudentPanel.maybe_discard`).

The panel calls ``db.students.store`` with plain values only, in short sessions of its own.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from db.storage.engine import Database
from db.errors import ServerUnreachableError, UserError
from db.catalogue.format import french_date
from db.catalogue.choices import countries_in_use, interests_in_use, sectors_in_use
from db.catalogue.search_types import Choices
from db.students.store import (SessionConflictError, SessionState, StudentInfo, get_session, get_student,
                               list_sessions, metier_names, save_session, session_changes, start_session)
from desktop.messages import MessageService
from desktop.session_editor import CHANGES
from desktop.student_dialog import StudentDialog
from desktop.student_list import StudentList
from desktop.student_page import StudentPage
from db.students.quick_entry import StudentLine
from db.students.sharing import ownership
from db.students.suggest import NOTHING_TICKED
from desktop.suggestions import IdRole, SuggestionService

LIST_PAGE, STUDENT_PAGE = 0, 1


class _FixedLayout(QVBoxLayout):
    """Reports no height-for-width: in a scroll area the panel then takes the height it is given
    (down to its minimum) instead of the preferred height of its word-wrapped labels."""

    def hasHeightForWidth(self) -> bool:
        return False

UNSAVED_CHOICES = ("Enregistrer", "Ne pas enregistrer", "Annuler")
CONFLICT_CHOICES = ("Garder leur version", "Garder la mienne", "Annuler")
DRAFT_CHOICES = ("Reprendre le brouillon", "Le supprimer", "Plus tard")
AUTOSAVE_MS = 3000  # after the last change, the session shown is kept as a draft (see keep_draft_now)



def _session_labels(sessions: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(id, French label) of ``sessions`` ((id, ISO date), oldest first); two sessions of one
    day are told apart: « Entretien du 7 décembre 2026 (2e du jour) »."""
    per_day = Counter(day for _, day in sessions)
    seen: Counter[str] = Counter()
    labels = []
    for session_id, day in sessions:
        seen[day] += 1
        rank = "" if per_day[day] == 1 else f" ({seen[day]}{'er' if seen[day] == 1 else 'e'} du jour)"
        labels.append((session_id, f"Entretien du {french_date(day)}{rank}"))
    return labels

class StudentPanel(QWidget):
    """See the module docstring."""

    student_changed = Signal()  # another student (or none) is open
    session_changed = Signal()  # another session is shown, or it became editable / saved
    open_fiche_requested = Signal(str)
    report_requested = Signal()

    def __init__(self, database: Database, messages: MessageService, parent: QWidget | None = None,
                 page: StudentPage | None = None, load_choices: bool = True) -> None:
        """``page``: the student page when already built (the window builds it in an event-loop
        turn of its own at start-up); ``load_choices`` False leaves :meth:`reload_choices` to the
        caller (a query of its own, in a later turn)."""
        super().__init__(parent)
        self.database, self.messages = database, messages
        self.student: StudentInfo | None = None
        self.owner_line = ""  # on an office server: whose file it is, with whom it is shared
        self.base: SessionState | None = None  # id, student and date of the session shown
        self.sessions: list[tuple[int, str]] = []
        self.dirty = False
        self.read_only = False
        self.dialog: StudentDialog | None = None
        self._to_suggestions = False  # Entrée in the criteria: the cursor goes to the suggestions when ready
        self._draft_warned: int | None = None  # the student whose draft could not be written, said once
        self.list = StudentList(database)
        self.page = page or StudentPage()
        self.editor, self.suggestions = self.page.editor, self.page.suggestions
        self.service = SuggestionService(database, self)
        # A few seconds after each change the session shown is kept as a local draft: a crash or a
        # power cut then loses those seconds, not the interview (db.students.drafts, CLOSED).
        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.changes_timer = QTimer(self)  # the « Changements » tab follows the edits, after a pause
        self.changes_timer.setSingleShot(True)
        self.changes_timer.setInterval(400)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.page)
        layout = _FixedLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._connect()
        if load_choices:
            self.reload_choices()

    def _connect(self) -> None:
        self.autosave.timeout.connect(self.keep_draft_now)
        self.changes_timer.timeout.connect(self._update_changes)
        self.list.open_requested.connect(self.open_student)
        self.list.new_requested.connect(self.new_student)
        self.page.back_button.clicked.connect(self.show_list)
        self.page.edit_button.clicked.connect(self.edit_student)
        self.page.session_combo.activated.connect(self._session_picked)
        self.page.new_session_button.clicked.connect(self.new_session)
        self.page.date_edit.dateChanged.connect(self._edited)
        self.page.unlock_button.clicked.connect(lambda: self._set_read_only(False))
        self.page.save_button.clicked.connect(self.save)
        self.page.report_button.clicked.connect(self.report_requested)
        self.editor.edited.connect(self._edited)
        self.editor.criteria_changed.connect(self.request_suggestions)
        self.editor.criteria_done.connect(self.focus_suggestions)
        self.editor.shortlist.changed.connect(self._show_suggestions)
        self.editor.shortlist.open_requested.connect(self.open_fiche_requested)
        self.editor.shortlist.notice.connect(self.messages.warning)
        self.service.started.connect(self.suggestions.set_busy)
        self.service.ready.connect(self._show_suggestions)
        self.service.failed.connect(self.messages.error)
        self.suggestions.open_requested.connect(self.open_fiche_requested)
        self.suggestions.add_requested.connect(self.add_to_shortlist)
        # The fiche follows the suggestion highlighted by the counselor (not a list being refilled).
        self.suggestions.list.currentItemChanged.connect(
            lambda item, _old: self.open_fiche_requested.emit(item.data(IdRole))
            if item is not None and self.suggestions.list.hasFocus() else None)

    def reload_choices(self) -> None:
        """Offer the interests, sectors and countries of the database (again after an import)."""
        with self.database.read() as session:
            self.editor.set_choices(interests_in_use(session), sectors_in_use(session), countries_in_use(session))

    def show_choices(self, choices: Choices) -> None:
        """Offer these lists, already read off the GUI thread (the window's filter lists, read by
        the same queries): what :meth:`reload_choices` shows, without querying here."""
        self.editor.set_choices(choices.interests, choices.sectors, choices.countries)

    # ------------------------------------------------------------------ students
    def show_list(self) -> None:
        """Back to the list (the open student stays open until another is chosen)."""
        self.list.refresh(self.student.id if self.student else None)
        self.stack.setCurrentIndex(LIST_PAGE)
        self.list.search_box.setFocus()

    def new_student(self) -> None:
        """Open the "Nouvel élève" form; the student is opened once created. What was typed in the
        student search (looked for first, not found) fills it: "Zoé Martin 3e B" gives the first
        name, the name and the class (:func:`db.students.quick_entry.parse_student_line`)."""
        from db.students.quick_entry import parse_student_line

        typed = self.list.search_box.text() if self.stack.currentIndex() == LIST_PAGE else ""
        self._open_dialog(None, line=parse_student_line(typed))

    def edit_student(self) -> None:
        """Open the form on the open student's record."""
        if self.student is not None:
            self._open_dialog(self.student)

    def _open_dialog(self, student: StudentInfo | None, line: StudentLine | None = None) -> None:
        self.dialog = StudentDialog(self.database, self.messages, self, student, line=line)
        self.dialog.saved.connect(self._student_saved)
        self.dialog.open()

    def _student_saved(self, student_id: int) -> None:
        if self.student is not None and self.student.id == student_id:
            with self.database.read() as session:
                self.student = get_student(session, student_id)
            self._show_identity()
            self.list.refresh(student_id)
        elif self.open_student(student_id):
            self.list.refresh(student_id)
            self.editor.setCurrentIndex(0)  # next comes what the student likes: "utile, bouger" + Entrée
            self.editor.interest_finder.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_student(self, student_id: int) -> bool:
        """Show ``student_id`` with their latest session (a new one if they have none). False when the
        counselor kept the unsaved session on screen instead."""
        if self.student is not None and self.student.id == student_id:
            self.stack.setCurrentIndex(STUDENT_PAGE)
            return True
        if not self.maybe_discard():
            return False
        with self.database.read() as session:
            self.student = get_student(session, student_id)
            self.sessions = list_sessions(session, student_id)
            found = ownership(session, student_id)  # None on a SQLite file: one counselor, no owner line
        self.owner_line = found.sentence() if found is not None else ""
        self._show_identity()
        if self.sessions:
            self.open_session(self.sessions[-1][0], ask=False)
        else:
            self.new_session(ask=False)
        self.stack.setCurrentIndex(STUDENT_PAGE)
        self.student_changed.emit()
        self._offer_draft()
        return True

    def _offer_draft(self) -> None:
        """A session kept as a draft (server away, or the window closed unsaved): take it back,
        drop it, or later."""
        from db.students.drafts import SERVER, drop_draft, find_draft

        draft = find_draft(self.database.url, self.student.id) if self.student else None
        if draft is None or self.student is None:
            return
        what = f"Un brouillon de l'entretien du {french_date(draft.state.date)} de {self.student.full_name}"
        when = f"le {draft.kept_at:%d/%m/%Y à %H:%M}"
        choice = self.messages.choose(
            f"{what}, gardé sur cet ordinateur {when} parce que le serveur ne répondait pas, n'a pas été enregistré."
            if draft.reason == SERVER else
            f"{what} a été gardé sur cet ordinateur {when} : l'application s'est fermée avant qu'il soit enregistré.",
            DRAFT_CHOICES)
        if choice == 0:
            self._load(draft.state, read_only=False)
            self.dirty = True  # shown, not saved: "Enregistrer" (with the usual check) saves it
            self._update_status()
            self.autosave.start()  # kept again, as the draft file is removed below
        if choice in (0, 1):
            drop_draft(self.database.url, self.student.id)

    def close_student(self) -> None:
        """Forget the open student without asking (after erasing them)."""
        self.autosave.stop()
        self.student, self.base, self.sessions, self.dirty = None, None, [], False
        self.service.request(None)
        self.list.refresh()
        self.stack.setCurrentIndex(LIST_PAGE)
        self.student_changed.emit()
        self.session_changed.emit()

    def _show_identity(self) -> None:
        assert self.student is not None
        self.page.name_label.setText(self.student.full_name)
        details = [d for d in (self.student.classe, self.student.etablissement, self.student.annee_scolaire,
                               self.owner_line) if d]
        self.page.details_label.setText(" · ".join(details))
        self.page.setAccessibleName(f"Élève : {self.student.full_name}")

    # ------------------------------------------------------------------ sessions
    def new_session(self, *, ask: bool = True) -> None:
        """Start today's session where the previous one ended (not saved until "Enregistrer")."""
        if self.student is None or (ask and not self.maybe_discard()):
            return
        with self.database.read() as session:
            state = start_session(session, self.student.id)
        self._load(state, read_only=False)

    def open_session(self, session_id: int, *, ask: bool = True) -> None:
        """Show a saved session: the latest for editing, an older one read-only."""
        if ask and not self.maybe_discard():
            self._select_combo()
            return
        with self.database.read() as session:
            state = get_session(session, session_id)
        self._load(state, read_only=session_id != self.sessions[-1][0])

    def _session_picked(self, index: int) -> None:
        session_id = self.page.session_combo.itemData(index)
        if session_id is None or self.base is None or session_id == self.base.id:
            self._select_combo()
            return
        self.open_session(session_id)

    def _load(self, state: SessionState, *, read_only: bool) -> None:
        with self.database.read() as session:
            names = metier_names(session, [item.metier_id for item in state.shortlist])
        self.base = replace(state)
        self.editor.load(state, names)
        self.page.date_edit.blockSignals(True)
        self.page.date_edit.setDate(QDate.fromString(state.date, Qt.DateFormat.ISODate))
        self.page.date_edit.blockSignals(False)
        self.dirty = False
        self._fill_combo()
        self._update_changes()
        self._set_read_only(read_only)
        self.request_suggestions()

    def _fill_combo(self) -> None:
        self.page.session_combo.clear()
        for session_id, label in reversed(_session_labels(self.sessions)):  # the latest first
            self.page.session_combo.addItem(label, session_id)
        if self.base is not None and self.base.id is None:
            self.page.session_combo.insertItem(0, "Entretien du jour (nouveau)", None)
        self._select_combo()

    def _select_combo(self) -> None:
        current = self.base.id if self.base is not None else None
        self.page.session_combo.setCurrentIndex(max(0, self.page.session_combo.findData(current)))

    def _set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.editor.set_read_only(read_only)
        self.page.date_edit.setEnabled(not read_only)
        self.page.read_only_bar.setVisible(read_only)
        self.suggestions.set_can_add(not read_only)
        self._update_status()
        self.session_changed.emit()

    def _update_changes(self) -> None:
        """What changed since the session before the one shown."""
        if self.base is None:
            return
        ids = [sid for sid, _ in self.sessions]
        earlier = self.sessions[:ids.index(self.base.id)] if self.base.id in ids else self.sessions
        if not earlier:
            self.editor.set_changes([], None)
            return
        with self.database.read() as session:
            before = get_session(session, earlier[-1][0])
            lines = session_changes(session, before, self.current_state() or self.base)
        self.editor.set_changes(lines, french_date(earlier[-1][1]))

    # ------------------------------------------------------------------ editing and saving
    @property
    def can_edit(self) -> bool:
        """Whether a session is shown and may be changed (métiers can be added to it)."""
        return self.base is not None and not self.read_only

    def current_state(self) -> SessionState | None:
        """The session as shown now (unsaved changes included), or None."""
        if self.base is None:
            return None
        day = self.page.date_edit.date().toString(Qt.DateFormat.ISODate)
        return self.editor.state(replace(self.base, date=day))

    def add_to_shortlist(self, metier_id: str, name: str) -> bool:
        """Add a métier to the shortlist of the session shown; says why when it cannot."""
        if not self.can_edit:
            self.messages.warning("ouvrez d'abord un élève (et un entretien modifiable) pour garder ce métier.")
            return False
        if not self.editor.shortlist.add(metier_id, name):
            self.messages.info(f"« {name} » est déjà dans la sélection.")
            return False
        self.messages.info(f"« {name} » ajouté à la sélection de {self.student.full_name if self.student else ''}.")
        return True

    def save(self) -> bool:
        """Save the session shown (Ctrl+S); False, with the reason shown, when it cannot be saved."""
        state = self.current_state()
        if state is None or self.read_only:
            return False
        was_new = state.id is None
        try:
            session_id = save_session(self.database, state)
        except SessionConflictError as exc:
            return self._resolve_conflict(state, exc)
        except ServerUnreachableError as exc:
            return self._keep_draft(state, exc)
        except UserError as exc:
            self.messages.error(exc.message)
            return False
        self.base = replace(state, id=session_id)
        self._drop_draft()
        with self.database.read() as session:
            self.sessions = list_sessions(session, state.student_id)
            self.student = get_student(session, state.student_id)
        self.dirty = False
        self._fill_combo()
        self._update_changes()
        self._update_status()
        self.list.refresh(state.student_id)
        if was_new and self.editor.tabText(CHANGES) != "Changements":
            self.editor.setCurrentIndex(CHANGES)  # a continued session: show what changed
        self.messages.info(f"Entretien du {french_date(state.date)} enregistré.")
        self.session_changed.emit()
        return True

    def _keep_draft(self, state: SessionState, error: ServerUnreachableError) -> bool:
        """The server is away: the session shown is kept on this computer, offered again later."""
        from db.students.drafts import keep_draft

        self.autosave.stop()
        try:
            keep_draft(self.database.url, state)
        except UserError as exc:
            self.messages.error(f"{error.message}. Le brouillon n'a pas pu être gardé non plus : {exc.message}")
            return False
        who = self.student.full_name if self.student else "l'élève"
        self.messages.error(f"{error.message}. L'entretien est gardé en brouillon sur cet ordinateur : il vous sera "
                            f"proposé à la prochaine ouverture de {who}, quand le serveur répondra.")
        return False

    def _resolve_conflict(self, mine: SessionState, conflict: SessionConflictError) -> bool:
        """The session was saved elsewhere since it was opened: show what differs and when, then
        keep theirs (shown, mine dropped), keep mine (saved over theirs, now seen) or go back to
        editing (nothing saved). True when nothing unsaved is left."""
        from db.students.conflicts import conflict_lines

        with self.database.read() as session:
            lines = conflict_lines(session, conflict.theirs, mine)
        who = self.student.full_name if self.student else "cet élève"
        question = (f"L'entretien du {french_date(mine.date)} de {who} a été enregistré ailleurs (une autre "
                    f"fenêtre, un collègue ou une commande) le {conflict.saved_at:%d/%m/%Y à %H:%M:%S}, pendant "
                    "que vous le modifiiez. Rien n'a encore été enregistré.\n\n"
                    + ("Ce qui diffère :\n" + "\n".join(f"• {line}" for line in lines) if lines
                       else "Leur version et la vôtre ont le même contenu."))
        choice = self.messages.choose(question, CONFLICT_CHOICES)
        if choice == 0:
            with self.database.read() as session:
                self.sessions = list_sessions(session, mine.student_id)
            self._load(conflict.theirs, read_only=False)
            self.messages.info("Leur version de l'entretien est affichée ; vos changements n'ont pas été enregistrés.")
            return True
        if choice == 1:
            self.base = replace(self.base or mine, version=conflict.theirs.version)
            return self.save()
        return False

    def maybe_discard(self) -> bool:
        """True when nothing unsaved would be lost: no changes, or saved, or dropped by choice."""
        if not self.dirty or self.student is None:
            return True
        choice = self.messages.choose(f"L'entretien de {self.student.full_name} a des modifications "
                                      "qui ne sont pas enregistrées.", UNSAVED_CHOICES)
        if choice == 0:
            return self.save()
        if choice == 1:
            self.dirty = False
            self._drop_draft()
            return True
        return False

    def _edited(self) -> None:
        self.dirty = True
        self._update_status()
        if self.can_edit:
            self.autosave.start()
            self.changes_timer.start()

    def keep_draft_now(self) -> None:
        """Keep the unsaved session shown as a local draft (offered again if the window closes
        before it is saved); nothing when there is nothing unsaved. A draft that cannot be written
        (full disk) is said once per student, never blocks the interview."""
        from db.students.drafts import CLOSED, keep_draft

        state = self.current_state()
        if not self.dirty or state is None or self.read_only or not self.can_edit:
            return
        try:
            keep_draft(self.database.url, state, CLOSED)
        except UserError as exc:
            if self._draft_warned != state.student_id:
                self._draft_warned = state.student_id
                self.messages.warning(f"L'entretien en cours n'a pas pu être gardé en brouillon : {exc.message}. "
                                      "Pensez à l'enregistrer (Ctrl+S).")

    def _drop_draft(self) -> None:
        """The changes shown were saved or dropped by choice: no draft of them stays."""
        from db.students.drafts import drop_draft

        self.autosave.stop()
        if self.student is not None:
            drop_draft(self.database.url, self.student.id)

    def _update_status(self) -> None:
        if self.base is None:
            text = ""
        elif self.read_only:
            text = "lecture seule"
        elif self.dirty or self.base.id is None:
            text = "modifié — pas encore enregistré" if self.dirty else "pas encore enregistré"
        else:
            text = "enregistré"
        self.page.status_label.setText(text)
        self.page.save_button.setEnabled(self.can_edit)

    # ------------------------------------------------------------------ suggestions
    def request_suggestions(self) -> None:
        """Compute the suggestions for the session shown (debounced, in the background); with
        nothing ticked yet, say what to do instead of listing the catalogue in name order."""
        state = self.current_state()
        self.service.request(state if state is None or state.interests or state.sectors_wished else None)

    def focus_suggestions(self) -> None:
        """Entrée in the criteria: the cursor on the best suggestion (once computed), its fiche shown."""
        self._to_suggestions = True
        if not self.service.busy:
            self._land_on_suggestions()

    def _land_on_suggestions(self) -> None:
        self._to_suggestions = False
        view = self.suggestions.list
        if view.count() == 0:
            return
        if view.currentItem() is None:
            view.setCurrentRow(0)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        if (metier_id := self.suggestions.current_id()) is not None:
            self.open_fiche_requested.emit(metier_id)

    def _show_suggestions(self, suggestions: list | None = None) -> None:
        if suggestions is None:
            suggestions = self.suggestions.suggestions  # the shortlist changed: only the marks
        if not suggestions and not (self.editor.interests.ticked() or self.editor.constraints.values().sectors_wished):
            self.suggestions.clear(NOTHING_TICKED)
        else:
            self.suggestions.set_suggestions(suggestions, set(self.editor.shortlist.ids()))
        if self._to_suggestions and not self.service.busy:
            self._land_on_suggestions()

    def shutdown(self) -> None:
        """Wait for the background suggestions (before the database closes)."""
        self.service.shutdown()
