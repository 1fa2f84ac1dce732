"""ROME job titles indexed once per ROME code, not once per métier citing it (SQLite).

Migration 0014 indexed ``metiers.search_rome`` (the titles of a métier's codes) in
``metier_fts_rome``, one row per métier: importing ROME rewrote 1,722 métiers' rows and entries.
Here ``rome_fts`` holds one row per code (its code, UNINDEXED, and its titles' indexed text);
search reaches a métier's titles through its current codes (``metier_rome``, see
:mod:`db.catalogue.search_match`), so ``search_rome`` is emptied on SQLite and no longer kept
there. PostgreSQL is unchanged: its tsvector still reads ``search_rome``.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""
from alembic import op

from db.catalogue.search_index import FTS_PREFIXES, reindex_rome
from db.catalogue.search_match import create_code_fts, create_rome_fts, drop_code_fts, drop_rome_fts

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    drop_rome_fts(conn)  # its triggers first: emptying search_rome then rewrites no index entry
    conn.exec_driver_sql("UPDATE metiers SET search_rome = '' WHERE search_rome <> ''")
    create_code_fts(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    drop_code_fts(conn)
    pks = [pk for (pk,) in conn.exec_driver_sql("SELECT pk FROM metiers ORDER BY pk")]
    reindex_rome(conn, pks, everywhere=True)
    create_rome_fts(conn, FTS_PREFIXES)  # built from the texts just written
