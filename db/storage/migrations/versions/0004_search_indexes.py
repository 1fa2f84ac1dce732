"""Métiers: covering indexes for the catalogue search pages.

Search always keeps the shown fiches (``superseded_by IS NULL``) and, for one page of the
table, either walks them in name order or counts them by salary or level (see the plans in
:mod:`db.catalogue.search`). These indexes start with ``superseded_by`` and hold every filter column,
so those queries read the index alone: a filter change stays under a few milliseconds with
100,000 métiers instead of sorting the whole table. Indexes only: no row is touched.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_metiers_live_name": ["superseded_by", "sort_key", "bac_plus", "salary_min", "country"],
    "ix_metiers_live_salary": ["superseded_by", "salary_min", "bac_plus", "country", "sort_key"],
    "ix_metiers_live_level": ["superseded_by", "bac_plus", "salary_min", "country", "sort_key"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "metiers", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="metiers")
