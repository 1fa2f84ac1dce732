"""Unsaved session edits kept on this computer: the window's safety net.

Two reasons keep a draft (:data:`SERVER`, :data:`CLOSED`):

- "Enregistrer" failed because the database server is away (:class:`db.errors.ServerUnreachableError`);
- the window keeps the session being edited a few seconds after each change, so that a crash,
  a power cut or a killed process loses at most those seconds; the draft is removed once the
  session is saved or its changes are dropped by choice.

A draft is a JSON file, owner-only (0600), in a 0700 folder of the user's data folder, one per
database and student (the newest replaces an older one). It is offered again when the student
is next opened, and removed once taken back or declined; erasing the student removes it
(:func:`db.students.privacy.erase_student`). A draft keeps the version the session was read at,
so saving it still goes through the conflict check of :func:`db.students.store.save_session_in`:
a draft never overwrites a colleague's save unseen.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from db.storage.files import private_dir, write_atomically
from db.storage.paths import data_dir
from db.students.store import SessionState, ShortlistItem

FORMAT = "orientation-brouillon/1"
SERVER = "serveur"  # kept when the server did not answer "Enregistrer"
CLOSED = "fermeture"  # kept while editing: the window closed (or stopped) before it was saved


@dataclass(frozen=True)
class Draft:
    """A session kept unsaved, and when it was kept."""

    state: SessionState
    kept_at: datetime
    reason: str = SERVER  # SERVER or CLOSED


def drafts_dir() -> Path:
    """The folder of drafts (in the user's data folder; created 0700 when a draft is kept)."""
    return data_dir() / "brouillons"


def _path(url: str, student_id: int) -> Path:
    # The database by its address without password, hashed: no address or name in a file name.
    parsed = make_url(url)
    address = URL.create(parsed.drivername, parsed.username, None, parsed.host, parsed.port, parsed.database,
                         parsed.query).render_as_string(hide_password=False)
    key = hashlib.sha256(address.encode()).hexdigest()[:16]
    return drafts_dir() / f"{key}-{student_id}.json"


def keep_draft(url: str, state: SessionState, reason: str = SERVER) -> Path:
    """Keep ``state`` as the draft of its student on the database ``url``, for ``reason``
    (:data:`SERVER` or :data:`CLOSED`); the file written. UserError (French) when it cannot be
    written (full disk…)."""
    values: dict[str, Any] = asdict(state)
    values["version"] = state.version.isoformat() if state.version else None
    data = {"format": FORMAT, "kept_at": datetime.now().isoformat(), "reason": reason, "state": values}
    path = _path(url, state.student_id)
    private_dir(path.parent)
    return write_atomically(path, json.dumps(data, ensure_ascii=False).encode())


def find_draft(url: str, student_id: int) -> Draft | None:
    """The draft kept for ``student_id`` on ``url``, or None (none, or unreadable)."""
    try:
        data = json.loads(_path(url, student_id).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        values = dict(data["state"])
        values["shortlist"] = [ShortlistItem(**item) for item in values["shortlist"]]
        values["version"] = datetime.fromisoformat(values["version"]) if values["version"] else None
        state = SessionState(**values)
        if state.student_id != student_id:
            return None
        return Draft(state, datetime.fromisoformat(data["kept_at"]), CLOSED if data.get("reason") == CLOSED else SERVER)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def drop_draft(url: str, student_id: int) -> None:
    """Remove the draft of ``student_id`` on ``url`` (nothing when there is none)."""
    _path(url, student_id).unlink(missing_ok=True)
