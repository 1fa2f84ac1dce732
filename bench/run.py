"""All benchmark figures in one JSON object, each beside the floor it is compared to.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/run.py --json

Keys: filter_ms_1k/10k/100k (median time from a criteria change to an updated table model, on
synthetic catalogues) with floor_ms_* (raw SQL for the same queries); fts_ms_100k and
fts_floor_ms_100k; import_fiches_per_s (the 893 ONISEP Markdown fiches, ../shared) with
import_parse_only_s as its floor; report_ms (6-métier bilan, in process) with report_floor_ms
(a bare reportlab document of the same texts, same embedded font);
suggest_ms_starter/10k and suggest_max_ms_* (a top-20 suggestion for five typical sessions, median
and slowest) with suggest_floor_ms_* (the same SQL on bare sqlite3) and suggest_distinct_scores_*
(distinct scores in a typical top 20); startup_s and
startup_floor_s (the ``orientation`` command on its starter catalogue, to the first turn of the
event loop with the window shown, vs a bare PySide6 window with a 1,000-row table, fresh
processes, same run) and startup_ratio; startup_all_actions_s (until the database layer, loaded
behind the window, is attached); rss_mb_10k (resident memory of the window
showing a 10,000-métier catalogue) with rss_floor_mb (the bare window); filter_ms_10k/100k_sqlite
and _postgresql with filter_worst_ms_* (bench/pg_search_bench.py, --only pg_search: the same 14
cases on both engines, same run, its own throw-away PostgreSQL server); search_p5_* and
search_top3_* (bench/search_quality.py: precision@5 and share of judged queries with the job in the
top 3, on the starter catalogue and on starter + the ONISEP fiches of ../shared); and "goals"
(times at most their goal, search figures at least theirs).
Synthetic catalogues are cached in $ORIENTATION_BENCH_DIR (default /tmp/orientation-bench).

Issue 20's figures (bench/honest.py, on bench/realistic_db.py's counselor database: the starter
catalogue + the ONISEP/ROME data of ../shared imported by the application + 10,000 students × 5
sessions; and 100k copies of its métiers): paint_ratio_offscreen / _xvfb (first painted frame of
the real ``orientation`` start vs a bare window with a 1,000-row QTableView, whole processes,
alternated; starter base) and paint_ratio_real_offscreen / _xvfb (realistic base); ready_s_real
(until MainWindow.ready, the slower of offscreen and Xvfb; ready_cpu_s_real_offscreen / _xvfb:
the CPU the process used until then);
gui_max_block_ms_real (5 ms heartbeat in the real process, first event-loop turn → ready + 2 s,
worst run) and import_/after_import_gui_max_block_ms_real (the 893 ONISEP fiches imported through
the real window); gui_max_block_ms_suggest / _100k (the real window
opens a student with nothing ticked, then one with the four commonest interests and two wished
sectors: longest GUI block while the suggestions compute, to 1 s after they show, worst launch,
realistic base and its 100k-métier copy; the synchronous opens apart: gui_max_block_ms_open_student);
filter_worst_ms_100k (worst of the 14 filter cases, with its independent FTS5/SQL floor;
filter_worst_cpu_ms_100k: the same in this process's CPU time, leaving out what other processes
on a shared machine add to the wall clock); cli_students_ratio_real (``orientation students list
--texte mar`` vs a plain sqlite3 script, whole processes); export_peak_mb_100k (peak RSS of
``orientation export``); rome_import_ratio (ROME import into starter + ONISEP vs parsing only);
import_onisep_cli_s (``orientation import`` of the 893 ONISEP fiches, whole process, vs parsing only
and vs plain sqlite3 writing the same rows: import_onisep_write_only_s).

    .venv/bin/python bench/run.py --json [--quick] [--only KEY ...]

--quick: fewer repetitions, without the older filter/memory/start-up parts (≈ 5 min once the
databases are cached; the first build of the realistic databases takes much longer).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ORIENTATION_FIRST_RUN", "0")  # no welcome dialog over the measured window

RSS_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
{body}
app.processEvents()
rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]
print(int(rss) / 1024)
"""
RSS_APP = """
from db.storage.opening import open_database
from desktop.main_window import MainWindow
window = MainWindow(open_database({db!r}, backups=False))
window.resize(1280, 720)
window.show()
"""
RSS_BARE = """
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
table = QTableWidget(1000, 5)
for row in range(1000):
    for column in range(5):
        table.setItem(row, column, QTableWidgetItem(f"cellule {row} {column}"))
table.show()
"""


def _rss(body: str) -> float:
    code = RSS_SCRIPT.format(root=str(ROOT), body=body)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return round(float(out.strip().splitlines()[-1]), 1)


