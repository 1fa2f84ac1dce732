"""ROME 4.0 reference data (France Travail): stored beside the catalogue, never as métiers.

Writing it enriches the métiers that cite a ROME code: its job titles (appellations) become
searchable synonyms, and fiches without RIASEC letters get those of their first code.
"""
from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.models import Metier, MetierRome, MetierSynonym, RomeAppellationRow, RomeCodeRow, table_of
from db.catalogue.records import RomeReference
from db.text import fold

_M = table_of(Metier)
_R = table_of(RomeCodeRow)
_A = table_of(RomeAppellationRow)
_MR = table_of(MetierRome)


def write_rome_reference(session: Session, reference: RomeReference, *, refresh: bool = True) -> set[str]:
    """Merge ``reference`` into the ROME tables (by code) and, with ``refresh``, refresh the
    métiers citing it; returns the ROME codes it touched."""
    _merge_codes(session, reference)
    if reference.appellations:
        ids = [a.code_ogr for a in reference.appellations]
        for start in range(0, len(ids), 500):
            session.execute(delete(_A).where(_A.c.code_ogr.in_(ids[start:start + 500])))
        session.execute(insert(_A), [{"code_ogr": a.code_ogr, "label": a.label, "rome_code": a.rome_code}
                                     for a in reference.appellations])
    touched = {c.code for c in reference.codes} | {a.rome_code for a in reference.appellations}
    if refresh:
        refresh_metiers_for_codes(session, touched)
    return touched


def _merge_codes(session: Session, reference: RomeReference) -> None:
    existing = set(session.execute(select(_R.c.code)).scalars())
    fresh = []
    for code in reference.codes:
        values = {k: v for k, v in {
            "label": code.label or None, "domaine_code": code.domaine_code, "domaine_label": code.domaine_label,
            "riasec_major": code.riasec_major, "riasec_minor": code.riasec_minor,
            "parent_code": code.parent_code, "version": reference.version}.items() if v is not None}
        if code.code in existing:
            session.execute(update(_R).where(_R.c.code == code.code).values(**values))
        else:
            fresh.append({"code": code.code, "grand_domaine": code.code[0], "label": None, "domaine_code": None,
                          "domaine_label": None, "riasec_major": None, "riasec_minor": None,
                          "parent_code": None, "version": None, **values})
            existing.add(code.code)
    if fresh:
        session.execute(insert(_R), fresh)


def refresh_metiers_for_codes(session: Session, codes: set[str]) -> int:
    """Recompute the searchable names (and missing RIASEC) of métiers citing ``codes``."""
    pks = metiers_citing(session, codes)
    refresh_metiers(session, pks)
    return len(pks)


def metiers_citing(session: Session, codes: set[str]) -> list[int]:
    """The métiers (primary keys, sorted) that cite one of ``codes`` as a current ROME code."""
    pks: set[int] = set()
    code_list = sorted(codes)
    for start in range(0, len(code_list), 500):
        query = select(_MR.c.metier_pk).where(_MR.c.code.in_(code_list[start:start + 500]), _MR.c.is_legacy.is_(False))
        pks.update(session.execute(query).scalars())
    return sorted(pks)


def refresh_metiers(session: Session, pks: list[int]) -> None:
    """Recompute the searchable names (and missing RIASEC) of the métiers ``pks``."""
    for pk in pks:
        _refresh_one(session, pk)


def _refresh_one(session: Session, pk: int) -> None:
    row = session.execute(select(_M.c.name, _M.c.label_f, _M.c.label_m, _M.c.riasec).where(_M.c.pk == pk)).one()
    codes = list(session.execute(select(_MR.c.code).where(_MR.c.metier_pk == pk, _MR.c.is_legacy.is_(False))
                                 .order_by(_MR.c.position)).scalars())
    synonyms = session.execute(select(MetierSynonym.name, MetierSynonym.label_f, MetierSynonym.label_m)
                               .where(MetierSynonym.metier_pk == pk)).all()
    titles = session.execute(select(_A.c.label).where(_A.c.rome_code.in_(codes))).scalars().all() if codes else []
    names = [row.name, row.label_f, row.label_m] + [p for s in synonyms for p in s] + list(titles)
    values: dict[str, str] = {"search_names": fold(" ".join(n for n in names if n))}
    if not row.riasec and codes:
        letters = session.execute(select(_R.c.riasec_major, _R.c.riasec_minor).where(_R.c.code == codes[0])).first()
        if letters and letters.riasec_major:
            values["riasec"] = letters.riasec_major + (letters.riasec_minor or "")
    session.execute(update(_M).where(_M.c.pk == pk).values(**values))


def rome_labels(session: Session, codes: list[str]) -> dict[str, str]:
    """Official ROME labels for ``codes`` (only those known)."""
    if not codes:
        return {}
    query = select(_R.c.code, _R.c.label).where(_R.c.code.in_(codes), _R.c.label.is_not(None))
    return {code: label for code, label in session.execute(query)}
