"""The ``orientation`` command: the GUI by default, headless sub-commands for everything else.

This is the composition root (it may call ``db``, ``reports`` and the GUI); it holds no
business rule. Qt is imported only when the GUI is asked for, so every sub-command works on a
machine without a screen. Errors print one French line on stderr and exit non-zero; a bug
is logged with its traceback to the log file and shown as a short French message.
"""
from __future__ import annotations

import argparse
import io
import logging
import sys
from typing import Callable, Sequence

from db.errors import UserError

log = logging.getLogger("orientation")

# argparse's own messages ("usage:", "error:", …) in French: argparse looks up its module-level
# ``_`` at call time, so replacing it translates every message without forking argparse.
_ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "expected one argument": "une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (au choix : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s (%(matches)s)",
}
argparse._ = lambda text: _ARGPARSE_FR.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and one French line, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"Erreur : {message}\n(orientation --help pour l'aide)\n")


def record_id(text: str) -> int:
    """An argparse type: a record number SQLite can hold (1 … 2⁶³ − 1), refused in French."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"numéro invalide : « {text[:40]} » (un nombre entier est attendu)") from None
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"numéro hors limites : {text[:40]}")
    return value


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL|CHEMIN", default=argparse.SUPPRESS,
                        help="base de données à utiliser (adresse SQLAlchemy ou chemin de fichier ; "
                             "par défaut ORIENTATION_DB ou le dossier de données de l'utilisateur)")


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line grammar (French help)."""
    parser = _Parser(prog="orientation", description="Orientation — catalogue des métiers, entretiens "
                     "et bilans. Sans commande : ouvre l'application.")
    _add_db(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", parser_class=_Parser)

    imp = commands.add_parser("import", help="importer des fiches (fichiers ou dossiers)")
    imp.add_argument("paths", nargs="+", metavar="CHEMIN", help="fichier ou dossier de fiches")
    imp.add_argument("--dry-run", action="store_true", help="vérifier sans rien enregistrer")
    _add_db(imp)

    search = commands.add_parser("search", help="chercher des métiers (mêmes critères que l'application)")
    search.add_argument("--texte", default="", help="texte libre (sans tenir compte des accents)")
    search.add_argument("--niveau-max", help='niveau d\'études maximum, ex. "bac + 2", "CAP", "bac"')
    search.add_argument("--salaire-min", type=int, metavar="EUROS", help="salaire de début minimum (brut/mois)")
    search.add_argument("--avec-salaire-inconnu", action="store_true",
                        help="garder les fiches sans salaire chiffré")
    search.add_argument("--secteur", action="append", default=[], help="secteur (identifiant ou nom ; répétable)")
    search.add_argument("--interet", action="append", default=[],
                        help="centre d'intérêt (identifiant ou libellé ; répétable)")
    search.add_argument("--tous-les-interets", action="store_true",
                        help="exiger tous les centres d'intérêt (par défaut : au moins un)")
    search.add_argument("--statut", action="append", default=[], help="statut (ex. salarié ; répétable)")
    search.add_argument("--pays", action="append", default=[], help="pays (FR, BE… ; répétable)")
    search.add_argument("--tri", choices=["nom", "salaire", "niveau", "pertinence"], default="nom")
    search.add_argument("--decroissant", action="store_true", help="ordre décroissant")
    search.add_argument("--limite", type=int, help="nombre maximum de résultats")
    search.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_db(search)

    export = commands.add_parser("export", help="exporter tout le catalogue")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    _add_db(export)
    _add_student_commands(commands)

    suggest = commands.add_parser("suggest", help="métiers suggérés pour un élève, avec les raisons")
    suggest.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    suggest.add_argument("--seance", metavar="AAAA-MM-JJ", help="entretien de cette date (par défaut : le dernier)")
    suggest.add_argument("--limite", type=int, default=20)
    suggest.add_argument("--format", choices=["table", "json"], default="table")
    _add_db(suggest)

    report = commands.add_parser("report", help="bilan PDF d'un élève (ou de toute une classe)")
    report.add_argument("student_id", type=record_id, nargs="?", metavar="ID_ELEVE")
    report.add_argument("--seance", metavar="AAAA-MM-JJ", help="entretien de cette date (par défaut : le dernier)")
    report.add_argument("--classe", help="un bilan par élève de cette classe (--out est alors un dossier)")
    report.add_argument("--out", required=True, metavar="FICHIER.pdf|DOSSIER")
    _add_db(report)

    backup = commands.add_parser("backup", help="sauvegarder la base (cohérente, même en cours d'utilisation)")
    backup.add_argument("--out", required=True, metavar="FICHIER.sqlite")
    _add_db(backup)
    restore = commands.add_parser("restore", help="remplacer la base par une sauvegarde (vérifiée d'abord)")
    restore.add_argument("path", metavar="FICHIER.sqlite")
    restore.add_argument("--yes", action="store_true", help="confirmer le remplacement")
    _add_db(restore)

    selftest = commands.add_parser("selftest", help="vérifier l'installation (base temporaire, bilan, fenêtre)")
    selftest.add_argument("--dossier", metavar="DOSSIER", help="où écrire la base et le bilan d'essai")

    settings = commands.add_parser("settings", help="conseiller·ère imprimé·e sur les bilans, conservation")
    settings.add_argument("--conseiller", help="nom et fonction (ex. « Mme Dubois, PsyEN »)")
    settings.add_argument("--structure", help="ex. « CIO de Lyon Centre »")
    settings.add_argument("--contact", help="comment joindre le ou la conseillère ou le CIO")
    settings.add_argument("--conservation", type=int, metavar="ANNEES",
                          help="années scolaires de conservation après le dernier entretien (0 par défaut)")
    _add_db(settings)
    return parser


def _add_student_commands(commands) -> None:  # type: ignore[no-untyped-def]
    students = commands.add_parser("students", help="dossiers des élèves (liste, export, import, effacement)")
    sub = students.add_subparsers(dest="student_command", metavar="ACTION", parser_class=_Parser, required=True)
    listing = sub.add_parser("list", help="lister les élèves (les plus récemment vus d'abord)")
    listing.add_argument("--texte", default="", help="nom ou prénom (sans tenir compte des accents)")
    listing.add_argument("--classe")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    add = sub.add_parser("add", help="créer un dossier d'élève")
    add.add_argument("--nom", required=True)
    add.add_argument("--prenom", required=True)
    add.add_argument("--classe")
    add.add_argument("--etablissement")
    add.add_argument("--annee-scolaire")
    export = sub.add_parser("export", help="exporter tout le dossier d'un élève (JSON orientation-eleve/1)")
    export.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    export.add_argument("--out", required=True, metavar="FICHIER.json")
    export.add_argument("--avec-notes-privees", action="store_true",
                        help="inclure les notes privées (choix explicite ; par défaut elles sont exclues)")
    imp = sub.add_parser("import", help="importer un dossier d'élève exporté")
    imp.add_argument("path", metavar="FICHIER.json")
    erase = sub.add_parser("erase", help="effacer définitivement un élève et ses entretiens")
    erase.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    erase.add_argument("--yes", action="store_true", help="confirmer l'effacement")
    purge = sub.add_parser("purge", help="effacer les dossiers dont la durée de conservation est dépassée")
    purge.add_argument("--yes", action="store_true", help="confirmer l'effacement")
    log_cmd = sub.add_parser("log", help="journal des exports, bilans et effacements")
    log_cmd.add_argument("--format", choices=["table", "json"], default="table")
    for parser in (listing, add, export, imp, erase, purge, log_cmd):
        _add_db(parser)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``orientation`` command. Returns the process exit status."""
    args = build_parser().parse_args(argv)
    _setup_logging()
    handler = _COMMANDS.get(args.command or "", _run_gui)
    try:
        status = handler(args)
        sys.stdout.flush()
        return status
    except UserError as exc:
        print(f"Erreur : {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (``orientation export | head -1``): not an error of ours.
        _silence_stdout()
        return 0
    except Exception as exc:
        message = _known_error(exc)
        if message is None:
            raise
        print(f"Erreur : {message}", file=sys.stderr)
        return 2
    except Exception:  # a bug: keep the traceback for us, show the user one French line
        log.exception("unexpected error in command %s", args.command)
        print(f"Erreur inattendue : le détail est dans le journal {_log_file()}", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _known_error(exc: Exception) -> str | None:
    """French words for an environment problem that is not a bug (full disk, busy database…)."""
    from db.errors import environment_sentence
    from db.storage.files import os_error_sentence

    if isinstance(exc, OSError):
        return os_error_sentence(exc, exc.filename)
    return environment_sentence(exc)


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from db.storage.engine import open_database

    database = open_database(getattr(args, "db", None))
    for warning in database.warnings:
        print(f"Attention : {warning}", file=sys.stderr)
    return database


def _run_gui(args: argparse.Namespace) -> int:
    import gc
    import os

    # No garbage collection while the window is built: start-up makes many objects and frees
    # few, so collections there only cost time. desktop.app re-enables it once all is loaded.
    gc.disable()

    # Without a screen Qt aborts with an English message; say it in French instead.
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        raise UserError("aucun écran n'est disponible pour ouvrir la fenêtre (variable DISPLAY absente) ; "
                        "les commandes comme « orientation search » fonctionnent sans écran")
    from desktop.app import run

    return run(getattr(args, "db", None))


def _cmd_import(args: argparse.Namespace) -> int:
    from db.catalogue.importing import import_paths

    database = _open(args)
    summary = import_paths(database, args.paths, dry_run=args.dry_run)
    if not summary.files and not summary.interrupted:
        raise UserError("aucun fichier à importer dans les chemins donnés")
    for result in summary.files:
        print(result.line())
        for note in result.notes:
            print(f"    – {note}")
    print(summary.total_line())
    return 1 if summary.refused or summary.interrupted else 0


def _cmd_search(args: argparse.Namespace) -> int:
    from db.catalogue.criteria import criteria_from_args
    from db.catalogue.search import search

    database = _open(args)
    with database.read() as session:
        criteria = criteria_from_args(session, args)
        rows = search(session, criteria, limit=args.limite)
        records = [_row_dict(row) for row in rows]
    _print_records(records, args.format, _SEARCH_COLUMNS)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from db.catalogue.export import EXPORT_FIELDS, export_catalogue

    database = _open(args)
    with database.read() as session:
        records = export_catalogue(session)
    _print_records(records, args.format, list(EXPORT_FIELDS))
    return 0


_SEARCH_COLUMNS = ["id", "nom", "niveau", "bac_plus", "salaire_min", "salaire_max", "secteur", "source", "pays"]


def _row_dict(row) -> dict:  # type: ignore[no-untyped-def]
    from db.catalogue.format import source_label

    return {"id": row.id, "nom": row.name, "libelle_feminin": row.label_f, "libelle_masculin": row.label_m,
            "niveau": row.level_label, "bac_plus": row.bac_plus, "salaire_min": row.salary_min,
            "salaire_max": row.salary_max, "secteur": row.sector_label, "source": source_label(row.source_kind),
            "pays": row.country}


def _print_records(records: list[dict], fmt: str, columns: list[str]) -> None:
    import csv
    import json

    out = sys.stdout
    if fmt == "json":
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _csv_value(record.get(k)) for k in columns})
    else:
        out.write(_table(records))


def _csv_value(value: object) -> object:
    return " | ".join(str(v) for v in value) if isinstance(value, list) else value


def _table(records: list[dict]) -> str:
    from db.catalogue.format import format_salary

    lines = [(r["nom"], r["niveau"] or "non précisé", format_salary(r["salaire_min"], r["salaire_max"]),
              r["secteur"] or "", r["source"]) for r in records]
    header = ("Métier", "Niveau d'études minimum", "Salaire de début", "Secteur", "Source")
    widths = [min(48, max([len(header[i])] + [len(line[i]) for line in lines])) for i in range(len(header))]
    buffer = io.StringIO()
    for line in [header, tuple("-" * w for w in widths), *lines]:
        buffer.write("  ".join(str(cell)[:w].ljust(w) for cell, w in zip(line, widths)).rstrip() + "\n")
    buffer.write(f"{len(records)} métier(s)\n")
    return buffer.getvalue()


def _log_file() -> str:
    from db.storage.paths import log_dir

    return str(log_dir() / "orientation.log")


LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3


class _CappedLog(logging.FileHandler):
    """A log file that is renamed ``.1`` (``.2``, ``.3``…) once it passes :data:`LOG_MAX_BYTES`,
    keeping :data:`LOG_BACKUPS` old ones. (logging.handlers would do the same but costs the
    window ~8 ms of imports at every start.)"""

    def _open(self):  # type: ignore[no-untyped-def]
        import os

        # Created owner-only whatever the umask (the log names no pupil, but it is ours alone).
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        if self.stream is not None and self.stream.tell() > LOG_MAX_BYTES:
            self.close()
            rotate_log(self.baseFilename)


def rotate_log(path: str) -> None:
    """Shift ``path`` to ``path.1`` and older ones down, dropping the oldest."""
    import os

    for number in range(LOG_BACKUPS - 1, 0, -1):
        if os.path.exists(f"{path}.{number}"):
            os.replace(f"{path}.{number}", f"{path}.{number + 1}")
    if os.path.exists(path):
        os.replace(path, f"{path}.1")


def _setup_logging() -> None:
    """The error log: owner-only folder and files, at most 1 Mo each and 4 files in all. It never
    holds student content: SQL parameters are hidden by the engine and no record is logged."""
    from db.storage.files import private_dir, private_file
    from db.storage.paths import log_dir

    root = logging.getLogger()
    if any(isinstance(h, logging.FileHandler) for h in root.handlers):
        return
    try:
        private_dir(log_dir())
        path = log_dir() / "orientation.log"
        if path.exists() and path.stat().st_size > LOG_MAX_BYTES:
            rotate_log(str(path))
        # The file opens on the first message: a start that logs nothing writes nothing.
        handler: logging.Handler = _CappedLog(path, encoding="utf-8", delay=True)
        if path.exists():
            private_file(path)
    except OSError:
        handler = logging.StreamHandler(io.StringIO())  # no writable log folder: drop the log
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _cmd_suggest(args: argparse.Namespace) -> int:
    from db.students.store import session_on
    from db.students.suggest import suggest

    database = _open(args)
    with database.read() as session:
        state = session_on(session, args.student_id, args.seance)
        results = suggest(session, state, limit=args.limite)
    if args.format == "json":
        import json

        json.dump([{"id": r.metier_id, "nom": r.name, "score": r.score,
                    "raisons": [{"critere": x.criterion, "ok": x.ok, "texte": x.text} for x in r.reasons]}
                   for r in results], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for rank, result in enumerate(results, start=1):
        print(f"{rank:>2}. {result.name}  (score {result.score:g})")
        for reason in result.reasons:
            print(f"      {reason.text}")
    if not results:
        print("Aucun métier ne correspond aux critères de cet entretien.")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from desktop import cli_report

    return cli_report.run(args, _open(args))


def _cmd_settings(args: argparse.Namespace) -> int:
    from db.students.privacy import retention_extra_years, set_retention_extra_years
    from db.students.settings import Counselor, get_counselor, set_counselor

    database = _open(args)
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


def _sqlite_file(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from db.storage.backup import sqlite_path
    from db.storage.engine import resolve_url

    path = sqlite_path(resolve_url(getattr(args, "db", None)))
    if path is None:
        raise UserError("la sauvegarde intégrée ne concerne que les bases SQLite")
    return path


def _cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.storage.backup import backup_to

    path = _sqlite_file(args)
    if not path.exists():
        raise UserError(f"aucune base de données à sauvegarder en « {path} »")
    target = backup_to(path, Path(args.out))
    print(f"Sauvegarde écrite : {target}. Cette copie est la vôtre : un élève effacé plus tard y reste "
          "(gardez-la en lieu sûr, supprimez-la quand elle ne sert plus ; une restauration ré-applique "
          "toutefois les effacements).")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from db.storage.backup import check_backup, restore_from

    check_backup(Path(args.path))
    if not args.yes:
        raise UserError("la base actuelle sera remplacée : ajoutez --yes pour confirmer")
    kept = restore_from(_sqlite_file(args), Path(args.path))
    print(f"Base restaurée depuis {args.path} ; les effacements d'élèves enregistrés y ont été appliqués. "
          f"L'ancienne base est conservée dans {kept}.")
    return 0


def _cmd_selftest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop.selftest import run_selftest

    for line in run_selftest(Path(args.dossier) if args.dossier else None):
        print(line)
    print("Installation vérifiée.")
    return 0


def _cmd_students(args: argparse.Namespace) -> int:
    from desktop import cli_students

    return cli_students.run(args, _open(args))


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _cmd_import, "search": _cmd_search, "export": _cmd_export, "suggest": _cmd_suggest,
    "students": _cmd_students, "report": _cmd_report, "settings": _cmd_settings,
    "backup": _cmd_backup, "restore": _cmd_restore, "selftest": _cmd_selftest,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
