"""``orientation transfert --de SOURCE --vers DESTINATION``: the whole database copied, table by
table, with the rows and checksum of each side printed (:mod:`db.storage.transfer`)."""
from __future__ import annotations

import argparse
import sys

from db.storage.transfer import TableCopy, copied_tables, transfer


def cmd_transfer(args: argparse.Namespace) -> int:
    """Copy, print a line per table; 0 when every table is identical on both sides, 1 otherwise."""
    report = transfer(args.de, args.vers, progress=_print_table)
    rows = sum(t.source_rows for t in report.tables)
    if report.committed:
        print(f"Transfert terminé : {len(report.tables)} tables, {_number(rows)} lignes copiées, "
              "identiques des deux côtés.")
        return 0
    different = [t.table for t in report.tables if not t.identical]
    print(f"Transfert annulé : {len(different)} table(s) différente(s) entre la source et la destination "
          f"({', '.join(different)}) ; la destination n'a pas été modifiée.", file=sys.stderr)
    return 1


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _print_table(copy: TableCopy) -> None:
    if copy.table == copied_tables()[0].name:  # the header once the copy has begun (not above a refusal)
        print(f"{'table':<22} {'lignes':>9} {'empreinte source':<18} {'empreinte destination':<22} résultat")
    rows = (_number(copy.source_rows) if copy.source_rows == copy.destination_rows
            else f"{copy.source_rows}≠{copy.destination_rows}")
    verdict = "identique" if copy.identical else "DIFFÉRENTE"
    print(f"{copy.table:<22} {rows:>9} {copy.source_digest[:16]:<18} {copy.destination_digest[:16]:<22} {verdict}",
          flush=True)
