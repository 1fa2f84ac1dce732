"""Métier suggestions for the session on screen, with the reasons the counselor reads aloud.

:class:`SuggestionService` computes :func:`db.students.suggest.suggest` on a worker thread (the GUI thread
never waits for it): requests are debounced (a burst of ticks gives one computation), at most
one computation runs at a time, and only the result for the latest state is shown.
:class:`SuggestionList` shows them: name, score, and one line per criterion
("niveau ✔ bac + 2 ≤ bac + 3 visé", "intérêts 2/3 : …").
"""
from __future__ import annotations

from copy import deepcopy

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPainter, QPalette
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QStyle, QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget)

from db.storage.engine import Database
from db.students.store import SessionState
from db.students.suggest import Suggestion, score_text, suggest
from desktop.workers import LatestRunner

DELAY_MS = 300
PADDING, REASON_INDENT = 4, 22  # px around a suggestion; left indent of its reasons
Index = QModelIndex | QPersistentModelIndex
WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
IdRole = Qt.ItemDataRole.UserRole
NameRole = Qt.ItemDataRole.UserRole + 1


class SuggestionService(QObject):
    """See the module docstring; ``ready`` carries the list of :class:`Suggestion` for the latest state."""

    ready = Signal(list)
    failed = Signal(str)
    started = Signal()

    def __init__(self, database: Database, parent: QObject | None = None, *, delay_ms: int = DELAY_MS) -> None:
        super().__init__(parent)
        self.database = database
        self.runner = LatestRunner(self)
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self._start)
        self._state: SessionState | None = None

    def request(self, state: SessionState | None) -> None:
        """Suggest for ``state`` (a copy is taken) once the changes pause; None empties the list."""
        self._state = deepcopy(state)
        if state is None:
            self._timer.stop()
            self.runner.forget()
            self.ready.emit([])
            return
        self._timer.start()

    def _start(self) -> None:
        if self._state is None:
            return
        state, database = self._state, self.database
        self.started.emit()
        self.runner.request(lambda: _compute(database, state), self._done, self.failed.emit,
                            error="les suggestions n'ont pas pu être calculées (détail dans le journal).")

    def _done(self, result: list[Suggestion]) -> None:
        if self._state is not None:
            self.ready.emit(result)

    @property
    def busy(self) -> bool:
        """Whether a result is still to come."""
        return self._timer.isActive() or self.runner.busy

    def shutdown(self) -> None:
        """Forget what is pending and wait for the running computation (closing the window)."""
        self._timer.stop()
        self._state = None
        self.runner.forget()
        self.runner.wait()


def _compute(database: Database, state: SessionState) -> list[Suggestion]:
    with database.read() as session:
        return suggest(session, state)


def suggestion_text(rank: int, suggestion: Suggestion, shortlisted: bool = False) -> str:
    """The item text: rank, name and score (and whether it is in the shortlist), then one line per reason."""
    kept = " — dans la sélection" if shortlisted else ""
    lines = [f"{rank}. {suggestion.name} — {score_text(suggestion.score)}{kept}"]
    lines += [f"    {reason.text}" for reason in suggestion.reasons]
    return "\n".join(lines)


class _HangingIndent(QStyledItemDelegate):
    """Draws a suggestion as its first line, then each reason indented; a reason that wraps keeps
    its indent (a plain list item would start its second line at the left edge)."""

    def _lines(self, index: Index) -> list[tuple[int, str]]:
        first, *reasons = str(index.data() or "").split("\n")
        return [(PADDING, first), *((REASON_INDENT, reason.strip()) for reason in reasons)]

    def _blocks(self, option: QStyleOptionViewItem, index: Index) -> list[tuple[QRect, str]]:
        view = option.widget
        width = view.viewport().width() if isinstance(view, QListWidget) else option.rect.width()
        metrics, top, blocks = option.fontMetrics, PADDING, []
        for indent, text in self._lines(index):
            box = metrics.boundingRect(QRect(indent, top, max(1, width - indent - PADDING), 10_000),
                                       WRAP, text)
            blocks.append((box, text))
            top = box.bottom() + 1
        return blocks

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        blocks = self._blocks(option, index)
        right = max(box.right() for box, _ in blocks)
        return QSize(right, blocks[-1][0].bottom() + PADDING + 1)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        text, option.text = option.text, ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)  # background, focus
        selected = option.state & QStyle.StateFlag.State_Selected
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.HighlightedText if selected
                                            else QPalette.ColorRole.Text))
        option.text = text
        for box, line in self._blocks(option, index):
            painter.drawText(box.translated(option.rect.topLeft()), WRAP, line)
        painter.restore()


