"""A folder of fiches with one sub-folder this account cannot read: the others are imported, the
unreadable one is one refused line (it stopped the whole import with « accès refusé »)."""
from __future__ import annotations

import os
import shutil

from db.catalogue.importing import import_paths
from tests.conftest import DATA


def test_an_unreadable_sub_folder_is_refused_and_the_rest_imported(empty_db, tmp_path, monkeypatch):
    shutil.copy(DATA / "mini.jsonl", tmp_path / "fiches.jsonl")
    locked = tmp_path / "prive"
    locked.mkdir()
    (locked / "autres.jsonl").write_text("", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path=None):  # type: ignore[no-untyped-def]
        if path is not None and os.fspath(path) == str(locked):  # root reads anything: denied here
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path) if path is not None else real_scandir()

    monkeypatch.setattr(os, "scandir", scandir)
    summary = import_paths(empty_db, [tmp_path])
    lines = [result.line() for result in summary.files]
    assert summary.created == 8
    assert any(line.startswith(f"{locked} : refusé — illisible (droits insuffisants)") for line in lines)
    assert not any("autres.jsonl" in line for line in lines)
