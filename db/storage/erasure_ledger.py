"""Erasure that reaches every copy the application made: the ledger of erased records and the
scrubbing of backup files.

An erased record is named by its number and the moment it was created, as stored in
``students.created_at`` (together they identify it even if SQLite hands the number out again),
never by its content. The ledger is kept twice: in the database (table ``erasures``) and in
``effacements.jsonl`` in the database's backup folder, so that restoring a backup over a
damaged database still knows every erasure made since the backup was taken.

:func:`scrub_file` removes the named records from one SQLite copy with ``secure_delete`` on
(the freed bytes are overwritten with zeros) in one transaction, and writes the ledger into
the copy as well. Only the standard library: these run on backup files, not through the ORM.
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from db.storage.files import PRIVATE_FILE, private_file

LEDGER_NAME = "effacements.jsonl"


@dataclass(frozen=True)
class Erased:
    """One erased record: number, creation moment as stored, and when it was erased (ISO)."""

    student_id: int
    created: str
    erased_at: str = ""

    @property
    def key(self) -> tuple[int, str]:
        return (self.student_id, self.created)


@dataclass
class ScrubReport:
    """What erasing from the backups did: files changed, records removed, files that failed."""

    files: int = 0
    removed: int = 0
    failed: list[Path] = field(default_factory=list)

    def sentence(self) -> str:
        """French: what happened to the automatic backups."""
        if self.failed:
            names = ", ".join(p.name for p in self.failed[:3])
            return (f"Attention : {len(self.failed)} sauvegarde(s) automatique(s) n'ont pas pu être nettoyées "
                    f"({names}) ; supprimez-les à la main.")
        if self.removed:
            plural = "s" if self.files > 1 else ""
            return (f"Il a aussi été effacé de {self.files} sauvegarde{plural} automatique{plural} "
                    "qui le contenai" + ("en" if self.files > 1 else "") + "t.")
        return "Aucune sauvegarde automatique ne contenait ce dossier."


def ledger_path(backup_folder: Path) -> Path:
    """The ledger file of the database whose backups live in ``backup_folder``."""
    return backup_folder / LEDGER_NAME


def append_ledger(backup_folder: Path, erased: list[Erased]) -> None:
    """Add ``erased`` to the ledger file (created 0600); flushed to disk before returning."""
    if not erased:
        return
    backup_folder.mkdir(parents=True, exist_ok=True)
    path = ledger_path(backup_folder)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        for item in erased:
            handle.write(json.dumps({"eleve": item.student_id, "cree_le": item.created,
                                     "efface_le": item.erased_at}) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    private_file(path)


def read_ledger(backup_folder: Path) -> list[Erased]:
    """Every erasure in the ledger file (a damaged line is skipped; a missing file is empty)."""
    try:
        lines = ledger_path(backup_folder).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    result = []
    for line in lines:
        try:
            entry = json.loads(line)
            result.append(Erased(int(entry["eleve"]), str(entry["cree_le"]), str(entry.get("efface_le", ""))))
        except (ValueError, KeyError, TypeError):
            continue
    return result


def read_database_ledger(db_file: Path) -> list[Erased]:
    """The ``erasures`` table of a SQLite file (empty when missing, older or unreadable)."""
    if not db_file.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT student_id, student_created, erased_at FROM erasures").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [Erased(int(sid), str(created), str(at)) for sid, created, at in rows]


def scrub_file(path: Path, erased: list[Erased]) -> int:
    """Remove the ``erased`` records (and their sessions) from the SQLite file ``path`` and add
    them to its ledger table; returns the number of records removed. One transaction: on any
    error the copy is left as it was and ``sqlite3.Error`` propagates."""
    conn = sqlite3.connect(path, timeout=15, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = DELETE")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "students" not in tables:
            return 0
        conn.execute("BEGIN IMMEDIATE")
        try:
            removed = sum(_remove(conn, item, tables) for item in erased)
            if "erasures" in tables:
                conn.executemany("INSERT OR IGNORE INTO erasures (student_id, student_created, erased_at) "
                                 "VALUES (?, ?, ?)", [(e.student_id, e.created, e.erased_at or e.created)
                                                      for e in erased])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return removed


def _remove(conn: sqlite3.Connection, item: Erased, tables: set[str]) -> int:
    found = conn.execute("SELECT 1 FROM students WHERE id = ? AND created_at = ?", item.key).fetchone()
    if found is None:
        return 0
    if "milestone_students" in tables:  # the milestones that concerned this student alone go too
        conn.execute("DELETE FROM milestones WHERE id IN (SELECT milestone_id FROM milestone_students "
                     "WHERE student_id = ? EXCEPT SELECT milestone_id FROM milestone_students WHERE student_id != ?)",
                     (item.student_id, item.student_id))
    for table in ("milestone_students", "bilan_handovers", "liaison_consents"):
        if table in tables:
            conn.execute(f"DELETE FROM {table} WHERE student_id = ?", (item.student_id,))
    # Children go with their session (ON DELETE CASCADE, foreign keys on); said explicitly all
    # the same for the sessions, whose deletion must not depend on the copy's pragmas.
    conn.execute("DELETE FROM sessions WHERE student_id = ?", (item.student_id,))
    conn.execute("DELETE FROM students WHERE id = ?", (item.student_id,))
    return 1


def scrub_files(paths: list[Path], erased: list[Erased]) -> ScrubReport:
    """:func:`scrub_file` on each of ``paths``; a file that fails is reported, not fatal."""
    report = ScrubReport()
    for path in paths:
        try:
            removed = scrub_file(path, erased)
        except sqlite3.Error:
            report.failed.append(path)
            continue
        if removed:
            report.files += 1
            report.removed += removed
    return report
