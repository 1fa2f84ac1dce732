"""The student's centres d'intérêt as a checkable tree, grouped so a student finds one fast.

Every interest the database knows is offered (ONISEP's list and the newer labels, see
:func:`db.catalogue.choices.interests_in_use`), under the groups of :data:`db.catalogue.nomenclature.INTEREST_GROUPS`,
in French alphabetical order;
ticking a group ticks all of it. ``changed`` is emitted on each change made by the counselor
(a group gives one per interest), never by :meth:`set_ticked`.
"""
from __future__ import annotations

from PySide6.QtCore import QCollator, QElapsedTimer, QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QTreeWidget, QTreeWidgetItem, QWidget

from db.catalogue.nomenclature import INTEREST_GROUPS
from desktop.common_widgets import child_items, top_level_items

IdRole = Qt.ItemDataRole.UserRole
CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable


def interest_groups(interests: list[tuple[str, str, str]]) -> list[QTreeWidgetItem]:
    """The group items (in :data:`INTEREST_GROUPS` order, empty ones left out) holding one
    checkable, unchecked item per interest in French alphabetical order, its id under
    :data:`IdRole`. The student's tree and the filter panel both show interests this way."""
    groups = {name: QTreeWidgetItem([name]) for name in INTEREST_GROUPS}
    collator = QCollator(QLocale(QLocale.Language.French, QLocale.Country.France))
    for iid, label, group_name in sorted(interests, key=lambda i: collator.sortKey(i[1])):
        item = QTreeWidgetItem(groups.get(group_name, groups["Autres"]), [label])
        item.setToolTip(0, label)  # a long label may be cut on a narrow panel
        item.setData(0, IdRole, iid)
        item.setFlags(CHECKABLE)
        item.setCheckState(0, Qt.CheckState.Unchecked)
    filled = [group for group in groups.values() if group.childCount()]
    for group in filled:
        group.setFlags(CHECKABLE | Qt.ItemFlag.ItemIsAutoTristate)
    return filled


SHIFT = Qt.KeyboardModifier.ShiftModifier  # capitals and some French letters are typed with it


class InterestTree(QTreeWidget):
    """See the module docstring."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName("Centres d'intérêt de l'élève")
        self.setAccessibleDescription("Espace pour cocher ou décocher ; les groupes s'ouvrent avec la flèche droite")
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformRowHeights(False)
        self.read_only = False
        self._quiet = False
        self._typed = QElapsedTimer()  # since the last letter typed (a type-ahead search)
        self.itemChanged.connect(self._item_changed)

    def set_choices(self, interests: list[tuple[str, str, str]]) -> None:
        """Offer ``interests`` ((id, label, group) triples); ticked ones stay ticked."""
        ticked = self.ticked()
        self._quiet = True
        self.clear()
        self.addTopLevelItems(interest_groups(interests))
        self._quiet = False
        self.expandAll()  # the student reads the whole list; a group closes with the left arrow
        self.set_ticked(ticked)

    def _leaves(self) -> list[QTreeWidgetItem]:
        return [item for group in top_level_items(self) for item in child_items(group)]

    def ticked(self) -> list[str]:
        """Ids of the ticked interests, in list order."""
        return [item.data(0, IdRole) for item in self._leaves() if item.checkState(0) == Qt.CheckState.Checked]

    def set_ticked(self, ids: list[str]) -> None:
        """Tick exactly ``ids``. Emits nothing."""
        wanted = set(ids)
        self._quiet = True
        for item in self._leaves():
            item.setCheckState(0, Qt.CheckState.Checked if item.data(0, IdRole) in wanted else Qt.CheckState.Unchecked)
        self._quiet = False

    def labelled(self) -> list[tuple[str, str]]:
        """(id, label) of every interest offered, in list order."""
        return [(item.data(0, IdRole), item.text(0)) for item in self._leaves()]

    def item_for(self, interest_id: str) -> QTreeWidgetItem | None:
        """The tree item of ``interest_id`` (tests and keyboard helpers)."""
        return next((item for item in self._leaves() if item.data(0, IdRole) == interest_id), None)

    def set_read_only(self, read_only: bool) -> None:
        """Show the ticks without letting them change (a past session)."""
        self.read_only = read_only
        flags = Qt.ItemFlag.ItemIsEnabled if read_only else CHECKABLE
        self._quiet = True
        for group in top_level_items(self):
            group.setFlags(flags | (Qt.ItemFlag.NoItemFlags if read_only else Qt.ItemFlag.ItemIsAutoTristate))
            for item in child_items(group):
                item.setFlags(flags)
        self._quiet = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Typing finds an interest ("ma vocation"): a Space typed within the search continues it;
        a Space after a pause ticks the interest found."""
        typing = self._typed.isValid() and self._typed.elapsed() < QApplication.keyboardInputInterval()
        if event.key() == Qt.Key.Key_Space and not event.modifiers() and typing:
            self.keyboardSearch(" ")
            self._typed.restart()
            event.accept()
            return
        if event.text().isprintable() and event.text().strip() and not event.modifiers() & ~SHIFT:
            self._typed.restart()
        super().keyPressEvent(event)

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if not self._quiet and column == 0:
            self.changed.emit()  # a group tick gives several: listeners debounce


class InterestFinder(QLineEdit):
    """The field above the student's tree: "utile, vocation, bouger" then Entrée ticks the best
    match of each part (:func:`db.students.quick_entry.match_interests`) and says, in French, which
    were ticked and which were not found; the parts not found stay in the field to be corrected.
    ``all_found`` is emitted when every part was ticked (the session moves on to the criteria)."""

    all_found = Signal()
    said = Signal(str)  # what Entrée did, in French

    def __init__(self, tree: InterestTree, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = tree
        self.setPlaceholderText("utile, vocation, bouger… puis Entrée")
        self.setAccessibleName("Cocher des centres d'intérêt")
        self.setAccessibleDescription("Plusieurs mots séparés par des virgules ; Entrée coche l'intérêt "
                                      "le plus proche de chacun et passe aux critères")
        self.setClearButtonEnabled(True)
        self.returnPressed.connect(self.tick_typed)

    def tick_typed(self) -> None:
        """Tick what was typed (see the class docstring); nothing typed: on to the criteria."""
        from db.students.quick_entry import match_interests

        if not self.text().strip():
            self.all_found.emit()
            return
        if self.tree.read_only:
            self.said.emit("Entretien passé, en lecture seule : « Modifier cet entretien » d'abord.")
            return
        match = match_interests(self.text(), self.tree.labelled())
        for iid, _label in match.found:
            item = self.tree.item_for(iid)
            if item is not None and item.checkState(0) != Qt.CheckState.Checked:
                item.setCheckState(0, Qt.CheckState.Checked)  # emits changed, as a tick by hand
        parts = []
        if match.found:
            parts.append("Coché : " + ", ".join(f"« {label} »" for _iid, label in match.found) + ".")
        if match.not_found:
            parts.append("Pas trouvé : " + ", ".join(f"« {p} »" for p in match.not_found)
                         + " — essayez un autre mot, ou cherchez dans la liste.")
        self.said.emit(" ".join(parts))
        self.setText(", ".join(match.not_found))
        if match.found and not match.not_found:
            self.all_found.emit()
