"""Whose a student's file is, on an office's PostgreSQL server: share, un-share, hand over.

The server enforces every rule here (row-level security and triggers set by
:mod:`db.storage.office`); these functions only check first so that the counselor reads a
precise French sentence instead of the server's general refusal. On a SQLite file (one
counselor) there is no owner: :func:`ownership` says None and the other functions refuse.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from db.errors import UserError
from db.models import Student, StudentShare
from db.storage.engine import Database
from db.storage.office import COUNSELOR_GROUP, NOT_A_SERVER, check_login


@dataclass(frozen=True)
class Ownership:
    """Who owns a file and the logins it is shared with (those the connected role may see)."""

    owner: str | None
    shared_with: tuple[str, ...]
    mine: bool  # the connected role owns it

    def sentence(self) -> str:
        """French, for the student panel and ``students show``."""
        owner = self.owner or "le compte d'installation"
        whose = "Votre dossier" if self.mine else f"Dossier de {owner}"
        shares = ", ".join(self.shared_with)
        return whose + (f" — partagé avec {shares}" if shares else "")


def ownership(session: Session, student_id: int) -> Ownership | None:
    """The owner and shares of a visible student; None on SQLite or for a student not visible."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    owner = session.execute(select(Student.owner).where(Student.id == student_id)).first()
    if owner is None:
        return None
    logins = session.execute(select(StudentShare.login).where(StudentShare.student_id == student_id)
                             .order_by(StudentShare.login)).scalars().all()
    me = str(session.execute(text("SELECT current_user")).scalar_one())
    return Ownership(owner[0], tuple(logins), owner[0] == me)


def share_student(database: Database, student_id: int, login: str) -> str:
    """Let ``login`` see and change the file (only its owner may). Returns the French confirmation."""
    with database.write() as session:
        me = _owned(session, student_id, "partager")
        _check_counselor(session, login, me)
        known = session.execute(select(StudentShare.login).where(StudentShare.student_id == student_id,
                                                                 StudentShare.login == login)).first()
        if known is None:
            session.execute(insert(StudentShare).values(student_id=student_id, login=login))
    return f"Élève numéro {student_id} partagé avec {login}" + (" (c'était déjà le cas)." if known else ".")


def unshare_student(database: Database, student_id: int, login: str) -> str:
    """Stop sharing the file with ``login`` (only its owner may)."""
    with database.write() as session:
        _owned(session, student_id, "retirer un partage de")
        gone = _rowcount(session.execute(delete(StudentShare).where(StudentShare.student_id == student_id,
                                                                    StudentShare.login == login)))
    if not gone:
        raise UserError(f"l'élève numéro {student_id} n'est pas partagé avec {login} : rien n'a été modifié")
    return f"Élève numéro {student_id} : {login} n'y a plus accès."


def transfer_student(database: Database, student_id: int, login: str) -> str:
    """Hand the file over to ``login``: its sessions too; its shares are removed (the new owner
    decides). Only its owner may, or the installation account (files copied in by ``orientation
    transfert`` have no owner; a departing counselor's files need one); afterwards the former
    owner no longer sees it."""
    with database.write() as session:
        installer = _is_installer(session)
        me = _owned(session, student_id, "transférer", installer=installer)
        _check_counselor(session, login, me)
        # The server's function (db.storage.office) checks ownership again and moves the file.
        session.execute(text("SELECT orientation_hand_over(:student, :login)"),
                        {"student": student_id, "login": login})
    if installer:
        return f"Élève numéro {student_id} confié à {login}."
    return f"Élève numéro {student_id} transféré à {login} : vous n'y avez plus accès."


def _is_installer(session: Session) -> bool:
    """Whether the connected role owns the database (the installation account)."""
    return bool(session.execute(text("SELECT pg_get_userbyid(datdba) = current_user FROM pg_database "
                                     "WHERE datname = current_database()")).scalar())


def _rowcount(result: object) -> int:
    """Rows a DELETE reached (SQLAlchemy types execute()'s result as a plain Result)."""
    return int(getattr(result, "rowcount", 0))


def _owned(session: Session, student_id: int, verb: str, *, installer: bool = False) -> str:
    """The connected login, after checking it owns the visible student ``student_id`` (or,
    with ``installer``, that the installation account sees it)."""
    if session.get_bind().dialect.name != "postgresql":
        raise UserError(NOT_A_SERVER)
    found = ownership(session, student_id)
    if found is None:
        raise UserError(f"aucun élève n'a le numéro {student_id} parmi les dossiers que vous voyez")
    if not found.mine and not installer:
        raise UserError(f"seul·e le ou la propriétaire du dossier ({found.owner}) peut le {verb}")
    return str(session.execute(text("SELECT current_user")).scalar_one())


def _check_counselor(session: Session, login: str, me: str) -> None:
    check_login(login)
    if login == me:
        raise UserError("ce dossier est déjà le vôtre : indiquez l'identifiant d'un·e collègue")
    member = session.execute(text("SELECT pg_has_role(r.oid, :g, 'MEMBER') FROM pg_roles r WHERE r.rolname = :l"),
                             {"g": COUNSELOR_GROUP, "l": login}).first()
    if member is None or not member[0]:
        raise UserError(f"« {login} » n'est pas un compte conseiller·ère de ce serveur "
                        "(orientation serveur conseiller ajouter LOGIN le crée)")
