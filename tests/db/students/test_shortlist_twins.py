"""One job once in a student's list: a project fiche kept before the ONISEP fiche of the same job
came in (it then hides behind that one), and that fiche kept too, printed the job twice on the
bilan with two salaries; keeping the ONISEP fiche from the command line added a second entry."""
from __future__ import annotations

import json

from db.catalogue.importing import import_paths
from db.students.report import build_report
from db.students.store import ShortlistItem, create_student, latest_session, save_session, start_session
from desktop.cli import main
from tests.db.catalogue.test_same_job import ONISEP_STYLE


def _kept_then_onisep(database, tmp_path, shortlist: list[ShortlistItem]) -> int:  # type: ignore[no-untyped-def]
    """A student whose session keeps ``shortlist``, then the ONISEP fiche of the aide-soignant
    (MET.561, which ORI.aide-soignant names as its own) imported."""
    sid = create_student(database, "Martin", "Zoé", "3e B")
    with database.read() as session:
        state = start_session(session, sid, "2026-11-20")
    state.shortlist = shortlist
    save_session(database, state)
    fiche = tmp_path / "MET.561.md"
    fiche.write_text(ONISEP_STYLE, encoding="utf-8")
    assert import_paths(database, [fiche]).refused == 0
    return sid


def test_the_bilan_prints_a_job_kept_under_both_fiches_once(mini_db, tmp_path):
    sid = _kept_then_onisep(mini_db, tmp_path, [
        ShortlistItem("ORI.aide-soignant", "stage en EHPAD"), ShortlistItem("ORI.macon", ""),
        ShortlistItem("MET.561", "")])
    with mini_db.read() as session:
        state = latest_session(session, sid)
        state.comparison = ["ORI.aide-soignant", "MET.561", "ORI.macon"]
        data = build_report(session, state)
    assert [m.title for m in data.metiers] == ["aide-soignant/e", "maçon/ne"]
    assert data.metiers[0].comment == "stage en EHPAD"  # the comment kept under the project fiche
    assert data.comparison is not None and len(data.comparison.titles) == 2


def test_keeping_the_shown_fiche_of_a_job_already_kept_adds_nothing(mini_db, db_location, tmp_path, capsys):
    sid = _kept_then_onisep(mini_db, tmp_path, [ShortlistItem("ORI.aide-soignant", "stage en EHPAD")])
    mini_db.close()
    assert main(["students", "seance", str(sid), "--retenir", "MET.561", "--db", db_location]) == 0
    assert main(["students", "seance", str(sid), "--retenir", "ORI.aide-soignant", "--commentaire", "à revoir",
                 "--db", db_location]) == 0
    out = capsys.readouterr().out
    assert "1. aide-soignant/e [MET.561] — à revoir" in out  # one entry, now the fiche shown
    assert "2. " not in out.split("Sélection")[-1]


def test_a_list_holding_both_fiches_of_a_job_is_mended_at_the_next_edit(mini_db, db_location, tmp_path, capsys):
    # Both fiches kept (the hidden one first), then « --retenir MET.561 »: the entry was renamed and
    # the list held MET.561 twice; the comparison kept the hidden id after the job was dropped.
    sid = _kept_then_onisep(mini_db, tmp_path, [ShortlistItem("ORI.aide-soignant", ""), ShortlistItem("ORI.macon", ""),
                                                ShortlistItem("MET.561", "stage")])
    with mini_db.read() as session:
        state = latest_session(session, sid)
    state.comparison = ["ORI.aide-soignant", "ORI.macon"]
    save_session(mini_db, state)
    mini_db.close()
    assert main(["students", "seance", str(sid), "--retenir", "MET.561", "--format", "json", "--db", db_location]) == 0
    view = json.loads(capsys.readouterr().out)
    assert [(i["id"], i["commentaire"]) for i in view["selection"]] == [("MET.561", "stage"), ("ORI.macon", "")]
    assert view["comparaison"] == ["MET.561", "ORI.macon"]
    # Dropped by the id of either fiche: the job goes, from the comparison too.
    assert main(["students", "seance", str(sid), "--retirer", "ORI.aide-soignant", "--format", "json",
                 "--db", db_location]) == 0
    view = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in view["selection"]] == ["ORI.macon"] and view["comparaison"] == ["ORI.macon"]
