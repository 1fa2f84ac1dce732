"""The values the filter lists offer: the sectors, interests, statuts and countries the catalogue
uses, each with its number of métiers (the same queries as the startup view, see
:data:`db.catalogue.startup_view.CHOICE_QUERIES`)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from db.catalogue.search_types import Choices
from db.catalogue.startup_view import CHOICE_QUERIES


def _choice_rows(session: Session, kind: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(text(CHOICE_QUERIES[kind]))]


def sectors_in_use(session: Session) -> list[tuple[str, str, int]]:
    """(id, label, number of métiers) for every sector at least one métier has, by label."""
    return _choice_rows(session, "sectors")


def interests_in_use(session: Session) -> list[tuple[str, str, str]]:
    """(id, label, group) of every interest known to the database, ONISEP ones first."""
    return _choice_rows(session, "interests")


def statuts_in_use(session: Session) -> list[tuple[str, str, int]]:
    """(id, label, number of métiers) for every statut at least one métier has, by label."""
    return _choice_rows(session, "statuts")


def countries_in_use(session: Session) -> list[tuple[str, int]]:
    """(country code, number of métiers) for every country of the catalogue, most métiers first."""
    return _choice_rows(session, "countries")


def choices(session: Session) -> Choices:
    """Everything the filter lists offer (the same queries as :func:`db.catalogue.startup_view.read_choices`)."""
    return Choices(sectors_in_use(session), interests_in_use(session), statuts_in_use(session),
                   countries_in_use(session))
