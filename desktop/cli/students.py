"""``orientation students …``: the RGPD-facing commands on student records (headless)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from db.errors import UserError
from db.storage.engine import Database
from desktop.cli.common import open_database_for


def run(args: argparse.Namespace) -> int:
    """Dispatch one ``students`` action on the database the arguments name; the exit status."""
    writes = args.student_command not in _READ_ONLY
    creates = args.student_command in ("add", "import")  # the others need records that exist
    return _ACTIONS[args.student_command](args, open_database_for(args, writes=writes, creates=creates))


def _list(args: argparse.Namespace, database: Database) -> int:
    from desktop.cli.student_list import caseload_asked, print_students

    if caseload_asked(args):
        from desktop.cli.year import list_caseload

        return list_caseload(args, database)
    from db.students.privacy import count_past_retention
    from db.students.store import find_students

    with database.read() as session:
        students = find_students(session, args.texte, args.classe)
        overdue = count_past_retention(session)
    print_students(students, args.format, overdue)
    return 0


def _add(args: argparse.Namespace, database: Database) -> int:
    from db.catalogue.routes import class_label
    from db.students.quick_entry import suggested_current_class
    from db.students.store import create_student, find_same_student

    if not args.doublon:
        with database.read() as session:
            same = find_same_student(session, args.nom, args.prenom, args.classe)
        if same is not None:
            raise UserError(f"{same.named_with_class} existe déjà : élève numéro {same.id} ; "
                            "ajoutez --meme-si-existe pour créer quand même un second dossier")
    current, guessed = args.classe_actuelle, False
    if current is None and args.classe:  # as the window's quick entry does: "3e B" → 3e
        current = suggested_current_class(args.classe) or None
        guessed = current is not None
    student_id = create_student(database, args.nom, args.prenom, args.classe, args.etablissement,
                                args.annee_scolaire, current_class=current)
    print(f"Élève créé : numéro {student_id}")
    if guessed:
        print(f"Classe actuelle déduite de la classe : {class_label(current)} "
              f"(pour la changer : orientation students edit {student_id} --classe-actuelle …)")
    return 0


def _edit(args: argparse.Namespace, database: Database) -> int:
    """Change the fields given; the others keep their value."""
    from db.catalogue.routes import class_label
    from db.students.store import get_student, update_student

    with database.read() as session:
        now = get_student(session, args.student_id)
    def pick(new: str | None, old: str | None) -> str | None:
        return old if new is None else new
    update_student(database, now.id, pick(args.nom, now.nom) or "", pick(args.prenom, now.prenom) or "",
                   pick(args.classe, now.classe), pick(args.etablissement, now.etablissement),
                   pick(args.annee_scolaire, now.annee_scolaire),
                   current_class=args.classe_actuelle)
    with database.read() as session:
        after = get_student(session, args.student_id)
    # Every field as it now is (it said « classe actuelle : 3e » whatever was changed).
    current = f"classe actuelle : {class_label(after.current_class)}" if after.current_class else None
    details = [d for d in (after.classe, current, after.etablissement, after.annee_scolaire) if d]
    print(f"Élève numéro {after.id} modifié : {after.full_name}" + (f" — {' · '.join(details)}" if details else ""))
    return 0


def _seance(args: argparse.Namespace, database: Database) -> int:
    from db.students.overview import session_overview
    from db.students.session_edit import SessionEdit, edit_session

    edit = SessionEdit(
        new_session=args.nouvelle, add_interests=tuple(args.interet), remove_interests=tuple(args.retirer_interet),
        max_level=args.niveau_max, min_salary=args.salaire_min, wish_sectors=tuple(args.secteur),
        refuse_sectors=tuple(args.secteur_refuse), remove_sectors=tuple(args.retirer_secteur),
        keep=tuple(args.retenir), drop=tuple(args.retirer), student_note=args.note,
        next_steps=tuple(args.etape))
    state = edit_session(database, args.student_id, edit)
    with database.read() as session:
        view = session_overview(session, state)
    if args.format == "json":
        _print_json(view)
        return 0
    done = "enregistré" if not edit.changes_nothing() else "inchangé (aucune modification demandée)"
    print(f"Entretien du {_day(view['date'])} {done} — élève numéro {args.student_id}.")
    print("\n".join(_session_lines(view)))
    return 0


def _show(args: argparse.Namespace, database: Database) -> int:
    from db.students.overview import student_overview

    with database.read() as session:
        view = student_overview(session, args.student_id, include_private=args.avec_notes_privees)
    if args.format == "json":
        _print_json(view)
        return 0
    current = f"classe actuelle : {view['classe_actuelle_libelle']}" if view["classe_actuelle"] else None
    details = [d for d in (view["classe"], current, view["etablissement"], view["annee_scolaire"]) if d]
    print(f"Élève numéro {view['id']} : {view['prenom']} {view['nom']}"
          + (f" — {' · '.join(details)}" if details else ""))
    sessions = view["entretiens"]
    if not sessions:
        print("Aucun entretien (orientation students seance ID --nouvelle pour en commencer un).")
    for number, one in enumerate(sessions, start=1):
        print(f"\nEntretien {number}/{len(sessions)} — {_day(one['date'])}")
        print("\n".join(_session_lines(one)))
    return 0


def _print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _day(iso: str) -> str:
    from db.catalogue.format import french_date

    return french_date(iso)


def _session_lines(view: dict) -> list[str]:
    """What a session holds, in French, one fact per line (empty parts say "aucun")."""
    from db.catalogue.format import format_euros

    def labels(items: list[dict]) -> str:
        return " ; ".join(item["libelle"] for item in items) or "aucun"

    salary = f"au moins {format_euros(view['salaire_min'])} brut par mois" if view["salaire_min"] else "aucun"
    lines = [f"  Centres d'intérêt : {labels(view['centres_interet'])}",
             f"  Niveau d'études visé (au plus) : {view['niveau_max'] or 'aucun'}",
             f"  Salaire de début souhaité : {salary}",
             f"  Secteurs souhaités : {labels(view['secteurs_souhaites'])}",
             f"  Secteurs refusés : {labels(view['secteurs_refuses'])}"]
    if view["pays"]:
        lines.append(f"  Pays : {view['pays']}")
    lines.append(f"  Sélection : {len(view['selection']) or 'aucun métier'}")
    for rank, item in enumerate(view["selection"], start=1):
        name = item["nom"] or "(n'est plus dans le catalogue)"
        comment = f" — {item['commentaire']}" if item["commentaire"] else ""
        lines.append(f"    {rank}. {name} [{item['id']}]{comment}")
    steps = [line for line in view["prochaines_etapes"].splitlines() if line.strip()]
    lines.append(f"  Prochaines étapes : {'aucune' if not steps else ''}".rstrip())
    lines += [f"    – {step}" for step in steps]
    lines.append(f"  Note pour l'élève : {view['note_eleve'] or 'aucune'}")
    if "notes_privees" in view:
        lines.append(f"  Notes privées (jamais imprimées) : {view['notes_privees'] or 'aucune'}")
    return lines


def _export(args: argparse.Namespace, database: Database) -> int:
    from desktop.operations.student_file import USERS_COPY, write_student_export

    write_student_export(database, args.student_id, Path(args.out), include_private=args.avec_notes_privees)
    private = "avec" if args.avec_notes_privees else "sans"
    print(f"Dossier exporté dans {args.out} ({private} les notes privées). {USERS_COPY}")
    return 0


def _import(args: argparse.Namespace, database: Database) -> int:
    from db.students.student_file import SameStudentError, import_student_file, read_document

    try:
        imported = import_student_file(database, read_document(args.path), even_if_present=args.doublon)
    except SameStudentError as exc:
        raise UserError(f"{exc.message} ; ajoutez --meme-si-existe pour importer quand même un second dossier") \
            from exc
    print(f"Dossier importé : élève numéro {imported.id} ({imported.sessions} entretien(s)).")
    for note in imported.notes:  # what this catalogue could not take as it was
        print(f"Remarque : {note}.")
    return 0


def _erase(args: argparse.Namespace, database: Database) -> int:
    from db.students.privacy import erase_student

    if not args.yes:  # the student named, so a wrong number is caught before it is too late
        from db.students.store import get_student

        with database.read() as session:
            student = get_student(session, args.student_id)
        what = ", ".join(x for x in (f"n° {student.id}", student.classe,
                                     f"dernier entretien : {student.last_session_on or '—'}") if x)
        raise UserError(f"l'effacement de {student.full_name} ({what}) est définitif : ajoutez --yes pour "
                        "confirmer")
    result = erase_student(database, args.student_id)
    print(f"Élève {args.student_id} effacé définitivement.")
    for line in result.sentences():
        print(line)
    return 0


def _purge(args: argparse.Namespace, database: Database) -> int:
    from db.students.privacy import past_retention, purge_with_result

    if not args.yes:
        with database.read() as session:
            overdue = past_retention(session)
        for s in overdue:
            print(f"{s.id:>5}  {s.nom} {s.prenom}  dernier entretien : {s.last_session_on or '—'}")
        print(f"{len(overdue)} dossier(s) à effacer ; relancez avec --yes pour les effacer." if overdue
              else "Aucun dossier n'a dépassé la durée de conservation : rien à effacer.")
        return 0
    erased, result = purge_with_result(database)
    print(f"{len(erased)} dossier(s) effacé(s).")
    for line in result.sentences() if result else []:
        print(line)
    return 0


def _log(args: argparse.Namespace, database: Database) -> int:
    from db.students.privacy import access_log

    with database.read() as session:
        entries = access_log(session)
    if args.format == "json":
        json.dump(entries, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for e in entries:
            print(f"{e['quand']}  {e['qui']}  {e['action']}  élève {e['eleve']}")
    return 0


_READ_ONLY = {"list", "log", "echeances"}  # no daily backup before these: they change nothing
def _year(name: str):  # type: ignore[no-untyped-def]
    def action(args: argparse.Namespace, database: Database) -> int:
        from desktop.cli import year

        return int(getattr(year, name)(args, database))
    return action


def _server(name: str):  # type: ignore[no-untyped-def]
    def action(args: argparse.Namespace, database: Database) -> int:
        from desktop.cli import server

        return int(getattr(server, name)(args, database))
    return action


_ACTIONS = {"partager": _server("share"), "transferer": _server("transfer"),
            "bilan-remis": _year("bilan_given"), "echeance": _year("add_milestone"),
            "echeances": _year("list_milestones"), "echeance-retirer": _year("remove_milestone"),
            "consentement": _year("record_consent"), "liaison": _year("write_transition_note"),
            "list": _list, "add": _add, "edit": _edit, "seance": _seance, "show": _show, "export": _export,
            "import": _import, "erase": _erase, "purge": _purge, "log": _log}


def cmd_suggest(args: argparse.Namespace) -> int:
    from db.students.store import session_on
    from db.students.suggest import has_something_to_go_on, score_text, suggest

    database = open_database_for(args, writes=False)
    with database.read() as session:
        state = session_on(session, args.student_id, args.seance)
        results = suggest(session, state, limit=args.limite)
    if args.format == "json":
        json.dump([{"id": r.metier_id, "nom": r.name, "score": r.score,
                    "raisons": [{"critere": x.criterion, "ok": x.ok, "texte": x.text} for x in r.reasons]}
                   for r in results], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for rank, result in enumerate(results, start=1):
        # The id, as --retenir wants it: the table is where the counselor picks from.
        print(f"{rank:>2}. {result.name}  ({score_text(result.score)}) — {result.metier_id}")
        for reason in result.reasons:
            print(f"      {reason.text}")
    if not has_something_to_go_on(state):  # the window's sentence speaks of ticking boxes
        print(f"Aucun centre d'intérêt ni secteur souhaité dans cet entretien : ajoutez-en avec "
              f"« orientation students seance {args.student_id} --interet … » (ou --secteur …), puis relancez.")
    elif not results:
        print("Aucun métier ne correspond aux critères de cet entretien.")
    return 0
