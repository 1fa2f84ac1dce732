"""The grammar of the ``orientation`` command, with argparse's own messages in French.

argparse looks its messages up through its module-level ``_`` at call time; the French table is
put in place only while this parser parses or prints its help, so nothing else in the process
sees argparse changed.
"""
from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, NoReturn

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


# What gettext gave for each message: argparse asks ~100 times while the grammar is built, and
# each gettext call searches the locale folders (a third of the build, ~10 ms a command).
_LOOKED_UP: dict[str, str] = {}


@contextmanager
def _french() -> Iterator[None]:
    # argparse's gettext alias ``_`` is private: typeshed does not declare it, hence the ignores.
    english = argparse._  # type: ignore[attr-defined]  # private, see above

    def french(text: str) -> str:
        if text in _ARGPARSE_FR:
            return _ARGPARSE_FR[text]
        if text not in _LOOKED_UP:
            _LOOKED_UP[text] = english(text)
        return _LOOKED_UP[text]

    argparse._ = french  # type: ignore[attr-defined]  # idem
    try:
        yield
    finally:
        argparse._ = english  # type: ignore[attr-defined]  # idem


@cache
def _help_width() -> int:
    """argparse's own help width (the terminal's, less 2), asked once: argparse asks the
    terminal for every option it adds (~170 times while the grammar is built)."""
    import shutil

    return shutil.get_terminal_size().columns - 2


# The help of options many commands share, given where a command says nothing of its own.
_SHARED_HELP = {"student_id": "numéro de l'élève (celui que donne « orientation students list »)",
                "format": "forme de la sortie (la première citée par défaut)",
                "nom": "nom de famille", "prenom": "prénom", "limite": "nombre maximum de résultats",
                "classe": "classe telle que l'établissement l'écrit (« 3e B »)", "etablissement": "collège ou lycée",
                "annee_scolaire": "année scolaire (« 2026-2027 » ; l'année en cours par défaut)",
                "out": "fichier à écrire", "path": "fichier à lire", "titre": "ce qu'il faut faire (« Affelnet »)",
                "date": "date (AAAA-MM-JJ)", "milestone_id": "numéro de l'échéance (celui de « students echeances »)"}


class _Parser(argparse.ArgumentParser):
    """argparse in French that exits with status 2 and one French line, never a traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _french():  # the "-h" help text is written when the parser is built
            super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:  # type: ignore[override]
        """Every option gets a line of help: those many commands share say the same (they said nothing)."""
        action = super().add_argument(*args, **kwargs)
        if action.help is None and action.dest in _SHARED_HELP:
            action.help = _SHARED_HELP[action.dest]
        return action

    def _get_formatter(self) -> argparse.HelpFormatter:
        # typeshed's formatter protocol names ``prog`` only; argparse's formatters all take ``width``.
        formatter: Any = self.formatter_class
        return formatter(prog=self.prog, width=_help_width())  # type: ignore[no-any-return]  # see above

    # typeshed splits these two into overloads on ``namespace``; one wrapper serves them all.
    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]  # see above
                         namespace: Any = None) -> tuple[argparse.Namespace, list[str]]:
        with _french():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]  # see above
                   namespace: Any = None) -> argparse.Namespace:
        with _french():
            return super().parse_args(args, namespace)

    def format_help(self) -> str:
        with _french():
            return super().format_help()

    def format_usage(self) -> str:
        with _french():
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"Erreur : {message}\n({self.prog} --help pour l'aide)\n")


def record_id(text: str) -> int:
    """An argparse type: a record number SQLite can hold (1 … 2⁶³ − 1), refused in French."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"numéro invalide : « {text[:40]} » (un nombre entier est attendu)") from None
    if not 1 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"numéro hors limites : {text[:40]}")
    return value


