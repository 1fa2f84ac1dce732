"""Errors a user can act on, kept apart from bugs.

A :class:`UserError` carries one French sentence that is shown as is (CLI line, GUI message
bar). Anything else that escapes is a bug: logged with its traceback and shown as a short
generic French message.
"""
from __future__ import annotations

import errno
from pathlib import Path


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
    """The database path cannot be used (network share, missing folder, no permission).

    ``read_only``: the existing base this account may read but not write (the file, its folder
    or its medium is read-only), which can still be consulted read-only; else None."""

    def __init__(self, message: str, read_only: Path | None = None) -> None:
        super().__init__(message)
        self.read_only = read_only


class DatabaseDamagedError(UserError):
    """The database file fails SQLite's integrity check; ``backup`` is the newest backup, if any."""

    def __init__(self, message: str, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class DamagedPageError(DatabaseDamagedError):
    """A statement met a damaged page while the database was in use (recorded for the next
    opening's full check, see :func:`db.storage.integrity.watch_for_damage`)."""


class DatabaseBusyError(UserError):
    """A write could not be done for a reason of the environment (lock held too long, full disk,
    read-only file); nothing was written. The message says what to do."""


class PermissionRefusedError(UserError):
    """The database server refused a statement because the connected role may not do it
    (PostgreSQL SQLSTATE 42501: a missing grant, a row-level security policy, our triggers)."""


REFUSED_SENTENCE = ("le serveur a refusé cette opération : votre compte n'en a pas le droit (le catalogue et les "
                    "réglages communs ne se modifient qu'avec un compte administrateur ; un dossier d'élève "
                    "n'est effacé, partagé ou transféré que par son ou sa propriétaire). Rien n'a été modifié")


def refused_by_server(exc: BaseException) -> bool:
    """Whether ``exc`` (a SQLAlchemy or driver error) is the server's "insufficient privilege"."""
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None) == "42501"


class ServerUnreachableError(DatabaseBusyError):
    """The database server stopped answering (stopped, network down) during a write; nothing was
    written. The window keeps the unsaved session as a local draft (:mod:`db.students.drafts`)."""


# What psycopg and libpq say when the server is gone or does not answer (lower case).
SERVER_GONE = ("server closed the connection", "connection refused", "connection timeout expired",
               "terminating connection", "connection is lost", "connection is closed", "consuming input failed",
               "could not receive data", "could not send data", "no route to host", "network is unreachable",
               "is the server running", "the database system is shutting down", "the database system is starting up",
               "timeout expired", "connection reset by peer", "ssl syscall error")


def server_gone(exc: BaseException) -> bool:
    """Whether ``exc`` says the database server cannot be reached (see :data:`SERVER_GONE`)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(words in text for words in SERVER_GONE)


SERVER_GONE_SENTENCE = ("le serveur de base de données ne répond pas (arrêté, ou réseau coupé) : rien n'a été "
                        "enregistré. Vérifiez la connexion puis réessayez")


def says_server_gone(message: str) -> bool:
    """Whether a French message about to be shown says the server stopped answering (it holds
    :data:`SERVER_GONE_SENTENCE`): the window then offers this computer's catalogue read-only."""
    return SERVER_GONE_SENTENCE in message


def is_damage(text: str) -> bool:
    """Whether SQLite's error ``text`` says the file itself is damaged (not the environment)."""
    text = text.lower()
    return any(word in text for word in ("malformed", "not a database", "corrupt"))


def environment_sentence(exc: BaseException) -> str | None:
    """French words for a database error caused by the environment, not by a bug; else None."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if server_gone(exc):
        return SERVER_GONE_SENTENCE
    if "database is locked" in text or "database is busy" in text:
        return ("la base est occupée par une autre opération (un import ?) : rien n'a été enregistré, "
                "réessayez dans un instant")
    if "disk is full" in text or "disk full" in text:
        return "le disque est plein : rien n'a été enregistré. Libérez de la place puis recommencez"
    if "readonly database" in text or "read-only" in text:
        return "la base de données est en lecture seule : rien n'a été enregistré"
    return None


def os_error_sentence(exc: OSError, path: Path | str | None = None) -> str:
    """One French sentence for an OS error, saying what to do about it."""
    where = f" « {path} »" if path is not None else ""
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"le disque est plein : impossible d'écrire{where}. Libérez de la place puis recommencez"
    if code in (errno.EACCES, errno.EPERM):
        return (f"accès refusé{where} : vous n'avez pas le droit d'y écrire ou de le lire. Choisissez un autre "
                "dossier ou demandez les droits à l'administrateur du poste")
    if code == errno.EROFS:
        return f"le support est en lecture seule{where} : choisissez un dossier où l'on peut écrire"
    if code == errno.ENOENT:
        return f"introuvable{where} : vérifiez le chemin (le dossier existe-t-il ?)"
    if code == errno.EISDIR:
        return f"« {path} » est un dossier : donnez un nom de fichier"
    if code == errno.ENOTDIR:
        return f"chemin invalide{where} : une partie du chemin n'est pas un dossier"
    if code == errno.ENAMETOOLONG:
        return f"nom de fichier trop long{where} : choisissez un nom plus court"
    if code == errno.EEXIST:
        return f"« {path} » existe déjà et n'est pas un dossier : choisissez un autre nom"
    if code == errno.EIO:
        return f"erreur de lecture ou d'écriture du disque{where} : vérifiez le support (clé USB retirée ?)"
    if code == errno.EBUSY:
        return f"fichier occupé{where} : fermez le programme qui l'utilise puis recommencez"
    if code in (errno.EMFILE, errno.ENFILE):
        return "trop de fichiers ouverts sur ce poste : fermez des programmes puis recommencez"
    if code == errno.ELOOP:
        return f"chemin invalide{where} : trop de liens symboliques"
    return f"opération impossible{where} (erreur système {code})"


def user_message(exc: BaseException) -> str | None:
    """The French sentence to show for ``exc`` when it is expected — a :class:`UserError`, a
    database error caused by the environment (busy, full, read-only), an OS error — or None
    when it is a bug (then: log it, and say "erreur inattendue"). The one mapping used by the
    command line, the background tasks and the window."""
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, OSError):
        return os_error_sentence(exc, exc.filename)
    if refused_by_server(exc):
        return REFUSED_SENTENCE
    return environment_sentence(exc)
