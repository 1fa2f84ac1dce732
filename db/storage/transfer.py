"""Moving a whole database between a SQLite file and a PostgreSQL server (``orientation transfert``).

:func:`transfer` copies every table of :data:`db.models.Base.metadata` — catalogue and students,
in foreign-key order, read and written in batches so memory stays flat whatever the size — from
a source database at the current schema revision into a destination that is new or empty. It is
generic: a column or a table a later migration adds is carried without a change here.

Contract: the source is only read (one consistent snapshot); the destination is prepared
(migrated to the same revision when new), filled, its sequences reset past the copied ids and
checked, all in ONE transaction: a refusal (non-empty destination, another schema revision), an
error or a checksum that differs leaves it as it was (a SQLite file created for the copy is
removed). Each table gets a row count and a SHA-256 of its rows, computed the same way on both
sides by :func:`table_digest` (rows in primary-key order, byte order for text on both engines,
values in a canonical form that does not depend on the engine).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.sql.elements import ColumnElement

from db.errors import DatabaseLocationError, UserError, environment_sentence
from db.models import Base
from db.storage.engine import READ_ONLY, make_engine, resolve_url
from db.storage.schema_version import HEAD

BATCH = 1_000  # rows read and written at a time
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableCopy:
    """One table copied: rows and checksum on each side."""

    table: str
    source_rows: int
    destination_rows: int
    source_digest: str
    destination_digest: str

    @property
    def identical(self) -> bool:
        return (self.source_rows, self.source_digest) == (self.destination_rows, self.destination_digest)


@dataclass(frozen=True)
class TransferReport:
    """What :func:`transfer` did: one :class:`TableCopy` per table; ``committed`` is False when a
    checksum differed (the destination was then left unchanged)."""

    tables: list[TableCopy]
    committed: bool

    @property
    def identical(self) -> bool:
        return all(t.identical for t in self.tables)


class _Differs(Exception):
    """Raised inside the destination's transaction to roll it back when a table differs."""


def copied_tables() -> list[Table]:
    """Every table of the schema, parents before children (the order they are copied in)."""
    return list(Base.metadata.sorted_tables)


# ------------------------------------------------------------------ the copy
def transfer(source: str, destination: str, *, batch: int = BATCH,
             progress: Callable[[TableCopy], None] | None = None) -> TransferReport:
    """Copy the database ``source`` into ``destination`` (each a SQLite path or a URL); see the
    module docstring. ``progress`` is called after each table. UserError (French, nothing
    changed) for a missing or foreign source, a source or destination at another schema
    revision, a destination that holds data, or a server that cannot be reached."""
    source_url, destination_url = _source_url(source), resolve_url(destination)
    if _same(source_url, destination_url):
        raise UserError("la source et la destination sont la même base : indiquez une autre destination")
    created = _create_file(destination_url)
    report = None
    try:
        report = _copy(source_url, destination_url, batch, progress)
        return report
    except DBAPIError as exc:  # a value the destination refuses, a server gone mid-copy, a damaged file
        log.warning("transfer failed: %s", str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__)
        reason = environment_sentence(exc) or "une valeur ou une table n'a pas pu être copiée, détail dans le journal"
        raise UserError(f"la copie a échoué ({reason}) : la destination n'a pas été modifiée") from exc
    finally:
        if created is not None and (report is None or not report.committed):
            from db.storage.files import remove_with_companions

            remove_with_companions(created)


def _copy(source_url: str, destination_url: str, batch: int,
          progress: Callable[[TableCopy], None] | None) -> TransferReport:
    source_engine = make_engine(source_url)
    destination_engine = make_engine(destination_url, foreign_keys=False)  # FK order is ours; checked at the end
    copies: list[TableCopy] = []
    try:
        with _connect(source_engine, source_url, "source") as src, \
                _connect(destination_engine, destination_url, "destination") as dst:
            src = src.execution_options(**_snapshot_options(src))
            with src.begin():
                _check_source(src)
                try:
                    with dst.begin():
                        _prepare_destination(dst)
                        for table in copied_tables():
                            copies.append(_copy_table(src, dst, table, batch))
                            if progress is not None:
                                progress(copies[-1])
                        _finish_destination(dst)
                        if not all(c.identical for c in copies):
                            raise _Differs
                except _Differs:
                    return TransferReport(copies, committed=False)
    finally:
        source_engine.dispose()
        destination_engine.dispose()
    _make_private(destination_url)
    return TransferReport(copies, committed=True)


def _copy_table(src: Connection, dst: Connection, table: Table, batch: int) -> TableCopy:
    columns = _columns(table)
    digest, rows = hashlib.sha256(), 0
    for part in _stream(src, table, batch):
        dst.execute(insert(table), [{c.key: value for c, value in zip(columns, row, strict=True)} for row in part])
        for row in part:
            digest.update(row_bytes(row))
        rows += len(part)
    copied_rows, copied_digest = table_digest(dst, table, batch)
    return TableCopy(table.name, rows, copied_rows, digest.hexdigest(), copied_digest)


