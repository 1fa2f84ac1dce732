"""The content of one session (entretien) in tabs: centres d'intérêt, constraints, shortlist,
notes, and what changed since the previous session.

The editor reads and writes a :class:`db.students.store.SessionState` (plain values) and says when
the counselor changed something: ``edited`` on every change, ``criteria_changed`` when the
suggestions depend on it (interests, constraints). It never touches the database; the student
panel loads and saves.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QApplication, QLabel, QPlainTextEdit, QProxyStyle, QStyle, QStyleFactory,
                               QTabWidget, QVBoxLayout, QWidget)

from db.students.store import SessionState
from desktop.constraints_form import Constraints, ConstraintsForm
from desktop.interest_tree import InterestFinder, InterestTree
from desktop.shortlist import Shortlist
from desktop.theme import private_title_colour, tone

PRIVATE_TITLE = "Notes privées — jamais imprimées"
INTERESTS, CONSTRAINTS, SHORTLIST, NOTES, CHANGES = range(5)
TAB_SPACE = 10  # px around each tab's text: the five tabs fit the Élève panel on a 1280 px screen


class _TightTabs(QProxyStyle):
    """The application's style with less room around tab labels (nothing else changes)."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create(QApplication.style().name()))

    def pixelMetric(self, metric: QStyle.PixelMetric, option=None, widget=None) -> int:
        if metric == QStyle.PixelMetric.PM_TabBarTabHSpace:
            return min(TAB_SPACE, super().pixelMetric(metric, option, widget))
        return super().pixelMetric(metric, option, widget)