def monthly_euros(text: str) -> int:
    """An argparse type: a gross monthly amount as typed ("1800", "1800€", "1 800 €"), refused in French."""
    from db.text import typed_euros

    amount = typed_euros(text)
    if amount is None:
        raise argparse.ArgumentTypeError(f"montant invalide : « {text[:40]} » (un nombre entier d'euros bruts "
                                         "par mois, par exemple 1800)")
    return amount


def how_many(text: str) -> int:
    """An argparse type: a number of results, at least 1, refused in French."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"nombre invalide : « {text[:40]} » (un nombre entier d'au moins 1, "
                                         "par exemple 20)")
    return value


class _Words(argparse.Action):
    """``--texte`` given twice searches both texts' words (the last one alone was kept, silently)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        before = getattr(namespace, self.dest, "") or ""
        setattr(namespace, self.dest, f"{before} {values}".strip())


def day_count(text: str) -> int:
    """An argparse type: a whole number of days, refused in French (its range is the command's:
    db.students.caseload says it in a sentence of its own)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre de jours invalide : « {text[:40]} » (un nombre entier, par "
                                         "exemple 90)") from None


SEANCE_HELP = ("entretien de cette date (le dernier du jour), ou de ce numéro, celui que donne « students show » "
               "(ex. 2 : deux entretiens d'un même jour) ; par défaut : le dernier")


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
    imp.add_argument("--detail", action="store_true",
                     help="une ligne par fichier même pour un gros dossier (sinon seuls les fichiers refusés "
                          "ou avec une remarque sont listés)")
    _add_db(imp)

    search = commands.add_parser("search", help="chercher des métiers (mêmes critères que l'application)")
    search.add_argument("--texte", action=_Words, default="", help="texte libre (sans tenir compte des accents)")
    search.add_argument("--niveau-max", help='niveau d\'études maximum, ex. "CAP", "bac pro", "BTS", "licence", "M2", '
                        '"diplôme d\'ingénieur", "doctorat", "bac + 2", "niveau 6"')
    search.add_argument("--salaire-min", type=monthly_euros, metavar="EUROS",
                        help="salaire de début minimum (brut/mois ; 0 = pas de minimum)")
    search.add_argument("--avec-salaire-inconnu", action="store_true",
                        help="garder les fiches sans salaire chiffré")
    search.add_argument("--secteur", action="append", default=[], help="secteur (identifiant ou nom ; répétable)")
    search.add_argument("--interet", action="append", default=[],
                        help="centre d'intérêt (identifiant ou libellé ; répétable)")
    search.add_argument("--tous-les-interets", action="store_true",
                        help="exiger tous les centres d'intérêt (par défaut : au moins un)")
    search.add_argument("--statut", action="append", default=[], help="statut (ex. salarié ; répétable)")
    search.add_argument("--pays", action="append", default=[], help="pays (FR, BE… ; répétable)")
    search.add_argument("--tri", choices=["auto", "nom", "salaire", "niveau", "pertinence"], default="auto",
                        help="ordre (par défaut : pertinence avec --texte, nom sinon)")
    search.add_argument("--decroissant", action="store_true", help="ordre décroissant")
    search.add_argument("--limite", type=how_many, help="nombre maximum de résultats")
    search.add_argument("--format", choices=["table", "json", "csv"], default="table")
    _add_db(search)

    export = commands.add_parser("export", help="exporter tout le catalogue")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--onisep-odbl", action="store_true",
                        help="écrire dans --out les métiers issus d'Onisep et leur note de licence (ODbL)")
    export.add_argument("--out", metavar="FICHIER|DOSSIER",
                        help="écrire l'export dans ce fichier (CSV : séparateur « ; », pour un tableur) ; "
                             "avec --onisep-odbl, le dossier de l'export")
    _add_db(export)
    _add_student_commands(commands)
    _add_formation_commands(commands)

    suggest = commands.add_parser("suggest", help="métiers suggérés pour un élève, avec les raisons")
    suggest.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    suggest.add_argument("--seance", metavar="AAAA-MM-JJ|N", help=SEANCE_HELP)
    suggest.add_argument("--limite", type=how_many, default=20)
    suggest.add_argument("--format", choices=["table", "json"], default="table")
    _add_db(suggest)

    report = commands.add_parser("report", help="bilan PDF d'un élève (ou de toute une classe)")
    report.add_argument("student_id", type=record_id, nargs="?", metavar="ID_ELEVE")
    report.add_argument("--seance", metavar="AAAA-MM-JJ|N", help=SEANCE_HELP)
    report.add_argument("--classe", help="un bilan par élève de cette classe (--out est alors un dossier)")
    report.add_argument("--out", required=True, metavar="FICHIER.pdf|DOSSIER",
                        help="le PDF à écrire (.pdf ajouté s'il manque), ou le dossier des bilans avec --classe")
    report.add_argument("--gros-caracteres", action="store_true",
                        help="texte en 14 points (mentions et schémas un peu plus petits), pour un ou une "
                             "élève qui voit mal")
    report.add_argument("--html", action="store_true",
                        help="écrire aussi une page HTML accessible (lecteur d'écran) à côté du PDF")
    _add_db(report)

    backup = commands.add_parser("backup", help="sauvegarder la base (cohérente, même en cours d'utilisation)")
    backup.add_argument("--out", required=True, metavar="FICHIER.sqlite", help="la copie de la base à écrire")
    _add_db(backup)
    restore = commands.add_parser("restore", help="remplacer la base par une sauvegarde (vérifiée d'abord)")
    restore.add_argument("path", metavar="FICHIER.sqlite", help="la sauvegarde à remettre à la place de la base")
    restore.add_argument("--yes", action="store_true", help="confirmer le remplacement")
    _add_db(restore)

    selftest = commands.add_parser("selftest", help="vérifier l'installation (base temporaire, bilan, fenêtre)")
    selftest.add_argument("--dossier", metavar="DOSSIER", help="où écrire la base et le bilan d'essai")

    settings = commands.add_parser("settings", help="conseiller·ère imprimé·e sur les bilans, conservation")
    settings.add_argument("--conseiller", help="nom et fonction (ex. « Mme Dubois, PsyEN »)")
    settings.add_argument("--structure", help="ex. « CIO de Lyon Centre »")
    settings.add_argument("--contact", help="comment joindre le conseiller ou la conseillère, ou le CIO")
    settings.add_argument("--conservation", type=int, metavar="ANNEES",
                          help="années scolaires de conservation après le dernier entretien (0 par défaut)")
    _add_db(settings)
    _add_stats_command(commands)
    _add_year_change_commands(commands)
    _add_server_commands(commands)
    transfert = commands.add_parser("transfert", help="copier toute la base (catalogue et élèves) dans une base "
                                    "neuve ou vide, SQLite ou PostgreSQL, avec une empreinte par table")
    transfert.add_argument("--de", required=True, metavar="SOURCE", help="fichier SQLite ou adresse postgresql+psycopg://")
    transfert.add_argument("--vers", required=True, metavar="DESTINATION",
                           help="nouveau fichier SQLite, ou base PostgreSQL vide")
    return parser


def _add_server_commands(commands) -> None:
    """``orientation serveur init|conseiller ajouter``: an office's PostgreSQL server (db.storage.office)."""
    server = commands.add_parser("serveur", help="serveur PostgreSQL partagé : préparation, comptes des conseillers")
    sub = server.add_subparsers(dest="server_command", metavar="ACTION", parser_class=_Parser, required=True)
    init = sub.add_parser("init", help="préparer le serveur (schéma, rôles, règles d'accès) ; "
                                       "avec le compte propriétaire de la base ; peut être relancé")
    counselor = sub.add_parser("conseiller", help="comptes des conseillers")
    actions = counselor.add_subparsers(dest="counselor_command", metavar="ACTION", parser_class=_Parser,
                                       required=True)
    add = actions.add_parser("ajouter", help="créer le compte d'un·e conseiller·ère (mot de passe demandé au "
                                             "terminal, ou lu sur l'entrée standard)")
    add.add_argument("login", metavar="LOGIN", help="identifiant de connexion (minuscules, ex. c.martin)")
    add.add_argument("--admin", action="store_true", help="peut aussi importer dans le catalogue partagé")
    for parser in (server, init, counselor, add):
        _add_db(parser)


