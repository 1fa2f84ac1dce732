"""What the window shows first, read with the standard sqlite3 module alone.

Loading SQLAlchemy and the ORM mappings takes longer than drawing the whole window, so on an
ordinary start (the database exists, is at the newest schema revision and holds métiers) the
window opens on this plain read-only view: the number of métiers, their first pages in name
order (the order the window starts in) and the choices of the filter lists. Meanwhile the
full database layer loads in the background (:mod:`desktop.backend_loader`); every other
query goes through :mod:`db.catalogue.search` once it is there.

Anything unusual (a URL instead of a file, a missing, empty, damaged or older database)
gives ``None``: the caller then takes the ordinary path, which creates, migrates, repairs or
explains. Tests check that these rows and choices are exactly those :mod:`db.catalogue.search` gives.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from db.errors import DamagedPageError, DatabaseLocationError, is_damage
from db.storage.paths import check_local_path, requested_db
from db.storage.schema_version import HEAD, connect_read_only
from db.catalogue.search_types import Choices, MetierRow

# The filter lists; db.search runs the same statements through SQLAlchemy.
CHOICE_QUERIES: dict[str, str] = {
    "sectors": "SELECT s.id, s.label, count(ms.metier_pk) FROM sectors AS s "
               "JOIN metier_sectors AS ms ON ms.sector_id = s.id GROUP BY s.id, s.label ORDER BY s.label",
    "interests": "SELECT id, label, group_label FROM interests ORDER BY is_onisep DESC, label",
    "statuts": "SELECT t.id, t.label, count(mt.metier_pk) FROM statuts AS t "
               "JOIN metier_statuts AS mt ON mt.statut_id = t.id GROUP BY t.id, t.label ORDER BY t.label",
    "countries": "SELECT country, count(*) FROM metiers WHERE superseded_by IS NULL "
                 "GROUP BY country ORDER BY count(*) DESC, country",
}

# db.search.search(Criteria(), limit=…, offset=…): live métiers by French sort key.
_PAGE = ("SELECT m.pk, m.id, m.name, m.label_f, m.label_m, l.label, m.bac_plus, m.salary_min, m.salary_max, "
         "s.label, m.source_kind, m.country, m.salary_year FROM metiers AS m "
         "LEFT OUTER JOIN levels AS l ON l.code = m.level_code "
         "LEFT OUTER JOIN sectors AS s ON s.id = m.main_sector_id "
         "WHERE m.superseded_by IS NULL ORDER BY m.sort_key, m.pk LIMIT ? OFFSET ?")
_COUNT = "SELECT count(*) FROM metiers WHERE superseded_by IS NULL"


def read_choices(rows: Callable[[str], Iterable[Iterable[Any]]]) -> Choices:
    """The filter-list choices, running each of :data:`CHOICE_QUERIES` through ``rows``."""
    def run(kind: str) -> list[Any]:
        return [tuple(row) for row in rows(CHOICE_QUERIES[kind])]

    return Choices(run("sectors"), run("interests"), run("statuts"), run("countries"))


class StartupView:
    """The catalogue as the window first shows it: unfiltered, in name order.

    Holds one read-only connection, to be used from the thread that opened it; :meth:`close`
    it once the full database layer has taken over.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.total: int = self._rows(_COUNT)[0][0]
        self.choices = read_choices(self._rows)

    def page(self, offset: int, limit: int) -> list[MetierRow]:
        """``limit`` rows from ``offset``, as :func:`db.catalogue.search.search` gives them for
        ``Criteria()``. A damaged page raises :class:`~db.errors.DamagedPageError` (recorded)."""
        return [MetierRow(*row) for row in self._rows(_PAGE, (limit, offset))]

    def _rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as exc:
            if is_damage(str(exc)):
                from db.storage.integrity import damaged_in_use  # only then: the start-up imports little

                raise damaged_in_use(self.path, exc) from exc
            raise

    def close(self) -> None:
        """Release the connection."""
        self.conn.close()


def open_startup_view(db: str | None = None) -> StartupView | None:
    """The startup view of the database the user asked for, or None when the ordinary path
    must open it (see the module docstring). Never creates nor changes a file."""
    value = requested_db(db)
    if "://" in value:
        return None
    path = Path(value).expanduser()
    try:
        check_local_path(path)  # the ordinary path explains the refusal
        if not path.is_file():
            return None
        conn = connect_read_only(path)
    except (OSError, sqlite3.Error, ValueError, DatabaseLocationError):
        return None
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != HEAD:
            conn.close()
            return None
        view = StartupView(conn, path)
    except (sqlite3.Error, DamagedPageError):  # a damage is recorded: the ordinary path explains it
        conn.close()
        return None
    if view.total == 0:
        view.close()
        return None
    return view