def _text_box(name: str, lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setMinimumHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


@dataclass
class EditorParts:
    """The editor's larger widgets, which it builds itself unless given them. At start-up the
    window builds them ahead, one per event-loop turn (:meth:`steps`): built all at once, with
    their Qt types met for the first time, they held the GUI thread for about 26 ms."""

    interests: InterestTree | None = None
    finder: InterestFinder | None = None
    constraints: ConstraintsForm | None = None
    shortlist: Shortlist | None = None

    def steps(self) -> list[Callable[[], None]]:
        """One call per part, in order; after the last, every part is built."""
        return [self._interests, self._constraints, self._shortlist]

    def complete(self) -> tuple[InterestTree, InterestFinder, ConstraintsForm, Shortlist]:
        """Every part, those not built yet built now."""
        if self.interests is None or self.finder is None:
            self._interests()
        if self.constraints is None:
            self._constraints()
        if self.shortlist is None:
            self._shortlist()
        assert self.interests is not None and self.finder is not None
        assert self.constraints is not None and self.shortlist is not None
        return self.interests, self.finder, self.constraints, self.shortlist

    def _interests(self) -> None:
        self.interests = InterestTree()
        self.finder = InterestFinder(self.interests)

    def _constraints(self) -> None:
        self.constraints = ConstraintsForm()

    def _shortlist(self) -> None:
        self.shortlist = Shortlist()


class SessionEditor(QTabWidget):
    """See the module docstring."""

    edited = Signal()
    criteria_changed = Signal()
    criteria_done = Signal()  # Entrée in the criteria: on to the suggestions

    def __init__(self, parent: QWidget | None = None, parts: EditorParts | None = None) -> None:
        """``parts``: widgets built ahead (see :class:`EditorParts`); those missing are built here."""
        super().__init__(parent)
        parts = parts or EditorParts()
        self.setAccessibleName("Entretien")
        self.tabBar().setAccessibleName("Onglets de l'entretien")
        self.setDocumentMode(True)
        self._tab_style = _TightTabs()
        self._tab_style.setParent(self)
        self.tabBar().setStyle(self._tab_style)
        self.setUsesScrollButtons(True)  # only with a very large system font
        self.read_only = False
        self._quiet = False
        self.interests, self.interest_finder, self.constraints, self.shortlist = parts.complete()
        self.interest_said = QLabel()
        self.interest_said.setWordWrap(True)
        self.interest_said.setAccessibleName("Centres d'intérêt cochés par la frappe")
        self.next_steps = _text_box("Prochaines étapes", 2)
        self.next_steps.setPlaceholderText("Une étape par ligne : un stage, une journée portes ouvertes…")
        self.student_note = _text_box("Note pour l'élève, imprimée dans le bilan", 3)
        self.private_notes = _text_box(PRIVATE_TITLE, 1)
        # Text colour set with the background, both for the palette (desktop.theme).
        self.private_notes.setStyleSheet("QPlainTextEdit {{ background: {}; border: 1px solid {}; color: {}; }}"
                                         .format(*tone(self, "private")))
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        self.changes.setAccessibleName("Ce qui a changé depuis l'entretien précédent")
        self.changes.setTabChangesFocus(True)
        for page in (self._interests_page(), self.constraints, self.shortlist, self._notes_page(), self.changes):
            self.addTab(page, "")
        self._connect()
        self._update_titles()
        self.set_changes([], None)

    def _interests_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        for widget in (self.interest_finder, self.interest_said):
            layout.addWidget(widget)
        layout.addWidget(self.interests, 1)
        self.interest_said.hide()
        return page

    def go_to_criteria(self) -> None:
        """The Critères tab in front, the cursor on the level (after the interests)."""
        self.setCurrentWidget(self.constraints)
        self.constraints.level_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _interests_said(self, text: str) -> None:
        self.interest_said.setText(text)
        self.interest_said.setVisible(bool(text))

    def _notes_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        # Mnemonics chosen not to clash with the menus and the filter panel, which may be visible too.
        # The note the family reads gets the most room; the private note stays one line at least.
        for title, box, stretch in (("Pro&chaines étapes", self.next_steps, 2),
                                    ("Note pour l'élè&ve (imprimée dans le bilan)", self.student_note, 3),
                                    (PRIVATE_TITLE.replace("Notes", "N&otes", 1), self.private_notes, 1)):
            label = QLabel(title)
            label.setBuddy(box)
            colour = f" color: {private_title_colour(self)};" if box is self.private_notes else ""
            label.setStyleSheet("font-weight: bold;" + colour)
            layout.addWidget(label)
            layout.addWidget(box, stretch)
        return page

    def _connect(self) -> None:
        for signal in (self.interests.changed, self.constraints.changed):
            signal.connect(self._criteria_edited)
        self.shortlist.changed.connect(self._edited)
        self.interest_finder.said.connect(self._interests_said)
        self.interest_finder.all_found.connect(self.go_to_criteria)
        self.constraints.finished.connect(self.criteria_done)
        for box in (self.next_steps, self.student_note, self.private_notes):
            box.textChanged.connect(self._edited)

    # ------------------------------------------------------------------ choices and state
    def set_choices(self, interests: list[tuple[str, str, str]], sectors: list[tuple[str, str, int]],
                    countries: list[tuple[str, int]]) -> None:
        """Offer the interests, sectors and countries of the database (values are kept)."""
        self.interests.set_choices(interests)
        self.constraints.set_choices(sectors, countries)
        self.interests.set_read_only(self.read_only)

    def load(self, state: SessionState, names: dict[str, str]) -> None:
        """Show ``state``; ``names`` gives the names of its shortlisted métiers. Emits nothing."""
        self._quiet = True
        self.interests.set_ticked(state.interests)
        self.constraints.set_values(Constraints(state.max_bac_plus, state.min_salary, state.country,
                                                list(state.sectors_wished), list(state.sectors_refused)))
        self.shortlist.set_items([(i.metier_id, names.get(i.metier_id, f"{i.metier_id} (plus dans le catalogue)"),
                                   i.comment) for i in state.shortlist], state.comparison)
        for box, text in ((self.next_steps, state.next_steps), (self.student_note, state.student_note),
                          (self.private_notes, state.private_notes)):
            box.setPlainText(text)
        self._quiet = False
        self.interest_finder.clear()
        self._interests_said("")
        self._update_titles()

    def state(self, base: SessionState) -> SessionState:
        """``base`` (id, student, date) with the content shown now."""
        constraints = self.constraints.values()
        return replace(base, interests=self.interests.ticked(), max_bac_plus=constraints.max_bac_plus,
                       min_salary=constraints.min_salary, country=constraints.country,
                       sectors_wished=constraints.sectors_wished, sectors_refused=constraints.sectors_refused,
                       shortlist=self.shortlist.entries(), comparison=self.shortlist.compared(),
                       next_steps=self.next_steps.toPlainText(), student_note=self.student_note.toPlainText(),
                       private_notes=self.private_notes.toPlainText())

    def set_read_only(self, read_only: bool) -> None:
        """Show a past session without letting it change."""
        self.read_only = read_only
        self.interests.set_read_only(read_only)
        self.interest_finder.setReadOnly(read_only)
        self.constraints.set_read_only(read_only)
        self.shortlist.set_read_only(read_only)
        for box in (self.next_steps, self.student_note, self.private_notes):
            box.setReadOnly(read_only)

    def set_changes(self, lines: list[str], since: str | None) -> None:
        """Show what changed since the session of ``since`` (a date written out), or that there is none."""
        if since is None:
            text = "Premier entretien : rien à comparer."
        elif lines:
            text = f"Depuis l'entretien du {since} :\n" + "\n".join(f"• {line}" for line in lines)
        else:
            text = f"Rien n'a changé depuis l'entretien du {since}."
        self.changes.setPlainText(text)
        self.setTabText(CHANGES, f"Changements ({len(lines)})" if lines else "Changements")
        self.setTabVisible(CHANGES, since is not None)  # a first session has nothing to compare with

    # ------------------------------------------------------------------ changes
    def _criteria_edited(self) -> None:
        if not self._quiet:
            self._update_titles()
            self.criteria_changed.emit()
            self.edited.emit()

    def _edited(self) -> None:
        if not self._quiet:
            self._update_titles()
            self.edited.emit()

    def _update_titles(self) -> None:
        interests, kept = len(self.interests.ticked()), len(self.shortlist.ids())
        self.setTabText(INTERESTS, f"Intérêts ({interests})" if interests else "Intérêts")
        self.setTabText(CONSTRAINTS, "Critères")
        self.setTabText(SHORTLIST, f"Sélection ({kept})" if kept else "Sélection")
        self.setTabText(NOTES, "Notes")
