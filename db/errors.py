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


class DatabaseBusyError(UserError):
    """A write could not be done for a reason of the environment (lock held too long, full disk,
    read-only file); nothing was written. The message says what to do."""


def environment_sentence(exc: BaseException) -> str | None:
    """French words for a database error caused by the environment, not by a bug; else None."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "database is locked" in text or "database is busy" in text:
        return ("la base est occupée par une autre opération (un import ?) : rien n'a été enregistré, "
                "réessayez dans un instant")
    if "disk is full" in text or "disk full" in text:
        return "le disque est plein : rien n'a été enregistré. Libérez de la place puis recommencez"
    if "readonly database" in text or "read-only" in text:
        return "la base de données est en lecture seule : rien n'a été enregistré"
    return None
