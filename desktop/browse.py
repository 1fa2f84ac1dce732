"""Runs the catalogue search for the window: criteria in, table model and counts out.

Each query opens its own short read session (reads never wait for an import, see
:meth:`db.engine.Database.read`) and gives the model plain rows only. A criteria change
costs one count and one page of rows, in the GUI thread (a few milliseconds even with
100,000 métiers). The per-sector counts of the filter panel take longer on a large
catalogue, so they are computed on a worker thread with its own session; only the counts
for the latest criteria are shown, and at most one such query runs at a time.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from db.engine import Database
from db.search import (Criteria, Facets, count, countries_in_use, facets, interests_in_use, search,
                       sectors_in_use, statuts_in_use)
from desktop.table_model import MetierTableModel

log = logging.getLogger(__name__)


@dataclass
class Choices:
    """What the filter lists offer: every sector, interest, statut and country in use."""

    sectors: list[tuple[str, str, int]] = field(default_factory=list)  # id, label, métiers
    interests: list[tuple[str, str, str]] = field(default_factory=list)  # id, label, group
    statuts: list[tuple[str, str, int]] = field(default_factory=list)  # id, label, métiers
    countries: list[tuple[str, int]] = field(default_factory=list)  # code, métiers


class _FacetsSignals(QObject):
    done = Signal(int, object)  # generation, Facets or None after a failure


class _FacetsTask(QRunnable):
    """Counts the facets of ``criteria`` on a pool thread, in its own read session."""

    def __init__(self, database: Database, criteria: Criteria, generation: int, signals: _FacetsSignals) -> None:
        super().__init__()
        self.database, self.criteria, self.generation, self.signals = database, criteria, generation, signals

    def run(self) -> None:
        try:
            with self.database.read() as session:
                result: Facets | None = facets(session, self.criteria, levels=False)
        except Exception:  # counts are a help, not a must: log it, keep the last counts shown
            log.exception("facets failed")
            result = None
        self.signals.done.emit(self.generation, result)


class CatalogueBrowser(QObject):
    """Keeps the table model in step with the criteria and the sort order."""

    results_changed = Signal(int)  # number of matching métiers
    facets_changed = Signal(object)  # db.search.Facets for the current criteria

    def __init__(self, database: Database, model: MetierTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.model = model
        self.criteria = Criteria()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._facets_signals = _FacetsSignals(self)
        self._facets_signals.done.connect(self._facets_done)
        self._generation = 0
        self._facets_running = False
        self._facets_pending = False
        model.sort_requested.connect(self.set_sort)

    def choices(self) -> Choices:
        """The values the filter lists offer now (call again after an import)."""
        with self.database.read() as session:
            return Choices(sectors_in_use(session), interests_in_use(session), statuts_in_use(session),
                           countries_in_use(session))

    def apply(self, criteria: Criteria) -> None:
        """Show the métiers matching ``criteria`` (the current sort order is kept)."""
        self.criteria = replace(criteria, sort=self.criteria.sort, descending=self.criteria.descending)
        self.refresh()

    def set_sort(self, sort: str, descending: bool) -> None:
        """Order the rows by ``sort`` (a db.search sort key) and query again."""
        if (sort, descending) == (self.criteria.sort, self.criteria.descending) and self.model.rowCount():
            return
        self.criteria = replace(self.criteria, sort=sort, descending=descending)
        self.refresh(facets_too=False)

    def refresh(self, *, facets_too: bool = True) -> None:
        """Run the current query again: the count, then the first page of rows."""
        criteria = self.criteria
        with self.database.read() as session:
            total = count(session, criteria)
            rows = search(session, criteria, limit=self.model.page_size, total=total) if total else []
        self.model.set_rows(rows, total, lambda offset, limit: self._page(criteria, offset, limit))
        self.results_changed.emit(total)
        if facets_too:
            self.request_facets()

    def _page(self, criteria: Criteria, offset: int, limit: int) -> list:
        with self.database.read() as session:
            return search(session, criteria, limit=limit, offset=offset)

    def request_facets(self) -> None:
        """Count the métiers per sector for the current criteria, in the background."""
        self._generation += 1
        if self._facets_running:
            self._facets_pending = True  # started when the running count ends
            return
        self._start_facets()

    def _start_facets(self) -> None:
        self._facets_running, self._facets_pending = True, False
        self.pool.start(_FacetsTask(self.database, self.criteria, self._generation, self._facets_signals))

    def _facets_done(self, generation: int, result: Facets | None) -> None:
        self._facets_running = False
        if self._facets_pending:
            self._start_facets()
        elif result is not None and generation == self._generation:
            self.facets_changed.emit(result)

    @property
    def busy(self) -> bool:
        """Whether sector counts are still being computed."""
        return self._facets_running or self._facets_pending

    def shutdown(self) -> None:
        """Wait for the background count (before the database closes)."""
        self._facets_pending = False
        self.pool.waitForDone()
