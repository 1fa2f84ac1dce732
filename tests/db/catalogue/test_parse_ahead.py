"""Parsing ahead in a child process: the import writes exactly what it wrote parsing each file
itself, and a cancel, a crash of the child or a parser failure change nothing a user sees."""
from __future__ import annotations

import json
import logging
import os
import time

import pytest
from sqlalchemy import text

from db.catalogue import importing, parse_ahead
from db.catalogue.importing import import_paths
from db.catalogue.search import Criteria, search
from db.catalogue.search_index import SEARCH_COLUMNS, reindex
from tests.conftest import DATA

pytestmark = pytest.mark.skipif(not parse_ahead.available(),
                                reason="pas de fork ici : l'import lit chaque fichier lui-même")


def fiche_folder(tmp_path, n: int = 30):
    """``n`` one-fiche files (more than parse_ahead.MIN_FILES), with synonyms and sections."""
    template = json.loads((DATA / "mini.jsonl").read_text(encoding="utf-8").splitlines()[0])
    folder = tmp_path / "fiches"
    folder.mkdir(parents=True)
    for number in range(n):
        fiche = {**template, "id": f"ORI.avance-{number}", "nom": f"métier d'essai {number} infirmières"}
        (folder / f"f-{number:03d}.jsonl").write_text(json.dumps(fiche, ensure_ascii=False), encoding="utf-8")
    return folder


def indexed_rows(database) -> list[tuple]:
    with database.read() as session:
        return [tuple(row) for row in session.execute(text(
            f"SELECT id, {', '.join(SEARCH_COLUMNS)} FROM metiers ORDER BY id"))]


def titles(database, words: str) -> list[str]:
    with database.read() as session:
        return [row.name for row in search(session, Criteria(text=words), limit=100)]


def test_the_same_rows_and_search_results_as_parsing_each_file_here(empty_db, tmp_path, monkeypatch):
    folder = fiche_folder(tmp_path)
    monkeypatch.setattr(importing, "PARSE_AHEAD", False)
    assert import_paths(empty_db, [folder]).created == 30
    here, found_here = indexed_rows(empty_db), titles(empty_db, "infirmière essai")
    with empty_db.write() as session:  # blanked, so that the import below must write it all again
        session.execute(text("UPDATE metiers SET " + ", ".join(f"{c} = ''" for c in SEARCH_COLUMNS)))
    assert titles(empty_db, "infirmière essai") == []
    monkeypatch.setattr(importing, "PARSE_AHEAD", True)
    summary = import_paths(empty_db, [folder])  # the same fiches again: updated in place
    assert summary.updated == 30 and not summary.refused
    assert indexed_rows(empty_db) == here and len(here) == 30
    assert titles(empty_db, "infirmière essai") == found_here != []
    # The text written from the records is what the rows say: recomputing it changes nothing.
    with empty_db.write() as session:
        reindex(session.connection())
    assert indexed_rows(empty_db) == here
    if empty_db.engine.dialect.name == "sqlite":  # the full-text index says what the rows say
        with empty_db.write() as session:
            session.execute(text("INSERT INTO metier_fts(metier_fts, rank) VALUES ('integrity-check', 1)"))


def test_a_parser_failure_in_the_child_refuses_that_file_and_is_logged_here(empty_db, tmp_path, monkeypatch,
                                                                            caplog):
    folder = fiche_folder(tmp_path)
    real = importing.parse_path

    def failing(path):
        if path.name == "f-007.jsonl":
            raise RuntimeError("bogue simulé")
        return real(path)

    monkeypatch.setattr(importing, "parse_path", failing)  # the forked child has it too
    with caplog.at_level(logging.ERROR):
        summary = import_paths(empty_db, [folder])
    refused = [f for f in summary.files if f.refused]
    assert [f.path.rsplit("/", 1)[1] for f in refused] == ["f-007.jsonl"]
    assert "erreur interne" in refused[0].reason and summary.created == 29
    assert any("parser failure" in r.getMessage() and "bogue simulé" in r.getMessage() for r in caplog.records)


