"""Routes from a pupil's current class to a métier, through the formations that lead there.

:func:`routes_for` reads the métier's formations (facts of the ONISEP formation fiche when
imported, else the type its label names in ``resources/formations/types.tsv``) and, for each,
the steps from the pupil's class to its entry point (the bac, a CAP, a bac + 2…), then keeps
the shortest routes, at most one per diploma type and :data:`MAX_ROUTES` in all. Years count
the school years after the current one ("3e → CAP cuisine" is 2 years). Qt-free; the window,
the CLI and the bilan call it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.catalogue.formation_types import (ENTRY_BAC_PLUS, LEVEL_BAC_PLUS, FormationType, type_by_code,
                                          type_of_label)
from db.catalogue.format import years_words
from db.catalogue.search_text import stem
from db.errors import UserError
from db.models import FormationRow, Metier, MetierFormation
from db.text import fold, words

MAX_ROUTES = 3
_GT_BAC = "bac général ou technologique"
_PRO_BAC = "bac professionnel"


@dataclass(frozen=True)
class SchoolClass:
    """Where a pupil stands: years left to each bac, and what is already obtained."""

    code: str
    label: str
    gt_years: int | None = None  # years to a bac général or technologique on this track
    pro_years: int | None = None  # years to a bac professionnel on this track
    bac_plus: int | None = None  # level already reached after the bac (0 = bac obtained)
    has_cap: bool = False  # a CAP (or a bac pro) obtained, or at the end of this year


CLASSES: tuple[SchoolClass, ...] = (
    SchoolClass("4e", "4e"),  # no years of its own: the routes of the 3e, a year later (see routes_for)
    SchoolClass("3e", "3e", gt_years=3, pro_years=3),
    SchoolClass("2de-gt", "2de générale et technologique", gt_years=2),
    SchoolClass("2de-pro", "2de professionnelle", pro_years=2),
    SchoolClass("1re-gt", "1re générale ou technologique", gt_years=1),
    SchoolClass("1re-pro", "1re professionnelle", pro_years=1),
    SchoolClass("term-gt", "terminale générale ou technologique", gt_years=0),
    SchoolClass("term-pro", "terminale professionnelle", pro_years=0, has_cap=True),
    SchoolClass("cap", "CAP (dernière année)", pro_years=2, has_cap=True),
    SchoolClass("bac-gt", "bac général ou technologique obtenu", bac_plus=0),
    SchoolClass("bac-pro", "bac professionnel obtenu", bac_plus=0, has_cap=True),
    SchoolClass("bac+2", "bac + 2 obtenu (BTS, BUT 2e année…)", bac_plus=2, has_cap=True),
    SchoolClass("bac+3", "bac + 3 obtenu (licence, BUT…)", bac_plus=3, has_cap=True),
    SchoolClass("bac+5", "bac + 5 obtenu (master, ingénieur…)", bac_plus=5, has_cap=True),
    SchoolClass("sorti", "sorti·e du système scolaire", gt_years=3, pro_years=3),
)
_BY_CODE = {c.code: c for c in CLASSES}
_ALIASES = {"2de": "2de-gt", "seconde": "2de-gt", "1re": "1re-gt", "premiere": "1re-gt",
            "terminale": "term-gt", "tle": "term-gt", "bac": "bac-gt", "bac obtenu": "bac-gt",
            "bac pro": "bac-pro", "sortie": "sorti", "sorti du systeme scolaire": "sorti",
            "sortie du systeme scolaire": "sorti", "troisieme": "3e", "quatrieme": "4e", "4eme": "4e",
            # as classes are written in schools ("3ème B", "2nde pro", "Term G2")
            "3eme": "3e", "2nde": "2de-gt", "1ere": "1re-gt", "1e": "1re-gt", "term": "term-gt",
            "2de pro": "2de-pro", "2nde pro": "2de-pro", "1re pro": "1re-pro", "1ere pro": "1re-pro",
            "tle pro": "term-pro", "term pro": "term-pro", "terminale pro": "term-pro"}


def class_code(text: str) -> str:
    """The code of a class typed as its code ("term-pro"), its label or a usual name ("2de");
    UserError (French, listing the codes) otherwise."""
    wanted = " ".join(fold(text).split())
    for school_class in CLASSES:
        if wanted in (fold(school_class.code), " ".join(fold(school_class.label).split())):
            return school_class.code
    if wanted in _ALIASES:
        return _ALIASES[wanted]
    codes = ", ".join(c.code for c in CLASSES)
    raise UserError(f"classe actuelle inconnue : « {text.strip()[:40]} » (classes possibles : {codes})")


def class_label(code: str | None) -> str:
    """The French label of a class code ("" for None or an unknown code)."""
    found = _BY_CODE.get(code or "")
    return found.label if found else ""


@dataclass(frozen=True)
class Step:
    """One step of a route: a class or generic stage (``formation_id`` None) or a formation."""

    label: str
    years: int
    type_label: str = ""
    formation_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of ``orientation parcours --format json``."""
        key = "formation_id" if self.formation_id else "classe"
        return {key: self.formation_id or self.label, "libelle": self.label, "type": self.type_label,
                "duree_annees": self.years}


