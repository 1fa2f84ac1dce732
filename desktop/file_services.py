"""The file dialogs and the system's file opener, behind one small object that tests replace
(so no test ever waits on a native dialog or launches a PDF viewer)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


class FileServices:
    """Ask for a path to write or to read; open a file with the program the system chose for it."""

    def save_path(self, parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
        """A path to write to (None when cancelled); ``suggested`` is the proposed file."""
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return path or None

    def open_path(self, parent: QWidget | None, title: str, folder: str, filters: str) -> str | None:
        """An existing file to read (None when cancelled)."""
        path, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
        return path or None

    def open_file(self, path: Path) -> bool:
        """Open ``path`` in the system's viewer; False when no program could open it."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def with_suffix(path: str, suffix: str) -> Path:
    """``path`` ending in ``suffix`` (".pdf"), added when the counselor did not type it."""
    result = Path(path)
    return result if result.suffix.lower() == suffix else result.with_name(result.name + suffix)
