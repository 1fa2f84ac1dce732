"""Errors a user can act on, kept apart from bugs.

A :class:`UserError` carries one French sentence that is shown as is (CLI line, GUI message
bar). Anything else that escapes is a bug: logged with its traceback and shown as a short
generic French message.
"""
from __future__ import annotations


class UserError(Exception):
    """An expected problem (bad file, unreachable database, wrong argument) with a French message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FicheError(UserError):
    """A file that cannot be imported; the message says why, in French, for the counselor."""


class DatabaseLocationError(UserError):
    """The database path cannot be used (network share, missing folder, no permission)."""


class DatabaseDamagedError(UserError):
    """The database file fails SQLite's integrity check; ``backup`` is the newest backup, if any."""

    def __init__(self, message: str, backup: object = None) -> None:
        super().__init__(message)
        self.backup = backup