@dataclass(frozen=True)
class Route:
    """Steps from the current class (first step, 0 years) to the formation that leads to the métier."""

    steps: tuple[Step, ...]
    bac_plus: int  # the level the last formation stands for

    @property
    def years(self) -> int:
        return sum(step.years for step in self.steps)

    def line(self) -> str:
        """French, one line: "3e → CAP cuisine (2 ans) : 2 ans après la 3e"."""
        parts = [self.steps[0].label] + [f"{s.label} ({years_words(s.years)})" if s.years else s.label
                                         for s in self.steps[1:]]
        total = "à la fin de cette année" if not self.years else f"{years_words(self.years)} en tout"
        return f"{' → '.join(parts)} : {total}"

    def brief(self) -> str:
        """French, short, for the bilan under "Parcours depuis ta classe" (the class is said there):
        "CAP cuisine (2 ans)", or "2de GT (1 an) → bac (2 ans) → DE infirmier (3 ans) : 6 ans"."""
        steps = [f"{s.label} ({years_words(s.years)})" if s.years else s.label for s in self.steps[1:]]
        if len(steps) == 1:
            return steps[0]
        return f"{' → '.join(steps)} : {years_words(self.years)}"

    def as_json(self) -> dict[str, Any]:
        return {"annees": self.years, "etapes": [step.as_json() for step in self.steps]}


@dataclass
class Routes:
    """The routes to one métier from one class, and French notes (nothing found, beyond the constraint)."""

    metier_id: str
    metier_name: str
    class_code: str
    routes: list[Route] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pupil_notes: list[str] = field(default_factory=list)  # the same notes said to the pupil (the bilan)
    # A route goes through a bac pro of a named speciality the pupil may not be preparing: its
    # length (« à la fin de cette année ») holds only if they are (see NOTES["speciality"]).
    assumes_speciality: bool = False

    def add_note(self, note: tuple[str, str]) -> None:
        """Add one of the :data:`NOTES` pairs: the counselor's sentence, the pupil's."""
        self.notes.append(note[0])
        self.pupil_notes.append(note[1])

    def lines(self) -> list[str]:
        """French lines for the terminal and the bilan: one per route, then the notes."""
        return [route.line() for route in self.routes] + self.notes


@dataclass(frozen=True)
class FormationFacts:
    """What a route needs to know of one formation."""

    id: str
    label: str
    ftype: FormationType
    years: int
    bac_plus: int
    entry: str  # one of formation_types.ENTRIES


def _alike(sentence: str) -> tuple[str, str]:
    """A note said the same way to the counselor and to the pupil."""
    return sentence, sentence


