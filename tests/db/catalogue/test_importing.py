"""Import runs: groups of files, each file whole or not at all, results per file."""
from __future__ import annotations

import json

import db.catalogue.importing as importing
from db.errors import UserError
from db.catalogue.importing import import_paths
from db.catalogue.search import Criteria, count
from tests.conftest import DATA


def split_fiches(tmp_path, n: int = 4) -> list:
    lines = (DATA / "mini.jsonl").read_text(encoding="utf-8").splitlines()
    tmp_path = tmp_path / "fiches"
    tmp_path.mkdir(exist_ok=True)
    paths = []
    for i in range(n):
        path = tmp_path / f"fiches-{i}.jsonl"
        path.write_text("\n".join(lines[2 * i:2 * i + 2]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_a_folder_is_imported_with_one_result_per_file(empty_db, tmp_path):
    folder = split_fiches(tmp_path)[0].parent
    (folder / "casse.jsonl").write_text('{"format": "orientation-fiche/1", "id": "ORI.x"\n', encoding="utf-8")
    summary = import_paths(empty_db, [folder])
    assert [(p.path.rsplit("/", 1)[1], p.status, p.created) for p in summary.files] == [
        ("casse.jsonl", "refusé", 0), ("fiches-0.jsonl", "importé", 2), ("fiches-1.jsonl", "importé", 2),
        ("fiches-2.jsonl", "importé", 2), ("fiches-3.jsonl", "importé", 2)]
    assert summary.files[0].reason.startswith("ligne 1 : JSON invalide")
    with empty_db.read() as session:
        assert count(session, Criteria()) == 8


def test_when_the_group_write_fails_each_file_is_written_on_its_own(empty_db, tmp_path, monkeypatch):
    def failing(*args, **kwargs):
        raise UserError("échec simulé du lot")

    monkeypatch.setattr(importing, "upsert_batch", failing)
    summary = import_paths(empty_db, split_fiches(tmp_path))
    assert [f.status for f in summary.files] == ["importé"] * 4
    with empty_db.read() as session:
        assert count(session, Criteria()) == 8


def test_progress_can_stop_an_import(empty_db, tmp_path):
    paths = split_fiches(tmp_path)
    seen = []

    def progress(done, total, name):
        seen.append((done, total))
        return done < 2

    summary = import_paths(empty_db, paths, progress=progress)
    assert len(summary.files) == 2 and seen[0] == (0, 4)
    with empty_db.read() as session:
        assert count(session, Criteria()) == 4
    assert json.loads((DATA / "mini.jsonl").read_text(encoding="utf-8").splitlines()[0])["id"] == "ORI.aide-soignant"


def test_ctrl_c_during_an_import_keeps_and_reports_what_was_committed(empty_db, tmp_path, monkeypatch):
    import json

    from db.catalogue import importing
    from tests.conftest import DATA

    template = json.loads((DATA / "mini.jsonl").read_text(encoding="utf-8").splitlines()[0])
    folder = tmp_path / "fiches"
    folder.mkdir()
    for number in range(200):
        fiche = {**template, "id": f"ORI.ctrlc-{number}", "nom": f"métier {number}"}
        (folder / f"f-{number:03d}.jsonl").write_text(json.dumps(fiche, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(importing, "GROUP_MAX_FILES", 50)
    # Groups of exactly 50 files: on a loaded machine the 0.25 s limit closed them earlier.
    monkeypatch.setattr(importing, "GROUP_SECONDS", 3600.0)
    monkeypatch.setattr(importing, "GROUP_MIN_FILES", 50)  # nor a file parsed ahead not ready yet
    seen = []

    def progress(done, total, name):
        seen.append(done)
        if done == 120:
            raise KeyboardInterrupt
        return True
    summary = importing.import_paths(empty_db, [folder], progress=progress)
    assert summary.interrupted and "Ctrl+C" in summary.total_line()
    with empty_db.read() as session:
        stored = session.execute(__import__("sqlalchemy").text("SELECT count(*) FROM metiers")).scalar_one()
    assert stored == len(summary.files) == 100 and summary.not_done == 100
