"""The access log of student records: who exported, imported, printed, saved a session of
(window or ``students seance``) or erased which record, and when — never any content (RGPD
accountability). ``orientation students log`` prints it."""
from __future__ import annotations

import getpass
from datetime import datetime
from typing import TypedDict

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.models import AccessLog


def _user() -> str:
    try:
        return getpass.getuser()[:120]
    except Exception:  # no login name (service account, container): still log the access
        return "inconnu"


def log_access(session: Session, action: str, student_id: int | None) -> None:
    """Record who did ``action`` on which student, and when (never any content)."""
    session.execute(insert(AccessLog).values(at=datetime.now(), user=_user(), action=action, student_id=student_id))


def log_accesses(session: Session, action: str, student_ids: list[int]) -> None:
    """:func:`log_access` for several students at once (one statement)."""
    now, user = datetime.now(), _user()
    session.execute(insert(AccessLog), [{"at": now, "user": user, "action": action, "student_id": sid}
                                        for sid in student_ids])


class AccessEntry(TypedDict):
    """One line of the access log, keyed in French as the command line prints it."""

    quand: str
    qui: str
    action: str
    eleve: int | None


def access_log(session: Session) -> list[AccessEntry]:
    """The access log, most recent first."""
    rows = session.execute(select(AccessLog).order_by(AccessLog.at.desc(), AccessLog.id.desc())).scalars()
    return [{"quand": r.at.isoformat(timespec="seconds"), "qui": r.user, "action": r.action, "eleve": r.student_id}
            for r in rows]
