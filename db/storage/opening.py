"""Opening a SQLite database file: the right diagnosis before anything is touched, a new file
that appears whole or not at all, private modes, and the daily backup that never blocks.

:func:`open_database` is the one way into a database for the window, the command line and the
tests; each check raises a :class:`UserError` whose French sentence names the problem and the
action that fixes it, so that a counselor is never told "la base est endommagée" about an
intact file in a read-only folder. The low-level engine and session settings are
:mod:`db.storage.engine`.

A PostgreSQL server (``--db postgresql+psycopg://…``) skips every file check, backup and
integrity step here (the office's own ``pg_dump`` backs it up): it is migrated and filled the
same way, and a server that cannot be reached is one French sentence.
"""
from __future__ import annotations

import errno
import logging
import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.orm import sessionmaker

from db.errors import (DamagedPageError, DatabaseDamagedError, DatabaseLocationError, PermissionRefusedError, UserError,
                       is_damage, refused_by_server)
from db.storage.engine import Database, make_engine, resolve_url
from db.storage.files import os_error_sentence, remove_with_companions, tighten
from db.storage.paths import default_db_path, requested_db
from db.storage import integrity
from db.storage.integrity import not_damage
from db.storage.schema_version import KNOWN_REVISIONS, unknown_revision_sentence

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("", "-wal", "-shm", "-journal")


# ------------------------------------------------------------------ the entry point
def open_database(db: str | None = None, *, load_starter: bool = True, backups: bool = True,
                  daily: bool = True) -> Database:
    """Open (creating if needed) and migrate the database; a new database gets the starter
    catalogue (or, with ``load_starter=False``, is marked as not wanting it). See :func:`resolve_url`.

    A SQLite file is checked first, cheaply (nothing read grows with the file) — a folder, a
    read-only file or folder, another program's file, a newer version's database, a truncated
    one or one the last background check found damaged (the message names the newest backup)
    each raise their own French :class:`UserError`; the full check runs in the background
    (:mod:`db.storage.integrity`). A new file is built under a temporary name and appears whole
    (catalogue included) or not at all. Files are made 0600. With ``backups``, a copy is made
    before any migration, and with ``daily`` too the day's backup (:func:`daily_backup`, skipped
    when nothing changed); a daily backup that fails (disk full) is a warning in
    :attr:`Database.warnings`, never a reason not to open. Read-only commands and the window
    (which backs up off its GUI thread, after the database is attached) pass ``daily=False``.
    """
    url = resolve_url(db)
    path = _sqlite_file(url)
    explicit = requested_db(db) != str(default_db_path())
    if path is not None:
        check_before_opening(path, explicit)
        if not path.exists() or path.stat().st_size == 0:
            create_atomically(path, load_starter=load_starter)
            _remember_sound_new_file(path)
        make_private(path)
    try:
        database = open_and_prepare(url, path, load_starter=load_starter, backups=backups, daily=daily)
    except DamagedPageError as exc:  # met by a statement while opening: the refusal naming the backup
        assert path is not None  # only SQLite files have pages
        raise _damaged(path, explicit, str(exc.__cause__ or exc)) from exc
    except (sqlite3.DatabaseError, SADatabaseError) as exc:
        if path is None:  # a server: unreachable, refused, wrong name or password
            if refused_by_server(exc):  # a counselor's role met a schema its owner must migrate first
                raise DatabaseLocationError(
                    f"la base « {_safe_url(url)} » doit d'abord être mise à jour par son propriétaire "
                    "(orientation serveur init --db …, avec le compte d'installation) : votre compte n'en a "
                    "pas le droit") from exc
            if not isinstance(exc, SAOperationalError):
                raise  # a statement the server refused: a bug, not the counselor's to fix
            log.warning("database server unreachable: %s", str(exc).splitlines()[0][:300] if str(exc) else "")
            raise DatabaseLocationError(
                f"connexion impossible à la base de données « {_safe_url(url)} » : vérifiez que le serveur est "
                "joignable et les paramètres de connexion") from exc
        if is_damage(str(exc)):  # a damaged page met while opening: the same refusal as the check's
            raise _damaged(path, explicit, str(exc)) from exc
        raise diagnose(exc, path) from exc
    if path is not None:
        make_private(path)
    return database


def _remember_sound_new_file(path: Path) -> None:
    """A file this process has just built is sound: no full check is due for a week."""
    integrity.record_result(path, None)
    integrity.mark_open(path)


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_file(url: str) -> Path | None:
    from db.storage.backup import sqlite_path

    return sqlite_path(url)


