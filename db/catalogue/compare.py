"""Side-by-side comparison of 2–4 métiers for a student (GUI, report)."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from db.errors import UserError
from db.catalogue.fiche_facts import MetierFacts, load_facts
from db.catalogue.format import format_salary
from db.catalogue.nomenclature import describe_level
from db.catalogue.routes import named_first
from db.students.report_data import Comparison, ComparisonRow

MAX_COMPARED = 4


def study_length(bac_plus: int | None) -> str:
    """How long studies last after the 3e / after the bac, in words a family understands."""
    if bac_plus is None:
        return "non précisée"
    if bac_plus <= -4:
        return "pas de diplôme exigé"
    if bac_plus <= -1:
        return "2 à 3 ans après la 3e"
    if bac_plus == 0:
        return "3 ans après la 3e (bac)"
    return f"{bac_plus} an{'s' if bac_plus > 1 else ''} après le bac"


def compare(session: Session, metier_ids: list[str], student_interests: list[str] | None = None) -> Comparison:
    """The comparison table of ``metier_ids`` (2 to 4, in that order).

    Rows: level, length of studies, starting salary, sectors, interests shared with the student,
    statuts, formations. Métiers no longer in the catalogue are skipped.
    """
    if not 2 <= len(metier_ids) <= MAX_COMPARED:
        raise UserError(f"on compare de 2 à {MAX_COMPARED} métiers (ici : {len(metier_ids)})")
    facts = load_facts(session, metier_ids)
    items = [facts[i] for i in metier_ids if i in facts]
    wanted = set(student_interests or [])
    rows: list[tuple[str, Callable[[MetierFacts], str]]] = [
        ("Niveau d'études minimum", lambda f: describe_level(f.bac_plus, f.level_label)),
        ("Durée des études", lambda f: study_length(f.bac_plus)),
        ("Salaire de début (brut par mois)", lambda f: format_salary(f.salary_min, f.salary_max, f.salary_year,
                                                                               f.salary_country)),
        ("Secteurs", lambda f: ", ".join(f.sectors) or "—"),
        ("Tes centres d'intérêt en commun", lambda f: _shared(f, wanted)),
        ("Statuts", lambda f: ", ".join(f.statuts) or "—"),
        ("Formations", lambda f: " ; ".join(named_first(f.formations, f.name)[:4]) or "—"),
    ]
    return Comparison(titles=[f.name for f in items],
                      rows=[ComparisonRow(label, [value(f) for f in items]) for label, value in rows])


def _shared(facts: MetierFacts, wanted: set[str]) -> str:
    shared = [label for ident, label in zip(facts.interest_ids, facts.interests, strict=True) if ident in wanted]
    return " ; ".join(shared) if shared else "aucun"
