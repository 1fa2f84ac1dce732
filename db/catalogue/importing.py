"""Import files and folders of fiches: parse, then write each file in one transaction.

A file is imported whole or not at all: its records are written in a single transaction that
is rolled back on any error, so a refused file leaves the database exactly as it was.
Parsing happens before the transaction opens (parsers never touch the database), which keeps
the write lock short when a counselor's window is using the same file.
"""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.catalogue.archives import ARCHIVE_SUFFIXES, ArchiveMember, is_archive, read_archive
from db.catalogue.formations import FormationWrite, upsert_formations
from db.catalogue.store import KnownIds, WriteCounts, upsert_batch, upsert_records
from db.storage import bulk_writes
from db.storage.engine import Database
from db.storage.files import read_bounded
from db.errors import DatabaseBusyError, FicheError, UserError, environment_sentence
from db.catalogue.importers import MAX_FILE_BYTES, parse_bytes, parse_path
from db.models import ImportLog, Values, table_of
from db.catalogue.records import ParsedFile
from db.catalogue.rome import write_rome_reference
from db.catalogue.search_text import own_text

if TYPE_CHECKING:
    from db.catalogue.parse_ahead import ParseAhead

log = logging.getLogger(__name__)

# Files a folder import skips silently (not fiches).
_SKIPPED_NAMES = {"readme.md", "source.md", "licence", "license", ".ds_store", "thumbs.db"}


@dataclass
class FileResult:
    """What happened to one file. ``status`` is "importé", "mis à jour", "vérifié" (dry run) or "refusé"."""

    path: str
    status: str
    format_name: str | None = None
    created: int = 0
    updated: int = 0
    reason: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.status == "refusé"

    def line(self) -> str:
        """One French line for the summary."""
        if self.refused:
            return f"{self.path} : refusé — {self.reason}"
        if self.status == "vérifié":  # nothing written: the fiches are only read
            return f"{self.path} : vérifié ({self.format_name} ; {self.created} fiche(s) lue(s))"
        detail = f"{self.created} nouvelle(s) fiche(s), {self.updated} mise(s) à jour"
        return f"{self.path} : {self.status} ({self.format_name} ; {detail})"


@dataclass
class ImportSummary:
    """Per-file results and totals of one import run."""

    files: list[FileResult] = field(default_factory=list)
    interrupted: str | None = None  # French: why the import stopped before the end (files above are committed)
    not_done: int = 0  # files never reached because of the interruption
    dry_run: bool = False  # only checked: nothing was written

    @property
    def refused(self) -> int:
        return sum(1 for f in self.files if f.refused)

    @property
    def created(self) -> int:
        return sum(f.created for f in self.files)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.files)

    def total_line(self) -> str:
        ok = len(self.files) - self.refused
        if self.dry_run:
            total = (f"Total : {len(self.files)} fichier(s), {ok} accepté(s), {self.refused} refusé(s) ; "
                     f"{self.created} fiche(s) lue(s). Rien n'a été enregistré (vérification seulement).")
            if self.interrupted:
                total += (f"\nVérification interrompue : {self.interrupted}. {self.not_done} fichier(s) n'ont pas "
                          "été vérifiés.")
            return total
        total = (f"Total : {len(self.files)} fichier(s), {ok} accepté(s), {self.refused} refusé(s) ; "
                 f"{self.created} fiche(s) créée(s), {self.updated} mise(s) à jour.")
        if self.interrupted:  # a big folder lists only some files: the count says what is kept
            total += (f"\nImport interrompu : {self.interrupted}. Les {ok} fichier(s) accepté(s) sont enregistrés ; "
                      f"{self.not_done} fichier(s) n'ont pas été importés : relancez l'import pour eux.")
        return total


def expand_paths(paths: Iterable[str | Path], unreadable: list[Path] | None = None) -> list[Path]:
    """Files named directly, plus every file under the folders named (recursively, sorted).

    A sub-folder that cannot be listed (no permission) is skipped and added to ``unreadable``:
    one such folder must not stop the import of all the others. Links to folders are not
    followed (a loop, or a walk out of the folder named)."""
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            result.append(path)
            continue
        found: list[Path] = []
        for folder, dirs, files in os.walk(path, onerror=lambda exc: _note(unreadable, exc)):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found.extend(Path(folder, name) for name in files)
        wanted = (p for p in sorted(found) if p.name.lower() not in _SKIPPED_NAMES and not p.name.startswith("."))
        result.extend(p for p in wanted if _is_file(p, unreadable))
    return result


def _is_file(path: Path, unreadable: list[Path] | None) -> bool:
    try:
        return path.is_file()
    except OSError as exc:  # a link to a folder of another account (EACCES on stat)
        _note(unreadable, exc)
        return False


def _note(unreadable: list[Path] | None, exc: OSError) -> None:
    if unreadable is not None and exc.filename:
        unreadable.append(Path(exc.filename))


# What an import walks through: a file on disk, a member of an archive read in memory, or an
# archive already refused whole (its FileResult).
Source = Path | ArchiveMember | FileResult


