"""Whatever a user types or picks, the command answers one French sentence, never "Erreur
inattendue", never hangs, and a refused file changes nothing."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.storage import backup
from db.storage.opening import open_database
from db.students.store import create_student

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def assert_french_refusal(done: subprocess.CompletedProcess) -> None:
    assert done.returncode != 0, done.stdout
    out = done.stdout + done.stderr
    assert "inattendue" not in out and "Traceback" not in out, out
    assert "Erreur : " in out or "refusé" in out, out


@pytest.fixture
def base(tmp_path) -> Path:
    path = tmp_path / "base.sqlite"
    database = open_database(str(path), load_starter=False)
    create_student(database, "Témoin", "Léa")
    database.close()
    return path


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "tube.json"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("source", ["fifo", "/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["import", "students import", "restore"])
def test_special_files_are_refused_at_once_as_every_kind_of_input(base, fifo, source, command):
    path = str(fifo) if source == "fifo" else source
    before = base.read_bytes()
    args = {"import": ["import", path], "students import": ["students", "import", path],
            "restore": ["restore", path, "--yes"]}[command]
    done = cli(*args, "--db", str(base), timeout=30)  # a hang would raise TimeoutExpired
    assert_french_refusal(done)
    assert "fichier ordinaire" in done.stdout + done.stderr
    assert base.read_bytes() == before


def test_backup_onto_a_folder_or_a_fifo_is_refused_and_leaves_no_temporary_file(base, fifo, tmp_path):
    for target in (tmp_path, fifo):
        done = cli("backup", "--out", str(target), "--db", str(base))
        assert_french_refusal(done)
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_export_into_a_closed_pipe_is_not_an_error(base):
    done = subprocess.run(f'"{sys.executable}" -m desktop.cli export --format csv --db "{base}" | head -1',
                          shell=True, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("id,") and done.stderr == "", done.stderr


@pytest.mark.parametrize("args", [["suggest", "99999999999999999999999"], ["students", "erase", "-5", "--yes"],
                                  ["report", "1e400", "--out", "x.pdf"]])
def test_record_numbers_out_of_range_are_refused_in_french(base, args):
    done = cli(*args, "--db", str(base))
    assert done.returncode == 2 and "numéro" in done.stderr and "inattendue" not in done.stderr, done.stderr


def test_a_server_address_without_its_driver_is_explained(base):
    done = cli("students", "list", "--db", "postgresql://conseil@127.0.0.1:1/orientation")
    assert_french_refusal(done)


def test_restore_refuses_a_newer_schema_and_a_planted_trigger(base, tmp_path):
    before = base.read_bytes()
    newer = backup.backup_to(base, tmp_path / "plus-recente.sqlite")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    planted = backup.backup_to(base, tmp_path / "piegee.sqlite")
    with sqlite3.connect(planted) as conn:
        conn.execute("CREATE TABLE butin (texte TEXT)")
        conn.execute("CREATE TRIGGER vol BEFORE DELETE ON sessions BEGIN "
                     "INSERT INTO butin VALUES (old.private_notes); END")
    for path, words in ((newer, "version plus récente"), (planted, "éléments en trop")):
        done = cli("restore", str(path), "--yes", "--db", str(base))
        assert_french_refusal(done)
        assert words in done.stderr, done.stderr
    assert base.read_bytes() == before


def test_an_older_known_schema_is_restored_and_brought_up_to_date(base, tmp_path):
    from db.storage.migrate import upgrade_if_behind
    from sqlalchemy.engine import URL

    old = tmp_path / "ancienne.sqlite"
    upgrade_if_behind(URL.create("sqlite", database=str(old)).render_as_string(), "0004")
    done = cli("restore", str(old), "--yes", "--db", str(base))
    assert done.returncode == 0, done.stderr
    done = cli("students", "list", "--db", str(base))
    assert done.returncode == 0 and "0 élève(s)" in done.stdout, done.stderr


def test_undecodable_characters_in_a_name_are_refused_in_french(base):
    done = subprocess.run([sys.executable.encode(), b"-m", b"desktop.cli", b"students", b"add", b"--nom", b"Zq\xff",
                           b"--prenom", b"P", b"--db", str(base).encode()], cwd=ROOT, capture_output=True, timeout=60)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2 and "caractères illisibles" in err and "Traceback" not in err, err


def test_a_real_bug_is_logged_and_said_in_one_french_line(base, monkeypatch, capsys, caplog):
    from desktop import cli

    def broken(_args):
        raise RuntimeError("bogue de test")
    monkeypatch.setitem(cli._COMMANDS, "search", broken)
    assert cli.main(["search", "--db", str(base)]) == 1
    assert capsys.readouterr().err.startswith("Erreur inattendue : le détail est dans le journal")
    assert "bogue de test" in caplog.text  # the traceback goes to the log


def test_outputs_never_replace_a_fifo_or_a_device(base, fifo, tmp_path):
    for args in (["students", "export", "1", "--out", str(fifo)], ["report", "1", "--out", str(fifo)]):
        done = cli(*args, "--db", str(base))
        assert_french_refusal(done)
        assert fifo.is_fifo()


@pytest.mark.parametrize("url", ["sqlite:///{fifo}", "sqlite://", "sqlite:///:memory:"])
def test_sqlite_addresses_get_the_same_checks_as_paths(fifo, url):
    done = cli("students", "list", "--db", url.format(fifo=fifo))
    assert_french_refusal(done)
    assert fifo.is_fifo()


@pytest.mark.parametrize("args, words", [(["report", "99", "--out", "x.pdf"], "aucun élève n'a le numéro 99"),
                                         (["report", "1", "--seance", "2020-13-01", "--out", "x.pdf"],
                                          "date invalide")])
def test_a_bilan_asked_for_the_wrong_student_or_date_says_which(base, args, words):
    done = cli(*args, "--db", str(base))
    assert done.returncode == 2 and words in done.stderr, done.stderr