_CLASS_HELP = ('classe où est l\'élève pour calculer ses parcours : 3e, 2de-gt, 2de-pro, 1re-gt, 1re-pro, '
               'term-gt, term-pro, cap, bac-gt, bac-pro, bac+2, bac+3, bac+5, sorti (ou leur libellé)')


def _add_formation_commands(commands) -> None:
    parcours = commands.add_parser("parcours", help="les parcours d'une classe jusqu'à un métier")
    parcours.add_argument("metier_id", metavar="ID_METIER", help="identifiant du métier, ex. ORI.cuisinier, MET.38")
    origin = parcours.add_mutually_exclusive_group(required=True)
    origin.add_argument("--depuis", "--classe", dest="depuis", metavar="CLASSE", help=_CLASS_HELP)
    origin.add_argument("--eleve", type=record_id, metavar="ID_ELEVE",
                        help="partir de la classe actuelle de cet élève (et de son niveau visé)")
    parcours.add_argument("--format", choices=["table", "json"], default="table")
    _add_db(parcours)
    formations = commands.add_parser("formations", help="chercher et afficher les formations")
    sub = formations.add_subparsers(dest="formation_command", metavar="ACTION", parser_class=_Parser, required=True)
    search = sub.add_parser("search", help="chercher des formations par nom, type et niveau")
    search.add_argument("--texte", action=_Words, default="", help="mots du nom (sans tenir compte des accents)")
    search.add_argument("--type", help="code de type, ex. CAP, BACPRO, BTS, BUT, LICENCE, MASTER, INGE")
    search.add_argument("--niveau", type=int, choices=range(3, 9), metavar="3-8",
                        help="niveau du cadre national (3 = CAP … 8 = doctorat)")
    search.add_argument("--limite", type=how_many, default=50, help="nombre maximum de formations (50 par défaut)")
    search.add_argument("--format", choices=["table", "json"], default="table")
    show = sub.add_parser("show", help="une formation, ses métiers, ce qu'il faut avant et après")
    show.add_argument("formation_id", metavar="ID_FORMATION", help="ex. FOR.9664")
    show.add_argument("--format", choices=["table", "json"], default="table")
    for parser in (search, show):
        _add_db(parser)


