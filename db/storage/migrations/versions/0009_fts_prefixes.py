"""Métiers: the full-text index keeps ready lists for short prefixes.

A typed word is searched by prefix ("techn" finds "technicien", "technique"…). Without a prefix
list, FTS5 merges the lists of every indexed word the prefix starts, a cost that grows with
the catalogue; with it, one list is read. Same rows, same matches: only the index is rebuilt
(see :data:`db.catalogue.search.FTS_PREFIXES`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""
from alembic import op

from db.catalogue.search import FTS_PREFIXES, create_fts, drop_fts

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    drop_fts(conn)
    create_fts(conn, prefixes=FTS_PREFIXES)


def downgrade() -> None:
    conn = op.get_bind()
    drop_fts(conn)
    create_fts(conn)
