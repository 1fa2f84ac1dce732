"""The "Générer le bilan PDF" action: the report is assembled and rendered on a worker thread
(:func:`desktop.operations.bilan.session_report`, which also logs the access), then a small window
that does not block offers to open it, save it elsewhere, or print it.

Printing goes through Qt's print dialog (:mod:`desktop.printing` draws the PDF's pages).
Copies opened in the system viewer are written to a private temporary folder removed when the
window closes.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from db.students import viewer_copies
from db.storage.engine import Database
from db.errors import UserError
from db.storage.files import os_error_sentence, write_atomically
from db.catalogue.format import french_date
from db.students.store import SessionState, StudentInfo
from desktop.operations.bilan import session_report, session_report_html
from desktop.file_services import FileServices, with_suffix
from desktop.messages import MessageService
from desktop.workers import TaskRunner

PRINT_HINT = "« Imprimer… » ouvre la fenêtre d'impression (A4)."


def report_file_name(student: StudentInfo, day: str) -> str:
    """ "bilan-martin-zoe-2026-11-20.pdf" (see :func:`db.students.viewer_copies.report_file_name`)."""
    return viewer_copies.report_file_name(student.nom, student.prenom, day)


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF written by reportlab (one "/Type /Page" object each)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


class ReportDialog(QDialog):
    """The bilan is ready: "Ouvrir", "Enregistrer sous…", "Imprimer…", "Fermer" (never blocks)."""

    def __init__(self, pdf: bytes, file_name: str, student_id: int, title: str, controller: ReportController,
                 parent: QWidget | None = None, large_print: bool = False) -> None:
        super().__init__(parent)
        self.pdf, self.file_name, self.controller = pdf, file_name, controller
        self.student_id = student_id
        self.saved_to: Path | None = None
        self.setWindowTitle("Bilan d'orientation prêt")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        pages = page_count(pdf)
        self.summary = QLabel(f"{title}\n{pages} page{'s' if pages > 1 else ''}, prêt à remettre à l'élève.")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = QLabel(PRINT_HINT)
        self.hint.setWordWrap(True)
        self.open_button = QPushButton("Ouvrir")
        self.save_button = QPushButton("Enregistrer sous…")
        self.print_button = QPushButton("Imprimer…")
        self.print_button.setToolTip(PRINT_HINT)
        self.close_button = QPushButton("Fermer")
        # For a pupil who sees poorly, or who reads with a screen reader (issue 15).
        self.large_print_box = QCheckBox("&Gros caractères (14 points)")
        self.large_print_box.setChecked(large_print)
        self.large_print_box.setAccessibleDescription("Prépare à nouveau le bilan, en plus gros caractères")
        self.html_button = QPushButton("Version accessible (&HTML)…")
        self.html_button.setToolTip("Une page HTML au même contenu, lisible par un lecteur d'écran")
        self.large_print_box.toggled.connect(self.controller.regenerate)
        self.html_button.clicked.connect(self.save_html)
        self.open_button.clicked.connect(self.open_pdf)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_pdf)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.save_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        extras = QHBoxLayout()
        extras.addWidget(self.large_print_box)
        extras.addStretch(1)
        extras.addWidget(self.html_button)
        layout.addLayout(extras)
        layout.addWidget(self.hint)
        self.open_button.setDefault(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)

    def open_pdf(self) -> bool:
        """Open a copy in the system's PDF viewer."""
        return self.controller.open_copy(self.pdf, self.file_name, self.student_id)

    def save_as(self) -> Path | None:
        """Ask where, then write the PDF there (atomically); the path, or None."""
        return self.controller.save_copy(self, self.pdf, self.file_name)

    def save_html(self) -> Path | None:
        """Ask where, then write the accessible HTML twin there; the path, or None."""
        return self.controller.save_html(self, self.file_name)

    def print_pdf(self) -> bool:
        """Show the print dialog and print the bilan; False when cancelled or impossible."""
        from desktop.printing import print_with_dialog

        try:
            printed = print_with_dialog(self.pdf, self, self.controller.print_choice)
        except OSError as exc:
            self.controller.messages.error(str(exc))
            return False
        if printed:
            self.hint.setText("Le bilan a été envoyé à l'imprimante.")
        return printed


