"""ROME 4.0 reference data (France Travail): stored beside the catalogue, never as métiers.

Writing it enriches the métiers that cite a ROME code: its job titles (appellations) become
searchable synonyms, and fiches without RIASEC letters get those of their first code.
"""
from __future__ import annotations

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from db.models import Metier, MetierRome, RomeCodeRow, table_of
from db.catalogue.records import RomeAppellation, RomeReference
from db.catalogue.search_index import reindex_rome, rome_column_used
from db.catalogue.search_match import refresh_code_fts

_M = table_of(Metier)
_R = table_of(RomeCodeRow)
_MR = table_of(MetierRome)


def write_rome_reference(session: Session, reference: RomeReference, *, refresh: bool = True) -> set[str]:
    """Merge ``reference`` into the ROME tables (by code) and, with ``refresh``, refresh the
    métiers citing it; returns the ROME codes it touched."""
    _merge_codes(session, reference)
    if reference.appellations:
        _write_titles(session, reference.appellations)
    touched = {c.code for c in reference.codes} | {a.rome_code for a in reference.appellations}
    if refresh:
        refresh_metiers_for_codes(session, touched)
    return touched


# A title given again replaces the stored one (same syntax on SQLite and PostgreSQL).
_UPSERT_TITLES = ("INSERT INTO rome_appellations (code_ogr, label, rome_code) VALUES ({0}, {0}, {0}) "
                  "ON CONFLICT (code_ogr) DO UPDATE SET label = excluded.label, rome_code = excluded.rome_code")


def _write_titles(session: Session, titles: list[RomeAppellation]) -> None:
    """Insert or replace ``titles`` by ``code_ogr``, in one statement (see :func:`_mark`)."""
    conn = session.connection()
    conn.exec_driver_sql(_UPSERT_TITLES.format(_mark(conn)), [(a.code_ogr, a.label, a.rome_code) for a in titles])


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
    conn = session.connection()
    mark = _mark(conn)
    if fresh:
        names = list(fresh[0])
        conn.exec_driver_sql(f"INSERT INTO rome_codes ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})",
                             [tuple(row[name] for name in names) for row in fresh])
    for columns, rows in updates.items():  # after the inserts: a code given twice gets both
        if columns:
            assignments = ", ".join(f"{column} = {mark}" for column in columns)
            conn.exec_driver_sql(f"UPDATE rome_codes SET {assignments} WHERE code = {mark}",
                                 [(*(row[column] for column in columns), row["b_code"]) for row in rows])


def _mark(conn: Connection) -> str:
    """The driver's placeholder: the ROME rows are written by the driver over plain tuples
    (13,120 titles: SQLAlchemy's per-row parameter handling cost more than SQLite's writes)."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def refresh_metiers_for_codes(session: Session, codes: set[str]) -> int:
    """Give the catalogue what ROME data says of ``codes`` (:func:`refresh_codes`) and recompute
    ``search_rome`` of the métiers citing them where the engine keeps it; returns how many
    métiers cite them."""
    pks = refresh_codes(session, codes)
    reindex_rome(session.connection(), pks)
    return len(pks)


def refresh_codes(session: Session, codes: set[str]) -> list[int]:
    """What ROME data gives the catalogue for ``codes``, in a few statements whatever their
    number: their job titles' full-text rows (SQLite, :func:`db.catalogue.search_match.refresh_code_fts`;
    a métier reaches them through its codes, so no métier is rewritten) and the missing RIASEC
    letters of the métiers citing them. Returns the métiers whose ``search_rome`` the caller must
    recompute (:func:`db.catalogue.search_index.reindex_rome`): none on SQLite, where it is not kept."""
    conn = session.connection()
    refresh_code_fts(conn, codes)
    _fill_riasec(session, sorted(codes))
    return metiers_citing(session, codes) if rome_column_used(conn) else []


def metiers_citing(session: Session, codes: set[str]) -> list[int]:
    """The métiers (primary keys, sorted) that cite one of ``codes`` as a current ROME code."""
    pks: set[int] = set()
    code_list = sorted(codes)
    for start in range(0, len(code_list), 500):
        query = select(_MR.c.metier_pk).where(_MR.c.code.in_(code_list[start:start + 500]), _MR.c.is_legacy.is_(False))
        pks.update(session.execute(query).scalars())
    return sorted(pks)


def _fill_riasec(session: Session, codes: list[str]) -> None:
    """Give the métiers citing ``codes`` that have no RIASEC letters those of their first
    current ROME code (none when that code is unknown or has none): one UPDATE per 500 codes."""
    first = (select(_R.c.riasec_major + func.coalesce(_R.c.riasec_minor, ""))
             .select_from(_MR.outerjoin(_R, _R.c.code == _MR.c.code))
             .where(_MR.c.metier_pk == _M.c.pk, _MR.c.is_legacy.is_(False))
             .order_by(_MR.c.position).limit(1).scalar_subquery())
    for start in range(0, len(codes), 500):
        citing = select(_MR.c.metier_pk).where(_MR.c.code.in_(codes[start:start + 500]), _MR.c.is_legacy.is_(False))
        session.execute(update(_M).where(_M.c.riasec.is_(None), _M.c.pk.in_(citing), first.is_not(None))
                        .values(riasec=first).execution_options(synchronize_session=False))


def rome_labels(session: Session, codes: list[str]) -> dict[str, str]:
    """Official ROME labels for ``codes`` (only those known)."""
    if not codes:
        return {}
    query = select(_R.c.code, _R.c.label).where(_R.c.code.in_(codes), _R.c.label.is_not(None))
    return {code: label for code, label in session.execute(query)}
