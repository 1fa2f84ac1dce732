"""The routes from a student's current class to a métier (see :mod:`db.catalogue.routes`), as
the CLI, the window and the bilan ask for them. Qt-free."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.orm import Session

from db.catalogue.routes import Routes, named_bac_pro, routes_for
from db.errors import UserError
from db.students.store import get_student, latest_session

BILAN_ROUTES = 2  # routes per métier on the bilan


def routes_for_student(session: Session, student_id: int, metier_id: str) -> Routes:
    """The routes from the student's current class to the métier, checked against the level the
    student aims at in the last session. UserError when the student has no current class."""
    info = get_student(session, student_id)
    if not info.current_class:
        raise UserError(f"la classe actuelle de l'élève numéro {student_id} n'est pas renseignée "
                        "(orientation students edit ID --classe-actuelle 3e)")
    last = latest_session(session, student_id)
    return routes_for(session, metier_id, info.current_class,
                      max_bac_plus=last.max_bac_plus if last is not None else None)


class BilanRoutes(NamedTuple):
    """What the bilan says of the routes from the pupil's class to one métier."""

    lines: list[str]  # the :data:`BILAN_ROUTES` shortest, briefly
    notes: list[str]  # sentences about them, said to the pupil (none known, longer than wished…)
    drawn: list[tuple[str, int]]  # the shortest's steps: (label, years), the class first (0 years)
    reached: int | None  # the level (bac + N) the shortest one's diploma stands for
    assumes_speciality: bool = False  # the drawn route goes through a bac pro of a named speciality


def bilan_routes(session: Session, current_class: str | None, metier_id: str,
                 max_bac_plus: int | None = None) -> BilanRoutes:
    """The bilan's routes (:class:`BilanRoutes`); all empty when the class is not known or the
    métier left the catalogue."""
    if not current_class:
        return BilanRoutes([], [], [], None)
    try:
        routes = routes_for(session, metier_id, current_class, max_bac_plus=max_bac_plus)
    except UserError:
        return BilanRoutes([], [], [], None)
    # A family reads two routes; more made the bilan a page longer (the terminal shows them all).
    shortest = sorted(routes.routes, key=lambda route: route.years)[:BILAN_ROUTES]
    drawn = [(step.label, step.years) for step in shortest[0].steps] if shortest else []
    # The drawn route's own steps: another route through a bac pro does not make its length doubtful.
    assumed = bool(shortest) and routes.assumes_speciality and any(named_bac_pro(step) for step in shortest[0].steps)
    return BilanRoutes([route.brief() for route in shortest], routes.pupil_notes, drawn,
                       shortest[0].bac_plus if shortest else None, assumed)


FICHE_ROUTES = 3  # routes shown in the window's fiche pane


def fiche_routes(session: Session, student_id: int, metier_id: str) -> Routes | None:
    """The (at most :data:`FICHE_ROUTES`, shortest first) routes from the open student's current
    class to the métier shown in the window; None when the class is not filled in, or the
    student or the métier is not there any more."""
    try:
        found = routes_for_student(session, student_id, metier_id)
    except UserError:
        return None
    found.routes = sorted(found.routes, key=lambda route: route.years)[:FICHE_ROUTES]
    return found
