"""The file dialogs and the system's file opener, behind one small object that tests replace
(so no test ever waits on a native dialog or launches a PDF viewer)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


class FileServices:
    """Ask for a path to write or to read; open a file with the program the system chose for it."""

    def save_path(self, parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
        """A path to write to (None when cancelled); ``suggested`` is the proposed file. A bare
        file name is proposed in the folder of the last save (kept across restarts), else in
        the user's Documents folder — never in the program's own folder."""
        from desktop.settings import Settings

        settings = Settings()
        if not Path(suggested).parent.parts:
            suggested = str(Path(settings.save_folder or default_folder()) / suggested)
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        if path:
            settings.save_folder = str(Path(path).parent)
        return path or None

    def open_path(self, parent: QWidget | None, title: str, folder: str, filters: str) -> str | None:
        """An existing file to read (None when cancelled); with no ``folder``, the dialog opens where
        the last file was saved or read, else in the user's Documents folder."""
        from desktop.settings import Settings

        settings = Settings()
        path, _ = QFileDialog.getOpenFileName(parent, title, folder or settings.save_folder or default_folder(),
                                              filters)
        if path:
            settings.save_folder = str(Path(path).parent)
        return path or None

    def open_file(self, path: Path) -> bool:
        """Open ``path`` in the system's viewer; False when no program could open it."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def default_folder() -> str:
    """The user's Documents folder (their home folder when there is none)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def with_suffix(path: str, suffix: str) -> Path:
    """``path`` ending in ``suffix`` (".pdf"), added when the counselor did not type it."""
    result = Path(path)
    return result if result.suffix.lower() == suffix else result.with_name(result.name + suffix)
