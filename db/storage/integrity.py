"""The full integrity check of a database file, kept off every command's path.

SQLite's ``quick_check`` reads every page (0.3 s at 10,000 métiers, 14 s at a million) and the
full ``integrity_check`` this module runs (it also compares every index with its table) takes
longer still, so opening never runs it. Opening only reads the header and the schema version, and looks at
two small files kept in the database's backup folder (:func:`db.storage.backup.backup_dir`):

- ``controle-integrite.json``: when the file was last checked and what the check found;
- ``.ouverte-<pid>``: one per process that has the database open, removed when that process
  ends normally. A marker whose process is gone means an unclean shutdown (power cut, kill,
  crash) — the moment pages are most likely to be damaged.

When the last check is a week old, was never made, or a shutdown was unclean, the check is
started in a detached child process (:func:`start_background_check`) that the command never
waits for; its result is written to the JSON file and a damage it found is reported, in
French, by the next opening. Setting :data:`NO_BACKGROUND_ENV` (the test suite does) stops
child processes from being started; the check is then only marked as due.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from db.errors import DamagedPageError, UserError, is_damage
from db.storage import backup

if TYPE_CHECKING:
    import threading

    from sqlalchemy import Engine
    from sqlalchemy.engine import ExceptionContext

log = logging.getLogger(__name__)
STATE_FILE = backup.INTEGRITY_FILE
MARKER_PREFIX = ".ouverte-"
CHECK_EVERY = timedelta(days=7)
NO_BACKGROUND_ENV = "ORIENTATION_NO_BACKGROUND_CHECK"
CHILD_ENV = "ORIENTATION_INTEGRITY_CHECK"  # a frozen bundle's executable runs the check when set
_marked: set[Path] = set()  # markers this process wrote (removed at a normal exit)
_waiters: list[threading.Thread] = []  # subprocess and threading: imported when a check starts


def _folder(db_file: Path) -> Path:
    return backup.backup_dir(db_file.resolve())


# ------------------------------------------------------------------ the remembered result
def read_state(db_file: Path) -> dict[str, str | None]:
    """The last check's record: ``checked_at`` (ISO date-time), ``problem`` (None when sound),
    ``running`` (pid of a check under way). Empty when there is none or it is unreadable."""
    try:
        data = json.loads((_folder(db_file) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): (None if v is None else str(v)) for k, v in data.items()}


def _write_state(db_file: Path, state: dict[str, str | None]) -> None:
    from db.storage.files import private_dir, write_atomically

    folder = _folder(db_file)
    try:
        private_dir(folder.parent)
        private_dir(folder)
        write_atomically(folder / STATE_FILE, json.dumps(state, ensure_ascii=False).encode("utf-8"))
    except (OSError, UserError):
        log.info("integrity check result not recorded")  # the next opening schedules it again


def record_result(db_file: Path, problem: str | None) -> None:
    """Remember that ``db_file`` was checked now and what was found (None: sound)."""
    _write_state(db_file, {"checked_at": backup.now().isoformat(timespec="seconds"), "problem": problem})


def damaged_in_use(db_file: Path, exc: BaseException) -> DamagedPageError:
    """The error for a damaged page of ``db_file`` met while in use (``exc``: SQLite's), once
    the damage is recorded: the next opening then checks the whole file at once and names the
    backup to restore (the window asks to restore it). SQLite's words go to the log only."""
    log.warning("damaged page met in %s: %s", db_file.name, str(exc)[:200])
    if _folder(db_file).is_dir():  # a base opened as the application's (not a transfer's source)
        record_result(db_file, f"met while in use: {exc}")
    return DamagedPageError(
        f"la base de données « {db_file} » est endommagée (des pages en sont illisibles) : rien n'a été "
        "modifié. Relancez Orientation (ou la commande) : la base sera vérifiée et la sauvegarde à "
        "restaurer vous sera indiquée")


def watch_for_damage(engine: Engine, db_file: Path) -> None:
    """Make a damaged page of ``db_file`` met by any statement of ``engine`` (opening checks
    only the header: the full check runs in the background) raise :func:`damaged_in_use`
    instead of a database error the counselor would see as "erreur inattendue". Nothing was
    written: the statement failed, its transaction is rolled back."""
    from sqlalchemy import event

    def on_error(context: ExceptionContext) -> UserError | None:
        original = context.original_exception
        # "file is not a database" stays the caller's: opening checks the header before any statement.
        if (isinstance(original, sqlite3.DatabaseError) and is_damage(str(original))
                and "not a database" not in str(original).lower()):
            return damaged_in_use(db_file, original)
        return None

    event.listen(engine, "handle_error", on_error)


def recorded_problem(db_file: Path) -> str | None:
    """What the last check found wrong with ``db_file`` (SQLite's words), None if nothing."""
    return read_state(db_file).get("problem")


def check_due(db_file: Path, unclean: bool) -> bool:
    """Whether a full check should be started: after an unclean shutdown, when none was ever
    recorded, or when the last one is :data:`CHECK_EVERY` old — unless one is running now."""
    state = read_state(db_file)
    running = state.get("running")
    if running and running.isdigit() and _alive(int(running)):
        return False
    if unclean:
        return True
    try:
        checked = datetime.fromisoformat(state.get("checked_at") or "")
    except ValueError:
        return True
    return not timedelta(0) <= backup.now() - checked < CHECK_EVERY


# ------------------------------------------------------------------ clean-shutdown markers
def mark_open(db_file: Path) -> bool:
    """Mark ``db_file`` as open by this process until it exits normally; True when another
    process left its marker behind (it ended without closing: an unclean shutdown)."""
    folder = _folder(db_file)
    unclean = False
    for marker in folder.glob(f"{MARKER_PREFIX}*"):
        pid = marker.name.removeprefix(MARKER_PREFIX)
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            unclean = True
            try:
                marker.unlink()  # counted once: the check it schedules covers that shutdown
            except OSError:
                pass
    mine = folder / f"{MARKER_PREFIX}{os.getpid()}"
    if mine not in _marked:
        from db.storage.files import private_dir

        try:
            private_dir(folder.parent)
            private_dir(folder)
            mine.touch(mode=0o600)
        except OSError:
            return unclean  # no marker: an unclean shutdown of this process goes unnoticed, no more
        if not _marked:
            atexit.register(_remove_markers)
        _marked.add(mine)
    return unclean


def _remove_markers() -> None:
    for marker in _marked:
        try:
            marker.unlink()
        except OSError:
            pass
    _marked.clear()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


# ------------------------------------------------------------------ running the check
def not_damage(problem: str) -> bool:
    """Whether SQLite could not read the file for a reason of the machine (full disk, removed
    stick, busy, no access) rather than because the file is damaged."""
    return any(word in problem.lower() for word in ("i/o error", "disk is full", "locked", "unable to open"))


def run_check(db_file: Path) -> str | None:
    """Run SQLite's integrity_check on ``db_file`` now (:func:`db.storage.backup.full_check`:
    indexes compared with their tables too) and remember the result; returns the problem
    found (None when sound). A check that could not read the file for a reason of the machine
    (full disk, removed stick, busy) records nothing: the next opening schedules it again."""
    problem = backup.full_check(db_file)
    if problem and not_damage(problem):
        state = read_state(db_file)
        state.pop("running", None)
        _write_state(db_file, state)
        return None
    record_result(db_file, problem)
    return problem


def start_background_check(db_file: Path) -> None:
    """Start :func:`run_check` on ``db_file`` in a detached child process; never waits for it.
    Does nothing when :data:`NO_BACKGROUND_ENV` is set."""
    if os.environ.get(NO_BACKGROUND_ENV):
        return
    import subprocess
    import threading

    from db.storage.children import python_child

    db_file = db_file.resolve()
    env = {**os.environ, CHILD_ENV: str(db_file)}
    command = python_child(f"from db.storage.integrity import child_main; sys.exit(child_main({str(db_file)!r}))")
    detach: dict[str, object] = ({"creationflags": 0x00000008 | 0x00000200} if os.name == "nt"  # detached, new group
                                 else {"start_new_session": True})
    # Marked as running (by this process, alive while the check can be) before the child starts,
    # so that the child's result, written after, is never overwritten by this mark.
    state = read_state(db_file)
    _write_state(db_file, {**state, "running": str(os.getpid())})
    try:
        child = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, close_fds=True, **detach)  # type: ignore[call-overload]
    except OSError:
        log.info("background integrity check not started")  # scheduled again at the next opening
        _write_state(db_file, state)
        return
    # Reaped by a daemon thread: a command that ends first simply leaves the child running.
    waiter = threading.Thread(target=child.wait, name="integrity-check", daemon=True)
    waiter.start()
    _waiters.append(waiter)


def child_main(path: str) -> int:
    """What the detached child runs: the check, its result written; 0 when sound."""
    return 1 if run_check(Path(path)) else 0

