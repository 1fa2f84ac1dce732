"""Métiers: search that ranks, and twin fiches that keep every fact.

- The one ``search_names`` column becomes four, so the ranking can weigh where a word is
  found: ``search_title`` (the job's own name and labels), ``search_synonyms``,
  ``search_rome`` (ROME job titles), ``search_tags`` (interest and sector labels); the
  indexed text now holds French stems too (see :mod:`db.catalogue.search_text`). The full-text
  index is rebuilt over them, with a vocabulary table for typo tolerance.
- ``inherited`` records the facts a shown fiche takes from its hidden twin (or infers from
  its ROME code), see :mod:`db.catalogue.merge`.
- The ROME grand domaine "Santé" (J) is the ONISEP sector "Santé": one entry, not two.

The indexed text and the merged facts are derived data: they are recomputed here for every
fiche by the current code (the functions the writers use), which is what a new fiche gets.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from db.catalogue.search import create_fts, drop_fts
from db.storage.migrate import table_rebuild

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_NEW_COLUMNS = ("search_title", "search_synonyms", "search_rome", "search_tags")
_SANTE_ROME, _SANTE_ONISEP = "ROME.J", "T-IDEO2.4869"


def upgrade() -> None:
    conn = op.get_bind()
    drop_fts(conn)
    with op.batch_alter_table("metiers", recreate=table_rebuild(op.get_bind())) as batch:
        batch.drop_column("search_names")
        for column in _NEW_COLUMNS:
            batch.add_column(sa.Column(column, sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("inherited", sa.Text))
    create_fts(conn)
    _one_sante(conn)
    from db.catalogue.merge import complete_fiches
    from db.catalogue.search_index import reindex

    complete_fiches(conn)
    reindex(conn)


def _one_sante(conn: sa.Connection) -> None:
    """Fiches filed under the ROME domain "Santé" move to the ONISEP sector "Santé"."""
    if conn.execute(sa.text("SELECT 1 FROM sectors WHERE id = :id"), {"id": _SANTE_ROME}).first() is None:
        return
    conn.execute(sa.text("INSERT INTO sectors (id, label, kind) SELECT :id, 'Santé', 'onisep' "
                         "WHERE NOT EXISTS (SELECT 1 FROM sectors WHERE id = :id)"), {"id": _SANTE_ONISEP})
    conn.execute(sa.text("DELETE FROM metier_sectors WHERE sector_id = :rome AND metier_pk IN "
                         "(SELECT metier_pk FROM metier_sectors WHERE sector_id = :onisep)"),
                 {"rome": _SANTE_ROME, "onisep": _SANTE_ONISEP})
    for table, column in (("metier_sectors", "sector_id"), ("metiers", "main_sector_id")):
        conn.execute(sa.text(f"UPDATE {table} SET {column} = :onisep WHERE {column} = :rome"),
                     {"rome": _SANTE_ROME, "onisep": _SANTE_ONISEP})
    conn.execute(sa.text("DELETE FROM sectors WHERE id = :rome"), {"rome": _SANTE_ROME})


def downgrade() -> None:
    conn = op.get_bind()
    drop_fts(conn)
    with op.batch_alter_table("metiers", recreate=table_rebuild(op.get_bind())) as batch:
        for column in (*_NEW_COLUMNS, "inherited"):
            batch.drop_column(column)
        batch.add_column(sa.Column("search_names", sa.Text, nullable=False, server_default=""))
    create_fts(conn, ("search_names", "search_text"))
