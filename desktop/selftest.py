"""``orientation selftest``: a quick end-to-end check of an installed or frozen application.

On a temporary database it loads the starter catalogue, imports a fiche, records a student and
a session, writes the PDF report, and opens then closes the main window (offscreen when there
is no screen). Used by the packaging smoke test and by the school's IT person after install.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

FICHE_ID = "ORI.verification-installation"
FICHE = {"format": "orientation-fiche/1", "id": FICHE_ID,
         "nom": "métier de vérification", "libelle_feminin": "métier de vérification",
         "libelle_masculin": "métier de vérification",
         "description": "Fiche de vérification. Elle est supprimée ensuite.",
         "codes_rome": ["M1805"], "niveau": "bac + 2", "salaire_min": 2000, "salaire_annee": 2025,
         "secteurs": ["T-IDEO2.4835"], "centres_interet": ["T-IDEO2.4825"], "statuts": ["T-ITM.9"],
         "formations": ["BTS SIO", "BUT informatique"], "pays": "FR"}


def run_selftest(out_dir: Path | None = None) -> list[str]:
    """Run every step; returns the French lines it printed. Raises on the first failure."""
    from db.storage.opening import open_database
    from db.catalogue.importing import import_paths
    from db.catalogue.search import Criteria, count
    from db.students.store import ShortlistItem, create_student, save_session, start_session
    from desktop.operations.bilan import student_report

    lines: list[str] = []
    work = Path(out_dir or tempfile.mkdtemp(prefix="orientation-selftest-"))
    started = time.perf_counter()
    database = open_database(str(work / "verification.sqlite"))
    with database.read() as session:
        starter = count(session, Criteria())
    lines.append(f"catalogue de départ : {starter} métiers")
    fiche = work / "fiche.jsonl"
    fiche.write_text(json.dumps(FICHE, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = import_paths(database, [fiche])
    assert summary.refused == 0 and summary.created == 1, summary.total_line()
    lines.append("import d'une fiche : ok")
    student = create_student(database, "Vérification", "Élève", "3e")
    with database.read() as session:
        state = start_session(session, student)
    state.interests, state.shortlist = ["T-IDEO2.4825"], [ShortlistItem(FICHE_ID, "essai")]
    save_session(database, state)
    _, pdf = student_report(database, student)
    assert pdf.startswith(b"%PDF")
    (work / "bilan.pdf").write_bytes(pdf)
    lines.append(f"bilan PDF : ok ({len(pdf) // 1024} Kio)")
    lines.append(_window_check(database))
    from desktop.printing import page_images

    lines.append(f"impression : ok ({len(page_images(pdf, 30))} page(s) prêtes pour l'imprimante)")
    database.close()
    lines.append(f"vérification terminée en {time.perf_counter() - started:.1f} s ({work})")
    return lines


def _window_check(database) -> str:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow

    from db.storage.backup import sqlite_path
    from db.catalogue.startup_view import open_startup_view

    app = QApplication.instance() or QApplication(["orientation"])
    # As an ordinary start does: the window first shows the plain view, then gets the database.
    path = sqlite_path(database.url)
    view = open_startup_view(str(path)) if path is not None else None
    window = MainWindow(startup=view) if view is not None else MainWindow(database)
    window.show()
    app.processEvents()
    shown = window.model.total
    if window.database is None:
        window.attach_database(database)
    app.processEvents()
    title, attached = window.windowTitle(), window.model.total
    window.close()
    assert title == "Orientation", title
    assert shown == attached > 0, (shown, attached)
    return f"fenêtre principale : ok ({attached} métiers affichés{' dès l’ouverture' if view else ''})"
