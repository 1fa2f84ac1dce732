"""Issue 20's figures: measured on a counselor's real database, as whole processes, beside floors.

Each function returns a dict of figures for ``bench/run.py``. The databases come from
:mod:`realistic_db` (the shared ONISEP/ROME data, imported by the application); when
``../shared/data`` is absent the figures are ``None`` with a French note saying so.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
ORIENTATION = str(Path(PYTHON).with_name("orientation"))
REAL_STUDENTS = 10_000
BIG = 100_000

import realistic_db  # noqa: E402


def _workdir() -> Path:
    """A new temporary folder for one measurement (removed by the caller)."""
    return Path(tempfile.mkdtemp(prefix="orientation-honest-"))


def _env(workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured process: its own settings, logs and backups folders."""
    return {**os.environ, "XDG_CONFIG_HOME": str(workdir / "config"), "XDG_STATE_HOME": str(workdir / "state"),
            "XDG_DATA_HOME": str(workdir / "data"), **extra}


def _absent(*keys: str) -> dict[str, Any]:
    """``keys`` as unmeasured (None), with the French note saying why."""
    note = realistic_db.shared_missing() or "données partagées absentes"
    return {**{key: None for key in keys}, "note_donnees": note}


def starter_db(workdir: Path) -> Path:
    """A new database holding the starter catalogue only (created by the application)."""
    path = workdir / "depart.sqlite"
    subprocess.run([PYTHON, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
                    "from db.storage.opening import open_database; "
                    f"open_database({str(path)!r}, backups=False).close()"], check=True, env=_env(workdir))
    return path


# ------------------------------------------------------------------ start-up, paint, GUI blocks
def _series(db: Path, runs: int, platform: str, workdir: Path, imports: list[str] | None = None) -> dict[str, Any]:
    """:func:`probes.series` in its own process, offscreen or under ``xvfb-run``; its JSON figures."""
    command = [PYTHON, str(BENCH / "probes.py"), "series", "--db", str(db), "--runs", str(runs)]
    if imports:
        command += ["--import", *imports]
    if platform == "xvfb":
        command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", *command]
        env = _env(workdir, QT_QPA_PLATFORM="xcb")
    else:
        env = _env(workdir, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"série de lancements en échec ({platform}) : {done.stderr[-1200:]}")
    return json.loads(lines[-1])


def startup(runs: int) -> dict[str, Any]:
    """First paint vs the bare window (offscreen, under Xvfb), ready and GUI blocks on the real base."""
    workdir = _workdir()
    result: dict[str, Any] = {}
    try:
        platforms = ["offscreen"] + (["xvfb"] if shutil.which("xvfb-run") else [])
        if "xvfb" not in platforms:
            result["note_xvfb"] = "xvfb-run absent : mesures sous Xvfb non faites"
        starter = starter_db(workdir)
        real = None
        if not realistic_db.shared_missing():
            real = realistic_db.copy_to(REAL_STUDENTS, 0, workdir / "reel.sqlite")
        md = realistic_db.SHARED_DATA / "onisep-metiers-md"
        for platform in platforms:
            figures = _series(starter, runs, platform, workdir)
            result[f"paint_ratio_{platform}"] = figures["paint_ratio"]
            result[f"paint_ms_{platform}"] = figures["app_paint_ms"]
            result[f"paint_floor_ms_{platform}"] = figures["bare_paint_ms"]
            result[f"ready_s_{platform}"] = round(figures["ready_ms"] / 1000, 3)
            result["paint_runs"] = figures["runs"]
            if real is None:
                result.update(_absent(f"paint_ratio_real_{platform}"))
                continue
            imports = [str(md)] if platform == platforms[-1] and md.exists() else None
            figures = _series(real, runs, platform, workdir, imports)
            result[f"paint_ratio_real_{platform}"] = figures["paint_ratio"]
            result[f"paint_ms_real_{platform}"] = figures["app_paint_ms"]
            result[f"paint_floor_ms_real_{platform}"] = figures["bare_paint_ms"]
            result[f"ready_s_real_{platform}"] = round(figures["ready_ms"] / 1000, 3)
            result[f"ready_cpu_s_real_{platform}"] = figures["ready_cpu_s"]
            result[f"gui_max_block_ms_real_{platform}"] = figures["max_block_ms_worst"]
            result[f"gui_max_block_ms_real_{platform}_median"] = figures["max_block_ms_median"]
            if imports:
                result["import_gui_max_block_ms_real"] = figures["import_max_block_ms"]
                result["after_import_gui_max_block_ms_real"] = figures["after_import_max_block_ms"]
                result["import_window_s_real"] = figures["import_s"]
                result["import_window_runs"] = figures["import_runs"]
        # The slower platform: the goal holds on both, as for the longest block below.
        readies = [result.get(f"ready_s_real_{p}") for p in platforms]
        result["ready_s_real"] = max((r for r in readies if r is not None), default=None)
        blocks = [result.get(f"gui_max_block_ms_real_{p}") for p in platforms]
        result["gui_max_block_ms_real"] = max((b for b in blocks if b is not None), default=None)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def startup_100k(runs: int) -> dict[str, Any]:
    """Launch → ready + 2 s on the 100k-métier copy of the real catalogue (offscreen): the longest
    GUI-thread block (goal ≤ 100 ms at 100k), ready and the paint ratio there."""
    if realistic_db.shared_missing():
        return _absent("gui_max_block_ms_100k")
    workdir = _workdir()
    try:
        big = realistic_db.copy_to(0, BIG, workdir / "reel-100k.sqlite")
        figures = _series(big, runs, "offscreen", workdir)
        return {"gui_max_block_ms_100k": figures["max_block_ms_worst"],
                "gui_max_block_ms_100k_median": figures["max_block_ms_median"],
                "ready_s_100k": round(figures["ready_ms"] / 1000, 3), "paint_ratio_100k": figures["paint_ratio"],
                "paint_100k_runs": figures["runs"]}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# ------------------------------------------------------------------ GUI blocks while suggesting