# ------------------------------------------------------------------ before opening
def check_before_opening(path: Path, explicit: bool) -> None:
    """Refuse, in French, a database file that cannot be used as it is; nothing is written."""
    if not path.exists():
        _check_writable_folder(path.parent)
        return
    _check_permissions(path)
    if path.stat().st_size == 0:
        return
    _check_header(path)
    try:
        _check_revision(path)
    except sqlite3.DatabaseError as exc:  # the header is SQLite's but the pages are not readable
        if not_damage(str(exc)):
            raise diagnose(exc, path) from exc
        raise _damaged(path, explicit, str(exc)) from exc
    _check_integrity(path, explicit)


def _check_writable_folder(folder: Path, database: Path | None = None) -> None:
    """``database``: the existing base in ``folder``, readable, named in the error when the
    folder is read-only (it can still be consulted, see DatabaseLocationError.read_only)."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        read_only = database if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else None
        raise DatabaseLocationError(_folder_sentence(exc, folder), read_only) from exc


def _folder_sentence(exc: OSError, folder: Path) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"le dossier « {folder} » est en lecture seule : la base de données a besoin d'y écrire "
                "(journal à côté du fichier). Demandez les droits d'écriture sur ce dossier à votre service "
                "informatique, ou copiez la base dans un dossier où vous pouvez écrire et ouvrez-la de là "
                "(--db en ligne de commande, ou variable ORIENTATION_DB)")
    return f"dossier de la base de données inutilisable : {os_error_sentence(exc, folder)}"


def _check_permissions(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            readable = os.access(path, os.R_OK)
            raise DatabaseLocationError(
                (f"la base de données « {path} » est en lecture seule (elle est intacte) : demandez les droits "
                 "d'écriture à votre service informatique, ou copiez-la dans un dossier à vous et ouvrez-la de là "
                 "(--db en ligne de commande, ou variable ORIENTATION_DB)")
                if readable else
                (f"accès refusé à la base de données « {path} » : ce compte n'a pas le droit de la lire. "
                 "Ouvrez la session de son propriétaire ou demandez les droits"), path if readable else None) from exc
        raise DatabaseLocationError(f"base de données inutilisable : {os_error_sentence(exc, path)}") from exc
    _check_writable_folder(path.parent, path)


def _check_header(path: Path) -> None:
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseLocationError(
            f"« {path} » n'est pas une base de données d'Orientation (c'est un fichier d'un autre type) : "
            "vérifiez le chemin donné à --db ou à ORIENTATION_DB")


def _check_revision(path: Path) -> None:
    from db.storage.schema_version import connect_read_only

    conn = connect_read_only(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        row = (conn.execute("SELECT version_num FROM alembic_version").fetchone()
               if "alembic_version" in tables else None)
    finally:
        conn.close()
    if "alembic_version" not in tables and tables:
        raise DatabaseLocationError(
            f"« {path} » est une base de données d'un autre programme, pas d'Orientation : elle n'a pas été "
            "modifiée. Vérifiez le chemin donné à --db ou à ORIENTATION_DB")
    if row is not None and row[0] not in KNOWN_REVISIONS:
        raise DatabaseLocationError(unknown_revision_sentence(str(row[0])))


def _check_integrity(path: Path, explicit: bool) -> None:
    """Cheap checks only: the file is as long as its header says, and the last full check (run
    in the background, see :mod:`db.storage.integrity`) found nothing. A recorded damage is
    confirmed by checking again before the file is refused (it may have been replaced since);
    a full check is started in the background when one is due."""
    from db.storage import backup

    if _truncated(path) or integrity.recorded_problem(path) is not None:
        problem = backup.full_check(path)  # the same check as the one that recorded it
        if problem and not_damage(problem):
            # The check could not read the file (full disk, removed stick, busy): not damage.
            raise diagnose(sqlite3.OperationalError(problem), path)
        integrity.record_result(path, problem)
        if problem:
            raise _damaged(path, explicit, problem)
    unclean = integrity.mark_open(path)
    if integrity.check_due(path, unclean):
        integrity.start_background_check(path)


def _truncated(path: Path) -> bool:
    """Whether the file is shorter than the page count its header states (when that count is
    valid: SQLite writes it with the change counter it belongs to)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(header) < 100:
        return True
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65_536 if page_size == 1 else page_size
    pages, counter, valid_for = (int.from_bytes(header[i:i + 4], "big") for i in (28, 24, 92))
    return pages > 0 and counter == valid_for and size < pages * page_size


