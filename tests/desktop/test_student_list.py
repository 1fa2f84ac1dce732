"""A large caseload: the list shows a bounded page and says how to reach the others."""
from __future__ import annotations

from desktop.student_list import LIST_LIMIT, StudentList, StudentRole
from db.students.store import create_student


def test_a_large_caseload_lists_a_page_and_says_how_to_find_the_rest(qtbot, mini_db):
    ids = [create_student(mini_db, f"Élève{number:03d}", "Test") for number in range(LIST_LIMIT + 5)]
    listing = StudentList(mini_db)
    qtbot.addWidget(listing)
    listing.refresh()
    texts = [listing.list.item(i).text() for i in range(listing.list.count())]
    assert len(texts) == LIST_LIMIT + 1
    assert texts[-1] == "… et 5 autres élèves : tapez une partie du nom pour les trouver."
    listing.refresh(select_id=ids[-1])  # the last one (by name) asked for: shown first, selected
    assert listing.current_id() == ids[-1] and listing.list.item(0).data(StudentRole) == ids[-1]
    listing.search_box.setText("eleve204")
    listing.refresh()
    assert [listing.list.item(i).data(StudentRole) for i in range(listing.list.count())] == [ids[-1]]
