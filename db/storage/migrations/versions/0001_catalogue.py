"""Catalogue: nomenclatures, métiers and their lists, ROME reference, import log, full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""
from typing import Any

import sqlalchemy as sa
from alembic import op

from db.catalogue.search import create_fts, drop_fts

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.Column[Any], indexes: tuple[tuple[str, list[str]], ...] = ()) -> None:
    op.create_table(
        name,
        sa.Column("metier_pk", sa.Integer, sa.ForeignKey("metiers.pk", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        *columns,
    )
    for index_name, cols in indexes:
        op.create_index(index_name, name, cols)


def upgrade() -> None:
    op.create_table(
        "levels",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("bac_plus", sa.Integer, nullable=False, index=True),
        sa.Column("level_2019", sa.Integer),
        sa.Column("level_1969", sa.String(8)),
        sa.Column("be_equivalent", sa.String(40)),
    )
    op.create_table(
        "interests",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("group_label", sa.String(80), nullable=False),
        sa.Column("is_onisep", sa.Boolean, nullable=False),
    )
    op.create_table(
        "sectors",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
    )
    op.create_table(
        "statuts",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("label", sa.String(120), nullable=False),
    )
    op.create_table(
        "formations",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
    )
    op.create_table(
        "rome_codes",
        sa.Column("code", sa.String(5), primary_key=True),
        sa.Column("label", sa.Text),
        sa.Column("grand_domaine", sa.String(1), nullable=False),
        sa.Column("domaine_code", sa.String(3)),
        sa.Column("domaine_label", sa.Text),
        sa.Column("riasec_major", sa.String(1)),
        sa.Column("riasec_minor", sa.String(1)),
        sa.Column("parent_code", sa.String(5), index=True),
        sa.Column("version", sa.String(10)),
    )
    op.create_table(
        "rome_appellations",
        sa.Column("code_ogr", sa.String(12), primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("rome_code", sa.String(5), nullable=False, index=True),
    )
    op.create_table(
        "metiers",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("label_f", sa.Text),
        sa.Column("label_m", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("level_text", sa.Text),
        sa.Column("level_code", sa.String(20), sa.ForeignKey("levels.code")),
        sa.Column("bac_plus", sa.Integer),
        sa.Column("salary_min", sa.Integer),
        sa.Column("salary_max", sa.Integer),
        sa.Column("salary_text", sa.Text),
        sa.Column("salary_scope", sa.String(12)),
        sa.Column("salary_career_min", sa.Integer),
        sa.Column("salary_career_max", sa.Integer),
        sa.Column("salary_year", sa.Integer),
        sa.Column("salary_source_date", sa.String(10)),
        sa.Column("salary_country", sa.String(2)),
        sa.Column("riasec", sa.String(6)),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("nsf_code", sa.String(10)),
        sa.Column("main_sector_id", sa.String(120), sa.ForeignKey("sectors.id")),
        sa.Column("same_as", sa.String(200), index=True),
        sa.Column("source_kind", sa.String(20), nullable=False),
        sa.Column("source_file", sa.Text),
        sa.Column("source_date", sa.String(10)),
        sa.Column("licence", sa.Text),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        # Compared byte by byte, as SQLite does, whatever the language of the PostgreSQL server.
        sa.Column("sort_key", sa.Text().with_variant(sa.Text(collation="C"), "postgresql"), nullable=False),
        sa.Column("search_names", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
    )
    op.create_index("ix_metiers_bac_plus", "metiers", ["bac_plus"])
    op.create_index("ix_metiers_salary_min", "metiers", ["salary_min"])
    op.create_index("ix_metiers_sort_key", "metiers", ["sort_key"])
    op.create_index("ix_metiers_country", "metiers", ["country"])
    _child("metier_synonyms", sa.Column("name", sa.Text, nullable=False), sa.Column("label_f", sa.Text),
           sa.Column("label_m", sa.Text))
    _child("metier_sections", sa.Column("key", sa.String(60), nullable=False),
           sa.Column("title", sa.Text, nullable=False), sa.Column("text", sa.Text, nullable=False))
    _child("metier_rome", sa.Column("code", sa.String(5), nullable=False, index=True),
           sa.Column("is_legacy", sa.Boolean, nullable=False))
    _child("metier_sectors", sa.Column("sector_id", sa.String(120), sa.ForeignKey("sectors.id"), nullable=False),
           sa.Column("is_derived", sa.Boolean, nullable=False),
           indexes=(("ix_metier_sectors_sector", ["sector_id", "metier_pk"]),))
    _child("metier_interests",
           sa.Column("interest_id", sa.String(120), sa.ForeignKey("interests.id"), nullable=False),
           indexes=(("ix_metier_interests_interest", ["interest_id", "metier_pk"]),))
    _child("metier_statuts", sa.Column("statut_id", sa.String(120), sa.ForeignKey("statuts.id"), nullable=False),
           indexes=(("ix_metier_statuts_statut", ["statut_id", "metier_pk"]),))
    _child("metier_formations",
           sa.Column("formation_id", sa.String(200), sa.ForeignKey("formations.id"), nullable=False))
    _child("metier_related", sa.Column("related_id", sa.String(200)), sa.Column("label", sa.Text, nullable=False))
    op.create_table(
        "import_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("format_name", sa.String(40), nullable=False),
        sa.Column("imported_at", sa.DateTime, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("updated", sa.Integer, nullable=False),
    )
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    create_fts(op.get_bind(), ("search_names", "search_text"))


def downgrade() -> None:
    drop_fts(op.get_bind())
    for name in ("app_meta", "import_log", "metier_related", "metier_formations", "metier_statuts",
                 "metier_interests", "metier_sectors", "metier_rome", "metier_sections", "metier_synonyms",
                 "metiers", "rome_appellations", "rome_codes", "formations", "statuts", "sectors",
                 "interests", "levels"):
        op.drop_table(name)
