"""The small form that creates or edits a student record (nom, prénom, classe, classe actuelle
for the routes, établissement, année scolaire). Only nom and prénom are required;
``db.students.store`` validates, and its French :class:`~db.errors.UserError` message goes to the
message service while the form stays open."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from db.catalogue.routes import CLASSES as SCHOOL_CLASSES
from db.storage.engine import Database
from db.errors import UserError
from db.students.quick_entry import StudentLine
from db.students.store import (CLASSES, StudentInfo, create_student, find_same_student, get_student, school_year,
                               update_student)
from desktop.messages import MessageService


class StudentDialog(QDialog):
    """Create a student (``student`` None) or edit one; emits ``saved(student id)`` then closes."""

    saved = Signal(int)

    def __init__(self, database: Database, messages: MessageService, parent: QWidget | None = None,
                 student: StudentInfo | None = None, line: StudentLine | None = None) -> None:
        """``line``: a new student as already typed in the student search ("Zoé Martin 3e B"); it
        fills the form, the cursor in "Prénom" (Entrée saves when it was given too)."""
        super().__init__(parent)
        self.database, self.messages, self.student = database, messages, student
        self.setWindowTitle("Modifier l'élève" if student else "Nouvel élève")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._build()
        if student is not None:
            self._fill(student)
        elif line is not None and (line.nom or line.prenom):
            self.nom.setText(line.nom)
            self.prenom.setText(line.prenom)
            self.classe.setCurrentText(line.classe)
            self.current_class.setCurrentIndex(max(0, self.current_class.findData(line.current_class)))
            self.prenom.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        self.nom = QLineEdit()
        self.prenom = QLineEdit()
        self.classe = QComboBox()
        self.classe.setEditable(True)  # "3e B" as well as "3e"
        self.classe.addItems(["", *CLASSES])
        self.current_class = QComboBox()  # where the pupil stands, for the routes to a métier
        self.current_class.addItem("non renseignée", "")
        for school_class in SCHOOL_CLASSES:
            self.current_class.addItem(school_class.label, school_class.code)
        self.etablissement = QLineEdit()
        self.annee = QLineEdit(school_year(date.today()))
        self.annee.setPlaceholderText("2026-2027")
        form = QFormLayout(self)
        hint = QLabel("Seuls le nom et le prénom sont obligatoires.")
        hint.setWordWrap(True)
        form.addRow(hint)
        for label, widget, name in (("&Nom *", self.nom, "Nom de l'élève"), ("&Prénom *", self.prenom, "Prénom"),
                                    ("&Classe", self.classe, "Classe"),
                                    ("Classe a&ctuelle", self.current_class,
                                     "Classe actuelle (pour les parcours)"),
                                    ("É&tablissement", self.etablissement, "Établissement"),
                                    ("&Année scolaire", self.annee, "Année scolaire")):
            widget.setAccessibleName(name)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Enregistrer")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 32)

    def _fill(self, student: StudentInfo) -> None:
        self.nom.setText(student.nom)
        self.prenom.setText(student.prenom)
        self.classe.setCurrentText(student.classe or "")
        self.etablissement.setText(student.etablissement or "")
        self.annee.setText(student.annee_scolaire or "")
        with self.database.read() as session:  # a student from a list does not carry it
            code = get_student(session, student.id).current_class or ""
        self.current_class.setCurrentIndex(max(0, self.current_class.findData(code)))

    def values(self) -> tuple[str, str, str, str, str]:
        """nom, prénom, classe, établissement, année scolaire as typed."""
        return (self.nom.text(), self.prenom.text(), self.classe.currentText(), self.etablissement.text(),
                self.annee.text())

    def current_class_code(self) -> str:
        """The chosen current class's code, "" when not known."""
        return str(self.current_class.currentData() or "")

    def _same_student(self) -> StudentInfo | None:
        """A student already recorded with this nom, prénom and classe (UserError: invalid values)."""
        nom, prenom, classe, _school, _year = self.values()
        with self.database.read() as session:
            return find_same_student(session, nom, prenom, classe or None)

    def submit(self) -> None:
        """Write the record; on a validation error say why and stay open."""
        try:
            if self.student is None:
                existing = self._same_student()
                if existing is not None:
                    classe = f", {existing.classe}" if existing.classe else ""
                    answer = self.messages.choose(
                        f"Un dossier existe déjà pour {existing.full_name}{classe} (n° {existing.id}).",
                        ["Ouvrir ce dossier", "Créer un second dossier", "Annuler"])
                    if answer == 0:
                        self.saved.emit(existing.id)
                        self.accept()
                        return
                    if answer != 1:
                        return
                student_id = create_student(self.database, *self.values(), current_class=self.current_class_code())
            else:
                update_student(self.database, self.student.id, *self.values(),
                               current_class=self.current_class_code())
                student_id = self.student.id
        except UserError as exc:
            self.messages.error(exc.message)
            return
        self.saved.emit(student_id)
        self.accept()