def table_digest(conn: Connection, table: Table, batch: int = BATCH) -> tuple[int, str]:
    """(rows, SHA-256 hex) of ``table`` as read on ``conn``: the same figure on SQLite and on
    PostgreSQL for the same content (see :func:`row_bytes` and :func:`_order`)."""
    digest, rows = hashlib.sha256(), 0
    for part in _stream(conn, table, batch):
        for row in part:
            digest.update(row_bytes(row))
        rows += len(part)
    return rows, digest.hexdigest()


def database_digests(db: str, batch: int = BATCH) -> dict[str, tuple[int, str]]:
    """:func:`table_digest` of every copied table of the database ``db`` (path or URL), read in
    one snapshot without changing it: to compare two databases after a transfer."""
    url = _source_url(db)
    engine = make_engine(url)
    try:
        with _connect(engine, url, "source") as conn:
            conn = conn.execution_options(**_snapshot_options(conn))
            with conn.begin():
                return {t.name: table_digest(conn, t, batch) for t in copied_tables()}
    finally:
        engine.dispose()


def _columns(table: Table) -> list[Any]:
    # A computed column is the engine's own (written by the server), and so is one marked
    # "per_engine" (kept on one engine only, recomputed by _finish_destination): neither copied nor compared.
    return [c for c in table.columns if c.computed is None and not c.info.get("per_engine")]


def _stream(conn: Connection, table: Table, batch: int) -> Iterable[Sequence[Any]]:
    # Options on the statement, not the connection: the same connection then writes (executemany).
    query = select(*_columns(table)).order_by(*_order(conn, table)).execution_options(yield_per=batch)
    result = conn.execute(query)
    yield from result.partitions(batch)


def _order(conn: Connection, table: Table) -> list[ColumnElement[Any]]:
    """Primary-key order (every column for a table without one), text compared byte by byte on
    both engines (PostgreSQL's ``C`` collation is SQLite's ``BINARY``), so that the rows, and
    therefore the checksum, come in the same order from each side."""
    keys = list(table.primary_key.columns) or _columns(table)
    if conn.dialect.name != "postgresql":
        return list(keys)
    return [k.collate("C") if _is_text(k) else k for k in keys]


def _is_text(column: Any) -> bool:
    try:
        return column.type.python_type is str
    except NotImplementedError:
        return False


