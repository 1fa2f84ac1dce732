"""Métiers: the ROME job titles get a full-text index of their own.

``metier_fts`` keeps a métier's own text (name and labels, synonyms, interest and sector labels,
description); ``metier_fts_rome`` indexes ``search_rome`` (the ROME job titles of its codes)
alone. Importing ROME then rewrites only the titles' entries, not the whole indexed text of each
métier citing a code (see :mod:`db.catalogue.search_match`). Same rows and columns: only the
indexes are rebuilt, with the same prefix lists (migration 0009).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""
from alembic import op

from db.catalogue.search_index import FTS_PREFIXES, create_fts, drop_fts
from db.catalogue.search_match import OWN_COLUMNS, create_rome_fts, drop_rome_fts

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    drop_fts(conn)
    create_fts(conn, OWN_COLUMNS, prefixes=FTS_PREFIXES)
    create_rome_fts(conn, FTS_PREFIXES)


def downgrade() -> None:
    conn = op.get_bind()
    drop_rome_fts(conn)
    drop_fts(conn)
    create_fts(conn, prefixes=FTS_PREFIXES)
