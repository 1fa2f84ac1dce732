"""« Année › Suivi de l'année »: the caseload window lists, filters, counts, and opens a student."""
from __future__ import annotations

from PySide6.QtWidgets import QMenu

from db.students.caseload import add_milestone, record_bilan_given
from db.students.store import create_student


def year_window(window):
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "Ann&ée")
    (action,) = [a for a in menu.actions() if a.text() == "&Suivi de l'année…"]
    action.trigger()
    return window._caseload_window


def listed(year) -> list[str]:
    return [f"{r.info.prenom} {r.info.nom}" for r in year.model.rows]


def test_the_year_menu_lists_by_class_filters_and_opens_a_student(make_window, mini_db, qtbot, tmp_path):
    ines = create_student(mini_db, "Durand", "Inès", "3e B", "Collège Jean Moulin")
    create_student(mini_db, "Petit", "Noah", "3e B", "Collège Jean Moulin")
    create_student(mini_db, "Roux", "Léo", "2de 1", "Lycée Ampère")
    record_bilan_given(mini_db, ines, "2026-05-12")
    add_milestone(mini_db, "Saisie des vœux Affelnet", "2999-01-01")
    window = make_window(mini_db)
    year = year_window(window)
    assert listed(year) == ["Inès Durand", "Noah Petit", "Léo Roux"]
    assert year.counts.rowCount() == 2 and year.counts.item(0, 2).text() == "2"
    year.no_bilan.setChecked(True)
    assert listed(year) == ["Noah Petit", "Léo Roux"]
    year.counts.setCurrentCell(1, 0)
    year.counts.cellClicked.emit(1, 0)
    assert listed(year) == ["Léo Roux"] and "Lycée Ampère · 2de 1" in year.summary.text()
    year.no_bilan.setChecked(False)
    year.school.setCurrentText("Collège Jean Moulin")
    assert listed(year) == ["Inès Durand", "Noah Petit"]
    year.table.setCurrentIndex(year.model.index(1, 0))
    year.given_button.click()
    assert "remis aujourd'hui" in year.statusBar().currentMessage()
    year.no_bilan.setChecked(True)
    assert listed(year) == []
    year.no_bilan.setChecked(False)
    year.table.activated.emit(year.model.index(0, 0))
    assert window.students.panel.student.id == ines
    year.grab().save(str(tmp_path / "caseload.png"))


def test_an_empty_year_says_so(make_window, mini_db):
    window = make_window(mini_db)
    year = year_window(window)
    assert listed(year) == [] and year.summary.text() == "0 élève(s)"
    assert "Aucune échéance" in year.reminders.text()
    year.given_button.click()
    assert year.statusBar().currentMessage() == "Sélectionnez d'abord un élève dans la liste."


def test_the_year_menu_saves_the_anonymous_statistics_as_a_pdf_and_opens_it(make_window, mini_db, tmp_path):
    from pypdf import PdfReader

    from tests.desktop.students_helpers import RecordingFiles

    create_student(mini_db, "Durand", "Inès", "3e B", "Collège Jean Moulin")
    window = make_window(mini_db)
    files = window.students.files = RecordingFiles(tmp_path)
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "Ann&ée")
    (action,) = [a for a in menu.actions() if a.text().startswith("&Statistiques")]
    action.trigger()  # cancelled: nothing written
    assert files.opened == []
    files.save_answer = str(tmp_path / "activite")
    action.trigger()
    (pdf,) = files.opened
    assert pdf.name == "activite.pdf" and len(PdfReader(pdf).pages) == 1
    assert "Durand" not in PdfReader(pdf).pages[0].extract_text()


def test_deadlines_of_the_next_14_days_are_recalled_once_at_start(make_window, mini_db):
    from datetime import date, timedelta

    ids = [create_student(mini_db, "Durand", "Inès", "3e B"), create_student(mini_db, "Petit", "Noah", "3e B")]
    soon = (date.today() + timedelta(days=3)).isoformat()
    add_milestone(mini_db, "Saisie des vœux Affelnet", soon, ids)
    add_milestone(mini_db, "Conseil de classe", (date.today() + timedelta(days=30)).isoformat())
    add_milestone(mini_db, "Date passée", (date.today() - timedelta(days=1)).isoformat())
    window = make_window(mini_db)
    reminders = [t for t in window.messages.texts("reminder") if "Saisie des vœux" in t]
    assert len(reminders) == 1
    assert "Saisie des vœux Affelnet — 2 élève(s)" in reminders[0] and "Inès" not in reminders[0]
    assert "Conseil de classe" not in reminders[0] and "Date passée" not in reminders[0]
    window.messages.actions["Voir le suivi de l'année…"]()
    assert window._caseload_window.isVisible()


def test_no_deadline_no_reminder(make_window, mini_db):
    window = make_window(mini_db)
    assert not [t for t in window.messages.texts() if "prochains jours" in t]