def add_probe_students(db: Path) -> tuple[int, int]:
    """Two students saved by the application into ``db``: one whose session ticks nothing, one
    with the four interests most métiers carry and two wished sectors (the most candidates)."""
    from datetime import date

    from db.storage.opening import open_database
    from db.students.store import SessionState, create_student, save_session

    with sqlite3.connect(db) as conn:
        interests = [row[0] for row in conn.execute(
            "SELECT interest_id FROM metier_interests GROUP BY interest_id ORDER BY count(*) DESC LIMIT 4")]
        sectors = [row[0] for row in conn.execute(
            "SELECT sector_id FROM metier_sectors GROUP BY sector_id ORDER BY count(*) DESC LIMIT 2")]
    database = open_database(str(db), backups=False)
    try:
        today = date.today().isoformat()
        none = create_student(database, "Sonde", "Sans intérêt")
        save_session(database, SessionState(student_id=none, date=today))
        some = create_student(database, "Sonde", "Avec intérêts")
        save_session(database, SessionState(student_id=some, date=today, interests=interests, max_bac_plus=3,
                                            min_salary=1800, sectors_wished=sectors))
    finally:
        database.close()
    return none, some


def _suggest_launches(db: Path, runs: int, workdir: Path) -> list[dict[str, float]]:
    """``runs`` probed launches of the real window opening the two probe students (offscreen)."""
    import probes

    students = [str(n) for n in add_probe_students(db)]
    env_dir = workdir / "probe"
    env_dir.mkdir(exist_ok=True)
    probes.launch(["--db", str(db), "--suggest", *students], env_dir)  # warm-up (OS cache, first open)
    return [probes.launch(["--db", str(db), "--suggest", *students], env_dir) for _ in range(runs)]


def suggest_blocks(runs: int, big: bool = True) -> dict[str, Any]:
    """Longest GUI-thread block while suggestions compute, in the real window, on the realistic
    base and (``big``) on its 100k-métier copy: worst and median over ``runs`` launches."""
    if realistic_db.shared_missing():
        return _absent("gui_max_block_ms_suggest")
    workdir = _workdir()
    result: dict[str, Any] = {"suggest_runs": runs}
    try:
        bases = {"": (REAL_STUDENTS, 0)} | ({"_100k": (0, BIG)} if big else {})
        for tag, (students, metiers) in bases.items():
            db = realistic_db.copy_to(students, metiers, workdir / f"suggest{tag}.sqlite")
            launches = _suggest_launches(db, runs, workdir)
            db.unlink()
            for key, name in (("suggest", "interets"), ("suggest_none", "sans")):
                blocks = [launch[f"{key}_max_block_ms"] for launch in launches]
                result[f"gui_max_block_ms_suggest_{name}{tag}"] = max(blocks)
                result[f"gui_max_block_ms_suggest_{name}{tag}_median"] = round(statistics.median(blocks), 1)
            # The goal's figure: the worse of the two students, worst launch.
            result[f"gui_max_block_ms_suggest{tag}"] = max(result[f"gui_max_block_ms_suggest_interets{tag}"],
                                                           result[f"gui_max_block_ms_suggest_sans{tag}"])
            result[f"suggest_shown_s{tag}"] = round(statistics.median(launch["suggest_s"] for launch in launches), 2)
            # Not while suggesting, shown apart: opening a student (its session, the page's widgets).
            result[f"gui_max_block_ms_open_student{tag}"] = max(launch["open_max_block_ms"] for launch in launches)
            result[f"gui_max_block_ms_first_open{tag}"] = max(launch["first_open_max_block_ms"] for launch in launches)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


