"""The page of one student in the student panel: who they are, which session is shown, its
content in tabs, the suggestions below, and the buttons to save and print. Only widgets and
their layout: :class:`desktop.student_panel.StudentPanel` fills them and reacts to them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QSplitter, QVBoxLayout, QWidget)

from desktop.session_editor import SessionEditor
from desktop.suggestions import SuggestionList
from desktop.theme import tone


class StudentPage(QWidget):
    """See the module docstring."""

    def __init__(self, parent: QWidget | None = None, *, editor: SessionEditor | None = None,
                 suggestions: SuggestionList | None = None) -> None:
        """``editor``, ``suggestions``: those parts when already built (the window builds them in
        event-loop turns of their own at start-up)."""
        super().__init__(parent)
        self.editor = editor or SessionEditor()
        self.suggestions = suggestions or SuggestionList()
        self._build()
        self._lay_out()

    def _build(self) -> None:
        self.back_button = QPushButton("← Élèves")
        self.back_button.setAccessibleName("Revenir à la liste des élèves")
        self.name_label = QLabel()
        self.name_label.setStyleSheet("font-weight: bold; font-size: 120%;")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_label = QLabel()
        self.details_label.setTextFormat(Qt.TextFormat.PlainText)
        self.details_label.setWordWrap(True)
        self.edit_button = QPushButton("Modifier…")
        self.edit_button.setAccessibleName("Modifier la fiche de l'élève")
        self.name_label.setWordWrap(True)
        self.session_combo = QComboBox()
        self.session_combo.setAccessibleName("Entretien affiché")
        self.new_session_button = QPushButton("Nouvel entretien")
        self.session_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.session_combo.setMinimumContentsLength(12)
        self.new_session_button.setToolTip("Commence l'entretien d'aujourd'hui là où le précédent s'est arrêté")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setAccessibleName("Date de l'entretien")
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.status_label = QLabel()
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.read_only_bar = QFrame()
        # Text colour with the background, both for the palette (desktop.theme).
        bar = tone(self, "neutral")
        self.read_only_bar.setStyleSheet(f"QFrame {{ background: {bar.background}; border-radius: 4px; }} "
                                         f"QLabel {{ color: {bar.text}; }}")
        self.read_only_bar.hide()
        self.unlock_button = QPushButton("Modifier cet entretien")
        self.save_button = QPushButton("Enregistrer")
        self.save_button.setToolTip("Enregistrer l'entretien (Ctrl+S)")
        self.save_button.setAccessibleName("Enregistrer l'entretien")
        self.report_button = QPushButton("Générer le bilan PDF")
        self.report_button.setToolTip("Le bilan que l'élève emporte : ouvrir, enregistrer, imprimer (Ctrl+Maj+B ; "
                                      "Ctrl+B l'ouvre directement)")
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.suggestions)
        self.splitter.setSizes([440, 560])  # proportions: the suggestions stay in sight

    def _lay_out(self) -> None:
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.name_label)
        names.addWidget(self.details_label)
        names.addWidget(self.status_label)
        header = QHBoxLayout()
        header.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(names, 1)
        header.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        # One line for the session and its date, the save state beside "Enregistrer": the rows saved
        # go to the notes and the suggestions on a 720 px high screen.
        sessions = QHBoxLayout()
        sessions.addWidget(self.session_combo, 1)
        date_label = QLabel("Da&te :")
        date_label.setBuddy(self.date_edit)
        sessions.addWidget(date_label)
        sessions.addWidget(self.date_edit)
        bar = QHBoxLayout(self.read_only_bar)
        bar.setContentsMargins(8, 4, 4, 4)
        bar.addWidget(QLabel("Entretien passé, affiché en lecture seule."), 1)
        bar.addWidget(self.unlock_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.new_session_button)
        bottom.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for part in (header, sessions):
            layout.addLayout(part)
        layout.addWidget(self.read_only_bar)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
