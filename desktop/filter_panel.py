"""The filter panel: every control the counselor narrows the catalogue with.

Each change (typing is debounced ~200 ms, the other controls answer on the next turn of the
event loop) builds ONE :class:`db.catalogue.search.Criteria` from the state of every control and emits
it with ``criteria_changed``; changes made together (clearing, a whole interest group) give
one emission. The panel decides nothing about métiers: it only reads its controls.
"""
from __future__ import annotations

from functools import partial
from typing import cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QRadioButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from db.catalogue.format import country_label, format_euros
from db.catalogue.nomenclature import ROME_SECTOR_PREFIX
from db.catalogue.search_types import Choices, Criteria, Facets
from desktop.interest_tree import interest_groups
from desktop.common_widgets import child_items, level_combo, salary_spin, top_level_items
from desktop.chips import ActiveFilter

TEXT_DELAY_MS = 200
IdRole = Qt.ItemDataRole.UserRole
LabelRole = Qt.ItemDataRole.UserRole + 1


def _checked(item: QListWidgetItem | QTreeWidgetItem) -> bool:
    state = item.checkState() if isinstance(item, QListWidgetItem) else item.checkState(0)
    return state == Qt.CheckState.Checked


class FilterPanel(QWidget):
    """See the module docstring. Fill it with :meth:`set_choices`, update counts with :meth:`set_facets`."""

    criteria_changed = Signal(object)  # db.search.Criteria
    results_requested = Signal(bool)  # Down (False) or Enter (True: open the first fiche) in the search box

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Filtres")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._emit)
        self._build()
        self._connect()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search box goes to the results, the text applied first."""
        if watched is self.search_box and event.type() == QEvent.Type.ShortcutOverride:
            # A line edit takes Ctrl+E (end of line) for itself: leave it to the window's
            # "Rechercher un élève", as the counselor expects from anywhere.
            key_event = cast(QKeyEvent, event)
            if key_event.matches(QKeySequence.StandardKey.MoveToEndOfLine) and \
                    key_event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                event.ignore()
                return True
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]  # a QKeyEvent for KeyPress
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():  # typed faster than the pause: apply the text now
                    self._timer.stop()
                    self._emit()
                self.results_requested.emit(key != Qt.Key.Key_Down)
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.search_box = QLineEdit(placeholderText="Métier, mot-clé… (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.level_combo = level_combo("Tous niveaux")
        self.salary_spin = salary_spin()
        self.no_salary_check = QCheckBox("inclure les fiches sans salaire")
        self.no_salary_check.setEnabled(False)
        self.sector_list = QListWidget()
        self.interest_tree = QTreeWidget()
        self.interest_tree.setHeaderHidden(True)
        self.interest_tree.setRootIsDecorated(True)
        row_height = self.fontMetrics().height() + 4
        for view, rows in ((self.sector_list, 7), (self.interest_tree, 9)):
            # Long labels wrap instead of hiding behind a horizontal scroll bar.
            view.setWordWrap(True)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setMinimumHeight(rows * row_height)
        self.sector_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.any_radio = QRadioButton("au moins un")
        self.all_radio = QRadioButton("tous")
        self.any_radio.setChecked(True)
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.any_radio)
        self.mode_group.addButton(self.all_radio)
        self.statut_combo = QComboBox()
        self.country_combo = QComboBox()
        self.clear_button = QPushButton("Effacer les filtres")
        self._name_controls()
        self._lay_out()

    def _name_controls(self) -> None:
        names = {
            self.search_box: "Recherche par texte", self.level_combo: "Niveau d'études maximum",
            self.salary_spin: "Salaire de début minimum, en euros brut par mois",
            self.no_salary_check: "Inclure les fiches sans salaire", self.sector_list: "Secteurs",
            self.interest_tree: "Centres d'intérêt", self.any_radio: "Au moins un centre d'intérêt",
            self.all_radio: "Tous les centres d'intérêt", self.statut_combo: "Statut",
            self.country_combo: "Pays", self.clear_button: "Effacer les filtres",
        }
        for widget, name in names.items():
            widget.setAccessibleName(name)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self._field(layout, "&Recherche", self.search_box)
        self._field(layout, "&Niveau d'études maximum", self.level_combo)
        self._field(layout, "Salaire de début &minimum (brut par mois)", self.salary_spin)
        layout.addWidget(self.no_salary_check)
        self._field(layout, "&Secteurs", self.sector_list, stretch=3)
        self._field(layout, "Centres d'&intérêt", self.interest_tree, stretch=1)
        hint = QLabel("Garder les métiers qui en ont :")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        modes = QHBoxLayout()
        modes.addWidget(self.any_radio)
        modes.addWidget(self.all_radio)
        modes.addStretch(1)
        layout.addLayout(modes)
        self._field(layout, "S&tatut", self.statut_combo)
        self._field(layout, "&Pays", self.country_combo)
        layout.addWidget(self.clear_button)

    @staticmethod
    def _field(layout: QVBoxLayout, title: str, widget: QWidget, stretch: int = 0) -> None:
        label = QLabel(title)
        label.setWordWrap(True)
        label.setBuddy(widget)
        label.setStyleSheet("font-weight: bold; margin-top: 6px;")
        layout.addWidget(label)
        layout.addWidget(widget, stretch)

    def _connect(self) -> None:
        self.search_box.installEventFilter(self)
        self.search_box.textChanged.connect(lambda: self._schedule(TEXT_DELAY_MS))
        self.level_combo.currentIndexChanged.connect(self._changed)
        self.salary_spin.valueChanged.connect(self._salary_changed)
        self.no_salary_check.toggled.connect(self._changed)
        self.sector_list.itemChanged.connect(self._changed)
        self.interest_tree.itemChanged.connect(self._changed)
        self.mode_group.buttonToggled.connect(self._changed)
        self.statut_combo.currentIndexChanged.connect(self._changed)
        self.country_combo.currentIndexChanged.connect(self._changed)
        self.clear_button.clicked.connect(self.clear)

    # ------------------------------------------------------------------ choices and counts
    def set_choices(self, choices: Choices) -> None:
        """Offer the sectors, interests, statuts and countries in use; ticked ones stay ticked."""
        self._set_sectors(choices.sectors)
        self._set_interests(choices.interests)
        self._fill_combo(self.statut_combo, "Tous statuts", [(sid, label) for sid, label, _ in choices.statuts])
        countries = [(code, country_label(code)) for code, _ in choices.countries]
        self._fill_combo(self.country_combo, "Tous pays", countries)

    def _set_sectors(self, sectors: list[tuple[str, str, int]]) -> None:
        ticked = set(self.selected_sectors())
        self.sector_list.blockSignals(True)
        self.sector_list.clear()
        # ROME grand domaines after the Onisep sectors, and named as such: both lists have a "Santé".
        for sid, label, number in sorted(sectors, key=lambda s: s[0].startswith(ROME_SECTOR_PREFIX)):
            if sid.startswith(ROME_SECTOR_PREFIX):
                label = f"{label} — domaine ROME"
            item = QListWidgetItem(f"{label} ({number})")
            item.setData(IdRole, sid)
            item.setData(LabelRole, label)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sid in ticked else Qt.CheckState.Unchecked)
            self.sector_list.addItem(item)
        self.sector_list.blockSignals(False)

    def _set_interests(self, interests: list[tuple[str, str, str]]) -> None:
        ticked = set(self.selected_interests())
        self.interest_tree.blockSignals(True)
        self.interest_tree.clear()
        for group in interest_groups(interests):  # the order of the student's tree
            for item in child_items(group):
                item.setData(0, LabelRole, item.text(0))
                if item.data(0, IdRole) in ticked:
                    item.setCheckState(0, Qt.CheckState.Checked)
            self.interest_tree.addTopLevelItem(group)
            group.setExpanded(any(_checked(item) for item in child_items(group)))
        self.interest_tree.blockSignals(False)

    @staticmethod
    def _fill_combo(combo: QComboBox, everything: str, entries: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for ident, label in entries:
            combo.addItem(label, ident)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        combo.blockSignals(False)

    def set_facets(self, facets: Facets) -> None:
        """Show beside each sector how many métiers the other filters leave in it."""
        self.sector_list.blockSignals(True)
        # The active colours, whatever the panel's state now: counts that arrive while the panel is
        # behind the Élève tab (disabled) must not stay grey once it is shown again.
        grey = self.sector_list.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        for row in range(self.sector_list.count()):
            item = self.sector_list.item(row)
            number = facets.sectors.get(item.data(IdRole), 0)
            item.setText(f"{item.data(LabelRole)} ({number})")
            # A sector the other filters leave empty is greyed, not hidden: it can still be unticked.
            item.setData(Qt.ItemDataRole.ForegroundRole, grey if number == 0 else None)
        self.sector_list.blockSignals(False)

    # ------------------------------------------------------------------ reading the controls
    def _sector_items(self) -> list[QListWidgetItem]:
        return [self.sector_list.item(row) for row in range(self.sector_list.count())]

    def _interest_items(self) -> list[QTreeWidgetItem]:
        return [item for group in top_level_items(self.interest_tree) for item in child_items(group)]

    def selected_sectors(self) -> list[str]:
        """Ids of the ticked sectors."""
        return [item.data(IdRole) for item in self._sector_items() if _checked(item)]

    def selected_interests(self) -> list[str]:
        """Ids of the ticked centres d'intérêt."""
        return [item.data(0, IdRole) for item in self._interest_items() if _checked(item)]

    def criteria(self) -> Criteria:
        """The criteria the controls describe now."""
        level = self.level_combo.currentData()
        salary = self.salary_spin.value()
        statut, country = self.statut_combo.currentData(), self.country_combo.currentData()
        return Criteria(
            text=self.search_box.text().strip(),
            max_bac_plus=level,
            min_salary=salary or None,
            include_no_salary=bool(salary) and self.no_salary_check.isChecked(),
            sectors=tuple(self.selected_sectors()),
            interests=tuple(self.selected_interests()),
            interests_mode="all" if self.all_radio.isChecked() else "any",
            statuts=(statut,) if statut else (),
            countries=(country,) if country else (),
        )

    # ------------------------------------------------------------------ changes
    def _salary_changed(self, value: int) -> None:
        self.no_salary_check.setEnabled(value > 0)
        self._changed()

    def _changed(self, *_args: object) -> None:
        self._schedule(0)

    def _schedule(self, delay_ms: int) -> None:
        # A pending text delay is cut short by any other change: one query covers both.
        if delay_ms == 0 or not self._timer.isActive():
            self._timer.start(delay_ms)

    def _emit(self) -> None:
        self.criteria_changed.emit(self.criteria())

    def _clear_text(self) -> None:
        self.search_box.clear()
        self._changed()  # no typing delay: the counselor asked for it explicitly

    def clear(self) -> None:
        """Remove every filter (one query follows)."""
        widgets = [self.search_box, self.level_combo, self.salary_spin, self.no_salary_check, self.sector_list,
                   self.interest_tree, self.statut_combo, self.country_combo]
        for widget in widgets:
            widget.blockSignals(True)
        self.search_box.clear()
        self.level_combo.setCurrentIndex(0)
        self.salary_spin.setValue(0)
        self.no_salary_check.setChecked(False)
        self.no_salary_check.setEnabled(False)
        for item in self._sector_items():
            item.setCheckState(Qt.CheckState.Unchecked)
        for group in top_level_items(self.interest_tree):
            group.setCheckState(0, Qt.CheckState.Unchecked)
        self.statut_combo.setCurrentIndex(0)
        self.country_combo.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self._changed()

    # ------------------------------------------------------------------ chips
    def active_filters(self) -> list[ActiveFilter]:
        """One (text, remove) pair per active filter, for the chips above the table."""
        result: list[ActiveFilter] = []
        if text := self.search_box.text().strip():
            result.append((f"Texte : « {text} »", self._clear_text))
        if self.level_combo.currentIndex() > 0:
            result.append((f"Niveau maximum : {self.level_combo.currentText()}",
                           lambda: self.level_combo.setCurrentIndex(0)))
        if salary := self.salary_spin.value():
            extra = " (ou non précisé)" if self.no_salary_check.isChecked() else ""
            result.append((f"Salaire ≥ {format_euros(salary)}{extra}", lambda: self.salary_spin.setValue(0)))
        for sector in self._sector_items():
            if _checked(sector):
                result.append((f"Secteur : {sector.data(LabelRole)}",
                               partial(sector.setCheckState, Qt.CheckState.Unchecked)))
        for interest in self._interest_items():
            if _checked(interest):
                result.append((f"Intérêt : {interest.data(0, LabelRole)}",
                               partial(interest.setCheckState, 0, Qt.CheckState.Unchecked)))
        for combo, what in ((self.statut_combo, "Statut"), (self.country_combo, "Pays")):
            if combo.currentIndex() > 0:
                result.append((f"{what} : {combo.currentText()}", partial(combo.setCurrentIndex, 0)))
        return result
