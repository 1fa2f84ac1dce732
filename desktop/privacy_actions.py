"""Data protection (RGPD) in the window: export a student's file, import one, erase a student
for good, and the reminder of records kept past the retention period (with their purge).

Every action goes through :mod:`db.students.privacy` (which logs exports and erasures); the window only
asks, through the message service, before anything irreversible.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from db.storage.engine import Database
from db.errors import UserError
from db.students.privacy import count_past_retention, erase_student, past_retention, purge_with_result, read_document
from db.students.store import StudentInfo, list_sessions
from db.text import slug
from desktop.operations.student_file import USERS_COPY, write_student_export
from desktop.file_services import FileServices, with_suffix
from desktop.messages import MessageService
from desktop.student_panel import StudentPanel

JSON_FILTER = "Dossier d'élève (*.json);;Tous les fichiers (*)"
LISTED = 10  # names shown in the purge question


class ExportDialog(QDialog):
    """Whether the private notes go with the export: unticked unless the counselor ticks it."""

    def __init__(self, student: StudentInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.student = student
        self.setWindowTitle(f"Exporter le dossier de {student.full_name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        text = QLabel("Le dossier (identité, entretiens, sélection, notes pour l'élève) est écrit dans un fichier "
                      "JSON, par exemple pour le transmettre au CIO qui suivra l'élève. Conservez-le en lieu sûr.")
        text.setWordWrap(True)
        self.private_check = QCheckBox("Inclure les notes privées (à éviter, sauf nécessité)")
        self.private_check.setChecked(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Exporter…")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.private_check)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 34)


class PrivacyActions(QObject):
    """The RGPD actions of the Élève menu (see the module docstring)."""

    def __init__(self, database: Database, messages: MessageService, files: FileServices, panel: StudentPanel,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.database, self.messages, self.files, self.panel = database, messages, files, panel
        self.parent_widget = parent
        self.export_dialog: ExportDialog | None = None

    # ------------------------------------------------------------------ export / import
    def export(self) -> None:
        """Ask whether to include private notes, then where to write the open student's file."""
        if self.panel.student is None:
            self.messages.warning("ouvrez d'abord l'élève dont vous voulez exporter le dossier.")
            return
        self.export_dialog = ExportDialog(self.panel.student, self.parent_widget)
        dialog = self.export_dialog
        dialog.accepted.connect(lambda: self.write_export(dialog.student, dialog.private_check.isChecked()))
        dialog.open()

    def write_export(self, student: StudentInfo, include_private: bool) -> Path | None:
        """Ask for a file name and write the export there; the path, or None when cancelled."""
        chosen = self.files.save_path(self.parent_widget, "Exporter le dossier de l'élève",
                                      f"dossier-{slug(student.nom)}-{slug(student.prenom)}.json", JSON_FILTER)
        if not chosen:
            return None
        path = with_suffix(chosen, ".json")
        try:
            write_student_export(self.database, student.id, path, include_private=include_private)
        except UserError as exc:
            self.messages.error(exc.message)
            return None
        private = "avec" if include_private else "sans"
        self.messages.info(f"Dossier de {student.full_name} exporté dans {path} ({private} les notes privées). "
                           f"{USERS_COPY}")
        return path

    def import_file(self) -> int | None:
        """Ask for an exported file and create the student it describes; their id, or None."""
        chosen = self.files.open_path(self.parent_widget, "Importer un dossier d'élève", "", JSON_FILTER)
        if not chosen:
            return None
        from db.students.student_file import SameStudentError, import_student_file

        try:
            document = read_document(chosen)
            try:
                imported = import_student_file(self.database, document)
            except SameStudentError as exc:
                if not self.messages.confirm(f"{exc.message}. Importer quand même un second dossier ?",
                                             yes="Importer un second dossier", no="Annuler"):
                    return None
                imported = import_student_file(self.database, document, even_if_present=True)
        except UserError as exc:
            self.messages.error(exc.message)
            return None
        self.panel.list.refresh(imported.id)
        self.panel.open_student(imported.id)
        if imported.notes:  # interests or sectors this catalogue lacks: the counselor must know
            self.messages.warning(f"Dossier importé depuis {Path(chosen).name}, avec des changements : "
                                  + " ; ".join(imported.notes) + ".")
        else:
            self.messages.info(f"Dossier importé depuis {Path(chosen).name}.")
        return imported.id

    # ------------------------------------------------------------------ erasure
    def erase(self) -> bool:
        """Erase the open student for good, after confirmation."""
        student = self.panel.student
        if student is None:
            self.messages.warning("ouvrez d'abord l'élève dont vous voulez effacer le dossier.")
            return False
        with self.database.read() as session:
            sessions = len(list_sessions(session, student.id))
        question = (f"Effacer définitivement le dossier de {student.full_name} et ses {sessions} entretien(s) ? "
                    "Rien ne pourra être récupéré. S'il doit suivre l'élève ailleurs, exportez-le d'abord.")
        if not self.messages.confirm(question, yes="Effacer définitivement", no="Annuler"):
            return False
        try:
            result = erase_student(self.database, student.id)
        except UserError as exc:
            self.messages.error(exc.message)
            return False
        self.panel.close_student()
        self.messages.info(f"Le dossier de {student.full_name} a été effacé définitivement. "
                           + " ".join(result.sentences()[:-1]))
        return True

    # ------------------------------------------------------------------ retention
    def overdue(self) -> list[StudentInfo]:
        """Students kept past the retention period."""
        with self.database.read() as session:
            return past_retention(session)

    def remind(self) -> int:
        """At start-up: say how many records are past retention (nothing when none); their number."""
        with self.database.read() as session:
            count = count_past_retention(session)  # one indexed count, not the caseload read row by row
        if count:
            self.messages.reminder(f"{count} dossier(s) d'élève ont dépassé la durée de conservation "
                                   "(fin de l'année scolaire du dernier entretien) et devraient être effacés.",
                                   "Voir et effacer…", self.purge)
        return count

    def purge(self) -> list[int]:
        """List the records past retention and, once confirmed, erase them; the ids erased."""
        overdue = self.overdue()
        if not overdue:
            self.messages.info("Aucun dossier n'a dépassé la durée de conservation.")
            return []
        names = "\n".join(f"• {s.full_name} (dernier entretien : {s.last_session_on or 'aucun'})"
                          for s in overdue[:LISTED])
        more = f"\n… et {len(overdue) - LISTED} autre(s)" if len(overdue) > LISTED else ""
        question = (f"Effacer définitivement ces {len(overdue)} dossier(s), conservés au-delà de la durée "
                    f"prévue ?\n{names}{more}")
        if not self.messages.confirm(question, yes="Effacer définitivement", no="Annuler"):
            return []
        erased, result = purge_with_result(self.database)
        if self.panel.student is not None and self.panel.student.id in erased:
            self.panel.close_student()
        else:
            self.panel.list.refresh()
        self.messages.info(f"{len(erased)} dossier(s) effacé(s) définitivement. "
                           + (result.backups.sentence() if result else ""))
        return erased
