"""What a new database gets at first start: the nomenclatures and the bundled starter catalogue.

The starter catalogue (``resources/catalogue/*.jsonl``) goes through exactly the same import
path as any file a counselor imports (:func:`db.catalogue.importing.write_parsed`); there is no second loader.
"""
from __future__ import annotations

import hashlib
import logging
from importlib import resources
from pathlib import Path

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from db.catalogue import nomenclature as nom
from db.catalogue.store import get_meta, set_meta
from db.storage.engine import Database
from db.errors import FicheError
from db.models import Base, InterestRow, LevelRow, Metier, SectorRow, StatutRow, Values, table_of

log = logging.getLogger(__name__)
_NOMENCLATURE_KEY = "nomenclature_version"


def catalogue_dir() -> Path:
    """The folder holding the bundled starter catalogue files."""
    return Path(str(resources.files("resources") / "catalogue"))


def _nomenclature_rows() -> dict[type[Base], list[Values]]:
    return {
        LevelRow: [{"code": lv.code, "label": lv.label, "bac_plus": lv.bac_plus, "level_2019": lv.level_2019,
                    "level_1969": lv.level_1969, "be_equivalent": lv.be} for lv in nom.LEVELS],
        InterestRow: [{"id": i.id, "label": i.label, "group_label": i.group,
                       "is_onisep": i.id in nom.ONISEP_INTEREST_IDS} for i in nom.ALL_INTERESTS],
        SectorRow: [{"id": sid, "label": label, "kind": "onisep"} for sid, label in nom.ONISEP_SECTORS]
        + [{"id": nom.ROME_SECTOR_PREFIX + code, "label": label, "kind": "rome"}
           for code, label in nom.ROME_GRANDS_DOMAINES if code not in nom.ROME_DOMAINS_AS_ONISEP],
        StatutRow: [{"id": sid, "label": label} for sid, label in nom.STATUTS],
    }


def ensure_nomenclatures(database: Database) -> None:
    """Insert or refresh the reference lists; skipped when they are already current."""
    rows = _nomenclature_rows()
    version = hashlib.sha1(repr(sorted((m.__tablename__, v) for m, v in rows.items())).encode()).hexdigest()
    with database.read() as session:
        if get_meta(session, _NOMENCLATURE_KEY) == version:
            return
    with database.write() as session:
        for model, entries in rows.items():
            table = table_of(model)  # Core table: the dict keys are column names
            key = next(iter(table.primary_key.columns))
            present = set(session.execute(select(key)).scalars())
            fresh = [e for e in entries if e[key.name] not in present]
            if fresh:
                session.execute(insert(table), fresh)
            for entry in entries:
                if entry[key.name] in present:
                    session.execute(update(table).where(key == entry[key.name]).values(**entry))
        set_meta(session, _NOMENCLATURE_KEY, version)


STARTER_KEY = "catalogue_de_depart"


def _holds_other_fiches(session: Session) -> bool:
    """Whether the catalogue holds a fiche that did not come from the starter catalogue."""
    query = (select(func.count()).select_from(Metier)
             .where(func.coalesce(Metier.source_file, "").not_like(f"{STARTER_SOURCE}/%")))
    return bool(session.execute(query).scalar_one())


STARTER_SOURCE = "catalogue de départ"


def load_starter_catalogue(database: Database, *, skip: bool = False) -> int:
    """Load the bundled catalogue into a new database (never offered before, and holding no
    fiche but the starter's own: a load interrupted by an older version is resumed — each
    file is written whole, and writing it again updates rather than duplicates). A database
    that took an older edition of the bundled catalogue gets the new one (new fiches, corrected
    facts) at its first opening by this version.

    Returns the number of fiches written. With ``skip`` the database is only marked as having
    declined it (tests and tools that want an empty catalogue), so it is not loaded later.
    """
    edition = starter_edition()  # 4 ms for 1.3 Mo: the price of noticing a new edition
    with database.read() as session:
        loaded = get_meta(session, STARTER_KEY)
        if loaded:
            if loaded == DECLINED or get_meta(session, STARTER_EDITION_KEY) == edition:
                return 0
        elif _holds_other_fiches(session):
            return 0
    if skip and not loaded:
        with database.write() as session:
            set_meta(session, STARTER_KEY, DECLINED)
        return 0
    written = _write_starter_files(database)
    with database.write() as session:
        set_meta(session, STARTER_KEY, f"{written} fiches")
        set_meta(session, STARTER_EDITION_KEY, edition)
    if loaded:
        log.info("starter catalogue updated to edition %s", edition)
    return written


STARTER_EDITION_KEY = "catalogue_de_depart_edition"
DECLINED = "non chargé"


def starter_edition() -> str:
    """A short fingerprint of the bundled catalogue files: it changes with any edit of them."""
    digest = hashlib.sha256()
    for path in sorted(catalogue_dir().glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _write_starter_files(database: Database) -> int:
    # Imported here: every command opens through this module, only a new database needs a parser.
    from db.catalogue.importers import parse_bytes
    from db.catalogue.importing import write_parsed

    written = 0
    for path in sorted(catalogue_dir().glob("*.jsonl")):
        try:
            parsed = parse_bytes(path.read_bytes(), path.name)
        except FicheError as exc:  # a broken bundled file is a bug: keep the others usable
            log.error("starter catalogue file %s refused: %s", path.name, exc.message)
            continue
        result = write_parsed(database, parsed, f"{STARTER_SOURCE}/{path.name}")
        written += result.created + result.updated
    return written
