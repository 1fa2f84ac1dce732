"""The counselor's details printed on every bilan (name, structure, how to reach them), stored
in the database by :mod:`db.students.settings` so the command line prints the same header."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from db.storage.engine import Database
from db.errors import UserError
from db.students.settings import Counselor, get_counselor, set_counselor
from desktop.messages import MessageService


class CounselorDialog(QDialog):
    """Edit the counselor profile; saved on "Enregistrer", errors through the message service."""

    def __init__(self, database: Database, messages: MessageService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database, self.messages = database, messages
        self.setWindowTitle("Coordonnées du conseiller")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        with database.read() as session:
            counselor = get_counselor(session)
        self.name = QLineEdit(counselor.name, placeholderText="Mme Claire Dubois, psychologue de l'Éducation nationale")
        self.structure = QLineEdit(counselor.structure, placeholderText="CIO de Lyon Centre")
        self.contact = QLineEdit(counselor.contact, placeholderText="04 72 00 00 00 — cio.lyon@exemple.fr")
        form = QFormLayout(self)
        hint = QLabel("Imprimé en tête et en fin de chaque bilan, pour que la famille sache qui joindre.")
        hint.setWordWrap(True)
        form.addRow(hint)
        for label, widget, name in (("&Nom", self.name, "Nom du conseiller"),
                                    ("&Structure", self.structure, "Structure (CIO, établissement)"),
                                    ("&Contact", self.contact, "Comment vous joindre")):
            widget.setAccessibleName(name)
            widget.setMaxLength(200)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)

    def submit(self) -> None:
        """Save the profile and close; on an error say why and stay open."""
        try:
            set_counselor(self.database, Counselor(self.name.text(), self.structure.text(), self.contact.text()))
        except UserError as exc:
            self.messages.error(exc.message)
            return
        self.messages.info("Coordonnées du conseiller enregistrées.")
        self.accept()
