"""Whole-process probes of the real application window, and their bare-window floor (issue 20).

One probed launch (``launch``) starts the application through its real entry point
(:func:`desktop.cli.main`, as the ``orientation`` command does) with two probes installed when
the event loop starts:

- **first paint**: an application-wide event filter sees the first ``Paint`` event; the clock
  stops on the next event-loop turn, once that frame is drawn;
- **GUI heartbeat**: a 5 ms precise timer; the longest gap between two ticks, minus 5 ms, is the
  longest GUI-thread block. Measured from the first event-loop turn to 2 s after the window is
  ready (the database attached: ``MainWindow.ready``), and, with ``--import``, from the start of
  an import through the real window (``MainWindow.start_import``) to 2 s after it ends.

With ``--suggest NONE INTERESTS`` (two student ids), once ready, the student panel opens the
student whose latest session ticks nothing, the one with interests, then the first again
(``StudentPanel.open_student``, as a click in the list does): the longest block while the
suggestions compute, to 1 s after they are shown (``suggest_max_block_ms``; after the
nothing-ticked open, the second that follows it: ``suggest_none_max_block_ms``), and apart the
synchronous opens (``first_open_max_block_ms``, ``open_max_block_ms``).

It prints one JSON line of absolute times (``time.time()``), and ``ready_cpu_s``: the CPU time the
process used (all its threads) up to ready, which the other programs of a busy machine change far
less than the wall-clock figure (start-up is CPU-bound). The bare floor (``--bare``) is a
PySide6 window showing a 1,000-row ``QTableView`` with the same first-paint probe.

``series`` alternates bare and application launches in fresh processes and prints medians:

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/probes.py series --db BASE --runs 7
    xvfb-run -a .venv/bin/python bench/probes.py series --db BASE --runs 7   # a real X server
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TICK_MS = 5
AFTER_S = 2.0


class Heartbeat:
    """Ticks every 5 ms on the GUI thread and keeps (time, gap in ms) of every tick."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.ticks: list[tuple[float, float]] = []
        self.clock = QElapsedTimer()
        self.clock.start()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.ticks.append((time.time(), float(self.clock.restart())))

    def max_block_within(self, start: float, end: float) -> float:
        """Longest block that began at or after ``start`` and ended by ``end`` (a block still
        running at ``start`` belongs to what ran before)."""
        gaps = [gap for at, gap in self.ticks if at - gap / 1000 >= start - 0.001 and at <= end]
        return round(max(gaps, default=float(TICK_MS)) - TICK_MS, 1)

    def max_block_ms(self, start: float, end: float) -> float:
        """Longest block (gap minus the tick period) of the ticks that ended in [start, end]."""
        gaps = [gap for at, gap in self.ticks if start <= at <= end]
        return round(max(gaps, default=float(TICK_MS)) - TICK_MS, 1)


def install_paint_probe(report: dict[str, Any]) -> Any:
    """Record in ``report['painted']`` the event-loop turn after the first Paint event."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class FirstPaint(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "painted" not in report:
                report["painted"] = None
                QTimer.singleShot(0, lambda: report.__setitem__("painted", time.time()))
            return False

    probe = FirstPaint()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(probe)
    return probe


def run_bare() -> None:
    """The floor: a bare window with a 1,000-row table view, to its first painted frame."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication(sys.argv)
    report: dict[str, Any] = {}
    probe = install_paint_probe(report)  # noqa: F841 (kept alive)
    model = QStandardItemModel(1000, 5)
    for row in range(1000):
        for column in range(5):
            model.setItem(row, column, QStandardItem(f"cellule {row} {column}"))
    view = QTableView()
    view.setModel(model)
    view.resize(1280, 720)
    view.show()

    def wait() -> None:
        if report.get("painted"):
            print(json.dumps(report))
            app.quit()
        else:
            QTimer.singleShot(1, wait)

    QTimer.singleShot(0, wait)
    app.exec()


SUGGEST_AFTER_S = 1.0