def _add_student_commands(commands) -> None:
    students = commands.add_parser("students",
                                   help="dossiers des élèves (liste, entretiens, export, import, effacement)")
    sub = students.add_subparsers(dest="student_command", metavar="ACTION", parser_class=_Parser, required=True)
    listing = sub.add_parser("list", help="lister les élèves (les plus récemment vus d'abord)")
    listing.add_argument("--texte", action=_Words, default="", help="nom ou prénom (sans tenir compte des accents)")
    listing.add_argument("--classe")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    add = sub.add_parser("add", help="créer un dossier d'élève")
    add.add_argument("--nom", required=True)
    add.add_argument("--prenom", required=True)
    add.add_argument("--classe")
    add.add_argument("--etablissement")
    add.add_argument("--annee-scolaire")
    add.add_argument("--classe-actuelle", help=_CLASS_HELP)
    add.add_argument("--doublon", "--meme-si-existe", dest="doublon", action="store_true",
                     help="créer le dossier même si un élève de même nom, prénom et classe existe")
    edit = sub.add_parser("edit", help="modifier l'identité ou la classe actuelle d'un élève")
    edit.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    for option in ("--nom", "--prenom", "--classe", "--etablissement", "--annee-scolaire"):
        edit.add_argument(option, help="nouvelle valeur (inchangée si l'option est absente)")
    edit.add_argument("--classe-actuelle", help=_CLASS_HELP + ' ; "" l\'efface')
    seance = _add_session_command(sub)
    show = sub.add_parser("show", help="afficher un élève : ses entretiens, intérêts, critères et sélection")
    show.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    show.add_argument("--avec-notes-privees", action="store_true",
                      help="afficher aussi les notes privées (choix explicite ; par défaut elles sont exclues)")
    show.add_argument("--format", choices=["table", "json"], default="table")
    export = sub.add_parser("export", help="exporter tout le dossier d'un élève (JSON orientation-eleve/2)")
    export.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    export.add_argument("--out", required=True, metavar="FICHIER.json", help="le dossier de l'élève à écrire (JSON)")
    export.add_argument("--avec-notes-privees", action="store_true",
                        help="inclure les notes privées (choix explicite ; par défaut elles sont exclues)")
    imp = sub.add_parser("import", help="importer un dossier d'élève exporté")
    imp.add_argument("path", metavar="FICHIER.json", help="un dossier d'élève exporté par Orientation (JSON)")
    imp.add_argument("--doublon", "--meme-si-existe", dest="doublon", action="store_true",
                     help="importer même si l'élève (mêmes nom, prénom et classe) a déjà un dossier")
    erase = sub.add_parser("erase", help="effacer définitivement un élève et ses entretiens")
    erase.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    erase.add_argument("--yes", action="store_true", help="confirmer l'effacement")
    purge = sub.add_parser("purge", help="effacer les dossiers dont la durée de conservation est dépassée")
    purge.add_argument("--yes", action="store_true", help="confirmer l'effacement")
    log_cmd = sub.add_parser("log", help="journal des exports, bilans, entretiens enregistrés et effacements")
    log_cmd.add_argument("--format", choices=["table", "json"], default="table")
    share = sub.add_parser("partager", help="serveur partagé : laisser un·e collègue voir et modifier ce dossier")
    share.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    share.add_argument("--avec", required=True, metavar="LOGIN", help="identifiant du ou de la collègue")
    share.add_argument("--retirer", action="store_true", help="retirer ce partage au lieu de l'ajouter")
    transfer = sub.add_parser("transferer", help="serveur partagé : confier ce dossier à un·e collègue (vous "
                                                 "n'y aurez plus accès)")
    transfer.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    transfer.add_argument("--a", "--à", dest="a", required=True, metavar="LOGIN",
                          help="identifiant du ou de la collègue")
    for parser in (listing, add, edit, seance, show, export, imp, erase, purge, log_cmd, share, transfer):
        _add_db(parser)
    _add_caseload_options(listing)
    _add_year_commands(sub)


