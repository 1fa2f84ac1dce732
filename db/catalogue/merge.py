"""Twin fiches keep every fact: what the shown fiche lacks, it takes from the one it hides.

When ONISEP's fiche for a job supersedes the project's own fiche (see
:func:`db.catalogue.store.link_same_jobs`), the ONISEP fiche is the one shown, but it may say
less: the ONISEP Markdown fiches state no sector, some no salary, no RIASEC letters. Each
missing fact is then taken from the hidden twin, field by field, and the shown fiche records
where it came from in ``metiers.inherited`` (JSON ``{field: source id}``), which the fiche page
displays. A fiche that still has no sector after that gets the sectors that the other fiches
citing the same ROME code state ("inferred", source ``"ROME:<code>"``).

Contract: :func:`complete_fiches` can run any number of times, in any import order, and gives
the same rows: inherited facts are first removed (they are recognisable by ``inherited``), then
recomputed from the current twins. A fiche's own facts are never overwritten.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, and_, bindparam, delete, insert, select, update

from db.models import (Metier, MetierFormation, MetierInterest, MetierRome, MetierSector, MetierStatut,
                       table_of)

_M = table_of(Metier)
_MS = table_of(MetierSector)
_MR = table_of(MetierRome)
_CHUNK = 500

# Scalar facts, each a group of columns taken together (a salary and its year go as one).
SCALAR_FIELDS: dict[str, tuple[str, ...]] = {
    "niveau": ("level_text", "level_code", "bac_plus"),
    "salaire": ("salary_min", "salary_max", "salary_text", "salary_scope", "salary_career_min",
                "salary_career_max", "salary_year", "salary_source_date", "salary_country"),
    "riasec": ("riasec",),
    "nsf": ("nsf_code",),
}
# List facts: the child table and the columns copied from the twin's rows.
LIST_FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "secteurs": (_MS, ("sector_id",)),
    "centres_interet": (table_of(MetierInterest), ("interest_id",)),
    "statuts": (table_of(MetierStatut), ("statut_id",)),
    "formations": (table_of(MetierFormation), ("formation_id",)),
}
FIELD_LABELS = {"niveau": "niveau d'études", "salaire": "salaire", "riasec": "profil RIASEC",
                "nsf": "code NSF", "secteurs": "secteurs", "centres_interet": "centres d'intérêt",
                "statuts": "statuts", "formations": "formations"}
INFERRED_PREFIX = "ROME:"
CARRIED_PREFIX = "source:"  # kept from the same fiche as another source gave it (see carry_over)


def inherited_fields(value: str | None) -> dict[str, str]:
    """The ``metiers.inherited`` JSON read back ({} when empty or unreadable)."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def complete_fiches(conn: Connection, written_ids: Iterable[str] | None = None) -> list[int]:
    """Fill the shown fiches' missing facts from their hidden twins, then infer missing sectors.

    ``written_ids``: the fiche ids a write touched (None: every fiche). Returns the pks of the
    fiches whose facts changed (their indexed text must be recomputed).
    """
    written_ids = None if written_ids is None else list(written_ids)
    pairs = _twin_pairs(conn, written_ids)
    changed = set(_reset_inherited(conn, [shown for shown, _ in pairs]))
    changed |= _take_from_twins(conn, pairs)
    if written_ids is None:
        changed.update(infer_sectors(conn, None))
        main_sectors_from_twins(conn, pairs)
        return sorted(changed)
    # The fiches just written may be the first to state a sector for another fiche's ROME code,
    # or change what was inferred for it (a Markdown import before the XML one must end as the
    # reverse): every fiche sharing a code with them is looked at again.
    written = _pks_of(conn, written_ids)
    candidates = sorted(set(written) | changed | set(_sharing_codes(conn, written)))
    changed.update(infer_sectors(conn, candidates))
    main_sectors_from_twins(conn, pairs)
    return sorted(changed)


