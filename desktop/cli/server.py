"""``orientation serveur …``: setting up an office's PostgreSQL server (roles, rules, accounts),
and ``students partager|transferer``. The rules live in :mod:`db.storage.office` and
:mod:`db.students.sharing`; this module reads the arguments and the password, and prints."""
from __future__ import annotations

import argparse
import getpass
import sys

from db.errors import UserError


def run(args: argparse.Namespace) -> int:
    """Dispatch ``serveur init`` / ``serveur conseiller ajouter``; the exit status."""
    from db.storage.office import server_url

    url = server_url(getattr(args, "db", None))  # refuses a SQLite file before anything is created
    if args.server_command == "init":
        return _init(url)
    return _add_counselor(url, args)


def _init(url: str) -> int:
    from db.storage.office import init_server
    from db.storage.opening import open_database

    database = open_database(url, daily=False)  # migrations, nomenclatures, starter catalogue
    try:
        for line in init_server(database):
            print(line)
    finally:
        database.close()
    return 0


def _add_counselor(url: str, args: argparse.Namespace) -> int:
    from db.storage.office import add_counselor, check_login

    check_login(args.login)  # before asking for a password
    print(add_counselor(url, args.login, read_password(args.login), admin=args.admin))
    return 0


def read_password(login: str) -> str:
    """The new account's password: typed twice at the terminal (not echoed), or the first line
    of standard input when it is not a terminal (scripts). Never an argument: it would show in
    the shell history and the process list."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UserError("aucun mot de passe lu sur l'entrée standard : envoyez-le sur la première ligne")
        return line
    first = getpass.getpass(f"Mot de passe de {login} : ")
    if getpass.getpass("Le même, une seconde fois : ") != first:
        raise UserError("les deux mots de passe diffèrent : rien n'a été créé, recommencez")
    return first


def share(args: argparse.Namespace, database: object) -> int:
    """``students partager ID --avec LOGIN [--retirer]``."""
    from db.storage.engine import Database
    from db.students.sharing import share_student, unshare_student

    assert isinstance(database, Database)
    act = unshare_student if args.retirer else share_student
    print(act(database, args.student_id, args.avec))
    return 0


def transfer(args: argparse.Namespace, database: object) -> int:
    """``students transferer ID --a LOGIN``."""
    from db.storage.engine import Database
    from db.students.sharing import transfer_student

    assert isinstance(database, Database)
    print(transfer_student(database, args.student_id, args.a))
    return 0
