"""A whole session through the student panel, as a counselor does it: create the student, tick
interests, set constraints, watch the suggestions and their reasons, keep métiers from the table,
comment, compare, write notes, save, continue months later, see what changed, print the bilan."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from db.students.privacy import access_log
from db.students.settings import Counselor, set_counselor
from db.students.store import get_session, list_sessions
from desktop.shortlist import COMMENT
from tests.desktop.students_helpers import (CARE, MOVE, ORGANISE, USEFUL, RecordingFiles, add_from_table,
                                            create_student, panel_of, pdf_text, press, suggestion_ids, tick,
                                            wait_suggestions)

PRIVATE = "NOTE-PRIVEE-JAMAIS-IMPRIMEE-51c2"


@pytest.fixture
def files(window, tmp_path):
    recording = RecordingFiles(tmp_path)
    window.students.use_files(recording)
    return recording


def test_a_whole_session_from_first_tick_to_the_printed_bilan(qtbot, window, mini_db, files, tmp_path):
    set_counselor(mini_db, Counselor("Mme Claire Dubois", "CIO de Lyon Centre", "04 72 00 00 00"))
    panel = panel_of(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    # 0:00 — the student's record, created from the menu
    create_student(qtbot, window, "Martin", "Zoé")
    assert panel.page.details_label.text().startswith("3e B · Collège Jean Moulin")
    assert panel.base.id is None and panel.page.session_combo.currentText() == "Entretien du jour (nouveau)"

    # 0:02 — interests: one ticked from the keyboard (Espace), two with the mouse
    tree = panel.editor.interests
    tree.setFocus()
    tree.setCurrentItem(tree.item_for(CARE))
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert tree.ticked() == [CARE]
    tick(window, USEFUL)
    tick(window, ORGANISE)
    assert panel.editor.tabText(0) == "Intérêts (3)"
    assert "ORI.medecin-generaliste" in suggestion_ids(qtbot, window)  # no level limit yet

    # constraints: bac + 3 at most, 1 840 € at least — the suggestions follow
    constraints = panel.editor.constraints
    constraints.level_combo.setCurrentIndex(constraints.level_combo.findData(3))
    constraints.salary_spin.setValue(1840)
    # scores worked out in tests/db/students/test_suggest.py (10.0, 7.33, 6.5)
    assert suggestion_ids(qtbot, window) == ["ORI.aide-soignant", "ORI.vendeur-sans-salaire", "ORI.comptable"]
    first = panel.suggestions.list.item(0).text().replace("\u202f", " ")
    assert first.startswith("1. aide-soignant/e — score 10,0")
    for reason in ("niveau ✔ CAP ou équivalent ≤ bac + 3 visé",
                   "intérêts 2/3 : je veux être utile aux autres ; ma vocation est de soigner",
                   "salaire ✔ 1 850 € ≥ 1 840 € souhaités"):
        assert reason in first

    # 0:25 — three métiers kept from the catalogue table, one commented in place, two compared
    for metier_id in ("ORI.aide-soignant", "ORI.comptable", "ORI.macon"):
        add_from_table(window, metier_id)
    shortlist = panel.editor.shortlist
    assert shortlist.ids() == ["ORI.aide-soignant", "ORI.comptable", "ORI.macon"]
    assert "— dans la sélection" in panel.suggestions.list.item(0).text()
    add_from_table(window, "ORI.macon")
    assert shortlist.ids().count("ORI.macon") == 1 and "déjà dans la sélection" in window.messages.texts()[-1]
    shortlist.table.setFocus()
    shortlist.table.setCurrentCell(0, COMMENT)
    qtbot.keyClick(shortlist.table, Qt.Key.Key_F2)
    editor = shortlist.table.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.insert("à découvrir en stage")  # QTest types ASCII only
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shortlist.entries()[0].comment == "à découvrir en stage")  # committed queued
    assert shortlist.compared() == ["ORI.aide-soignant", "ORI.comptable", "ORI.macon"]  # ticked as kept
    shortlist.set_compared("ORI.comptable", False)
    qtbot.mouseClick(shortlist.compare_button, Qt.MouseButton.LeftButton)
    comparison = window.fiche_view.comparison  # in place of the fiche, in the window
    qtbot.waitUntil(comparison.isVisible)
    assert comparison.table.columnCount() == 2
    assert "Niveau d'études minimum : CAP ou équivalent | CAP ou équivalent" in comparison.text()
    assert "Tes centres d'intérêt en commun : ma vocation est de soigner ; je veux être utile aux autres | aucun" \
        in comparison.text()
    comparison.closed.emit()

    # 0:35 — next steps, the note for the student, private notes; Ctrl+S saves
    notes = panel.editor
    notes.next_steps.setPlainText("Stage d'observation en EHPAD\nJournée portes ouvertes du lycée")
    notes.student_note.setPlainText("Continue comme ça, Zoé !")
    notes.private_notes.setPlainText(PRIVATE)
    assert panel.dirty and panel.page.status_label.text() == "modifié — pas encore enregistré"
    press(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not panel.dirty and panel.page.status_label.text() == "enregistré"
    with mini_db.read() as session:
        (first_id, _day), = list_sessions(session, panel.student.id)
        saved = get_session(session, first_id)
    assert saved.interests == sorted([CARE, USEFUL, ORGANISE]) and (saved.max_bac_plus, saved.min_salary) == (3, 1840)
    assert (saved.shortlist[0].metier_id, saved.shortlist[0].comment) == ("ORI.aide-soignant", "à découvrir en stage")
    assert saved.comparison == ["ORI.aide-soignant", "ORI.macon"] and saved.private_notes == PRIVATE

    # months later — a new session continues the last one; after saving, what changed is shown
    panel.page.date_edit.setDate(panel.page.date_edit.date())  # nothing changed: no question asked
    qtbot.mouseClick(panel.page.new_session_button, Qt.MouseButton.LeftButton)
    assert panel.base.id is None and set(notes.interests.ticked()) == {CARE, USEFUL, ORGANISE}
    assert notes.private_notes.toPlainText() == "" and shortlist.ids()[0] == "ORI.aide-soignant"
    panel.page.date_edit.setDate(panel.page.date_edit.date().addDays(90))
    tick(window, ORGANISE, False)
    tick(window, MOVE)
    shortlist.table.setCurrentCell(shortlist.ids().index("ORI.comptable"), 0)
    qtbot.mouseClick(shortlist.remove_button, Qt.MouseButton.LeftButton)
    notes.student_note.setPlainText("Bravo pour ton stage, Zoé !")
    notes.private_notes.setPlainText(PRIVATE)
    press(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert notes.currentWidget() is notes.changes
    changes = notes.changes.toPlainText()
    assert changes.startswith("Depuis l'entretien du ")
    for line in ("Centre d'intérêt ajouté : j'aime bouger", "Centre d'intérêt retiré : j'aime organiser, gérer",
                 "Métier retiré de la sélection : comptable"):
        assert f"• {line}" in changes
    assert panel.page.session_combo.count() == 2

    # 0:40 — the bilan, built on a worker thread, saved where the counselor says
    qtbot.mouseClick(panel.page.report_button, Qt.MouseButton.LeftButton)
    assert panel.page.report_button.text() == "Préparation du bilan…"  # the click returned at once
    assert not panel.page.report_button.isEnabled()
    qtbot.waitUntil(lambda: window.students.report.dialog is not None, timeout=10_000)
    dialog = window.students.report.dialog
    assert dialog.isVisible() and not dialog.isModal()
    assert panel.page.report_button.text() == "Générer le bilan PDF"
    files.save_answer = str(tmp_path / "bilan-zoe")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved_pdf = (tmp_path / "bilan-zoe.pdf").read_bytes()
    assert saved_pdf == dialog.pdf and saved_pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(saved_pdf).split())  # words as read, whatever the bilan's line breaks
    for expected in ("Bilan d'orientation", "Zoé Martin", "3e B", "Collège Jean Moulin", "Mme Claire Dubois",
                     "CIO de Lyon Centre", "Aide-soignant/e", "Maçon/ne", "à découvrir en stage",
                     "Stage d'observation en EHPAD", "Bravo pour ton stage, Zoé !", "Comparaison",
                     "j'aime bouger"):
        assert expected in text, expected
    assert PRIVATE not in text and "comptable" not in text and "Continue comme ça" not in text
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert files.opened[-1].name == "bilan-martin-zoe-" + panel.base.date + ".pdf"
    assert files.opened[-1].read_bytes() == saved_pdf
    with mini_db.read() as session:
        # each Ctrl+S is traced (number only), as ``students seance`` is: one save path
        assert [e["action"] for e in access_log(session)] == ["rapport", "entretien", "entretien"]
    printed = tmp_path / "imprime.pdf"

    def print_to_file(printer) -> bool:  # the counselor picks "Imprimer dans un fichier"
        printer.setOutputFormat(printer.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(72)
        return True

    window.students.report.print_choice = print_to_file
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed.read_bytes().startswith(b"%PDF") and dialog.hint.text() == "Le bilan a été envoyé à l'imprimante."
    dialog.close()


def test_the_bilan_saves_an_unsaved_session_first_and_ctrl_b_opens_it(qtbot, window, mini_db, files, french_qt):
    panel = panel_of(window)
    create_student(qtbot, window, "Kowalski", "Łukasz")
    tick(window, CARE)
    asked = len(window.messages.questions)
    press(qtbot, window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)  # no Ctrl+S before
    assert len(window.messages.questions) == asked  # saved without a question
    assert window.messages.texts("info")[-1].startswith("Entretien du ")
    assert not panel.dirty and panel.base.id is not None
    qtbot.waitUntil(lambda: bool(files.opened), timeout=10_000)  # straight into the PDF viewer
    assert files.opened[-1].name.endswith(".pdf") and window.students.report.dialog is None
    assert any(text.startswith("Bilan de Łukasz Kowalski (") and "Ctrl+Maj+B" in text
               for text in window.messages.texts("info"))
    assert "votre nom ne figure pas sur le bilan" in window.messages.texts("warning")[-1]
    press(qtbot, window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.students.report.dialog is not None, timeout=10_000)  # to save or print it
    window.students.report.dialog.close()


def test_a_fiche_and_a_suggestion_can_be_kept_too(qtbot, window):
    panel = panel_of(window)
    assert not window.fiche_view.shortlist_button.isVisible()  # no student yet
    create_student(qtbot, window, "Martin", "Zoé")
    window.open_fiche("ORI.oenologue")
    assert window.fiche_view.shortlist_button.isVisible()
    qtbot.mouseClick(window.fiche_view.shortlist_button, Qt.MouseButton.LeftButton)
    tick(window, CARE)
    wait_suggestions(qtbot, window)
    panel.suggestions.list.setCurrentRow(0)
    qtbot.mouseClick(panel.suggestions.add_button, Qt.MouseButton.LeftButton)
    assert panel.editor.shortlist.ids() == ["ORI.oenologue", panel.suggestions.suggestions[0].metier_id]
    panel.suggestions.list.itemActivated.emit(panel.suggestions.list.item(1))  # double-click / Entrée
    assert window.fiche_view.fiche.id == panel.suggestions.suggestions[1].metier_id
    shortlist = panel.editor.shortlist
    shortlist.table.setCurrentCell(1, 0)
    qtbot.mouseClick(shortlist.up_button, Qt.MouseButton.LeftButton)
    assert shortlist.ids()[0] == panel.suggestions.suggestions[0].metier_id
    for metier_id in shortlist.ids():
        shortlist.set_compared(metier_id, True)
    assert len(shortlist.compared()) == 2


def test_comparison_is_limited_to_four(qtbot, window):
    create_student(qtbot, window, "Martin", "Zoé")
    for metier_id in ("ORI.aide-soignant", "ORI.comptable", "ORI.macon", "ORI.oenologue", "ORI.medecin-generaliste"):
        add_from_table(window, metier_id)
    shortlist = panel_of(window).editor.shortlist
    for metier_id in shortlist.ids():
        shortlist.set_compared(metier_id, True)
    assert len(shortlist.compared()) == 4
    assert window.messages.texts("warning")[-1].startswith("on compare au plus 4 métiers")


def test_unsaved_changes_are_never_lost_without_asking(qtbot, window, mini_db):
    panel = panel_of(window)
    create_student(qtbot, window, "Martin", "Zoé")
    first = panel.student.id
    tick(window, CARE)
    create_student(qtbot, window, "Kowalski", "Łukasz")  # the question is answered "Enregistrer" (choice 0)
    assert window.messages.questions[-1].startswith("L'entretien de Zoé Martin a des modifications")
    with mini_db.read() as session:
        assert len(list_sessions(session, first)) == 1
    tick(window, USEFUL)
    window.messages.choice = None  # "Annuler": Łukasz stays on screen, unsaved
    assert not panel.open_student(first)
    assert panel.student.prenom == "Łukasz" and panel.dirty
    window.messages.choice = 1  # "Ne pas enregistrer"
    assert panel.open_student(first)
    assert panel.student.prenom == "Zoé" and panel.editor.interests.ticked() == [CARE]
    tick(window, USEFUL)
    window.messages.choice = None
    window.close()
    assert window.isVisible()  # closing was cancelled
    window.messages.choice = 1
    window.close()
    assert not window.isVisible()


def test_a_past_session_opens_read_only_until_asked(qtbot, window):
    panel = panel_of(window)
    create_student(qtbot, window, "Martin", "Zoé")
    tick(window, CARE)
    assert panel.save()
    panel.new_session()
    panel.page.date_edit.setDate(panel.page.date_edit.date().addDays(30))
    assert panel.save()
    older = panel.page.session_combo.itemData(1)
    panel.page.session_combo.setCurrentIndex(1)
    panel.page.session_combo.activated.emit(1)
    assert panel.base.id == older and panel.read_only and panel.page.read_only_bar.isVisible()
    assert not panel.editor.constraints.level_combo.isEnabled() and not panel.page.save_button.isEnabled()
    assert not window.students.add_action.isEnabled()
    assert not panel.add_to_shortlist("ORI.macon", "maçon/ne")
    qtbot.mouseClick(panel.page.unlock_button, Qt.MouseButton.LeftButton)
    assert not panel.read_only and window.students.add_action.isEnabled()


def test_student_form_errors_are_shown_in_french_and_the_form_stays_open(qtbot, window):
    window.students.menu_actions["Nouvel élève…"].trigger()
    dialog = panel_of(window).dialog
    dialog.prenom.setText("Zoé")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert window.messages.texts("error") == ["le champ « nom » est obligatoire"]
    assert dialog.isVisible()
    dialog.nom.setText("Martin")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel_of(window).student is not None)
    panel_of(window).edit_student()
    edit = panel_of(window).dialog
    edit.classe.setCurrentText("2de 3")
    qtbot.mouseClick(edit.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert panel_of(window).student.classe == "2de 3" and "2de 3" in panel_of(window).page.details_label.text()


def test_students_are_found_by_name_without_accents_most_recent_first(qtbot, window):
    panel = panel_of(window)
    create_student(qtbot, window, "Martin", "Zoé")
    panel.save()
    create_student(qtbot, window, "Kowalski", "Łukasz")
    window.students.find_student()  # Ctrl+E from the new student's session: the list
    assert panel.stack.currentIndex() == 0 and panel.list.search_box.hasFocus()
    assert [s.prenom for s in panel.list.students] == ["Zoé", "Łukasz"]  # seen first, never-seen after
    qtbot.keyClicks(panel.list.search_box, "zoe")
    qtbot.waitUntil(lambda: [s.prenom for s in panel.list.students] == ["Zoé"])
    qtbot.keyClick(panel.list.search_box, Qt.Key.Key_Return)
    assert panel.stack.currentIndex() == 1 and panel.student.prenom == "Zoé"


def test_counselor_details_are_saved_for_the_bilan(qtbot, window, mini_db):
    from db.students.settings import get_counselor

    window.students.menu_actions["Coordonnées du conseiller…"].trigger()
    dialog = window.students.counselor_dialog
    dialog.name.setText("M. Paul Lefèvre")
    dialog.structure.setText("CIO de Namur")
    dialog.submit()
    with mini_db.read() as session:
        assert get_counselor(session) == Counselor("M. Paul Lefèvre", "CIO de Namur", "")


@pytest.mark.parametrize("clicked, expected", [("Enregistrer", 0), ("Ne pas enregistrer", 1), ("Annuler", None)])
def test_the_real_three_way_question(qtbot, clicked, expected):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from desktop.messages import MessageBar, WindowMessages

    parent = QWidget()
    qtbot.addWidget(parent)
    messages = WindowMessages(MessageBar(parent), parent)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.text() == "Enregistrer l'entretien ?"
        next(b for b in box.buttons() if b.text() == clicked).click()

    QTimer.singleShot(0, answer)
    assert messages.choose("Enregistrer l'entretien ?", ("Enregistrer", "Ne pas enregistrer", "Annuler")) == expected


def test_every_session_tab_shows_at_1280_pixels_with_what_changed(qtbot, window, mini_db):
    """A follow-up session on a 1280 × 720 screen: the five tabs, counts included, fit the Élève
    panel (no scroll arrows hiding "Changements"), and that tab says what changed."""
    panel = panel_of(window)
    create_student(qtbot, window, "Martin", "Zoé")
    for interest in (CARE, USEFUL, ORGANISE):
        tick(window, interest)
    for metier_id in ("ORI.aide-soignant", "ORI.comptable", "ORI.macon"):
        add_from_table(window, metier_id)
    assert panel.save()
    panel.new_session(ask=False)
    tick(window, MOVE)
    add_from_table(window, "ORI.oenologue")
    assert panel.save()  # what changed is listed once the follow-up session is saved
    editor = panel.editor
    assert editor.tabText(4).startswith("Changements (") and editor.currentIndex() == 4
    assert [editor.tabText(i) for i in range(5)] == ["Intérêts (4)", "Critères", "Sélection (4)", "Notes",
                                                     editor.tabText(4)]
    window.students.show_panel()
    qtbot.waitUntil(editor.isVisible)
    bar = editor.tabBar()
    assert bar.sizeHint().width() <= editor.width()
    assert all(bar.tabRect(i).right() <= bar.width() for i in range(5))
    assert "bouger" in editor.changes.toPlainText()


def test_creating_the_same_student_again_offers_the_existing_file(qtbot, window):
    create_student(qtbot, window, "Martin", "Zoé")
    first = panel_of(window).student.id
    messages = window.messages
    messages.choice = 0  # « Ouvrir ce dossier »
    asked = len(messages.questions)
    window.students.menu_actions["Nouvel élève…"].trigger()
    dialog = panel_of(window).dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.nom.setText("MARTIN")  # accents and case ignored
    dialog.prenom.setText("Zoe")
    dialog.classe.setCurrentText("3e B")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(messages.questions) == asked + 1)
    assert messages.questions[-1] == f"Un dossier existe déjà pour Zoé Martin, 3e B (n° {first})."
    assert panel_of(window).student.id == first
    messages.choice = 1  # « Créer un second dossier »
    create_student(qtbot, window, "Martin", "Zoé")
    assert panel_of(window).student.id != first


def test_first_start_asks_the_counselor_once_and_can_be_skipped(qtbot, make_window, mini_db, monkeypatch):
    from db.students.privacy import retention_extra_years
    from db.students.settings import get_counselor

    monkeypatch.setenv("ORIENTATION_FIRST_RUN", "1")
    window = make_window(mini_db)
    dialog = window.students.counselor_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle().startswith("Bienvenue")
    skip = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
    assert skip.text() == "Plus tard"
    dialog.name.setText("Mme Claire Dubois")
    dialog.contact.setText("04 72 00 00 00")
    dialog.retention.setValue(2)
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    with mini_db.read() as session:
        assert get_counselor(session).name == "Mme Claire Dubois"
        assert retention_extra_years(session) == 2
    window.close()
    again = make_window(mini_db)  # the same settings file: not asked twice
    assert again.students.counselor_dialog is None


def test_the_welcome_is_not_shown_when_disabled(make_window, mini_db):
    window = make_window(mini_db)  # ORIENTATION_FIRST_RUN=0 in every test
    assert window.students.counselor_dialog is None


def test_the_bilan_window_offers_large_print_and_an_accessible_html_copy(qtbot, window, mini_db, files, tmp_path):
    """Issue 15: a pupil who sees poorly gets 14-point type, one who uses a screen reader an HTML
    copy with the same content — from the window, as from ``orientation report``."""
    create_student(qtbot, window, "Kowalski", "Łukasz")
    tick(window, CARE)
    panel_of(window).editor.private_notes.setPlainText(PRIVATE)
    window.messages.answer = True
    assert window.students.generate_report()
    qtbot.waitUntil(lambda: window.students.report.dialog is not None, timeout=10_000)
    normal = window.students.report.dialog
    assert not normal.large_print_box.isChecked()
    normal_pdf = normal.pdf
    normal.large_print_box.setChecked(True)  # the bilan is prepared again, its window replaced
    qtbot.waitUntil(lambda: window.students.report.dialog not in (None, normal), timeout=10_000)
    large = window.students.report.dialog
    assert large.large_print_box.isChecked() and large.pdf != normal_pdf
    assert "Łukasz Kowalski" in " ".join(pdf_text(large.pdf).split())
    files.save_answer = str(tmp_path / "bilan-lukasz")
    qtbot.mouseClick(large.html_button, Qt.MouseButton.LeftButton)
    page = (tmp_path / "bilan-lukasz.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and 'lang="fr"' in page
    assert "Kowalski" in page and PRIVATE not in page
    large.close()


def _second_session_ticking_move(qtbot, window):  # type: ignore[no-untyped-def]
    """A student with a saved session (CARE ticked), then a new one the same day with MOVE ticked."""
    panel = panel_of(window)
    create_student(qtbot, window, "Martin", "Zoé")
    tick(window, CARE)
    assert panel.save()
    panel.new_session()
    tick(window, MOVE)
    return panel


def test_two_sessions_of_one_day_are_told_apart_in_the_list(qtbot, window):
    # Both read « Entretien du 7 décembre 2026 »: nothing said which was which.
    panel = _second_session_ticking_move(qtbot, window)
    assert panel.save()
    labels = [panel.page.session_combo.itemText(i) for i in range(panel.page.session_combo.count())]
    assert len(labels) == 2 and labels[0].endswith("(2e du jour)") and labels[1].endswith("(1er du jour)")
    assert labels[0].startswith("Entretien du ")


def test_what_changed_follows_the_edits_before_saving(qtbot, window):
    # « Changements » said « Rien n'a changé » while an interest had just been ticked, until saved.
    panel = _second_session_ticking_move(qtbot, window)
    qtbot.waitUntil(lambda: "Centre d'intérêt ajouté : j'aime bouger" in panel.editor.changes.toPlainText())
    assert panel.dirty and panel.base.id is None  # not saved