def _add_caseload_options(listing: argparse.ArgumentParser) -> None:
    """``students list`` by school and class, with the caseload filters (db.students.caseload)."""
    listing.add_argument("--etablissement", help="seulement les élèves de cet établissement")
    listing.add_argument("--pas-vu-depuis", type=day_count, metavar="JOURS",
                         help="élèves sans entretien depuis JOURS jours (jamais vus compris)")
    listing.add_argument("--aucun-entretien", action="store_true", help="élèves sans aucun entretien")
    listing.add_argument("--aucun-metier", action="store_true",
                         help="élèves dont le dernier entretien ne retient aucun métier")
    listing.add_argument("--bilan-non-remis", action="store_true", help="élèves dont le bilan n'a pas été remis")
    listing.add_argument("--par-classe", action="store_true",
                         help="afficher les effectifs par classe au lieu de la liste")


def _add_year_commands(sub) -> None:
    """Bilan handovers and the counselor's milestones (``students bilan-remis``, ``students echeance…``)."""
    given = sub.add_parser("bilan-remis", help="noter que le bilan d'un élève lui a été remis")
    given.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    given.add_argument("--le", metavar="AAAA-MM-JJ", help="date de remise (par défaut : aujourd'hui)")
    given.add_argument("--annuler", action="store_true", help="oublier la remise notée par erreur")
    add = sub.add_parser("echeance", help="ajouter une échéance (Affelnet, Parcoursup…) et les élèves concernés")
    add.add_argument("--titre", required=True)
    add.add_argument("--date", required=True, metavar="AAAA-MM-JJ")
    add.add_argument("--eleve", action="append", default=[], type=record_id, metavar="ID_ELEVE",
                     help="élève concerné (répétable)")
    listing = sub.add_parser("echeances", help="échéances à venir (14 jours ; --toutes pour toutes)")
    listing.add_argument("--toutes", action="store_true", help="toutes les échéances, passées comprises")
    remove = sub.add_parser("echeance-retirer", help="supprimer une échéance")
    remove.add_argument("milestone_id", type=record_id, metavar="ID_ECHEANCE")
    consent = sub.add_parser("consentement", help="noter l'accord de l'élève et de sa famille pour la note de liaison")
    consent.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    consent.add_argument("--le", required=True, metavar="AAAA-MM-JJ", help="date de l'accord")
    consent.add_argument("--par", required=True, metavar="QUI",
                         help="qui a donné son accord (ex. « l'élève et sa mère »)")
    liaison = sub.add_parser("liaison",
                             help="note de liaison (fichier orientation-eleve) : seulement les parties cochées")
    liaison.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    liaison.add_argument("--partie", action="append", default=[], required=True,
                         choices=["interets", "contraintes", "selection", "prochaines_etapes", "note_eleve"],
                         help="partie à transmettre (répétable ; jamais les notes privées)")
    liaison.add_argument("--out", required=True, metavar="FICHIER.json|FICHIER.pdf",
                         help="fichier orientation-eleve (.json) ou note d'une page (.pdf)")
    for parser in (given, add, listing, remove, consent, liaison):
        _add_db(parser)


