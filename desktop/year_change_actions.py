"""« Année › Nouvelle année scolaire… » and « Annuler le changement d'année… » in the window.

The preview, the change and the undo are :mod:`db.students.year_change` and
:mod:`desktop.operations.year_change` (``orientation annee`` calls the same); this module only
asks, through the message service, and refreshes what the window shows afterwards. The change
and the undo (a backup, the statistics, every student's class: seconds on a large caseload) run
on a :class:`~desktop.workers.TaskRunner` behind a modal « en cours » dialog, so the window keeps
painting and nothing else can write meanwhile.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QProgressDialog

from db.errors import UserError
from db.storage.engine import Database

CHOICES = ("Changer d'année", "Changer d'année et enregistrer les statistiques (PDF, CSV)…", "Annuler")


def install_year_change(menu: QMenu, window: Any, database: Database) -> None:
    """Add the two actions to the « Année » menu."""
    menu.addSeparator()
    menu.addAction("&Nouvelle année scolaire…", lambda: change_year(window, database))
    menu.addAction("A&nnuler le changement d'année…", lambda: undo_year_change(window, database))


def change_year(window: Any, database: Database) -> bool:
    """Show the preview, ask once (optionally where to write the statistics), then change the
    year in the background; a French message says what was done when it ends. True when the
    change was started."""
    from db.students.year_change import plan_year_change
    from desktop.operations.year_change import run_year_change

    try:
        with database.read() as session:
            plan = plan_year_change(session)
    except UserError as exc:
        window.messages.error(str(exc))
        return False
    question = ("\n".join(plan.lines()) + "\n\nUne sauvegarde est faite juste avant : le changement s'annule "
                "(menu Année) tant que rien d'autre n'est enregistré.")
    picked = window.messages.choose(question, CHOICES)
    if picked is None:
        return False
    folder = _statistics_folder(window, plan.closing) if picked == 1 else None
    if picked == 1 and folder is None:
        return False

    def done(outcome: Any) -> None:
        result, written = outcome
        _refresh(window)
        erased = len(result.plan.to_erase)
        files = f" Statistiques écrites dans {written[0].parent}." if written else ""
        backups = f" {result.erasure.backups.sentence()}" if result.erasure else ""
        window.messages.info(f"Année {result.plan.opening} commencée : {result.plan.moving} élève(s) ont changé "
                             f"de classe, {erased} dossier(s) échu(s) effacé(s).{backups}{files}")

    _run_busy(window, "Changement d'année en cours…", lambda: run_year_change(database, folder=folder), done)
    return True


def _statistics_folder(window: Any, year: str) -> Path | None:
    from desktop.file_services import default_folder

    answer = window.students.files.save_path(window, "Enregistrer les statistiques de l'année",
                                             str(Path(default_folder()) / f"statistiques-{year}.pdf"), "PDF (*.pdf)")
    return Path(answer).parent if answer else None


def undo_year_change(window: Any, database: Database) -> bool:
    """Ask, then put the database back as it was before the last year change (in the
    background). True when the undo was started."""
    from db.students.year_change import undo_year_change as undo

    if not window.messages.confirm("Annuler le dernier changement d'année ? Les classes reviennent comme avant ; "
                                   "les dossiers effacés ne reviennent pas.", yes="Annuler le changement",
                                   no="Garder"):
        return False
    def done(year: Any) -> None:
        _refresh(window)
        window.messages.info(f"Changement d'année annulé : retour à l'année {year}.")

    _run_busy(window, "Annulation du changement d'année en cours…", lambda: undo(database), done)
    return True


def _run_busy(window: Any, label: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
    """Run ``work`` off the GUI thread behind a modal dialog; then ``done(result)``, or the
    French error, in the GUI thread. The runner and the dialog live until the result is in."""
    from desktop.workers import TaskRunner

    dialog = QProgressDialog(label, "", 0, 0, window)
    dialog.setWindowTitle("Orientation")
    dialog.setCancelButton(None)  # a half-done year change cannot be stopped; it is undone from the menu
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAccessibleName(label)
    runner = TaskRunner(window)
    window._year_change_running = runner  # kept alive (and visible to tests) until the result arrives

    def finish() -> None:
        dialog.close()
        dialog.deleteLater()
        window._year_change_running = None

    def succeeded(result: Any) -> None:
        finish()
        done(result)

    def failed(message: str) -> None:
        finish()
        window.messages.error(message)

    dialog.show()
    runner.run(work, succeeded, failed)


def _refresh(window: Any) -> None:
    """The student panel and the caseload read the database again (students may be gone)."""
    panel = window.students.panel
    if panel.student is not None:
        panel.close_student()
    panel.list.refresh()
    caseload_window = getattr(window, "_caseload_window", None)
    if caseload_window is not None:
        caseload_window.refresh()
