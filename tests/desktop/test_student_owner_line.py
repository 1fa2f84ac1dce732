"""The window says whose file a student is on an office's PostgreSQL server, and nothing on SQLite."""
from __future__ import annotations

import uuid

from sqlalchemy.engine import make_url

from db.storage.office import add_counselor, init_server
from db.storage.opening import open_database
from db.students.sharing import share_student
from db.students.store import create_student
from tests.conftest import on_postgresql
from tests.desktop.students_helpers import panel_of


def test_a_shared_file_shows_its_owner_and_shares(qtbot, make_window, pg_url):  # type: ignore[no-untyped-def]
    owner = open_database(pg_url, load_starter=False, daily=False)
    init_server(owner)
    owner.close()
    tag = uuid.uuid4().hex[:8]
    a, b = f"a_{tag}", f"b_{tag}"
    for login in (a, b):
        add_counselor(pg_url, login, "mot-de-passe-1")
    as_a = open_database(make_url(pg_url).set(username=a).render_as_string(hide_password=False), daily=False)
    as_b = open_database(make_url(pg_url).set(username=b).render_as_string(hide_password=False), daily=False)
    try:
        student = create_student(as_a, "Lefèvre", "Chloé", "3e B")
        share_student(as_a, student, b)
        window = make_window(as_b)
        assert panel_of(window).open_student(student)
        assert panel_of(window).page.details_label.text().endswith(f" · Dossier de {a} — partagé avec {b}")
    finally:
        as_a.close()
        as_b.close()


def test_a_sqlite_file_has_no_owner_line_and_a_servers_says_whose(qtbot, window):  # type: ignore[no-untyped-def]
    student = create_student(window.database, "Lefèvre", "Chloé", "3e B")
    assert panel_of(window).open_student(student)
    shown = panel_of(window).page.details_label.text()
    if on_postgresql():  # the PostgreSQL pass: the file belongs to the role connected, not shared
        assert shown.startswith("3e B") and shown.endswith(" · Votre dossier"), shown
    else:
        assert shown.startswith("3e B") and "Dossier" not in shown
