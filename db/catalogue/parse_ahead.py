"""Parse an import's files ahead of its writer, in a forked process: parsing overlaps writing.

A folder import spends about as long parsing its files and computing their indexed text as
writing them; on a machine with two cores, :class:`ParseAhead` lets a child process do the
former for the next files while this process writes the current group. The child is a plain
``os.fork`` of this process (Linux only: no new interpreter to start, it already holds the
parsers, and any test's patches). It never touches the database nor the standard streams (the
window's import process has a thread reading its stdin: ``multiprocessing``'s child start-up,
which closes stdin, would wait for that thread's lock forever), ends with ``os._exit`` (no
clean-up of the parent's objects). It appends each file's result, pickled, to an unlinked
temporary file and sends its length through a pipe (a few bytes: the child never waits for the
writer, however far ahead it is); the importer reads the next result when it needs it, with no
thread of its own (a thread draining the pipe measured the same, 5 rounds alternated).

Nothing else changes: files are handed out in order, each exactly as
:func:`db.catalogue.importing._parse` gives it (a parser failure is a refused file, its log
record re-logged here), groups are committed by the importer as before. If the child dies, the
files it did not send are parsed here; :meth:`ParseAhead.close` (always called by the importer:
end, cancel, Ctrl+C, error) kills it. The child ignores Ctrl+C: the importer handles it.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

MIN_FILES = 8  # fewer files: starting a child is not worth it
_END = object()
Item = TypeVar("Item")
Result = TypeVar("Result")


def available() -> bool:
    """Whether parsing ahead is possible here: Linux (macOS forbids forking a process that may
    have loaded system frameworks, Windows has no fork)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class _Collect(logging.Handler):
    """The child's log records, kept to be sent with the file being parsed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.records.append((record.levelno, f"{record.name}: {text}"))


def _child(items: Sequence[Any], work: Callable[[Any], Any], spool: int, channel: Connection) -> None:
    """The child's whole life: ``work`` each item in order; its (result, log records), pickled,
    appended to ``spool``, then their length sent on ``channel`` (a few bytes: never blocks)."""
    root = logging.getLogger()
    for handler in list(root.handlers):  # the parent's handlers (a log file, a relay pipe) stay its own
        root.removeHandler(handler)
    collect = _Collect()
    root.addHandler(collect)
    try:
        for item in items:
            data = pickle.dumps((work(item), collect.records), protocol=pickle.HIGHEST_PROTOCOL)
            collect.records = []
            view = memoryview(data)
            while view:
                view = view[os.write(spool, view):]
            channel.send_bytes(len(data).to_bytes(8, "little"))
    except OSError:  # the importer is gone or closed its end, a full disk: the importer parses the rest
        pass


def _fork(items: Sequence[Any], work: Callable[[Any], Any], spool: int, reader: Connection,
          writer: Connection) -> int:
    """Start the child; its process id (in the child, never returns)."""
    with warnings.catch_warnings():  # Python ≥ 3.12 warns on fork with threads: the child runs no thread's code
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the importer's to handle
        reader.close()
        _child(items, work, spool, writer)
        status = 0
    finally:
        os._exit(status)  # whatever happened: never back into the parent's code


class ParseAhead(Generic[Item, Result]):
    """``work(item)`` for each of ``items``, computed ahead in a forked child; :meth:`take`
    returns the results in order; :meth:`close` kills the child (the importer always calls it)."""

    def __init__(self, items: Sequence[Item], work: Callable[[Item], Result]) -> None:
        self.items = items
        self.work = work
        self.taken = 0
        self.offset = 0  # where the next result starts in the spool file
        self.broken = False
        # Unlinked at once: gone with its last descriptor (closed in close()).
        self.spool = tempfile.TemporaryFile(prefix="orientation-import-")  # noqa: SIM115
        reader, writer = multiprocessing.Pipe(duplex=False)
        self.reader = reader
        try:
            self.pid: int | None = _fork(items, work, self.spool.fileno(), reader, writer)
        except OSError:
            reader.close()
            self.spool.close()
            raise
        finally:
            writer.close()  # the child's end: once it exits, reading here ends

    def _next(self) -> Any:
        """The child's next (result, log records), or :data:`_END` when it sent no more."""
        try:
            size = int.from_bytes(self.reader.recv_bytes(), "little")
            data = os.pread(self.spool.fileno(), size, self.offset)
            self.offset += size
            return pickle.loads(data)
        except (EOFError, OSError):  # the child ended (all sent, killed, or died)
            return _END
        except Exception:  # a result that cannot be read back: the rest is parsed here
            log.exception("parse-ahead: result unreadable")
            return _END

    def take(self, item: Item) -> Result:
        """The result for ``item``, the next one in order: the child's, or computed here when
        the child died."""
        assert self.items[self.taken] is item, "items must be taken in order"
        self.taken += 1
        if not self.broken:
            got = self._next()
            if got is not _END:
                result, records = got
                for level, text in records:
                    log.log(level, "parse-ahead: %s", text)
                return result  # type: ignore[no-any-return]
            self.broken = True
            log.warning("parse-ahead process ended early: files from %d parsed in this process", self.taken)
        return self.work(item)

    def ready(self) -> bool:
        """Whether :meth:`take` would return at once: the child's next result is waiting (or
        the child is gone, and the rest is parsed here)."""
        if self.broken or self.taken >= len(self.items):
            return True
        try:
            return self.reader.poll()
        except OSError:
            return True

    def close(self) -> None:
        """Kill the child (if it still runs) and wait for it; never raises."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:  # already gone (it still has to be waited for)
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        self.pid = None
        self.reader.close()
        self.spool.close()