# ------------------------------------------------------------------ filter latency at 100k
def _floor_fts(db: Path) -> Path:
    """An independent FTS5 index (name and description, prefix tokens) of the base's métiers."""
    path = db.with_name(db.stem + "-floor-fts.sqlite")
    if path.exists():
        return path
    conn = sqlite3.connect(path)
    conn.execute(f"ATTACH DATABASE '{db}' AS app")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize='unicode61 remove_diacritics 2', "
                 "prefix='3 4 5')")
    conn.execute("INSERT INTO f(rowid, title, body) SELECT pk, name || ' ' || coalesce(label_f, '') || ' ' || "
                 "coalesce(label_m, ''), coalesce(summary, '') || ' ' || search_text FROM app.metiers")
    conn.commit()
    conn.close()
    return path


def _match(text: str) -> str:
    """The floor's FTS5 query for ``text``: prefix words, all of them (≤ 2 words) or any."""
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 2]
    joiner = " AND " if len(words) <= 2 else " OR "
    return joiner.join(f'"{w}"*' for w in words)


PAGE = "SELECT m.pk, m.name, m.level_text, m.salary_min FROM metiers m {join} WHERE {where} ORDER BY {order} LIMIT 100"
FLOOR_CASES: dict[str, tuple[str, str, str]] = {  # case → (join, where, order), the app's CASES in plain SQL
    "tout": ("", "1", "m.sort_key"),
    "niveau": ("", "m.bac_plus <= 2", "m.sort_key"),
    "salaire": ("", "m.salary_min >= 2500", "m.sort_key"),
    "secteur": ("", "m.pk IN (SELECT metier_pk FROM metier_sectors WHERE sector_id = 'T-IDEO2.4869')",
                "m.sort_key"),
    "interets_un": ("", "m.pk IN (SELECT metier_pk FROM metier_interests WHERE interest_id IN "
                    "('T-IDEO2.4807', 'T-IDEO2.4812'))", "m.sort_key"),
    "interets_tous": ("", "m.pk IN (SELECT metier_pk FROM metier_interests WHERE interest_id IN "
                      "('T-IDEO2.4807', 'T-IDEO2.4812') GROUP BY metier_pk HAVING count(*) = 2)", "m.sort_key"),
    "statut": ("", "m.pk IN (SELECT metier_pk FROM metier_statuts WHERE statut_id = 'T-ITM.2')", "m.sort_key"),
    "combine": ("", "m.bac_plus <= 3 AND m.salary_min >= 2000 AND m.pk IN (SELECT metier_pk FROM metier_sectors "
                "WHERE sector_id IN ('T-IDEO2.4835', 'T-IDEO2.4869'))", "m.sort_key"),
    "tri_salaire": ("", "1", "m.salary_min DESC"),
}