def _probe_suggestions(window: Any, beat: Heartbeat, report: dict[str, Any], students: list[int],
                       done: Any) -> None:
    """Open the student with nothing ticked (the page's first showing, ``first_open``), then the
    one with interests, then the first again, as clicks in the list do; record the longest GUI
    block while the suggestions compute (from the worker's start to 1 s after they are shown;
    after the nothing-ticked open: the second that follows it) apart from the synchronous open
    itself (``open``); then ``done()``. See :meth:`Heartbeat.max_block_within`."""
    from PySide6.QtCore import QTimer

    panel, (none, some) = window.students.panel, students
    marks: dict[str, float] = {}
    panel.service.started.connect(lambda: marks.setdefault("started", time.time()))

    def open_timed(student: int) -> tuple[float, float]:
        before = time.time()
        panel.open_student(student)
        return before, time.time()

    def later(then: Any) -> None:
        QTimer.singleShot(int(SUGGEST_AFTER_S * 1000), then)

    def first() -> None:
        before, after = open_timed(none)

        def measured() -> None:
            report["first_open_max_block_ms"] = beat.max_block_ms(before, after + SUGGEST_AFTER_S)
            with_interests()

        later(measured)

    def with_interests() -> None:
        def shown(*_args: Any) -> None:
            panel.service.ready.disconnect(shown)
            marks["shown"] = time.time()
            later(measured)

        def measured() -> None:
            report["suggest_max_block_ms"] = beat.max_block_within(marks["started"], marks["shown"] + SUGGEST_AFTER_S)
            report["suggest_s"] = marks["shown"] - marks["opened"]
            report["open_max_block_ms"] = beat.max_block_ms(marks["opened"], marks["open_end"] + 0.25)
            nothing_ticked()

        marks.pop("started", None)
        panel.service.ready.connect(shown)
        marks["opened"], marks["open_end"] = open_timed(some)

    def nothing_ticked() -> None:
        before, after = open_timed(none)

        def measured() -> None:
            report["suggest_none_max_block_ms"] = beat.max_block_within(after, after + SUGGEST_AFTER_S)
            report["open_max_block_ms"] = max(report["open_max_block_ms"], beat.max_block_ms(before, after + 0.25))
            done()

        later(measured)

    first()


def run_app(db: str, imports: list[str], suggest: list[int] | None = None) -> None:
    """The real ``orientation --db DB`` start, probed (see the module docstring)."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    report: dict[str, Any] = {}
    exec_loop = QApplication.exec

    def probed_exec(*_args: Any) -> int:
        app = QApplication.instance()
        assert app is not None
        probe = install_paint_probe(report)
        beat = Heartbeat()
        report["loop"] = time.time()
        window = next(w for w in app.topLevelWidgets() if hasattr(w, "attach_database"))

        def finish() -> None:
            report["max_block_ms"] = beat.max_block_ms(report["loop"], report["ready"] + AFTER_S)
            if "import_start" in report:
                report["import_max_block_ms"] = beat.max_block_ms(report["import_start"], report["import_end"])
                report["after_import_max_block_ms"] = beat.max_block_ms(report["import_end"],
                                                                        report["import_end"] + AFTER_S)
            report["probe"] = probe is not None
            print(json.dumps(report))
            app.quit()

        def imported(*_args: Any) -> None:
            report["import_end"] = time.time()
            QTimer.singleShot(int(AFTER_S * 1000), finish)

        def after_ready() -> None:
            if suggest:
                _probe_suggestions(window, beat, report, suggest, finish)
                return
            if not imports:
                finish()
                return
            window.importer.finished.connect(imported)
            window.importer.failed.connect(imported)
            report["import_start"] = time.time()
            window.start_import(imports)

        def ready() -> None:
            if "ready" not in report:
                report["ready"] = time.time()
                report["ready_cpu_s"] = time.process_time()  # CPU of all threads: steadier on a busy machine
                QTimer.singleShot(int(AFTER_S * 1000), after_ready)

        if window.database is not None:
            QTimer.singleShot(0, ready)
        else:
            window.ready.connect(ready)
        return exec_loop()

    QApplication.exec = probed_exec  # type: ignore[method-assign, assignment]
    from desktop.cli import main

    main(["--db", db])


def launch(args: list[str], workdir: Path, timeout: float = 300) -> dict[str, float]:
    """Run one probed process; its report with times made relative to the launch, in ms."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(workdir / "config"), "XDG_STATE_HOME": str(workdir / "state"),
           "XDG_DATA_HOME": str(workdir / "data")}
    started = time.time()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "launch", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"lancement sondé en échec ({done.returncode}) : {done.stderr[-800:]}")
    report = json.loads(lines[-1])
    relative = {f"{key}_ms": (value - started) * 1000 for key, value in report.items()
                if key in ("painted", "loop", "ready", "import_start", "import_end")}
    relative.update({key: value for key, value in report.items() if key.endswith(("block_ms", "_s"))})
    return relative