def _damaged(path: Path, explicit: bool, problem: str) -> DatabaseDamagedError:
    """The French error for a damaged file, naming the command that restores its newest backup
    (with ``--db`` when the database is not the default one). SQLite's own words go to the log."""
    from db.storage import backup

    log.warning("integrity problem in %s: %s", path.name, problem[:500])
    latest = backup.latest_backup(path)
    target = f' --db "{path}"' if explicit else ""
    hint = (f" ; restaurez la dernière sauvegarde : orientation restore \"{latest}\"{target} --yes" if latest
            else " ; aucune sauvegarde automatique n'est disponible. Gardez ce fichier tel quel (ne le supprimez "
                 "pas) : une sauvegarde faite à la main se restaure avec orientation restore FICHIER --yes, et "
                 "votre service informatique peut tenter d'en récupérer le contenu")
    return DatabaseDamagedError(f"la base de données « {path} » est endommagée (le contrôle d'intégrité y "
                                f"trouve des pages abîmées){hint}", latest)


def diagnose(exc: BaseException, path: Path | None) -> UserError:
    """The French error for a SQLite error met while opening ``path``."""
    text = str(exc).lower()
    where = f" « {path} »" if path is not None else ""
    if "disk is full" in text or "disk full" in text:
        return DatabaseLocationError(f"le disque est plein : la base de données{where} ne peut pas être écrite. "
                                     "Libérez de la place puis relancez Orientation")
    if "readonly" in text or "read-only" in text:
        return DatabaseLocationError(f"la base de données{where} ou son dossier est en lecture seule (la base "
                                     "est intacte) : demandez les droits d'écriture ou utilisez --db")
    if "locked" in text or "busy" in text:
        return DatabaseLocationError("la base de données est occupée par une autre opération (un import ?) : "
                                     "réessayez dans un instant")
    if "disk i/o error" in text:
        folder = path.parent if path is not None else Path(".")
        if _free_bytes(folder) < 1_000_000:
            return DatabaseLocationError(f"le disque est plein : la base de données{where} ne peut pas être écrite. "
                                         "Libérez de la place puis relancez Orientation")
        return DatabaseLocationError(f"erreur de lecture ou d'écriture du disque pour la base de données{where} : "
                                     "vérifiez le support (clé USB retirée ?) puis relancez Orientation")
    if "unable to open" in text:
        return DatabaseLocationError(f"impossible d'ouvrir la base de données{where} : vérifiez le chemin et "
                                     "les droits sur le dossier")
    log.warning("database error on opening: %s", text[:500])
    return DatabaseLocationError(f"la base de données{where} est illisible ou endommagée (détail dans le journal)")


def _free_bytes(folder: Path) -> int:
    import shutil

    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 1 << 40


# ------------------------------------------------------------------ a new file, whole or not at all
def create_atomically(path: Path, *, load_starter: bool) -> None:
    """Build a new database (schema, nomenclatures, starter catalogue) under a temporary name,
    then give it its real name in one step: an interrupted first start (kill, power cut, full
    disk) leaves no half-made database, and the next start simply begins again."""
    _remove_stale_creations(path)
    tmp = path.with_name(f".{path.name}.creation-{os.getpid()}.tmp")
    try:
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # SQLite keeps this mode
        database = open_and_prepare(_url(tmp), tmp, load_starter=load_starter, backups=False)
        database.close()  # the last connection merges and removes the write-ahead log
        _publish(tmp, path)
    except OSError as exc:
        raise DatabaseLocationError(f"création de la base impossible : {os_error_sentence(exc, path)}") from exc
    except sqlite3.Error as exc:
        raise diagnose(exc, path) from exc
    except Exception as exc:
        from sqlalchemy.exc import DatabaseError

        if isinstance(exc, DatabaseError):
            raise diagnose(exc, path) from exc
        raise
    finally:
        remove_with_companions(tmp)


