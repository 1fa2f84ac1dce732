"""Formations: their facts (type, level, duration, access, what follows), the métiers their
fiches name, and the pupil's current class on the student record.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_FORMATION_COLUMNS = (
    ("sigle", sa.String(40)), ("type_text", sa.Text), ("type_code", sa.String(20)), ("level", sa.Integer),
    ("years", sa.Integer), ("access_text", sa.Text), ("next_text", sa.Text), ("source_kind", sa.String(20)),
    ("source_date", sa.String(10)), ("label_key", sa.Text))


def upgrade() -> None:
    with op.batch_alter_table("formations") as batch:
        for name, kind in _FORMATION_COLUMNS:
            batch.add_column(sa.Column(name, kind))
    op.create_index("ix_formations_label_key", "formations", ["label_key"])
    op.create_table(
        "formation_metiers",
        sa.Column("formation_id", sa.String(200), sa.ForeignKey("formations.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("label_key", sa.Text, nullable=False),
    )
    op.create_index("ix_formation_metiers_label_key", "formation_metiers", ["label_key"])
    with op.batch_alter_table("students") as batch:
        batch.add_column(sa.Column("current_class", sa.String(20)))
    _fill_label_keys()


def _fill_label_keys() -> None:
    """Formations already stored get their folded label (the same function the writer uses)."""
    from db.text import fold

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, label FROM formations")).all()
    if rows:
        conn.execute(sa.text("UPDATE formations SET label_key = :key WHERE id = :id"),
                     [{"id": fid, "key": " ".join(fold(label).split())} for fid, label in rows])


def downgrade() -> None:
    with op.batch_alter_table("students") as batch:
        batch.drop_column("current_class")
    op.drop_index("ix_formation_metiers_label_key", "formation_metiers")
    op.drop_table("formation_metiers")
    op.drop_index("ix_formations_label_key", "formations")
    with op.batch_alter_table("formations") as batch:
        for name, _kind in reversed(_FORMATION_COLUMNS):
            batch.drop_column(name)