def main_sectors_from_twins(conn: Connection, pairs: list[tuple[int, int]] | None = None) -> int:
    """The sector shown beside each fiche (its main one) taken from its hidden project twin when
    the fiche states that sector too: ONISEP lists a fiche's sectors alphabetically, so its first
    one read « infirmier — Enseignement »; the project chose « Santé ». ``pairs`` as
    :func:`_twin_pairs` gives them (None: every twin). Returns how many fiches changed. Only
    what is shown changes (the sector filters read every sector of a fiche)."""
    pairs = _twin_pairs(conn, None) if pairs is None else pairs
    if not pairs:
        return 0
    pks = sorted({pk for pair in pairs for pk in pair})
    facts = {row.pk: row for row in _rows_in(conn, select(_M.c.pk, _M.c.main_sector_id, _M.c.source_kind),
                                             _M.c.pk, pks)}
    sectors: dict[int, set[str]] = defaultdict(set)
    for pk, sector in _rows_in(conn, select(_MS.c.metier_pk, _MS.c.sector_id), _MS.c.metier_pk,
                               [shown for shown, _ in pairs]):
        sectors[pk].add(sector)
    changes = [{"b_pk": shown, "main_sector_id": facts[twin].main_sector_id} for shown, twin in pairs
               if facts[twin].source_kind == "projet" and facts[twin].main_sector_id in sectors[shown]
               and facts[twin].main_sector_id != facts[shown].main_sector_id]
    if changes:
        conn.execute(update(_M).where(_M.c.pk == bindparam("b_pk")).values(main_sector_id=bindparam("main_sector_id")),
                     changes)
    return len(changes)


def _sharing_codes(conn: Connection, pks: list[int]) -> list[int]:
    """The fiches citing one of the current ROME codes of ``pks``."""
    current = _MR.c.is_legacy.is_(False)
    codes = sorted({row.code for row in _rows_in(conn, select(_MR.c.code).where(current), _MR.c.metier_pk, pks)})
    return sorted({row.metier_pk for row in _rows_in(conn, select(_MR.c.metier_pk).where(current), _MR.c.code, codes)})


def _rows_in(conn: Connection, query: Any, column: Any, keys: Sequence[Any]) -> Iterator[Any]:
    """The rows of ``query`` where ``column`` is one of ``keys``, asked :data:`_CHUNK` keys at a
    time (SQLite limits the parameters of one statement)."""
    for start in range(0, len(keys), _CHUNK):  # fetched at once: row by row cost ≈ 2 µs each (25,000 per import)
        yield from conn.execute(query.where(column.in_(keys[start:start + _CHUNK]))).all()


def _inherited_json(inherited: dict[str, str]) -> str | None:
    """The ``metiers.inherited`` value for ``inherited`` (None when empty)."""
    return json.dumps(inherited, ensure_ascii=False, sort_keys=True) if inherited else None


def _stated(table: Any, field: str) -> list[ColumnElement[bool]]:
    """The test keeping a list's own entries: sectors derived from a ROME code are not facts."""
    return [table.c.is_derived.is_(False)] if field == "secteurs" else []


def _pks_of(conn: Connection, ids: list[str]) -> list[int]:
    return [row.pk for row in _rows_in(conn, select(_M.c.pk), _M.c.id, ids)]


def _twin_pairs(conn: Connection, ids: list[str] | None) -> list[tuple[int, int]]:
    """(shown pk, hidden twin pk) for twins where either side is in ``ids`` (all when None)."""
    hidden = _M.alias("hidden")
    base = (select(_M.c.pk, hidden.c.pk).join(hidden, hidden.c.superseded_by == _M.c.id)
            .where(_M.c.superseded_by.is_(None)).order_by(_M.c.pk, hidden.c.pk))
    rows: list[Any]
    if ids is None:
        rows = list(conn.execute(base))
    else:  # the written fiche may be either side: asked once per side
        rows = sorted({tuple(row) for column in (_M.c.id, hidden.c.id) for row in _rows_in(conn, base, column, ids)})
    first: dict[int, int] = {}
    for shown, twin in rows:
        first.setdefault(shown, twin)  # two project fiches for one job: the first one speaks
    return sorted(first.items())


def _reset_inherited(conn: Connection, pks: Sequence[int]) -> list[int]:
    """Remove every inherited (or inferred) fact of ``pks``; returns the pks that had some."""
    reset: list[int] = []
    for pk, value in _inherited_values(conn, pks):
        kept = {f: v for f, v in inherited_fields(value).items() if v.startswith(CARRIED_PREFIX)}
        fields = [f for f, v in inherited_fields(value).items() if not v.startswith(CARRIED_PREFIX)]
        if not fields:
            continue
        values: dict[str, object] = {"inherited": _inherited_json(kept)}
        for field in fields:
            if field in SCALAR_FIELDS:
                values.update({column: None for column in SCALAR_FIELDS[field]})
            elif field in LIST_FIELDS:
                table = LIST_FIELDS[field][0]
                conn.execute(delete(table).where(table.c.metier_pk == pk, *_stated(table, field)))
        if "secteurs" in fields:
            values["main_sector_id"] = _first_sector(conn, pk)
        conn.execute(update(_M).where(_M.c.pk == pk).values(values))
        reset.append(pk)
    return reset


