"""Archives of fiches (.tar.gz, .tgz, .zip) imported as shipped: members read in memory, hostile
archives refused whole in one French sentence with nothing written, the shared ONISEP archive."""
from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from db.catalogue import archives
from db.catalogue.formations import show_formation
from db.catalogue.importing import import_paths
from tests.conftest import shared_path
from tests.db.catalogue.test_formations import SAMPLE

GOOD = ("formations/FOR.90001_cap_patisserie.md", SAMPLE.encode("utf-8"))
SECOND = ("formations/FOR.90004_cap_autre.md", SAMPLE.replace("pâtisserie", "boulangerie").encode("utf-8"))


def _tar(path: Path, members: list[tuple[str, bytes]], extra: list[tarfile.TarInfo] = ()) -> Path:  # type: ignore[assignment]
    with tarfile.open(path, "w:gz") as tar:
        folder = tarfile.TarInfo("formations")
        folder.type = tarfile.DIRTYPE
        tar.addfile(folder)
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra:
            tar.addfile(info)
    return path


def _zip(path: Path, members: list[tuple[str, bytes]], modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.external_attr = (modes or {}).get(name, stat.S_IFREG | 0o644) << 16
            zf.writestr(info, data)
    return path


def _formations(database) -> int:  # type: ignore[no-untyped-def]
    with database.read() as session:
        return int(session.execute(text("SELECT count(*) FROM formations")).scalar_one())


@pytest.mark.parametrize("name", ["fiches.tar.gz", "fiches.tgz", "fiches.zip"])
def test_an_archive_of_fiches_is_imported_like_a_folder(empty_db, tmp_path, name):
    members = [GOOD, SECOND, ("formations/SOURCE.md", b"# Source\nlicence\n")]
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    _zip(path, members) if name.endswith(".zip") else _tar(path, members)
    summary = import_paths(empty_db, [path])
    assert summary.refused == 0 and summary.created == 2  # SOURCE.md skipped, as in a folder
    assert summary.files[0].path == f"{path}:formations/FOR.90001_cap_patisserie.md"
    with empty_db.read() as session:
        assert show_formation(session, "FOR.90004").label == "CAP boulangerie d'essai"
    assert [p.name for p in folder.iterdir()] == [name]  # nothing extracted beside it


def _link(name: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = "/etc/passwd"
    return info


@pytest.mark.parametrize(("build", "reason"), [
    (lambda p: _tar(p / "a.tar.gz", [GOOD, ("../FOR.90005_evade.md", GOOD[1])]), "sort de l'archive"),
    (lambda p: _tar(p / "a.tar.gz", [GOOD, ("/tmp/FOR.90005_absolu.md", GOOD[1])]), "sort de l'archive"),
    (lambda p: _tar(p / "a.tar.gz", [GOOD], [_link("formations/FOR.90006.md", tarfile.SYMTYPE)]),
     "n'est pas un fichier ordinaire"),
    (lambda p: _tar(p / "a.tar.gz", [GOOD], [_link("formations/lien_dur.md", tarfile.LNKTYPE)]),
     "n'est pas un fichier ordinaire"),
    (lambda p: _tar(p / "a.tar.gz", [GOOD], [_link("formations/tube", tarfile.FIFOTYPE)]),
     "n'est pas un fichier ordinaire"),
    (lambda p: _tar(p / "a.tar.gz", [GOOD], [_link("formations/disque", tarfile.BLKTYPE)]),
     "n'est pas un fichier ordinaire"),
    (lambda p: _zip(p / "a.zip", [GOOD, ("../../FOR.90005.md", GOOD[1])]), "sort de l'archive"),
    (lambda p: _zip(p / "a.zip", [GOOD, ("formations/lien.md", b"/etc/passwd")],
                    {"formations/lien.md": stat.S_IFLNK | 0o777}), "n'est pas un fichier ordinaire"),
    (lambda p: _tar(p / "a.tar.gz", [GOOD, ("formations/FOR.90007_enorme.md", b"x" * 5000)]), "dépasse"),
    (lambda p: _zip(p / "a.zip", [GOOD, ("formations/FOR.90007_enorme.md", b"x" * 5000)]), "dépasse"),
    (lambda p: (p / "a.tar.gz").write_bytes(b"ceci n'est pas une archive\n" * 10) and p / "a.tar.gz",
     "archive illisible"),
    (lambda p: (p / "a.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 200) and p / "a.zip", "archive illisible"),
    (lambda p: (p / "a.tgz").write_bytes(GOOD[1] * 3) and p / "a.tgz", "archive illisible"),
])
def test_a_hostile_archive_is_refused_whole_and_changes_nothing(empty_db, tmp_path, monkeypatch,
                                                                build, reason):
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 4096)
    folder = tmp_path / "in"
    folder.mkdir()
    path = build(folder)
    before = _formations(empty_db)
    summary = import_paths(empty_db, [path])
    assert [f.path for f in summary.files] == [str(path)] and summary.refused == 1
    sentence = summary.files[0].reason or ""
    assert reason in sentence and "\n" not in sentence
    assert _formations(empty_db) == before  # not even the good member went in
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # and nothing was extracted
    assert not (tmp_path / "FOR.90005_evade.md").exists()


def test_too_many_members_are_refused(empty_db, tmp_path, monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBERS", 3)
    path = _tar(tmp_path / "a.tar.gz", [(f"formations/FOR.9{i}_x.md", GOOD[1]) for i in range(5)])
    result = import_paths(empty_db, [path]).files
    assert len(result) == 1 and "plus de 3 fichiers" in (result[0].reason or "")


def test_a_zip_holding_one_ideo_xml_export_still_goes_to_its_importer(tmp_path):
    xml = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
           b"<metiers><metier><identifiant>MET.1</identifiant></metier></metiers>")
    path = _zip(tmp_path / "ideo.zip", [("Onisep_Ideo_Fiches_Metiers.xml", xml)])
    assert not archives.is_archive(path.name, path.read_bytes())
    assert archives.is_archive("fiches.zip", (_zip(tmp_path / "f.zip", [GOOD])).read_bytes())


def test_the_shared_onisep_archive_imports_as_shipped(empty_db):
    archive = shared_path("data", "onisep-formations-md", "formations_md_2342.tar.gz")
    summary = import_paths(empty_db, [archive])
    assert summary.refused == 0 and summary.created == 2342
    with empty_db.read() as session:
        cuisine = show_formation(session, "FOR.9664")
    assert (cuisine.label, cuisine.years) == ("CAP cuisine", 2)
