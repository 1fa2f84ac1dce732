"""``orientation students list`` without its caseload options: the printing both paths share,
and the quick path (:mod:`db.students.quick_list`) that loads neither SQLAlchemy nor the ORM.

Imported before any database module: only the standard library and Qt-free, SQLAlchemy-free
modules here.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Protocol


class Listed(Protocol):
    """What a printed student row needs (a StudentInfo or a quick ListedStudent)."""

    @property
    def id(self) -> int: ...
    @property
    def nom(self) -> str: ...
    @property
    def prenom(self) -> str: ...
    @property
    def classe(self) -> str | None: ...
    @property
    def last_session_on(self) -> str | None: ...


def caseload_asked(args: argparse.Namespace) -> bool:
    """True when ``students list`` got an option of the caseload (school, a filter, per class)."""
    return bool(args.etablissement is not None or args.pas_vu_depuis is not None or args.aucun_entretien
                or args.aucun_metier or args.bilan_non_remis or args.par_classe)


def list_quickly(args: argparse.Namespace) -> int | None:
    """``students list`` (no caseload option) read without SQLAlchemy; None when the ordinary
    path must run it (a caseload option, or a database it must open: see :mod:`db.students.quick_list`)."""
    if caseload_asked(args):
        return None
    from db.students.quick_list import list_students_quickly

    found = list_students_quickly(getattr(args, "db", None), args.texte, args.classe)
    if found is None:
        return None
    print_students(found.students, args.format, found.past_retention)
    return 0


def print_students(students: Sequence[Listed], fmt: str, past_retention: int) -> None:
    """The list as ``table`` or ``json`` on stdout, and the retention reminder on stderr."""
    if fmt == "json":
        json.dump([{"id": s.id, "nom": s.nom, "prenom": s.prenom, "classe": s.classe,
                    "derniere_seance": s.last_session_on} for s in students], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for s in students:
            print(f"{s.id:>5}  {s.nom} {s.prenom}  {s.classe or ''}  dernier entretien : {s.last_session_on or '—'}")
        print(f"{len(students)} élève(s)")
    if past_retention:
        print(f"Rappel : {past_retention} dossier(s) ont dépassé la durée de conservation "
              "(orientation students purge).", file=sys.stderr)