def _inherited_values(conn: Connection, pks: Sequence[int]) -> list[tuple[int, str | None]]:
    query = select(_M.c.pk, _M.c.inherited).where(_M.c.inherited.is_not(None))
    return [(row.pk, row.inherited) for row in _rows_in(conn, query, _M.c.pk, pks)]


def _take_from_twins(conn: Connection, pairs: list[tuple[int, int]]) -> set[int]:
    """Copy to each shown fiche the facts it lacks and its twin has; returns the shown pks that
    took something. Read and written a few statements per table for all pairs together (an
    import of 900 fiches that all have a twin stays quick)."""
    if not pairs:
        return set()
    facts = _scalar_facts(conn, sorted({pk for pair in pairs for pk in pair}))
    inherited = {shown: inherited_fields(facts[shown]["inherited"]) for shown, _ in pairs}
    values: dict[int, dict[str, object]] = {shown: {} for shown, _ in pairs}
    for shown, twin in pairs:
        mine, theirs = facts[shown], facts[twin]
        for field, group in SCALAR_FIELDS.items():
            if all(mine[c] is None for c in group) and any(theirs[c] is not None for c in group):
                values[shown].update({c: theirs[c] for c in group})
                inherited[shown][field] = str(theirs["id"])
    for field in LIST_FIELDS:
        for shown in _copy_lists(conn, field, pairs):
            inherited[shown][field] = str(facts[dict(pairs)[shown]]["id"])
    first = _first_sectors(conn, [shown for shown, _ in pairs if "secteurs" in inherited[shown]])
    changed: dict[int, dict[str, object]] = {}
    for shown, _twin in pairs:
        if "secteurs" in inherited[shown]:
            values[shown]["main_sector_id"] = first.get(shown)
        if inherited[shown] != inherited_fields(facts[shown]["inherited"]) or values[shown]:
            values[shown]["inherited"] = _inherited_json(inherited[shown])
            changed[shown] = values[shown]
    _update_metiers(conn, changed)
    return set(changed)


def _update_metiers(conn: Connection, values: dict[int, dict[str, object]]) -> None:
    """Write each métier's ``values`` (pk → column → value): one executemany per set of columns,
    not one statement per métier."""
    by_columns: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
    for pk, row in values.items():
        by_columns[tuple(sorted(row))].append({"b_pk": pk, **row})
    for columns, rows in by_columns.items():
        conn.execute(update(_M).where(_M.c.pk == bindparam("b_pk")).values({c: bindparam(c) for c in columns}), rows)


def _scalar_facts(conn: Connection, pks: list[int]) -> dict[int, Any]:
    columns = [_M.c[c] for group in SCALAR_FIELDS.values() for c in group]
    query = select(_M.c.pk, _M.c.id, _M.c.inherited, *columns)
    return {row.pk: row._mapping for row in _rows_in(conn, query, _M.c.pk, pks)}