def filters() -> dict:
    import filter_bench

    result = filter_bench.run([1_000, 10_000] if QUICK else [1_000, 10_000, 100_000])
    result.pop("detail", None)
    return result


def memory() -> dict:
    import filter_bench

    filter_bench.catalogue(10_000).close()
    path = next(filter_bench.CACHE.glob("*10000*.sqlite"))
    return {"rss_mb_10k": _rss(RSS_APP.format(db=str(path))), "rss_floor_mb": _rss(RSS_BARE)}


def imports() -> dict:
    import import_bench

    folder = ROOT.parent / "shared" / "data" / "onisep-metiers-md"
    if not folder.exists():
        return {"import_fiches_per_s": None, "import_note": "../shared absent"}
    figures = import_bench.measure(folder, runs=1 if QUICK else 3)
    return {"import_fiches_per_s": figures["import_fiches_per_s"], "import_s": figures["import_s"],
            "import_parse_only_s": figures["parse_only_s"]}


def report() -> dict:
    import report_bench
    from reports.pdf import FONT_REGULAR, register_fonts, render_report

    data = report_bench.sample_report()
    render_report(data)  # fonts loaded once per process, as in the application
    report_ms, _ = report_bench.median_ms(lambda: render_report(data), 15)
    register_fonts()
    floor_ms, _ = report_bench.median_ms(lambda: report_bench.bare_pdf(data, FONT_REGULAR), 15)
    return {"report_ms": round(report_ms, 1), "report_floor_ms": round(floor_ms, 1)}


def suggestions() -> dict:
    import suggest_bench

    result = suggest_bench.run([10_000])
    result.pop("detail", None)
    return result


def startup() -> dict:
    import gui_bench

    workdir = Path(tempfile.mkdtemp(prefix="orientation-bench-start-"))
    try:
        figures = gui_bench.startup(workdir)
        blocking = gui_bench.import_blocking(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"startup_s": round(figures["startup_app_ms"] / 1000, 3),
            "startup_floor_s": round(figures["startup_bare_ms"] / 1000, 3),
            "startup_ratio": figures["startup_ratio"],
            "startup_all_actions_s": round(figures["startup_all_actions_ms"] / 1000, 3),
            "import_gui_max_block_ms": blocking["import_gui_max_block_ms"]}


def search() -> dict:
    import search_quality

    result: dict = {}
    for figures in search_quality.run(search_quality.default_shared()):
        key = figures.name.replace("+", "_")
        result[f"search_p5_{key}"] = figures.precision()
        result[f"search_top3_{key}"] = figures.target_top3()
    return result


QUICK = False  # set by --quick: fewer repetitions and the slowest older parts left out


def honest_startup() -> dict:
    import honest

    return honest.startup(3 if QUICK else 7)


def honest_startup_100k() -> dict:
    import honest

    return honest.startup_100k(3 if QUICK else 5)


def honest_filters() -> dict:
    import honest

    return honest.filters_100k(QUICK)


def honest_suggest() -> dict:
    import honest

    return honest.suggest_blocks(3 if QUICK else 5)


def honest_cli() -> dict:
    import honest

    return honest.cli_students(3 if QUICK else 7)


def honest_export() -> dict:
    import honest

    return honest.export_peak()


def honest_onisep() -> dict:
    import honest

    return honest.onisep_cli(1 if QUICK else 3)


def honest_rome() -> dict:
    import honest

    return honest.rome_import(1 if QUICK else 3)


