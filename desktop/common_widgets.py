"""Small widgets built the same way in several panels (filters, session constraints), and the
walks over a tree widget's items they share."""
from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QSpinBox, QTreeWidget, QTreeWidgetItem, QWidget

from db.catalogue.nomenclature import LEVEL_CHOICES


def level_combo(no_limit_label: str) -> QComboBox:
    """A choice of maximum level of study; item data is ``bac_plus`` (None for no limit)."""
    combo = QComboBox()
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
