"""Suggestions: hard constraints filter, soft ones rank, reasons read aloud; hand-checked scores."""
from __future__ import annotations

from db.students.store import SessionState
from db.students.suggest import suggest

CARE, USEFUL, ORGANISE = "T-IDEO2.4807", "T-IDEO2.4812", "T-IDEO2.4814"


def run(db, **fields):
    with db.read() as session:
        return suggest(session, SessionState(student_id=0, date="2026-11-20", **fields))


def test_hand_checked_ranking_and_reasons(mini_db):
    results = run(mini_db, interests=[CARE, USEFUL, ORGANISE], max_bac_plus=3, min_salary=1840)
    # aide-soignant: 10×2/3 + 2 shared + 2 salary ok = 10.67; comptable: 10×1/3 + 1 + 2 = 6.33;
    # bénévole: 10×1/3 + 1 + 0 (no figure) = 4.33; médecin (bac + 9) is above the aim: filtered out.
    assert [(r.metier_id, r.score) for r in results] == [
        ("ORI.aide-soignant", 10.67), ("ORI.comptable", 6.33), ("ORI.vendeur-sans-salaire", 4.33)]
    assert [r.text for r in results[0].reasons] == [
        "niveau ✔ CAP ou équivalent ≤ bac + 3 visé",
        "intérêts 2/3 : je veux être utile aux autres ; ma vocation est de soigner",
        "salaire ✔ 1\u202f850\u202f€ ≥ 1\u202f840\u202f€ souhaités"]
    assert results[2].reasons[-1].text == "salaire ? non précisé" and results[2].reasons[-1].ok is None


def test_salary_is_soft_and_says_what_is_missing(mini_db):
    results = run(mini_db, interests=[CARE], min_salary=1900)
    by_id = {r.metier_id: r for r in results}
    low = by_id["ORI.aide-soignant"].reasons[-1]
    assert low.ok is False and low.text == "salaire ✘ 1\u202f850\u202f€ < 1\u202f900\u202f€ souhaités"
    assert [r.metier_id for r in results] == ["ORI.medecin-generaliste", "ORI.aide-soignant"]


def test_refused_sector_and_country_are_hard(mini_db):
    ids = [r.metier_id for r in run(mini_db, interests=[CARE, USEFUL], sectors_refused=["T-IDEO2.4869"])]
    assert ids == ["ORI.vendeur-sans-salaire"]
    assert [r.metier_id for r in run(mini_db, interests=[USEFUL], country="FR")] == ["ORI.aide-soignant"]


def test_wished_sector_adds_candidates_and_points(mini_db):
    results = run(mini_db, interests=[ORGANISE], sectors_wished=["T-IDEO2.4863"])
    assert [r.metier_id for r in results] == ["ORI.comptable", "ORI.macon"]
    assert results[1].score == 4.0 and results[1].reasons[-1].text == "secteur ✔ Bâtiment et travaux publics (BTP)"


def test_ties_are_broken_by_name_then_id_deterministically(mini_db):
    results = run(mini_db, interests=[CARE])  # both share it: 10 × 1/1 + 1 = 11 each, French name order
    assert [(r.metier_id, r.score) for r in results] == [("ORI.aide-soignant", 11.0),
                                                         ("ORI.medecin-generaliste", 11.0)]
    assert [r.metier_id for r in run(mini_db, interests=[CARE])] == [r.metier_id for r in results]


def test_nothing_ticked_gives_no_suggestion(mini_db):
    """Without an interest or a wished sector there is nothing to go on: ranking the whole
    catalogue would only sort it by salary and look like advice."""
    assert run(mini_db) == [] and run(mini_db, max_bac_plus=3, min_salary=1800) == []
    assert [r.metier_id for r in run(mini_db, sectors_wished=["T-IDEO2.4842"])] == ["ORI.comptable"]


def test_plain_reasons_for_the_report(mini_db):
    (first, *_) = run(mini_db, interests=[CARE], max_bac_plus=0)
    assert first.reasons[0].plain == ("Le niveau d'études demandé (CAP ou équivalent) correspond à ce que tu vises "
                                      "(bac ou équivalent).")
    assert first.reasons[1].plain == "Il correspond à ton centre d'intérêt : ma vocation est de soigner."