def test_the_reminder_waits_until_the_message_shown_is_closed(qtbot):
    from desktop.caseload_window import when_bar_free
    from desktop.messages import MessageBar, WindowMessages

    bar = MessageBar()
    qtbot.addWidget(bar)
    messages = WindowMessages(bar, bar)
    messages.reminder("3 dossier(s) ont dépassé la durée de conservation", "Voir et effacer…", lambda: None)
    when_bar_free(messages, lambda: messages.warning("Échéance du 20 mai"))
    assert "conservation" in bar.text()
    bar.close_button.click()
    qtbot.waitUntil(lambda: "Échéance" in bar.text())


def _year_action(window, text: str) -> None:
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "Ann&ée")
    (action,) = [a for a in menu.actions() if a.text() == text]
    action.trigger()


def _year_action_done(window, qtbot, text: str) -> None:
    """Trigger a year action that runs in the background, and wait for its result."""
    _year_action(window, text)
    qtbot.waitUntil(lambda: getattr(window, "_year_change_running", None) is None, timeout=20000)


def test_the_year_change_is_previewed_asked_once_done_and_undone_from_the_menu(make_window, mini_db, qtbot,
                                                                               monkeypatch):
    import threading
    from datetime import date

    import desktop.operations.year_change as operations

    from db.students.store import get_student
    from db.students.year_change import closing_year

    sid = create_student(mini_db, "Durand", "Inès", "3e B", "Collège Jean Moulin", closing_year(date.today()))
    window = make_window(mini_db)
    window.messages.choice = None  # « Annuler »
    _year_action(window, "&Nouvelle année scolaire…")
    question = window.messages.questions[-1]
    assert "1 élève(s) changent de classe" in question and "3e B → 2de" in question and "Inès" not in question
    with mini_db.read() as session:
        assert get_student(session, sid).classe == "3e B"
    threads: list[threading.Thread] = []
    real = operations.run_year_change

    def recorded(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(operations, "run_year_change", recorded)
    window.messages.choice = 0
    _year_action_done(window, qtbot, "&Nouvelle année scolaire…")
    # The change ran off the GUI thread: the window kept painting (seconds on a large caseload).
    assert threads and threads[0] is not threading.main_thread()
    with mini_db.read() as session:
        assert get_student(session, sid).classe == "2de"
    assert any("commencée : 1 élève(s) ont changé de classe" in t for t in window.messages.texts("info"))
    _year_action_done(window, qtbot, "A&nnuler le changement d'année…")
    with mini_db.read() as session:
        assert get_student(session, sid).classe == "3e B"
    assert "Changement d'année annulé" in window.messages.texts("info")[-1]
    _year_action_done(window, qtbot, "A&nnuler le changement d'année…")
    assert window.messages.texts("error")[-1] == "aucun changement d'année à annuler"


def test_the_statistics_window_shows_the_years_anonymous_tables_and_the_archived_ones(make_window, mini_db,
                                                                                      tmp_path):
    from datetime import date

    from db.students.store import SessionState, save_session, school_year
    from db.students.year_change import change_year

    today_year = school_year(date.today())
    ids = [create_student(mini_db, f"Nom{i}", "Élève", "3e B", "Collège Jean Moulin", today_year) for i in range(6)]
    for sid in ids:
        save_session(mini_db, SessionState(student_id=sid, date=date.today().isoformat()))
    window = make_window(mini_db)
    _year_action(window, "Statistiques d'&activité…")
    dialog = window._stats_dialog
    assert dialog.year.currentText() == today_year
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Entretiens par établissement et niveau de classe" in titles
    # The charts first, drawn as the statistics PDF draws them (issue 19: a window with charts).
    assert titles[0] == "Graphiques"
    from desktop.bar_chart import BarChart

    charts = {c.accessibleName(): c for c in dialog.tabs.widget(0).findChildren(BarChart)}
    assert set(charts) == {"Entretiens par mois", "Entretiens par établissement", "Niveau d'études visé"}
    # Six sessions, one school: the month and the school show the figure, as the tables do.
    assert "Collège Jean Moulin 6" in charts["Entretiens par établissement"].accessibleDescription()
    month = date.today().strftime("%m")
    assert any(bar.value == 6 for bar in charts["Entretiens par mois"].chart.bars), month
    cells = dialog.tab_cells(titles.index("Entretiens par établissement et niveau de classe"))
    assert cells[0][1] == "3e" and cells[1][:2] == ["Collège Jean Moulin", "6"]
    shown = [cell for i in range(dialog.tabs.count()) for line in dialog.tab_cells(i) for cell in line]
    assert shown and not any("Nom" in cell or cell == "Élève" for cell in shown)  # counts and labels only
    dialog.grab().save(str(tmp_path / "stats.png"))
    archive = '{"tableaux": [{"titre": "Entretiens par mois", "grille": [["Mois", "Entretiens"], ["mai", "< 5"]]}]}'
    change_year(mini_db, archive, year="2019-2020")
    dialog.close()
    _year_action(window, "Statistiques d'&activité…")
    dialog = window._stats_dialog
    dialog.year.setCurrentText("2019-2020")
    assert "archivées" in dialog.period.text() and dialog.tab_cells(0) == [["Mois", "Entretiens"], ["mai", "< 5"]]
