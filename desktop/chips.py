"""The line above the table: how many métiers match, and the active filters as removable chips."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QToolButton, QVBoxLayout, QWidget

from db.catalogue.format import NBSP

ActiveFilter = tuple[str, Callable[[], None]]  # chip text, what removes that filter


def count_text(total: int, exact: bool = True) -> str:
    """ "0 métier", "1 métier", "12 345 métiers" (French: singular below 2); not ``exact``:
    "plus de 3 000 métiers" (more than ``total`` - 1)."""
    if not exact:
        return f"plus de {total - 1:,} métiers".replace(",", NBSP)
    number = f"{total:,}".replace(",", NBSP)
    return f"{number} métier" if total < 2 else f"{number} métiers"


class FlowLayout(QLayout):
    """Lays its items left to right and wraps them onto new lines (chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in ``rect`` (when ``move``); returns the height they need."""
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line_height > 0:
                x, y = rect.x(), y + line_height + self.spacing()
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self.spacing()
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


class ResultsBar(QWidget):
    """ "N métiers" in large type, then one chip per active filter; a click on a chip removes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_label = QLabel(count_text(0))
        self.count_label.setObjectName("countLabel")
        self.count_label.setAccessibleName("Nombre de métiers trouvés")
        font = self.count_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.count_label.setFont(font)
        self.notice_label = QLabel()  # how the typed text was read, when not as typed
        self.notice_label.setObjectName("searchNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setAccessibleName("Lecture de la recherche")
        self.notice_label.hide()
        self.chips_area = QWidget()
        self.chips_area.setAccessibleName("Filtres actifs")
        self.chips = FlowLayout(self.chips_area)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.count_label)
        top.addWidget(self.notice_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addLayout(top)
        layout.addWidget(self.chips_area)

    def set_count(self, total: int, exact: bool = True) -> None:
        """Show how many métiers match (``exact`` false: more than ``total`` - 1)."""
        self.count_label.setText(count_text(total, exact))

    def set_notice(self, notice: str) -> None:
        """Show how the search read the typed text ("" hides the line)."""
        self.notice_label.setText(notice)
        self.notice_label.setVisible(bool(notice))

    def set_filters(self, filters: list[ActiveFilter]) -> None:
        """Replace the chips by one per active filter."""
        while (item := self.chips.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()
                widget.deleteLater()
        for text, remove in filters:
            self.chips.addWidget(self._chip(text, remove))
        self.chips_area.setVisible(bool(filters))
        self.chips.invalidate()

    def chip_texts(self) -> list[str]:
        """The text of every chip shown (without the ✕)."""
        return [chip.property("filterText") for chip in self.chip_buttons()]

    def chip_buttons(self) -> list[QToolButton]:
        """The chip buttons, in order."""
        buttons = []
        for i in range(self.chips.count()):
            item = self.chips.itemAt(i)
            chip = item.widget() if item is not None else None
            assert isinstance(chip, QToolButton)  # the flow holds only the chips set_filters adds
            buttons.append(chip)
        return buttons

    def _chip(self, text: str, remove: Callable[[], None]) -> QToolButton:
        chip = QToolButton(self.chips_area)
        chip.setObjectName("chip")
        chip.setText(f"{text}  ✕")
        chip.setProperty("filterText", text)
        chip.setAccessibleName(f"Retirer le filtre « {text} »")
        chip.setToolTip("Retirer ce filtre")
        chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        chip.clicked.connect(lambda _checked=False: remove())  # never pass "checked" to remove
        return chip
