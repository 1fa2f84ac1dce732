"""``orientation parcours`` and ``orientation formations search|show``: parse, call db/, print."""
from __future__ import annotations

import argparse
import json
import sys

from desktop.cli.common import open_database_for


def cmd_parcours(args: argparse.Namespace) -> int:
    """Print the routes to a métier from a class (``--depuis``) or a student's current class."""
    from db.catalogue.routes import class_label, routes_for
    from db.students.pathways import routes_for_student

    database = open_database_for(args, writes=False)
    with database.read() as session:
        if args.eleve is not None:
            found = routes_for_student(session, args.eleve, args.metier_id)
        else:
            found = routes_for(session, args.metier_id, args.depuis)
    if args.format == "json":
        _print_json([route.as_json() for route in found.routes])
        return 0
    print(f"Parcours vers « {found.metier_name} » depuis : {class_label(found.class_code)}")
    for number, route in enumerate(found.routes, start=1):
        print(f"{number}. {route.line()}")
    for note in found.notes:
        print(note)
    return 0


def run(args: argparse.Namespace) -> int:
    """``orientation formations search|show``."""
    from db.catalogue.formations import search_formations, show_formation

    database = open_database_for(args, writes=False, catalogue_only=True)
    with database.read() as session:
        if args.formation_command == "search":
            found = search_formations(session, args.texte, args.type, args.niveau, limit=args.limite + 1)
            more = len(found) > args.limite  # one more asked: whether the list is cut
            found = found[:args.limite]
            if args.format == "json":
                _print_json([{"id": f.id, "libelle": f.label, "type": f.type_label, "niveau": f.level,
                              "duree_annees": f.years} for f in found])
                return 0
            for f in found:
                line = " · ".join(_facts(f.type_label, f.level, f.years))
                print(f"{f.id:<12} {f.label}" + (f"  ({line})" if line else ""))
            if more:
                print(f"{len(found)} premières formations seulement : il y en a d'autres (précisez --texte, "
                      "ou augmentez --limite).")
            else:
                print(f"{len(found)} formation(s)")
            return 0
        view = show_formation(session, args.formation_id)
    if args.format == "json":
        _print_json({"id": view.id, "libelle": view.label, "sigle": view.sigle, "type": view.type_label,
                     "niveau": view.level, "duree_annees": view.years, "acces": view.access_text,
                     "poursuite_etudes": view.next_text,
                     "metiers": [{"id": mid, "libelle": label} for mid, label in view.metiers],
                     "source": view.source})
        return 0
    print(f"{view.id} — {view.label}")
    print(" · ".join(_facts(view.type_label, view.level, view.years)))
    if view.access_text:
        print(f"\nAccès : {view.access_text}")
    if view.next_text:
        print(f"\nEt après : {view.next_text}")
    if view.metiers:
        print("\nMétiers :")
        for mid, label in view.metiers:
            print(f"  {mid or '(pas de fiche)':<24} {label}")
    if view.source:
        print(f"\n{view.source}")
    return 0


def _facts(type_label: str, level: int | None, years: int | None) -> list[str]:
    """French: type, level, duration (those known)."""
    duration = "" if not years else f"{years} an" if years == 1 else f"{years} ans"
    return [x for x in (type_label, f"niveau {level}" if level else "", duration) if x]


def _print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    print()
