"""``orientation backup``, ``restore``, ``settings`` and ``selftest``."""
from __future__ import annotations

import argparse

from db.errors import UserError
from desktop.cli.common import open_database_for


def cmd_settings(args: argparse.Namespace) -> int:
    from db.students.privacy import retention_extra_years, set_retention_extra_years
    from db.students.settings import Counselor, get_counselor, set_counselor

    database = open_database_for(args)
    with database.read() as session:
        current = get_counselor(session)
    if any(v is not None for v in (args.conseiller, args.structure, args.contact)):
        current = Counselor(args.conseiller if args.conseiller is not None else current.name,
                            args.structure if args.structure is not None else current.structure,
                            args.contact if args.contact is not None else current.contact)
        set_counselor(database, current)
    if args.conservation is not None:
        set_retention_extra_years(database, args.conservation)
    with database.read() as session:
        years = retention_extra_years(session)
    print(f"Conseiller·ère : {current.name or '—'}\nStructure : {current.structure or '—'}\n"
          f"Contact : {current.contact or '—'}\nConservation : fin de l'année scolaire du dernier entretien"
          + (f" + {years} an(s)" if years else ""))
    return 0


def _sqlite_file(args: argparse.Namespace):
    from db.storage.backup import sqlite_path
    from db.storage.engine import resolve_url

    path = sqlite_path(resolve_url(getattr(args, "db", None)))
    if path is None:
        raise UserError("la sauvegarde intégrée ne concerne que les bases SQLite")
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.storage.backup import apply_pending_erasures, backup_to

    path = _sqlite_file(args)
    if not path.exists():
        raise UserError(f"aucune base de données à sauvegarder en « {path} »")
    apply_pending_erasures(path)  # an erasure cut short is finished before anything else
    target = backup_to(path, Path(args.out))
    print(f"Sauvegarde écrite : {target}. Cette copie est la vôtre : un élève effacé plus tard y reste "
          "(gardez-la en lieu sûr, supprimez-la quand elle ne sert plus ; une restauration ré-applique "
          "toutefois les effacements).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.storage.backup import apply_pending_erasures, check_backup, restore_from

    db_file = _sqlite_file(args)
    if db_file.exists():
        apply_pending_erasures(db_file)  # an erasure cut short is finished before anything else
    check_backup(Path(args.path))
    if not args.yes:
        raise UserError("la base actuelle sera remplacée : ajoutez --yes pour confirmer")
    kept = restore_from(db_file, Path(args.path))
    print(f"Base restaurée depuis {args.path} ; les effacements d'élèves enregistrés y ont été appliqués. "
          f"L'ancienne base est conservée dans {kept}.")
    return 0


def cmd_selftest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop.selftest import run_selftest

    for line in run_selftest(Path(args.dossier) if args.dossier else None):
        print(line)
    print("Installation vérifiée.")
    return 0
