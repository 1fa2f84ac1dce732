"""One small interface for what the catalogue window asks, whoever answers it.

At start the window is drawn from the plain :class:`~db.catalogue.startup_view.StartupView`
(no SQLAlchemy yet); a moment later the real database takes over. Both answer through
:class:`CatalogueSource`, so the browser has a single way of working: it asks its source, and
a source that cannot answer yet (the startup view, for anything but the unfiltered catalogue)
says so with ``None``; the browser then asks again when the database arrives.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from db.catalogue.search_levels import read_level_words
from db.catalogue.search_types import COUNT_CAP, Choices, Criteria, Facets, FirstPage, MetierRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.catalogue.startup_view import StartupView
    from db.storage.engine import Database


class CatalogueSource(Protocol):
    """What the browser asks of the catalogue."""

    answers_facets: bool  # whether :meth:`facets` can give counts (worth a background query)

    def first_page(self, criteria: Criteria, limit: int) -> FirstPage | None:
        """The number of matching métiers (exact, or "more than") and their first ``limit``
        rows, or None: not answerable yet."""

    def page(self, criteria: Criteria, offset: int, limit: int) -> list[MetierRow]:
        """``limit`` rows from ``offset`` for criteria :meth:`first_page` answered."""

    def choices(self) -> Choices:
        """The values the filter lists offer."""

    def notice(self, criteria: Criteria) -> str | None:
        """How the typed text was read when not as typed (see :func:`db.catalogue.search.text_notice`)."""

    def facets(self, criteria: Criteria) -> Facets | None:
        """The per-sector counts (may be slow: called off the GUI thread), or None."""

    def close(self) -> None:
        """Release what the source holds once another one takes over."""


class StartupSource:
    """The startup view: the unfiltered catalogue in name order, its filter lists, no counts."""

    answers_facets = False

    def __init__(self, view: StartupView) -> None:
        self.view = view

    def first_page(self, criteria: Criteria, limit: int) -> FirstPage | None:
        if criteria not in (Criteria(), Criteria(sort="name")):  # no text: "auto" is the name order
            return None
        return FirstPage(self.view.total, self.view.page(0, limit))

    def page(self, criteria: Criteria, offset: int, limit: int) -> list[MetierRow]:
        return self.view.page(offset, limit)

    def choices(self) -> Choices:
        return self.view.choices

    def notice(self, criteria: Criteria) -> str | None:
        return None

    def facets(self, criteria: Criteria) -> Facets | None:
        return None

    def close(self) -> None:
        self.view.close()


class DatabaseSource:
    """The database: every query, each in its own short read session."""

    answers_facets = True
    count_cap = COUNT_CAP  # counted exactly up to this many matches ("plus de 3 000 métiers" beyond)

    def __init__(self, database: Database) -> None:
        self.database = database
        self._notice: tuple[str, str | None] = ("", None)  # (text, its notice) of the last first page

    def first_page(self, criteria: Criteria, limit: int) -> FirstPage | None:
        from db.catalogue.search import first_page

        with self.database.read() as session:
            answer = first_page(session, read_level_words(criteria)[0], limit, self.count_cap)
            # Read in the same session: the typed text is read (typos, words required) once.
            self._notice = (criteria.text, reading_notice(session, criteria))
            return answer

    def page(self, criteria: Criteria, offset: int, limit: int) -> list[MetierRow]:
        from db.catalogue.search import search

        with self.database.read() as session:
            return search(session, read_level_words(criteria)[0], limit=limit, offset=offset)

    def choices(self) -> Choices:
        from db.catalogue.choices import choices

        with self.database.read() as session:
            return choices(session)

    def notice(self, criteria: Criteria) -> str | None:
        if not criteria.text.strip():
            return None
        if self._notice[0] == criteria.text:
            return self._notice[1]
        with self.database.read() as session:
            return reading_notice(session, criteria)

    def facets(self, criteria: Criteria) -> Facets | None:
        from db.catalogue.search import facets

        with self.database.read() as session:
            return facets(session, read_level_words(criteria)[0], levels=False)

    def close(self) -> None:
        """The database belongs to the window, which closes it."""


def reading_notice(session: Session, criteria: Criteria) -> str | None:
    """How the text of ``criteria``, as typed, was read when not as typed (French sentences):
    level words (:func:`read_level_words`), then corrected words and words required
    (:func:`db.catalogue.search.text_notice`). The window and ``orientation search`` say this."""
    from db.catalogue.search import text_notice

    read, level_sentence = read_level_words(criteria)
    sentences = (level_sentence, text_notice(session, read) if read.text.strip() else None)
    return " ".join(s for s in sentences if s) or None
