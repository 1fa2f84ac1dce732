"""Erasure ledger: which student records were erased, never what they held.

A row names the erased record by its number and the moment it was created (together they
identify it even if SQLite hands the number out again later) and says when it was erased.
Restoring a backup re-applies every erasure of this ledger before the restored file is used,
so an erased student never comes back. New table only: no row is touched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("student_id", sa.Integer, nullable=False),
        sa.Column("student_created", sa.String(40), nullable=False),
        sa.Column("erased_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("student_id", "student_created", name="uq_erasures_student"),
    )


def downgrade() -> None:
    op.drop_table("erasures")
