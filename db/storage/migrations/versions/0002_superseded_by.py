"""Métiers: ``superseded_by`` links a fiche to the fiche that takes precedence over it.

When ONISEP's fiche for a job arrives, the project's own fiche for the same job points to it
and search shows only the ONISEP one. The column is added with a batch (copy-and-rename)
rebuild of ``metiers``: this is the pattern every later table change follows, with the
full-text index dropped before and rebuilt after (its triggers live on the old table).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

from db.catalogue.search import create_fts, drop_fts
from db.storage.migrate import table_rebuild

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_fts(op.get_bind())
    with op.batch_alter_table("metiers", recreate=table_rebuild(op.get_bind())) as batch:
        batch.add_column(sa.Column("superseded_by", sa.String(200)))
        batch.create_index("ix_metiers_superseded_by", ["superseded_by"])
    create_fts(op.get_bind(), ("search_names", "search_text"))


def downgrade() -> None:
    drop_fts(op.get_bind())
    with op.batch_alter_table("metiers", recreate=table_rebuild(op.get_bind())) as batch:
        batch.drop_index("ix_metiers_superseded_by")
        batch.drop_column("superseded_by")
    create_fts(op.get_bind(), ("search_names", "search_text"))
