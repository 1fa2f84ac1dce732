"""The fiche panel: one métier's fiche in large readable type, scrolling when long.

Links to related métiers ask the window to open them (``related_requested``); nothing is
ever loaded from the network and no link opens a browser. While a student's session is open,
an "Ajouter à la sélection" button above the fiche asks to keep it (``shortlist_requested``).
The comparison of the shortlisted métiers (:class:`desktop.compare_view.CompareView`) is shown
here too, in place of the fiche, until a fiche is shown again or the counselor leaves it (Échap).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QTextBrowser, QVBoxLayout, QWidget

from desktop.compare_view import CompareView
from desktop.fiche_html import LINK_SCHEME, fiche_html, style_sheet

if TYPE_CHECKING:
    from db.catalogue.fiche import FicheDetail
    from db.students.report_data import Comparison
    from db.catalogue.routes import Routes

PLACEHOLDER = ("Choisissez un métier dans la liste (flèches puis Entrée, ou double-clic) "
               "pour lire sa fiche ici.")


class FicheView(QWidget):
    """Shows a :class:`db.catalogue.fiche.FicheDetail`; see the module docstring."""

    related_requested = Signal(str)  # public id of a related métier
    shortlist_requested = Signal(str, str)  # public id and name of the métier shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fiche: FicheDetail | None = None
        self.title_form = "inclusif"
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Fiche métier")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._link_clicked)
        self.shortlist_button = QPushButton("Ajouter à la sélection")
        self.shortlist_button.setAccessibleName("Ajouter ce métier à la sélection de l'élève")
        self.shortlist_button.clicked.connect(self._shortlist)
        self.shortlist_button.hide()
        self._shortlist_wanted = False
        self._routes_of: Callable[[str], Routes | None] | None = None
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addStretch(1)
        bar.addWidget(self.shortlist_button)
        fiche_page = QWidget()
        layout = QVBoxLayout(fiche_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.browser)
        self.comparison = CompareView()
        self.comparison.setMinimumSize(1, 1)  # shown in place of the fiche: never makes the window wider than it
        self.comparison.closed.connect(self.leave_comparison)
        self.pages = QStackedWidget()
        self.pages.addWidget(fiche_page)
        self.pages.addWidget(self.comparison)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self._show_placeholder()

    def show_comparison(self, comparison: Comparison, student_name: str) -> None:
        """Show ``comparison`` in place of the fiche, the cursor in it (arrows read it, Échap leaves)."""
        self.comparison.show_comparison(comparison, student_name)
        self.pages.setCurrentWidget(self.comparison)
        self.comparison.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def comparing(self) -> bool:
        """Whether the comparison is shown in place of the fiche."""
        return self.pages.currentWidget() is self.comparison

    def show_fiche_page(self) -> None:
        """The fiche in front again (the comparison stays filled until the next one)."""
        self.pages.setCurrentIndex(0)

    def leave_comparison(self) -> None:
        """Échap or "Revenir à la fiche": the fiche again, the cursor in it."""
        self.show_fiche_page()
        self.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_fiche(self, fiche: FicheDetail | None) -> None:
        """Show ``fiche`` from its top (or the placeholder for None), in front of the comparison."""
        self.fiche = fiche
        self.show_fiche_page()
        self._update_shortlist_button()
        if fiche is None:
            self._show_placeholder()
            return
        self._render()
        self.browser.verticalScrollBar().setValue(0)

    def set_title_form(self, form: str) -> None:
        """Title the fiche in ``form`` ("inclusif", "feminin" or "masculin")."""
        self.title_form = form
        if self.fiche is not None:
            position = self.browser.verticalScrollBar().value()
            self._render()
            self.browser.verticalScrollBar().setValue(position)

    def text(self) -> str:
        """The fiche as plain text, as a screen reader gets it."""
        return self.browser.toPlainText()

    def _render(self) -> None:
        assert self.fiche is not None
        self.browser.document().setDefaultStyleSheet(style_sheet(self.font().pointSizeF(), self._dark()))
        routes = self._routes_of(self.fiche.id) if self._routes_of is not None else None
        self.browser.setHtml(fiche_html(self.fiche, self.title_form, routes))
        self.browser.setAccessibleDescription(f"Fiche : {self.fiche.name}")

    def _dark(self) -> bool:
        """Whether the fiche's background (the palette's Base: dark or high-contrast themes) is dark."""
        return self.browser.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def set_routes_source(self, routes_of: Callable[[str], Routes | None] | None) -> None:
        """Show, under the formations, the routes ``routes_of(metier_id)`` gives (the open
        student's, from their current class); None hides them. The fiche shown is redrawn."""
        self._routes_of = routes_of
        if self.fiche is not None:
            position = self.browser.verticalScrollBar().value()
            self._render()
            self.browser.verticalScrollBar().setValue(position)

    def _show_placeholder(self) -> None:
        self.browser.document().setDefaultStyleSheet(style_sheet(self.font().pointSizeF(), self._dark()))
        self.browser.setPlainText(PLACEHOLDER)

    def offer_shortlist(self, offered: bool) -> None:
        """Show the "Ajouter à la sélection" button (when a student's session can take it)."""
        self._shortlist_wanted = offered
        self._update_shortlist_button()

    def _update_shortlist_button(self) -> None:
        self.shortlist_button.setVisible(self._shortlist_wanted and self.fiche is not None)

    def _shortlist(self) -> None:
        if self.fiche is not None:
            self.shortlist_requested.emit(self.fiche.id, self.fiche.name)

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == LINK_SCHEME and url.path():
            self.related_requested.emit(url.path())
