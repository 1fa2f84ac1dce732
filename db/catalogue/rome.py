"""ROME 4.0 reference data (France Travail): stored beside the catalogue, never as métiers.

Writing it enriches the métiers that cite a ROME code: its job titles (appellations) become
searchable synonyms, and fiches without RIASEC letters get those of their first code.
"""
from __future__ import annotations

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from db.models import Metier, MetierRome, RomeAppellationRow, RomeCodeRow, table_of
from db.catalogue.records import RomeReference
from db.catalogue.search_index import reindex_rome

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
    """Insert the new codes and update the known ones with the values ``reference`` gives
    (one statement per set of columns given, not one per code)."""
    existing = set(session.execute(select(_R.c.code)).scalars())
    fresh = []
    updates: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for code in reference.codes:
        values = {k: v for k, v in {
            "label": code.label or None, "domaine_code": code.domaine_code, "domaine_label": code.domaine_label,
            "riasec_major": code.riasec_major, "riasec_minor": code.riasec_minor,
            "parent_code": code.parent_code, "version": reference.version}.items() if v is not None}
        if code.code in existing:
            updates.setdefault(tuple(sorted(values)), []).append({"b_code": code.code, **values})
        else:
            fresh.append({"code": code.code, "grand_domaine": code.code[0], "label": None, "domaine_code": None,
                          "domaine_label": None, "riasec_major": None, "riasec_minor": None,
                          "parent_code": None, "version": None, **values})
            existing.add(code.code)
    if fresh:
        session.execute(insert(_R), fresh)
    for columns, rows in updates.items():  # after the inserts: a code given twice gets both
        if columns:
            statement = update(_R).where(_R.c.code == bindparam("b_code")).values(
                {column: bindparam(column) for column in columns})
            session.execute(statement, rows)


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


def refresh_metiers(session: Session, pks: list[int]) -> int:
    """Recompute what ROME data gives the métiers ``pks``: their indexed ROME job titles (the only
    indexed text that depends on ROME tables, :func:`db.catalogue.search_index.reindex_rome`) and
    missing RIASEC letters. A few statements per 500 métiers, whatever their number; only the
    métiers whose indexed text changed are rewritten. Returns how many were."""
    if not pks:
        return 0
    _fill_riasec(session, pks)
    return reindex_rome(session.connection(), pks)


def _fill_riasec(session: Session, pks: list[int]) -> None:
    """Give the métiers ``pks`` that have no RIASEC letters those of their first ROME code."""
    for start in range(0, len(pks), 500):
        chunk = pks[start:start + 500]
        first = (select(_MR.c.metier_pk, func.min(_MR.c.position).label("position"))
                 .where(_MR.c.metier_pk.in_(chunk), _MR.c.is_legacy.is_(False)).group_by(_MR.c.metier_pk)
                 .subquery())
        query = (select(_M.c.pk, _R.c.riasec_major, _R.c.riasec_minor)
                 .join(first, first.c.metier_pk == _M.c.pk)
                 .join(_MR, (_MR.c.metier_pk == first.c.metier_pk) & (_MR.c.position == first.c.position))
                 .join(_R, _R.c.code == _MR.c.code)
                 .where(_M.c.riasec.is_(None), _R.c.riasec_major.is_not(None)))
        rows = [{"b_pk": pk, "riasec": major + (minor or "")} for pk, major, minor in session.execute(query)]
        if rows:
            session.execute(update(_M).where(_M.c.pk == bindparam("b_pk")).values(riasec=bindparam("riasec")), rows)


def rome_labels(session: Session, codes: list[str]) -> dict[str, str]:
    """Official ROME labels for ``codes`` (only those known)."""
    if not codes:
        return {}
    query = select(_R.c.code, _R.c.label).where(_R.c.code.in_(codes), _R.c.label.is_not(None))
    return {code: label for code, label in session.execute(query)}
