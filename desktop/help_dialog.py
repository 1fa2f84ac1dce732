"""Aide › « Guide d'utilisation »: the short French guide bundled in ``resources/aide/guide.html``,
shown in a window of its own that does not block the application. Read from the package, never
from the network; links are not followed."""
from __future__ import annotations

from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE_TITLE = "Guide d'utilisation"


def guide_html() -> str:
    """The guide's HTML, as bundled with the application."""
    return (resources.files("resources") / "aide" / "guide.html").read_text(encoding="utf-8")


class GuideDialog(QDialog):
    """The user guide in a scrollable, resizable window; Échap or « Fermer » closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{GUIDE_TITLE} — Orientation")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(GUIDE_TITLE)
        self.browser.setOpenLinks(False)  # offline: nothing is ever fetched
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Fermer")
        close.setAccessibleName("Fermer le guide")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def text(self) -> str:
        """The guide as plain text, as a screen reader gets it."""
        return self.browser.toPlainText()