class SuggestionList(QWidget):
    """The ranked suggestions; double-click or Entrée opens the fiche, a button adds to the shortlist."""

    open_requested = Signal(str)  # métier id
    add_requested = Signal(str, str)  # métier id, name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.suggestions: list[Suggestion] = []
        self.title = QLabel("Suggestions")
        self.title.setStyleSheet("font-weight: bold;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        # Parented now, before the buttons: Tab then reaches the list before them (the layout would
        # parent them in its order, buttons first), so leaving a note with Tab and typing on never
        # presses « Ajouter » (a space added a métier).
        self.list = QListWidget(self)
        self.list.setAccessibleName("Métiers suggérés")
        self.list.setAccessibleDescription("Les mieux placés d'abord, avec leurs raisons ; Entrée ouvre la fiche")
        self.list.setWordWrap(True)
        self.list.setItemDelegate(_HangingIndent(self.list))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)  # new width: the wrapped heights again
        # Wrapped heights are measured ten items per event-loop turn, not fifty in one (a GUI block).
        self.list.setLayoutMode(QListWidget.LayoutMode.Batched)
        self.list.setBatchSize(10)
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.title.setBuddy(self.list)
        self.add_button = QPushButton("A&jouter", self)
        self.add_button.setAccessibleName("Ajouter le métier suggéré à la sélection")
        self.open_button = QPushButton("Fiche", self)
        self.open_button.setAccessibleName("Voir la fiche du métier suggéré")
        self.add_button.setToolTip("Ajouter le métier suggéré à la sélection de l'élève (Ctrl+D)")
        self.open_button.setToolTip("Voir la fiche du métier suggéré (Entrée)")
        self._add_action = QAction("Ajouter à la sélection", self.list)
        self._open_action = QAction("Voir la fiche", self.list)
        self.list.addActions([self._add_action, self._open_action])
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._lay_out()
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(item.data(IdRole)))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        for trigger in (self.add_button.clicked, self._add_action.triggered):
            trigger.connect(self._add_current)
        for trigger in (self.open_button.clicked, self._open_action.triggered):
            trigger.connect(self._open_current)
        self.can_add = True
        self._update_buttons()

    def _lay_out(self) -> None:
        # Title, count and buttons on one line: the height goes to the suggestions themselves.
        header = QHBoxLayout()
        header.addWidget(self.title, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.status, 1)
        header.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(header)
        layout.addWidget(self.list, 1)

    def set_busy(self) -> None:
        """Say that new suggestions are on their way (the old ones stay until then)."""
        self.status.setText("calcul en cours…")

    def set_suggestions(self, suggestions: list[Suggestion], shortlisted: set[str] | None = None) -> None:
        """Show ``suggestions`` best first; those already shortlisted are marked."""
        current = self.current_id()
        self.suggestions = suggestions
        self.list.clear()
        for rank, suggestion in enumerate(suggestions, 1):
            item = QListWidgetItem(suggestion_text(rank, suggestion, suggestion.metier_id in (shortlisted or set())))
            item.setData(IdRole, suggestion.metier_id)
            item.setData(NameRole, suggestion.name)
            self.list.addItem(item)
            if suggestion.metier_id == current:
                self.list.setCurrentItem(item)
        self.status.setText(f"{len(suggestions)} métier(s)" if suggestions
                            else "aucun métier ne correspond : élargissez les contraintes")
        self._update_buttons()

    def clear(self, message: str = "") -> None:
        """Empty the list, with ``message`` in place of the count."""
        self.suggestions = []
        self.list.clear()
        self.status.setText(message)
        self._update_buttons()

    def current_id(self) -> str | None:
        """Id of the highlighted suggestion, if any."""
        item = self.list.currentItem()
        return item.data(IdRole) if item is not None else None

    def set_can_add(self, can_add: bool) -> None:
        """Allow "Ajouter à la sélection" (not for a past session shown read-only)."""
        self.can_add = can_add
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.list.currentItem() is not None
        self.add_button.setEnabled(selected and self.can_add)
        self._add_action.setEnabled(selected and self.can_add)
        self.open_button.setEnabled(selected)
        self._open_action.setEnabled(selected)

    def _add_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and self.can_add:
            self.add_requested.emit(item.data(IdRole), item.data(NameRole))

    def _open_current(self) -> None:
        if (metier_id := self.current_id()) is not None:
            self.open_requested.emit(metier_id)
