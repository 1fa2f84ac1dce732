"""One small service for every message the window shows the counselor.

Information, warnings and errors go to a bar at the top of the window: it never blocks,
so a test or a CI run can never hang on it. Only :meth:`MessageService.confirm` opens a
dialog, and only after a user action; tests replace the whole service with a recording one.
Messages are plain text (never interpreted as markup) and in French.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from desktop.theme import tone

INFO, WARNING, ERROR = "info", "avertissement", "erreur"
_PREFIX = {INFO: "", WARNING: "Attention : ", ERROR: "Erreur : "}
FLOAT_MARGIN = 8  # px between a floating bar and the edges of what it floats over
INFO_TIMEOUT_MS = 12_000  # information fades away; warnings and errors stay until closed
NARROW_BAR = 480  # px: a narrower bar puts its buttons under the text (else the text is a thin column)


class MessageService:
    """What the rest of the GUI calls to tell the counselor something (see module docstring)."""

    # For an error about to be shown: a (label, callback) button to show beside it, or None
    # (e.g. « Catalogue local » when the server stopped answering, desktop.server_lost).
    error_action: Callable[[str], tuple[str, Callable[[], object]] | None] | None = None

    def info(self, text: str) -> None:
        raise NotImplementedError

    def warning(self, text: str) -> None:
        raise NotImplementedError

    def error(self, text: str) -> None:
        raise NotImplementedError

    def confirm(self, question: str, *, yes: str = "Oui", no: str = "Non") -> bool:
        """Ask a yes/no question; True when the counselor chose ``yes``."""
        raise NotImplementedError

    def choose(self, question: str, choices: Sequence[str]) -> int | None:
        """Ask a question with several answers (the last one cancels, Échap too); the index chosen,
        None when cancelled."""
        raise NotImplementedError

    def reminder(self, text: str, action: str, callback: Callable[[], object]) -> None:
        """A warning the counselor can act on with a button labelled ``action`` (never blocks); what
        ``callback`` returns is ignored."""
        self.warning(text)


class MessageBar(QFrame):
    """A bar showing one message at a time, with a "Fermer" button; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName("Messages")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton()
        self.action_button.clicked.connect(self._act)
        self.action_button.hide()
        self._callback: Callable[[], object] | None = None
        self.close_button = QPushButton("Fermer")
        self.close_button.setAccessibleName("Fermer le message")
        self.close_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(10, 6, 6, 6)
        self._layout.addWidget(self.label, 1)
        self._layout.addLayout(buttons)
        self._timer = QTimer(self, singleShot=True, interval=INFO_TIMEOUT_MS)
        self._timer.timeout.connect(self.clear)
        self.level = ""
        self.hide()

    def show_message(self, level: str, text: str, action: tuple[str, Callable[[], object]] | None = None) -> None:
        """Replace the current message by ``text`` at ``level`` (INFO, WARNING or ERROR), with an
        optional ``(label, callback)`` button; the callback runs once, after the bar is cleared."""
        # Tinted for the palette (desktop.theme), and never told by colour alone (the prefix).
        background, border, colour = tone(self, level)
        self.setStyleSheet(f"#messageBar {{ background: {background}; border: 1px solid {border}; "
                           f"border-radius: 4px; }} #messageBar QLabel {{ color: {colour}; }}")
        self.level = level
        self.label.setText(_PREFIX[level] + text)
        self.label.setAccessibleDescription(self.label.text())
        self._callback = action[1] if action else None
        self.action_button.setText(action[0] if action else "")
        self.action_button.setVisible(action is not None)
        self.show()
        self._place()
        if level == INFO:
            self._timer.start()
        else:
            self._timer.stop()

    def float_over(self, area: QWidget) -> None:
        """Float at the bottom of ``area`` instead of taking room in a layout: showing a message
        never moves or shrinks what is under the pointer."""
        self.setParent(area)
        self.setAutoFillBackground(True)
        area.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        """Across the bottom of the area floated over, as high as the wrapped text needs."""
        area = self.parentWidget()
        if area is None:
            return
        width = area.width() - 2 * FLOAT_MARGIN
        narrow = width < NARROW_BAR
        self._layout.setDirection(QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight)
        height = self.heightForWidth(width) if self.hasHeightForWidth() else self.sizeHint().height()
        height = max(height, self.minimumSizeHint().height())
        self.setGeometry(FLOAT_MARGIN, area.height() - height - FLOAT_MARGIN, width, height)
        self.raise_()

    def text(self) -> str:
        """The message shown now ("" when none)."""
        return self.label.text()

    def clear(self) -> None:
        """Hide the bar and forget its message."""
        self._timer.stop()
        self.level = ""
        self.label.clear()
        self._callback = None
        self.action_button.hide()
        self.hide()

    def _act(self) -> None:
        callback = self._callback
        self.clear()
        if callback is not None:
            callback()


class WindowMessages(MessageService):
    """The real service: messages in a :class:`MessageBar`, questions in a French dialog."""

    def __init__(self, bar: MessageBar, parent: QWidget) -> None:
        self.bar = bar
        self.parent = parent

    def info(self, text: str) -> None:
        self.bar.show_message(INFO, text)

    def warning(self, text: str) -> None:
        self.bar.show_message(WARNING, text)

    def error(self, text: str) -> None:
        self.bar.show_message(ERROR, text, self.error_action(text) if self.error_action else None)

    def confirm(self, question: str, *, yes: str = "Oui", no: str = "Non") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Orientation", question, parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
        box.setDefaultButton(box.addButton(no, QMessageBox.ButtonRole.NoRole))
        box.exec()
        return box.clickedButton() is yes_button

    def choose(self, question: str, choices: Sequence[str]) -> int | None:
        box = QMessageBox(QMessageBox.Icon.Question, "Orientation", question, parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        roles = [QMessageBox.ButtonRole.AcceptRole] + [QMessageBox.ButtonRole.DestructiveRole] * (len(choices) - 2)
        buttons = [box.addButton(text, role) for text, role in zip(choices, roles, strict=False)]
        buttons.append(box.addButton(choices[-1], QMessageBox.ButtonRole.RejectRole))
        box.setDefaultButton(buttons[0])
        box.setEscapeButton(buttons[-1])
        box.exec()
        clicked = box.clickedButton()
        index = next((i for i, button in enumerate(buttons) if button == clicked), len(buttons) - 1)
        return None if index == len(buttons) - 1 else index

    def reminder(self, text: str, action: str, callback: Callable[[], object]) -> None:
        self.bar.show_message(WARNING, text, (action, callback))