def _add_stats_command(commands) -> None:
    """``orientation stats``: anonymous activity figures (db.students.stats)."""
    stats = commands.add_parser("stats", help="statistiques anonymes d'activité (rapport d'activité du CIO)")
    stats.add_argument("--annee", metavar="AAAA-AAAA", help="année scolaire, ex. 2025-2026 (par défaut : l'actuelle)")
    stats.add_argument("--du", metavar="AAAA-MM-JJ", help="début de la période (au lieu de --annee)")
    stats.add_argument("--au", metavar="AAAA-MM-JJ", help="fin de la période, incluse (au lieu de --annee)")
    stats.add_argument("--format", choices=["texte", "csv", "json", "pdf"], default="texte")
    stats.add_argument("--out", metavar="FICHIER", help="fichier à écrire (obligatoire pour le PDF)")
    _add_db(stats)


def _add_year_change_commands(commands) -> None:
    """``orientation annee changer|annuler``: the year change (db.students.year_change)."""
    year = commands.add_parser("annee", help="changement d'année scolaire (classes, conservation, statistiques)")
    sub = year.add_subparsers(dest="year_command", metavar="ACTION", parser_class=_Parser, required=True)
    change = sub.add_parser("changer", help="passer à l'année suivante : classes, effacement des dossiers échus, "
                            "statistiques archivées (annulable tant que rien n'est enregistré)")
    mode = change.add_mutually_exclusive_group(required=True)
    mode.add_argument("--apercu", action="store_true", help="montrer ce qui serait fait, sans rien changer")
    mode.add_argument("--confirmer", action="store_true", help="faire le changement")
    change.add_argument("--annee", metavar="AAAA-AAAA", help="année close (par défaut : celle qui finit le 31 août "
                        "de cette année)")
    change.add_argument("--classe", action="append", default=[], metavar="ANCIENNE=NOUVELLE",
                        help="nouvelle classe d'une classe (répétable ; « 3e B=2de », ou « Tle= » pour sans classe) ; "
                             "par défaut le niveau suivant")
    change.add_argument("--dossier", metavar="DOSSIER",
                        help="écrire aussi les statistiques anonymes de l'année (CSV et PDF) dans ce dossier")
    undo = sub.add_parser("annuler", help="annuler le dernier changement d'année (tant que rien n'a été enregistré "
                          "depuis ; les dossiers effacés ne reviennent pas)")
    undo.add_argument("--confirmer", action="store_true", required=True, help="confirmer l'annulation")
    for parser in (change, undo):
        _add_db(parser)


