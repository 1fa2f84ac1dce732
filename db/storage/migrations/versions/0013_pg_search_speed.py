"""Métiers: PostgreSQL searches that read less (nothing changes on SQLite).

On a PostgreSQL server: the number of shown fiches kept by triggers beside the catalogue's
version (``search_version.live``), so "every métier" is counted without reading every index
entry, and partial indexes of the shown fiches in the name and salary orders of the window, so
a page is the start of an index read alone rather than a sort of the whole catalogue or a
visit of each row (see :func:`db.catalogue.search_pg.create_speed`). Schema only: no row changes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
from alembic import op

from db.catalogue.search_pg import create_speed, drop_speed

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_speed(op.get_bind())


def downgrade() -> None:
    drop_speed(op.get_bind())
