"""Settings stored in the database (shared by the GUI, the command line and the report).

The counselor's identity printed on reports lives here rather than in per-user Qt settings,
so ``orientation report`` run headless prints the same header as the GUI.
"""
from __future__ import annotations

from dataclasses import dataclass

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
    """The counselor profile (empty strings when not set)."""
    return Counselor(**{field: get_meta(session, key) or "" for field, key in _KEYS.items()})


def set_counselor(database: Database, counselor: Counselor) -> None:
    """Save the counselor profile (each field at most 200 characters)."""
    with database.write() as session:
        for field, key in _KEYS.items():
            value = getattr(counselor, field).strip()
            if len(value) > 200:
                raise UserError(f"texte trop long pour « {field} » (200 caractères au plus)")
            set_meta(session, key, value)
