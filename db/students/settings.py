"""Settings stored in the database (shared by the GUI, the command line and the report).

The counselor's identity printed on reports lives here rather than in per-user Qt settings,
so ``orientation report`` run headless prints the same header as the GUI.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from db.catalogue.store import get_meta, set_meta
from db.storage.engine import Database
from db.errors import UserError

_KEYS = {"name": "conseiller_nom", "structure": "conseiller_structure", "contact": "conseiller_contact"}


@dataclass
class Counselor:
    """Who signs the report and how the family can reach them."""

    name: str = ""
    structure: str = ""
    contact: str = ""


def get_counselor(session: Session) -> Counselor:
    """The counselor profile (empty strings when not set). On an office's server each login has
    its own (see :func:`_keys`); the structure falls back to the office's shared one."""
    values = {}
    for field, key in _KEYS.items():
        own = get_meta(session, key if (login := _login(session)) is None else f"{key}@{login}")
        values[field] = own or (get_meta(session, key) if field in _SHARED else None) or ""
    return Counselor(**values)


def set_counselor(database: Database, counselor: Counselor) -> None:
    """Save the counselor profile (each field at most 200 characters): on an office's server,
    the connected login's own, which the server lets nobody else change."""
    for field in _KEYS:
        if len(getattr(counselor, field).strip()) > 200:
            raise UserError(f"texte trop long pour « {field} » (200 caractères au plus)")
    with database.write() as session:
        login = _login(session)
        for field, key in _KEYS.items():
            set_meta(session, key if login is None else f"{key}@{login}", getattr(counselor, field).strip())


# Shared by the office when a login has not given its own (the counselor's name and contact are
# personal: printed on a family's bilan, they must never be a colleague's).
_SHARED = frozenset({"structure"})


def _login(session: Session) -> str | None:
    """The login connected to an office's server (PostgreSQL), None on a SQLite file. Each
    login's profile is kept under ``<key>@<login>`` (row-level rule in db.storage.office)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return str(session.execute(text("SELECT current_user")).scalar_one())