class ReportController(QObject):
    """Builds bilans in the background, one at a time, and shows the result window."""

    busy_changed = Signal(bool)

    def __init__(self, database: Database, messages: MessageService, files: FileServices,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.database, self.messages, self.files, self.parent_widget = database, messages, files, parent
        self.runner = TaskRunner(self)
        self.dialog: ReportDialog | None = None
        self.last: tuple[SessionState, StudentInfo] | None = None  # the session of the bilan shown
        self.last_folder = ""
        self._temp: Path | None = None
        self._closing = False
        viewer_copies.clear_viewer_copies()  # left behind by a window that was killed
        # Tests replace this with a function standing for the user's choice in the print dialog.
        self.print_choice = None

    @property
    def busy(self) -> bool:
        """Whether a bilan is being prepared."""
        return self.runner.busy

    def generate(self, state: SessionState, student: StudentInfo, large_print: bool = False,
                 *, open_directly: bool = False) -> bool:
        """Start preparing the bilan of ``state`` (in 14-point type if ``large_print``); False if
        one is already being prepared. Once ready, the "Bilan prêt" window offers to open, save or
        print it; with ``open_directly`` (Ctrl+B) it opens in the PDF viewer at once instead, the
        window coming only when no viewer could open it."""
        if self.runner.busy:
            self.messages.warning("un bilan est déjà en préparation ; attendez qu'il soit prêt.")
            return False
        database = self.database
        self.runner.run(lambda: session_report(database, state, large_print=large_print),
                        lambda pdf: self._ready(pdf, state, student, large_print, open_directly),
                        self._failed, error="le bilan n'a pas pu être préparé (détail dans le journal).")
        self.busy_changed.emit(True)
        return True

    def regenerate(self, large_print: bool) -> bool:
        """Prepare the bilan shown again, in large print or not; its window is replaced."""
        if self.last is None:
            return False
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None
        return self.generate(*self.last, large_print=large_print)

    def _ready(self, pdf: bytes, state: SessionState, student: StudentInfo, large_print: bool = False,
               open_directly: bool = False) -> None:
        self.busy_changed.emit(False)
        if self._closing:  # the window closed while the bilan was being prepared
            return
        self.last = (state, student)
        if open_directly and self.open_copy(pdf, report_file_name(student, state.date), student.id):
            pages = page_count(pdf)
            self.messages.info(f"Bilan de {student.full_name} ({pages} page{'s' if pages > 1 else ''}) ouvert dans "
                               "votre lecteur PDF. L'enregistrer ailleurs, l'imprimer d'ici ou en gros caractères : "
                               "Élève > Bilan PDF… (Ctrl+Maj+B).")
            return
        title = f"Bilan de {student.full_name} — entretien du {french_date(state.date)}"
        self.dialog = ReportDialog(pdf, report_file_name(student, state.date), student.id, title, self,
                                   self.parent_widget, large_print=large_print)
        self.dialog.show()

    def save_html(self, parent: QWidget, pdf_name: str) -> Path | None:
        """Ask where to save the accessible HTML twin of the bilan shown and write it there."""
        if self.last is None:
            return None
        state = self.last[0]
        return self._save_as(parent, "Enregistrer la version accessible du bilan",
                             str(Path(pdf_name).with_suffix(".html")), "Page HTML (*.html)", ".html",
                             lambda: session_report_html(self.database, state).encode("utf-8"),
                             "Version accessible du bilan enregistrée")

    def _failed(self, message: str) -> None:
        self.busy_changed.emit(False)
        self.messages.error(message)

    def open_copy(self, pdf: bytes, file_name: str, student_id: int) -> bool:
        """Write ``pdf`` to the private temporary folder and open it in the system's viewer."""
        try:
            self._temp = viewer_copies.student_copies_dir(student_id, create=True)
            path = self._temp / file_name
            write_atomically(path, pdf)
        except OSError as exc:
            self.messages.error(os_error_sentence(exc, exc.filename))
            return False
        except UserError as exc:
            self.messages.error(exc.message)
            return False
        if not self.files.open_file(path):
            self.messages.warning(f"aucun lecteur de PDF n'a pu ouvrir le bilan ; il est enregistré dans {path}.")
            return False
        return True

    def save_copy(self, parent: QWidget, pdf: bytes, file_name: str) -> Path | None:
        """Ask where to save ``pdf`` and write it there; the path written, or None."""
        return self._save_as(parent, "Enregistrer le bilan", file_name, "Bilan PDF (*.pdf)", ".pdf",
                             lambda: pdf, "Bilan enregistré")

    def _save_as(self, parent: QWidget, title: str, file_name: str, filters: str, suffix: str,
                 content: Callable[[], bytes], done: str) -> Path | None:
        """Ask where (in the last folder used), then write ``content()`` there atomically; the
        path written, or None when cancelled or impossible (said in French)."""
        chosen = self.files.save_path(parent, title,
                                      str(Path(self.last_folder) / file_name) if self.last_folder else file_name,
                                      filters)
        if not chosen:
            return None
        path = with_suffix(chosen, suffix)
        try:
            write_atomically(path, content())
        except UserError as exc:
            self.messages.error(exc.message)
            return None
        self.last_folder = str(path.parent)
        self.messages.info(f"{done} : {path}")
        return path

    def shutdown(self) -> None:
        """Wait for a bilan in preparation, then remove the temporary copies."""
        self._closing = True
        self.runner.wait()
        if self._temp is not None:
            viewer_copies.clear_viewer_copies()
            self._temp = None
