"""The one way to run work off the GUI thread; the result or the error comes back in it.

:class:`TaskRunner` runs a plain-Python function on its own :class:`QThreadPool`; the function
opens its own database sessions and returns plain values (never ORM objects, never widgets).
Its result reaches ``on_done`` — or its French error message ``on_failed`` — through a queued
signal, so both callbacks run in the GUI thread. A :class:`~db.errors.UserError` gives its own
sentence; any other exception is a bug: logged with its traceback, reported as one generic
French sentence. :meth:`TaskRunner.run_with_progress` hands the function a
:class:`TaskContext` to report progress and to see a cancellation. :class:`LatestRunner`
runs one task at a time and delivers only the result of the newest request ("latest request
wins": filter counts, suggestions). The import, the filter counts, the suggestions, the bilan
and the loading of the database at start all go through here.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from db.errors import user_message

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[str], None]
GENERIC_ERROR = "le calcul s'est arrêté sur une erreur inattendue (détail dans le journal)."


class TaskContext:
    """Given to a task started with :meth:`TaskRunner.run_with_progress`."""

    def __init__(self, runner: TaskRunner, ticket: int) -> None:
        self._runner, self._ticket = runner, ticket
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, name: str = "") -> bool:
        """Report progress (it reaches ``on_progress`` in the GUI thread); False once cancelled."""
        self._runner.task_progress.emit(self._ticket, done, total, name)
        return not self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the task to stop (it sees it at its next :meth:`progress`)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Task(QRunnable):
    def __init__(self, runner: TaskRunner, ticket: int, function: Callable[[], Any], error: str) -> None:
        super().__init__()
        self.runner, self.ticket, self.function, self.error = runner, ticket, function, error

    def run(self) -> None:
        try:
            result = self.function()
        except Exception as exc:
            message = user_message(exc)
            if message is None:  # a bug: the traceback goes to the log, the counselor gets a sentence
                log.exception("background task failed")
            self.runner.task_failed.emit(self.ticket, message or self.error)
        else:
            self.runner.task_done.emit(self.ticket, result)


class TaskRunner(QObject):
    """See the module docstring. ``threads`` tasks run at once; the others wait their turn."""

    task_done = Signal(int, object)
    task_failed = Signal(int, str)
    task_progress = Signal(int, int, int, str)

    def __init__(self, parent: QObject | None = None, *, threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._callbacks: dict[int, tuple[Done, Failed]] = {}
        self._progress: dict[int, Callable[[int, int, str], None]] = {}
        self._next = 0
        self.task_done.connect(self._done)
        self.task_failed.connect(self._failed)
        self.task_progress.connect(self._progressed)

    def run(self, function: Callable[[], Any], on_done: Done, on_failed: Failed, *, error: str = GENERIC_ERROR) -> int:
        """Call ``function()`` on the pool; then ``on_done(result)`` or ``on_failed(message)`` in the
        GUI thread. ``error`` is the French sentence given for a bug (not for a UserError).
        Returns the task's ticket."""
        self._next += 1
        self._callbacks[self._next] = (on_done, on_failed)
        self.pool.start(_Task(self, self._next, function, error))
        return self._next

    def run_with_progress(self, function: Callable[[TaskContext], Any], on_done: Done, on_failed: Failed,
                          on_progress: Callable[[int, int, str], None], *, error: str = GENERIC_ERROR) -> TaskContext:
        """:meth:`run` for a function that reports progress and can be cancelled through the
        :class:`TaskContext` it receives (returned here too, for :meth:`TaskContext.cancel`)."""
        context = TaskContext(self, self._next + 1)
        self._progress[context._ticket] = on_progress
        self.run(lambda: function(context), on_done, on_failed, error=error)
        return context

    @property
    def busy(self) -> bool:
        """Whether a task is running or its result has not been delivered yet."""
        return bool(self._callbacks)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (closing the window); True if it is. Results still
        queued are delivered by the event loop later, or dropped if it has stopped."""
        return self.pool.waitForDone(msecs)

    def _progressed(self, ticket: int, done: int, total: int, name: str) -> None:
        if ticket in self._progress and ticket in self._callbacks:
            self._progress[ticket](done, total, name)

    def _done(self, ticket: int, result: object) -> None:
        self._progress.pop(ticket, None)
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks:
            callbacks[0](result)

    def _failed(self, ticket: int, message: str) -> None:
        self._progress.pop(ticket, None)
        callbacks = self._callbacks.pop(ticket, None)
        if callbacks:
            callbacks[1](message)


class LatestRunner(QObject):
    """Runs one task at a time; a request made meanwhile waits, replacing any request already
    waiting, and only the newest request's result (or error) is delivered. The work a newer
    request makes useless is never started, and a stale result never reaches the screen."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self._waiting: tuple[Callable[[], Any], Done, Failed, str] | None = None
        self._newest = 0

    def request(self, function: Callable[[], Any], on_done: Done, on_failed: Failed, *,
                error: str = GENERIC_ERROR) -> None:
        """Run ``function`` now, or as soon as the running task ends if this is still the newest."""
        if self.runner.busy:
            self._waiting = (function, on_done, on_failed, error)
            return
        self._start(function, on_done, on_failed, error)

    def forget(self) -> None:
        """Drop the waiting request and the result of the running one."""
        self._waiting = None
        self._newest += 1

    @property
    def busy(self) -> bool:
        """Whether a result is still to come."""
        return self.runner.busy or self._waiting is not None

    def wait(self, msecs: int = -1) -> bool:
        """Block until the running task is done (closing the window)."""
        self._waiting = None
        return self.runner.wait(msecs)

    def _start(self, function: Callable[[], Any], on_done: Done, on_failed: Failed, error: str) -> None:
        self._newest += 1
        ticket = self._newest
        self.runner.run(function, lambda result: self._finished(ticket, on_done, result),
                        lambda message: self._finished(ticket, on_failed, message), error=error)

    def _finished(self, ticket: int, deliver: Callable[[Any], None], value: object) -> None:
        if self._waiting is not None:  # a newer request: its result is the one that counts
            function, on_done, on_failed, error = self._waiting
            self._waiting = None
            self._start(function, on_done, on_failed, error)
        elif ticket == self._newest:
            deliver(value)


def in_turns(steps: list[Callable[[], object]], parent: QObject) -> None:
    """Run ``steps`` in order, each in an event-loop turn of its own (the window answers between
    them); a step may append further steps to the list; one that raises ends the sequence."""
    from PySide6.QtCore import QTimer

    # A timer object, not QTimer.singleShot(0, …): that is a posted call, which Qt may run in the
    # same pass as the step that posted it, with no input nor other timer in between.
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(0)

    def next_step() -> None:
        steps.pop(0)()
        if steps:
            timer.start()
        else:
            timer.deleteLater()

    timer.timeout.connect(next_step)
    if steps:
        timer.start()
