"""Métiers: the indexed text no longer repeats a stem that begins its word.

A word's stem is searched by prefix ("infirmier"* finds "infirmieres"), so indexing it after a
word it begins added nothing a search could find, while it was a third of the indexed words and
of the full-text index's writes (see :func:`db.catalogue.search_text.index_text`). Stems that do
not begin their word ("chevaux cheval") and short ones, searched as whole words, stay.

The indexed text is derived data: it is recomputed here for every fiche, and for every ROME code's
job titles, by the current code (the functions the writers use). The full-text indexes are then
merged into one segment each: the rewrite leaves one per 500 fiches, which every search would read
(at 100,000 métiers the sentence case took 96 ms instead of 47 ms until merged).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.catalogue.search_index import optimize_fts, reindex
    from db.catalogue.search_match import refresh_code_fts

    conn = op.get_bind()
    reindex(conn)
    refresh_code_fts(conn, None)
    optimize_fts(conn)


def downgrade() -> None:
    """Nothing to undo: the previous version's searches find the same fiches in this text (it
    searches stems by prefix too); its next write of a fiche indexes that fiche its own way."""
