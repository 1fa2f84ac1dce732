"""The catalogue the window shows before SQLAlchemy is loaded: the same rows, count and filter
choices as db.search, or None whenever the ordinary opening path is needed."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.catalogue.choices import choices
from db.catalogue.search import Criteria, count, search
from db.catalogue.startup_view import open_startup_view

pytestmark = pytest.mark.sqlite_only(
    reason="la vue de démarrage lit le fichier SQLite avec sqlite3, avant SQLAlchemy")

ROOT = Path(__file__).resolve().parents[3]
def _starter_fiches() -> int:
    """How many fiches the starter files hold (one per non-blank line), so the count follows the catalogue."""
    from db.catalogue.starter import catalogue_dir

    return sum(1 for path in catalogue_dir().glob("*.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@pytest.fixture(scope="module")
def starter_file(tmp_path_factory) -> Path:
    """A database holding the starter catalogue, closed."""
    from db.storage.opening import open_database

    path = tmp_path_factory.mktemp("depart") / "orientation.sqlite"
    open_database(str(path), backups=False).close()
    return path


def _search_pages(path: Path, size: int) -> tuple[int, list]:
    from db.storage.opening import open_database

    database = open_database(str(path), backups=False)
    try:
        with database.read() as session:
            total = count(session, Criteria())
            pages = [search(session, Criteria(), limit=size, offset=offset) for offset in range(0, total, size)]
    finally:
        database.close()
    return total, pages


def test_rows_and_count_are_those_of_the_search_on_the_starter_catalogue(starter_file):
    total, pages = _search_pages(starter_file, 200)
    view = open_startup_view(str(starter_file))
    assert view is not None
    try:
        assert view.total == total == _starter_fiches()
        assert [view.page(offset, 200) for offset in range(0, total, 200)] == pages
        assert view.page(0, 3)[0].name == "accessoiriste"  # French order: the first métier by name
    finally:
        view.close()


def test_superseded_fiches_are_hidden_as_in_the_search(mini_db, db_path):
    with mini_db.read() as session:
        expected = search(session, Criteria())
        wanted_choices = choices(session)
    mini_db.close()
    view = open_startup_view(str(db_path))
    assert view is not None
    try:
        assert view.page(0, 3) + view.page(3, 100) == expected
        assert view.total == len(expected)
        assert view.choices == wanted_choices
        assert view.choices.sectors and view.choices.interests and view.choices.countries
    finally:
        view.close()


def test_choices_are_those_of_the_search_on_the_starter_catalogue(starter_file):
    from db.storage.opening import open_database

    database = open_database(str(starter_file), backups=False)
    with database.read() as session:
        wanted = choices(session)
    database.close()
    view = open_startup_view(str(starter_file))
    assert view is not None
    assert view.choices == wanted
    assert len(view.choices.sectors) >= 30
    view.close()


def test_unusual_databases_take_the_ordinary_path(tmp_path, empty_db, db_path):
    missing = tmp_path / "absente.sqlite"
    assert open_startup_view(str(missing)) is None
    assert not missing.exists()  # never created here
    assert open_startup_view(f"sqlite:///{tmp_path / 'x.sqlite'}") is None  # URLs: the ordinary path
    garbage = tmp_path / "pas-une-base.sqlite"
    garbage.write_bytes(b"ceci n'est pas une base SQLite" * 100)
    assert open_startup_view(str(garbage)) is None
    empty_db.close()
    assert open_startup_view(str(db_path)) is None  # no métier: the starter catalogue must be loaded
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '0003'")
    conn.commit()
    conn.close()
    assert open_startup_view(str(db_path)) is None  # older schema: migrate first


def test_the_default_database_and_the_environment_variable_are_used(monkeypatch, mini_db, db_path):
    mini_db.close()
    monkeypatch.setenv("ORIENTATION_DB", str(db_path))
    view = open_startup_view()
    assert view is not None and view.path == db_path
    view.close()


def test_a_file_name_with_uri_characters_opens(tmp_path):
    from db.storage.opening import open_database
    from db.catalogue.importing import import_paths

    path = tmp_path / "base #1 ?100%.sqlite"
    database = open_database(str(path), load_starter=False, backups=False)
    import_paths(database, [ROOT / "tests" / "data" / "mini.jsonl"])
    database.close()
    assert path.exists()  # "?" and "#" are not read as URL syntax by the ordinary path either
    view = open_startup_view(str(path))
    assert view is not None and view.total > 0
    view.close()


def test_reading_the_view_loads_neither_sqlalchemy_nor_qt(starter_file):
    code = ("import sys; from db.catalogue.startup_view import open_startup_view; "
            f"v = open_startup_view({str(starter_file)!r}); rows = v.page(0, 50); "
            "print(len(rows), v.total, sorted(m for m in ('sqlalchemy', 'PySide6', 'alembic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["50", str(_starter_fiches()), "[]"]


def test_both_sources_answer_alike_and_the_startup_one_says_when_it_cannot(starter_file):
    """The window's one seam: what the startup view answers is what the database answers."""
    from db.catalogue.source import DatabaseSource, StartupSource
    from db.storage.opening import open_database

    view = open_startup_view(str(starter_file))
    assert view is not None
    early, database = StartupSource(view), open_database(str(starter_file))
    late = DatabaseSource(database)
    try:
        assert early.first_page(Criteria(), 50) == late.first_page(Criteria(), 50)
        assert early.page(Criteria(), 100, 50) == late.page(Criteria(), 100, 50)
        assert early.choices() == late.choices()
        assert early.first_page(Criteria(text="soin"), 50) is None  # asked again of the database
        assert early.first_page(Criteria(sort="salary"), 50) is None
        assert late.first_page(Criteria(text="soin"), 50)[0] > 0
        assert early.facets(Criteria()) is None and late.facets(Criteria()) is not None
    finally:
        early.close()
        database.close()