# The notes of routes_for: (to the counselor, to the pupil in the bilan a family reads).
NOTES: dict[str, tuple[str, str]] = {
    "selective": _alike("Ces formations recrutent surtout après un bac général ou technologique : après un bac "
                        "professionnel, l'entrée est possible mais sélective."),
    "undescribed": ("Aucun parcours connu depuis cette classe : les formations de ce métier ne sont pas décrites "
                    "(importez les fiches formations de l'Onisep).",
                    "Les formations de ce métier ne sont pas encore décrites ici : parles-en avec ton conseiller "
                    "ou ta conseillère d'orientation."),
    "none": ("Aucun parcours habituel depuis cette classe : une réorientation est à étudier.",
             "Aucun parcours habituel depuis ta classe : une réorientation est à étudier."),
    "short": _alike("Les formations connues de ce métier s'arrêtent avant le niveau qu'il demande : d'autres "
                    "années d'études suivent ce parcours."),
    "longer": ("Ce métier demande des études plus longues que ce que l'élève envisage (voir ses contraintes).",
               "Ce métier demande des études plus longues que celles que tu envisages pour l'instant."),
    "speciality": ("Ce parcours suppose un bac pro de cette spécialité ; sinon, une formation de plus est à "
                   "prévoir après le bac.",
                   "Ce parcours suppose que ton bac pro soit de cette spécialité ; sinon, une formation de plus "
                   "est à prévoir."),
    "back": _alike("Reprise d'études : l'apprentissage ou la formation continue peuvent raccourcir ces parcours."),
}


def _in_bac_pro(school: SchoolClass) -> bool:
    """Whether the pupil is preparing a bac pro now (its speciality is chosen: a route through
    another one does not end « à la fin de cette année »)."""
    return school.code in ("2de-pro", "1re-pro", "term-pro")


def named_bac_pro(step: Step) -> bool:
    """Whether ``step`` is a bac pro of a named speciality (not the generic « bac professionnel »)."""
    bac_pro = type_by_code("BACPRO")
    return bac_pro is not None and step.formation_id is not None and step.type_label == bac_pro.label


_ENTRY_WORDS = {"3e": "après la 3e", "cap": "après un CAP", "bac": "après le bac", "bac+2": "après un bac + 2",
                "bac+3": "après un bac + 3", "bac+5": "après un bac + 5"}


def formation_lines(session: Session, metier_pk: int) -> list[str]:
    """The métier's formations for its fiche, each with its type, length and entry point when
    known: "CAP cuisine (CAP, 2 ans après la 3e)"; the bare label otherwise."""
    facts = {f.label: f for f in formations_of(session, metier_pk)}
    labels = session.execute(select(FormationRow.label).join(MetierFormation, MetierFormation.formation_id ==
                                                             FormationRow.id)
                             .where(MetierFormation.metier_pk == metier_pk).order_by(MetierFormation.position))
    lines = []
    for label in labels.scalars():
        f = facts.get(label)
        lines.append(f"{label} ({f.ftype.label}, {years_words(f.years)} {_ENTRY_WORDS[f.entry]})" if f else label)
    return lines


