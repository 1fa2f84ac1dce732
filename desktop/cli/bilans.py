"""``orientation report``: the student's PDF bilan, headless, for one student or a whole class
(the work is :mod:`desktop.operations.bilan`, the same the window uses)."""
from __future__ import annotations

import argparse
from pathlib import Path

from db.errors import UserError
from desktop.cli.common import open_database_for


def run(args: argparse.Namespace) -> int:
    """One PDF for ``student_id``, or one per student of ``--classe`` in the ``--out`` folder."""
    from desktop.operations.bilan import write_class_reports, write_student_report

    if args.classe and args.student_id is not None:
        raise UserError("indiquez soit le numéro d'un élève, soit --classe pour toute une classe, pas les deux")
    database = open_database_for(args)
    if args.classe:
        written = skipped = 0
        for done in write_class_reports(database, args.classe, Path(args.out), large_print=args.gros_caracteres,
                                        html=args.html):
            print(f"{done.student.full_name} : {done.path or 'aucun entretien, pas de bilan'}")
            written, skipped = written + (done.path is not None), skipped + (done.path is None)
        print(f"{written} bilan(s) écrit(s), {skipped} élève(s) sans entretien.")
        return 0
    if args.student_id is None:
        raise UserError("indiquez le numéro de l'élève, ou --classe pour toute une classe")
    out = write_student_report(database, args.student_id, args.seance, Path(args.out),
                               large_print=args.gros_caracteres, html=args.html)
    print(f"Bilan écrit : {out}")
    if args.html:
        print(f"Page HTML accessible : {out.with_suffix('.html')}")
    return 0