def series(db: str, runs: int, imports: list[str]) -> dict[str, Any]:
    """Bare and application launches alternated ``runs`` times; medians, worst blocks, the ratio."""
    workdir = Path(tempfile.mkdtemp(prefix="orientation-probes-"))
    launch(["--bare"], workdir), launch(["--db", db], workdir)  # warm the OS file cache for both
    bares, apps = [], []
    for _ in range(runs):
        bares.append(launch(["--bare"], workdir))
        apps.append(launch(["--db", db], workdir))
    result: dict[str, Any] = {
        "runs": runs, "platform": os.environ.get("QT_QPA_PLATFORM", "xcb"),
        "bare_paint_ms": round(statistics.median(b["painted_ms"] for b in bares), 1),
        "app_paint_ms": round(statistics.median(a["painted_ms"] for a in apps), 1),
        "ready_ms": round(statistics.median(a["ready_ms"] for a in apps), 1),
        "ready_cpu_s": round(statistics.median(a["ready_cpu_s"] for a in apps), 3),
        "max_block_ms_median": round(statistics.median(a["max_block_ms"] for a in apps), 1),
        "max_block_ms_worst": max(a["max_block_ms"] for a in apps)}
    result["paint_ratio"] = round(result["app_paint_ms"] / result["bare_paint_ms"], 2)
    if imports:
        imported = []
        for n in range(max(1, runs // 3)):  # each import into a fresh copy: a first import, not an update
            copy = workdir / f"import-{n}.sqlite"
            shutil.copyfile(db, copy)
            imported.append(launch(["--db", str(copy), "--import", *imports], workdir))
        result["import_runs"] = len(imported)
        result["import_max_block_ms"] = max(a["import_max_block_ms"] for a in imported)
        result["after_import_max_block_ms"] = max(a["after_import_max_block_ms"] for a in imported)
        result["import_s"] = round(statistics.median(a["import_end_ms"] - a["import_start_ms"]
                                                     for a in imported) / 1000, 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="Sondes du lancement réel de l'application.")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("launch", help="un lancement sondé (JSON sur une ligne)")
    one.add_argument("--bare", action="store_true", help="la fenêtre nue de référence")
    one.add_argument("--db", help="la base à ouvrir")
    one.add_argument("--import", dest="imports", nargs="*", default=[], help="fichiers à importer une fois prêt")
    one.add_argument("--suggest", nargs=2, type=int, metavar=("SANS", "AVEC"),
                     help="élèves à ouvrir une fois prêt : sans rien de coché, puis avec des intérêts")
    many = sub.add_parser("series", help="lancements alternés, médianes en JSON")
    many.add_argument("--db", required=True)
    many.add_argument("--runs", type=int, default=7)
    many.add_argument("--import", dest="imports", nargs="*", default=[])
    args = parser.parse_args()
    if args.command == "series":
        print(json.dumps(series(args.db, args.runs, args.imports)))
    elif args.bare:
        run_bare()
    else:
        run_app(args.db, args.imports, args.suggest)


if __name__ == "__main__":
    main()
