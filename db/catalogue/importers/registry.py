"""The registry of fiche formats: each format registers a :class:`Format` (``sniff`` looks at the
content, not only the file name; ``parse`` reads it); :func:`parse_bytes` and :func:`parse_path`
pick the format. Format modules import this one, never the package, so nothing is circular."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.errors import FicheError
from db.catalogue.records import ParsedFile

MAX_FILE_BYTES = 64 * 1024 * 1024  # the 12 MB ONISEP XML export fits five times over


@dataclass(frozen=True)
class Format:
    """A fiche format: ``sniff(data, name)`` says whether it is this one; ``parse`` reads it."""

    name: str
    description: str  # French, shown in the "formats pris en charge" list
    sniff: Callable[[bytes, str], bool]
    parse: Callable[[bytes, str], ParsedFile]


FORMATS: list[Format] = []


def register(fmt: Format) -> Format:
    """Add a format; formats registered first are tried first."""
    FORMATS.append(fmt)
    return fmt


def supported_formats() -> str:
    """The French list of supported formats, for error messages."""
    return "; ".join(f.description for f in FORMATS)


def detect_format(data: bytes, name: str) -> Format:
    """The format of ``data`` (content first, file name as a hint), or FicheError."""
    if not data.strip():
        raise FicheError("fichier vide")
    for fmt in FORMATS:
        if fmt.sniff(data, name):
            return fmt
    raise FicheError(f"format non reconnu (formats pris en charge : {supported_formats()})")


def parse_bytes(data: bytes, name: str) -> ParsedFile:
    """Parse one file's content; raise FicheError (French reason) when it cannot be imported."""
    if len(data) > MAX_FILE_BYTES:
        raise FicheError(
            f"fichier trop volumineux ({len(data) // (1024 * 1024)} Mo ; limite : "
            f"{MAX_FILE_BYTES // (1024 * 1024)} Mo)")
    parsed = detect_format(data, name).parse(data, name)
    for record in parsed.records:  # a heading with nothing under it is not a section
        record.sections = [section for section in record.sections if section.text.strip()]
    return parsed


def parse_path(path: Path) -> ParsedFile:
    """Read and parse one file from disk (size checked before reading it whole)."""
    from db.errors import UserError
    from db.storage.files import read_bounded

    try:
        # Only a regular file, never more than the limit: a FIFO, /dev/zero or a folder is refused.
        data = read_bounded(path, MAX_FILE_BYTES, "le fichier")
    except UserError as exc:
        raise FicheError(exc.message) from exc
    return parse_bytes(data, path.name)
