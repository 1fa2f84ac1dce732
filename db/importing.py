"""Import files and folders of fiches: parse, then write each file in one transaction.

A file is imported whole or not at all: its records are written in a single transaction that
is rolled back on any error, so a refused file leaves the database exactly as it was.
Parsing happens before the transaction opens (parsers never touch the database), which keeps
the write lock short when a counselor's window is using the same file.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import insert

from db.catalogue import upsert_records
from db.engine import Database
from db.errors import FicheError, UserError
from db.importers import parse_path
from db.models import ImportLog
from db.records import ParsedFile
from db.rome import write_rome_reference

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
        detail = f"{self.created} nouvelle(s) fiche(s), {self.updated} mise(s) à jour"
        return f"{self.path} : {self.status} ({self.format_name} ; {detail})"


@dataclass
class ImportSummary:
    """Per-file results and totals of one import run."""

    files: list[FileResult] = field(default_factory=list)

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
        return (f"Total : {len(self.files)} fichier(s), {ok} accepté(s), {self.refused} refusé(s) ; "
                f"{self.created} fiche(s) créée(s), {self.updated} mise(s) à jour.")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus every file under the folders named (recursively, sorted)."""
    result: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            result.extend(p for p in sorted(path.rglob("*"))
                          if p.is_file() and p.name.lower() not in _SKIPPED_NAMES and not p.name.startswith("."))
        else:
            result.append(path)
    return result


def import_file(database: Database, path: Path, *, dry_run: bool = False) -> FileResult:
    """Parse and write one file in one transaction; never raises for a bad file."""
    name = str(path)
    try:
        parsed = parse_path(path)
    except FicheError as exc:
        return FileResult(name, "refusé", reason=exc.message)
    except Exception:  # a parser bug must not abort a whole folder import
        log.exception("parser failure on %s", path)
        return FileResult(name, "refusé", reason="erreur interne en lisant ce fichier (voir le journal)")
    if dry_run:
        return FileResult(name, "vérifié", parsed.format_name, created=len(parsed.records), notes=parsed.notes)
    try:
        return write_parsed(database, parsed, name)
    except UserError as exc:
        return FileResult(name, "refusé", parsed.format_name, reason=exc.message)


def write_parsed(database: Database, parsed: ParsedFile, source_file: str) -> FileResult:
    """Write one parsed file in a single transaction (rolled back whole on error)."""
    now = datetime.now()
    with database.write() as session:
        counts = upsert_records(session, parsed.records, source_file, now)
        if parsed.rome is not None:
            write_rome_reference(session, parsed.rome)
        session.execute(insert(ImportLog).values(
            source_file=source_file, format_name=parsed.format_name, imported_at=now,
            created=counts.created, updated=counts.updated))
    status = "mis à jour" if counts.updated and not counts.created else "importé"
    return FileResult(source_file, status, parsed.format_name, counts.created, counts.updated, notes=parsed.notes)


def import_paths(database: Database, paths: Iterable[str | Path], *, dry_run: bool = False,
                 progress: Callable[[int, int, str], bool] | None = None) -> ImportSummary:
    """Import every file under ``paths``. ``progress(done, total, name)`` may return False to stop."""
    files = expand_paths(paths)
    summary = ImportSummary()
    for index, path in enumerate(files):
        if progress is not None and progress(index, len(files), path.name) is False:
            break
        summary.files.append(import_file(database, path, dry_run=dry_run))
    if progress is not None:
        progress(len(summary.files), len(files), "")
    return summary