def _add_session_command(sub) -> argparse.ArgumentParser:
    seance = sub.add_parser("seance", help="modifier le dernier entretien d'un élève (ou en commencer un)",
                            description="Modifie le dernier entretien de l'élève (--nouvelle : en commence un "
                            "qui reprend le précédent), enregistre tout en une fois, puis affiche l'entretien.")
    seance.add_argument("student_id", type=record_id, metavar="ID_ELEVE")
    seance.add_argument("--nouvelle", action="store_true", help="commencer un nouvel entretien (daté du jour)")
    seance.add_argument("--interet", action="append", default=[],
                        help="centre d'intérêt à ajouter (identifiant ou libellé ; répétable)")
    seance.add_argument("--retirer-interet", action="append", default=[], metavar="INTERET",
                        help="centre d'intérêt à retirer (répétable)")
    seance.add_argument("--niveau-max", help='niveau d\'études visé au plus, ex. "bac + 2", "CAP" ; "aucun" l\'efface')
    seance.add_argument("--salaire-min", metavar="EUROS",
                        help="salaire de début souhaité (brut/mois) ; \"aucun\" l'efface")
    seance.add_argument("--secteur", action="append", default=[], help="secteur souhaité (répétable)")
    seance.add_argument("--secteur-refuse", action="append", default=[], metavar="SECTEUR",
                        help="secteur refusé (répétable)")
    seance.add_argument("--retirer-secteur", action="append", default=[], metavar="SECTEUR",
                        help="secteur à ne plus souhaiter ni refuser (répétable)")
    seance.add_argument("--retenir", action=_Keep, default=[], metavar="ID_METIER",
                        help="métier à garder dans la sélection (identifiant, ex. MET.38 ; répétable)")
    seance.add_argument("--commentaire", action=_Comment, dest="retenir", default=argparse.SUPPRESS, metavar="TEXTE",
                        help="commentaire sur le métier du --retenir qui le précède")
    seance.add_argument("--retirer", action="append", default=[], metavar="ID_METIER",
                        help="métier à retirer de la sélection (répétable)")
    seance.add_argument("--note", help="note pour l'élève (remplace la précédente ; \"\" l'efface)")
    seance.add_argument("--etape", action="append", default=[],
                        help="prochaine étape (répétable ; remplace les étapes enregistrées)")
    seance.add_argument("--format", choices=["table", "json"], default="table")
    return seance


class _Keep(argparse.Action):
    """``--retenir ID``: a (métier id, comment) pair; the comment is None until ``--commentaire``."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        kept = list(getattr(namespace, self.dest) or [])
        setattr(namespace, self.dest, [*kept, (values, None)])


class _Comment(argparse.Action):
    """``--commentaire TEXTE``: the comment of the métier of the ``--retenir`` just before it."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        kept = list(getattr(namespace, self.dest) or [])
        if not kept:
            parser.error("--commentaire suit le --retenir du métier qu'il commente "
                         "(ex. --retenir MET.38 --commentaire « à découvrir en stage »)")
        kept[-1] = (kept[-1][0], values)
        setattr(namespace, self.dest, kept)
