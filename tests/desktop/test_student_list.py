"""A large caseload: the list reads a page at a time, in the order the counselor expects."""
from __future__ import annotations

from datetime import date, timedelta

from desktop.student_list import StudentList, StudentRole
from db.students.store import create_student, save_session, start_session
from tests.desktop.conftest import stop_timers


def _listed(listing: StudentList) -> list[int]:
    model = listing.list.model()
    return [model.index(row).data(StudentRole) for row in range(model.rowCount())]


def test_a_large_caseload_is_read_page_by_page_as_the_list_scrolls(qtbot, mini_db):
    ids = [create_student(mini_db, f"Élève{number:03d}", "Test") for number in range(250)]
    seen = ids[200]
    with mini_db.read() as session:
        state = start_session(session, seen, (date.today() - timedelta(days=3)).isoformat())
    save_session(mini_db, state)
    listing = StudentList(mini_db)
    qtbot.addWidget(listing, before_close_func=stop_timers)
    listing.model.page_size = 100
    listing.refresh()
    first = _listed(listing)
    assert len(first) == 100 and first[0] == seen  # seen recently first, then the never-seen by name
    assert first[1:4] == ids[:3]
    listing.show()
    listing.list.scrollToBottom()  # the view asks for the next pages as it reaches the end
    qtbot.waitUntil(lambda: len(_listed(listing)) > 100)
    while listing.model.canFetchMore():
        listing.model.fetchMore()
    everyone = _listed(listing)
    assert sorted(everyone) == sorted(ids) and len(everyone) == 250


def test_a_student_asked_for_is_shown_first_and_only_once(qtbot, mini_db):
    ids = [create_student(mini_db, f"Élève{number:03d}", "Test") for number in range(150)]
    listing = StudentList(mini_db)
    qtbot.addWidget(listing, before_close_func=stop_timers)
    listing.model.page_size = 100
    listing.refresh(select_id=ids[-1])  # the last one by name, pages away: first, selected
    assert listing.current_id() == ids[-1] and _listed(listing)[0] == ids[-1]
    while listing.model.canFetchMore():
        listing.model.fetchMore()
    assert _listed(listing).count(ids[-1]) == 1 and len(_listed(listing)) == 150
    listing.search_box.setText("eleve149")
    listing.refresh()
    assert _listed(listing) == [ids[-1]]


def test_enter_opens_the_highlighted_student(qtbot, mini_db):
    ids = [create_student(mini_db, name, "Test") for name in ("Alpha", "Beta")]
    listing = StudentList(mini_db)
    qtbot.addWidget(listing, before_close_func=stop_timers)
    listing.list.setCurrentIndex(listing.model.index(1))
    with qtbot.waitSignal(listing.open_requested) as opened:
        qtbot.keyClick(listing.list, "\r")
    assert opened.args == [ids[1]]