def _url(path: Path) -> str:
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def _publish(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path`` unless another start got there first (then keep theirs)."""
    try:
        os.link(tmp, path)  # fails if the name exists: never replaces a database someone opened
    except FileExistsError:
        if path.stat().st_size == 0:  # an empty placeholder file: nothing to lose
            os.replace(tmp, path)
    except OSError:
        if not path.exists():  # a filesystem without hard links (FAT USB stick)
            os.replace(tmp, path)


def _remove_stale_creations(path: Path) -> None:
    for stale in path.parent.glob(f".{path.name}.creation-*.tmp"):
        pid = stale.name.rsplit("-", 1)[-1].removesuffix(".tmp")
        if pid.isdigit() and not _alive(int(pid)):
            remove_with_companions(stale)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def make_private(path: Path) -> None:
    """The database and its companions readable by their owner only (0600), whatever the umask."""
    for suffix in COMPANIONS:
        tighten(Path(f"{path}{suffix}"), 0o600)


# ------------------------------------------------------------------ open, migrate, fill
def open_and_prepare(url: str, path: Path | None, *, load_starter: bool, backups: bool,
                     daily: bool = True) -> Database:
    """The :class:`db.storage.engine.Database` at ``url``: migrated, nomenclatures current, starter
    catalogue loaded (or resumed), and the daily backup made when ``backups``."""
    from db.storage import backup
    from db.storage.migrate import is_up_to_date, upgrade_if_behind
    from db.catalogue.starter import ensure_nomenclatures, load_starter_catalogue

    engine = make_engine(url)
    if path is not None:
        integrity.watch_for_damage(engine, path)
    try:
        before = (lambda: backup.automatic_backup(path, "avant-migration")) if path and backups else None
        if not is_up_to_date(path):
            upgrade_if_behind(url, before=before)
        database = Database(url, engine, sessionmaker(engine, expire_on_commit=False))
        try:
            ensure_nomenclatures(database)
            load_starter_catalogue(database, skip=not load_starter)
        except PermissionRefusedError:  # a counselor on the office's server: the catalogue is not theirs
            database.warnings.append("le catalogue partagé a une mise à jour en attente : elle se fera quand "
                                     "l'administrateur·rice ouvrira la base. L'application reste utilisable")
        if path is not None and backups:
            pending = backup.apply_pending_erasures(path)  # an erasure cut short is finished here
            if pending is not None and pending.failed:
                database.warnings.append(pending.sentence())
            warning = daily_backup_warning(database, path) if daily else None
            if warning:
                database.warnings.append(warning)
    except BaseException:
        engine.dispose()
        raise
    return database


def daily_backup_warning(database: Database, path: Path) -> str | None:
    """Make the day's backup; a French warning instead of an error when it cannot be made."""
    try:
        daily_backup(database, path)
    except UserError as exc:
        log.warning("daily backup not made")
        reason = exc.message.removeprefix("sauvegarde impossible : ")
        return f"la sauvegarde du jour n'a pas pu être faite ({reason}). L'application reste utilisable"
    return None


def daily_backup(database: Database, path: Path) -> Path | None:
    """Copy the database into its backups (then the rotation) once a day at most, and only when
    it changed since the last daily backup (:func:`db.storage.backup.change_fingerprint`): an
    unchanged file is not copied again. Returns the copy made, None when none was needed.

    The day and the fingerprint are kept beside the backups, not in the database, so that
    recording them does not itself change the file."""
    from db.storage import backup
    from db.catalogue.store import get_meta

    today = backup.now().date().isoformat()
    last = backup.last_daily(path)
    if last.get("day") == today:
        return None
    fingerprint = backup.change_fingerprint(path)  # taken first: a write during the copy shows next time
    if fingerprint == last.get("fingerprint") and backup.latest_backup(path) is not None:
        backup.remember_daily(path, today, fingerprint)
        return None
    with database.read() as session:
        keep = get_meta(session, backup.KEEP_DAYS_KEY)
    days = int(keep) if keep and keep.isdigit() else backup.KEEP_DAYS_DEFAULT
    made = backup.automatic_backup(path, "quotidienne", days)
    backup.remember_daily(path, today, fingerprint)
    return made


def backup_in_background(database: Database) -> str | None:
    """The day's backup of ``database`` (see :func:`daily_backup`) for the window, which calls it
    off its GUI thread once the database is attached; a French warning when it failed, None
    otherwise (and for a database that is not a SQLite file, or opened read-only: nothing in it
    can change, and a read-only medium has no room for a backup folder)."""
    from db.storage.backup import sqlite_path

    if database.read_only:
        return None
    path = sqlite_path(database.url)
    return daily_backup_warning(database, path) if path is not None else None
