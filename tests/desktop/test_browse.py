"""The counselor narrows the catalogue: search box, each filter, chips, clearing, sorting."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette

from desktop.filter_panel import IdRole, LabelRole
from tests.desktop.conftest import shown_ids, wait_ids

ALL = {"ORI.aide-soignant", "ORI.oenologue", "ORI.macon", "ORI.technicien-de-maintenance-industrielle",
       "ORI.comptable", "ORI.ingenieur-informaticien", "ORI.medecin-generaliste", "ORI.vendeur-sans-salaire"}


def sector_item(window, label):
    items = [window.filters.sector_list.item(i) for i in range(window.filters.sector_list.count())]
    return next(item for item in items if item.data(LabelRole) == label)


def interest_item(window, interest_id):
    return next(item for item in window.filters._interest_items() if item.data(0, IdRole) == interest_id)


def test_window_is_titled_orientation_and_lists_every_fiche_with_the_count(window):
    assert window.windowTitle() == "Orientation"
    assert set(shown_ids(window)) == ALL
    assert window.results.count_label.text() == "8 métiers"
    assert window.results.chip_texts() == []


def test_typing_filters_after_the_debounce_and_ignores_accents(qtbot, window):
    qtbot.keyClicks(window.filters.search_box, "macon")
    assert len(shown_ids(window)) == 8  # not yet: the query waits for the typing to pause
    wait_ids(qtbot, window, {"ORI.macon"})
    assert window.results.count_label.text() == "1 métier"
    assert window.results.chip_texts() == ["Texte : « macon »"]
    window.filters.search_box.clear()
    wait_ids(qtbot, window, ALL)


def test_text_matching_nothing_shows_zero(qtbot, window):
    qtbot.keyClicks(window.filters.search_box, "astronaute")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)
    assert window.results.count_label.text() == "0 métier"


def test_level_maximum(qtbot, window):
    window.filters.level_combo.setCurrentIndex(window.filters.level_combo.findText("CAP ou équivalent"))
    wait_ids(qtbot, window, {"ORI.aide-soignant", "ORI.macon"})
    window.filters.level_combo.setCurrentIndex(window.filters.level_combo.findText("bac + 2"))
    wait_ids(qtbot, window, {"ORI.aide-soignant", "ORI.macon", "ORI.vendeur-sans-salaire", "ORI.comptable",
                             "ORI.technicien-de-maintenance-industrielle"})
    assert window.results.chip_texts() == ["Niveau maximum : bac + 2"]


def test_the_top_level_choice_keeps_the_bac_plus_9_fiches(qtbot, window):
    combo = window.filters.level_combo
    combo.setCurrentIndex(combo.findText("bac + 5"))
    wait_ids(qtbot, window, ALL - {"ORI.medecin-generaliste"})
    combo.setCurrentIndex(combo.findText("bac + 8 et plus (doctorat, médecine)"))
    wait_ids(qtbot, window, ALL)  # médecin généraliste is "bac + 9 et plus"
    assert window.results.chip_texts() == ["Niveau maximum : bac + 8 et plus (doctorat, médecine)"]


def test_salary_minimum_and_fiches_without_salary(qtbot, window):
    filters = window.filters
    assert not filters.no_salary_check.isEnabled()
    filters.salary_spin.setValue(2300)
    wait_ids(qtbot, window, {"ORI.oenologue", "ORI.ingenieur-informaticien", "ORI.medecin-generaliste"})
    assert filters.no_salary_check.isEnabled()
    filters.no_salary_check.setChecked(True)
    wait_ids(qtbot, window, {"ORI.oenologue", "ORI.ingenieur-informaticien", "ORI.medecin-generaliste",
                             "ORI.vendeur-sans-salaire"})
    assert window.results.chip_texts() == ["Salaire ≥ 2\u202f300\u202f€ (ou non précisé)"]


def test_salary_spin_steps_by_100_euros_from_the_keyboard(qtbot, window):
    spin = window.filters.salary_spin
    assert spin.text() == "pas de minimum"
    spin.setFocus()
    for _ in range(3):
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert spin.value() == 300


def test_sectors_show_their_counts_and_filter(qtbot, window):
    sante = sector_item(window, "Santé")
    assert sante.text() == "Santé (2)"
    sante.setCheckState(Qt.CheckState.Checked)
    wait_ids(qtbot, window, {"ORI.aide-soignant", "ORI.medecin-generaliste"})
    window.filters.level_combo.setCurrentIndex(window.filters.level_combo.findText("CAP ou équivalent"))
    wait_ids(qtbot, window, {"ORI.aide-soignant"})
    # The counts follow the other filters (here: level CAP leaves one métier in Santé).
    qtbot.waitUntil(lambda: sector_item(window, "Santé").text() == "Santé (1)")
    assert sector_item(window, "Bâtiment et travaux publics (BTP)").text().endswith("(1)")


def test_counts_that_arrive_behind_the_student_tab_are_not_left_grey(qtbot, window):
    """Sectors with métiers read in the ordinary colour, empty ones in grey, even when the counts
    came while the filters were behind the Élève tab (their panel disabled), when the counselor
    has put the two panels in tabs."""
    window.tabifyDockWidget(window.filter_dock, window.student_dock)
    window.students.show_panel()
    qtbot.waitUntil(lambda: not window.filters.isEnabled())
    window.filters.search_box.setText("macon")  # typed earlier; the counts come while hidden
    qtbot.waitUntil(lambda: sector_item(window, "Santé").text() == "Santé (0)")
    window.filter_dock.raise_()
    qtbot.waitUntil(window.filters.isEnabled)
    btp = sector_item(window, "Bâtiment et travaux publics (BTP)")
    assert btp.text().endswith("(1)") and btp.data(Qt.ItemDataRole.ForegroundRole) is None
    grey = window.filters.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
    assert sector_item(window, "Santé").foreground().color() == grey


def test_a_sector_can_be_ticked_with_the_keyboard(qtbot, window):
    sectors = window.filters.sector_list
    sectors.setFocus()
    sectors.setCurrentItem(sector_item(window, "Santé"))
    qtbot.keyClick(sectors, Qt.Key.Key_Space)
    wait_ids(qtbot, window, {"ORI.aide-soignant", "ORI.medecin-generaliste"})


def test_interests_any_then_all(qtbot, window):
    interest_item(window, "T-IDEO2.4807").setCheckState(0, Qt.CheckState.Checked)
    interest_item(window, "T-IDEO2.4812").setCheckState(0, Qt.CheckState.Checked)
    wait_ids(qtbot, window, {"ORI.aide-soignant", "ORI.medecin-generaliste", "ORI.vendeur-sans-salaire"})
    window.filters.all_radio.click()
    wait_ids(qtbot, window, {"ORI.aide-soignant"})
    assert set(window.results.chip_texts()) == {"Intérêt : ma vocation est de soigner",
                                                "Intérêt : je veux être utile aux autres"}


def test_ticking_an_interest_group_ticks_its_interests(qtbot, window):
    tree = window.filters.interest_tree
    group = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                 if tree.topLevelItem(i).text(0) == "Aider, soigner")
    group.setCheckState(0, Qt.CheckState.Checked)
    wait_ids(qtbot, window, {"ORI.aide-soignant", "ORI.medecin-generaliste", "ORI.vendeur-sans-salaire"})


def test_statut_and_country(qtbot, window):
    statut = window.filters.statut_combo
    statut.setCurrentIndex(statut.findText("artisan"))
    wait_ids(qtbot, window, {"ORI.macon"})
    statut.setCurrentIndex(0)
    country = window.filters.country_combo
    assert country.findText("Belgique") > 0
    country.setCurrentIndex(country.findText("Belgique"))
    wait_ids(qtbot, window, {"ORI.vendeur-sans-salaire"})
    assert window.results.chip_texts() == ["Pays : Belgique"]


def test_clear_removes_every_filter_in_one_query(qtbot, window):
    filters = window.filters
    qtbot.keyClicks(filters.search_box, "aide")
    filters.level_combo.setCurrentIndex(2)
    filters.salary_spin.setValue(1800)
    sector_item(window, "Santé").setCheckState(Qt.CheckState.Checked)
    interest_item(window, "T-IDEO2.4807").setCheckState(0, Qt.CheckState.Checked)
    wait_ids(qtbot, window, {"ORI.aide-soignant"})
    emitted = []
    filters.criteria_changed.connect(emitted.append)
    qtbot.mouseClick(filters.clear_button, Qt.MouseButton.LeftButton)
    wait_ids(qtbot, window, ALL)
    assert len(emitted) == 1
    assert filters.criteria() == emitted[0]
    assert filters.search_box.text() == "" and filters.salary_spin.value() == 0
    assert filters.selected_sectors() == [] and filters.selected_interests() == []
    assert window.results.chip_texts() == []


def test_a_chip_removes_its_filter_only(qtbot, window):
    filters = window.filters
    filters.level_combo.setCurrentIndex(filters.level_combo.findText("bac + 5"))
    sector_item(window, "Santé").setCheckState(Qt.CheckState.Checked)
    wait_ids(qtbot, window, {"ORI.aide-soignant"})
    assert window.results.chip_texts() == ["Niveau maximum : bac + 5", "Secteur : Santé"]
    chip = window.results.chip_buttons()[1]
    assert chip.accessibleName() == "Retirer le filtre « Secteur : Santé »"
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    wait_ids(qtbot, window, ALL - {"ORI.medecin-generaliste"})
    assert filters.selected_sectors() == []
    assert window.results.chip_texts() == ["Niveau maximum : bac + 5"]


def test_text_chip_clears_the_search_at_once(qtbot, window):
    qtbot.keyClicks(window.filters.search_box, "comptable")
    wait_ids(qtbot, window, {"ORI.comptable"})
    qtbot.mouseClick(window.results.chip_buttons()[0], Qt.MouseButton.LeftButton)
    wait_ids(qtbot, window, ALL)
    assert window.filters.search_box.text() == ""


def header_click(qtbot, window, column):
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_sorting_by_a_column_queries_again_in_that_order(qtbot, window):
    header_click(qtbot, window, 2)  # Salaire de début
    wait_ids(qtbot, window, ["ORI.macon", "ORI.aide-soignant", "ORI.comptable",
                             "ORI.technicien-de-maintenance-industrielle", "ORI.oenologue",
                             "ORI.ingenieur-informaticien", "ORI.medecin-generaliste", "ORI.vendeur-sans-salaire"],
             ordered=True)
    assert window.browser.criteria.sort == "salary"
    header_click(qtbot, window, 2)  # again: highest first, fiches without salary still last
    qtbot.waitUntil(lambda: shown_ids(window)[:2] == ["ORI.medecin-generaliste", "ORI.ingenieur-informaticien"])
    assert shown_ids(window)[-1] == "ORI.vendeur-sans-salaire"
    header_click(qtbot, window, 0)  # Métier: French order, "bénévole" between "aide" and "comptable"
    qtbot.waitUntil(lambda: shown_ids(window)[:3] == ["ORI.aide-soignant", "ORI.vendeur-sans-salaire", "ORI.comptable"])


def test_the_sort_order_is_kept_when_filters_change(qtbot, window):
    header_click(qtbot, window, 1)  # Niveau d'études
    qtbot.waitUntil(lambda: window.browser.criteria.sort == "level")
    window.filters.salary_spin.setValue(2000)
    wait_ids(qtbot, window, ["ORI.technicien-de-maintenance-industrielle", "ORI.ingenieur-informaticien",
                             "ORI.oenologue", "ORI.medecin-generaliste"], ordered=True)


def test_long_results_are_fetched_page_by_page(qtbot, make_window, mini_db):
    window = make_window(mini_db)
    window.model.page_size = 3
    window.browser.refresh()
    assert window.model.rowCount() == 3 and window.model.total == 8
    assert window.results.count_label.text() == "8 métiers"
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: window.model.rowCount() == 8 or not window.model.canFetchMore())
    while window.model.canFetchMore():
        window.model.fetchMore()
    assert set(shown_ids(window)) == ALL


def test_the_filters_and_the_student_show_interests_in_the_same_order(qtbot, mini_db):
    """One list, one order: a counselor looking for an interest finds it in the same place."""
    from db.catalogue.choices import choices
    from desktop.common_widgets import child_items, top_level_items
    from desktop.filter_panel import FilterPanel
    from desktop.interest_tree import InterestTree

    with mini_db.read() as session:
        offered = choices(session)
    panel, tree = FilterPanel(), InterestTree()
    qtbot.addWidget(panel)
    qtbot.addWidget(tree)
    panel.set_choices(offered)
    tree.set_choices(offered.interests)

    def layout(widget):
        return [(group.text(0), [item.text(0) for item in child_items(group)]) for group in top_level_items(widget)]
    assert layout(panel.interest_tree) == layout(tree) and len(layout(tree)) > 3


def test_typed_text_puts_the_best_match_first_and_a_header_click_still_sorts(qtbot, window):
    qtbot.keyClicks(window.filters.search_box, "sante")  # QTest types ASCII only
    # Relevance: the doctor (Santé is their sector and their fiche's subject) before the
    # care assistant, although "aide-soignant" comes first by name.
    wait_ids(qtbot, window, ["ORI.medecin-generaliste", "ORI.aide-soignant"], ordered=True)
    assert window.table.horizontalHeader().sortIndicatorSection() == -1  # no column is the order
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # a click on « Métier »
    wait_ids(qtbot, window, ["ORI.aide-soignant", "ORI.medecin-generaliste"], ordered=True)
    window.filters.search_box.clear()
    qtbot.keyClicks(window.filters.search_box, "medcin")  # new text: relevance again
    wait_ids(qtbot, window, ["ORI.medecin-generaliste"], ordered=True)
    assert window.table.horizontalHeader().sortIndicatorSection() == -1
    qtbot.waitUntil(lambda: window.results.notice_label.isVisible())
    assert window.results.notice_label.text() == "Aucune fiche ne contient « medcin » : résultats pour « medecin »."
    window.filters.search_box.clear()
    qtbot.waitUntil(lambda: not window.results.notice_label.isVisible())


def test_down_or_enter_in_the_search_box_goes_to_the_results(qtbot, window):
    window.focus_search()
    qtbot.keyClicks(window.filters.search_box, "comptable")
    qtbot.keyClick(window.filters.search_box, Qt.Key.Key_Down)  # before the typing pause: applied at once
    assert shown_ids(window) == ["ORI.comptable"]
    assert window.table.hasFocus() and window.table.currentIndex().row() == 0
    window.focus_search()
    window.filters.search_box.clear()
    qtbot.keyClicks(window.filters.search_box, "macon")
    qtbot.keyClick(window.filters.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.fiche_view.fiche is not None and window.fiche_view.fiche.id == "ORI.macon")


def test_many_matches_say_more_than_and_scrolling_still_reaches_every_one(qtbot, make_window, mini_db):
    from db.catalogue.search import Criteria, search

    window = make_window(mini_db)
    window.browser.source.count_cap = 3
    window.model.page_size = 2
    criteria = Criteria(max_bac_plus=8)
    with mini_db.read() as session:
        expected = [row.id for row in search(session, criteria)]
    assert len(expected) > 4
    window.browser.apply(criteria)
    assert window.results.count_label.text() == "plus de 3 métiers"
    assert shown_ids(window) == expected[:2]
    window.table.scrollToBottom()
    while window.model.canFetchMore():
        window.model.fetchMore()
    assert shown_ids(window) == expected


def test_no_match_says_what_to_try(qtbot, window):
    # « astronaute » showed « 0 métier » and nothing else.
    window.focus_search()
    qtbot.keyClicks(window.filters.search_box, "astronaute")
    qtbot.waitUntil(lambda: window.results.notice_label.isVisible())
    assert window.results.notice_label.text() == ("Aucun métier ne correspond à « astronaute » : essayez un mot plus "
                                                  "courant ou plus général (le domaine, une activité).")
    assert window.model.rowCount() == 0
    window.filters.search_box.clear()
    qtbot.waitUntil(lambda: not window.results.notice_label.isVisible())
