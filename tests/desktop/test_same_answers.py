"""One rule, one answer: the window and the command line suggest the same métiers, with the
same scores and reasons, for the same session — and nothing when nothing is ticked."""
from __future__ import annotations

import json

import pytest

from db.students.store import SessionState, ShortlistItem, create_student, save_session
from db.students.suggest import NOTHING_TICKED
from desktop.cli import main
from tests.desktop.students_helpers import panel_of, wait_suggestions

CARE, USEFUL, ORGANISE = "T-IDEO2.4807", "T-IDEO2.4812", "T-IDEO2.4814"


def _cli_suggestions(capsys, student_id: int, db_location: str) -> list[dict]:
    capsys.readouterr()
    assert main(["suggest", str(student_id), "--format", "json", "--db", db_location]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("fields", [
    {"interests": [CARE, USEFUL, ORGANISE], "max_bac_plus": 3, "min_salary": 1840},
    {"interests": [CARE], "sectors_wished": ["T-IDEO2.4842"]},
    {"sectors_refused": ["T-IDEO2.4869"], "interests": [USEFUL, ORGANISE], "country": "FR"},
])
def test_window_and_command_line_give_the_same_suggestions(qtbot, window, mini_db, db_location, capsys, fields):
    student_id = create_student(mini_db, "Pareil", "Inès")
    save_session(mini_db, SessionState(student_id=student_id, date="2026-11-20",
                                       shortlist=[ShortlistItem("ORI.comptable")], **fields))
    panel = panel_of(window)
    panel.list.refresh(student_id)
    assert panel.open_student(student_id)
    shown = wait_suggestions(qtbot, window)
    printed = _cli_suggestions(capsys, student_id, db_location)
    assert shown, "the window suggests something for this session"
    assert [(s.metier_id, s.score, [r.text for r in s.reasons]) for s in shown] == \
        [(r["id"], r["score"], [x["texte"] for x in r["raisons"]]) for r in printed]


def test_nothing_ticked_means_no_suggestion_in_both(qtbot, window, mini_db, db_location, capsys):
    student_id = create_student(mini_db, "Rien", "Coché")
    save_session(mini_db, SessionState(student_id=student_id, date="2026-11-20", max_bac_plus=3, min_salary=1800))
    panel = panel_of(window)
    panel.list.refresh(student_id)
    assert panel.open_student(student_id)
    assert wait_suggestions(qtbot, window) == []
    assert panel.suggestions.status.text() == NOTHING_TICKED
    assert _cli_suggestions(capsys, student_id, db_location) == []
    assert main(["suggest", str(student_id), "--db", db_location]) == 0
    # Both say nothing is suggested; the command line names the command that ticks, not a box.
    assert capsys.readouterr().out.strip() == (
        "Aucun centre d'intérêt ni secteur souhaité dans cet entretien : ajoutez-en avec "
        f"« orientation students seance {student_id} --interet … » (ou --secteur …), puis relancez.")
