"""Run plain-Python work on a thread pool; the result or the error comes back in the GUI thread.

:class:`TaskRunner` is the pattern of :mod:`desktop.import_worker` made reusable: the function
runs on the runner's own :class:`QThreadPool` and must open its own database sessions and
return plain values (never ORM objects, never widgets). Its result reaches ``on_done`` — or its
French error message reaches ``on_failed`` — through a queued signal, so both callbacks run in
the GUI thread. A :class:`~db.errors.UserError` gives its own sentence; any other exception is
a bug: logged with its traceback, reported as one generic French sentence.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from db.errors import UserError

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[str], None]
GENERIC_ERROR = "le calcul s'est arrêté sur une erreur inattendue (détail dans le journal)."


class _Task(QRunnable):
    def __init__(self, runner: TaskRunner, ticket: int, function: Callable[[], Any], error: str) -> None:
        super().__init__()
        self.runner, self.ticket, self.function, self.error = runner, ticket, function, error

    def run(self) -> None:
        try:
            result = self.function()
        except UserError as exc:
            self.runner.task_failed.emit(self.ticket, exc.message)
        except Exception:  # a bug: the traceback goes to the log, the counselor gets a sentence
            log.exception("background task failed")
            self.runner.task_failed.emit(self.ticket, self.error)
        else:
            self.runner.task_done.emit(self.ticket, result)


class TaskRunner(QObject):
    """See the module docstring. ``threads`` tasks run at once; the others wait their turn."""

    task_done = Signal(int, object)
    task_failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None, *, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._callbacks: dict[int, tuple[Done, Failed]] = {}
        self._next = 0
        self.task_done.connect(self._done)
        self.task_failed.connect(self._failed)

    def run(self, function: Callable[[], Any], on_done: Done, on_failed: Failed, *, error: str = GENERIC_ERROR) -> None:
        """Call ``function()`` on the pool; then ``on_done(result)`` or ``on_failed(message)`` in the
        GUI thread. ``error`` is the French sentence given for a bug (not for a UserError)."""
        self._next += 1
        self._callbacks[self._next] = (on_done, on_failed)
        self.pool.start(_Task(self, self._next, function, error))

    @property
    def busy(self) -> bool:
        """Whether a task is running or its result has not been delivered yet."""
        return bool(self._callbacks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (closing the window); True if it is. Results still
        queued are delivered by the event loop later, or dropped if it has stopped."""
        return self.pool.waitForDone(msecs)

    def _done(self, ticket: int, result: object) -> None:
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks:
            callbacks[0](result)

    def _failed(self, ticket: int, message: str) -> None:
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks:
            callbacks[1](message)
