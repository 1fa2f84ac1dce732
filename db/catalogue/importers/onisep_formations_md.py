"""ONISEP "Idéo-Fiches formations" rendered as Markdown (one formation per file).

Shape (export of 21/10/2025): ``# <name>``, ``## Informations générales`` holding
``**Code scolarité:**``, ``**Durée:**``, ``**Niveau de certification:**``, ``**Type:**`` and an
optional ``**Sigle:**``; then ``## Description``, ``## Accès``, ``## Attendus``,
``## Poursuite d'études`` and ``## Métiers associés`` ("- <label>"). The fiche holds no id:
``FOR.n`` is read from the file name (``FOR.9664_cap_cuisine.md``), which is how ONISEP's
export names them. Parsers never touch the database.
"""
from __future__ import annotations

import re

from db.catalogue.importers.registry import Format, register
from db.catalogue.importers.textio import decode, head_text, tidy
from db.catalogue.records import FormationRecord, ParsedFile
from db.errors import FicheError

FORMAT_NAME = "onisep-formation-md"
SOURCE_DATE = "2025-10-21"
_ID = re.compile(r"(?<![A-Za-z0-9])FOR\.(\d{1,9})(?![0-9])")
_FIELD = re.compile(r"^\*\*(?P<key>[^*:]{1,60})\s*:\s*\*\*\s*(?P<value>.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*$")
_ITEM = re.compile(r"^[-*+]\s+(?P<text>.+)$")
_MAX_LABEL = 300
_MAX_TEXT = 20_000
_MAX_METIERS = 200  # "Métiers associés" kept per fiche (ONISEP lists a few dozen at most)


def sniff(data: bytes, name: str) -> bool:
    """A "# title" line, then the "Informations générales" block with a "**Type:**" field."""
    head = head_text(data, 8192)
    return (re.search(r"^# \S", head, re.M) is not None
            and re.search(r"^## Informations générales\s*$", head, re.M) is not None
            and re.search(r"^\*\*Type\s*:\s*\*\*", head, re.M) is not None)


def parse(data: bytes, name: str) -> ParsedFile:
    """One formation fiche → one FormationRecord; FicheError (French) without a title or FOR id."""
    decoded = decode(data)
    found = _ID.search(name)
    if found is None:
        raise FicheError("identifiant de formation introuvable : le nom du fichier doit commencer "
                         "par FOR.<numéro>, comme dans l'export de l'Onisep")
    title, fields, sections = _walk(decoded.text.split("\n"))
    if not title:
        raise FicheError("fiche formation sans titre (ligne « # nom de la formation » absente)")
    record = FormationRecord(
        id=f"FOR.{int(found.group(1))}", label=title[:_MAX_LABEL], source_kind=FORMAT_NAME,
        sigle=_short(fields.get("sigle"), 40), type_text=_short(fields.get("type"), 200),
        level_text=_short(fields.get("niveau de certification"), 80), years_text=_short(fields.get("durée"), 40),
        access_text=_text(sections.get("accès")), next_text=_text(sections.get("poursuite d'études")),
        metier_labels=_items(sections.get("métiers associés")), source_date=SOURCE_DATE)
    notes = [decoded.note] if decoded.note else []
    if record.type_text is None:
        notes.append(f"{record.id} : type de formation absent")
    return ParsedFile(format_name=FORMAT_NAME, formations=[record], notes=notes)


def _walk(lines: list[str]) -> tuple[str, dict[str, str], dict[str, list[str]]]:
    """The title, the ``**Key:** value`` fields (keys lower-case) and the lines of each "## " section."""
    title = ""
    fields: dict[str, str] = {}
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in lines:
        line = raw.strip()
        heading = _HEADING.match(line) if not raw[:1].isspace() else None
        if heading and len(heading.group("hashes")) == 1 and not title:
            title = " ".join(heading.group("title").split())
            continue
        if heading and len(heading.group("hashes")) == 2:
            current = sections.setdefault(heading.group("title").strip().lower(), [])
            continue
        field = _FIELD.match(line)
        if field and field.group("key").strip().lower() not in fields:
            fields[field.group("key").strip().lower()] = field.group("value").strip()
        elif current is not None and not (heading and line.lower().lstrip("# ") in {"accès"}):
            current.append(line)
    return title, fields, sections


def _short(value: str | None, limit: int) -> str | None:
    value = " ".join((value or "").split())
    return value[:limit] or None


def _text(lines: list[str] | None) -> str | None:
    text = tidy("\n".join(line for line in lines or [] if not line.startswith("#")))
    return text[:_MAX_TEXT] or None


def _items(lines: list[str] | None) -> list[str]:
    labels: list[str] = []
    for line in lines or []:
        item = _ITEM.match(line)
        label = " ".join(item.group("text").split())[:_MAX_LABEL] if item else ""
        if label and label not in labels:
            labels.append(label)
    return labels[:_MAX_METIERS]


register(Format(FORMAT_NAME, "fiche formation Onisep (Markdown, Idéo-Fiches formations)", sniff, parse))
