"""Métiers: on PostgreSQL, the words' vector kept in its row (nothing changes on SQLite).

``metiers.search_tsv`` takes the storage MAIN, and every fiche is rewritten once so that the
vectors written before move in (see :func:`db.catalogue.search_pg.keep_vectors_inline`: each
test of a fiche's words fetched its vector from the TOAST table first). Schema and storage
only: no value changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""
from alembic import op

from db.catalogue.search_pg import keep_vectors_inline, vectors_out_of_line

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    keep_vectors_inline(op.get_bind())


def downgrade() -> None:
    vectors_out_of_line(op.get_bind())