def _copy_lists(conn: Connection, field: str, pairs: list[tuple[int, int]]) -> list[int]:
    """For each pair whose shown fiche has none of this list and whose twin has some, the
    twin's entries become the shown fiche's first ones; returns those shown pks."""
    table, columns = LIST_FIELDS[field]
    stated = _stated(table, field)
    shown_pks = [shown for shown, _ in pairs]
    having = {row.metier_pk for row in _rows_in(conn, select(table.c.metier_pk).where(*stated), table.c.metier_pk,
                                                 shown_pks)}
    wanting = [(shown, twin) for shown, twin in pairs if shown not in having]
    if not wanting:
        return []
    query = (select(table.c.metier_pk, *(table.c[c] for c in columns)).where(*stated)
             .order_by(table.c.metier_pk, table.c.position))
    theirs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows_in(conn, query, table.c.metier_pk, [twin for _, twin in wanting]):
        theirs[row[0]].append(dict(zip(columns, row[1:], strict=True)))
    taking = [(shown, twin) for shown, twin in wanting if theirs.get(twin)]
    if not taking:
        return []
    # What the shown fiches already hold (sectors derived from their ROME code) goes after.
    existing: dict[int, list[dict[str, Any]]] = defaultdict(list)
    every = select(table).where(table.c.metier_pk.in_([s for s, _ in taking])).order_by(table.c.metier_pk,
                                                                                         table.c.position)
    for row in conn.execute(every):
        existing[row.metier_pk].append(dict(row._mapping))
    extra = {"is_derived": False} if field == "secteurs" else {}
    rows: list[dict[str, Any]] = []
    for shown, twin in taking:
        fresh = [{**entry, **extra, "metier_pk": shown} for entry in theirs[twin]]
        keys = {tuple(entry[c] for c in columns) for entry in fresh}
        kept = [entry for entry in existing[shown] if tuple(entry[c] for c in columns) not in keys]
        rows += [{**entry, "position": i} for i, entry in enumerate(fresh + kept)]
    shown_taking = [shown for shown, _ in taking]
    for start in range(0, len(shown_taking), _CHUNK):
        conn.execute(delete(table).where(table.c.metier_pk.in_(shown_taking[start:start + _CHUNK])))
    conn.execute(insert(table), rows)
    return shown_taking


def _insert_first(conn: Connection, table: Any, pk: int, rows: list[dict[str, Any]], extra: dict[str, Any]) -> None:
    """Insert ``rows`` as the first entries of ``pk``'s list, moving the existing ones after them."""
    existing = [dict(r._mapping) for r in conn.execute(select(table).where(table.c.metier_pk == pk)
                                                       .order_by(table.c.position))]
    conn.execute(delete(table).where(table.c.metier_pk == pk))
    fresh = [{**row, **extra, "metier_pk": pk} for row in rows]
    merged = fresh + [{k: v for k, v in row.items()} for row in existing]
    conn.execute(insert(table), [{**row, "position": i} for i, row in enumerate(merged)])


def _first_sector(conn: Connection, pk: int) -> str | None:
    query = select(_MS.c.sector_id).where(_MS.c.metier_pk == pk).order_by(_MS.c.is_derived, _MS.c.position)
    return conn.execute(query.limit(1)).scalar()


def _first_sectors(conn: Connection, pks: Sequence[int]) -> dict[int, str]:
    """:func:`_first_sector` of each of ``pks`` (those with no sector are absent), a few
    statements for all."""
    query = select(_MS.c.metier_pk, _MS.c.sector_id).order_by(_MS.c.metier_pk, _MS.c.is_derived, _MS.c.position)
    first: dict[int, str] = {}
    for pk, sector in _rows_in(conn, query, _MS.c.metier_pk, list(pks)):
        first.setdefault(pk, sector)
    return first


# ------------------------------------------------------------------ sectors from ROME codes
def infer_sectors(conn: Connection, pks: Sequence[int] | None = None) -> list[int]:
    """Give each shown fiche with no stated sector the sectors other fiches state for its ROME code.

    For the fiche's current ROME codes in order, the sectors stated (not derived, not
    inferred) by the other fiches citing that code are counted; the most frequent one (two
    when tied) is taken from the first code that has any. Only ``pks`` are looked at (every
    shown fiche when None). Returns the pks that changed.
    """
    lacking = _fiches_without_stated_sector(conn, pks) + _fiches_with_inferred_sectors(conn, pks)
    if not lacking:
        return []
    codes = _codes_by_fiche(conn, [pk for pk, _ in lacking])
    votes = _sector_votes(conn, sorted({code for found in codes.values() for code in found}))
    # Decided in memory on each fiche's sector rows read at once, then written in a few
    # statements for all (one set of statements per fiche made large imports slow).
    rows = _sector_rows(conn, sorted({pk for pk, _ in lacking}))
    edits: dict[int, dict[str, object]] = {}
    for pk, value in lacking:
        inherited = inherited_fields(value)
        best, code = _best_sectors(codes.get(pk, ()), votes)
        before = inherited.get("secteurs", "")
        if before.startswith(INFERRED_PREFIX):
            stated = [row["sector_id"] for row in rows[pk] if not row["is_derived"]]
            if code == before[len(INFERRED_PREFIX):] and best == stated:
                continue  # inferred again as before: nothing to write
            # The inferred sectors go (a fiche with inferred sectors states none itself).
            rows[pk] = [row for row in rows[pk] if row["is_derived"]]
            inherited.pop("secteurs", None)
            edits[pk] = {"main_sector_id": _first_of(rows[pk]), "inherited": _inherited_json(inherited)}
        if best:
            # The inferred sectors become the fiche's first ones, the others follow.
            kept = [row for row in rows[pk] if row["sector_id"] not in best]
            fresh = [{"sector_id": sid, "is_derived": False} for sid in best]
            rows[pk] = [{**row, "position": i} for i, row in enumerate(fresh + kept)]
            inherited["secteurs"] = INFERRED_PREFIX + code
            edits[pk] = {"main_sector_id": best[0], "inherited": _inherited_json(inherited)}
    _replace_sector_rows(conn, {pk: rows[pk] for pk in edits})
    _update_metiers(conn, edits)
    return sorted(edits)


