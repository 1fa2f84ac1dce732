"""Small widgets built the same way in several panels (filters, session constraints), and the
walks over a tree widget's items they share."""
from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QApplication, QComboBox, QDialogButtonBox, QLineEdit, QScrollBar, QSpinBox,
                               QToolButton, QTreeWidget, QTreeWidgetItem, QWidget)

from db.catalogue.nomenclature import LEVEL_CHOICES


class TypeAheadCombo(QComboBox):
    """A combo box whose type-ahead reads spaces and signs: typing "bac + 3" picks "bac + 3"
    (Qt's own stops at the space, which opens the list). A space typed first still opens it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._typed = ""
        self._clock = QElapsedTimer()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if not plain or not text.isprintable() or not text:
            super().keyPressEvent(event)
            return
        fresh = not self._clock.isValid() or self._clock.elapsed() > QApplication.keyboardInputInterval()
        if fresh and text == " ":
            super().keyPressEvent(event)
            return
        self._typed = text if fresh else self._typed + text
        self._clock.start()
        match = self.findText(self._typed, Qt.MatchFlag.MatchStartsWith)
        if match >= 0:
            self.setCurrentIndex(match)
        event.accept()


def level_combo(no_limit_label: str) -> QComboBox:
    """A choice of maximum level of study; item data is ``bac_plus`` (None for no limit);
    typing a level as it reads ("bac + 3") picks it."""
    combo = TypeAheadCombo()
    combo.addItem(no_limit_label, None)
    for choice in LEVEL_CHOICES:
        combo.addItem(choice.label, choice.max_bac_plus)
    # As wide as its panel allows, not as its longest label: the narrow panels stay uncut.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def salary_spin() -> QSpinBox:
    """A gross monthly salary in euros, French digit grouping, 0 shown as "pas de minimum"."""
    spin = QSpinBox(minimum=0, maximum=10_000, singleStep=100, suffix=" €")
    spin.setLocale(QLocale(QLocale.Language.French, QLocale.Country.France))
    spin.setGroupSeparatorShown(True)
    spin.setSpecialValueText("pas de minimum")
    return spin


def close_buttons(window: QWidget) -> QDialogButtonBox:
    """A "Fermer" button box that closes ``window`` (the label is set here so it is French
    even when Qt's own translation is missing)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
    buttons.rejected.connect(window.close)
    return buttons


# Qt types topLevelItem() and child() as possibly None: only for an index out of range, never here.
def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The top-level items of ``tree``, in order."""
    return [item for i in range(tree.topLevelItemCount()) if (item := tree.topLevelItem(i)) is not None]


def child_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """The children of ``item``, in order."""
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def name_inner_controls(root: QWidget) -> None:
    """Name the controls Qt builds inside others, which have no accessible name of their own: the
    scroll bars (named after what they scroll) and the clear buttons of search boxes."""
    for bar in root.findChildren(QScrollBar):
        if not bar.accessibleName():
            owner = _named_owner(bar)
            side = "verticale" if bar.orientation() == Qt.Orientation.Vertical else "horizontale"
            bar.setAccessibleName(f"Barre de défilement {side}" + (f" : {owner}" if owner else ""))
    for edit in root.findChildren(QLineEdit):
        for button in edit.findChildren(QToolButton):
            if not button.accessibleName():
                button.setAccessibleName("Effacer le texte" + (f" : {edit.accessibleName()}"
                                                              if edit.accessibleName() else ""))


def _named_owner(widget: QWidget) -> str:
    """The accessible name of the nearest parent that has one ("" when none)."""
    parent = widget.parentWidget()
    while parent is not None and not parent.accessibleName():
        parent = parent.parentWidget()
    return parent.accessibleName() if parent is not None else ""
