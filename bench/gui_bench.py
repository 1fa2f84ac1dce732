"""The window stays responsive: start-up time, and the GUI thread during an import.

Goals (issue 5):
- from launch to an interactive window on the starter catalogue: at most 1.6 times a bare
  PySide6 window with a 1,000-row table, measured in the same run (each in a fresh process,
  from process start to the first turn of the event loop after ``show()``);
- during an import, the GUI thread never blocks more than 50 ms: a 5 ms timer ticks while
  :class:`desktop.import_worker.ImportController` imports a file of 3,000 fiches; the longest
  gap between two ticks, minus the 5 ms, is the longest block.

Prints one JSON object. Usage: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_bench.py``
"""
from __future__ import annotations

import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ORIENTATION_FIRST_RUN", "0")  # no welcome dialog over the measured window
RUNS = 7

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv)
table = QTableWidget(1000, 5)
for row in range(1000):
    for column in range(5):
        table.setItem(row, column, QTableWidgetItem(f"cellule {row} {column}"))
table.resize(1280, 720)
table.show()
QTimer.singleShot(0, lambda: (print(time.time()), app.quit()))
app.exec()
"""

# The real start: the ``orientation`` command's entry point, on a database and settings of its own.
# The clock stops at the first turn of the event loop after ``show()`` (the window is drawn and
# answers); a second figure is taken when the database layer, loaded behind the window, is
# attached (every action ready).
APP = """
import sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

exec_loop = QApplication.exec

def probed_exec(*args):
    app = QApplication.instance()

    def first_idle():
        shown = time.time()
        window = next(w for w in app.topLevelWidgets() if hasattr(w, "attach_database"))

        def ready():
            print(shown, time.time())
            app.quit()

        if window.database is not None:
            ready()
        else:
            window.ready.connect(ready)

    QTimer.singleShot(0, first_idle)
    return exec_loop()

QApplication.exec = probed_exec
from desktop.cli import main
sys.exit(main(["--db", {db!r}]))
"""


def _launch_ms(code: str, workdir: Path) -> list[float]:
    """Milliseconds from starting a Python process running ``code`` to each time it prints."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ["QT_QPA_PLATFORM"],
           "XDG_CONFIG_HOME": str(workdir / "config"), "XDG_STATE_HOME": str(workdir / "state")}
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    return [(float(value) - started) * 1000 for value in out.strip().splitlines()[-1].split()]


def startup(workdir: Path) -> dict:
    """Median launch times of the bare window and of the application on the starter catalogue."""
    from db.storage.opening import open_database

    # Bytecode as an installed copy has it (pip and PyInstaller compile ahead of time); without it
    # (PYTHONDONTWRITEBYTECODE, a fresh clone) every start would compile our modules again.
    for package in ("db", "desktop", "reports"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    db = workdir / "depart.sqlite"
    first_started = time.perf_counter()
    open_database(str(db), backups=False).close()  # first start: creates the base and loads the starter catalogue
    first_ms = (time.perf_counter() - first_started) * 1000
    app_code = APP.format(root=str(ROOT), db=str(db))
    _launch_ms(BARE, workdir), _launch_ms(app_code, workdir)  # warm the OS file cache for both
    # Alternated, so that a busy moment of the machine weighs on both sides alike.
    bares, runs = [], []
    for _ in range(RUNS):
        bares.append(_launch_ms(BARE, workdir)[0])
        runs.append(_launch_ms(app_code, workdir))
    bare = statistics.median(bares)
    app = statistics.median(shown for shown, _ready in runs)
    ready = statistics.median(ready for _shown, ready in runs)
    return {"startup_bare_ms": round(bare, 1), "startup_app_ms": round(app, 1), "startup_ratio": round(app / bare, 2),
            "startup_all_actions_ms": round(ready, 1), "first_start_catalogue_ms": round(first_ms, 1)}


def _fiche_file(path: Path, count: int) -> None:
    lines = []
    for i in range(count):
        lines.append(json.dumps({
            "format": "orientation-fiche/1", "id": f"ORI.essai-{i}", "nom": f"métier d'essai {i}",
            "libelle_feminin": f"métière d'essai {i}", "libelle_masculin": f"métier d'essai {i}",
            "description": "Une fiche d'essai pour mesurer l'importation. " * 5, "travail": "Travail d'équipe.",
            "acces": "BTS.", "codes_rome": ["M1805"], "niveau": "bac + 2", "salaire_min": 1900 + i % 500,
            "salaire_max": None, "salaire_annee": 2025, "secteurs": ["T-IDEO2.4835"],
            "centres_interet": ["T-IDEO2.4825"], "statuts": ["T-ITM.9"], "formations": ["BTS SIO"],
            "pays": "FR"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def import_blocking(workdir: Path, fiches: int = 3000) -> dict:
    """Longest GUI-thread block (ms) while the window's import worker imports ``fiches`` fiches."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from db.storage.opening import open_database
    from desktop.app import freeze_startup_objects
    from desktop.import_worker import ImportController

    app = QApplication.instance() or QApplication([])  # noqa: F841 (timers need an application)
    database = open_database(str(workdir / "import.sqlite"), load_starter=False, backups=False)
    source = workdir / "essai.jsonl"
    _fiche_file(source, fiches)
    controller = ImportController(database)
    freeze_startup_objects()  # as desktop.app.run() does once the window is up
    clock, longest, gaps = QElapsedTimer(), [0], []

    def tick() -> None:
        gap = clock.restart()
        gaps.append(gap)
        longest[0] = max(longest[0], gap)

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    controller.finished.connect(loop.quit)
    controller.failed.connect(loop.quit)
    started = time.perf_counter()
    clock.start()
    timer.start()
    controller.start([source])
    loop.exec()  # the real event loop, as in the application
    timer.stop()
    elapsed = (time.perf_counter() - started) * 1000
    controller.wait()
    database.close()
    return {"import_fiches": fiches, "import_ms": round(elapsed, 1),
            "import_gui_max_block_ms": max(0, longest[0] - 5), "import_gui_ticks": len(gaps)}


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="orientation-gui-bench-"))
    try:
        result = {**startup(workdir), **import_blocking(workdir)}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
