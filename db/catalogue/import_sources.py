"""What an import reads, before any database is involved: its files, parsed in order.

:func:`prepare` lists the files under the paths given (archives opened and checked whole) and,
for a large enough import, starts the child process that parses them ahead
(:mod:`db.catalogue.parse_ahead`). Nothing here imports SQLAlchemy: the command line and the
window's import process call :func:`prepare` first, so that the child parses the first files
while this process loads SQLAlchemy and opens the database. :mod:`db.catalogue.importing`
writes what comes out (and re-exports the names below).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from db.catalogue.archives import ARCHIVE_SUFFIXES, ArchiveMember, is_archive, read_archive
from db.catalogue.importers import MAX_FILE_BYTES, parse_bytes, parse_path
from db.catalogue.records import ParsedFile
from db.catalogue.search_text import own_text
from db.errors import FicheError, UserError
from db.storage.files import read_bounded

if TYPE_CHECKING:
    from db.catalogue.parse_ahead import ParseAhead

log = logging.getLogger("db.catalogue.importing")  # the importer's log, as before this module existed

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
    interrupted: str | None = None  # French: why the import stopped before the end (files above are committed)
    not_done: int = 0  # files never reached because of the interruption

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
        total = (f"Total : {len(self.files)} fichier(s), {ok} accepté(s), {self.refused} refusé(s) ; "
                 f"{self.created} fiche(s) créée(s), {self.updated} mise(s) à jour.")
        if self.interrupted:
            total += (f"\nImport interrompu : {self.interrupted}. Les fichiers ci-dessus sont enregistrés ; "
                      f"{self.not_done} fichier(s) n'ont pas été importés : relancez l'import pour eux.")
        return total


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


# What an import walks through: a file on disk, a member of an archive read in memory, or an
# archive already refused whole (its FileResult).
Source = Path | ArchiveMember | FileResult


def sources(paths: Iterable[str | Path]) -> list[Source]:
    """The files under ``paths`` (:func:`expand_paths`), each archive of fiches replaced by its
    members read in memory — or, when it is unreadable or unsafe, by one refused result: an
    archive is checked whole before anything of it is written."""
    result: list[Source] = []
    for path in expand_paths(paths):
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
    return result


def source_name(source: Source) -> str:
    return Path(source.path).name if isinstance(source, FileResult) else source.name


def parse_source(path: Source) -> ParsedFile | FileResult:
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


@dataclass
class Prepared:
    """The files of one import and, when started, the child parsing them ahead (see :func:`prepare`)."""

    files: list[Source]
    ahead: ParseAhead[Source, ParsedFile | FileResult] | None = None

    def parse(self, source: Source) -> ParsedFile | FileResult:
        """The next file, parsed (files are taken in order): by the child when there is one."""
        return self.ahead.take(source) if self.ahead is not None else parse_source(source)

    def close(self) -> None:
        """Stop the child, if any (idempotent)."""
        if self.ahead is not None:
            self.ahead.close()

    def __enter__(self) -> Prepared:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def prepare(paths: Iterable[str | Path], *, dry_run: bool = False) -> Prepared:
    """The files under ``paths`` (:func:`sources`), with the child that parses them ahead when it
    can help (see :func:`_parse_ahead`). The caller closes it (or hands it to
    :func:`db.catalogue.importing.import_paths`, which does)."""
    files = sources(paths)
    return Prepared(files, _parse_ahead(files, dry_run))


def _parse_ahead(files: list[Source], dry_run: bool) -> ParseAhead[Source, ParsedFile | FileResult] | None:
    """A child process parsing ``files`` (and computing their records' own indexed text) while
    this one writes them, when that can help: a write, enough files, fork available (see
    :mod:`db.catalogue.parse_ahead`); else None (parsed here, one by one)."""
    from db.catalogue import parse_ahead

    if dry_run or not PARSE_AHEAD or len(files) < parse_ahead.MIN_FILES or not parse_ahead.available():
        return None
    try:
        return parse_ahead.ParseAhead(files, _parse_for_writing)
    except OSError:  # no process can be started (limits, memory): parse here
        log.warning("parse-ahead process not started", exc_info=True)
        return None


def _parse_for_writing(source: Source) -> ParsedFile | FileResult:
    """:func:`_parse`, and the records' own indexed text (what the writer would compute)."""
    parsed = parse_source(source)
    if isinstance(parsed, ParsedFile):
        for record in parsed.records:
            record.indexed = own_text(record)
    return parsed


