"""Files the application reads and writes, handled safely: one place for every file operation
that touches user data.

- :func:`check_regular_file` / :func:`read_bounded`: only regular files are read (a FIFO, a
  device or a folder would hang or never end), and never more than a stated number of bytes.
- :func:`write_atomically` (:func:`stream_atomically` for content written bit by bit): a
  temporary file beside the target, then a rename; the temporary file is removed on every
  failure path (Ctrl+C included), and the result is private (0600).
- :func:`private_dir` / :func:`private_file`: folders 0700 and files 0600 whatever the umask,
  because they hold personal data of minors.
- :func:`os_error_sentence`: one French sentence, naming what to do, for an ``OSError``.

Only the standard library: the window uses these before SQLAlchemy is loaded.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from db.errors import os_error_sentence as os_error_sentence  # the one French wording of OS errors

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
MB = 1024 * 1024


def check_regular_file(path: Path, what: str = "le fichier", *, max_bytes: int | None = None) -> int:
    """Refuse, with a French :class:`~db.errors.UserError`, anything but an existing regular file
    of at most ``max_bytes``; returns its size. Never opens the file (a FIFO would block)."""
    from db.errors import UserError

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError(f"{what} « {path} » est introuvable") from None
    except OSError as exc:
        raise UserError(os_error_sentence(exc, path)) from exc
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"« {path} » est un dossier : indiquez un fichier")
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"« {path} » n'est pas un fichier ordinaire (tube, périphérique ou prise) : "
                        "choisissez un vrai fichier")
    if max_bytes is not None and info.st_size > max_bytes:
        raise UserError(f"{what} « {path} » est trop gros ({info.st_size // MB} Mo ; maximum "
                        f"{max_bytes // MB} Mo) : vérifiez qu'il s'agit du bon fichier")
    return info.st_size


def read_bounded(path: Path, max_bytes: int, what: str = "le fichier") -> bytes:
    """The bytes of the regular file ``path`` (at most ``max_bytes``, else a French UserError)."""
    from db.errors import UserError

    check_regular_file(path, what, max_bytes=max_bytes)
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO after the check, open() does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UserError(f"« {path} » n'est pas un fichier ordinaire : choisissez un vrai fichier")
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UserError(os_error_sentence(exc, path)) from exc
    if len(data) > max_bytes:
        raise UserError(f"{what} « {path} » est trop gros (maximum {max_bytes // MB} Mo)")
    return data


def output_target(path: Path) -> Path:
    """The file an output named ``path`` really goes to (a symbolic link is written through,
    not replaced); a French UserError when it is a folder, a FIFO or a device, which a rename
    would silently replace."""
    from db.errors import UserError

    path = Path(path).expanduser()
    if path.is_symlink():
        path = path.resolve()
    if path.is_dir():
        raise UserError(f"« {path} » est un dossier : donnez un nom de fichier")
    if path.exists() and not path.is_file():
        raise UserError(f"« {path} » n'est pas un fichier ordinaire (tube ou périphérique) : "
                        "donnez un nom de fichier")
    return path


def write_atomically(path: Path, data: bytes, *, private: bool = True) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A crash never leaves half a file; on any failure (disk full, no permission, Ctrl+C) the
    temporary file is removed and the target is untouched. The file is 0600 when ``private``.
    Raises a French UserError for an ``OSError``.
    """
    return stream_atomically(path, lambda handle: handle.write(data), private=private)


def stream_atomically(path: Path, write: Callable[[BinaryIO], object], *, private: bool = True) -> Path:
    """:func:`write_atomically` for content ``write(handle)`` writes bit by bit (an export of
    every métier: memory stays flat); the same guarantees."""
    import tempfile

    from db.errors import UserError

    path = output_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:40]}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_FILE if private else 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise UserError(os_error_sentence(exc, path)) from exc
    finally:
        if tmp is not None:
            _remove_quietly(Path(tmp))
    return path


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def remove_with_companions(path: Path) -> None:
    """Delete the SQLite file ``path`` and its journals (-journal, -wal, -shm); never raises."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        _remove_quietly(Path(f"{path}{suffix}"))


def private_dir(path: Path) -> Path:
    """Create ``path`` if needed and make it 0700 (owner only); an existing folder we do not own
    is left alone. Raises OSError when it cannot be created."""
    path.mkdir(parents=True, exist_ok=True)
    tighten(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    """Make the existing file ``path`` 0600 (owner only), if we own it."""
    tighten(path, PRIVATE_FILE)


def tighten(path: Path, mode: int) -> None:
    """chmod ``path`` to ``mode`` when it exists, we own it and it is looser; never raises."""
    try:
        info = os.stat(path)
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & ~mode:
            os.chmod(path, mode)
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows), ACLs apply there
        pass