def routes_for(session: Session, metier_id: str, current_class: str, *,
               max_bac_plus: int | None = None) -> Routes:
    """The shortest routes (at most :data:`MAX_ROUTES`, one per diploma type) from ``current_class``
    (a code or label of :data:`CLASSES`) to the métier ``metier_id``.

    Only formations that reach the métier's level count when at least one does. A note says
    when no route is known, when the pupil has left school, and when every route goes beyond
    ``max_bac_plus`` (the student's constraint). UserError for an unknown métier or class.
    """
    school_class = _BY_CODE[class_code(current_class)]
    metier = session.execute(select(Metier.pk, Metier.name, Metier.bac_plus)
                             .where(Metier.id == metier_id)).first()
    if metier is None:
        raise UserError(f"aucun métier n'a l'identifiant « {metier_id[:80]} »")
    facts = named_first(formations_of(session, metier.pk), metier.name, lambda f: f.label)
    reaching = [f for f in facts if metier.bac_plus is None or f.bac_plus >= metier.bac_plus]
    result = Routes(metier_id, metier.name, school_class.code)
    asked, school_class = school_class, _BY_CODE["3e"] if school_class.code == "4e" else school_class
    cap = next((f for f in facts if f.entry == "3e" and f.bac_plus <= -2), None)  # the métier's own CAP
    chosen = reaching or facts
    result.routes = _best(r for f in chosen for r in _routes_through(school_class, f, cap))
    if not result.routes and chosen:  # a vocational pupil: the bac pro opens them too, selectively
        result.routes = _best(r for f in chosen for r in _routes_through(school_class, f, cap, any_bac=True))
        if result.routes:
            result.add_note(NOTES["selective"])
    if not result.routes:
        result.add_note(NOTES["undescribed"] if not facts else NOTES["none"])
    elif not reaching and metier.bac_plus is not None:  # the fiche's formations are only first steps
        result.add_note(NOTES["short"])
    elif max_bac_plus is not None and all(r.bac_plus > max_bac_plus for r in result.routes) \
            and (metier.bac_plus is None or metier.bac_plus > max_bac_plus):
        # Only when the métier's own level is beyond the wish too: a CAP-level métier whose known
        # formations are bac-level met the wish (the bilan said so), then read « plus longues ».
        result.add_note(NOTES["longer"])
    if _in_bac_pro(school_class) and any(named_bac_pro(step) for route in result.routes for step in route.steps):
        result.add_note(NOTES["speciality"])
        result.assumes_speciality = True
    if school_class.code == "sorti" and result.routes:
        result.add_note(NOTES["back"])
    if asked is not school_class:  # a pupil in 4e: the 3e first, then the routes from the 3e
        result.routes = [Route((Step(asked.label, 0), Step(school_class.label, 1), *route.steps[1:]), route.bac_plus)
                         for route in result.routes]
    return result


# Words of métier names that say nothing of the trade (« technicien/ne de maintenance » matched
# « bac pro technicien en chaudronnerie » on « technicien ») or of a formation's (« mention »), and
# small words. « ingénieur », « conseiller », « chargé »… stay: « diplôme d'ingénieur » for an
# engineer, « licence pro … chargé de communication » for a chargé/e des relations publiques.
_GENERIC_TEXT = """technicien technicienne diplome mention specialite option parcours pour tous toutes avec dans sans
entre leur"""
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
_F = TypeVar("_F")


def named_first(formations: list[_F], metier_name: str, label: Callable[[_F], str] = str) -> list[_F]:
    """``formations`` (labels, or anything ``label`` gives one of), those naming the métier first
    (« CAPa palefrenier soigneur » for a palefrenier), the most words in common first, then the
    rest in the fiche's order: ONISEP lists a métier's formations alphabetically (the
    palefrenier's first CAP was « CAPa maréchal-ferrant »), and two routes of one diploma type
    and length keep the first met. A word names the métier when their stems meet (4 letters or more)."""
    def stems(text: str) -> set[str]:
        return {stem(w) for w in words(text) if len(w) >= 4 and w not in _GENERIC_WORDS}

    wanted = stems(metier_name)

    return sorted(formations, key=lambda f: -len(wanted & stems(label(f))))  # stable: the fiche's order among equals


def formations_of(session: Session, metier_pk: int) -> list[FormationFacts]:
    """The métier's formations with a known type. A formation known only by its label takes
    the facts of an imported formation fiche of the same label, else the type its label names."""
    rows = session.execute(
        select(FormationRow).join(MetierFormation, MetierFormation.formation_id == FormationRow.id)
        .where(MetierFormation.metier_pk == metier_pk).order_by(MetierFormation.position)).scalars().all()
    keys = [r.label_key for r in rows if r.type_code is None and r.label_key]
    twins = {t.label_key: t for t in session.execute(
        select(FormationRow).where(FormationRow.label_key.in_(keys), FormationRow.type_code.is_not(None))
    ).scalars()} if keys else {}
    facts = [_facts(twins.get(r.label_key or "", r) if r.type_code is None else r, r.id) for r in rows]
    return [f for f in facts if f is not None]


