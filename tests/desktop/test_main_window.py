"""The window as a whole: settings kept between runs, keyboard, accessible names, layout, French,
the about box, and what happens to an unexpected error."""
from __future__ import annotations

from tests.conftest import damage
from tests.desktop.conftest import stop_timers

import logging
import sys

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QDialogButtonBox,
                               QWidget)

from desktop import app as desktop_app
from desktop.messages import WARNING
from desktop.settings import Settings
from desktop.table_model import Column
from desktop.table_view import TITLE_MIN


def test_geometry_splitter_and_title_form_are_restored(qtbot, make_window, mini_db, settings_path):
    first = make_window(mini_db)
    first.resize(700, 500)  # within the 800 × 600 offscreen screen: restoring never clamps it
    first.splitter.setSizes([500, 350])
    first.students.dock.hide()  # the Élève panel closed: it stays closed next time
    next(a for a in first.title_actions.actions() if a.data() == "masculin").trigger()
    sizes = first.splitter.sizes()
    first.close()
    assert Settings(settings_path).title_form == "masculin"
    second = make_window(mini_db, size=(800, 600))
    second.restoreGeometry(Settings(settings_path).geometry)  # make_window resized it after the restore
    assert (second.width(), second.height()) == (700, 500)
    assert second.splitter.sizes() == sizes
    assert not second.students.dock.isVisible() and second.filter_dock.isVisible()
    assert second.model.title_form == "masculin"
    assert next(a for a in second.title_actions.actions() if a.isChecked()).data() == "masculin"


def test_settings_fall_back_to_defaults_on_bad_values(settings_path):
    settings_path.write_text("[affichage]\nforme_des_titres=n'importe quoi\n", encoding="utf-8")
    settings = Settings(settings_path)
    assert settings.title_form == "inclusif"
    assert settings.geometry.isEmpty()
    with pytest.raises(ValueError):
        settings.title_form = "autre"


def test_ctrl_f_focuses_the_search_box(qtbot, window):
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.filters.search_box.hasFocus)