def _floor_ms(conn: sqlite3.Connection, case: str, text: str | None, repeats: int,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Median ms of the floor's count and first page for one filter case (``clock``: see
    :func:`filter_bench.time_model`)."""
    if text is not None:
        join, where, order = "JOIN fts.f ON f.rowid = m.pk", "f MATCH ?", "f.rank"
        params: tuple = (_match(text),)
    else:
        join, where, order = FLOOR_CASES[case]
        params = ()
    page = PAGE.format(join=join, where=where, order=order)
    counting = f"SELECT count(*) FROM metiers m {join} WHERE {where}"
    samples = []
    for _ in range(repeats):
        started = clock()
        conn.execute(counting, params).fetchone()
        conn.execute(page, params).fetchall()
        samples.append((clock() - started) * 1000)
    return statistics.median(samples)


def filters_100k(quick: bool) -> dict[str, Any]:
    """Filter change → table model on 100k copies of real métiers: median, worst case, independent floor."""
    if realistic_db.shared_missing():
        return _absent("filter_worst_ms_100k")
    import filter_bench
    from PySide6.QtCore import QCoreApplication

    from db.storage.opening import open_database

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 (models need an application)
    db = realistic_db.build(0, BIG)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.execute(f"ATTACH DATABASE 'file:{_floor_fts(db)}?mode=ro' AS fts")
    repeats = 3 if quick else filter_bench.REPEATS
    filter_bench.REPEATS = repeats
    database = open_database(str(db), backups=False)
    app_ms: dict[str, float] = {}
    floor_ms: dict[str, float] = {}
    app_cpu: dict[str, float] = {}
    floor_cpu: dict[str, float] = {}
    try:
        for case, criteria in filter_bench.CASES.items():  # candidate and floor alternated case by case
            app_ms[case] = filter_bench.time_model(database, criteria)
            floor_ms[case] = round(_floor_ms(conn, case, criteria.text or None, repeats), 2)
            # CPU time of this process alone: what other processes on a shared machine add to the
            # wall clock is left out (both run in this process).
            app_cpu[case] = filter_bench.time_model(database, criteria, time.process_time)
            floor_cpu[case] = round(_floor_ms(conn, case, criteria.text or None, repeats, time.process_time), 2)
    finally:
        database.close()
        conn.close()
    worst = max(app_ms, key=lambda case: app_ms[case])
    return {"filter_median_ms_100k": statistics.median(app_ms.values()),
            "filter_floor_median_ms_100k": round(statistics.median(floor_ms.values()), 2),
            "filter_worst_ms_100k": app_ms[worst], "filter_worst_case_100k": worst,
            "filter_worst_floor_ms_100k": floor_ms[worst], "filter_repeats": repeats,
            "filter_detail_100k": {case: [app_ms[case], floor_ms[case]] for case in app_ms},
            "filter_worst_cpu_ms_100k": max(app_cpu.values()),
            "filter_worst_cpu_case_100k": max(app_cpu, key=lambda case: app_cpu[case]),
            "filter_cpu_detail_100k": {case: [app_cpu[case], floor_cpu[case]] for case in app_cpu}}


# ------------------------------------------------------------------ CLI as whole processes
FLOOR_STUDENTS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("SELECT id, nom, prenom, classe, last_session_on FROM students WHERE search_key LIKE ? "
                    "ORDER BY last_session_on DESC NULLS LAST, search_key, id", ("%" + sys.argv[2] + "%",)).fetchall()
for r in rows:
    print(f"{r[0]:>5}  {r[1]} {r[2]}  {r[3] or ''}  dernier entretien : {r[4] or '-'}")
print(len(rows), "eleve(s)")
"""


