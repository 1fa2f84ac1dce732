"""Métiers: full-text search on PostgreSQL, as on SQLite (nothing changes on SQLite).

On a PostgreSQL server: the ``unaccent`` and ``pg_trgm`` extensions, the text search
configuration ``orientation_fr``, the generated ``metiers.search_tsv`` column and its GIN
index, and the list of indexed words for typo tolerance (see :mod:`db.catalogue.search_pg`).
When the role may not create the extensions, nothing is created and the search stays the
portable ``LIKE`` one, which says so in French; the migration does not fail.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-06
"""
from alembic import op

from db.catalogue.search_pg import create_search, drop_search

revision = "0011"
down_revision = "0010"  # only this line changes when the migrations are chained again
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_search(op.get_bind())


def downgrade() -> None:
    drop_search(op.get_bind())
