"""The window's import in a process of its own: same result as in this process, really elsewhere,
and a cancel that leaves every file whole or absent."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from db.catalogue.import_process import import_in_process
from db.catalogue.importing import import_paths
from db.models import ImportLog, Metier
from db.storage.opening import open_database
from tests.conftest import DATA


def _files(folder: Path) -> list[Path]:
    bad = folder / "vide.txt"
    bad.write_bytes(b"")
    broken = folder / "casse.jsonl"
    broken.write_text('{"format": "orientation-fiche/1", "id": "ORI.x", "nom": "x"}\n{pas du json\n', encoding="utf-8")
    return [DATA / "mini.jsonl", bad, broken]


def _count(database, model) -> int:
    with database.read() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_the_child_gives_the_same_summary_as_an_import_here(empty_db, tmp_path):
    files = _files(tmp_path)
    pids: list[int] = []
    reported: list[tuple[int, int, str]] = []
    summary = import_in_process(empty_db.url, files, started=pids.append,
                                progress=lambda *step: reported.append(step) or True)
    assert pids and pids[0] != os.getpid()  # the work ran in another process
    here = open_database(str(tmp_path / "ici.sqlite"), load_starter=False)
    try:
        expected = import_paths(here, files)
        assert [f.line() for f in summary.files] == [f.line() for f in expected.files]
        assert summary.total_line() == expected.total_line()
        assert _count(empty_db, Metier) == _count(here, Metier) == 8
    finally:
        here.close()
    assert reported[-1] == (3, 3, "")  # the last step says every file was read


def test_a_cancel_stops_between_two_files_and_keeps_each_file_whole(empty_db, tmp_path):
    paths = []
    for n in range(150):
        paths.append(tmp_path / f"f{n:03}.jsonl")
        paths[-1].write_bytes((DATA / "mini.jsonl").read_bytes())
    summary = import_in_process(empty_db.url, paths, progress=lambda *_step: False)
    assert 0 < len(summary.files) < len(paths)
    assert _count(empty_db, ImportLog) == len(summary.files)  # each file reported is written whole


def test_cancelled_before_it_begins_starts_no_process(empty_db):
    pids: list[int] = []
    summary = import_in_process(empty_db.url, [DATA / "mini.jsonl"], started=pids.append, cancelled=lambda: True)
    assert summary.files == [] and pids == []
    assert _count(empty_db, Metier) == 0
