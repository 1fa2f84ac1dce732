"""Opening a database: each problem gets its own French sentence and changes nothing; a new
database appears whole; files are private whatever the umask; the log holds no student content."""
from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from db.storage import backup, integrity
from db.storage.opening import open_database
from db.errors import UserError
from db.storage.paths import data_dir, log_dir
from db.students.store import create_student
from desktop.cli import main
from tests.conftest import damage

ROOT = Path(__file__).resolve().parents[3]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def small_filesystem(folder: Path, size_kb: int, read_only: bool = False) -> Iterator[Path]:
    """A real tmpfs of ``size_kb`` mounted on ``folder`` (root only: skipped elsewhere)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("monter un petit système de fichiers demande les droits d'administrateur")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode:
        pytest.skip(f"montage impossible ici : {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


# ------------------------------------------------------------------ refused before anything is written
@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_a_database_path_that_is_not_a_file_is_refused_at_once(tmp_path, kind):
    target = {"folder": tmp_path, "device": Path("/dev/zero")}.get(kind, tmp_path / "tube")
    if kind == "fifo":
        os.mkfifo(target)
    began = time.monotonic()
    done = cli("students", "list", "--db", str(target))
    assert time.monotonic() - began < 30 and done.returncode == 2
    assert done.stderr.startswith("Erreur : ") and "inattendue" not in done.stderr
    assert ("est un dossier" in done.stderr) if kind == "folder" else ("n'est pas un fichier ordinaire" in done.stderr)


def test_another_programs_file_is_not_touched(tmp_path):
    foreign = tmp_path / "carnet.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE contacts (nom TEXT)")
    before = foreign.read_bytes()
    with pytest.raises(UserError, match="d'un autre programme"):
        open_database(str(foreign))
    assert foreign.read_bytes() == before
    text = tmp_path / "notes.sqlite"
    text.write_text("des notes, pas une base" * 50)
    with pytest.raises(UserError, match="fichier d'un autre type"):
        open_database(str(text))


@pytest.mark.sqlite_only(reason="contrôles du fichier SQLite à l'ouverture (version, troncature, restauration)")
def test_a_newer_versions_database_is_refused_and_left_as_it_is(db_path):
    open_database(str(db_path), load_starter=False).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042'")
    before = db_path.read_bytes()
    done = cli("students", "list", "--db", str(db_path))
    assert done.returncode == 2 and "version plus récente d'Orientation" in done.stderr, done.stderr
    assert db_path.read_bytes() == before


@pytest.mark.sqlite_only(reason="contrôles du fichier SQLite à l'ouverture (version, troncature, restauration)")
def test_the_restore_hint_of_a_damaged_database_names_that_database(db_path):
    open_database(str(db_path), load_starter=False).close()
    damage(db_path)
    integrity.run_check(db_path)  # what the background check does (see test_integrity.py)
    done = cli("students", "list", "--db", str(db_path))
    assert done.returncode == 2 and f'--db "{db_path}" --yes' in done.stderr, done.stderr


def test_a_read_only_folder_is_not_called_damaged(tmp_path):
    folder = tmp_path / "lecture-seule"
    with small_filesystem(folder, 20_000):
        open_database(str(folder / "base.sqlite"), load_starter=False).close()
        remount_read_only(folder)
        done = cli("students", "list", "--db", str(folder / "base.sqlite"))
        assert done.returncode == 2 and "lecture seule" in done.stderr and "endommagée" not in done.stderr, done.stderr
        # A command that creates a new base there (a listing refuses a base that does not exist).
        done = cli("students", "add", "--nom", "Neuve", "--prenom", "Base", "--db", str(folder / "nouvelle.sqlite"))
        assert done.returncode == 2 and "lecture seule" in done.stderr, done.stderr


# ------------------------------------------------------------------ a full disk
def test_a_full_disk_at_first_start_leaves_no_half_made_database(tmp_path):
    folder = tmp_path / "petit"
    with small_filesystem(folder, 600):
        done = cli("students", "add", "--nom", "Premier", "--prenom", "Élève", "--db", str(folder / "base.sqlite"))
        assert done.returncode == 2 and "disque est plein" in done.stderr, done.stderr
        assert "inattendue" not in done.stderr
        assert list(folder.iterdir()) == []  # nothing half-made, no temporary file


def test_a_full_disk_for_the_daily_backup_warns_but_opens_and_erasing_still_works(tmp_path, monkeypatch):
    made = tmp_path / "base.sqlite"
    database = open_database(str(made), load_starter=False, backups=False)
    student = create_student(database, "Garder", "Léa")
    database.close()
    folder = tmp_path / "presque-plein"
    with small_filesystem(folder, made.stat().st_size // 1024 + 120):
        shutil.copy(made, folder / "base.sqlite")
        done = cli("students", "add", "--nom", "Autre", "--prenom", "Élève", "--db", str(folder / "base.sqlite"))
        assert done.returncode == 0, done.stderr  # a command that writes makes the day's backup
        assert "Attention : la sauvegarde du jour n'a pas pu être faite" in done.stderr and "plein" in done.stderr
        done = cli("students", "erase", str(student), "--yes", "--db", str(folder / "base.sqlite"))
        assert done.returncode == 0 and "effacé définitivement" in done.stdout, done.stderr
        assert not [p for p in folder.rglob("*.tmp")]


# ------------------------------------------------------------------ an interrupted first start
def test_a_first_start_killed_at_any_moment_ends_with_the_whole_catalogue(tmp_path):
    path = tmp_path / "base.sqlite"
    for attempt in range(4):
        child = subprocess.Popen([sys.executable, "-c", f"from db.storage.opening import open_database; "
                                  f"open_database({str(path)!r})"], cwd=ROOT)
        deadline = time.monotonic() + 120
        # Kill it once the new database is being written (its temporary file exists), a little later each time.
        while not list(tmp_path.glob(".base.sqlite.creation-*.tmp")) and child.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(0.05 * attempt)
        child.kill()
        child.wait()
        assert not path.exists() or child.returncode == 0  # it appears whole or not at all
    database = open_database(str(path))
    with database.read() as session:
        count = session.execute(__import__("sqlalchemy").text("SELECT count(*) FROM metiers")).scalar_one()
    database.close()
    expected = sum(1 for f in (ROOT / "resources" / "catalogue").glob("*.jsonl")
                   for line in f.read_text(encoding="utf-8").splitlines() if line.strip())
    assert count == expected
    assert not list(tmp_path.glob(".base.sqlite.creation-*"))


def test_a_starter_catalogue_cut_short_by_an_older_version_is_completed(db_location):
    from db.catalogue.store import set_meta
    from db.catalogue.importing import write_parsed
    from db.catalogue.importers import parse_bytes
    from db.catalogue.starter import STARTER_KEY, catalogue_dir

    database = open_database(db_location, load_starter=False)
    with database.write() as session:  # undo "declined": a start killed half-way, as before
        set_meta(session, STARTER_KEY, "")
    first = sorted(catalogue_dir().glob("*.jsonl"))[0]
    write_parsed(database, parse_bytes(first.read_bytes(), first.name), f"catalogue de départ/{first.name}")
    database.close()
    database = open_database(db_location)
    with database.read() as session:
        count = session.execute(__import__("sqlalchemy").text("SELECT count(*) FROM metiers")).scalar_one()
    database.close()
    assert count > 500


# ------------------------------------------------------------------ private files, clean logs
def test_every_file_and_folder_is_private_under_umask_022(monkeypatch):
    old = os.umask(0o022)
    root_logger = logging.getLogger()
    handlers = root_logger.handlers[:]
    try:
        for handler in handlers:
            root_logger.removeHandler(handler)
        assert main(["students", "add", "--nom", "Privé", "--prenom", "Noé", "--classe", "3e"]) == 0
        assert main(["report", "--classe", "3e", "--out", str(data_dir().parent / "bilans")]) == 0
        logging.getLogger("orientation").warning("un message")  # the log file is made on the first one
        folders = [data_dir(), data_dir() / "sauvegardes", backup.backup_dir(data_dir() / "orientation.sqlite"),
                   log_dir(), data_dir().parent / "bilans"]
        assert {str(f): oct(mode(f)) for f in folders} == {str(f): "0o700" for f in folders}
        files = [p for p in list(data_dir().rglob("*")) + list(log_dir().rglob("*")) if p.is_file()]
        assert any(p.name == "orientation.log" for p in files) and any(p.suffix == ".sqlite" for p in files)
        assert {str(p): oct(mode(p)) for p in files} == {str(p): "0o600" for p in files}
    finally:
        os.umask(old)
        for handler in root_logger.handlers[:]:
            if handler not in handlers:
                root_logger.removeHandler(handler)
                handler.close()
        for handler in handlers:
            root_logger.addHandler(handler)


def test_sql_errors_never_carry_student_content(mini_db):
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from db.models import Student

    student = create_student(mini_db, "Connu", "Zoé")
    with pytest.raises(IntegrityError) as raised, mini_db.write() as session:
        session.execute(insert(Student).values(id=student, nom="Secretzq", prenom="Notezq", created_at=None,
                                               search_key="secretzq"))
    assert "Secretzq" not in str(raised.value) and "parameters hidden" in str(raised.value)


def test_the_log_is_rotated_and_capped(tmp_path):
    from desktop.cli import logs as cli_module

    root_logger = logging.getLogger()
    handlers = root_logger.handlers[:]
    for handler in handlers:
        root_logger.removeHandler(handler)
    try:
        cli_module.setup_logging()
        for _ in range(3000):
            logging.getLogger("orientation").error("x" * 1000)
        logs = sorted(log_dir().glob("orientation.log*"))
        assert len(logs) == cli_module.LOG_BACKUPS + 1
        assert all(p.stat().st_size <= cli_module.LOG_MAX_BYTES + 2000 for p in logs)
    finally:
        for handler in root_logger.handlers[:]:
            root_logger.removeHandler(handler)
            handler.close()
        for handler in handlers:
            root_logger.addHandler(handler)


def test_an_import_that_fills_the_disk_says_what_was_committed(tmp_path):
    import json
    import re

    made = tmp_path / "base.sqlite"
    open_database(str(made), load_starter=False, backups=False).close()
    fiches = tmp_path / "fiches"
    fiches.mkdir()
    template = json.loads((ROOT / "tests" / "data" / "mini.jsonl").read_text(encoding="utf-8").splitlines()[0])
    for number in range(400):
        fiche = {**template, "id": f"ORI.essai-{number}", "nom": f"métier d'essai {number}",
                 "description": f"fiche {number} " + "texte de remplissage " * 400}
        (fiches / f"essai-{number:03d}.jsonl").write_text(json.dumps(fiche, ensure_ascii=False), encoding="utf-8")
    folder = tmp_path / "presque-plein"
    with small_filesystem(folder, made.stat().st_size // 1024 + 8000):
        shutil.copy(made, folder / "base.sqlite")
        done = cli("import", str(fiches), "--db", str(folder / "base.sqlite"))
        assert done.returncode == 1 and "Import interrompu : le disque est plein" in done.stdout, done.stderr
        assert "inattendue" not in done.stdout + done.stderr
        # A big folder lists only the files with a remark: the total counts the files written.
        acknowledged = int(re.search(r"Total : \d+ fichier\(s\), (\d+) accepté", done.stdout).group(1))
        assert f"Les {acknowledged} fichier(s) accepté(s) sont enregistrés" in done.stdout
        with sqlite3.connect(folder / "base.sqlite") as conn:
            stored = conn.execute("SELECT count(*) FROM metiers").fetchone()[0]
        assert 0 < acknowledged == stored < 400, done.stdout[-600:]


@pytest.mark.sqlite_only(reason="contrôles du fichier SQLite à l'ouverture (version, troncature, restauration)")
def test_a_truncated_database_is_called_damaged_with_the_restore_command(db_path):
    database = open_database(str(db_path), load_starter=False)
    create_student(database, "Coupé", "Léa")
    database.close()
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 3])  # a copy cut short, a USB stick pulled out
    done = cli("students", "list", "--db", str(db_path))
    assert done.returncode == 2 and "endommagée" in done.stderr and "orientation restore" in done.stderr, done.stderr
    assert "malformed" not in done.stderr and "tree page" not in done.stderr


def test_a_full_disk_is_not_called_damage(tmp_path):
    """With no byte left, even the integrity check cannot read: that is a full disk, not a
    damaged file to restore."""
    made = tmp_path / "base.sqlite"
    database = open_database(str(made), load_starter=False, backups=False)
    create_student(database, "Plein", "Disque")
    database.close()
    folder = tmp_path / "plein"
    with small_filesystem(folder, made.stat().st_size // 1024 + 64):
        shutil.copy(made, folder / "base.sqlite")
        filler = folder / "remplissage"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass  # the disk is full now
        finally:
            os.close(fd)
        done = cli("students", "list", "--db", str(folder / "base.sqlite"))
        filler.unlink()
        assert "endommagée" not in done.stderr, done.stderr
        if done.returncode:
            assert "disque est plein" in done.stderr, done.stderr
        done = cli("students", "list", "--db", str(folder / "base.sqlite"))
        assert done.returncode == 0 and "Disque" in done.stdout, done.stderr


@pytest.mark.sqlite_only(reason="contrôles du fichier SQLite à l'ouverture (version, troncature, restauration)")
def test_a_truncated_file_is_caught_even_when_checked_today(db_path):
    database = open_database(str(db_path), load_starter=True, backups=False)
    database.close()
    open_database(str(db_path), load_starter=False, backups=False).close()  # checked today
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = db_path.read_bytes()
    db_path.write_bytes(data[:-4 * 4096])  # the last pages lost, as by a copy cut short
    with pytest.raises(UserError, match="endommagée"):
        open_database(str(db_path), load_starter=False, backups=False)