def test_tab_reaches_filters_table_and_fiche(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.filters.search_box.setFocus()
    qtbot.waitUntil(window.filters.search_box.hasFocus)
    reached = []
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    for widget in (window.filters.level_combo, window.filters.salary_spin, window.filters.sector_list,
                   window.filters.interest_tree, window.filters.statut_combo, window.filters.country_combo,
                   window.filters.clear_button, window.table, window.fiche_view.browser):
        assert widget in reached, widget.accessibleName()


def test_every_focusable_control_has_an_accessible_name(window):
    window.open_fiche("ORI.macon")
    window.filters.level_combo.setCurrentIndex(1)
    QCoreApplication.processEvents()
    nameless = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the inner parts of a combo or spin box, named by their owner
        name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
        if not name:
            nameless.append(f"{type(widget).__name__} {widget.objectName()}")
    assert nameless == []


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
def test_layout_holds_at_common_screen_sizes(qtbot, make_window, mini_db, size):
    window = make_window(mini_db, size=size)
    window.open_fiche("ORI.technicien-de-maintenance-industrielle")
    QCoreApplication.processEvents()
    assert (window.width(), window.height()) == size
    table = window.table
    header = table.horizontalHeader()
    right = header.sectionViewportPosition(Column.SOURCE) + header.sectionSize(Column.SOURCE)
    assert right <= table.viewport().width()  # every column visible, no sideways scrolling
    # The title, the one thing read first, keeps room; the sector and source give way (the fiche has them).
    assert header.sectionSize(Column.TITLE) >= TITLE_MIN
    assert table.fontMetrics().horizontalAdvance("administrateur/trice de réseaux") < header.sectionSize(Column.TITLE)
    # The facts read aloud are never cut.
    for column, longest in ((Column.LEVEL, "CAP ou équivalent"), (Column.SALARY, "à partir de 1 802 €")):
        assert header.sectionSize(column) >= table.fontMetrics().horizontalAdvance(longest)
    scroll = window.filters.parentWidget().parentWidget()
    assert window.filters.width() <= scroll.viewport().width()  # the filters are never cut on the right
    assert window.fiche_view.width() >= 300 and window.fiche_view.height() >= 250
    assert window.table.viewport().height() >= 7 * window.table.verticalHeader().defaultSectionSize()
    # The session stays in sight beside the catalogue: no panel hides another.
    assert window.tabifiedDockWidgets(window.filter_dock) == []
    assert window.filters.isVisible() and window.students.panel.isVisible()


def test_a_small_school_screen_keeps_room_for_the_catalogue(qtbot, make_window, mini_db):
    """1024 × 600 at first start: the Filtres panel at its minimum width, the Élève panel whole
    (narrower, its buttons are cut), the catalogue between them with its title and level read."""
    from desktop.main_window import STUDENT_WIDTH

    window = make_window(mini_db, size=(1024, 600))
    QCoreApplication.processEvents()
    assert window.filter_dock.width() <= window.filter_dock.minimumWidth() + 10
    assert window.student_dock.width() >= STUDENT_WIDTH - 10
    assert window.table.width() >= 1024 - window.filter_dock.minimumWidth() - STUDENT_WIDTH - 40
    header = window.table.horizontalHeader()
    assert header.sectionViewportPosition(Column.LEVEL) < window.table.viewport().width()
    assert window.tabifiedDockWidgets(window.filter_dock) == []  # the session stays in sight


@pytest.mark.parametrize("size, below", [((1024, 600), True), ((1280, 720), False)])
def test_a_message_in_a_narrow_window_puts_its_buttons_under_its_text(qtbot, make_window, mini_db, size, below):
    """In a narrow centre the buttons beside the text squeezed it into a column of one or two
    words per line, over the whole fiche."""
    window = make_window(mini_db, size=size)
    bar = window.message_bar  # as the window's message service shows a reminder
    bar.show_message(WARNING, "12 dossier(s) d'élève ont dépassé la durée de conservation (fin de l'année "
                     "scolaire du dernier entretien) et devraient être effacés.", ("Voir et effacer…", lambda: None))
    QCoreApplication.processEvents()
    assert bar.isVisible()
    label, close = bar.label.geometry(), bar.close_button.geometry()
    if below:
        assert close.top() >= label.bottom()
        assert label.width() >= bar.width() - 40  # the text takes the bar's whole width
    else:
        assert close.left() >= label.right() and close.top() < label.bottom()
    assert bar.height() <= 5 * bar.label.fontMetrics().lineSpacing() + 60  # a few lines, not a column


def test_about_names_the_sources_and_licences(qtbot, window):
    window.show_about()
    box = window.about_box
    qtbot.waitUntil(box.isVisible)
    # The catalogue's own sources (the eight test fiches are the project's), with their date.
    assert "Fiches rédigées par l'équipe Orientation, données 20" in box.text()
    assert "Onisep" not in box.text().split("<ul>")[1].split("</ul>")[0]  # no ONISEP fiche in this base
    assert "--onisep-odbl" in box.text()
    box.close()


def test_qt_speaks_french(qapp):
    assert desktop_app.install_french(qapp)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Close)
    texts = {b.text().replace("&", "") for b in buttons.buttons()}
    assert texts == {"Annuler", "Fermer"}
    from PySide6.QtWidgets import QFileDialog, QLabel

    dialog = QFileDialog(None, "Enregistrer le bilan", "", "Bilan PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    labels = [label.text().replace("&", "") for label in dialog.findChildren(QLabel)]
    assert labels == ["Regarder dans\u00a0:", "Nom de fichier\u00a0:", "Type de fichier\u00a0:"]
    dialog.deleteLater()


def test_an_unexpected_error_is_logged_and_shown_as_one_french_sentence(qapp, monkeypatch, caplog):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []
    desktop_app.install_excepthook(shown.append)
    try:
        raise RuntimeError("détail technique")
    except RuntimeError:
        with caplog.at_level(logging.ERROR, logger="orientation"):
            sys.excepthook(*sys.exc_info())
    assert shown == [desktop_app.unexpected_error_text()]
    assert shown[0].startswith("une erreur inattendue s'est produite. Le détail est enregistré dans ")
    assert "Traceback" not in shown[0] and "détail technique" not in shown[0]
    assert "RuntimeError: détail technique" in caplog.text


def test_the_window_shows_errors_in_its_message_bar(qtbot, mini_db, settings_path):
    from desktop.main_window import MainWindow

    window = MainWindow(mini_db, settings=Settings(settings_path))
    qtbot.addWidget(window, before_close_func=stop_timers)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    first_row = window.table.viewport().mapTo(window, window.table.visualRect(window.model.index(0, 0)).topLeft()).y()
    table_height = window.table.height()
    window.messages.error("la base de données est verrouillée.")
    assert window.message_bar.isVisible()
    QApplication.processEvents()
    # The rows stay where they were under the pointer, and the table keeps its height: the bar floats.
    assert window.table.viewport().mapTo(window, window.table.visualRect(window.model.index(0, 0)).topLeft()).y() \
        == first_row
    assert window.table.height() == table_height
    assert window.message_bar.text() == "Erreur : la base de données est verrouillée."
    qtbot.mouseClick(window.message_bar.close_button, Qt.MouseButton.LeftButton)
    assert not window.message_bar.isVisible()


def test_a_damaged_database_offers_the_latest_backup(tmp_path):
    """At start-up a damaged file is not a crash: the user is asked, and the backup restored."""
    from db.storage import integrity
    from db.storage.opening import open_database
    from db.students.store import create_student, find_students
    from desktop.app import open_or_recover

    path = tmp_path / "base.sqlite"
    database = open_database(str(path), load_starter=False)  # the daily backup is taken here
    create_student(database, "Après", "Sauvegarde")
    database.close()
    damage(path)
    integrity.run_check(path)  # what the background check finds, the next opening reports

    asked, errors = [], []
    restored = open_or_recover(str(path), lambda m: asked.append(m) or True, errors.append)
    assert asked and "endommagée" in asked[0] and errors == []
    with restored.read() as session:
        assert find_students(session) == []  # the backup predates the student
    restored.close()

    declined = tmp_path / "autre.sqlite"
    declined.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    assert open_or_recover(str(declined), lambda m: False, errors.append) is None
    assert errors and "n'est pas une base de données d'Orientation" in errors[-1]


def test_help_lists_the_keyboard_shortcuts_read_from_the_menus(qtbot, window, french_qt):
    qtbot.waitUntil(lambda: window.student_menu.isEnabled(), timeout=5000)
    lines = window.shortcut_lines()
    for expected in ("Ctrl+F : Rechercher un métier", "Ctrl+I : Importer des fiches",
                     "Ctrl+S : Enregistrer l'entretien",
                     "Ctrl+D : Ajouter le métier à la sélection", "Ctrl+B : Générer et ouvrir le bilan", "F9 : ",
                     "Ctrl+Maj+B : Bilan PDF (enregistrer, imprimer", "Ctrl+Maj+C : Comparer les métiers cochés",
                     "Après Ctrl+D : taper le commentaire du métier ; Entrée revient à la liste, sur le métier"):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    window.show_shortcuts()
    qtbot.waitUntil(lambda: window.shortcuts_box.isVisible())
    assert "Ctrl+D" in window.shortcuts_box.text()
    window.shortcuts_box.close()


def test_f1_shows_the_shortcuts_from_anywhere(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.focus_search()
    qtbot.keyClick(window.filters.search_box, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.shortcuts_box.isVisible())
    assert "Ctrl+D : Ajouter le métier à la sélection" in window.shortcuts_box.text()
    window.shortcuts_box.close()


def test_the_user_guide_opens_offline_from_the_aide_menu(qtbot, window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Ai&de")
    guide = next(a for a in help_menu.actions() if a.text() == "&Guide d'utilisation")
    guide.trigger()
    dialog = window.guide_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.text()
    assert text.startswith("Guide d'utilisation d'Orientation")
    for step in ("Ctrl+E", "Ctrl+F", "Ctrl+D", "Ctrl+S", "Ctrl+B", "sans connexion internet",
                 "Le curseur est alors dans son commentaire"):
        assert step in text
    assert dialog.browser.openLinks() is False
    dialog.close()