# ------------------------------------------------------------------ canonical rows
def row_bytes(row: Sequence[Any]) -> bytes:
    """One row as bytes that do not depend on the engine it was read from: JSON of canonical
    values (see :func:`canonical`), one line per row."""
    return (json.dumps([canonical(v) for v in row], ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def canonical(value: Any) -> Any:
    """A JSON-able form of a column value, equal for equal values whatever the engine: NULL is
    ``null``; booleans stay booleans (not 0/1); floats are written exactly (``float.hex``);
    decimals without trailing zeros; datetimes to the microsecond, an aware one in UTC; bytes
    in hex; text as it is."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return {"float": value.hex()}
    if isinstance(value, Decimal):
        return {"decimal": str(value.normalize())}
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return {"datetime": value.isoformat(timespec="microseconds")}
    if isinstance(value, (date, time)):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": bytes(value).hex()}
    return {"other": repr(value)}


# ------------------------------------------------------------------ source and destination
def _source_url(source: str) -> str:
    """The source's URL; a SQLite file must exist (it is never created, only read)."""
    if "://" not in source and not Path(source).expanduser().is_file():
        raise UserError(f"la base source « {source} » n'existe pas : vérifiez le chemin donné à --de")
    url = resolve_url(source)
    path = _sqlite_file(url)
    if path is not None and not path.is_file():
        raise UserError(f"la base source « {path} » n'existe pas : vérifiez le chemin donné à --de")
    return url


def _sqlite_file(url: str) -> Path | None:
    from db.storage.backup import sqlite_path

    return sqlite_path(url)


def _same(first: str, second: str) -> bool:
    a, b = _sqlite_file(first), _sqlite_file(second)
    if a is not None and b is not None:
        return b.exists() and a.resolve() == b.resolve()
    return make_url(first) == make_url(second)


def _create_file(url: str) -> Path | None:
    """A new, empty owner-only SQLite file for the destination (returned so that a failed copy
    removes it); None when the destination is a server or an existing file."""
    path = _sqlite_file(url)
    if path is None or path.exists():
        return None
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        from db.storage.files import os_error_sentence

        raise DatabaseLocationError(f"destination inutilisable : {os_error_sentence(exc, path)}") from exc
    return path


def _make_private(url: str) -> None:
    path = _sqlite_file(url)
    if path is not None:
        from db.storage.opening import make_private

        make_private(path)


class _connect:
    """``engine.connect()`` with a server that cannot be reached, or a file that is not a
    database, said in French (which side, never the password)."""

    def __init__(self, engine: Engine, url: str, side: str) -> None:
        self.engine, self.url, self.side = engine, url, side
        self.conn: Connection | None = None

    def __enter__(self) -> Connection:
        option = "--de" if self.side == "source" else "--vers"
        try:
            self.conn = self.engine.connect()
        except DBAPIError as exc:
            path = _sqlite_file(self.url)
            if path is not None:  # SQLite reads the file as it connects
                raise DatabaseLocationError(f"« {path} » n'est pas une base de données lisible (fichier d'un autre "
                                            f"type ?) : vérifiez le chemin donné à {option}") from exc
            if not isinstance(exc, OperationalError):
                raise
            raise DatabaseLocationError(
                f"connexion impossible à la base {self.side} « {_safe(self.url)} » : vérifiez que le serveur "
                f"est joignable et les paramètres de connexion ({option})") from exc
        return self.conn

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            self.conn.close()


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _snapshot_options(conn: Connection) -> dict[str, Any]:
    """Read the source in one consistent snapshot, taking no write lock."""
    if conn.dialect.name == "postgresql":
        return {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    return {READ_ONLY: True}  # a deferred BEGIN: one snapshot in WAL mode


def _revision(conn: Connection) -> str | None:
    from db.storage.migrate import current_revision

    return current_revision(conn)


def _check_source(src: Connection) -> None:
    try:
        revision = _revision(src)
    except DBAPIError as exc:
        raise UserError("la base source n'est pas une base de données lisible : vérifiez le chemin donné à --de") \
            from exc
    if revision is None:
        raise UserError("la base source n'est pas une base d'Orientation (aucune version de schéma) : "
                        "vérifiez le chemin donné à --de")
    if revision != HEAD:
        raise UserError(f"la base source est à la version de schéma {revision[:20]}, cette version d'Orientation "
                        f"copie la version {HEAD} : ouvrez-la d'abord avec cette version (par exemple "
                        "« orientation students list --db SOURCE ») puis recommencez")


def _prepare_destination(dst: Connection) -> None:
    """Migrate a new destination to :data:`HEAD` (in the caller's transaction); refuse one at
    another revision, or one that holds rows or foreign tables."""
    try:
        revision = _revision(dst)
    except DBAPIError as exc:
        raise UserError("la destination n'est pas une base de données utilisable (fichier d'un autre type ?) : "
                        "indiquez un nouveau fichier ou une base vide") from exc
    if revision is None:
        if inspect(dst).get_table_names():
            raise UserError("la destination contient déjà des tables d'un autre programme : rien n'a été copié. "
                            "Indiquez un nouveau fichier ou une base vide")
        _migrate(dst)
        return
    if revision != HEAD:
        raise UserError(f"la destination est à une autre version de schéma ({revision[:20]}, la source est à "
                        f"{HEAD}) : rien n'a été copié. Indiquez un nouveau fichier ou une base vide")
    for table in copied_tables():
        if dst.execute(select(text("1")).select_from(table).limit(1)).first() is not None:
            raise UserError(f"la destination n'est pas vide (la table « {table.name} » contient des lignes) : "
                            "rien n'a été copié. Indiquez un nouveau fichier ou une base vide")


def _migrate(dst: Connection) -> None:
    from alembic import command

    from db.storage.migrate import alembic_config

    config = alembic_config(dst.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = dst
    command.upgrade(config, HEAD)


def _finish_destination(dst: Connection) -> None:
    """PostgreSQL: each id sequence restarts after the largest copied id (the rows were written
    with their own ids, which sequences do not see). SQLite: every link is checked. Either: the
    ROME job titles' index of this engine is built (:func:`_index_rome_titles`)."""
    _index_rome_titles(dst)
    if dst.dialect.name == "sqlite":
        problems = dst.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise UserError(f"la copie a été annulée : {len(problems)} lien(s) incohérent(s) dans la source")
        return
    quote = dst.dialect.identifier_preparer.quote
    for table in copied_tables():
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = dst.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": quote(table.name), "c": column.name}).scalar()
        if sequence is not None:
            dst.execute(text(f"SELECT setval(:s, COALESCE((SELECT MAX({quote(column.name)}) FROM "
                             f"{quote(table.name)}), 0) + 1, false)"), {"s": sequence})


def _index_rome_titles(dst: Connection) -> None:
    """The ROME titles' index is per engine (migration 0015): SQLite's ``rome_fts`` (one row per
    code), PostgreSQL's ``search_rome`` of each métier citing a code (in its tsvector)."""
    from db.catalogue.search_index import reindex_rome
    from db.catalogue.search_match import refresh_code_fts

    if dst.dialect.name == "sqlite":
        refresh_code_fts(dst, None)
    else:
        pks = list(dst.execute(text("SELECT DISTINCT metier_pk FROM metier_rome ORDER BY metier_pk")).scalars())
        reindex_rome(dst, pks)
