"""The window's import in a process of its own: same result as in this process, really elsewhere,
and a cancel that leaves every file whole or absent."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import func, select

from db.catalogue.import_process import import_in_process
from db.catalogue.importing import GROUP_MAX_FILES, import_paths
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


def test_the_child_gives_the_same_summary_as_an_import_here(empty_db, tmp_path, monkeypatch):
    files = _files(tmp_path)
    (tmp_path / "db").mkdir()  # started from a folder holding a "db" package: the child's is still ours
    (tmp_path / "db" / "__init__.py").write_text("raise ImportError('pas celui-ci')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
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


def test_a_cancel_stops_between_two_files_and_keeps_each_file_whole(tmp_path, monkeypatch):
    """The child's first group waits for the write lock this test holds until the cancel is sent:
    the cancel is seen before the next group, whatever the machine's load (on a loaded machine
    it may even be seen before the first file: then nothing is written)."""
    import sqlite3

    import db.catalogue.import_process as import_process

    path = tmp_path / "annule.sqlite"
    database = open_database(str(path), load_starter=False)
    paths = []
    for n in range(150):
        paths.append(tmp_path / f"f{n:03}.jsonl")
        paths[-1].write_bytes((DATA / "mini.jsonl").read_bytes())
    lock = sqlite3.connect(path, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    send = import_process._send

    def send_then_unlock(stream, line):
        send(stream, line)
        if line == "cancel":
            lock.execute("ROLLBACK")

    monkeypatch.setattr(import_process, "_send", send_then_unlock)
    try:
        summary = import_in_process(database.url, paths, progress=lambda *_step: False)
        assert len(summary.files) <= GROUP_MAX_FILES < len(paths)  # at most the group waiting for the lock
        assert _count(database, ImportLog) == len(summary.files)  # each file reported is written whole
    finally:
        lock.close()
        database.close()


def test_cancelled_before_it_begins_starts_no_process(empty_db):
    pids: list[int] = []
    summary = import_in_process(empty_db.url, [DATA / "mini.jsonl"], started=pids.append, cancelled=lambda: True)
    assert summary.files == [] and pids == []
    assert _count(empty_db, Metier) == 0


def test_the_bundle_s_executable_runs_the_child_when_asked(empty_db, tmp_path):
    """Frozen, the child is the application's own executable started with ORIENTATION_IMPORT_CHILD
    (there is no ``python -m`` in the bundle): its entry point answers as the child."""
    import json
    import subprocess
    import sys

    from db.catalogue.import_process import CHILD_ENV

    root = Path(__file__).resolve().parents[3]
    frozen_entry = "import sys; sys.frozen = True; from desktop.cli import main; sys.exit(main())"
    request = json.dumps({"url": empty_db.url, "paths": [str(DATA / "mini.jsonl")]}) + "\n"
    child = subprocess.Popen([sys.executable, "-c", frozen_entry], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, CHILD_ENV: "1", "PYTHONPATH": str(root)})
    child.stdin.write(request)
    child.stdin.flush()  # kept open until the end: its closing means "the window is gone, stop"
    messages = []
    for line in child.stdout:
        messages.append(json.loads(line))
        if "summary" in messages[-1]:
            break
    child.stdin.close()
    err = child.stderr.read()
    child.wait(120)
    child.stdout.close()
    child.stderr.close()
    assert child.returncode == 0 and messages and messages[0]["pid"] != os.getpid(), err
    assert messages[-1]["summary"]["files"][0]["created"] == 8
    assert _count(empty_db, Metier) == 8


def test_a_read_only_catalogue_is_refused_with_the_same_sentence(empty_db):
    """The local catalogue opened while the server is away: the child refuses as the window did."""
    import pytest

    from db.errors import UserError

    with pytest.raises(UserError, match="lecture seule"):
        import_in_process(empty_db.url, [DATA / "mini.jsonl"], read_only=True)
    assert _count(empty_db, Metier) == 0
