"""The counselor's year: when a bilan was handed over, the counselor's own milestones.

- ``bilan_handovers``: the day a student's bilan was handed over (a row once the counselor
  records it; erased with the student); an index on
  (établissement, classe, nom) so the caseload is read school by school, class by class, through
  an index; ``sessions`` gets an index on (student, date) for "aucun métier retenu".
- ``milestones`` (a title and a date the counselor enters, e.g. Affelnet, Parcoursup) and
  ``milestone_students`` (the students a milestone concerns; erased with the student).
- ``liaison_consents``: the pupil's and family's consent to a note de liaison (day, who).
New tables and indexes only: no row is changed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bilan_handovers",
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("given_on", sa.String(10), nullable=False),
    )
    op.create_index("ix_students_caseload", "students", ["etablissement", "classe", "search_key"])
    op.create_index("ix_sessions_student_date", "sessions", ["student_id", "date"])
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("due_on", sa.String(10), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "milestone_students",
        sa.Column("milestone_id", sa.Integer, sa.ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), primary_key=True,
                  index=True),
    )


    op.create_table(
        "liaison_consents",
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("given_on", sa.String(10), nullable=False),
        sa.Column("given_by", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("liaison_consents")
    op.drop_table("milestone_students")
    op.drop_table("milestones")
    op.drop_index("ix_sessions_student_date", "sessions")
    op.drop_index("ix_students_caseload", "students")
    op.drop_table("bilan_handovers")