def _sector_rows(conn: Connection, pks: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each fiche's sector rows (sector_id, is_derived, position), in position order."""
    result: dict[int, list[dict[str, Any]]] = {pk: [] for pk in pks}
    query = select(_MS.c.metier_pk, _MS.c.sector_id, _MS.c.is_derived, _MS.c.position).order_by(
        _MS.c.metier_pk, _MS.c.position)
    for pk, sector, derived, position in _rows_in(conn, query, _MS.c.metier_pk, pks):
        result[pk].append({"sector_id": sector, "is_derived": derived, "position": position})
    return result


def _first_of(rows: list[dict[str, Any]]) -> str | None:
    """What :func:`_first_sector` reads for a fiche holding ``rows``: stated before derived."""
    ordered = sorted(rows, key=lambda row: (bool(row["is_derived"]), row["position"]))
    return str(ordered[0]["sector_id"]) if ordered else None


def _replace_sector_rows(conn: Connection, rows: dict[int, list[dict[str, Any]]]) -> None:
    """Make ``rows`` (pk → its sector rows) the whole sector list of each of those fiches."""
    pks = sorted(rows)
    for start in range(0, len(pks), _CHUNK):
        conn.execute(delete(_MS).where(_MS.c.metier_pk.in_(pks[start:start + _CHUNK])))
    fresh = [{**row, "metier_pk": pk} for pk in pks for row in rows[pk]]
    if fresh:
        conn.execute(insert(_MS), fresh)


def _best_sectors(codes: Iterable[str], votes: dict[str, Counter[str]]) -> tuple[list[str], str]:
    """The most stated sectors (two when tied) of the first code that has any, and that code."""
    for code in codes:
        # Ties broken by id, not by the order rows were written: any import order agrees.
        ranked = sorted(votes.get(code, Counter()).items(), key=lambda item: (-item[1], item[0]))
        if ranked:
            return [sid for sid, n in ranked if n == ranked[0][1]][:2], code
    return [], ""


def _fiches_with_inferred_sectors(conn: Connection, pks: Sequence[int] | None) -> list[tuple[int, str | None]]:
    query = select(_M.c.pk, _M.c.inherited).where(_M.c.superseded_by.is_(None), _M.c.inherited.like("%ROME:%"))
    return [(pk, value) for pk, value in _shown_rows(conn, query, pks)
            if inherited_fields(value).get("secteurs", "").startswith(INFERRED_PREFIX)]


def _shown_rows(conn: Connection, query: Any, pks: Sequence[int] | None) -> list[tuple[int, str | None]]:
    """(pk, inherited) rows of ``query``, for ``pks`` only unless None."""
    rows: Iterable[Any] = conn.execute(query) if pks is None else _rows_in(conn, query, _M.c.pk, pks)
    return [(row.pk, row.inherited) for row in rows]


def _fiches_without_stated_sector(conn: Connection, pks: Sequence[int] | None) -> list[tuple[int, str | None]]:
    stated = select(_MS.c.metier_pk).where(_MS.c.is_derived.is_(False))
    query = select(_M.c.pk, _M.c.inherited).where(_M.c.superseded_by.is_(None), _M.c.pk.not_in(stated))
    return _shown_rows(conn, query, pks)


def _sector_votes(conn: Connection, codes: list[str]) -> dict[str, Counter[str]]:
    """ROME code → how many fiches citing it state each sector (inferred sectors excluded)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    query = (select(_MR.c.code, _MS.c.sector_id, _M.c.inherited)
             .join(_MS, and_(_MS.c.metier_pk == _MR.c.metier_pk, _MS.c.is_derived.is_(False)))
             .join(_M, _M.c.pk == _MR.c.metier_pk).where(_MR.c.is_legacy.is_(False)))
    for code, sector, value in _rows_in(conn, query, _MR.c.code, codes):
        if not inherited_fields(value).get("secteurs", "").startswith(INFERRED_PREFIX):
            votes[code][sector] += 1
    return votes


def _codes_by_fiche(conn: Connection, pks: list[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    query = select(_MR.c.metier_pk, _MR.c.code).where(_MR.c.is_legacy.is_(False)).order_by(_MR.c.metier_pk,
                                                                                          _MR.c.position)
    for pk, code in _rows_in(conn, query, _MR.c.metier_pk, pks):
        result[pk].append(code)
    return result


# ------------------------------------------------------------------ same fiche, another source
class Snapshot(NamedTuple):
    """A fiche's facts as they were before another source rewrote it."""

    kind: str
    scalars: dict[str, dict[str, Any]]
    lists: dict[str, list[dict[str, Any]]]
    inherited: dict[str, str]


def snapshot_other_sources(conn: Connection, new_kinds: dict[int, str]) -> dict[int, Snapshot]:
    """The facts of the fiches about to be rewritten by another kind of source (pk → new kind).

    The ONISEP Markdown and Idéo XML fiches of a job share one id: importing one after the other
    rewrites the same row, and without this the Markdown fiche would erase the sectors the XML
    stated. Only fiches whose source kind changes are read.
    """
    columns = [c for group in SCALAR_FIELDS.values() for c in group]
    found: dict[int, Snapshot] = {}
    query = select(_M.c.pk, _M.c.source_kind, _M.c.inherited, *(_M.c[c] for c in columns))
    for row in _rows_in(conn, query, _M.c.pk, list(new_kinds)):
        values = row._mapping
        if values["source_kind"] == new_kinds[values["pk"]]:
            continue
        scalars = {field: {c: values[c] for c in group} for field, group in SCALAR_FIELDS.items()}
        lists = {field: _stated_rows(conn, field, values["pk"]) for field in LIST_FIELDS}
        found[values["pk"]] = Snapshot(values["source_kind"], scalars, lists, inherited_fields(values["inherited"]))
    return found


def _stated_rows(conn: Connection, field: str, pk: int) -> list[dict[str, Any]]:
    table, columns = LIST_FIELDS[field]
    query = (select(*(table.c[c] for c in columns)).where(table.c.metier_pk == pk, *_stated(table, field))
             .order_by(table.c.position))
    return [dict(row._mapping) for row in conn.execute(query)]


def carry_over(conn: Connection, snapshots: dict[int, Snapshot]) -> list[int]:
    """Give back to each rewritten fiche the facts its new source lacks and its old one stated."""
    changed: list[int] = []
    for pk, old in snapshots.items():
        current = conn.execute(select(_M).where(_M.c.pk == pk)).one()._mapping
        inherited = inherited_fields(current["inherited"])
        values: dict[str, object] = {}
        for field, group in SCALAR_FIELDS.items():
            if _carried(old, field) and all(current[c] is None for c in group) and any(
                    v is not None for v in old.scalars[field].values()):
                values.update(old.scalars[field])
                inherited[field] = old.inherited.get(field) or CARRIED_PREFIX + old.kind
        for field, rows in old.lists.items():
            if rows and _carried(old, field) and not _stated_rows(conn, field, pk):
                table = LIST_FIELDS[field][0]
                if field == "secteurs":
                    conn.execute(delete(table).where(table.c.metier_pk == pk,
                                                     table.c.sector_id.in_([r["sector_id"] for r in rows])))
                _insert_first(conn, table, pk, rows, {"is_derived": False} if field == "secteurs" else {})
                inherited[field] = old.inherited.get(field) or CARRIED_PREFIX + old.kind
        if not inherited or inherited == inherited_fields(current["inherited"]):
            continue
        if "secteurs" in inherited:
            values["main_sector_id"] = _first_sector(conn, pk)
        values["inherited"] = _inherited_json(inherited)
        conn.execute(update(_M).where(_M.c.pk == pk).values(values))
        changed.append(pk)
    return changed


def _carried(old: Snapshot, field: str) -> bool:
    """Whether the old fiche stated ``field`` itself (or had kept it from an earlier source)."""
    origin = old.inherited.get(field)
    return origin is None or origin.startswith(CARRIED_PREFIX)
