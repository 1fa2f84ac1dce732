"""Backups: online and consistent (SQLite backup API), checked before any restore, rotated.

- :func:`backup_to` copies the live database page by page inside one read transaction, so the
  copy is consistent even while a counselor's window writes.
- :func:`restore_from` first checks the file (SQLite ``integrity_check``, an Orientation schema),
  keeps a copy of the database it replaces, then copies the backup in with the same API.
- Automatic backups (before every migration, once a day at start) go to a ``sauvegardes``
  folder beside the database and only the newest N are kept (setting, 7 by default, at most
  30): an erased student's data therefore leaves the backups within N days as well.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from db.errors import UserError

KEEP_DEFAULT = 7
KEEP_MAX = 30
KEEP_KEY = "sauvegardes_a_garder"
LAST_DAILY_KEY = "sauvegarde_quotidienne"
PREFIX = "orientation-"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def backup_dir(db_file: Path) -> Path:
    """Where automatic backups of ``db_file`` are kept."""
    return db_file.parent / "sauvegardes"


def backup_to(db_file: Path, target: Path) -> Path:
    """Write a consistent copy of ``db_file`` to ``target`` (via a temporary file, then rename)."""
    target = target.expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        os.close(fd)
        with _connect(db_file) as source, _connect(Path(tmp)) as copy:
            source.backup(copy)
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        raise UserError(f"sauvegarde impossible vers « {target} » : {exc}") from exc
    return target


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=15, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 15000")
    return conn


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound Orientation database (French reason)."""
    if not path.is_file():
        raise UserError(f"fichier introuvable : « {path} »")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            status = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise UserError(f"« {path.name} » n'est pas une base de données lisible ({exc})") from exc
    if status != "ok":
        raise UserError(f"« {path.name} » est endommagé ({status})")
    if not {"alembic_version", "metiers"} <= tables:
        raise UserError(f"« {path.name} » n'est pas une sauvegarde d'Orientation")


def restore_from(db_file: Path, backup: Path) -> Path:
    """Replace the database by ``backup`` after checking it; returns the copy of what it replaced."""
    check_backup(backup)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = backup_dir(db_file) / f"{PREFIX}avant-restauration-{stamp}.sqlite"
    if db_file.exists():
        backup_to(db_file, kept)
    try:
        with _connect(backup) as source, _connect(db_file) as target:
            source.backup(target)
    except sqlite3.Error as exc:
        raise UserError(f"restauration impossible : {exc} (la base actuelle est inchangée ; copie : {kept})") from exc
    return kept


def automatic_backup(db_file: Path, reason: str, keep: int = KEEP_DEFAULT) -> Path | None:
    """A rotated backup named after ``reason`` ("quotidienne", "avant-migration"); None if no file yet."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = backup_to(db_file, backup_dir(db_file) / f"{PREFIX}{stamp}-{reason}.sqlite")
    rotate(backup_dir(db_file), keep)
    return path


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond ``keep``; returns the deleted files."""
    keep = max(1, min(keep, KEEP_MAX))
    backups = sorted(folder.glob(f"{PREFIX}*.sqlite"))
    doomed = backups[:-keep] if len(backups) > keep else []
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def latest_backup(db_file: Path) -> Path | None:
    """The newest backup of ``db_file``, if any."""
    backups = sorted(backup_dir(db_file).glob(f"{PREFIX}*.sqlite"))
    return backups[-1] if backups else None


def quick_check(db_file: Path) -> str | None:
    """None when SQLite's quick_check finds the file sound, else its first complaint."""
    if not db_file.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as conn:
            status = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        return str(exc)
    return None if status == "ok" else status