def pg_search() -> dict:
    """bench/pg_search_bench.py (its own throw-away PostgreSQL server): filter latency at 10k and
    100k métiers on PostgreSQL beside SQLite, median and worst of the 14 cases."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "pg_search_bench.py"), "--repeats",
                           "3" if QUICK else "7"], capture_output=True, text=True)
    if done.returncode != 0:
        return {"pg_search_note": (done.stderr.strip().splitlines() or ["échec"])[-1]}
    return {key: value for key, value in json.loads(done.stdout).items() if key.startswith("filter_")}


# Each part by the key --only selects it with; the older synthetic figures first.
PARTS: dict[str, Callable[[], dict]] = {
    "filters": filters, "memory": memory, "imports": imports, "report": report, "suggestions": suggestions,
    "startup": startup, "search": search, "paint": honest_startup, "filter_100k": honest_filters,
    "suggest_gui": honest_suggest, "paint_100k": honest_startup_100k,
    "cli": honest_cli, "export": honest_export, "rome": honest_rome, "onisep_cli": honest_onisep,
    "pg_search": pg_search}
QUICK_SKIPPED = ("filters", "memory", "startup")  # superseded by paint / filter_100k, or slow
ONLY_ALIASES = {"paint_ratio_offscreen": "paint", "paint_ratio_xvfb": "paint", "paint_ratio_real_xvfb": "paint",
                "ready_s_real": "paint", "gui_max_block_ms_real": "paint", "filter_worst_ms_100k": "filter_100k",
                "gui_max_block_ms_suggest": "suggest_gui", "gui_max_block_ms_suggest_100k": "suggest_gui",
                "cli_students_ratio_real": "cli", "export_peak_mb_100k": "export", "rome_import_ratio": "rome",
                "import_onisep_cli_s": "onisep_cli", "gui_max_block_ms_100k": "paint_100k"}

# Goals: value at most the goal (issues 5 and 20).
GOALS = {"filter_ms_10k": 16, "filter_ms_100k": 50, "report_ms": 500, "startup_ratio": 1.6,
         "import_gui_max_block_ms": 50,
         "paint_ratio_offscreen": 1.5, "paint_ratio_xvfb": 1.5, "paint_ratio_real_offscreen": 1.5,
         "paint_ratio_real_xvfb": 1.5, "ready_s_real": 1.0, "gui_max_block_ms_real": 50,
         "import_gui_max_block_ms_real": 50, "after_import_gui_max_block_ms_real": 50,
         "gui_max_block_ms_suggest": 50, "gui_max_block_ms_suggest_100k": 100, "gui_max_block_ms_100k": 100,
         "filter_worst_ms_100k": 50, "cli_students_ratio_real": 3, "export_peak_mb_100k": 300,
         "rome_import_ratio": 3, "import_s": 1.5, "import_onisep_cli_s": 1.5}
MIN_GOALS = {"search_p5_starter": 0.85, "search_top3_starter": 0.90,
             "search_p5_starter_onisep": 0.85, "search_top3_starter_onisep": 0.90}


def _goals(result: dict) -> dict:
    """Each goal with the measured value and whether it is met."""
    goals = {key: {"goal": goal, "value": result.get(key),
                   "met": result.get(key) is not None and result[key] <= goal}
             for key, goal in GOALS.items() if key in result}
    goals.update({key: {"goal": goal, "value": result.get(key),
                        "met": result.get(key) is not None and result[key] >= goal}
                  for key, goal in MIN_GOALS.items() if key in result})
    return goals


def _selected(only: list[str] | None) -> list[str]:
    """The parts to run: those ``--only`` names (parts or figure keys), else all (less the slow ones with --quick)."""
    if not only:
        return [name for name in PARTS if not (QUICK and name in QUICK_SKIPPED)]
    names = [ONLY_ALIASES.get(key, key) for key in only]
    unknown = [key for key, name in zip(only, names, strict=True) if name not in PARTS]
    if unknown:
        raise SystemExit(f"clé inconnue : {', '.join(unknown)} (parties : {', '.join(PARTS)})")
    return list(dict.fromkeys(names))


def _print_goals(goals: dict) -> None:
    """The figures beside their goals, in French, on stderr."""
    for key, goal in goals.items():
        verdict = "atteint" if goal["met"] else ("non mesuré" if goal["value"] is None else "NON atteint")
        print(f"{key:40} {goal['value']!s:>10}   objectif {goal['goal']!s:>6} : {verdict}", file=sys.stderr)


def main() -> None:
    global QUICK
    parser = argparse.ArgumentParser(description="Orientation : tous les bancs d'essai.")
    parser.add_argument("--json", action="store_true", help="un seul objet JSON sur la sortie")
    parser.add_argument("--quick", action="store_true", help="moins de répétitions (≈ 5 min, base en cache)")
    parser.add_argument("--only", action="append", metavar="CLÉ",
                        help=f"seulement cette partie ou ce chiffre (répétable) ; parties : {', '.join(PARTS)}")
    args = parser.parse_args()
    QUICK = args.quick
    started = time.perf_counter()
    result: dict = {}
    for name in _selected(args.only):
        part_started = time.perf_counter()
        try:
            result.update(PARTS[name]())
        except Exception as exc:  # one failing part must not lose the others' figures
            result[f"erreur_{name}"] = f"{type(exc).__name__}: {str(exc)[-600:]}"
        print(f"  {name} : {time.perf_counter() - part_started:.0f} s", file=sys.stderr, flush=True)
    result["goals"] = _goals(result)
    result["bench_s"] = round(time.perf_counter() - started, 1)
    result["quick"] = QUICK
    result["python"] = sys.version.split()[0]
    result["cpu_count"] = os.cpu_count()
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["note"] = "machine partagée et chargée : chiffres bruités ; candidat et plancher alternés dans le même run"
    _print_goals(result["goals"])
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
