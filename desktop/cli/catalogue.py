"""``orientation import``, ``search`` and ``export``: the catalogue from the command line."""
from __future__ import annotations

import argparse
import io
import sys
from collections import Counter
from collections.abc import Iterable
from typing import BinaryIO, TextIO

from db.errors import UserError
from desktop.cli.common import open_database_for


QUIET_FROM = 20  # files in one import from which those without remark are only counted
SAME_REASON_FROM = 3  # refused files giving one reason from which it is said once


def cmd_import(args: argparse.Namespace) -> int:
    from db.catalogue.importing import import_paths

    database = open_database_for(args, creates=True)
    summary = import_paths(database, args.paths, dry_run=args.dry_run)
    if not summary.files and not summary.interrupted:
        raise UserError("aucun fichier à importer dans les chemins donnés")
    # A folder of hundreds of fiches printed a line each, and its one warning was lost among
    # them: past QUIET_FROM files, only those refused or with a remark (--detail: every one).
    quiet = len(summary.files) >= QUIET_FROM and not args.detail
    shown = [r for r in summary.files if not quiet or r.refused or r.notes]
    # A reason shared by several refused files (a folder of other documents) is said once.
    reasons = Counter(r.reason for r in shown if r.refused)
    for result in shown:
        if not (result.refused and reasons[result.reason] >= SAME_REASON_FROM):
            print(result.line())
        for note in result.notes:
            print(f"    – {note}")
    for reason, count in reasons.items():
        if count >= SAME_REASON_FROM:
            print(f"{count} fichiers refusés — {reason} :")
            for result in (r for r in shown if r.refused and r.reason == reason):
                print(f"    {result.path}")
    if len(shown) < len(summary.files):
        print(f"{len(summary.files) - len(shown)} autre(s) fichier(s) {'vérifié' if args.dry_run else 'importé'}(s) "
              "sans remarque (--detail pour les lister).")
    print(summary.total_line())
    return 1 if summary.refused or summary.interrupted else 0


def cmd_search(args: argparse.Namespace) -> int:
    from db.catalogue.criteria import SearchRequest, criteria_from_request
    from db.catalogue.export import SEARCH_FIELDS, search_record
    from db.catalogue.search import search
    from db.catalogue.search_levels import read_level_words
    from db.catalogue.source import reading_notice
    from db.catalogue.search_types import no_match_notice

    database = open_database_for(args, writes=False, catalogue_only=True)
    with database.read() as session:
        criteria = criteria_from_request(session, SearchRequest(
            texte=args.texte, niveau_max=args.niveau_max, salaire_min=args.salaire_min,
            avec_salaire_inconnu=args.avec_salaire_inconnu, secteurs=tuple(args.secteur),
            interets=tuple(args.interet), tous_les_interets=args.tous_les_interets, statuts=tuple(args.statut),
            pays=tuple(args.pays), tri=args.tri, decroissant=args.decroissant))
        # « sans bac », « CAP » are a level, not words: searched as the window searches them.
        rows = search(session, read_level_words(criteria)[0], limit=args.limite)
        records = [search_record(row) for row in rows]
        notice = reading_notice(session, criteria)
    if notice and args.format == "table":
        print(notice)
    elif notice:
        print(notice, file=sys.stderr)  # the JSON or CSV on standard output stays clean
    _print_records(records, args.format, list(SEARCH_FIELDS))
    if not records and args.format == "table":
        print(no_match_notice(criteria))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from db.catalogue.export import EXPORT_FIELDS, iter_catalogue

    if args.onisep_odbl:
        return _export_onisep_odbl(args)
    database = open_database_for(args, writes=False)
    if not args.out:
        with database.read() as session:  # written as read: memory stays flat (issue 20)
            _print_records(iter_catalogue(session), args.format, list(EXPORT_FIELDS))
        return 0
    from pathlib import Path

    from db.storage.files import stream_atomically

    def write(handle: BinaryIO) -> None:
        # A CSV file is opened in a spreadsheet: « ; » and a BOM, as French Excel reads them
        # (commas made one column, and the accents garbled).
        text = io.TextIOWrapper(handle, encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="")
        try:
            with database.read() as session:
                _print_records(iter_catalogue(session), args.format, list(EXPORT_FIELDS), text, spreadsheet=True)
            text.flush()
        finally:
            text.detach()  # the handle is stream_atomically's to close (after its fsync), even on an error

    target = stream_atomically(Path(args.out), write, private=False)
    print(f"Catalogue exporté : {target}")
    return 0


def _export_onisep_odbl(args: argparse.Namespace) -> int:
    """``export --onisep-odbl --out DOSSIER``: the ONISEP-derived métiers, as the ODbL asks."""
    from pathlib import Path

    from db.catalogue.odbl_export import write_onisep_odbl
    from db.errors import UserError

    if not args.out:
        raise UserError("indiquez le dossier de l'export avec --out DOSSIER")
    database = open_database_for(args)
    with database.read() as session:
        done = write_onisep_odbl(session, Path(args.out))
    print(f"{done.count} métier(s) issus d'Onisep : {done.data}\nNote de licence : {done.note}")
    return 0


def _print_records(records: Iterable[dict], fmt: str, columns: list[str], out: TextIO | None = None, *,
                   spreadsheet: bool = False) -> None:
    """``records`` as ``fmt`` on ``out`` (standard output); ``spreadsheet``: CSV with « ; »."""
    import csv
    import json

    out = out or sys.stdout
    if fmt == "json":  # the same text as json.dump(list, indent=2), one record at a time
        out.write("[")
        written = 0
        for record in records:
            body = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            out.write(("," if written else "") + "\n  " + body)
            written += 1
        out.write("\n]\n" if written else "]\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n",
                                delimiter=";" if spreadsheet else ",")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _csv_value(record.get(k)) for k in columns})
    else:
        out.write(_table(list(records)))


def _csv_value(value: object) -> object:
    return " | ".join(str(v) for v in value) if isinstance(value, list) else value


def _cell(text: str, width: int) -> str:
    """``text`` in ``width`` characters: a name cut short ends with « … », so it is not read as whole."""
    return (text if len(text) <= width else text[:width - 1] + "…").ljust(width)


def _table(records: list[dict]) -> str:
    from db.catalogue.format import format_salary

    lines = [(r["nom"], r["niveau"] or "non précisé",
              format_salary(r["salaire_min"], r["salaire_max"], r["salaire_annee"], r["pays"]),
              r["secteur"] or "", r["source_libelle"], r["id"]) for r in records]
    # The identifier last and whole: what « students seance --retenir » and « parcours » take.
    header = ("Métier", "Niveau d'études minimum", "Salaire de début", "Secteur", "Source", "Identifiant")
    widths = [min(48, max([len(header[i])] + [len(line[i]) for line in lines])) for i in range(len(header) - 1)]
    widths.append(max([len(header[-1])] + [len(line[-1]) for line in lines]))
    buffer = io.StringIO()
    for line in [header, tuple("-" * w for w in widths), *lines]:
        buffer.write("  ".join(_cell(str(cell), w) for cell, w in zip(line, widths, strict=True)).rstrip() + "\n")
    buffer.write(f"{len(records)} métier(s)\n")
    return buffer.getvalue()
