"""Import files and folders of fiches: parse, then write each file in one transaction.

A file is imported whole or not at all: its records are written in a single transaction that
is rolled back on any error, so a refused file leaves the database exactly as it was.
Parsing happens before the transaction opens (parsers never touch the database), which keeps
the write lock short when a counselor's window is using the same file.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.catalogue.archives import ArchiveMember
from db.catalogue.import_sources import (FileResult, ImportSummary, Prepared, Source, expand_paths, prepare,
                                         source_name, sources)
from db.catalogue.formations import FormationWrite, upsert_formations
from db.catalogue.store import KnownIds, WriteCounts, upsert_batch, upsert_records
from db.storage import bulk_writes
from db.storage.engine import Database
from db.errors import DatabaseBusyError, UserError, environment_sentence
from db.models import ImportLog, Values, table_of
from db.catalogue.records import ParsedFile
from db.catalogue.rome import write_rome_reference

__all__ = ["FileResult", "ImportSummary", "Prepared", "Source", "expand_paths", "import_file", "import_paths",
           "prepare", "sources", "write_parsed"]
log = logging.getLogger(__name__)

def import_file(database: Database, path: Path, *, dry_run: bool = False) -> FileResult:
    """Parse and write one file in one transaction; never raises for a bad file."""
    return import_paths(database, [path], dry_run=dry_run).files[0]


def _write_in(session: Session, parsed: ParsedFile, source_file: str, now: datetime,
              cache: KnownIds | None = None, rome_codes: set[str] | None = None) -> FileResult:
    """Write one parsed file in ``session``. With ``rome_codes``, the ROME codes its reference
    data touched are added there and the métiers citing them are left for the caller to
    refresh once for the whole import (:func:`_refresh_rome`); without, they are refreshed here."""
    # A file of reference data only (ROME) writes no métier: no twin or inheritance pass either.
    counts = upsert_records(session, parsed.records, source_file, now, cache=cache) if parsed.records \
        else WriteCounts()
    if parsed.formations:
        written = upsert_formations(session, parsed.formations, now)
        counts.created += sum(1 for s in written.status.values() if s == "created")
        counts.updated += sum(1 for s in written.status.values() if s == "updated")
        parsed.notes.extend(_unmatched_notes(written))
    if parsed.rome is not None:
        touched = write_rome_reference(session, parsed.rome, refresh=rome_codes is None)
        if rome_codes is not None:
            rome_codes |= touched
    session.execute(insert(table_of(ImportLog)).values(
        source_file=source_file, format_name=parsed.format_name, imported_at=now,
        created=counts.created, updated=counts.updated))
    status = "mis à jour" if counts.updated and not counts.created else "importé"
    return FileResult(source_file, status, parsed.format_name, counts.created, counts.updated, notes=parsed.notes)


def _unmatched_notes(written: FormationWrite, ids: set[str] | None = None) -> list[str]:
    """French notes: the "Métiers associés" of a formation fiche that no métier answers to."""
    return [f"{fid} : métier(s) associé(s) sans fiche dans le catalogue : {', '.join(labels[:5])}"
            + (f" (et {len(labels) - 5} autre(s))" if len(labels) > 5 else "")
            for fid, labels in written.unmatched.items() if ids is None or fid in ids]


def write_parsed(database: Database, parsed: ParsedFile, source_file: str) -> FileResult:
    """Write one parsed file in a single transaction (rolled back whole on error)."""
    with database.write_catalogue() as session:
        return _write_in(session, parsed, source_file, datetime.now())


def import_paths(database: Database, paths: Iterable[str | Path], *, dry_run: bool = False,
                 progress: Callable[[int, int, str], bool] | None = None,
                 prepared: Prepared | None = None) -> ImportSummary:
    """Import every file under ``paths``. ``progress(done, total, name)`` may return False to stop.

    Each file is written under its own SAVEPOINT, so a file is imported whole or not at all;
    files are committed in groups (at most :data:`GROUP_SECONDS` of work) so that a folder of
    893 fiches does not pay 893 commits, while a counselor's window waiting to save never
    waits longer than one group. A file's result is reported only once its group committed.
    ``prepared``: what :func:`prepare` made of ``paths`` before the database was opened (its
    parsing child already at work); it is closed here, whatever happens.
    """
    try:
        if not dry_run:
            from db.storage.office import check_catalogue_writable

            check_catalogue_writable(database)  # an office server's counselor: one sentence, not a failed import
        prepared = prepared or prepare(paths, dry_run=dry_run)
    except BaseException:
        if prepared is not None:
            prepared.close()
        raise
    files = prepared.files
    summary = ImportSummary()
    rome_codes: set[str] = set()  # ROME codes whose métiers are refreshed once, at the end
    position = 0
    try:
        while position < len(files):
            try:
                done, stopped = _import_group(database, files, position, dry_run, progress, summary, rome_codes,
                                              prepared.parse)
            except (SQLAlchemyError, DatabaseBusyError) as exc:  # full disk, a lock held too long: the rest stays
                summary.interrupted = _interruption(exc)
                summary.not_done = len(files) - position
                log.warning("import interrupted after %d files", position)
                break
            except KeyboardInterrupt:  # Ctrl+C: the group being written is rolled back, the rest stays
                summary.interrupted = "arrêté à votre demande (Ctrl+C)"
                summary.not_done = len(files) - position
                break
            position += done
            if stopped:
                break
    finally:
        prepared.close()
        if not dry_run:
            bulk_writes.narrow(database)
    if rome_codes:
        _refresh_rome(database, rome_codes, summary)
    if progress is not None:
        progress(len(summary.files), len(files), "")
    return summary


def _refresh_rome(database: Database, codes: set[str], summary: ImportSummary) -> None:
    """Refresh, once for the whole import, the métiers citing the ROME ``codes`` written (their
    ROME job titles become searchable), :data:`REFRESH_CHUNK` métiers per short transaction.
    The ROME rows are committed by then: if this is cut short, importing again completes it."""
    from db.catalogue.rome import refresh_codes
    from db.catalogue.search_index import reindex_rome

    try:
        with database.write_catalogue() as session:  # a few statements (SQLite: the whole refresh)
            pks = refresh_codes(session, codes)
        for start in range(0, len(pks), REFRESH_CHUNK):  # PostgreSQL: the métiers' search_rome
            with database.write_catalogue() as session:
                reindex_rome(session.connection(), pks[start:start + REFRESH_CHUNK])
    except (SQLAlchemyError, DatabaseBusyError) as exc:
        log.warning("ROME refresh interrupted")
        summary.interrupted = summary.interrupted or _interruption(exc)


GROUP_SECONDS = 0.25
GROUP_MAX_FILES = 64  # and at most this many files: a failure (full disk) loses one small group


def _interruption(exc: Exception) -> str:
    if isinstance(exc, DatabaseBusyError):
        return exc.message.split(" : ")[0]
    return environment_sentence(exc) or "écriture impossible dans la base (détail dans le journal)"


def _import_group(database: Database, files: list[Source], start: int, dry_run: bool,
                  progress: Callable[[int, int, str], bool] | None, summary: ImportSummary,
                  rome_codes: set[str], parse: Callable[[Source], ParsedFile | FileResult]) -> tuple[int, bool]:
    """Import files from ``start`` in one transaction; returns (files handled, stopped by the user)."""
    results: list[FileResult | tuple[Path | ArchiveMember, ParsedFile]] = []
    began = time.perf_counter()
    stopped = False
    for path in files[start:]:
        done = len(summary.files) + len(results)
        if progress is not None and progress(done, len(files), source_name(path)) is False:
            stopped = True
            break
        parsed = parse(path)
        if isinstance(parsed, FileResult):
            results.append(parsed)
        elif dry_run:
            results.append(FileResult(str(path), "vérifié", parsed.format_name,
                                      created=len(parsed.records) + len(parsed.formations),
                                      notes=parsed.notes))
        else:
            assert not isinstance(path, FileResult)  # parse_source returns a refused source as it is
            results.append((path, parsed))
        if time.perf_counter() - began > GROUP_SECONDS or len(results) >= GROUP_MAX_FILES:
            break
    pending = [item for item in results if isinstance(item, tuple) and not _big_reference(item[1])]
    written = _write_group(database, pending, rome_codes) if pending else {}
    for item in results:
        if isinstance(item, tuple) and _big_reference(item[1]):
            written[str(item[0])] = _write_reference_in_chunks(database, item[1], str(item[0]), rome_codes)
    summary.files.extend(written[str(item[0])] if isinstance(item, tuple) else item for item in results)
    return len(results), stopped


# ROME rows per transaction: a save waiting meanwhile waits well under 2 s. Written by the driver in
# bulk, the 13,120 job titles take ≈ 50 ms: the real file goes in one transaction, with the other files.
REFERENCE_CHUNK_ROWS = 20_000
REFRESH_CHUNK = 200  # métiers refreshed per transaction


def _big_reference(parsed: ParsedFile) -> bool:
    rome = parsed.rome
    return rome is not None and len(rome.codes) + len(rome.appellations) > REFERENCE_CHUNK_ROWS


def _write_reference_in_chunks(database: Database, parsed: ParsedFile, name: str,
                               rome_codes: set[str]) -> FileResult:
    """Write a large ROME table in short transactions, so that a counselor's window saving
    meanwhile never waits long for the write lock; the codes it touched are added to
    ``rome_codes`` (their métiers are refreshed at the end of the import, also in short
    transactions). Reference data is merged by code, so an import cut short is completed by
    importing the file again (the summary then says what was not done)."""
    from db.catalogue.records import RomeReference

    rome = parsed.rome
    assert rome is not None
    rows = rome.appellations
    pieces = [RomeReference(rome.version, rome.codes, [])] + [
        RomeReference(rome.version, [], rows[i:i + REFERENCE_CHUNK_ROWS])
        for i in range(0, len(rows), REFERENCE_CHUNK_ROWS)]
    for piece in pieces:
        with database.write_catalogue() as session:
            rome_codes |= write_rome_reference(session, piece, refresh=False)
    with database.write_catalogue() as session:
        session.execute(insert(table_of(ImportLog)).values(
            source_file=name, format_name=parsed.format_name, imported_at=datetime.now(), created=0, updated=0))
    return FileResult(name, "importé", parsed.format_name, 0, 0, notes=parsed.notes)


def _write_group(database: Database, pending: list[tuple[Path | ArchiveMember, ParsedFile]],
                 rome_codes: set[str]) -> dict[str, FileResult]:
    """Write parsed files in one transaction: all together when they are plain fiches (the fast
    path), else — or if that fails — each under its own savepoint, so a bad file alone is refused."""
    with database.write_catalogue() as session:
        bulk_writes.widen(session)
        cache: KnownIds = {}
        if all(parsed.rome is None for _, parsed in pending) and len(pending) > 1:
            try:
                with session.begin_nested():
                    return _write_together(session, pending, cache)
            except (UserError, SQLAlchemyError):
                cache.clear()  # fall back to one savepoint per file
        return {str(path): _write_one(session, parsed, str(path), cache, rome_codes) for path, parsed in pending}


def _write_together(session: Session, pending: list[tuple[Path | ArchiveMember, ParsedFile]],
                    cache: KnownIds) -> dict[str, FileResult]:
    now = datetime.now()
    status = upsert_batch(session, [(r, str(path)) for path, parsed in pending for r in parsed.records], now, cache)
    written = upsert_formations(session, [f for _, parsed in pending for f in parsed.formations], now)
    status.update(written.status)
    results: dict[str, FileResult] = {}
    logs: list[Values] = []
    for path, parsed in pending:
        items = [r.id for r in parsed.records] + [f.id for f in parsed.formations]
        created = sum(1 for item in items if status.get(item) == "created")
        updated = len(items) - created
        parsed.notes.extend(_unmatched_notes(written, {f.id for f in parsed.formations}))
        label = "mis à jour" if updated and not created else "importé"
        results[str(path)] = FileResult(str(path), label, parsed.format_name, created, updated, notes=parsed.notes)
        logs.append({"source_file": str(path), "format_name": parsed.format_name, "imported_at": now,
                     "created": created, "updated": updated})
    session.execute(insert(table_of(ImportLog)), logs)
    return results


def _write_one(session: Session, parsed: ParsedFile, name: str, cache: KnownIds,
               rome_codes: set[str]) -> FileResult:
    try:
        with session.begin_nested():
            return _write_in(session, parsed, name, datetime.now(), cache, rome_codes)
    except UserError as exc:
        cache.clear()  # rows the rolled-back file added are gone again
        return FileResult(name, "refusé", parsed.format_name, reason=exc.message)
    except SQLAlchemyError:
        log.exception("database error while importing %s", name)
        cache.clear()
        return FileResult(name, "refusé", parsed.format_name,
                          reason="écriture impossible dans la base (voir le journal)")
