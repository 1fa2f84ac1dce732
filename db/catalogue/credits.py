"""Where the catalogue's content comes from, in the words its licences ask for.

ONISEP's Open Database License wants the dataset named with its producer and date; France
Travail's Licence Ouverte wants the producer, the data, its version and date. The same lines
serve the bilan (the métiers it shows), the fiche pane (one fiche), About (the whole catalogue)
and the exports, so that they never say it differently.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.catalogue.format import french_date, source_label
from db.models import FormationRow, ImportLog, Metier, MetierRome, RomeCodeRow

ONISEP_KINDS = frozenset({"onisep-md", "onisep-xml", "onisep-json"})
ONISEP_DATASET = "Idéo-Fiches métiers"  # the name ONISEP gives the dataset (the ODbL asks for it)
PROJECT_CREDIT = "Fiche rédigée par l'équipe Orientation"  # words a parent understands


def metier_attribution(kind: str | None) -> str:
    """The line under a métier's content: who wrote its fiche, as its licence asks."""
    if kind in ONISEP_KINDS:
        return f"Source : {ONISEP_DATASET}, Onisep, sous licence ODbL"
    if kind == "projet":
        return PROJECT_CREDIT
    return f"Source : {source_label(kind)}"


def source_lines(session: Session, metier_ids: Sequence[str] | None = None) -> list[str]:
    """The sources of the métiers ``metier_ids`` (None: the whole catalogue, with the formation
    fiches too), one line per producer with its newest data date and licence, ROME last when one
    of those métiers cites a ROME code the imported ROME describes."""
    query = select(Metier.source_kind, func.max(Metier.source_date), func.max(Metier.salary_year))
    if metier_ids is not None:
        query = query.where(Metier.id.in_(list(metier_ids)))
    lines = [_kind_line(kind, day, year) for kind, day, year
             in session.execute(query.group_by(Metier.source_kind).order_by(Metier.source_kind))]
    if metier_ids is None:
        lines += _formations_line(session)
    rome = _rome_line(session, metier_ids)
    return [*lines, rome] if rome else lines


def _when(day: str | None, year: int | None) -> str:
    """ "21 octobre 2025" from an ISO date, else the date as the source wrote it, else the year."""
    try:
        return french_date(day) if day and len(day) == 10 else (day or (str(year) if year else ""))
    except ValueError:  # ten characters, but not an ISO date
        return day or ""


def _kind_line(kind: str, day: str | None, year: int | None) -> str:
    when = _when(day, year)
    if kind in ONISEP_KINDS:
        return f"{ONISEP_DATASET}, Onisep{f', données du {when}' if when else ''}, sous licence ODbL " \
               "(Open Database License)"
    if kind == "projet":
        return f"Fiches rédigées par l'équipe Orientation{f', données {when}' if when else ''}"
    return metier_attribution(kind) + (f", données du {when}" if when else "")


def _formations_line(session: Session) -> list[str]:
    day = session.execute(select(func.max(FormationRow.source_date))
                          .where(FormationRow.source_kind.is_not(None))).scalar()
    if day is None and not session.execute(select(FormationRow.id).where(FormationRow.source_kind.is_not(None))
                                           .limit(1)).first():
        return []
    when = f", données du {_when(day, None)}" if day else ""
    return [f"Idéo-Fiches formations, Onisep{when}, sous licence ODbL (Open Database License)"]


def _rome_line(session: Session, metier_ids: Sequence[str] | None) -> str:
    """The ROME credit (Licence Ouverte: producer, data, version, date), only when one of the
    métiers cites a ROME code that the imported ROME describes; else ""."""
    cited = select(MetierRome.code)
    if metier_ids is not None:
        cited = cited.join(Metier, Metier.pk == MetierRome.metier_pk).where(Metier.id.in_(list(metier_ids)))
    if not session.execute(select(RomeCodeRow.code).where(RomeCodeRow.code.in_(cited)).limit(1)).first():
        return ""
    version = session.execute(select(func.max(RomeCodeRow.version))).scalar()
    imported = session.execute(select(func.max(ImportLog.imported_at))
                               .where(ImportLog.format_name == "rome-csv")).scalar()
    when = f", données importées le {french_date(imported.date())}" if imported else ""
    return (f"Codes et métiers du ROME : France Travail, ROME{f' {version}' if version else ''}{when}, "
            "sous Licence Ouverte (Etalab)")
