"""``orientation students list`` through its quick path (plain sqlite3, no SQLAlchemy): exactly
what the ordinary path prints, and the ordinary path whenever the database is not ordinary."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import desktop.cli.student_list as student_list
from db.students.quick_list import list_students_quickly
from desktop.cli import main
from tests.conftest import ROOT

pytestmark = pytest.mark.sqlite_only(
    reason="la liste rapide lit le fichier SQLite avec sqlite3, sans SQLAlchemy")

# nom, prénom, classe, last session (None: never seen), created (old ones are past retention)
PEOPLE = [
    ("Martin", "Léa", "3e A", "2026-10-02", "2026-09-10"),
    ("Marchand", "Éloïse", "3E a", None, "2026-09-12"),
    ("Dumarais", "Œnone", "2de 1", "2026-10-02", "2026-09-10"),
    ("Lemaire", "Marc-André", None, "2021-05-03", "2020-09-10"),
    ("Ramaroson", "Tiana", "1re STMG", None, "2019-01-01"),
    ("Müller", "Jürgen", "3e A", "2026-11-20", "2026-09-10"),
    ("Cent_Pour%", "Zoé", "terminale", None, "2026-09-10"),
    ("Ségur", "Amaryllis", "3e A", "2026-10-02", "2026-09-10"),
]

QUERIES = [  # (texte, classe)
    ("mar", None), ("MAR", None), ("é", None), ("oenone", None), ("Œnone", None), ("mar lea", None),
    ("marc andre", None), ("muller", None), ("_", None), ("%", None), ("cent_pour%", None), ("", None),
    ("", "3e a"), (" mar ", " 3E A "), ("xyzzy", None), ("", "inconnue"), ("/", None),
]


@pytest.fixture
def people_db(empty_db, db_path) -> str:
    """The database of :data:`PEOPLE` (closed, owner-only): an ordinary one for the quick path."""
    from db.students.store import create_student

    ids = [create_student(empty_db, nom, prenom, classe) for nom, prenom, classe, _, _ in PEOPLE]
    empty_db.close()
    with sqlite3.connect(db_path) as conn:
        for student_id, (_, _, _, seen, created) in zip(ids, PEOPLE, strict=True):
            conn.execute("UPDATE students SET last_session_on = ?, created_at = ? WHERE id = ?",
                         (seen, f"{created} 09:30:00.000000", student_id))
    conn.close()
    return str(db_path)


def _printed(capsys, monkeypatch, quick: bool, *argv: str) -> tuple[int, str, str]:
    """What ``orientation students list ARGV`` prints, by the quick path or forced onto the ordinary one."""
    with monkeypatch.context() as patch:
        if not quick:
            patch.setattr(student_list, "list_quickly", lambda args: None)
        status = main(["students", "list", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_quick_list_prints_what_the_ordinary_path_prints(people_db, capsys, monkeypatch, fmt):
    for text, classe in QUERIES:
        argv = ["--texte", text, "--format", fmt, "--db", people_db, *(["--classe", classe] if classe else [])]
        assert list_students_quickly(people_db, text, classe) is not None  # the quick path is taken
        assert _printed(capsys, monkeypatch, True, *argv) == _printed(capsys, monkeypatch, False, *argv), (text, classe)


def test_quick_list_finds_accents_words_and_class(people_db):
    def names(text: str, classe: str | None = None) -> list[str]:
        found = list_students_quickly(people_db, text, classe)
        assert found is not None
        return [s.nom for s in found.students]

    assert names("mar") == ["Dumarais", "Martin", "Ségur", "Lemaire", "Marchand", "Ramaroson"]
    assert names("éloise") == names("ELOÏSE") == ["Marchand"]
    assert names("marc andre") == ["Lemaire"]
    assert names("", "3E A") == ["Müller", "Martin", "Ségur", "Marchand"]
    assert names("cent_pour%") == ["Cent_Pour%"] and names("_") == ["Cent_Pour%"]
    assert names("xyzzy") == []


def test_quick_list_says_how_many_records_are_past_retention(people_db, capsys):
    assert main(["students", "list", "--db", people_db]) == 0
    out, err = capsys.readouterr()
    assert out.rstrip().endswith("8 élève(s)")
    assert "Rappel : 2 dossier(s) ont dépassé la durée de conservation" in err  # Lemaire, Ramaroson


def test_quick_list_of_no_student(empty_db, db_path, capsys, monkeypatch):
    empty_db.close()
    found = list_students_quickly(str(db_path))
    assert found is not None and found.students == [] and found.past_retention == 0
    quick = _printed(capsys, monkeypatch, True, "--db", str(db_path))
    assert quick == _printed(capsys, monkeypatch, False, "--db", str(db_path)) == (0, "0 élève(s)\n", "")


def test_an_older_schema_takes_the_ordinary_path_which_migrates_it(db_path, capsys):
    from db.storage.migrate import upgrade_if_behind

    upgrade_if_behind(f"sqlite:///{db_path}", "0006")
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO students (nom, prenom, classe, created_at, search_key) "
                     "VALUES ('Roux', 'Inès', '3e B', '2026-11-20 10:00:00', 'roux ines')")
    conn.close()
    os.chmod(db_path, 0o600)
    assert list_students_quickly(str(db_path), "roux") is None
    assert main(["students", "list", "--texte", "ines", "--db", str(db_path)]) == 0
    assert "Roux Inès  3e B  dernier entretien : —" in capsys.readouterr().out
    assert list_students_quickly(str(db_path), "roux") is not None  # migrated: quick from now on


def test_unusual_files_take_the_ordinary_path_and_its_french_sentence(people_db, tmp_path, capsys):
    newer = tmp_path / "plus-recente.sqlite"
    newer.write_bytes(Path(people_db).read_bytes())
    newer.chmod(0o600)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.close()
    other = tmp_path / "notes.txt"
    other.write_text("pas une base\n" * 20)
    other.chmod(0o600)
    for path, sentence in ((newer, "version plus récente"), (other, "n'est pas une base de données d'Orientation")):
        assert list_students_quickly(str(path)) is None
        assert main(["students", "list", "--db", str(path)]) == 2
        assert sentence in capsys.readouterr().err
    assert list_students_quickly(str(tmp_path / "absente.sqlite")) is None
    assert list_students_quickly("sqlite:///" + people_db) is None  # a URL: the ordinary path


def test_a_file_readable_by_others_is_made_private_by_the_ordinary_path(people_db):
    os.chmod(people_db, 0o644)
    assert list_students_quickly(people_db) is None
    assert main(["students", "list", "--db", people_db]) == 0
    assert os.stat(people_db).st_mode & 0o777 == 0o600
    assert list_students_quickly(people_db) is not None


def test_quick_list_loads_no_sqlalchemy(people_db):
    code = ("import sys; from desktop.cli import main; status = main(sys.argv[1:]); "
            "print(status, 'sqlalchemy' in sys.modules, 'PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, "students", "list", "--texte", "mar", "--db", people_db],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ORIENTATION_NO_BACKGROUND_CHECK": "1"})
    lines = done.stdout.splitlines()
    assert lines[-2] == "6 élève(s)" and lines[-1] == "0 False False", done.stderr


def test_a_damage_recorded_or_an_erasure_left_half_done_takes_the_ordinary_path(people_db, capsys):
    from db.storage import backup, integrity

    path = Path(people_db).resolve()
    integrity.record_result(path, "database disk image is malformed")
    assert list_students_quickly(people_db) is None
    assert main(["students", "list", "--db", people_db]) == 0  # checked again: sound, and remembered so
    assert integrity.recorded_problem(path) is None and list_students_quickly(people_db) is not None
    capsys.readouterr()

    with sqlite3.connect(path) as conn:  # the database erased, its backups not yet
        conn.execute("INSERT INTO erasures (student_id, student_created, erased_at) "
                     "VALUES (99, '2026-09-10 09:30:00.000000', '2026-12-01 10:00:00.000000')")
    conn.close()
    assert backup.erasures_pending(path) and list_students_quickly(people_db) is None
    assert main(["students", "list", "--db", people_db]) == 0  # the ordinary path finishes the erasure
    assert not backup.erasures_pending(path) and list_students_quickly(people_db) is not None


def test_a_loose_data_folder_is_made_private_by_the_ordinary_path(people_db):
    from db.storage.paths import default_db_path

    default = default_db_path()
    default.parent.mkdir(parents=True, exist_ok=True)
    default.write_bytes(Path(people_db).read_bytes())
    default.chmod(0o600)
    default.parent.chmod(0o755)
    assert list_students_quickly(None) is None  # the default database, in a folder others can read
    assert main(["students", "list"]) == 0
    assert default.parent.stat().st_mode & 0o777 == 0o700
    assert list_students_quickly(None) is not None


def test_quick_rows_are_find_students_rows_for_any_text(people_db):
    """Any typed text (accents, ligatures, LIKE wildcards, spaces) and any retention day: the rows
    and the count the ordinary functions give."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from db.storage.opening import open_database
    from db.students.privacy import count_past_retention
    from db.students.store import find_students

    database = open_database(people_db, daily=False)
    letters = st.sampled_from(list("maréèÉœŒ_%/ \\lin'-3EeAaü"))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(letters, max_size=6), st.sampled_from([None, "3e a", " 3E A", "2DE 1", "x"]),
           st.dates(date(2018, 1, 1), date(2030, 12, 31)))
    def same(text: str, classe: str | None, today: date) -> None:
        quick = list_students_quickly(people_db, text, classe, today)
        assert quick is not None
        with database.read() as session:
            assert [tuple(s) for s in quick.students] == [
                (s.id, s.nom, s.prenom, s.classe, s.etablissement, s.annee_scolaire, s.last_session_on)
                for s in find_students(session, text, classe)]
            assert quick.past_retention == count_past_retention(session, today)

    try:
        same()
    finally:
        database.close()
