"""The retention rule's dates, with the standard library alone (the quick ``students list``
reads them without loading SQLAlchemy; :mod:`db.students.privacy` applies them)."""
from __future__ import annotations

from datetime import date

RETENTION_KEY = "retention_annees_supplementaires"  # app_meta: extra school years kept (default 0)


def retention_cutoff(today: date, extra_years: int = 0) -> date:
    """The first day whose records are still kept: a record seen last (or created) before it is past
    :func:`db.students.privacy.retention_deadline`. Deadlines fall on 31 August, so the cutoff is a 1 September."""
    last_end = today.year if today > date(today.year, 8, 31) else today.year - 1  # latest 31 August passed
    return date(last_end - extra_years, 9, 1)
