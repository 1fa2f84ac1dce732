"""Archives of fiches (.tar.gz, .tgz, .zip) read in memory, never extracted.

The ONISEP "Idéo-Fiches formations" are shipped as one ``.tar.gz`` of Markdown fiches; a
counselor imports exactly that file. :func:`read_archive` returns its members' names and bytes,
or raises a :class:`db.errors.FicheError` with one French sentence when the archive is not
safe to read: a member whose name climbs out of the archive (``..``, an absolute path), a
link, a device or a FIFO, a member or a total too large once decompressed, too many members.
Nothing is written to disk, so nothing can land outside; the caller imports the members as
it imports the files of a folder. A ZIP holding a single Idéo XML/JSON export is not an
archive of fiches: that importer reads it itself (:func:`is_archive` says no).
"""
from __future__ import annotations

import io
import lzma
import stat
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from db.errors import FicheError

MAX_MEMBER_BYTES = 16 * 1024 * 1024  # one fiche; the largest ONISEP formation fiche is ~20 KB
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all members once decompressed (the 2,342 fiches: ~5 MB)
MAX_MEMBERS = 20_000
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")
_SKIPPED_NAMES = {"readme.md", "source.md", "licence", "license", ".ds_store", "thumbs.db"}


@dataclass(frozen=True)
class ArchiveMember:
    """One file of an archive: ``archive`` is the archive's path as given, ``inner`` the member's name."""

    archive: str
    inner: str
    data: bytes

    @property
    def name(self) -> str:
        """The member's own file name (what format detection and the FOR id read)."""
        return PurePosixPath(self.inner).name

    def __str__(self) -> str:
        return f"{self.archive}:{self.inner}"


def is_archive(name: str, data_head: bytes) -> bool:
    """True for a .tar.gz/.tgz/.zip of fiches; False for a ZIP the Idéo XML importer reads."""
    if not name.lower().endswith(ARCHIVE_SUFFIXES):
        return False
    if data_head[:4] == b"PK\x03\x04":
        from db.catalogue.importers.onisep_xml import sniff_xml

        return not sniff_xml(data_head, name)
    return True


def read_archive(data: bytes, archive: str) -> list[ArchiveMember]:
    """The regular files of the archive ``data`` (sorted by name, readme/hidden files skipped).

    Raises FicheError (one French sentence) for an unreadable or unsafe archive; nothing else."""
    try:
        if data[:4] == b"PK\x03\x04":
            members = _read_zip(data, archive)
        elif data[:2] == b"\x1f\x8b":
            members = _read_tar(data, archive)
        else:
            raise FicheError("archive illisible : ni .tar.gz ni .zip (le contenu ne correspond pas au nom)")
    except (tarfile.TarError, zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError,
            NotImplementedError, RuntimeError, OSError, ValueError) as exc:
        raise FicheError(f"archive illisible ou endommagée ({type(exc).__name__})") from exc
    return sorted((m for m in members if _wanted(m.inner)), key=lambda m: m.inner)


def _read_tar(data: bytes, archive: str) -> list[ArchiveMember]:
    members: list[ArchiveMember] = []
    budget = _Budget()
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for info in tar:
            _check_name(info.name)
            if info.isdir():
                continue
            if not info.isreg():
                raise FicheError(f"archive refusée : « {_shown(info.name)} » n'est pas un fichier ordinaire "
                                 "(lien, périphérique ou tube) ; rien n'a été importé")
            budget.take(info.name, info.size)
            stream = tar.extractfile(info)
            content = stream.read(MAX_MEMBER_BYTES + 1) if stream is not None else b""
            budget.check_read(info.name, len(content))
            members.append(ArchiveMember(archive, info.name, content))
    return members


def _read_zip(data: bytes, archive: str) -> list[ArchiveMember]:
    members: list[ArchiveMember] = []
    budget = _Budget()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            _check_name(info.filename)
            if info.is_dir():
                continue
            mode = info.external_attr >> 16
            if mode and not stat.S_ISREG(mode):
                raise FicheError(f"archive refusée : « {_shown(info.filename)} » n'est pas un fichier ordinaire "
                                 "(lien, périphérique ou tube) ; rien n'a été importé")
            budget.take(info.filename, info.file_size)
            with zf.open(info) as stream:  # the size in the header can lie: bound what is inflated
                content = stream.read(MAX_MEMBER_BYTES + 1)
            budget.check_read(info.filename, len(content))
            members.append(ArchiveMember(archive, info.filename, content))
    return members


class _Budget:
    """Counts members and bytes; raises FicheError past the limits."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0

    def take(self, name: str, size: int) -> None:
        self.count += 1
        if self.count > MAX_MEMBERS:
            raise FicheError(f"archive refusée : plus de {MAX_MEMBERS} fichiers ; rien n'a été importé")
        self._check_size(name, size)

    def check_read(self, name: str, size: int) -> None:
        """Count the bytes really read (a header's size can lie)."""
        self._check_size(name, size)
        self.total += size
        if self.total > MAX_TOTAL_BYTES:
            raise FicheError(f"archive refusée : plus de {MAX_TOTAL_BYTES // (1024 * 1024)} Mo une fois "
                             "décompressée ; rien n'a été importé")

    @staticmethod
    def _check_size(name: str, size: int) -> None:
        if size > MAX_MEMBER_BYTES:
            raise FicheError(f"archive refusée : « {_shown(name)} » dépasse {MAX_MEMBER_BYTES // (1024 * 1024)} Mo "
                             "une fois décompressé ; rien n'a été importé")


def _check_name(name: str) -> None:
    """Refuse a member whose name is absolute, climbs out (``..``) or holds control characters."""
    clean = name.replace("\\", "/")
    parts = PurePosixPath(clean).parts
    if (clean.startswith("/") or (len(clean) > 1 and clean[1] == ":") or ".." in parts
            or any(not ch.isprintable() for ch in name)):
        raise FicheError(f"archive refusée : le chemin « {_shown(name)} » sort de l'archive ou n'est pas valable ; "
                         "rien n'a été importé")


def _wanted(inner: str) -> bool:
    """Fiches only: not the readme/licence files, not hidden or macOS resource files."""
    parts = PurePosixPath(inner).parts
    return (bool(parts) and parts[0] != "__MACOSX" and not any(p.startswith(".") for p in parts)
            and parts[-1].lower() not in _SKIPPED_NAMES)


def _shown(name: str) -> str:
    """A member name fit for a one-line message (archives can hold any name)."""
    name = "".join(ch for ch in name if ch.isprintable())
    return name if len(name) <= 80 else name[:77] + "…"
