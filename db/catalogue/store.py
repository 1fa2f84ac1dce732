"""The catalogue writer: plain records in, rows out. It never parses anything.

:func:`upsert_records` stores one parsed file inside the caller's transaction: a métier
whose id already exists is updated in place (same pk, lists replaced), a new one is
inserted. Nomenclature entries a fiche mentions but the database lacks (a new interest
label, an unknown sector text, a formation) are added, so nothing a fiche states is lost.
Bulk Core statements are used on purpose: the 893 ONISEP fiches must import in about a second.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy import BindParameter, Connection
from sqlalchemy.orm import Session

from db.catalogue import merge
from db.catalogue import nomenclature as nom
from db.catalogue.search_index import reindex
from db.catalogue.search_text import own_text
from db.models import (AppMeta, Base, FormationRow, InterestRow, Metier, MetierFormation, MetierInterest,
                       MetierRelated, MetierRome, MetierSection, MetierSector, MetierStatut,
                       MetierSynonym, SectorRow, StatutRow, Values, table_of)
from db.catalogue.records import MetierRecord, Ref
from db.text import fold, slug, sort_key

_M = table_of(Metier)
_CHILD_TABLES: tuple[type[Base], ...] = (MetierSynonym, MetierSection, MetierRome, MetierSector, MetierInterest,
                 MetierStatut, MetierFormation, MetierRelated)
KnownIds = dict[type[Base], set[str]]  # nomenclature ids known to exist, per table


@dataclass
class WriteCounts:
    """How many métiers a write created and updated."""

    created: int = 0
    updated: int = 0


class _Nomenclatures:
    """Nomenclature rows the records mention; :meth:`flush` inserts those the database lacks.

    Only the ids actually mentioned are looked up (one IN query per table), not whole tables:
    the formations table alone grows to thousands of rows once ONISEP is imported.
    """

    def __init__(self, session: Session, known: KnownIds | None = None) -> None:
        self.session = session
        self.pending: dict[type[Base], dict[str, Values]] = defaultdict(dict)
        # ids known to exist, shared by the files of one import transaction (see db.importing)
        self.known: KnownIds = known if known is not None else {}

    def ensure(self, model: type[Base], ident: str, **values: object) -> str:
        if ident not in self.known.get(model, ()):
            self.pending[model].setdefault(ident, {"id": ident, **values})
        return ident

    def flush(self) -> None:
        for model, rows in self.pending.items():
            table = table_of(model)
            ids = list(rows)
            present: set[str] = set()
            for start in range(0, len(ids), 500):
                present.update(self.session.execute(
                    select(table.c.id).where(table.c.id.in_(ids[start:start + 500]))).scalars())
            fresh = [row for ident, row in rows.items() if ident not in present]
            if fresh:
                self.session.execute(insert(table), fresh)
            self.known.setdefault(model, set()).update(ids)
        self.pending.clear()


def upsert_records(session: Session, records: Iterable[MetierRecord], source_file: str,
                   now: datetime | None = None, cache: KnownIds | None = None) -> WriteCounts:
    """Insert or update ``records`` of one file in the current transaction (the caller commits)."""
    status = upsert_batch(session, [(record, source_file) for record in records], now, cache)
    created = sum(1 for value in status.values() if value == "created")
    return WriteCounts(created=created, updated=len(status) - created)


def upsert_batch(session: Session, batch: list[tuple[MetierRecord, str]], now: datetime | None = None,
                 cache: KnownIds | None = None) -> dict[str, str]:
    """Insert or update records, each with its source file; returns id → "created" | "updated".

    New métiers get their pk assigned here (max + 1…): the transaction holds SQLite's write
    lock from its first statement, so no other writer can take the same numbers, and every
    row can then go in one executemany instead of one statement per fiche. When an id occurs
    twice the last record wins.
    """
    now = now or datetime.now()
    items = list({record.id: (record, source) for record, source in batch}.values())
    records = [record for record, _ in items]
    conn = session.connection()
    nomenclatures = _Nomenclatures(session, cache)
    existing = _existing_pks(session, [r.id for r in records])
    next_pk = (conn.execute(select(func.max(_M.c.pk))).scalar() or 0) + 1
    status: dict[str, str] = {}
    fresh: list[Values] = []
    fresh_pks: dict[str, int] = {}
    changed: list[Values] = []
    children: dict[type[Base], list[Values]] = defaultdict(list)
    for record, source_file in items:
        links = _links(record, nomenclatures)
        values = _metier_values(record, links, source_file, now)
        pk = existing.get(record.id)
        if pk is None:
            pk, next_pk = next_pk, next_pk + 1
            fresh.append({"pk": pk, **values})
            fresh_pks[record.id] = pk
            status[record.id] = "created"
        else:
            changed.append({"b_pk": pk, **values})
            status[record.id] = "updated"
        for model, rows in links.items():
            children[model].extend({"metier_pk": pk, "position": i, **row} for i, row in enumerate(rows))
    nomenclatures.flush()
    snapshots = merge.snapshot_other_sources(conn, {row["b_pk"]: str(row["source_kind"]) for row in changed})
    _write_metiers(conn, fresh, changed)
    for model, rows in children.items():
        if rows:
            conn.execute(insert(table_of(model)), rows)
    merge.carry_over(conn, snapshots)
    ids = [r.id for r in records]
    link_same_jobs(session, ids)
    completed = merge.complete_fiches(conn, ids)
    known = {(existing.get(record.id) or fresh_pks[record.id]): record.indexed or own_text(record)
             for record in records}
    reindex(conn, sorted(set(known) | set(completed)), known)
    return status


def _write_metiers(conn: Connection, fresh: list[Values], changed: list[Values]) -> None:
    if fresh:
        conn.execute(insert(_M), fresh)
    if changed:
        pks = [row["b_pk"] for row in changed]
        for model in _CHILD_TABLES:
            table = table_of(model)
            for start in range(0, len(pks), 500):
                conn.execute(delete(table).where(table.c.metier_pk.in_(pks[start:start + 500])))
        columns: dict[str, BindParameter[Any]] = {key: bindparam(key) for key in changed[0] if key != "b_pk"}
        conn.execute(update(_M).where(_M.c.pk == bindparam("b_pk")).values(columns), changed)


def link_same_jobs(session: Session, written: list[str]) -> None:
    """Let a fiche take precedence over the project's own fiche for the same job.

    A project fiche names the ONISEP fiche of the same job in ``same_as``; once that fiche is
    in the catalogue the project fiche is marked ``superseded_by`` it (and hidden by search),
    so the counselor never sees two unrelated entries for one job.
    """
    # Only rows touched by this write can change: project fiches pointing at a written id,
    # and written project fiches whose target already exists (both through indexes).
    for start in range(0, len(written), 500):
        chunk = written[start:start + 500]
        pointing = or_(_M.c.same_as.in_(chunk), and_(_M.c.id.in_(chunk), _M.c.same_as.in_(select(_M.c.id))))
        session.execute(update(_M).where(_M.c.source_kind == "projet", pointing,
                                         _M.c.superseded_by.is_distinct_from(_M.c.same_as))
                        .values(superseded_by=_M.c.same_as))


def shown_ids(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """Each of ``ids`` → the id of the fiche shown for its job: itself, or the fiche that took
    precedence over it (see :func:`link_same_jobs`). Ids not in the catalogue are absent."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        query = select(_M.c.id, _M.c.superseded_by).where(_M.c.id.in_(wanted[start:start + 500]))
        found.update((ident, over or ident) for ident, over in session.execute(query))
    return found


