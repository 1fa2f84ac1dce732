"""Students and their sessions (entretiens), shortlist, comparison, access log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "students",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("nom", sa.Text, nullable=False),
        sa.Column("prenom", sa.Text, nullable=False),
        sa.Column("classe", sa.String(40)),
        sa.Column("etablissement", sa.Text),
        sa.Column("annee_scolaire", sa.String(9)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_session_on", sa.String(10), index=True),
        sa.Column("search_key", sa.Text, nullable=False, index=True),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("max_bac_plus", sa.Integer),
        sa.Column("min_salary", sa.Integer),
        sa.Column("country", sa.String(2)),
        sa.Column("next_steps", sa.Text, nullable=False),
        sa.Column("student_note", sa.Text, nullable=False),
        sa.Column("private_notes", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "session_interests",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("interest_id", sa.String(120), sa.ForeignKey("interests.id"), primary_key=True),
    )
    op.create_table(
        "session_sectors",
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("sector_id", sa.String(120), sa.ForeignKey("sectors.id"), primary_key=True),
        sa.Column("wished", sa.Boolean, nullable=False),
    )
    for name in ("shortlist", "comparison"):
        extra = [sa.Column("comment", sa.Text, nullable=False)] if name == "shortlist" else []
        op.create_table(
            name,
            sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("position", sa.Integer, primary_key=True),
            sa.Column("metier_id", sa.String(200), nullable=False),
            *extra,
        )
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(120), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("student_id", sa.Integer),
    )


def downgrade() -> None:
    for name in ("access_log", "comparison", "shortlist", "session_sectors", "session_interests", "sessions",
                 "students"):
        op.drop_table(name)
