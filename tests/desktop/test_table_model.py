"""The métier table model: validated by qtmodeltester, paged, sorted in SQL, plain rows."""
from __future__ import annotations

from PySide6.QtCore import Qt

from db.catalogue.search import Criteria, search
from desktop.table_model import Column, MetierTableModel, RowRole, SortRole


def rows_of(database, **criteria):
    with database.read() as session:
        return search(session, Criteria(**criteria))


def paged_model(database, page_size=3):
    rows = rows_of(database)
    model = MetierTableModel(page_size=page_size)
    model.set_rows(rows[:page_size], len(rows), lambda offset, limit: rows[offset:offset + limit])
    return model, rows


def test_qtmodeltester_on_a_full_model(qtmodeltester, mini_db):
    model = MetierTableModel()
    model.set_rows(rows_of(mini_db))
    qtmodeltester.check(model)


def test_qtmodeltester_on_a_paged_model_and_while_fetching(qtmodeltester, mini_db):
    model, _ = paged_model(mini_db)
    qtmodeltester.check(model)
    model.fetchMore()
    qtmodeltester.check(model)


def test_qtmodeltester_on_an_empty_model(qtmodeltester):
    qtmodeltester.check(MetierTableModel())


def test_pages_are_fetched_until_the_total(mini_db):
    model, rows = paged_model(mini_db)
    assert (model.rowCount(), model.total) == (3, 8)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 8
    assert [model.row_at(i) for i in range(8)] == rows


def test_cells_are_written_out_and_roles_carry_raw_values(mini_db):
    model = MetierTableModel()
    model.set_rows(rows_of(mini_db, text="oenologue"))
    cell = lambda column, role=Qt.ItemDataRole.DisplayRole: model.index(0, column).data(role)  # noqa: E731
    assert [cell(c) for c in Column] == ["œnologue", "bac + 5", "2\u202f300 – 2\u202f800\u202f€",
                                         "Industrie alimentaire", "Fiche du projet"]
    assert cell(Column.SALARY, SortRole) == 2300
    assert cell(Column.LEVEL, SortRole) == 5
    assert cell(Column.TITLE, RowRole).id == "ORI.oenologue"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Métier", "Niveau d'études", "Salaire de début", "Secteur", "Source"]


def test_a_salary_at_the_smic_of_its_year_says_so(mini_db):
    model = MetierTableModel()
    model.set_rows(rows_of(mini_db, text="maçon"))  # 1 810 € in 2025, when the SMIC was 1 801,80 €
    assert model.index(0, Column.SALARY).data() == "à partir du SMIC"  # short: the column is narrow
    assert model.index(0, Column.SALARY).data(Qt.ItemDataRole.ToolTipRole) == "à partir de 1\u202f810\u202f€ (≈ SMIC)"
    assert model.index(0, Column.SALARY).data(SortRole) == 1810


def test_fiche_without_salary_says_so(mini_db):
    model = MetierTableModel()
    model.set_rows(rows_of(mini_db, countries=("BE",)))
    assert model.index(0, Column.SALARY).data() == "non précisé"


def test_sort_asks_for_a_new_query_and_never_reorders_rows(qtbot, mini_db):
    model, rows = paged_model(mini_db)
    with qtbot.waitSignal(model.sort_requested) as signal:
        model.sort(Column.SALARY, Qt.SortOrder.DescendingOrder)
    assert signal.args == ["salary", True]
    assert [model.row_at(i) for i in range(3)] == rows[:3]


def test_title_forms(mini_db):
    model = MetierTableModel()
    model.set_rows(rows_of(mini_db, text="macon"))
    assert model.index(0, 0).data() == "maçon/ne"
    model.set_title_form("feminin")
    assert model.index(0, 0).data() == "maçonne"
    model.set_title_form("masculin")
    assert model.index(0, 0).data() == "maçon"
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "maçonne / maçon"


def test_a_more_than_count_fetches_until_a_short_page_then_knows_the_exact_number(qtmodeltester, mini_db):
    rows = rows_of(mini_db)  # 8 rows, said to be "more than 3"
    model = MetierTableModel(page_size=3)
    model.set_rows(rows[:3], 4, lambda offset, limit: rows[offset:offset + limit], exact=False)
    assert (model.rowCount(), model.exact) == (3, False)
    while model.canFetchMore():
        model.fetchMore()
    assert [model.row_at(i) for i in range(model.rowCount())] == rows
    assert (model.total, model.exact) == (8, True)
    qtmodeltester.check(model)
