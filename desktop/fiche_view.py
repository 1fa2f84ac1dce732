"""The fiche panel: one métier's fiche in large readable type, scrolling when long.

Links to related métiers ask the window to open them (``related_requested``); nothing is
ever loaded from the network and no link opens a browser.
"""
from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from db.fiche import FicheDetail
from desktop.fiche_html import LINK_SCHEME, fiche_html, style_sheet

PLACEHOLDER = ("Choisissez un métier dans la liste (flèches puis Entrée, ou double-clic) "
               "pour lire sa fiche ici.")


class FicheView(QWidget):
    """Shows a :class:`db.fiche.FicheDetail`; see the module docstring."""

    related_requested = Signal(str)  # public id of a related métier

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fiche: FicheDetail | None = None
        self.title_form = "inclusif"
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Fiche métier")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._link_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self._show_placeholder()

    def set_fiche(self, fiche: FicheDetail | None) -> None:
        """Show ``fiche`` from its top (or the placeholder for None)."""
        self.fiche = fiche
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
        self.browser.document().setDefaultStyleSheet(style_sheet(self.font().pointSizeF()))
        self.browser.setHtml(fiche_html(self.fiche, self.title_form))
        self.browser.setAccessibleDescription(f"Fiche : {self.fiche.name}")

    def _show_placeholder(self) -> None:
        self.browser.document().setDefaultStyleSheet(style_sheet(self.font().pointSizeF()))
        self.browser.setPlainText(PLACEHOLDER)

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == LINK_SCHEME and url.path():
            self.related_requested.emit(url.path())
