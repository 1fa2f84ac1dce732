"""An import run in a process of its own, so that the window's process never competes for its GIL.

:func:`import_in_process` starts a child Python process (the bundle's own executable when frozen,
see :data:`CHILD_ENV`), hands it the database address and the paths on its standard input, and
relays what it reports: progress (``progress(done, total, name)``, whose False answer cancels),
then the :class:`~db.catalogue.importing.ImportSummary` — the very one
:func:`~db.catalogue.importing.import_paths` returned in the child — or the French sentence of a
:class:`~db.errors.UserError`. The child runs :func:`~db.catalogue.importing.import_paths`
unchanged: each file imported whole or not at all, groups committed as they are written; a cancel
is seen between two files, as in the same process. If the child dies, whatever it had not
committed is rolled back by the database itself.

Protocol (JSON lines): parent → child: the request, then optionally ``cancel``; child → parent,
on a copy of its standard output (anything printed goes to its standard error): ``pid``,
``progress``, ``log`` (records of its loggers, re-logged here), then ``summary``, ``error``
(French sentence) or ``bug`` (traceback, logged here; the caller gets a generic sentence).
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from db.errors import UserError, user_message

log = logging.getLogger(__name__)

CHILD_ENV = "ORIENTATION_IMPORT_CHILD"  # a frozen bundle's executable runs child_main() when set
BUG_SENTENCE = "l'importation s'est arrêtée sur une erreur inattendue (détail dans le journal)."
Progress = Callable[[int, int, str], bool]


class ImportBug(UserError):
    """The child stopped on an unexpected error: its traceback is in the log, the counselor gets
    the generic sentence."""


def in_process_possible(url: str) -> bool:
    """False for a database only this process can see (SQLite in memory)."""
    return not (url.startswith("sqlite") and (url.rstrip("/") in ("sqlite:", "sqlite:///:memory:")
                                                or ":memory:" in url or "mode=memory" in url))


def child_command() -> tuple[list[str], dict[str, str]]:
    """The child's command line and environment (it finds the packages this process found)."""
    from db.storage.children import python_child

    command = python_child("from db.catalogue.import_process import child_main; sys.exit(child_main())")
    return command, {**os.environ, CHILD_ENV: "1"}


def import_in_process(url: str, paths: Iterable[str | Path], *, read_only: bool = False,
                      progress: Progress | None = None, started: Callable[[int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> Any:
    """Import ``paths`` into the database at ``url`` in a child process; its ImportSummary.

    ``started(pid)`` is told the child's process id. When ``cancelled()`` is already true, no
    process is started and the summary is empty (what a cancel before the first file gives).
    Raises :class:`UserError` (its French sentence) or :class:`ImportBug`. Blocks until the
    child is done (reading its pipe, which holds no lock this process's other threads need)."""
    from db.catalogue.importing import FileResult, ImportSummary

    if cancelled is not None and cancelled():
        return ImportSummary()
    command, env = child_command()
    request = json.dumps({"url": url, "paths": [str(p) for p in paths], "read_only": read_only})
    outcome: dict[str, Any] = {}
    with tempfile.TemporaryFile() as errors, \
            subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                             text=True, encoding="utf-8") as child:
        assert child.stdin is not None and child.stdout is not None
        try:
            _send(child.stdin, request)
            outcome = _relay(child.stdin, child.stdout, progress, started)
        finally:
            _close(child.stdin)  # if the relay failed, the child sees it as a cancel
        child.wait()
        if not outcome:  # it died before its last word: what it said on stderr goes to the log
            errors.seek(0)
            outcome = {"bug": errors.read()[-4000:].decode("utf-8", "replace") or "no report"}
    if "summary" in outcome:
        data = outcome["summary"]
        files = [FileResult(**item) for item in data.pop("files")]
        return ImportSummary(files=files, **data)
    if "error" in outcome:
        raise UserError(str(outcome["error"]))
    log.error("import process failed (exit status %s):\n%s", child.returncode, outcome.get("bug", "no report"))
    raise ImportBug(BUG_SENTENCE)


def _relay(to_child: IO[str], from_child: IO[str], progress: Progress | None,
           started: Callable[[int], None] | None) -> dict[str, Any]:
    """Pass the child's reports on until it ends; its last word (summary, error or bug)."""
    outcome: dict[str, Any] = {}
    cancelled = False
    for line in from_child:
        message = json.loads(line)
        if "pid" in message:
            if started is not None:
                started(int(message["pid"]))
        elif "progress" in message:
            if progress is not None and progress(*message["progress"]) is False and not cancelled:
                cancelled = True
                _send(to_child, "cancel")
        elif "log" in message:
            level, text = message["log"]
            log.log(int(level), "import process: %s", text)
        else:
            outcome = message
    return outcome


def _send(stream: IO[str], line: str) -> None:
    try:
        stream.write(line + "\n")
        stream.flush()
    except (BrokenPipeError, OSError):  # the child already ended: its report says why
        pass


def _close(stream: IO[str]) -> None:
    try:
        stream.close()
    except OSError:
        pass


class _Relay(logging.Handler):
    """Sends the child's log records to the parent, which writes them to its log."""

    def __init__(self, emit: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(logging.INFO)
        self.send = emit

    def emit(self, record: logging.LogRecord) -> None:
        self.send({"log": [record.levelno, self.format(record)]})


def child_main() -> int:
    """What the child runs: read the request, import, report (see the module docstring)."""
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not break the protocol
    lock = threading.Lock()

    def send(message: dict[str, Any]) -> None:
        with lock:
            channel.write(json.dumps(message, ensure_ascii=False) + "\n")
            channel.flush()

    logging.getLogger().addHandler(_Relay(send))
    logging.getLogger().setLevel(logging.INFO)
    send({"pid": os.getpid()})
    request = json.loads(sys.stdin.readline())
    cancel = threading.Event()
    threading.Thread(target=_watch_cancel, args=(cancel,), daemon=True).start()

    def progress(done: int, total: int, name: str) -> bool:
        send({"progress": [done, total, name]})
        return not cancel.is_set()

    try:
        send({"summary": _run(request, progress)})
    except Exception as exc:
        message = user_message(exc)  # the mapping the window's workers use
        if message is not None:
            send({"error": message})
            return 2
        import traceback

        send({"bug": traceback.format_exc()})
        return 1
    return 0


def _watch_cancel(cancel: threading.Event) -> None:
    """Cancel on the parent's word, or when its end of the pipe closes (the parent is gone)."""
    for line in sys.stdin:
        if line.strip() == "cancel":
            break
    cancel.set()


def _run(request: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """The import itself, on the database the parent already opened (migrated, checked)."""
    from dataclasses import asdict

    from sqlalchemy.orm import sessionmaker

    from db.catalogue.importing import import_paths
    from db.storage import integrity
    from db.storage.backup import sqlite_path
    from db.storage.engine import Database, make_engine

    engine = make_engine(request["url"])
    path = sqlite_path(request["url"])
    if path is not None:
        integrity.watch_for_damage(engine, path)
    try:
        database = Database(request["url"], engine, sessionmaker(engine, expire_on_commit=False),
                            read_only=bool(request.get("read_only")))
        summary = import_paths(database, request["paths"], progress=progress)
    finally:
        engine.dispose()
    return asdict(summary)

