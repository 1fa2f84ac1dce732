"""The student's constraints: niveau d'études visé maximum, salaire de début minimum, country,
sectors wished and sectors refused (a sector is never both: ticking it on one side unticks it
on the other). The form only reads and writes its controls; ``db.students.suggest`` decides what they mean.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QLabel, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from db.catalogue.format import country_label
from db.catalogue.nomenclature import ROME_SECTOR_PREFIX, describe_max_level
from desktop.common_widgets import level_combo, salary_spin

IdRole = Qt.ItemDataRole.UserRole
CHECKABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable


@dataclass
class Constraints:
    """The values of the form (the matching fields of :class:`db.students.store.SessionState`)."""

    max_bac_plus: int | None = None
    min_salary: int | None = None
    country: str | None = None
    sectors_wished: list[str] = field(default_factory=list)
    sectors_refused: list[str] = field(default_factory=list)


class ConstraintsForm(QWidget):
    """See the module docstring. ``changed`` is emitted on every change the counselor makes."""

    changed = Signal()
    finished = Signal()  # Entrée on the level or the salary: the criteria are set

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.read_only = False
        self._unknown = Constraints()  # sector ids of the session that are no longer offered
        self.level_combo = level_combo("pas de limite")
        self.salary_spin = salary_spin()
        self.country_combo = QComboBox()
        self.wished_list, self.refused_list = QListWidget(), QListWidget()
        for widget, name in ((self.level_combo, "Niveau d'études visé maximum"),
                             (self.salary_spin, "Salaire de début minimum souhaité, en euros brut par mois"),
                             (self.country_combo, "Pays"), (self.wished_list, "Secteurs souhaités"),
                             (self.refused_list, "Secteurs refusés")):
            widget.setAccessibleName(name)
        for view in (self.wished_list, self.refused_list):
            view.setWordWrap(True)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._lay_out()
        self.level_combo.currentIndexChanged.connect(self._changed)
        self.salary_spin.valueChanged.connect(self._changed)
        self.country_combo.currentIndexChanged.connect(self._changed)
        self.wished_list.itemChanged.connect(lambda item: self._sector_ticked(item, self.refused_list))
        self.refused_list.itemChanged.connect(lambda item: self._sector_ticked(item, self.wished_list))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Entrée on the level or the salary (which let it through): ``finished``."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.finished.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _lay_out(self) -> None:
        form = QFormLayout()
        # Mnemonics chosen not to clash with the menus and the filter panel, which may be visible too.
        form.addRow("Niveau d'études &visé maximum", self.level_combo)
        form.addRow("Salaire de dé&but minimum (brut par mois)", self.salary_spin)
        form.addRow("Pa&ys", self.country_combo)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        lists = QGridLayout()
        for column, (title, view) in enumerate((("Secteurs sou&haités", self.wished_list),
                                                ("Secteurs r&efusés", self.refused_list))):
            label = QLabel(title)
            label.setBuddy(view)
            label.setStyleSheet("font-weight: bold;")
            lists.addWidget(label, 0, column)
            lists.addWidget(view, 1, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(form)
        layout.addLayout(lists, 1)

    # ------------------------------------------------------------------ choices
    def set_choices(self, sectors: list[tuple[str, str, int]], countries: list[tuple[str, int]]) -> None:
        """Offer ``sectors`` ((id, label, métiers)) and ``countries`` ((code, métiers)); keeps the values."""
        values = self.values()
        self._quiet = True
        ordered = sorted(sectors, key=lambda s: s[0].startswith(ROME_SECTOR_PREFIX))  # ROME after Onisep
        for view in (self.wished_list, self.refused_list):
            view.clear()
            for sid, label, _ in ordered:
                item = QListWidgetItem(f"{label} — domaine ROME" if sid.startswith(ROME_SECTOR_PREFIX) else label)
                item.setData(IdRole, sid)
                item.setFlags(CHECKABLE)
                item.setCheckState(Qt.CheckState.Unchecked)
                view.addItem(item)
        self.country_combo.clear()
        self.country_combo.addItem("tous pays", None)
        for code, _ in countries:
            self.country_combo.addItem(country_label(code), code)
        self._quiet = False
        self.set_values(values)
        self.set_read_only(self.read_only)

    # ------------------------------------------------------------------ values
    def values(self) -> Constraints:
        """The constraints the controls show now."""
        return Constraints(self.level_combo.currentData(), self.salary_spin.value() or None,
                           self.country_combo.currentData(),
                           self._ticked(self.wished_list) + self._unknown.sectors_wished,
                           self._ticked(self.refused_list) + self._unknown.sectors_refused)

    def set_values(self, values: Constraints) -> None:
        """Show ``values``; emits nothing."""
        self._quiet = True
        if values.max_bac_plus is not None and self.level_combo.findData(values.max_bac_plus) < 0:
            # Saved before the choices changed, or typed on the command line ("niveau 6"): kept as is.
            self.level_combo.addItem(describe_max_level(values.max_bac_plus), values.max_bac_plus)
        self.level_combo.setCurrentIndex(max(0, self.level_combo.findData(values.max_bac_plus))
                                         if values.max_bac_plus is not None else 0)
        self.salary_spin.setValue(values.min_salary or 0)
        if values.country and self.country_combo.findData(values.country) < 0:
            self.country_combo.addItem(country_label(values.country), values.country)
        self.country_combo.setCurrentIndex(max(0, self.country_combo.findData(values.country)))
        self._unknown = Constraints(sectors_wished=self._tick(self.wished_list, values.sectors_wished),
                                    sectors_refused=self._tick(self.refused_list, values.sectors_refused))
        self._quiet = False

    @staticmethod
    def _items(view: QListWidget) -> list[QListWidgetItem]:
        return [view.item(row) for row in range(view.count())]

    def _ticked(self, view: QListWidget) -> list[str]:
        return [item.data(IdRole) for item in self._items(view) if item.checkState() == Qt.CheckState.Checked]

    def _tick(self, view: QListWidget, ids: list[str]) -> list[str]:
        """Tick exactly ``ids`` in ``view``; returns those it does not offer."""
        offered = set()
        for item in self._items(view):
            offered.add(item.data(IdRole))
            item.setCheckState(Qt.CheckState.Checked if item.data(IdRole) in ids else Qt.CheckState.Unchecked)
        return [i for i in ids if i not in offered]

    def set_read_only(self, read_only: bool) -> None:
        """Show the values without letting them change (a past session)."""
        self.read_only = read_only
        for widget in (self.level_combo, self.salary_spin, self.country_combo):
            widget.setEnabled(not read_only)
        self._quiet = True
        for view in (self.wished_list, self.refused_list):
            for item in self._items(view):
                item.setFlags(Qt.ItemFlag.ItemIsEnabled if read_only else CHECKABLE)
        self._quiet = False

    # ------------------------------------------------------------------ changes
    def _sector_ticked(self, item: QListWidgetItem, other: QListWidget) -> None:
        if self._quiet:
            return
        if item.checkState() == Qt.CheckState.Checked:
            self._quiet = True  # a sector is never both wished and refused
            for twin in self._items(other):
                if twin.data(IdRole) == item.data(IdRole):
                    twin.setCheckState(Qt.CheckState.Unchecked)
            self._quiet = False
        self.changed.emit()

    def _changed(self, *_args: object) -> None:
        if not self._quiet:
            self.changed.emit()
