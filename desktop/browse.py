"""Runs the catalogue search for the window: criteria in, table model and counts out.

Each query opens its own short read session (reads never wait for an import, see
:meth:`db.storage.engine.Database.read`) and gives the model plain rows only. A criteria change
costs one count and one page of rows, in the GUI thread (a few milliseconds even with
100,000 métiers). The per-sector counts of the filter panel take longer on a large
catalogue, so they are computed on a :class:`~desktop.workers.LatestRunner`: only the counts
for the latest criteria are shown, and at most one such query runs at a time.

At start the browser may work from a :class:`db.catalogue.startup_view.StartupView` while the
database layer loads (see :mod:`desktop.backend_loader`): it shows the unfiltered catalogue
from it, and a criteria or sort change made meanwhile is kept and run by :meth:`attach`.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from db.catalogue.search_types import Choices, Criteria, Facets, MetierRow
from desktop.table_model import MetierTableModel
from desktop.workers import LatestRunner

if TYPE_CHECKING:
    from db.storage.engine import Database
    from db.catalogue.startup_view import StartupView

log = logging.getLogger(__name__)


def _count_facets(database: Database, criteria: Criteria) -> Facets:
    """The per-sector counts of ``criteria`` (on a worker thread, in its own read session)."""
    from db.catalogue.search import facets

    with database.read() as session:
        return facets(session, criteria, levels=False)


class CatalogueBrowser(QObject):
    """Keeps the table model in step with the criteria and the sort order."""

    results_changed = Signal(int)  # number of matching métiers
    facets_changed = Signal(object)  # db.search.Facets for the current criteria

    def __init__(self, database: Database | None, model: MetierTableModel, parent: QObject | None = None, *,
                 startup: StartupView | None = None) -> None:
        """Query ``database``, or until :meth:`attach` the ``startup`` view (one of them is needed)."""
        super().__init__(parent)
        if database is None and startup is None:
            raise ValueError("CatalogueBrowser needs a database or a startup view")
        self.database = database
        self.startup = startup if database is None else None
        self.model = model
        self.criteria = Criteria()
        self.facets_runner = LatestRunner(self)
        self._stale = False  # criteria changed before the database was attached
        model.sort_requested.connect(self.set_sort)

    def attach(self, database: Database) -> None:
        """Query ``database`` from now on (the startup view is closed).

        The rows shown are checked against ``database``: they stay (scroll position and
        selection too) when they match, and are replaced otherwise; a criteria change made
        meanwhile is run now.
        """
        from db.catalogue.search import count, search

        self.database = database
        startup, self.startup = self.startup, None
        criteria = self.criteria
        if self._stale:
            self.refresh()
        else:
            with database.read() as session:
                total = count(session, criteria)
                rows = search(session, criteria, limit=self.model.page_size, total=total) if total else []
            if total == self.model.total and rows == self.model.rows_fetched()[:len(rows)]:
                self.model.set_fetch(lambda offset, limit: self._page(criteria, offset, limit))
                self.request_facets()
            else:
                self.refresh()
        if startup is not None:
            startup.close()

    @property
    def attached(self) -> bool:
        """Whether the full database layer answers the queries (not the startup view)."""
        return self.database is not None

    def choices(self) -> Choices:
        """The values the filter lists offer now (call again after an import)."""
        if self.database is None:
            assert self.startup is not None
            return self.startup.choices
        from db.catalogue.search import choices

        with self.database.read() as session:
            return choices(session)

    def apply(self, criteria: Criteria) -> None:
        """Show the métiers matching ``criteria`` (the current sort order is kept)."""
        self.criteria = replace(criteria, sort=self.criteria.sort, descending=self.criteria.descending)
        self.refresh()

    def set_sort(self, sort: str, descending: bool) -> None:
        """Order the rows by ``sort`` (a db.search sort key) and query again."""
        if (sort, descending) == (self.criteria.sort, self.criteria.descending):
            return
        self.criteria = replace(self.criteria, sort=sort, descending=descending)
        self.refresh(facets_too=False)

    def refresh(self, *, facets_too: bool = True) -> None:
        """Run the current query again: the count, then the first page of rows."""
        criteria = self.criteria
        if self.database is None:
            self._show_startup(criteria)
            return
        from db.catalogue.search import count, search

        with self.database.read() as session:
            total = count(session, criteria)
            rows = search(session, criteria, limit=self.model.page_size, total=total) if total else []
        self.model.set_rows(rows, total, lambda offset, limit: self._page(criteria, offset, limit))
        self.results_changed.emit(total)
        if facets_too:
            self.request_facets()

    def _show_startup(self, criteria: Criteria) -> None:
        """Before :meth:`attach`: the startup view answers the unfiltered catalogue in name
        order; any other query waits for the database (the rows shown stay meanwhile)."""
        assert self.startup is not None
        if criteria != Criteria():
            self._stale = True
            return
        self._stale = False
        startup = self.startup
        self.model.set_rows(startup.page(0, self.model.page_size), startup.total, startup.page)
        self.results_changed.emit(startup.total)

    def _page(self, criteria: Criteria, offset: int, limit: int) -> list[MetierRow]:
        from db.catalogue.search import search

        assert self.database is not None
        with self.database.read() as session:
            return search(session, criteria, limit=limit, offset=offset)

    def request_facets(self) -> None:
        """Count the métiers per sector for the current criteria, in the background
        (after :meth:`attach`: the startup view has no counts per criteria). Only the counts
        of the newest criteria are shown; a failure keeps the last counts (they are a help)."""
        if self.database is None:
            return
        database, criteria = self.database, self.criteria
        self.facets_runner.request(lambda: _count_facets(database, criteria), self.facets_changed.emit,
                                   lambda _message: None)

    @property
    def busy(self) -> bool:
        """Whether sector counts are still being computed."""
        return self.facets_runner.busy

    def shutdown(self) -> None:
        """Wait for the background count (before the database closes)."""
        self.facets_runner.wait()
