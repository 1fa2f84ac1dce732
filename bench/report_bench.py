"""Benchmark: time to render the 6-métier sample report in process, against a bare reportlab floor.

Run from the repository root:  python bench/report_bench.py [--runs 20]

Prints (in French) the first render (fonts loaded and parsed), the median of the following
renders (the goal is < 500 ms), and the median of two floors built from the same texts: a bare
Platypus document in Helvetica (no embedded font, no chart, no table, no page count) and the same
with the embedded DejaVu fonts, so the cost of each layer is visible.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path
from collections.abc import Callable, Iterator
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from db.students.report_data import ReportData
from reports.pdf import FONT_REGULAR, register_fonts, render_report
from tests.reports.test_pdf import sample_report

GOAL_MS = 500.0
CLASS_SIZE = 35
CLASS_GOAL_S = 15.0  # a class batch of 35 bilans, on 2 cores


def texts(data: ReportData) -> Iterator[str]:
    """Every piece of text the report shows, in reading order."""
    yield from (data.student_name, data.student_class, data.school, data.session_date,
                data.counselor_name, data.counselor_structure)
    yield from (i.label for i in data.interests)
    yield from (label for label, _ in data.interest_profile)
    for m in data.metiers:
        yield from (m.title, m.label_f, m.label_m, m.description, m.level, m.salary, m.salary_source)
        yield from (*m.sectors, *m.formations[:4], *m.reasons, m.comment, m.source)
    if data.comparison:
        yield from data.comparison.titles
        for row in data.comparison.rows:
            yield from (row.criterion, *row.values)
    yield from (*data.next_steps, data.student_note, *data.sources, data.counselor_contact)


def bare_pdf(data: ReportData, font: str) -> bytes:
    """The floor: one paragraph per text, same page size and margins, nothing else."""
    style = ParagraphStyle("Body", fontName=font, fontSize=10.5, leading=14.7, spaceAfter=6)
    story = [Paragraph(escape(text), style) for text in texts(data) if text]
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=20 * mm, bottomMargin=20 * mm, invariant=1).build(story)
    return buffer.getvalue()


def median_ms(make: Callable[[], bytes], runs: int) -> tuple[float, bytes]:
    """Median wall time of ``make()`` over ``runs`` calls, in ms, and the last result."""
    times, result = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        result = make()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def pages(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def main() -> int:
    parser = argparse.ArgumentParser(description="Temps de rendu du bilan PDF (6 métiers).")
    parser.add_argument("--runs", type=int, default=20, help="nombre de rendus mesurés (20)")
    runs = parser.parse_args().runs
    data = sample_report()

    start = time.perf_counter()
    first = render_report(data)
    cold = (time.perf_counter() - start) * 1000
    report, pdf = median_ms(lambda: render_report(data), runs)
    helvetica, floor_pdf = median_ms(lambda: bare_pdf(data, "Helvetica"), runs)
    register_fonts()
    dejavu, _ = median_ms(lambda: bare_pdf(data, FONT_REGULAR), runs)

    verdict = "atteint" if report < GOAL_MS else "NON atteint"
    print(f"Bilan de 6 métiers ({pages(pdf)} pages, {len(pdf) // 1024} Kio), {runs} rendus :")
    print(f"  premier rendu (chargement des polices compris) : {cold:7.1f} ms")
    print(f"  médiane                                        : {report:7.1f} ms "
          f"(objectif < {GOAL_MS:.0f} ms : {verdict})")
    print(f"Plancher : document reportlab nu, mêmes textes ({pages(floor_pdf)} pages) :")
    print(f"  Helvetica, sans police embarquée               : {helvetica:7.1f} ms")
    print(f"  DejaVu Sans embarquée                          : {dejavu:7.1f} ms")
    print(f"Rendus identiques octet pour octet : {'oui' if first == pdf else 'NON'}")
    batch = class_batch_s()
    verdict = "atteint" if batch <= CLASS_GOAL_S else "NON atteint"
    print(f"Classe de {CLASS_SIZE} bilans (3 ou 6 métiers, un seul processus) : {batch:5.1f} s "
          f"(objectif ≤ {CLASS_GOAL_S:.0f} s : {verdict})")
    return 0 if report < GOAL_MS and batch <= CLASS_GOAL_S else 1


def class_batch_s() -> float:
    """Wall time of rendering a class of :data:`CLASS_SIZE` bilans one after the other, as
    ``orientation report --classe`` does (each pupil their own name, 3 or 6 métiers)."""
    import dataclasses

    base = sample_report()
    pupils = [dataclasses.replace(base, student_name=f"Élève n° {i}", metiers=base.metiers[:3 if i % 2 else 6])
              for i in range(CLASS_SIZE)]
    start = time.perf_counter()
    for data in pupils:
        render_report(data)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
