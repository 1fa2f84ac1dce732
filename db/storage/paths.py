"""Where Orientation keeps its files, and which database the user asked for.

Only the standard library and platformdirs: the window reads these before SQLAlchemy is
loaded (see :mod:`db.catalogue.startup_view`). :func:`db.storage.engine.resolve_url` builds on them.
"""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

from db.errors import DatabaseLocationError

APP_NAME = "orientation"
ENV_VAR = "ORIENTATION_DB"
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smbfs", "smb3", "afs", "9p", "fuse.sshfs", "davfs",
              "fuse.davfs2", "ncpfs", "glusterfs", "ceph"}


def data_dir() -> Path:
    """The per-user folder holding the database and backups (created on demand)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The per-user folder holding the error log."""
    return Path(user_log_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``ORIENTATION_DB`` is given."""
    return data_dir() / "orientation.sqlite"


def check_local_path(path: Path) -> None:
    """Refuse a SQLite file on a network share: SQLite locking is unreliable there.

    Detects UNC paths (``\\\\server\\share``, ``//server/share``) and, on Linux, folders
    mounted from a network filesystem (NFS, SMB/CIFS, sshfs…).
    """
    text = str(path)
    if text.startswith("\\\\") or text.startswith("//"):
        raise DatabaseLocationError(_network_message(text))
    fs_type = _mount_fs_type(path)
    if fs_type in NETWORK_FS:
        raise DatabaseLocationError(_network_message(text))


def _network_message(path: str) -> str:
    return (f"la base de données « {path} » est sur un partage réseau : SQLite peut y perdre des "
            "données. Choisissez un dossier local de ce poste (option --db ou variable ORIENTATION_DB).")


def _mount_fs_type(path: Path) -> str | None:
    """The filesystem type of the mount holding ``path`` (Linux /proc/mounts), or None."""
    try:
        lines = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.expanduser().absolute())
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ")
        if (target == mount or target.startswith(mount.rstrip("/") + "/")) and len(mount) >= len(best):
            best, best_type = mount, parts[2]
    return best_type


def requested_db(db: str | None = None) -> str:
    """What the user asked for: ``--db`` > ``ORIENTATION_DB`` > the default file (a URL or a path)."""
    return db or os.environ.get(ENV_VAR) or str(default_db_path())


def base_to_create(db: str | None = None) -> Path | None:
    """The SQLite file an opening of ``db`` (see :func:`requested_db`) would create: it does not
    exist yet, or is empty. None for a server, or for anything already there (a base; a folder,
    a FIFO… which the opening refuses in its own words)."""
    asked = requested_db(db)
    path = sqlite_path(asked) if "://" in asked else Path(asked).expanduser()
    if path is None or (path.exists() and not (path.is_file() and path.stat().st_size == 0)):
        return None
    return path


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for another database or an in-memory one)."""
    from sqlalchemy.engine import make_url  # only when a URL is given: a start-up without one never loads it

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)
