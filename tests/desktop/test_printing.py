"""Printing the bilan: every page reaches the printer, in order, scaled to the sheet."""
from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from desktop.printing import print_with_dialog
from tests.reports.test_pdf import sample_report


def test_every_page_is_printed(qapp, tmp_path):
    from reports.pdf import render_report

    pdf = render_report(sample_report())
    pages = len(PdfReader(__import__("io").BytesIO(pdf)).pages)
    out = tmp_path / "imprime.pdf"

    def to_file(printer: QPrinter) -> bool:  # stands for the user choosing "Print to file"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(100)
        return True

    assert print_with_dialog(pdf, None, to_file) is True
    assert len(PdfReader(out).pages) == pages


def test_cancelled_dialog_prints_nothing(qapp):
    assert print_with_dialog(b"%PDF", None, lambda printer: False) is False
