"""The caseload on a generated 1,500-student, 6,000-session year: each filter gives exactly the
students it names, the per-class counts add up, bilan handovers and milestones are recorded."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.errors import UserError
from db.students.caseload import (CaseloadFilter, add_milestone, caseload, class_counts, clear_bilan_given,
                                  count_caseload, milestones, record_bilan_given, reminder_lines, remove_milestone)
from db.students.privacy import erase_student
from db.students.store import create_student
from tests.caseload_data import generate

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    from db.storage.opening import open_database

    database = open_database(str(tmp_path_factory.mktemp("year") / "year.sqlite"), load_starter=False)
    made = generate(database)
    yield database, made
    database.close()


def ids(database, filt: CaseloadFilter) -> list[int]:
    with database.read() as session:
        rows = caseload(session, filt)
        assert count_caseload(session, filt) == len(rows)
    return [row.info.id for row in rows]


def test_the_generated_year_has_the_size_the_issue_names(year):
    _, made = year
    assert len(made) == 1500
    assert 5500 <= sum(len(s.dates) for s in made) <= 6500


def test_not_seen_since_n_days_lists_the_never_seen_and_those_seen_before(year):
    database, made = year
    cutoff = (TODAY - timedelta(days=60)).isoformat()
    expected = {s.id for s in made if not s.dates or s.dates[-1] < cutoff}
    got = ids(database, CaseloadFilter(not_seen_days=60, today=TODAY))
    assert set(got) == expected and 0 < len(got) < len(made)


def test_no_session_no_shortlist_and_bilan_not_given(year):
    database, made = year
    assert set(ids(database, CaseloadFilter(no_session=True))) == {s.id for s in made if not s.dates}
    assert set(ids(database, CaseloadFilter(no_shortlist=True))) == {s.id for s in made if not s.shortlist_last}
    assert set(ids(database, CaseloadFilter(bilan_not_given=True))) == {s.id for s in made if not s.bilan_given}


def test_filters_combine_and_the_list_goes_school_by_school_class_by_class(year):
    database, made = year
    school = "Lycée Ampère"
    expected = {s.id for s in made if s.etablissement == school and s.classe == "1re G2"
                and not s.shortlist_last and not s.bilan_given}
    filt = CaseloadFilter(etablissement=school, classe="1re G2", no_shortlist=True, bilan_not_given=True)
    assert set(ids(database, filt)) == expected and expected
    with database.read() as session:
        rows = caseload(session)
        page = caseload(session, limit=50, offset=100)
    keys = [(r.info.etablissement or "", r.info.classe or "") for r in rows]
    assert [r.info.id for r in page] == [r.info.id for r in rows[100:150]]
    assert keys[:30] == [("", "")] * 30 and keys[30:] == sorted(keys[30:])  # no school first, then in order


def test_counts_per_class_match_the_students_of_each_class(year):
    database, made = year
    with database.read() as session:
        counts = class_counts(session, CaseloadFilter(not_seen_days=60, today=TODAY))
    cutoff = (TODAY - timedelta(days=60)).isoformat()
    for row in counts:
        mine = [s for s in made if (s.etablissement or "(sans établissement)") == row.etablissement
                and (s.classe or "(sans classe)") == row.classe]
        assert row.students == len(mine)
        assert row.not_seen == sum(1 for s in mine if not s.dates or s.dates[-1] < cutoff)
        assert row.no_session == sum(1 for s in mine if not s.dates)
        assert row.no_shortlist == sum(1 for s in mine if not s.shortlist_last)
        assert row.bilan_not_given == sum(1 for s in mine if not s.bilan_given)
    assert sum(row.students for row in counts) == 1500 and len(counts) == 11


def test_a_bad_number_of_days_is_refused_in_one_sentence(year):
    database, _ = year
    with database.read() as session, pytest.raises(UserError, match="nombre de jours"):
        caseload(session, CaseloadFilter(not_seen_days=-3))


def test_recording_a_bilan_handover_takes_the_student_out_of_bilan_non_remis(empty_db):
    student = create_student(empty_db, "Durand", "Inès", "3e B", "Collège Jean Moulin")
    filt = CaseloadFilter(bilan_not_given=True)
    assert ids(empty_db, filt) == [student]
    assert record_bilan_given(empty_db, student, "2026-05-12") == "2026-05-12"
    assert ids(empty_db, filt) == []
    with empty_db.read() as session:
        assert caseload(session)[0].bilan_given_on == "2026-05-12"
    with pytest.raises(UserError, match="date invalide"):
        record_bilan_given(empty_db, student, "12/05/2026")
    with pytest.raises(UserError, match="date à venir : « 2031-05-01 »"):  # a slip of the year
        record_bilan_given(empty_db, student, "2031-05-01")
    with empty_db.read() as session:
        assert caseload(session)[0].bilan_given_on == "2026-05-12"  # nothing written
    with pytest.raises(UserError, match="aucun élève"):
        record_bilan_given(empty_db, 999)
    clear_bilan_given(empty_db, student)
    assert ids(empty_db, filt) == [student]


def test_milestones_remind_in_the_next_two_weeks_and_go_with_an_erased_student(empty_db):
    a = create_student(empty_db, "Durand", "Inès", "3e B")
    b = create_student(empty_db, "Petit", "Noah", "3e B")
    affelnet = add_milestone(empty_db, "Saisie des vœux Affelnet", "2026-05-20", [a, b])
    add_milestone(empty_db, "Parcoursup : confirmation des vœux", "2026-04-02")
    with empty_db.read() as session:
        lines = reminder_lines(session, date(2026, 5, 10))
        assert [m.id for m in milestones(session)][-1] == affelnet
    assert lines == ["Échéance du 20 mai 2026 : Saisie des vœux Affelnet — 2 élève(s)"]
    erase_student(empty_db, a)
    with empty_db.read() as session:
        assert milestones(session)[-1].student_ids == [b]
    for bad, message in ((" ", "obligatoire"), ("x" * 101, "trop long")):
        with pytest.raises(UserError, match=message):
            add_milestone(empty_db, bad, "2026-05-20")
    with pytest.raises(UserError, match="aucun élève"):
        add_milestone(empty_db, "Conseil de classe", "2026-03-01", [12345])
    remove_milestone(empty_db, affelnet)
    with empty_db.read() as session:
        assert [m.title for m in milestones(session)] == ["Parcoursup : confirmation des vœux"]


def test_the_command_lists_by_class_with_filters_and_records_handovers_and_milestones(empty_db, db_location, capsys):
    from desktop.cli import main

    a = create_student(empty_db, "Durand", "Inès", "3e B", "Collège Jean Moulin")
    b = create_student(empty_db, "Petit", "Noah", "3e B", "Collège Jean Moulin")
    db = ["--db", db_location]
    assert main(["students", "bilan-remis", str(a), "--le", "2026-05-12", *db]) == 0
    assert "noté remis le 2026-05-12" in capsys.readouterr().out
    assert main(["students", "list", "--bilan-non-remis", "--format", "json", *db]) == 0
    listed = __import__("json").loads(capsys.readouterr().out)
    assert [s["id"] for s in listed] == [b]
    assert main(["students", "list", "--par-classe", *db]) == 0
    out = capsys.readouterr().out
    assert "Collège Jean Moulin | 3e B | 2 | 2 | 2 | 1" in out
    assert main(["students", "list", "--pas-vu-depuis", "-1", *db]) == 2
    assert "nombre de jours" in capsys.readouterr().err
    assert main(["students", "echeance", "--titre", "Affelnet", "--date", "2999-01-01", "--eleve", str(b), *db]) == 0
    assert main(["students", "echeances", "--toutes", *db]) == 0
    assert "Affelnet — élèves " + str(b) in capsys.readouterr().out


def test_a_milestone_in_the_past_is_kept_and_said(empty_db, db_location, capsys):
    # « echeance --date 2026-05-20 » in December was taken without a word, and never listed.
    from desktop.cli import main

    empty_db.close()
    assert main(["students", "echeance", "--titre", "Affelnet", "--date", "2000-05-20", "--db", db_location]) == 0
    out = capsys.readouterr().out
    assert "Attention : cette date est déjà passée (20 mai 2000)" in out
    assert main(["students", "echeance", "--titre", "Parcoursup", "--date", "2999-01-20", "--db", db_location]) == 0
    assert "Attention" not in capsys.readouterr().out
