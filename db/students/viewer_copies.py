"""Bilans written only so that the system's PDF viewer can show them, and their file names.

They live in one private folder of the temporary directory (0700, one per user account), in a
sub-folder per student record, and are removed when the window closes, at the next start if
the application was killed, and — the ones of that student — as soon as a student is erased
(:func:`db.students.privacy.erase_student`).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from db.storage.files import private_dir
from db.text import slug


def report_file_name(nom: str, prenom: str, day: str) -> str:
    """The bilan's file name: "bilan-martin-zoe-2026-11-20.pdf" (the date of the session)."""
    return f"{_stem(nom, prenom)}-{day}.pdf"


def _stem(nom: str, prenom: str) -> str:
    return f"bilan-{slug(nom)}-{slug(prenom)}"


def viewer_copies_dir(create: bool = False) -> Path:
    """The private folder holding the bilans opened for viewing (created 0700 if asked)."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    folder = Path(tempfile.gettempdir()) / f"orientation-bilans-{user}"
    if create:
        private_dir(folder)
    return folder


def student_copies_dir(student_id: int, create: bool = False) -> Path:
    """The folder of one student's viewing copies: found by record number, so a copy made
    before the student was renamed is still erased with them."""
    folder = viewer_copies_dir(create) / str(student_id)
    if create:
        private_dir(folder)
    return folder


def remove_viewer_copies(student_id: int) -> None:
    """Delete the viewing copies of this student's bilans."""
    shutil.rmtree(student_copies_dir(student_id), ignore_errors=True)


def clear_viewer_copies() -> None:
    """Delete every viewing copy (at start and when the window closes)."""
    shutil.rmtree(viewer_copies_dir(), ignore_errors=True)
