"""Backups: online and consistent (SQLite backup API), private, checked before any restore,
rotated by age, and reached by every erasure.

- :func:`backup_to` copies the live database page by page inside one read transaction, so the
  copy is consistent even while a counselor's window writes. It goes through a temporary file
  that is removed on every failure path; the copy is readable by its owner only.
- Automatic backups (before every migration, before a restore, once a day at start) go to
  ``sauvegardes/<nom de la base>/`` beside the database: each database has its own. Those older
  than N days (7 by default) are deleted, at most :data:`KEEP_MAX` are kept, and the newest is
  always kept.
- Erasing a student removes them from every automatic backup at once
  (:mod:`db.storage.erasure_ledger`); :func:`restore_from` re-applies every recorded erasure to the
  restored file before it replaces the database, so a backup never brings an erased student back.
- :func:`check_backup` accepts only a sound file whose schema is exactly one this version of
  the application creates (revision, tables, indexes, triggers, views): a file from a newer
  version or with a planted trigger is refused.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from db.storage.erasure_ledger import (Erased, ScrubReport, read_database_ledger, read_ledger, scrub_file,
                               scrub_files)
from db.errors import UserError, environment_sentence
from db.storage.paths import sqlite_path as sqlite_path  # re-exported: its callers import it from here
from db.storage.files import (check_regular_file, os_error_sentence, output_target, private_dir, private_file,
                              remove_with_companions, write_atomically)

log = logging.getLogger(__name__)
KEEP_DAYS_DEFAULT = 7
KEEP_MAX = 30
KEEP_DAYS_KEY = "sauvegardes_jours"
DAILY_FILE = "derniere-sauvegarde-du-jour.json"  # beside the backups: the day and the file's fingerprint then
INTEGRITY_FILE = "controle-integrite.json"  # beside the backups: the last full check (db.storage.integrity)
FOLDER = "sauvegardes"
LEGACY_PREFIX = "orientation-"  # backups made before each database had its own folder
_STAMP = re.compile(r"(\d{8}-\d{6})")
_OWN_NAME = re.compile(r"^\d{8}-\d{6}-\d{6}-[a-z-]+\.sqlite$")
_LEGACY_NAME = re.compile(r"^orientation-(\d{8}-\d{6}-\d{6}-[a-z-]+|avant-restauration-\d{8}-\d{6})\.sqlite$")
APPLIED_MARK = ".effacements-appliques"


def now() -> datetime:
    """The current time for backups (tests replace it to let days pass)."""
    return datetime.now()


def backup_dir(db_file: Path) -> Path:
    """Where the automatic backups of ``db_file`` (and its erasure ledger) are kept: a folder
    named after the whole file name, so that ``cio.sqlite`` and ``cio.db`` never share one."""
    return db_file.parent / FOLDER / db_file.name


def automatic_backups(db_file: Path) -> list[Path]:
    """Every automatic backup of ``db_file``, oldest first (older shared-folder ones included).
    Only files named by the application (a date first) count: a file a person put there is
    neither rotated away nor taken for a backup."""
    own = [p for p in backup_dir(db_file).glob("*.sqlite") if _OWN_NAME.match(p.name)]
    # The shared folder of older versions held the default database's backups.
    legacy = legacy_backups(db_file.parent) if db_file.name == "orientation.sqlite" else []
    return sorted(own + legacy, key=lambda p: (_taken_at(p) or datetime.min, p.name))


def legacy_backups(folder: Path) -> list[Path]:
    """Backups an older version wrote straight into ``folder/sauvegardes`` (recognised by their
    exact names, so a person's own ``orientation-….sqlite`` there is never taken for one)."""
    return [p for p in (folder / FOLDER).glob(f"{LEGACY_PREFIX}*.sqlite") if _LEGACY_NAME.match(p.name)]


def _taken_at(path: Path) -> datetime | None:
    match = _STAMP.search(path.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def change_fingerprint(db_file: Path) -> str:
    """A value that changes whenever a transaction is committed to ``db_file``, read without
    opening it: the size and modification time of the file and of its write-ahead log (every
    commit appends to the log, every checkpoint writes the file).

    Only ``stat``: opening and closing the file by other means than SQLite while this process
    has it open would release SQLite's POSIX locks on it (another process could then reset the
    log under this process's readers)."""
    parts = []
    for name in (db_file, Path(f"{db_file}-wal")):
        try:
            info = name.stat()
        except OSError:
            parts.append("-")
            continue
        parts.append("-" if info.st_size == 0 else f"{info.st_size}:{info.st_mtime_ns}")
    return "/".join(parts)


def last_daily(db_file: Path) -> dict[str, str]:
    """The last daily backup's ``day`` (ISO date) and ``fingerprint``; empty when none is known."""
    import json

    try:
        data = json.loads((backup_dir(db_file) / DAILY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def remember_daily(db_file: Path, day: str, fingerprint: str) -> None:
    """Record the daily backup's day and the fingerprint of the file it copied."""
    import json

    try:
        _private_backup_dir(db_file)
        write_atomically(backup_dir(db_file) / DAILY_FILE,
                         json.dumps({"day": day, "fingerprint": fingerprint}).encode("utf-8"))
    except UserError:
        log.info("daily backup date not recorded")  # the next opening compares again: harmless


# ------------------------------------------------------------------ copies
def backup_to(db_file: Path, target: Path) -> Path:
    """Write a consistent copy of ``db_file`` to ``target`` (0600, via a temporary file that no
    failure leaves behind). Raises a French UserError."""
    target = output_target(target)
    if (target.exists() and db_file.exists() and os.path.samefile(target, db_file)) \
            or target.resolve() in {Path(f"{db_file.resolve()}{s}") for s in ("-wal", "-shm", "-journal")}:
        raise UserError(f"« {target} » est la base elle-même ou son journal : choisissez un autre nom pour la copie")
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".tmp")
        os.close(fd)
        tmp = Path(name)
        _copy_database(db_file, tmp)
        private_file(tmp)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise UserError(f"sauvegarde impossible : {os_error_sentence(exc, target)}") from exc
    except sqlite3.Error as exc:
        raise UserError(f"sauvegarde impossible vers « {target} » : {sqlite_error_sentence(exc)}") from exc
    finally:
        if tmp is not None:
            remove_with_companions(tmp)
    return target


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup of ``source`` into ``target``, left as one self-contained file."""
    _backup_api(source, target, "PRAGMA journal_mode = DELETE")


def _copy_into_live(source: Path, db_file: Path) -> None:
    """Replace the content of the database ``db_file`` (WAL mode kept) by that of ``source``."""
    _backup_api(source, db_file, "PRAGMA wal_checkpoint(TRUNCATE)")


def _backup_api(source: Path, target: Path, then: str) -> None:
    src, dst = _connect(source), _connect(target)
    try:
        src.backup(dst)
        dst.execute(then)
    finally:
        src.close()
        dst.close()


def _replace_file(staging: Path, db_file: Path) -> None:
    """Put the self-contained file ``staging`` in place of ``db_file`` (and its stale journals)."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    os.replace(staging, db_file)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=15, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 15000")
    return conn


def sqlite_error_sentence(exc: sqlite3.Error) -> str:
    """French words for a SQLite error met while copying a file."""
    common = environment_sentence(exc)  # full disk, busy, read-only: worded once, in db.errors
    if common is not None:
        return common
    text = str(exc).lower()
    if "not a database" in text:
        return "ce n'est pas une base de données"
    if "malformed" in text or "corrupt" in text:
        return "le fichier est endommagé"
    if "unable to open" in text:
        return "un des fichiers ne peut pas être ouvert : vérifiez les droits sur la base, la copie et leurs dossiers"
    if "i/o error" in text:
        return "erreur de lecture ou d'écriture du disque (support retiré ou plein ?)"
    log.warning("sqlite error while copying: %s", text[:500])
    return "erreur de la base de données (détail dans le journal)"


def automatic_backup(db_file: Path, reason: str, keep_days: int = KEEP_DAYS_DEFAULT) -> Path | None:
    """A backup named after ``reason`` ("quotidienne", "avant-migration"…) in the database's
    backup folder, then the rotation; None if there is no database file yet."""
    if not db_file.exists() or db_file.stat().st_size == 0:
        return None
    folder = _private_backup_dir(db_file)
    path = backup_to(db_file, folder / f"{now().strftime('%Y%m%d-%H%M%S-%f')}-{reason}.sqlite")
    rotate(db_file, keep_days)
    return path


def _private_backup_dir(db_file: Path) -> Path:
    try:
        private_dir(db_file.parent / FOLDER)
        return private_dir(backup_dir(db_file))
    except OSError as exc:
        raise UserError(f"sauvegarde impossible : {os_error_sentence(exc, backup_dir(db_file))}") from exc


def rotate(db_file: Path, keep_days: int = KEEP_DAYS_DEFAULT) -> list[Path]:
    """Delete the automatic backups ``keep_days`` days old or more and any beyond
    :data:`KEEP_MAX`, always keeping the newest; returns the deleted files."""
    keep_days = max(1, min(keep_days, 365))
    backups = automatic_backups(db_file)
    if len(backups) <= 1:
        return []
    limit = now() - timedelta(days=keep_days)
    older = backups[:-1]
    doomed = [p for p in older if (_taken_at(p) or datetime.min) <= limit]
    survivors = [p for p in backups if p not in doomed]
    doomed += survivors[:-KEEP_MAX] if len(survivors) > KEEP_MAX else []
    for path in doomed:
        remove_with_companions(path)
    return doomed


def latest_backup(db_file: Path) -> Path | None:
    """The newest automatic backup of ``db_file``, if any."""
    backups = automatic_backups(db_file)
    return backups[-1] if backups else None


def quick_check(db_file: Path) -> str | None:
    """None when SQLite's quick_check finds the file sound, else its first complaint."""
    return _check(db_file, "PRAGMA quick_check")


def full_check(db_file: Path) -> str | None:
    """None when SQLite's integrity_check finds the file sound, else its first complaint. Unlike
    quick_check it also compares every index with its table: an index missing a row makes a
    saved session unfindable (« aucun entretien n'a le numéro 3 » while the list shows it), and
    quick_check says « ok » on such a file."""
    return _check(db_file, "PRAGMA integrity_check(1)")


def _check(db_file: Path, pragma: str) -> str | None:
    if not db_file.exists():
        return None
    try:
        with sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True) as conn:
            status = conn.execute(pragma).fetchone()[0]
    except sqlite3.Error as exc:
        return str(exc)
    return None if status == "ok" else status


# ------------------------------------------------------------------ erasure
def erase_from_backups(db_file: Path, erased: list[Erased]) -> ScrubReport:
    """Record ``erased`` in the ledger file, remove every unfinished copy (a backup or a restore
    cut short leaves one), then remove the erased records from every automatic backup. When
    all of it succeeded the erasures are marked applied; otherwise the next opening of the
    database finishes the work (:func:`apply_pending_erasures`)."""
    from db.storage.erasure_ledger import append_ledger

    try:
        append_ledger(backup_dir(db_file), erased)
    except OSError:
        pass  # the database's own ledger table has them: the next opening writes them here
    remove_unfinished_copies(db_file)
    report = scrub_files(_every_copy(db_file), erased)
    if not report.failed:
        _mark_applied(db_file)
    return report


def _every_copy(db_file: Path) -> list[Path]:
    """The automatic backups of ``db_file`` and any older-version backup beside it (scrubbing
    one that does not hold the erased record changes nothing in it)."""
    return sorted(set(automatic_backups(db_file)) | set(legacy_backups(db_file.parent)))


def apply_pending_erasures(db_file: Path) -> ScrubReport | None:
    """Finish erasures an interruption left half done (the database erased, a backup not yet):
    re-applies every recorded erasure to every backup. None when nothing was pending; cheap
    then (two small reads)."""
    from db.storage.erasure_ledger import append_ledger, read_ledger

    erased = known_erasures(db_file)
    if len(erased) <= _applied_count(db_file):
        return None
    in_file = {e.key for e in read_ledger(backup_dir(db_file))}
    try:
        append_ledger(backup_dir(db_file), [e for e in erased if e.key not in in_file])
    except OSError:
        pass
    remove_unfinished_copies(db_file)
    report = scrub_files(_every_copy(db_file), erased)
    if not report.failed:
        _mark_applied(db_file)
    return report


def erasures_pending(db_file: Path) -> bool:
    """Whether :func:`apply_pending_erasures` has work to do (two small reads)."""
    return len(known_erasures(db_file)) > _applied_count(db_file)


def _applied_count(db_file: Path) -> int:
    try:
        return int((backup_dir(db_file) / APPLIED_MARK).read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def _mark_applied(db_file: Path) -> None:
    count = len(known_erasures(db_file))
    try:
        write_atomically(backup_dir(db_file) / APPLIED_MARK, str(count).encode())
    except UserError:
        pass  # then the next opening scrubs once more: harmless


def unfinished_copies(db_file: Path) -> list[Path]:
    """Temporary copies a killed backup or restore left behind (they may hold anyone's data)."""
    folder = backup_dir(db_file)
    return ([p for p in folder.glob(".*.tmp*")]
            + list(db_file.parent.glob(f".{db_file.name}.restauration.*.tmp*")))


def remove_unfinished_copies(db_file: Path) -> None:
    """Delete :func:`unfinished_copies` (a backup being made at this very moment by another
    window then fails and says so; it is made again the next day)."""
    for path in unfinished_copies(db_file):
        try:
            path.unlink()
        except OSError:
            pass


def known_erasures(db_file: Path) -> list[Erased]:
    """Every erasure recorded for ``db_file``: its ledger file and its own ledger table."""
    merged = {e.key: e for e in read_ledger(backup_dir(db_file)) + read_database_ledger(db_file)}
    return list(merged.values())


# ------------------------------------------------------------------ restore
def check_backup(path: Path) -> str:
    """Refuse a file that is not a sound Orientation database of a schema this version knows
    (French reason); returns its schema revision."""
    from db.storage.schema_check import schema_problem

    check_regular_file(path, "la sauvegarde", max_bytes=None)
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            status = conn.execute("PRAGMA integrity_check").fetchone()[0]
            revision, problem = schema_problem(conn)
    except sqlite3.Error as exc:
        raise UserError(f"« {path.name} » n'est pas une base de données lisible "
                        f"({sqlite_error_sentence(exc)}) : choisissez une autre sauvegarde") from exc
    if status != "ok":
        raise UserError(f"« {path.name} » est endommagé (le contrôle d'intégrité y trouve des pages abîmées) : "
                        "choisissez une autre sauvegarde")
    if problem:
        raise UserError(f"« {path.name} » ne peut pas être restauré : {problem}")
    assert revision is not None
    return revision


def restore_from(db_file: Path, backup: Path) -> Path:
    """Replace the database by ``backup`` after checking it, with every recorded erasure applied
    to it first; returns the copy kept of the database it replaced."""
    check_backup(backup)
    erased = known_erasures(db_file)
    staging = _staged_copy(db_file, backup, erased)
    try:
        kept = _keep_current(db_file)
        try:
            if db_file.exists() and quick_check(db_file) is None:
                _copy_into_live(staging, db_file)
            else:  # missing or unreadable: SQLite cannot write into it, the file itself is replaced
                _replace_file(staging, db_file)
            private_file(db_file)
        except sqlite3.Error as exc:
            raise UserError(f"restauration impossible : {sqlite_error_sentence(exc)} (la base actuelle est "
                            f"inchangée ; copie : {kept})") from exc
        except OSError as exc:
            raise UserError(f"restauration impossible : {os_error_sentence(exc, db_file)} (copie de la base "
                            f"d'avant : {kept})") from exc
    finally:
        remove_with_companions(staging)
    try:  # the damage a check recorded was the replaced file's: the next opening checks this one
        (backup_dir(db_file) / INTEGRITY_FILE).unlink(missing_ok=True)
    except OSError:
        pass
    return kept


def _staged_copy(db_file: Path, backup: Path, erased: list[Erased]) -> Path:
    """A private copy of ``backup`` beside the database with ``erased`` removed from it."""
    fd, name = tempfile.mkstemp(dir=db_file.parent, prefix=f".{db_file.name}.restauration.", suffix=".tmp")
    os.close(fd)
    staging = Path(name)
    try:
        _copy_database(backup, staging)
        private_file(staging)
        scrub_file(staging, erased)
    except sqlite3.Error as exc:
        remove_with_companions(staging)
        raise UserError(f"restauration impossible : {sqlite_error_sentence(exc)} "
                        "(la base actuelle est inchangée)") from exc
    except BaseException:
        remove_with_companions(staging)
        raise
    return staging


def _keep_current(db_file: Path) -> Path:
    """Copy the database about to be replaced into its backup folder (a plain file copy when
    SQLite cannot read it, e.g. damaged)."""
    folder = _private_backup_dir(db_file)
    kept = folder / f"{now().strftime('%Y%m%d-%H%M%S-%f')}-avant-restauration.sqlite"
    if not db_file.exists():
        return kept
    try:
        return backup_to(db_file, kept)
    except UserError:
        try:
            shutil.copyfile(db_file, kept)
            private_file(kept)
        except OSError as exc:
            raise UserError(f"restauration annulée : impossible de garder une copie de la base actuelle "
                            f"({os_error_sentence(exc, kept)})") from exc
        return kept