def _facts(row: FormationRow, cited_id: str) -> FormationFacts | None:
    ftype = (type_by_code(row.type_code) if row.type_code else None) or type_of_label(row.label)
    if ftype is None:
        return None
    years = row.years or ftype.years
    bac_plus = LEVEL_BAC_PLUS.get(row.level or 0, ftype.bac_plus)
    entry = ftype.entry
    if row.type_code and ENTRY_BAC_PLUS[entry] >= 0 and bac_plus > 0:
        # the fiche's own level and length say where it is entered: bac + (level − length)
        entry_level = bac_plus - years
        entry = max((e for e, n in ENTRY_BAC_PLUS.items() if 0 <= n <= entry_level), key=lambda e: ENTRY_BAC_PLUS[e],
                    default="bac")
    elif row.type_code and ENTRY_BAC_PLUS[entry] >= 0 and bac_plus < min(ftype.bac_plus, 1):
        # below its type's level and not above the bac's ("diplôme d'État d'aide-soignant", niveau 4,
        # of the diplômes d'État entered after the bac): no bac is asked, a first diploma usually is
        entry = "cap"
    fid = row.id if row.type_code else cited_id
    return FormationFacts(fid, row.label, ftype, years, bac_plus, entry)


def _routes_through(school: SchoolClass, f: FormationFacts, cap: FormationFacts | None = None, *,
                    any_bac: bool = False) -> list[Route]:
    """Every way from ``school`` into formation ``f`` (one per bac track when the bac is needed);
    ``cap``, the métier's own CAP, is the step before a formation entered after a CAP;
    ``any_bac`` lets a bac professionnel lead where a general or technological one usually does."""
    start = Step(school.label, 0)
    target = Step(f.label, f.years, f.ftype.label, f.id)
    code = f.ftype.code
    if code in ("BACPRO", "BACT", "BACG"):
        years = school.pro_years if code == "BACPRO" else school.gt_years
        if school.bac_plus is not None or years is None:
            return []
        return [Route((start, Step(f.label, years, f.ftype.label, f.id)), f.bac_plus)]
    if f.entry == "3e":
        return [Route((start, target), f.bac_plus)]
    if f.entry == "cap":
        return [Route((start, *_to_cap(school, cap), target), f.bac_plus)]
    need = ENTRY_BAC_PLUS[f.entry]
    bacs = "tous" if any_bac else f.ftype.bacs if f.entry == "bac" else "gt"
    before: tuple[Step, ...] = ()
    if need > (school.bac_plus or 0):
        label = f.ftype.before if f.entry == f.ftype.entry and f.ftype.before else f"des études de niveau bac + {need}"
        before = (Step(label, need - (school.bac_plus or 0)),)
    return [Route((start, *way, *before, target), f.bac_plus) for way in _to_bac(school, bacs)]


def _to_cap(school: SchoolClass, cap: FormationFacts | None) -> tuple[Step, ...]:
    if school.has_cap or school.bac_plus is not None:
        return ()
    if school.pro_years is not None and school.pro_years <= 2 and school.gt_years is None:
        return (Step(_PRO_BAC, school.pro_years),)
    if cap is not None:
        return (Step(cap.label, cap.years, cap.ftype.label, cap.id),)
    return (Step("un CAP du domaine", 2, "CAP"),)


def _to_bac(school: SchoolClass, bacs: str) -> list[tuple[Step, ...]]:
    """The ways to a bac from ``school`` (none needed when it is obtained)."""
    if school.bac_plus is not None:
        return [()]
    ways: list[tuple[Step, ...]] = []
    if school.gt_years is not None:
        if school.gt_years == 3:
            ways.append((Step("2de générale et technologique", 1), Step(_GT_BAC, 2)))
        else:
            ways.append((Step(_GT_BAC, school.gt_years),))
    if school.pro_years is not None and bacs == "tous":
        ways.append((Step(_PRO_BAC, school.pro_years),))
    return ways


def _best(routes: Any) -> list[Route]:
    """The shortest route per diploma type (ties: the first met), the :data:`MAX_ROUTES` shortest."""
    best: dict[str, Route] = {}
    for route in routes:
        key = route.steps[-1].type_label
        if key not in best or route.years < best[key].years:
            best[key] = route
    return sorted(best.values(), key=lambda r: r.years)[:MAX_ROUTES]
