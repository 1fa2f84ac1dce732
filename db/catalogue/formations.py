"""Formations in the catalogue: writing formation fiches, their links to métiers, search and show.

:func:`upsert_formations` stores parsed formation fiches inside the caller's transaction (a
formation a métier fiche already cited by its ``FOR.n`` id gains its facts, nothing is lost).
Links go both ways: a métier fiche cites formation ids (``metier_formations``), a formation
fiche names métiers by label (``formation_metiers``), matched to métiers on their name, both
genders and synonyms, accents and case ignored. Qt-free.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from db.catalogue.formation_types import (FormationType, parse_level, parse_years, type_by_code, type_of_label,
                                          type_of_onisep)
from db.catalogue.records import FormationRecord
from db.errors import UserError
from db.models import (FormationMetierLabel, FormationRow, Metier, MetierFormation, MetierSynonym, Values,
                       table_of)
from db.text import fold

_F = table_of(FormationRow)
_FM = table_of(FormationMetierLabel)


@lru_cache(maxsize=65_536)  # the métiers' labels are folded again for every group of files
def label_key(label: str | None) -> str:
    """The folded form labels are matched on ("Chef/fe de cuisine" → "chef/fe de cuisine")."""
    return " ".join(fold(label).split())


@dataclass
class FormationWrite:
    """What :func:`upsert_formations` did: per-id status, and métier labels no métier answers to."""

    status: dict[str, str] = field(default_factory=dict)  # id → "created" | "updated"
    unmatched: dict[str, list[str]] = field(default_factory=dict)  # id → labels


def _values(record: FormationRecord, now: datetime) -> Values:
    ftype = type_of_onisep(record.type_text) or type_of_label(record.label)
    return {"label": record.label, "label_key": label_key(record.label), "sigle": record.sigle,
            "type_text": record.type_text, "type_code": ftype.code if ftype else None,
            "level": parse_level(record.level_text), "years": parse_years(record.years_text),
            "access_text": record.access_text, "next_text": record.next_text,
            "source_kind": record.source_kind, "source_date": record.source_date or now.date().isoformat()}


def upsert_formations(session: Session, records: Iterable[FormationRecord], now: datetime) -> FormationWrite:
    """Insert or update formation rows and replace their métier labels (caller's transaction)."""
    records = list({r.id: r for r in records}.values())
    result = FormationWrite()
    if not records:
        return result
    ids = [r.id for r in records]
    known = set(session.execute(select(FormationRow.id).where(FormationRow.id.in_(ids))).scalars())
    rows = {r.id: _values(r, now) for r in records}
    new = [{"id": fid, **values} for fid, values in rows.items() if fid not in known]
    if new:
        session.execute(insert(_F), new)
    for fid in known:
        session.execute(update(_F).where(_F.c.id == fid).values(**rows[fid]))
    session.execute(delete(_FM).where(_FM.c.formation_id.in_(ids)))
    links: list[Values] = [{"formation_id": r.id, "position": n, "label": label, "label_key": label_key(label)}
             for r in records for n, label in enumerate(r.metier_labels)]
    if links:
        session.execute(insert(_FM), links)
    names = metier_label_keys(session, {str(link["label_key"]) for link in links})
    for r in records:
        result.status[r.id] = "updated" if r.id in known else "created"
        missing = [label for label in r.metier_labels if label_key(label) not in names]
        if missing:
            result.unmatched[r.id] = missing
    return result


def metier_label_keys(session: Session, keys: set[str]) -> dict[str, str]:
    """Of ``keys`` (folded labels), those a métier answers to, each with that métier's id.

    A métier answers to its name, its feminine and masculine labels and its synonyms' (a name
    first, then a synonym; the first métier in name order wins)."""
    if not keys:
        return {}
    index = _label_index(session)
    return {key: index[key] for key in keys if key in index}


_INDEX_CACHE: dict[str, tuple[tuple[object, ...], dict[str, str]]] = {}


def _label_index(session: Session) -> dict[str, str]:
    """Folded label → métier id of every shown métier; rebuilt only when the métiers changed
    (a folder of 2,342 formation fiches is written in ~40 groups that would each rebuild it)."""
    stamp = tuple(session.execute(text(
        "SELECT (SELECT count(*) FROM metiers), (SELECT max(pk) FROM metiers), (SELECT max(imported_at) FROM metiers), "
        "(SELECT count(*) FROM metiers WHERE superseded_by IS NULL), (SELECT count(*) FROM metier_synonyms)")).one())
    engine = session.connection().engine
    url = f"{engine.url}#{id(engine)}"  # two in-memory databases share a URL, never an engine
    cached = _INDEX_CACHE.get(url)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    index: dict[str, str] = {}
    shown = Metier.superseded_by.is_(None)
    names = select(Metier.id, Metier.name, Metier.label_f, Metier.label_m).where(shown).order_by(Metier.sort_key)
    synonyms = (select(Metier.id, MetierSynonym.name, MetierSynonym.label_f, MetierSynonym.label_m)
                .join(MetierSynonym, MetierSynonym.metier_pk == Metier.pk).where(shown).order_by(Metier.sort_key))
    for query in (names, synonyms):
        for metier_id, *labels in session.execute(query):
            for label in labels:
                if label:
                    index.setdefault(label_key(label), metier_id)
    _INDEX_CACHE.clear()
    _INDEX_CACHE[url] = (stamp, index)
    return index


# ------------------------------------------------------------------ reading
def onisep_attribution(source_date: str | None) -> str:
    """French credit line the ODbL asks for where formation fiches' content is shown."""
    day = ""
    if source_date and len(source_date) == 10:
        day = f" du {source_date[8:10]}/{source_date[5:7]}/{source_date[:4]}"
    return f"Source : Onisep, Idéo-Fiches formations{day} (licence ODbL)"


@dataclass
class FormationView:
    """A formation as the CLI and the window show it."""

    id: str
    label: str
    type_label: str
    level: int | None
    years: int | None
    sigle: str | None = None
    access_text: str | None = None
    next_text: str | None = None
    metiers: list[tuple[str | None, str]] = field(default_factory=list)  # (métier id or None, label)
    source: str | None = None
    usual_path: str = ""  # French, from the project's type table: "Se prépare d'habitude après la 3e…"


ENTRY_WORDS = {"3e": "après la 3e", "cap": "après un CAP", "bac": "après le bac", "bac+2": "après un bac + 2",
               "bac+3": "après un bac + 3 (licence)", "bac+5": "après un bac + 5 (master)"}


def usual_path(row: FormationRow) -> str:
    """French: how this kind of diploma is usually reached and prepared, from the project's type
    table (``resources/formations/types.tsv``); "" when the type is not known."""
    ftype = _type_of(row)
    if ftype is None:
        return ""
    years = row.years or ftype.years
    duration = f" en {years} an{'s' if years > 1 else ''}" if years else ""
    before = f" ({ftype.before} d'abord)" if ftype.before else ""
    apprenticeship = " ; possible en apprentissage" if ftype.apprenticeship else ""
    return (f"{ftype.label} : se prépare d'habitude{duration} {ENTRY_WORDS.get(ftype.entry, '')}{before}"
            f"{apprenticeship}.").replace("  ", " ").replace(" .", ".")


def _type_of(row: FormationRow) -> FormationType | None:
    """The row's type: the code recorded at import, else the ONISEP "Type", else the label's beginning."""
    return (type_by_code(row.type_code) if row.type_code else None) or type_of_onisep(row.type_text) \
        or type_of_label(row.label)


def _type_label(row: FormationRow) -> str:
    ftype = _type_of(row)
    return row.type_text or (ftype.label if ftype else "")


def _brief(row: FormationRow) -> FormationView:
    """The row as listed: a level and a duration known from its type when the fiche gives none."""
    ftype = _type_of(row)
    level = row.level or (ftype.level if ftype else None)
    years = row.years or (ftype.years if ftype else None)
    return FormationView(row.id, row.label, _type_label(row), level, years, row.sigle)


def search_formations(session: Session, text: str = "", type_code: str | None = None,
                      level: int | None = None, limit: int = 50) -> list[FormationView]:
    """Formations whose label holds every word of ``text`` (accents, case ignored), of a type
    (its code in ``resources/formations/types.tsv``) and a 2019 level when given, by label. A
    formation known by its label only (the starter catalogue) has the type its label names."""
    query = select(FormationRow).order_by(FormationRow.label_key)
    for word in label_key(text).split():
        query = query.where(FormationRow.label_key.contains(word, autoescape=True))
    found: dict[str, tuple[FormationRow, FormationView]] = {}
    # Type and level are read per row: a label-only formation has no code or level in the table
    # (a few thousand formations at most, already narrowed by the words).
    for row in session.execute(query).scalars():
        ftype = _type_of(row)
        if type_code and (ftype is None or ftype.code != type_code.upper()):
            continue
        view = _brief(row)
        if level is not None and view.level != level:
            continue
        key = row.label_key or row.id
        kept = found.get(key)
        if kept is None or (row.source_kind and not kept[0].source_kind):  # the ONISEP fiche over its label
            found[key] = (row, view)
        if len(found) > limit:
            break
    return [view for _, view in found.values()][:limit]


def show_formation(session: Session, formation_id: str) -> FormationView:
    """One formation with the métiers it leads to: those its fiche names (linked when a métier
    answers to the label) and those whose fiche cites it. UserError for an unknown id."""
    row = session.get(FormationRow, formation_id)
    if row is None:
        raise UserError(f"aucune formation n'a l'identifiant « {formation_id[:80]} »")
    labels = list(session.execute(select(FormationMetierLabel.label, FormationMetierLabel.label_key)
                                  .where(FormationMetierLabel.formation_id == formation_id)
                                  .order_by(FormationMetierLabel.position)))
    ids = metier_label_keys(session, {key for _, key in labels})
    metiers: list[tuple[str | None, str]] = [(ids.get(key), label) for label, key in labels]
    seen = {m for m, _ in metiers if m}
    for metier_id, name in session.execute(
            select(Metier.id, Metier.name).join(MetierFormation, MetierFormation.metier_pk == Metier.pk)
            .where(MetierFormation.formation_id == formation_id, Metier.superseded_by.is_(None))
            .order_by(Metier.sort_key)):
        if metier_id not in seen:
            metiers.append((metier_id, name))
    source = onisep_attribution(row.source_date) if row.source_kind else None
    brief = _brief(row)
    return FormationView(row.id, row.label, brief.type_label, brief.level, brief.years, row.sigle,
                         row.access_text, row.next_text, metiers, source, usual_path(row))


@dataclass
class LinkRates:
    """How well formations and métiers find each other (figures for tests and the bench)."""

    metier_refs: int = 0  # formation citations of métier fiches
    metier_refs_described: int = 0  # … that reach an imported formation fiche (by id or label)
    formation_labels: int = 0  # "Métiers associés" of formation fiches
    formation_labels_linked: int = 0  # … that a métier answers to

    def sentence(self) -> str:
        """French summary line."""
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:.1f} %" if b else "—"
        return (f"formations citées par les métiers et décrites : {self.metier_refs_described}/{self.metier_refs} "
                f"({pct(self.metier_refs_described, self.metier_refs)}) ; métiers associés reliés à un métier : "
                f"{self.formation_labels_linked}/{self.formation_labels} "
                f"({pct(self.formation_labels_linked, self.formation_labels)})")


def link_rates(session: Session) -> LinkRates:
    """Both link rates over the whole catalogue (shown métiers only)."""
    rates = LinkRates()
    described = {fid: key for fid, key in session.execute(
        select(FormationRow.id, FormationRow.label_key).where(FormationRow.type_text.is_not(None)))}
    described_keys = set(described.values())
    for fid, key in session.execute(
            select(FormationRow.id, FormationRow.label_key)
            .join(MetierFormation, MetierFormation.formation_id == FormationRow.id)
            .join(Metier, Metier.pk == MetierFormation.metier_pk).where(Metier.superseded_by.is_(None))):
        rates.metier_refs += 1
        rates.metier_refs_described += fid in described or key in described_keys
    keys = [key for (key,) in session.execute(select(FormationMetierLabel.label_key))]
    linked = metier_label_keys(session, set(keys))
    rates.formation_labels = len(keys)
    rates.formation_labels_linked = sum(1 for key in keys if key in linked)
    return rates
