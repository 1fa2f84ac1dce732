"""France Travail ROME 4.0 referential CSVs → :class:`db.catalogue.records.RomeReference` (reference data).

Each file is recognised by its header row, not its name:

- ``unix_referentiel_code_rome_*``: code, label, parent (historic v3) code → ``codes``;
- ``unix_cr_gd_dp_*``: code with its domaine professionnel → ``codes``;
- ``unix_referentiel_code_rome_riasec_*``: major/minor RIASEC letter per code → ``codes``;
- ``unix_referentiel_appellation_*``: job titles → ``appellations``;
- ``unix_domaine_professionnel_*`` and ``unix_grand_domaine_*``: these tables hold no ROME
  code, and :class:`RomeReference` only carries data keyed by ROME code, so their rows are
  checked and counted but not passed on: the domaine of each code arrives with
  ``unix_cr_gd_dp`` and the 14 grands domaines are in :mod:`db.catalogue.nomenclature` already. The
  import summary says so.

The other tables of the referential (texts, themes, sectors, mobility…) are recognised by the
same kind of header and read as nothing, with a note: importing the whole ROME folder must
not fail on the files the application does not use.

Every file gives partial data (empty ``label`` means "not in this file"); the writer merges
by code. A malformed row refuses the whole file with its line number.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from db.errors import FicheError
from db.catalogue.importers.registry import Format, register
from db.catalogue.importers.textio import decode, head_text
from db.catalogue.nomenclature import ROME_CODE
from db.catalogue.records import ParsedFile, RomeAppellation, RomeCode, RomeReference

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader  # what csv.reader() returns

FORMAT_NAME = "rome-csv"
_VERSION = re.compile(r"_v(\d)(\d{2})(?:_|\.|$)")  # "…_v460_utf8.csv" → "4.60"
_DOMAINE = re.compile(r"^[A-N]\d{2}$")
_GRAND_DOMAINE = re.compile(r"^[A-N]$")
_RIASEC = re.compile(r"^[RIASEC]?$")


def _code_row(row: dict[str, str], line: int) -> RomeCode:
    return RomeCode(code=_rome_code(row, "code_rome", line), label=_required(row, "libelle_rome", line),
                    parent_code=_optional_code(row.get("code_rome_parent"), line))


def _domain_row(row: dict[str, str], line: int) -> RomeCode:
    # unix_cr_gd_dp spells the column "professionel" (sic); accept both spellings.
    code = row.get("code_domaine_professionel") or row.get("code_domaine_professionnel") or ""
    label = row.get("libelle_domaine_professionel") or row.get("libelle_domaine_professionnel") or ""
    return RomeCode(code=_rome_code(row, "code_rome", line), label=row.get("libelle_rome", "").strip(),
                    domaine_code=_checked(code, _DOMAINE, "domaine professionnel", line),
                    domaine_label=label.strip() or None)


def _riasec_row(row: dict[str, str], line: int) -> RomeCode:
    major = _checked(row.get("riasec_majeur", "").upper(), _RIASEC, "lettre RIASEC", line)
    minor = _checked(row.get("riasec_mineur", "").upper(), _RIASEC, "lettre RIASEC", line)
    return RomeCode(code=_rome_code(row, "code_rome", line), label="",
                    riasec_major=major or None, riasec_minor=minor or None)


def _domaine_row(row: dict[str, str], line: int) -> None:
    _checked(row.get("code_domaine_professionnel", ""), _DOMAINE, "domaine professionnel", line)
    _required(row, "libelle_domaine_professionnel", line)


def _grand_domaine_row(row: dict[str, str], line: int) -> None:
    _checked(row.get("code_grand_domaine", ""), _GRAND_DOMAINE, "grand domaine", line)
    _required(row, "libelle_grand_domaine", line)


def _appellation_row(row: dict[str, str], line: int) -> RomeAppellation:
    code_ogr = _required(row, "code_ogr", line)
    if not code_ogr.isdigit():
        raise FicheError(f"ligne {line} : code OGR invalide « {code_ogr[:20]} »")
    return RomeAppellation(code_ogr=code_ogr, label=_required(row, "libelle_appellation_long", line),
                           rome_code=_rome_code(row, "code_rome", line))


class _Table(NamedTuple):
    """A ROME table recognised by its header columns."""

    columns: frozenset[str]
    what: str  # in French, for the import summary
    read_row: Callable[[dict[str, str], int], RomeCode | RomeAppellation | None]
    target: str  # the RomeReference list the rows go to, or "" for a table whose rows are only checked


_TABLES: tuple[_Table, ...] = (
    _Table(frozenset({"code_rome", "riasec_majeur", "riasec_mineur"}), "lettres RIASEC", _riasec_row, "codes"),
    _Table(frozenset({"code_ogr", "libelle_appellation_long", "code_rome"}), "appellations", _appellation_row,
           "appellations"),
    _Table(frozenset({"code_rome", "code_grand_domaine", "libelle_rome"}), "codes et domaines", _domain_row,
           "codes"),
    _Table(frozenset({"code_rome", "libelle_rome", "code_rome_parent"}), "codes ROME", _code_row, "codes"),
    _Table(frozenset({"code_domaine_professionnel", "libelle_domaine_professionnel"}), "domaines professionnels",
           _domaine_row, ""),
    _Table(frozenset({"code_grand_domaine", "libelle_grand_domaine"}), "grands domaines", _grand_domaine_row, ""),
)


_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def sniff(data: bytes, name: str) -> bool:
    """The first line is a CSV header of a ROME table: one of those above, or any header of
    quoted snake_case columns starting with a ``"code_…"`` column (the referential's style)."""
    head = head_text(data, 4096).lstrip("\ufeff")
    header = _header(head)
    return _table(header) is not None or _other_rome_table(head, header)


def _other_rome_table(head: str, header: list[str]) -> bool:
    return (head.startswith('"code_') and len(header) >= 2
            and all(_SNAKE.match(column) for column in header))


def parse(data: bytes, name: str) -> ParsedFile:
    """Every row of one ROME table; FicheError names the first bad line."""
    decoded = decode(data)
    rows = csv.reader(io.StringIO(decoded.text))
    try:
        header = [column.strip().lstrip("\ufeff") for column in next(rows, [])]
        table = _table(header)
        if table is None:
            return _ignored_table(decoded.text, header, name)
        what, version = table.what, _version(name)
        reference, count = _read_rows(rows, header, table, version or "")
    except csv.Error as exc:
        raise FicheError(f"ligne {rows.line_num} : CSV invalide ({exc})") from exc
    if not count:
        raise FicheError("fichier CSV du ROME sans aucune ligne de données")
    notes = [f"référentiel ROME : {count} ligne(s) lue(s) ({what})"]
    if not table.target:
        notes.append("ce tableau n'a pas de code ROME : rien à enregistrer (les domaines arrivent avec "
                     "« unix_cr_gd_dp », les grands domaines sont déjà connus de l'application)")
    if decoded.note:
        notes.append(decoded.note)
    if version is None:
        notes.append("version du ROME inconnue (absente du nom du fichier)")
    return ParsedFile(format_name=FORMAT_NAME, rome=reference, notes=notes)


def _ignored_table(text: str, header: list[str], name: str) -> ParsedFile:
    if not _other_rome_table(text, header):
        raise FicheError("fichier CSV du ROME non reconnu (en-tête inattendu)")
    columns = ", ".join(header[:4])
    return ParsedFile(format_name=FORMAT_NAME, rome=RomeReference(version=_version(name) or ""),
                      notes=[f"table du ROME non utilisée par l'application (colonnes : {columns}…) : "
                             "rien à importer"])


def _read_rows(rows: _CsvReader, header: list[str], table: _Table, version: str) -> tuple[RomeReference, int]:
    """Every data row read into ``table``'s target list; also the number of rows read."""
    read_row, target = table.read_row, table.target
    reference = RomeReference(version=version)
    count = 0
    for values in rows:
        line = rows.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise FicheError(f"ligne {line} : {len(values)} colonnes au lieu de {len(header)}")
        item = read_row(dict(zip(header, (v.strip() for v in values), strict=True)), line)
        if target:
            getattr(reference, target).append(item)
        count += 1
    return reference, count


def _header(head: str) -> list[str]:
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    try:
        return [c.strip() for c in next(csv.reader([first]), [])]
    except csv.Error:
        return []


def _table(header: list[str]) -> _Table | None:
    columns = set(header)
    return next((table for table in _TABLES if table.columns <= columns), None)


def _version(name: str) -> str | None:
    found = _VERSION.search(name or "")
    return f"{found.group(1)}.{found.group(2)}" if found else None


def _required(row: dict[str, str], column: str, line: int) -> str:
    value = row.get(column, "")
    if not value:
        raise FicheError(f"ligne {line} : colonne « {column} » vide")
    return value


def _rome_code(row: dict[str, str], column: str, line: int) -> str:
    return _checked(row.get(column, "").upper(), ROME_CODE, "code ROME", line)


def _optional_code(value: str | None, line: int) -> str | None:
    value = (value or "").strip().upper()
    return _checked(value, ROME_CODE, "code ROME parent", line) if value else None


def _checked(value: str, pattern: re.Pattern[str], what: str, line: int) -> str:
    value = value.strip()
    if not pattern.match(value):
        raise FicheError(f"ligne {line} : {what} invalide « {value[:20]} »")
    return value


register(Format(FORMAT_NAME, "référentiel ROME 4.0 de France Travail (.csv)", sniff, parse))