def _existing_pks(session: Session, ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update({ident: pk for ident, pk in session.execute(select(_M.c.id, _M.c.pk).where(_M.c.id.in_(chunk)))})
    return found


def _links(record: MetierRecord, nomenclatures: _Nomenclatures) -> dict[type[Base], list[Values]]:
    """The child rows of one record, with every referenced nomenclature entry ensured."""
    links: dict[type[Base], list[Values]] = {
        MetierSynonym: [{"name": s.name, "label_f": s.label_f, "label_m": s.label_m} for s in record.synonyms],
        MetierSection: [{"key": s.key, "title": s.title, "text": s.text} for s in record.sections],
        MetierRome: [{"code": c, "is_legacy": False} for c in record.rome_codes]
        + [{"code": c, "is_legacy": True} for c in record.legacy_rome_codes],
        MetierSector: _sector_rows(record, nomenclatures),
        MetierInterest: _interest_rows(record.interests, nomenclatures),
        MetierStatut: _statut_rows(record.statuts, nomenclatures),
        MetierFormation: _formation_rows(record.formations, nomenclatures),
        MetierRelated: [{"related_id": r.id, "label": r.label} for r in record.related],
    }
    return links


def _sector_rows(record: MetierRecord, nomenclatures: _Nomenclatures) -> list[Values]:
    rows: list[Values] = []
    seen: set[str] = set()
    for ref in record.sectors:
        sid, label = nom.match_sector(ref.label, ref.id)
        kind = ("onisep" if sid in nom.ONISEP_SECTOR_IDS
                else "rome" if sid.startswith(nom.ROME_SECTOR_PREFIX) else "autre")
        if sid not in seen:
            seen.add(sid)
            nomenclatures.ensure(SectorRow, sid, label=label or sid, kind=kind)
            rows.append({"sector_id": sid, "is_derived": False})
    # Every fiche also belongs to the ROME grand domaine of its codes, so a fiche that
    # states no sector still has a sector family.
    for code in record.rome_codes:
        sid = nom.rome_sector_id(code)
        if sid not in seen and nom.sector_label(sid):
            seen.add(sid)
            kind = "onisep" if sid in nom.ONISEP_SECTOR_IDS else "rome"
            nomenclatures.ensure(SectorRow, sid, label=nom.sector_label(sid), kind=kind)
            rows.append({"sector_id": sid, "is_derived": True})
    return rows


def _interest_rows(refs: list[Ref], nomenclatures: _Nomenclatures) -> list[Values]:
    rows: list[Values] = []
    for ref in refs:
        iid, label = nom.match_interest(ref.label, ref.id)
        if not label:
            continue
        if iid not in {r["interest_id"] for r in rows}:
            nomenclatures.ensure(InterestRow, iid, label=label, group_label="Autres", is_onisep=False)
            rows.append({"interest_id": iid})
    return rows


def _statut_rows(refs: list[Ref], nomenclatures: _Nomenclatures) -> list[Values]:
    rows: list[Values] = []
    for ref in refs:
        sid, label = nom.match_statut(ref.label, ref.id)
        if label and sid not in {r["statut_id"] for r in rows}:
            nomenclatures.ensure(StatutRow, sid, label=label)
            rows.append({"statut_id": sid})
    return rows


def _formation_rows(refs: list[Ref], nomenclatures: _Nomenclatures) -> list[Values]:
    rows: list[Values] = []
    for ref in refs:
        label = ref.label.strip()
        fid = ref.id or ("F." + slug(label))[:200]
        if label and fid not in {r["formation_id"] for r in rows}:
            nomenclatures.ensure(FormationRow, fid, label=label, label_key=" ".join(fold(label).split()))
            rows.append({"formation_id": fid})
    return rows


def _metier_values(record: MetierRecord, links: dict[type[Base], list[Values]], source_file: str,
                   now: datetime) -> Values:
    """The ``metiers`` row of a record; its indexed text is written afterwards by :func:`reindex`."""
    level = nom.parse_level(record.level_text)
    salary = record.salary
    sectors = links[MetierSector]
    return {
        "id": record.id, "name": record.name, "label_f": record.label_f, "label_m": record.label_m,
        "summary": record.summary, "level_text": record.level_text,
        "level_code": level.code if level else None, "bac_plus": level.bac_plus if level else None,
        "salary_min": salary.min_eur if salary else None, "salary_max": salary.max_eur if salary else None,
        "salary_text": salary.text if salary else None, "salary_scope": salary.scope if salary else None,
        "salary_career_min": salary.career_min_eur if salary else None,
        "salary_career_max": salary.career_max_eur if salary else None,
        "salary_year": salary.year if salary else None,
        "salary_source_date": salary.source_date if salary else None,
        "salary_country": salary.country if salary else None,
        "riasec": record.riasec, "country": record.country or "FR", "nsf_code": record.nsf_code,
        "main_sector_id": sectors[0]["sector_id"] if sectors else None, "same_as": record.same_as,
        "source_kind": record.source_kind, "source_file": source_file, "source_date": record.source_date,
        "licence": record.licence, "imported_at": now, "sort_key": sort_key(record.name),
        "inherited": None,
    }


def get_meta(session: Session, key: str) -> str | None:
    """A value from ``app_meta`` (None when absent)."""
    return session.execute(select(AppMeta.value).where(AppMeta.key == key)).scalar_one_or_none()


def set_meta(session: Session, key: str, value: str) -> None:
    """Set a value in ``app_meta`` (in the caller's transaction)."""
    if get_meta(session, key) is None:
        session.execute(insert(AppMeta).values(key=key, value=value))
    else:
        session.execute(update(AppMeta).where(AppMeta.key == key).values(value=value))
