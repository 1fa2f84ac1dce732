"""``orientation students list`` read with the standard sqlite3 module alone.

Loading SQLAlchemy, the ORM mappings and the opening path costs ~15 times the query itself, so
on an ordinary database — a local SQLite file at the newest schema revision that the ordinary
opening (:func:`db.storage.opening.open_database`) would take as it is — the list is read
through a read-only connection. The same cheap checks as that opening are made (regular file,
owner-only modes, SQLite header, length, no damage recorded by the background check, no
erasure left half done, schema revision = :data:`db.storage.schema_version.HEAD`), the same
clean-shutdown marker is written and the same background integrity check is started when due.
Anything unusual gives ``None``: the caller takes the ordinary path, which creates, migrates,
repairs or explains in French. The rows and the retention count are those of
:func:`db.students.store.find_students` and :func:`db.students.privacy.past_retention` (tests
compare them). The nomenclature refresh and a new edition of the starter catalogue, which never
change this list, are left to the next ordinary opening.
"""
from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date
from pathlib import Path
from typing import NamedTuple

from db.errors import DatabaseLocationError
from db.storage.paths import check_local_path, data_dir, requested_db
from db.storage.schema_version import HEAD, connect_read_only
from db.students.retention import RETENTION_KEY, retention_cutoff
from db.text import NAME_JOINERS, name_search_words

SQLITE_HEADER = b"SQLite format 3\x00"
_COLUMNS = "id, nom, prenom, classe, etablissement, annee_scolaire, last_session_on"
_ORDER = " ORDER BY last_session_on DESC NULLS LAST, search_key, id"
_PAST_RETENTION = ("SELECT count(*) FROM students WHERE (last_session_on IS NOT NULL AND last_session_on < ?) "
                   "OR (last_session_on IS NULL AND created_at < ?)")


class ListedStudent(NamedTuple):
    """A student as listed (the fields of :class:`db.students.store.StudentInfo` a list shows)."""

    id: int
    nom: str
    prenom: str
    classe: str | None
    etablissement: str | None
    annee_scolaire: str | None
    last_session_on: str | None


class QuickList(NamedTuple):
    """What ``students list`` prints: the students, and how many are past the retention deadline."""

    students: list[ListedStudent]
    past_retention: int


def list_students_quickly(db: str | None, text: str = "", classe: str | None = None,
                          today: date | None = None) -> QuickList | None:
    """The students :func:`db.students.store.find_students` gives for ``text`` and ``classe``, and
    the count of :func:`db.students.privacy.past_retention`, read from the database ``db`` names
    (``--db`` / ``ORIENTATION_DB`` / the default) without SQLAlchemy; None when the ordinary path
    must open it (see the module docstring). Never creates nor changes the database file."""
    path = ordinary_file(db)
    if path is None:
        return None
    try:
        conn = connect_read_only(path)
    except (sqlite3.Error, ValueError):
        return None
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != HEAD:
            return None
        _mark_open(path)
        return QuickList(find_students_in(conn, text, classe), count_past_retention_in(conn, today))
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def find_students_in(conn: sqlite3.Connection, text: str = "", classe: str | None = None) -> list[ListedStudent]:
    """:func:`db.students.store.find_students` (without paging) on a plain sqlite3 connection."""
    where, params = [], []
    key = "search_key"
    for joiner in NAME_JOINERS:  # as find_students: « ndiaye » finds N'Diaye
        key = f"replace({key}, '{joiner.replace(chr(39), chr(39) * 2)}', '')"
    for word in name_search_words(text):
        where.append(f"{key} LIKE '%' || ? || '%' ESCAPE '/'")
        params.append(word.replace("/", "//").replace("%", "/%").replace("_", "/_"))
    if classe:
        where.append("lower(classe) = ?")
        params.append(classe.strip().lower())
    sql = f"SELECT {_COLUMNS} FROM students" + (f" WHERE {' AND '.join(where)}" if where else "") + _ORDER
    return [ListedStudent(*row) for row in conn.execute(sql, params)]


def count_past_retention_in(conn: sqlite3.Connection, today: date | None = None) -> int:
    """:func:`db.students.privacy.count_past_retention` on a plain sqlite3 connection."""
    row = conn.execute("SELECT value FROM app_meta WHERE key = ?", (RETENTION_KEY,)).fetchone()
    extra = int(row[0]) if row and row[0] and str(row[0]).isdigit() else 0
    cutoff = retention_cutoff(today or date.today(), extra)
    # The ORM writes DateTime columns as "YYYY-MM-DD HH:MM:SS.ffffff": compared as text, like it does.
    return int(conn.execute(_PAST_RETENTION, (cutoff.isoformat(), f"{cutoff.isoformat()} 00:00:00.000000"))
               .fetchone()[0])


# ------------------------------------------------------------------ the cheap checks of opening
def ordinary_file(db: str | None) -> Path | None:
    """The SQLite file ``db`` names when the ordinary opening would take it as it is, else None."""
    value = requested_db(db)
    if "://" in value:
        return None
    try:
        path = Path(value).expanduser().resolve()  # as the ordinary path names it (backups, markers)
        check_local_path(path)
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or not _private_and_writable(path, info):
            return None
        if not _sound_header(path, info.st_size) or _integrity_says_no(path):
            return None
    except (OSError, ValueError, DatabaseLocationError):
        return None
    return path


def _private_and_writable(path: Path, info: os.stat_result) -> bool:
    """Owner-only modes (the ordinary path would tighten them), no hot rollback journal, and
    the file and its folder writable (the ordinary path explains a read-only one)."""
    if _looser_than_private(info) or Path(f"{path}-journal").exists():
        return False
    if path.parent == data_dir().resolve() and _looser_than_private(path.parent.stat(), 0o700):
        return False  # the user's own data folder: the ordinary path makes it owner-only
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists() and _looser_than_private(companion.stat()):
            return False
    return os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _looser_than_private(info: os.stat_result, mode: int = 0o600) -> bool:
    """Whether :func:`db.storage.files.tighten` would chmod this file or folder to ``mode`` (ours,
    and looser; never on Windows, where ACLs apply)."""
    getuid = getattr(os, "getuid", None)
    return getuid is not None and info.st_uid == getuid() and bool(stat.S_IMODE(info.st_mode) & ~mode)


def _sound_header(path: Path, size: int) -> bool:
    """A SQLite header, and the file as long as the page count that header states (when valid)."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65_536 if page_size == 1 else page_size
    pages, counter, valid_for = (int.from_bytes(header[i:i + 4], "big") for i in (28, 24, 92))
    return not (pages > 0 and counter == valid_for and size < pages * page_size)


def _integrity_says_no(path: Path) -> bool:
    """A damage recorded by the last full check, or an erasure not yet applied to every backup."""
    from db.storage import backup, integrity

    return integrity.recorded_problem(path) is not None or backup.erasures_pending(path)


def _mark_open(path: Path) -> None:
    """The clean-shutdown marker, and the background full check when due, as the ordinary opening."""
    from db.storage import integrity

    unclean = integrity.mark_open(path)
    if integrity.check_due(path, unclean):
        integrity.start_background_check(path)
