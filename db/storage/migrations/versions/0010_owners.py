"""Each counselor's files their own on a shared server: owners and shares.

- ``students``, ``sessions``, ``access_log`` and ``milestones`` get ``owner``: the database role
  (login) the row belongs to. On PostgreSQL it defaults to ``current_user`` (rows already there
  belong to the role running this migration); on SQLite (one counselor per file) it stays NULL.
- ``student_shares``: a student shared with another login (``shared_by``: who shared it).
The roles, grants and row-level security policies that make these columns mean something are
set by ``orientation serveur init`` (:mod:`db.storage.office`), not here: a migration cannot
know the office's roles.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OWNED = ("students", "sessions", "access_log", "milestones")


def _owner_column(name: str, on_server: bool) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(63), nullable=True,
                     server_default=sa.text("CURRENT_USER") if on_server else None)


def upgrade() -> None:
    on_server = op.get_bind().dialect.name == "postgresql"
    for table in OWNED:
        op.add_column(table, _owner_column("owner", on_server))
    op.create_index("ix_students_owner", "students", ["owner"])
    op.create_table(
        "student_shares",
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("login", sa.String(63), primary_key=True),
        _owner_column("shared_by", on_server),
    )
    op.create_index("ix_student_shares_login", "student_shares", ["login"])


def downgrade() -> None:
    op.drop_index("ix_student_shares_login", "student_shares")
    op.drop_table("student_shares")
    op.drop_index("ix_students_owner", "students")
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("owner")
