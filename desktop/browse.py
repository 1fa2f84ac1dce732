"""Runs the catalogue search for the window: criteria in, table model and counts out.

Each query opens its own short read session (reads never wait for an import, see
:meth:`db.storage.engine.Database.read`) and gives the model plain rows only. A criteria change
costs one count and one page of rows, in the GUI thread; the count stops at
:data:`~db.catalogue.search_types.COUNT_CAP` ("plus de 3 000 métiers"), so neither grows with
the catalogue. The per-sector counts of the filter panel take longer on a large
catalogue, so they are computed on a :class:`~desktop.workers.LatestRunner`: only the counts
for the latest criteria are shown, and at most one such query runs at a time.

The browser asks a :class:`db.catalogue.source.CatalogueSource`: at start the startup view
(the unfiltered catalogue, while the database layer loads, see :mod:`desktop.backend_loader`),
then the database (:meth:`CatalogueBrowser.use`); a criteria or sort change the startup view
cannot answer is kept and run when the database comes. One way of working, whichever answers.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QTableView

from db.catalogue.search_types import Choices, Criteria, Facets, FirstPage, no_match_notice
from desktop.table_model import SORT_KEYS, MetierTableModel
from desktop.workers import LatestRunner

if TYPE_CHECKING:
    from db.catalogue.source import CatalogueSource

log = logging.getLogger(__name__)


class CatalogueBrowser(QObject):
    """Keeps the table model in step with the criteria and the sort order, asking one
    :class:`~db.catalogue.source.CatalogueSource` (the startup view, then the database)."""

    results_changed = Signal(int, bool)  # number of matching métiers, exact (False: "more than")
    facets_changed = Signal(object)  # db.search.Facets for the current criteria
    notice_changed = Signal(str)  # how the typed text was read ("" when as typed)
    sort_reset = Signal()  # new text: back to relevance order, no column chosen

    def __init__(self, source: CatalogueSource, model: MetierTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.model = model
        self.criteria = Criteria()
        self.facets_runner = LatestRunner(self)
        self.choices_runner = LatestRunner(self)
        self._unanswered = False  # the source could not answer the current criteria yet
        model.sort_requested.connect(self.set_sort)

    def use(self, source: CatalogueSource, first: tuple[Criteria, FirstPage | None] | None = None) -> None:
        """Ask ``source`` from now on (the previous one is closed). The rows shown stay (scroll
        position and selection too) when the new source gives the same; otherwise, or when
        the previous source could not answer the criteria, they are replaced. ``first``:
        (criteria, the source's first page for them) when already read off the GUI thread; used
        when the criteria are still those."""
        previous, self.source = self.source, source
        criteria = self.criteria
        if self._unanswered:
            answer = None
        elif first is not None and first[0] == criteria:
            answer = first[1]
        else:
            answer = source.first_page(criteria, self.model.page_size)
        same = answer is not None and answer.total == self.model.total and answer.exact == self.model.exact \
            and answer.rows == self.model.rows_fetched()[:len(answer.rows)]
        if same:
            self.model.set_fetch(lambda offset, limit: source.page(criteria, offset, limit))
            self.request_facets()
        else:
            self.refresh()
        previous.close()

    def choices(self) -> Choices:
        """The values the filter lists offer now (call again after an import)."""
        return self.source.choices()

    def load_choices(self, on_done: Callable[[Choices], None]) -> None:
        """Read the filter lists again in the background (after an import: a query over the whole
        catalogue) and hand them to ``on_done`` in the GUI thread; a failure keeps the lists shown."""
        source = self.source
        self.choices_runner.request(source.choices, on_done, lambda _message: None)

    def apply(self, criteria: Criteria) -> None:
        """Show the métiers matching ``criteria``. The current sort order is kept, except when
        new text is typed: the best matches come first again ("auto" order, :attr:`sort_reset`)."""
        sort, descending = self.criteria.sort, self.criteria.descending
        if criteria.text.strip() and criteria.text.strip() != self.criteria.text.strip() and sort != "auto":
            sort, descending = "auto", False
            self.sort_reset.emit()
        self.criteria = replace(criteria, sort=sort, descending=descending)
        self.refresh()

    def start_sorted(self, view: QTableView, column: int = 0) -> None:
        """Show ``column``'s sort indicator in ``view`` and take its order (A→Z) without a query:
        the first query runs when the window applies its filters (one read of the first page
        before the first paint, not two)."""
        blocked = self.model.blockSignals(True)
        view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        self.model.blockSignals(blocked)
        self.criteria = replace(self.criteria, sort=SORT_KEYS[column], descending=False)

    def set_sort(self, sort: str, descending: bool) -> None:
        """Order the rows by ``sort`` (a db.search sort key) and query again."""
        if (sort, descending) == (self.criteria.sort, self.criteria.descending):
            return
        self.criteria = replace(self.criteria, sort=sort, descending=descending)
        self.refresh(facets_too=False)

    def refresh(self, *, facets_too: bool = True) -> None:
        """Run the current query again: the count, then the first page of rows. A source that
        cannot answer yet leaves the rows shown; the query runs when the next source comes."""
        criteria, source = self.criteria, self.source
        answer = source.first_page(criteria, self.model.page_size)
        self._unanswered = answer is None
        if answer is None:
            return
        self.model.set_rows(answer.rows, answer.total, lambda offset, limit: source.page(criteria, offset, limit),
                            exact=answer.exact)
        self.results_changed.emit(answer.total, answer.exact)
        empty = no_match_notice(criteria) if answer.total == 0 and criteria != Criteria() else ""
        self.notice_changed.emit(" ".join(part for part in (source.notice(criteria), empty) if part))
        if facets_too:
            self.request_facets()

    def request_facets(self) -> None:
        """Count the métiers per sector for the current criteria, in the background. Only the
        counts of the newest criteria are shown; a failure or a source without counts keeps the
        last counts (they are a help)."""
        source, criteria = self.source, self.criteria
        if not source.answers_facets:
            return
        self.facets_runner.request(lambda: source.facets(criteria), self._facets_done, lambda _message: None)

    def _facets_done(self, facets: Facets | None) -> None:
        if facets is not None:
            self.facets_changed.emit(facets)

    @property
    def busy(self) -> bool:
        """Whether sector counts are still being computed."""
        return self.facets_runner.busy or self.choices_runner.busy

    def shutdown(self) -> None:
        """Wait for the background counts and lists (before the database closes)."""
        self.facets_runner.wait()
        self.choices_runner.wait()
