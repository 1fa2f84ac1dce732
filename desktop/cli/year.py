"""The counselor's year on the command line: the caseload, bilan handovers, milestones, statistics.

Thin printing over :mod:`db.students.caseload` and :mod:`db.students.stats` (the window reads
the same functions).
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from db.errors import UserError
from db.storage.engine import Database
from db.students.caseload import CaseloadFilter
from desktop.cli.common import open_database_for
from desktop.cli.student_list import caseload_asked as caseload_asked  # its home before the quick list


def _filter(args: argparse.Namespace) -> CaseloadFilter:
    return CaseloadFilter(etablissement=args.etablissement, classe=args.classe, not_seen_days=args.pas_vu_depuis,
                          no_session=args.aucun_entretien, no_shortlist=args.aucun_metier,
                          bilan_not_given=args.bilan_non_remis)


def list_caseload(args: argparse.Namespace, database: Database) -> int:
    """``students list`` with caseload options: the students by school and class, or the counts."""
    from db.students.caseload import caseload, class_counts, reminder_lines

    if args.texte:
        raise UserError("--texte ne se combine pas avec les filtres du suivi de l'année : choisissez l'un ou l'autre")
    filt = _filter(args)
    with database.read() as session:
        if args.par_classe:
            _print_counts(class_counts(session, filt), args)
        else:
            _print_rows(caseload(session, filt), args)
        reminders = reminder_lines(session)
    for line in reminders:
        print(f"Rappel : {line}", file=sys.stderr)
    return 0


def _print_counts(counts: list, args: argparse.Namespace) -> None:  # type: ignore[type-arg]
    if args.format == "json":
        json.dump([{"etablissement": c.etablissement, "classe": c.classe, "eleves": c.students,
                    "pas_vus": c.not_seen if args.pas_vu_depuis is not None else None,
                    "aucun_entretien": c.no_session, "aucun_metier": c.no_shortlist,
                    "bilan_non_remis": c.bilan_not_given} for c in counts], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    seen = f"pas vus ({args.pas_vu_depuis} j)" if args.pas_vu_depuis is not None else None
    header = ["Établissement", "Classe", "Élèves", *([seen] if seen else []), "Aucun entretien",
              "Aucun métier", "Bilan non remis"]
    print(" | ".join(header))
    for c in counts:
        values = [c.etablissement, c.classe, str(c.students), *([str(c.not_seen)] if seen else []),
                  str(c.no_session), str(c.no_shortlist), str(c.bilan_not_given)]
        print(" | ".join(values))
    print(f"{sum(c.students for c in counts)} élève(s) dans {len(counts)} classe(s)")


def _print_rows(rows: list, args: argparse.Namespace) -> None:  # type: ignore[type-arg]
    from db.students.caseload import NO_CLASS, NO_SCHOOL

    if args.format == "json":
        json.dump([{"id": r.info.id, "nom": r.info.nom, "prenom": r.info.prenom, "classe": r.info.classe,
                    "etablissement": r.info.etablissement, "derniere_seance": r.info.last_session_on,
                    "bilan_remis_le": r.bilan_given_on} for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    group = None
    for r in rows:
        here = (r.info.etablissement or NO_SCHOOL, r.info.classe or NO_CLASS)
        if here != group:
            group = here
            print(f"{here[0]} — {here[1]}")
        bilan = f"bilan remis le {r.bilan_given_on}" if r.bilan_given_on else "bilan non remis"
        print(f"{r.info.id:>7}  {r.info.nom} {r.info.prenom}  dernier entretien : {r.info.last_session_on or '—'}"
              f"  {bilan}")
    print(f"{len(rows)} élève(s)")


def bilan_given(args: argparse.Namespace, database: Database) -> int:
    """``students bilan-remis ID [--le DATE] [--annuler]``."""
    from db.students.caseload import clear_bilan_given, record_bilan_given

    if args.annuler:
        clear_bilan_given(database, args.student_id)
        print(f"Remise du bilan oubliée pour l'élève {args.student_id}.")
        return 0
    day = record_bilan_given(database, args.student_id, args.le)
    print(f"Bilan de l'élève {args.student_id} noté remis le {day}.")
    return 0


def add_milestone(args: argparse.Namespace, database: Database) -> int:
    """``students echeance --titre T --date D [--eleve N]…``."""
    from db.catalogue.format import french_date
    from db.students.caseload import add_milestone as add, milestones

    milestone_id = add(database, args.titre, args.date, args.eleve)
    print(f"Échéance enregistrée : numéro {milestone_id} ({len(set(args.eleve))} élève(s) concerné(s)).")
    with database.read() as session:  # the day as stored: a past one is kept (noted afterwards), and said
        (stored,) = [m.due_on for m in milestones(session) if m.id == milestone_id]
    if stored < date.today().isoformat():
        print(f"Attention : cette date est déjà passée ({french_date(stored)}) ; elle n'apparaîtra pas parmi "
              "les échéances à venir.")
    return 0


def list_milestones(args: argparse.Namespace, database: Database) -> int:
    """``students echeances [--toutes]``: the milestones (upcoming 14 days by default)."""
    from db.catalogue.format import french_date
    from db.students.caseload import milestones, upcoming_milestones

    with database.read() as session:
        items = milestones(session) if args.toutes else upcoming_milestones(session)
    for item in items:
        concerned = f" — élèves {', '.join(map(str, item.student_ids))}" if item.student_ids else ""
        print(f"{item.id:>4}  {french_date(item.due_on)}  {item.title}{concerned}")
    if not items:
        print("Aucune échéance " + ("enregistrée." if args.toutes else "dans les 14 prochains jours."))
    return 0


def remove_milestone(args: argparse.Namespace, database: Database) -> int:
    """``students echeance-retirer N``."""
    from db.students.caseload import remove_milestone as remove

    remove(database, args.milestone_id)
    print(f"Échéance {args.milestone_id} supprimée.")
    return 0


def record_consent(args: argparse.Namespace, database: Database) -> int:
    """``students consentement ID --le DATE --par QUI``."""
    from db.students.transition import record_consent as record

    consent = record(database, args.student_id, args.le, args.par)
    print(f"Accord pour la note de liaison noté : le {consent.given_on}, par {consent.given_by}.")
    return 0


def write_transition_note(args: argparse.Namespace, database: Database) -> int:
    """``students liaison ID --partie P… --out FICHIER``: the note de liaison, owner-only."""
    from db.storage.files import write_atomically
    from db.students.transition import PARTS, transition_note

    document = transition_note(database, args.student_id, set(args.partie))
    if args.out.lower().endswith(".pdf"):
        from db.students.store import metier_names
        from reports.transition_pdf import write_transition_pdf

        with database.read() as session:
            names = metier_names(session, [item["metier"] for item in document["seances"][0]["selection"]])
        path = write_transition_pdf(document, names, Path(args.out))
    else:
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        path = write_atomically(Path(args.out), text.encode("utf-8"))
    parts = [PARTS[part].lower() for part in document["note_de_liaison"]["parties"]]  # as the note orders them
    print(f"Note de liaison écrite dans {path} (parties : {', '.join(parts)} ; jamais les notes privées).")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """``orientation stats``: the anonymous activity figures of a school year or a period."""
    from db.students.stats import activity_stats, period_from
    from reports.stats_export import stats_csv, stats_json, stats_text

    start, end = period_from(args.annee, args.du, args.au, date.today())
    if args.format == "pdf" and not args.out:
        raise UserError("indiquez le fichier PDF à écrire avec --out")
    database = open_database_for(args)
    with database.read() as session:
        stats = activity_stats(session, start, end)
    if args.format == "pdf":
        from reports.stats_pdf import write_stats_pdf

        write_stats_pdf(stats, Path(args.out))
        print(f"Statistiques écrites dans {args.out}.")
        return 0
    text = {"texte": stats_text, "csv": stats_csv, "json": stats_json}[args.format](stats)
    if args.out:
        from db.storage.files import write_atomically

        write_atomically(Path(args.out), text.encode("utf-8"))
        print(f"Statistiques écrites dans {args.out}.")
    else:
        sys.stdout.write(text)
    return 0


def cmd_year_change(args: argparse.Namespace) -> int:
    """``orientation annee changer --apercu|--confirmer`` and ``orientation annee annuler --confirmer``."""
    from db.students.year_change import parse_mapping, plan_year_change, undo_year_change

    if args.year_command == "annuler":
        database = open_database_for(args)
        year = undo_year_change(database)
        print(f"Changement d'année annulé : la base est revenue à l'année {year} "
              "(les dossiers effacés ne reviennent pas).")
        return 0
    mapping = parse_mapping(args.classe)
    database = open_database_for(args, writes=args.confirmer)
    if args.apercu:
        with database.read() as session:
            plan = plan_year_change(session, year=args.annee, mapping=mapping)
        print("\n".join(plan.lines()))
        print("Rien n'a été changé. Pour le faire : orientation annee changer --confirmer "
              "(mêmes options).")
        return 0
    from desktop.operations.year_change import run_year_change

    result, written = run_year_change(database, year=args.annee, mapping=mapping,
                                      folder=Path(args.dossier) if args.dossier else None)
    print("\n".join(result.plan.lines()))
    for path in written:
        print(f"Statistiques écrites dans {path}.")
    if result.erasure is not None:
        for line in result.erasure.sentences():
            print(line)
    print("Changement d'année fait. Pour l'annuler tant que rien n'est enregistré : "
          "orientation annee annuler --confirmer")
    return 0