def sources(paths: Iterable[str | Path]) -> list[Source]:
    """The files under ``paths`` (:func:`expand_paths`), each archive of fiches replaced by its
    members read in memory — or, when it is unreadable or unsafe, by one refused result: an
    archive is checked whole before anything of it is written."""
    unreadable: list[Path] = []
    result: list[Source] = []
    for path in expand_paths(paths, unreadable):
        if not path.name.lower().endswith(ARCHIVE_SUFFIXES):
            result.append(path)
            continue
        try:
            data = read_bounded(path, MAX_FILE_BYTES, "l'archive")
            if not is_archive(path.name, data):
                result.append(path)  # a ZIP holding one Idéo XML export: its importer reads it
                continue
            members = read_archive(data, str(path))
        except (FicheError, UserError) as exc:
            result.append(FileResult(str(path), "refusé", reason=exc.message))
            continue
        if not members:
            result.append(FileResult(str(path), "refusé", reason="archive sans aucune fiche"))
        result.extend(members)
    result += [FileResult(str(folder), "refusé", reason="illisible (droits insuffisants) : rien n'en est importé ; "
                          "copiez les fiches dans un dossier à vous") for folder in unreadable]
    return result


def _source_name(source: Source) -> str:
    return Path(source.path).name if isinstance(source, FileResult) else source.name


def _parse(path: Source) -> ParsedFile | FileResult:
    """The parsed file, or the FileResult saying why it is refused (never raises)."""
    if isinstance(path, FileResult):
        return path
    try:
        if isinstance(path, ArchiveMember):
            return parse_bytes(path.data, path.name)
        return parse_path(path)
    except FicheError as exc:
        return FileResult(str(path), "refusé", reason=exc.message)
    except Exception:  # a parser bug must not abort a whole folder import
        log.exception("parser failure on %s", path)
        return FileResult(str(path), "refusé", reason="erreur interne en lisant ce fichier (voir le journal)")


PARSE_AHEAD = True  # False: every file is parsed in this process (see _parse_ahead)


def _parse_ahead(files: list[Source], dry_run: bool) -> ParseAhead[Source, ParsedFile | FileResult] | None:
    """A child process parsing ``files`` (and computing their records' own indexed text) while
    this one writes them, when that can help: a write, enough files, fork available (see
    :mod:`db.catalogue.parse_ahead`); else None (parsed here, one by one)."""
    from db.catalogue import parse_ahead

    if dry_run or not PARSE_AHEAD or len(files) < parse_ahead.MIN_FILES or not parse_ahead.available():
        return None
    if any(_source_name(source).lower().endswith(".csv") for source in files):
        # The ROME tables: parsed fast, into large results that cost more to pass from the child
        # than to parse here (the ROME folder: 0.47 s imported with a child, 0.36 s without).
        return None
    try:
        return parse_ahead.ParseAhead(files, _parse_for_writing)
    except OSError:  # no process can be started (limits, memory): parse here
        log.warning("parse-ahead process not started", exc_info=True)
        return None


def _parse_for_writing(source: Source) -> ParsedFile | FileResult:
    """:func:`_parse`, and the records' own indexed text (what the writer would compute)."""
    parsed = _parse(source)
    if isinstance(parsed, ParsedFile):
        for record in parsed.records:
            record.indexed = own_text(record)
    return parsed


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
                 progress: Callable[[int, int, str], bool] | None = None) -> ImportSummary:
    """Import every file under ``paths``. ``progress(done, total, name)`` may return False to stop.

    Each file is written under its own SAVEPOINT, so a file is imported whole or not at all;
    files are committed in groups (at most :data:`GROUP_SECONDS` of work) so that a folder of
    893 fiches does not pay 893 commits, while a counselor's window waiting to save never
    waits longer than one group. A file's result is reported only once its group committed.
    """
    if not dry_run:
        from db.storage.office import check_catalogue_writable

        check_catalogue_writable(database)  # an office server's counselor: one sentence, not a failed import
    files = sources(paths)
    summary = ImportSummary(dry_run=dry_run)
    rome_codes: set[str] = set()  # ROME codes whose métiers are refreshed once, at the end
    position = 0
    ahead = _parse_ahead(files, dry_run)
    parse = ahead.take if ahead is not None else _parse
    ready = ahead.ready if ahead is not None else None
    try:
        while position < len(files):
            try:
                done, stopped = _import_group(database, files, position, dry_run, progress, summary, rome_codes,
                                              parse, ready)
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
        if ahead is not None:
            ahead.close()
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
GROUP_MIN_FILES = 8  # parsed ahead: written once this many are ready rather than wait for more


def _interruption(exc: Exception) -> str:
    if isinstance(exc, DatabaseBusyError):
        return exc.message.split(" : ")[0]
    return environment_sentence(exc) or "écriture impossible dans la base (détail dans le journal)"


def _import_group(database: Database, files: list[Source], start: int, dry_run: bool,
                  progress: Callable[[int, int, str], bool] | None, summary: ImportSummary,
                  rome_codes: set[str], parse: Callable[[Source], ParsedFile | FileResult],
                  ready: Callable[[], bool] | None = None) -> tuple[int, bool]:
    """Import files from ``start`` in one transaction; returns (files handled, stopped by the user).

    ``ready()``: whether the next file's parse is done (parsed ahead). A group holding
    :data:`GROUP_MIN_FILES` is written rather than wait for the next one: the writer, which sets
    the pace, never stands idle while the child is still on the first files."""
    results: list[FileResult | tuple[Path | ArchiveMember, ParsedFile]] = []
    began = time.perf_counter()
    stopped = False
    for path in files[start:]:
        done = len(summary.files) + len(results)
        if progress is not None and progress(done, len(files), _source_name(path)) is False:
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
            assert not isinstance(path, FileResult)  # _parse returns a refused source as it is
            results.append((path, parsed))
        if time.perf_counter() - began > GROUP_SECONDS or len(results) >= GROUP_MAX_FILES:
            break
        if ready is not None and len(results) >= GROUP_MIN_FILES and not ready():
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
