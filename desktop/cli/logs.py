"""The error log of every ``orientation`` process: private, capped, rotated, with no student content."""
from __future__ import annotations

import io
import logging

LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3


class _CappedLog(logging.FileHandler):
    """A log file that is renamed ``.1`` (``.2``, ``.3``…) once it passes :data:`LOG_MAX_BYTES`,
    keeping :data:`LOG_BACKUPS` old ones. (logging.handlers would do the same but costs the
    window ~8 ms of imports at every start.)"""

    def _open(self):
        import os

        # Created owner-only whatever the umask (the log names no pupil, but it is ours alone).
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        if self.stream is not None and self.stream.tell() > LOG_MAX_BYTES:
            self.close()
            rotate_log(self.baseFilename)


def rotate_log(path: str) -> None:
    """Shift ``path`` to ``path.1`` and older ones down, dropping the oldest."""
    import os

    for number in range(LOG_BACKUPS - 1, 0, -1):
        if os.path.exists(f"{path}.{number}"):
            os.replace(f"{path}.{number}", f"{path}.{number + 1}")
    if os.path.exists(path):
        os.replace(path, f"{path}.1")
    from db.storage.files import tighten

    for number in range(1, LOG_BACKUPS + 1):  # older copies made before the log was private
        tighten(__import__("pathlib").Path(f"{path}.{number}"), 0o600)


def setup_logging() -> None:
    """The error log: owner-only folder and files, at most 1 Mo each and 4 files in all. It never
    holds student content: SQL parameters are hidden by the engine and no record is logged."""
    from db.storage.files import private_dir, private_file
    from db.storage.paths import log_dir

    root = logging.getLogger()
    if any(isinstance(h, logging.FileHandler) for h in root.handlers):
        return
    try:
        private_dir(log_dir())
        path = log_dir() / "orientation.log"
        if path.exists() and path.stat().st_size > LOG_MAX_BYTES:
            rotate_log(str(path))
        # The file opens on the first message: a start that logs nothing writes nothing.
        handler: logging.Handler = _CappedLog(path, encoding="utf-8", delay=True)
        if path.exists():
            private_file(path)
    except OSError:
        handler = logging.StreamHandler(io.StringIO())  # no writable log folder: drop the log
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def log_file() -> str:
    from db.storage.paths import log_dir

    return str(log_dir() / "orientation.log")
