"""Métiers: salaries read again from the wording each fiche kept, by the current rules.

The rules of 2026-12-07 (db.catalogue.importers.salary): a fee per show, a week's pay, an
allowance or pay at school no longer reads as a monthly salary (« 75 à 150 euros par
représentation » gave 150 €; « élève fonctionnaire … 1486 euros en 1re année » gave 1,486 €), a
later monthly statement is read instead, « et jusqu'à M » gives the maximum, « N à M euros » and
« environ N » are read. A base imported before would keep the old figures until its files were
imported again: they are read again here (:func:`db.catalogue.salary_reread.reread_salaries`).
The sector shown beside an ONISEP fiche that replaced a project fiche becomes the project's
choice when the ONISEP fiche states it too (:func:`db.catalogue.merge.main_sectors_from_twins`:
« infirmier — Enseignement », ONISEP's first sector alphabetically, becomes « Santé »).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.catalogue.merge import main_sectors_from_twins
    from db.catalogue.salary_reread import reread_salaries

    reread_salaries(op.get_bind())
    main_sectors_from_twins(op.get_bind())  # the sector shown beside an ONISEP fiche: its project twin's


def downgrade() -> None:
    """Nothing to undo: the figures are derived from the kept wording, which is unchanged; the
    previous version reads them its own way at the next import."""
