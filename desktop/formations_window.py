"""« Affichage › Formations… »: search the formations by name, type and level and read one.

The list and the fiche come from :mod:`db.catalogue.formations` (``orientation formations
search|show`` read the same functions); a métier named on a formation fiche is a link that opens
its fiche in the main window. This module only shows what those functions return.
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow,
                               QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from db.catalogue.formation_types import formation_types
from db.catalogue.formations import FormationView, search_formations, show_formation
from db.errors import UserError
from db.storage.engine import Database

LIMIT = 200  # formations listed at once; more words, a type or a level narrow the list
LEVELS = {3: "niveau 3 (CAP)", 4: "niveau 4 (bac)", 5: "niveau 5 (bac + 2)", 6: "niveau 6 (bac + 3, bac + 4)",
          7: "niveau 7 (bac + 5)", 8: "niveau 8 (doctorat)"}
IdRole = Qt.ItemDataRole.UserRole


class _SearchField(QLineEdit):
    """Down or Entrée moves into the list of formations (keyboard first, as in the main window),
    the text typed applied first (``flush``)."""

    def __init__(self, target: QListWidget, flush: Callable[[], None]) -> None:
        super().__init__()
        self._target, self._flush = target, flush

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._flush()
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._target.count():
            self._target.setFocus()
            if self._target.currentRow() < 0:
                self._target.setCurrentRow(0)
            return
        super().keyPressEvent(event)


class FormationsWindow(QMainWindow):
    """See the module docstring. ``open_metier(id)`` shows a métier's fiche in the main window."""

    def __init__(self, database: Database, open_metier: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.database, self.open_metier = database, open_metier
        self.setWindowTitle("Formations — Orientation")
        self.results = QListWidget()
        self.results.setAccessibleName("Formations trouvées")
        self.search_box = _SearchField(self.results, self._apply_typed_text)
        self.search_box.setPlaceholderText("mots du nom : cuisine, infirmier, BTS commerce…")
        self.search_box.setAccessibleName("Rechercher une formation")
        self.search_box.setClearButtonEnabled(True)
        self.type_box, self.level_box = QComboBox(), QComboBox()
        self.type_box.addItem("Tous les types", None)
        for ftype in formation_types():
            self.type_box.addItem(ftype.label, ftype.code)
        self.type_box.setAccessibleName("Type de diplôme")
        self.level_box.addItem("Tous niveaux", None)
        for level, label in LEVELS.items():
            self.level_box.addItem(label, level)
        self.level_box.setAccessibleName("Niveau du diplôme")
        self.count_label = QLabel()
        self.fiche = QTextBrowser()
        self.fiche.setOpenLinks(False)
        self.fiche.setAccessibleName("Fiche de la formation")
        self.fiche.anchorClicked.connect(self._link)
        self._timer = QTimer(self, singleShot=True, interval=200)  # one query per pause in the typing
        self._timer.timeout.connect(self.refresh)
        self._lay_out()
        self.search_box.textChanged.connect(lambda _text: self._timer.start())
        self.type_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.level_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.results.currentItemChanged.connect(lambda item, _old: self.show_formation(item.data(IdRole))
                                                if item is not None else None)
        self.resize(1000, 640)
        self.refresh()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        for label, widget in (("&Nom :", self.search_box), ("&Type :", self.type_box), ("Ni&veau :", self.level_box)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            top.addWidget(caption)
            top.addWidget(widget, 2 if widget is self.search_box else 1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.count_label)
        column.addWidget(self.results)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.fiche)
        splitter.setSizes([380, 620])
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(splitter)
        self.setCentralWidget(body)

    def _apply_typed_text(self) -> None:
        """Typed faster than the pause: search the text now."""
        if self._timer.isActive():
            self._timer.stop()
            self.refresh()

    def refresh(self) -> None:
        """List the formations matching the name, type and level chosen (the first is shown)."""
        with self.database.read() as session:
            found = search_formations(session, self.search_box.text(), self.type_box.currentData(),
                                      self.level_box.currentData(), limit=LIMIT + 1)
        self.results.clear()
        for view in found[:LIMIT]:
            item = QListWidgetItem(f"{view.label} — {view.type_label}" if view.type_label else view.label)
            item.setData(IdRole, view.id)
            self.results.addItem(item)
        more = len(found) > LIMIT
        self.count_label.setText("Aucune formation ne correspond." if not found else
                                 f"Les {LIMIT} premières formations (précisez le nom, le type ou le niveau)."
                                 if more else f"{len(found)} formation(s)")
        if found:
            self.results.setCurrentRow(0)
        else:
            self.fiche.clear()

    def show_formation(self, formation_id: str) -> None:
        """Show one formation's fiche."""
        try:
            with self.database.read() as session:
                view = show_formation(session, formation_id)
        except UserError as exc:
            self.fiche.setPlainText(str(exc))
            return
        self.fiche.setHtml(formation_html(view))

    def _link(self, url: QUrl) -> None:
        if url.scheme() == "metier":
            self.open_metier(url.path())


def formation_html(view: FormationView) -> str:
    """A formation fiche as HTML: facts, usual path, access, what follows, métiers (links), source."""
    facts = [x for x in (view.type_label, f"niveau {view.level}" if view.level else "",
                         f"{view.years} an{'s' if view.years > 1 else ''}" if view.years else "") if x]
    parts = [f"<h2>{escape(view.label)}</h2>", f"<p>{escape(' · '.join(facts))}</p>" if facts else ""]
    if view.usual_path:
        parts.append(f"<p>{escape(view.usual_path)}</p>")
    for title, body in (("Pour y entrer", view.access_text), ("Et après", view.next_text)):
        if body:
            paragraphs = "".join(f"<p>{escape(line)}</p>" for line in body.splitlines() if line.strip())
            parts.append(f"<h3>{title}</h3>{paragraphs}")
    if view.metiers:
        items = "".join(f'<li><a href="metier:{escape(mid)}">{escape(label)}</a></li>' if mid
                        else f"<li>{escape(label)} (pas de fiche dans le catalogue)</li>"
                        for mid, label in view.metiers)
        parts.append(f"<h3>Métiers</h3><ul>{items}</ul>")
    if view.source:
        parts.append(f"<p><small>{escape(view.source)}</small></p>")
    return "".join(parts)


def show_formations(window: Any, database: Database) -> FormationsWindow:
    """Open (or bring forward) the formations window; a métier link shows its fiche in ``window``."""
    existing = getattr(window, "_formations_window", None)
    if existing is None:
        def open_metier(metier_id: str) -> None:
            window.open_fiche(metier_id)
            window.activateWindow()  # the fiche is in the main window: bring it to the keyboard

        existing = window._formations_window = FormationsWindow(database, open_metier, window)
    if existing.isVisible():
        existing.raise_()
    else:
        existing.show()
    existing.activateWindow()
    existing.search_box.setFocus()
    return existing


def install_formations_action(window: Any, database: Database) -> None:
    """« Affichage › Formations… » (Ctrl+Maj+F), once the database is attached."""
    action = window.view_menu.addAction("F&ormations…", lambda: show_formations(window, database))
    action.setShortcut("Ctrl+Shift+F")
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
