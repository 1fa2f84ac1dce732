"""The year change: the preview writes nothing; the change moves classes on, erases exactly the
records past retention (no trace in any file), archives anonymous statistics; undo restores."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from db.errors import UserError
from db.models import Student
from db.storage.backup import automatic_backups
from db.students.privacy import set_retention_extra_years
from db.students.store import SessionState, create_student, save_session
from db.students.year_change import (archived_statistics, change_year, last_change, parse_mapping, plan_year_change,
                                     proposed_class, undo_year_change)

TODAY = date(2026, 9, 3)  # closes 2025-2026
ERASED_NAME = "Zqvieuxdossierxw"


def _student(db, nom: str, classe: str | None, year: str | None, day: str | None, current: str | None = None) -> int:
    sid = create_student(db, nom, "Prénom", classe, "Collège Jean Moulin", year, current)
    if day:
        save_session(db, SessionState(student_id=sid, date=day, next_steps=f"étapes de {nom}"))
    return sid


@pytest.fixture
def caseload(mini_db):
    """Retention of one extra year: the 2024-2025 record is past it, the 2025-2026 ones are kept."""
    set_retention_extra_years(mini_db, 1)
    ids = {
        "old": _student(mini_db, ERASED_NAME, "3e A", "2024-2025", "2025-05-02"),
        "a": _student(mini_db, "Alpha", "3e B", "2025-2026", "2026-03-10", "3e"),
        "b": _student(mini_db, "Bravo", "1re G2", "2025-2026", "2026-01-05", "1re-gt"),
        "c": _student(mini_db, "Charlie", "4e A", "2025-2026", "2025-11-20", "4e"),
        "d": _student(mini_db, "Delta", "2de 3", "2026-2027", None, "2de-pro"),
    }
    return mini_db, ids


def _rows(db) -> dict[int, tuple]:
    with db.read() as session:
        return {s.id: (s.classe, s.annee_scolaire, s.current_class)
                for s in session.execute(select(Student)).scalars()}


def _files_with(folder, marker: str) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and marker.lower().encode() in p.read_bytes().lower()]


def test_default_next_class_follows_the_level():
    assert proposed_class("3e B") == "2de" and proposed_class("1re G2") == "terminale"
    assert proposed_class("Tle STMG") == "Tle STMG"  # no next level here: the counselor decides
    assert parse_mapping(["4e A = 3e A", "Tle="]) == {"4e A": "3e A", "Tle": None}
    with pytest.raises(UserError, match="ANCIENNE=NOUVELLE"):
        parse_mapping(["3e B"])


@pytest.mark.sqlite_only(reason="sauvegardes du fichier SQLite autour du changement d'année")
def test_preview_counts_and_changes_nothing(caseload, db_path):
    db, ids = caseload
    before, backups = _rows(db), automatic_backups(db_path)
    with db.read() as session:
        plan = plan_year_change(session, TODAY, mapping={"4e A": "3e A"})
    assert (plan.closing, plan.opening) == ("2025-2026", "2026-2027")
    assert plan.to_erase == [ids["old"]] and plan.moving == 3 and plan.unchanged == 1
    assert [(m.old, m.new, m.students) for m in plan.moves] == [("1re G2", "terminale", 1), ("3e B", "2de", 1),
                                                                 ("4e A", "3e A", 1)]
    assert plan.sessions_in_year == 3
    assert not any(ERASED_NAME in line or "Alpha" in line for line in plan.lines())
    assert _rows(db) == before and automatic_backups(db_path) == backups


def test_a_class_the_year_does_not_hold_is_refused_before_anything(caseload):
    db, _ = caseload
    before = _rows(db)
    with pytest.raises(UserError, match="aucun élève de 2025-2026 n'est dans la classe « 5e Z »"):
        change_year(db, "{}", TODAY, mapping={"5e Z": "4e Z"})
    assert _rows(db) == before


@pytest.mark.sqlite_only(reason="sauvegardes du fichier SQLite autour du changement d'année")
def test_change_moves_classes_erases_overdue_everywhere_and_archives_anonymous_stats(caseload, db_path):
    db, ids = caseload
    archive = json.dumps({"tableaux": [{"grille": [["Niveau", "Entretiens"], ["3e", "< 5"]]}]})
    result = change_year(db, archive, TODAY, mapping={"4e A": "3e A"})
    assert result.backup is not None and result.backup.is_file()
    rows = _rows(db)
    assert ids["old"] not in rows
    assert rows[ids["a"]] == ("2de", "2026-2027", None)  # after 3e the voie is not known yet
    assert rows[ids["b"]] == ("terminale", "2026-2027", "term-gt")
    assert rows[ids["c"]] == ("3e A", "2026-2027", "3e")  # the routes from the 3e, not a year more
    assert rows[ids["d"]] == ("2de 3", "2026-2027", "2de-pro")  # already of the new year: untouched
    assert _files_with(db_path.parent, ERASED_NAME) == []  # database, journal, every backup
    assert result.erasure is not None and result.erasure.wal_truncated
    with db.read() as session:
        assert archived_statistics(session, "2025-2026") == archive
        assert last_change(session)["vers"] == "2026-2027"
    with pytest.raises(UserError, match="déjà close"), db.read() as session:
        plan_year_change(session, TODAY)


@pytest.mark.sqlite_only(reason="sauvegardes du fichier SQLite autour du changement d'année")
def test_undo_restores_classes_but_never_the_erased_record(caseload, db_path):
    db, ids = caseload
    before = _rows(db)
    change_year(db, "{}", TODAY, mapping={"4e A": "3e A"})
    assert undo_year_change(db) == "2025-2026"
    del before[ids["old"]]
    assert _rows(db) == before
    assert _files_with(db_path.parent, ERASED_NAME) == []
    with db.read() as session:
        assert last_change(session) is None and archived_statistics(session, "2025-2026") is None
    with pytest.raises(UserError, match="aucun changement d'année à annuler"):
        undo_year_change(db)


@pytest.mark.parametrize("save", ["session", "class", "bilan", "new student"])
def test_undo_is_refused_once_something_was_saved(caseload, save):
    from db.students.caseload import record_bilan_given
    from db.students.store import update_student

    db, ids = caseload
    change_year(db, "{}", TODAY)
    if save == "session":
        save_session(db, SessionState(student_id=ids["a"], date="2026-09-04"))
    elif save == "class":
        update_student(db, ids["a"], "Alpha", "Prénom", "2de 4", "Lycée Ampère", "2026-2027")
    elif save == "bilan":
        record_bilan_given(db, ids["b"], "2026-09-04")
    else:
        create_student(db, "Foxtrot", "Prénom", "2de 1")
    after = _rows(db)
    with pytest.raises(UserError, match="enregistré depuis le changement d'année"):
        undo_year_change(db)
    assert _rows(db) == after


def test_the_command_previews_changes_writes_the_stats_and_undoes(mini_db, db_location, tmp_path, capsys):
    from desktop.cli import main
    from db.students.year_change import closing_year

    year = closing_year(date.today())
    sid = create_student(mini_db, "Echo", "Prénom", "3e B", "Collège Jean Moulin", year)
    base = ["--db", db_location]
    assert main(["annee", "changer", "--apercu", *base]) == 0
    out = capsys.readouterr().out
    assert "1 élève(s) changent de classe" in out and "3e B → 2de : 1 élève(s)" in out and "Echo" not in out
    assert _rows(mini_db)[sid][0] == "3e B"
    assert main(["annee", "changer", "--confirmer", "--classe", "3e Z=2de", *base]) == 2
    assert "« 3e Z »" in capsys.readouterr().err and _rows(mini_db)[sid][0] == "3e B"
    folder = tmp_path / "archives"
    assert main(["annee", "changer", "--confirmer", "--dossier", str(folder), *base]) == 0
    assert _rows(mini_db)[sid][0] == "2de"
    written = sorted(p.name for p in folder.iterdir())
    assert written == [f"statistiques-{year}.csv", f"statistiques-{year}.pdf"]
    assert all(p.stat().st_mode & 0o077 == 0 and b"Echo" not in p.read_bytes() for p in folder.iterdir())
    capsys.readouterr()
    assert main(["annee", "annuler", "--confirmer", *base]) == 0
    assert "annulé" in capsys.readouterr().out and _rows(mini_db)[sid][0] == "3e B"


def test_on_a_generated_caseload_every_student_moves_the_archive_is_anonymous_and_undo_restores(tmp_path):
    from collections import Counter

    from db.storage.opening import open_database
    from desktop.operations.year_change import run_year_change
    from tests.caseload_data import generate

    path = tmp_path / "annee.sqlite"
    database = open_database(str(path), load_starter=False)
    try:
        made = generate(database)  # 1,500 students of 2025-2026, 6,000 sessions
        with database.read() as session:
            assert len(plan_year_change(session, TODAY).to_erase) == 1500  # all past the default retention
        set_retention_extra_years(database, 1)
        before = _rows(database)
        result, written = run_year_change(database, today=TODAY, folder=tmp_path / "archives")
        assert result.plan.moving == 1500 and result.plan.to_erase == [] and result.plan.sessions_in_year > 5000
        expected = Counter(proposed_class(s.classe) if s.classe else None for s in made)
        assert Counter(classe for classe, _, _ in _rows(database).values()) == expected
        with database.read() as session:
            archive = archived_statistics(session, "2025-2026")
        for text in [archive, *(p.read_bytes().decode("latin-1") for p in written)]:
            assert text and not any(marker in text for marker in ("NOM-", "PRENOM-", "SECRET-"))
        assert json.loads(archive)["debut"] == "2025-09-01"
        undo_year_change(database)
        assert _rows(database) == before
    finally:
        database.close()
