"""Print a PDF (the bilan) through Qt's print dialog.

PySide6-Essentials cannot draw PDF pages, so pages are rasterised with PDFium (pypdfium2, a
small wheel that ships its own PDFium build) at the printer's resolution, capped at 300 dpi,
and painted one per sheet, scaled to the printable area with the aspect ratio kept.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

MAX_DPI = 300


def page_images(pdf: bytes, dpi: int) -> list[QImage]:
    """Each page of ``pdf`` as an image at ``dpi`` (PDFium rendering)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=dpi / 72, grayscale=False)
            image = bitmap.to_pil().convert("RGB")
            data = image.tobytes("raw", "RGB")
            images.append(QImage(data, image.width, image.height, 3 * image.width,
                                 QImage.Format.Format_RGB888).copy())
        return images
    finally:
        document.close()


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` on ``printer`` (one page per sheet); returns the page count."""
    dpi = min(MAX_DPI, printer.resolution())
    images = page_images(pdf, dpi)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("impression impossible : l'imprimante n'a pas pu être ouverte")
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            target = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return len(images)


def print_with_dialog(pdf: bytes, parent: QWidget | None,
                      ask: Callable[[QPrinter], bool] | None = None) -> bool:
    """Show the print dialog (A4, portrait) and print ``pdf``; False when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDocName("Bilan d'orientation")
    accepted = ask(printer) if ask else QPrintDialog(printer, parent).exec() == QPrintDialog.DialogCode.Accepted
    if not accepted:
        return False
    paint_pdf(pdf, printer)
    return True