def _wall_s(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one whole process."""
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - started


def cli_students(runs: int) -> dict[str, Any]:
    """``orientation students list --texte mar`` vs a plain sqlite3 script, alternated, whole processes."""
    if realistic_db.shared_missing():
        return _absent("cli_students_ratio_real")
    workdir = _workdir()
    try:
        db = realistic_db.copy_to(REAL_STUDENTS, 0, workdir / "reel.sqlite")
        env = _env(workdir)
        app = [ORIENTATION, "students", "list", "--texte", "mar", "--db", str(db)]
        floor = [PYTHON, "-c", FLOOR_STUDENTS, str(db), "mar"]
        _wall_s(app, env), _wall_s(floor, env)  # warm-up (and the day's first open)
        apps, floors = [], []
        for _ in range(runs):
            apps.append(_wall_s(app, env))
            floors.append(_wall_s(floor, env))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    app_s, floor_s = statistics.median(apps), statistics.median(floors)
    return {"cli_students_s_real": round(app_s, 3), "cli_students_floor_s_real": round(floor_s, 3),
            "cli_students_ratio_real": round(app_s / floor_s, 2), "cli_students_runs": runs}


PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def export_peak() -> dict[str, Any]:
    """Peak resident memory of ``orientation export`` (JSON) at 100k métiers, a process of its own."""
    if realistic_db.shared_missing():
        return _absent("export_peak_mb_100k")
    workdir = _workdir()
    try:
        db = realistic_db.copy_to(0, BIG, workdir / "m100k.sqlite")
        env = _env(workdir)
        started = time.perf_counter()
        out = subprocess.run([PYTHON, "-c", PEAK, ORIENTATION, "export", "--format", "json", "--db", str(db)],
                             capture_output=True, text=True, check=True, env=env).stdout
        seconds = time.perf_counter() - started
        floor = subprocess.run([PYTHON, "-c", PEAK, PYTHON, "-c", "import sqlite3"], capture_output=True,
                               text=True, check=True, env=env).stdout
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"export_peak_mb_100k": round(float(out.split()[-1]), 1), "export_s_100k": round(seconds, 1),
            "export_floor_mb": round(float(floor.split()[-1]), 1)}


PARSE_ONLY = """
import sys
sys.path.insert(0, sys.argv[1])
from db.catalogue.importers import parse_path
from db.catalogue.importing import expand_paths
for path in expand_paths(sys.argv[2:]):
    parse_path(path)
"""


# The rows the import wrote (métiers with their indexed text, sections), written again into the
# starter base by plain sqlite3 in one transaction: the full-text index's triggers do their
# work, nothing is parsed or computed. What any import of these fiches must at least spend.
WRITE_ONLY = """
import sqlite3, sys
imported, target = sys.argv[1:3]
db = sqlite3.connect(target, isolation_level=None)
db.execute("PRAGMA journal_mode = WAL"); db.execute("PRAGMA synchronous = NORMAL")
db.execute("ATTACH ? AS imported", (imported,))
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO main.metiers SELECT * FROM imported.metiers WHERE source_kind = 'onisep-md'")
db.execute("INSERT INTO main.metier_sections SELECT s.* FROM imported.metier_sections s "
           "JOIN imported.metiers m ON m.pk = s.metier_pk WHERE m.source_kind = 'onisep-md'")
db.execute("COMMIT")
"""


def onisep_cli(runs: int) -> dict[str, Any]:
    """``orientation import`` of the 893 ONISEP Markdown fiches into a new base (starter catalogue
    only), a whole process, vs a process that only parses them and one that only writes the
    rows the import wrote (:data:`WRITE_ONLY`); alternated."""
    folder = realistic_db.SHARED_DATA / "onisep-metiers-md"
    if not folder.exists():
        return _absent("import_onisep_cli_s")
    workdir = _workdir()
    imports, parses, writes = [], [], []
    try:
        env = _env(workdir)
        for n in range(runs):
            db = workdir / f"import-{n}.sqlite"
            shutil.copyfile(starter_db(workdir), db)
            imports.append(_wall_s([ORIENTATION, "import", str(folder), "--db", str(db)], env))
            parses.append(_wall_s([PYTHON, "-c", PARSE_ONLY, str(ROOT), str(folder)], env))
            again = workdir / f"write-{n}.sqlite"
            shutil.copyfile(starter_db(workdir), again)
            writes.append(_wall_s([PYTHON, "-c", WRITE_ONLY, str(db), str(again)], env))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"import_onisep_cli_s": round(statistics.median(imports), 2),
            "import_onisep_parse_only_s": round(statistics.median(parses), 2),
            "import_onisep_write_only_s": round(statistics.median(writes), 2), "import_onisep_runs": runs}


# ------------------------------------------------------------------ ROME import vs parsing
def _timed(work: Callable[[], object]) -> float:
    """Seconds taken by ``work()``."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def rome_import(runs: int) -> dict[str, Any]:
    """The ROME folder imported into the real catalogue (starter + ONISEP), vs parsing it only."""
    rome = realistic_db.SHARED_DATA / "rome-v460"
    if not rome.exists():
        return _absent("rome_import_ratio")
    from db.catalogue.importers import parse_path
    from db.catalogue.importing import expand_paths, import_paths
    from db.storage.opening import open_database

    base = realistic_db.onisep_base()
    workdir = _workdir()
    imports, parses = [], []
    try:
        for n in range(runs):
            path = workdir / f"rome-{n}.sqlite"
            shutil.copyfile(base, path)
            database = open_database(str(path), backups=False)
            try:
                imports.append(_timed(lambda db=database: import_paths(db, [rome])))
            finally:
                database.close()
            parses.append(_timed(lambda: [parse_path(p) for p in expand_paths([rome])]))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    import_s, parse_s = statistics.median(imports), statistics.median(parses)
    return {"rome_import_s": round(import_s, 2), "rome_parse_only_s": round(parse_s, 2),
            "rome_import_ratio": round(import_s / parse_s, 2), "rome_runs": runs}
