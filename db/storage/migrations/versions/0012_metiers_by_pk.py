"""Métiers: a narrow index by pk holding what a search reads from each matching fiche.

A catalogue row is large (its indexed text runs to several kilobytes), so SQLite stores its end
on overflow pages, and ``superseded_by`` sits after that text: testing whether a fiche found by
the full-text index, a sector or an interest is shown meant reading two or three pages per
fiche (70-100 ms for the 7,000 "techn" names at 100,000 métiers). This index holds, by pk,
the shown flag and every column a search page filters or sorts on, so such queries read it
alone (see the plans in :mod:`db.catalogue.search`). Index only: no row is touched.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-06
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NAME = "ix_metiers_by_pk"
COLUMNS = ["pk", "superseded_by", "sort_key", "name", "bac_plus", "salary_min", "country"]


def upgrade() -> None:
    op.create_index(NAME, "metiers", COLUMNS)


def downgrade() -> None:
    op.drop_index(NAME, table_name="metiers")
