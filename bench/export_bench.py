"""Peak memory of ``orientation export`` as a whole process, on synthetic catalogues, as JSON.

    python bench/export_bench.py [--sizes 10000 100000]

The catalogues are those of ``bench/filter_bench.py`` (generated once, cached under /tmp). Each
export runs as its own process writing to /dev/null; its peak resident memory (ru_maxrss) is
printed beside the goal (≤ 300 MB at 100k métiers) and beside a process that only opens the
database, so the figure that grows with the catalogue stands out.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ORIENTATION_NO_BACKGROUND_CHECK", "1")

GOAL_MB_100K = 300
_OPEN_ONLY = "import sys; from desktop.cli.common import open_database_for; import argparse; " \
             "open_database_for(argparse.Namespace(db=sys.argv[1]), writes=False)"


def peak_mb(command: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of ``command`` run alone, its output thrown away."""
    start = time.perf_counter()
    pid = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).pid
    _, status, usage = os.wait4(pid, 0)
    if status:
        raise SystemExit(f"échec de {' '.join(command)}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start


def catalogue_path(size: int) -> str:
    """The synthetic catalogue of ``size`` métiers, made by a separate process: a process forked
    from a large parent would count the parent's memory in its own peak."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from bench.filter_bench import catalogue; "
            "d = catalogue(int(sys.argv[2])); print(d.url.split('///', 1)[1]); d.close()")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT), str(size)], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    result: dict[str, object] = {}
    for size in args.sizes:
        path = catalogue_path(size)
        export_mb, export_s = peak_mb([sys.executable, "-m", "desktop.cli", "export", "--db", path])
        csv_mb, _ = peak_mb([sys.executable, "-m", "desktop.cli", "export", "--format", "csv", "--db", path])
        open_mb, _ = peak_mb([sys.executable, "-c", _OPEN_ONLY, path])
        label = f"{size // 1000}k"
        result[f"export_peak_mb_{label}"] = round(export_mb, 1)
        result[f"export_csv_peak_mb_{label}"] = round(csv_mb, 1)
        result[f"open_only_peak_mb_{label}"] = round(open_mb, 1)
        result[f"export_s_{label}"] = round(export_s, 2)
    result["goal_export_peak_mb_100k"] = GOAL_MB_100K
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
