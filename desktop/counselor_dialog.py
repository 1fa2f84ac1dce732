"""The counselor's details printed on every bilan (name, structure, how to reach them), stored
in the database by :mod:`db.students.settings` so the command line prints the same header.

At first start the same dialog welcomes the counselor (:func:`first_run_wanted`): it also asks
how long student records are kept (:mod:`db.students.privacy`), and « Plus tard » skips it."""
from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from db.storage.engine import Database
from db.errors import UserError
from db.students.privacy import retention_extra_years, set_retention_extra_years
from db.students.settings import Counselor, get_counselor, set_counselor
from desktop.messages import MessageService

FIRST_RUN_ENV = "ORIENTATION_FIRST_RUN"  # "0": never show the welcome (tests, benchmarks, scripted set-ups)
WELCOME = ("Bienvenue dans Orientation. Ces informations sont imprimées sur chaque bilan, pour que la famille "
           "sache qui joindre. Vous pourrez les changer dans Élève › Coordonnées du conseiller.")


def first_run_wanted(already_offered: bool, counselor: Counselor) -> bool:
    """Whether to welcome the counselor: never offered before, no name saved yet, not disabled."""
    return os.environ.get(FIRST_RUN_ENV, "1") != "0" and not already_offered and not counselor.name


class CounselorDialog(QDialog):
    """Edit the counselor profile; saved on "Enregistrer", errors through the message service."""

    def __init__(self, database: Database, messages: MessageService, parent: QWidget | None = None, *,
                 first_run: bool = False) -> None:
        super().__init__(parent)
        self.database, self.messages, self.first_run = database, messages, first_run
        self.setWindowTitle("Bienvenue — vos coordonnées" if first_run else "Coordonnées du conseiller")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        with database.read() as session:
            counselor = get_counselor(session)
            extra_years = retention_extra_years(session)
        self.name = QLineEdit(counselor.name, placeholderText="Mme Claire Dubois, psychologue de l'Éducation nationale")
        self.structure = QLineEdit(counselor.structure, placeholderText="CIO de Lyon Centre")
        self.contact = QLineEdit(counselor.contact, placeholderText="04 72 00 00 00 — cio.lyon@exemple.fr")
        form = QFormLayout(self)
        hint = QLabel(WELCOME if first_run else
                      "Imprimé en tête et en fin de chaque bilan, pour que la famille sache qui joindre.")
        hint.setWordWrap(True)
        form.addRow(hint)
        for label, widget, name in (("&Nom", self.name, "Nom du conseiller"),
                                    ("&Structure", self.structure, "Structure (CIO, établissement)"),
                                    ("&Contact", self.contact, "Comment vous joindre")):
            widget.setAccessibleName(name)
            widget.setMaxLength(200)
            form.addRow(label, widget)
        self.retention = QSpinBox(minimum=0, maximum=10, value=extra_years)
        self.retention.setSpecialValueText("aucune année de plus")
        self.retention.setSuffix(" année(s) scolaire(s) de plus")
        self.retention.setAccessibleName("Durée de conservation des dossiers des élèves")
        self.retention.setAccessibleDescription("Après la fin de l'année scolaire du dernier entretien")
        self.retention.setToolTip("Un dossier est gardé jusqu'à la fin de l'année scolaire de son dernier "
                                  "entretien, plus ce nombre d'années ; ensuite l'application propose de l'effacer.")
        form.addRow("Conser&vation des dossiers", self.retention)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Enregistrer")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Plus tard" if first_run else "Annuler")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)

    def submit(self) -> None:
        """Save the profile and close; on an error say why and stay open."""
        try:
            set_counselor(self.database, Counselor(self.name.text(), self.structure.text(), self.contact.text()))
            set_retention_extra_years(self.database, self.retention.value())
        except UserError as exc:
            self.messages.error(exc.message)
            return
        self.messages.info("Coordonnées du conseiller enregistrées.")
        self.accept()
