"""What every command shares: opening the database it names, with its warnings said."""
from __future__ import annotations

import argparse
import sys

from db.storage.engine import Database


def open_database_for(args: argparse.Namespace) -> Database:
    """The database of ``--db`` / ``ORIENTATION_DB`` / the default, opened (and created,
    migrated, checked); its warnings (e.g. no daily backup) go to stderr in French."""
    from db.storage.opening import open_database

    database = open_database(getattr(args, "db", None))
    for warning in database.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    return database