def test_if_the_child_dies_the_remaining_files_are_parsed_here(empty_db, tmp_path, monkeypatch):
    folder = fiche_folder(tmp_path)
    parent = os.getpid()
    real = importing.parse_path

    def dying(path):
        if os.getpid() != parent and path.name == "f-005.jsonl":
            os._exit(3)  # the child, killed while parsing
        return real(path)

    monkeypatch.setattr(importing, "parse_path", dying)
    summary = import_paths(empty_db, [folder])
    assert summary.created == 30 and not summary.refused and not summary.interrupted
    with empty_db.read() as session:
        assert session.execute(text("SELECT count(*) FROM metiers WHERE id LIKE 'ORI.avance-%'")).scalar_one() == 30


def test_a_cancel_keeps_what_was_committed_and_stops_the_child(empty_db, tmp_path, monkeypatch):
    folder = fiche_folder(tmp_path, 40)
    monkeypatch.setattr(importing, "GROUP_MAX_FILES", 10)
    monkeypatch.setattr(importing, "GROUP_SECONDS", 3600.0)
    children = []
    real = parse_ahead.ParseAhead.close

    def close(self):
        children.append(self.pid)
        real(self)

    monkeypatch.setattr(parse_ahead.ParseAhead, "close", close)
    summary = import_paths(empty_db, [folder], progress=lambda done, total, name: done < 25)
    assert len(summary.files) == 25 and summary.created == 25
    with empty_db.read() as session:
        assert session.execute(text("SELECT count(*) FROM metiers WHERE id LIKE 'ORI.avance-%'")).scalar_one() == 25
    assert len(children) == 1
    with pytest.raises(ProcessLookupError):  # killed and waited for: no such process any more
        os.kill(children[0], 0)


def test_few_files_or_a_dry_run_start_no_child(empty_db, tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(parse_ahead.ParseAhead, "__init__",
                        lambda self, *args: started.append(args) or (_ for _ in ()).throw(AssertionError))
    few = fiche_folder(tmp_path / "peu", parse_ahead.MIN_FILES - 1)
    assert import_paths(empty_db, [few]).created == parse_ahead.MIN_FILES - 1
    many = fiche_folder(tmp_path / "beaucoup", 20)
    assert [f.status for f in import_paths(empty_db, [many], dry_run=True).files] == ["vérifié"] * 20
    assert started == []


def test_the_rome_tables_are_parsed_here(empty_db, monkeypatch):
    # Fast to parse and large once parsed: passing them from a child cost more than it saved.
    from tests.conftest import shared_path

    started = []
    monkeypatch.setattr(parse_ahead.ParseAhead, "__init__",
                        lambda self, *args: started.append(args) or (_ for _ in ()).throw(AssertionError))
    assert import_paths(empty_db, [shared_path("data", "rome-v460")]).refused == 0
    assert started == []


def test_the_writer_writes_what_is_parsed_rather_than_wait_for_a_slow_child(empty_db, tmp_path, monkeypatch):
    folder = fiche_folder(tmp_path)
    monkeypatch.setattr(importing, "GROUP_SECONDS", 3600.0)  # only the parse's pace ends the first group
    parent = os.getpid()
    real = importing.parse_path

    def slow(path):
        if os.getpid() != parent and 10 <= int(path.stem[2:]) < 15:
            time.sleep(0.3)  # the child, slow on these files
        return real(path)

    monkeypatch.setattr(importing, "parse_path", slow)
    committed: dict[int, int] = {}

    def progress(done, total, name):
        if done == 14:  # file 14 not taken yet: it is still being parsed
            with empty_db.read() as session:
                committed[done] = session.execute(text(
                    "SELECT count(*) FROM metiers WHERE id LIKE 'ORI.avance-%'")).scalar_one()
        return True

    summary = import_paths(empty_db, [folder], progress=progress)
    assert summary.created == 30 and not summary.refused
    # Without the rule, one group would have held the 30 files: nothing committed at file 14.
    assert committed[14] >= importing.GROUP_MIN_FILES
