"""ONISEP Idéo-Fiches métiers: the XML export (bare or zipped) and its JSON variant.

The XML (12 MB, 928 ``<metier>``) is streamed with defusedxml's ``iterparse``: each
``<metier>`` is turned into a record and then cleared, so memory stays bounded whatever the
file size. defusedxml refuses entity declarations (billion-laughs bombs) and external
references; both become a French :class:`FicheError`.

Each ``<metier>`` is first turned into the same plain shape as the producer's JSON variant
(children by element name; repeated children as a list; a list of one as a single object;
an empty container as None), so one mapping serves both formats. Elements are read by name:
missing ones are skipped, unknown ones ignored (the producer changes its exports).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse

from db.errors import FicheError
from db.catalogue.importers.registry import MAX_FILE_BYTES, Format, register
from db.catalogue.importers.salary import parse_salary
from db.catalogue.importers.textio import decode, head_text, html_blocks, html_to_text
from db.catalogue.nomenclature import split_rome_codes
from db.catalogue.records import MetierRecord, ParsedFile, Ref, Salary, Section, Synonym
from db.text import fold, slug

if TYPE_CHECKING:
    from _typeshed import SupportsRead

XML_FORMAT = "onisep-xml"
JSON_FORMAT = "onisep-json"
LICENCE = "ODbL — Source : Onisep"
_ID = re.compile(r"^MET\.\d+$")
_EXPORT_DATE = re.compile(r"(?<!\d)(\d{2})(\d{2})(20\d{2})(?!\d)")  # …_25062024 → 2024-06-25
# Element name → (section key, title); the order is the reading order of a fiche.
_HTML_SECTIONS = (
    ("accroche_metier", "presentation", "Présentation"),
    ("nature_travail", "nature_travail", "Nature du travail"),
    ("competences", "competences", "Compétences requises"),
    ("condition_travail", "conditions_travail", "Conditions de travail"),
    ("vie_professionnelle", "vie_professionnelle", "Vie professionnelle"),
    ("acces_metier", "acces_metier", "Accès au métier"),
)
Plain = Any  # str | None | dict[str, Plain] | list[Plain]: the JSON-like shape of one element


# ----------------------------------------------------------------------------------------
# Sniffing
# ----------------------------------------------------------------------------------------
def sniff_xml(data: bytes, name: str) -> bool:
    """XML whose root is ``<metiers>`` or ``<metier>``, or a ZIP holding one such file."""
    if data[:4] == b"PK\x03\x04":
        return _zip_member_head(data) is not None
    head = head_text(data, 4096).lstrip("\ufeff \t\r\n")
    return head.startswith("<") and re.search(r"<metiers?[\s>]", head) is not None


def sniff_json(data: bytes, name: str) -> bool:
    """JSON whose first object carries ONISEP métier fields ("identifiant", "nom_metier")."""
    head = head_text(data, 4096).lstrip("\ufeff \t\r\n")
    return head[:1] in ("{", "[") and '"identifiant"' in head and "MET." in head


def _zip_member_head(data: bytes) -> bytes | None:
    """The first bytes of the single XML/JSON member of an ONISEP ZIP, else None (never raises)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _members(archive)
            if len(members) != 1 or not members[0].filename.lower().endswith((".xml", ".json")):
                return None
            with archive.open(members[0]) as stream:
                head = stream.read(4096)
    except Exception:  # sniffing must never fail; parse() reports the reason
        return None
    return head if (b"<metier" in head or b'"identifiant"' in head) else None


# ----------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------
def parse_xml(data: bytes, name: str) -> ParsedFile:
    """An Idéo XML export, or a ZIP holding one XML or JSON export."""
    if data[:4] == b"PK\x03\x04":
        return _parse_zip(data, name)
    return _parse_xml_stream(io.BytesIO(data), _export_date(name))


def parse_json(data: bytes, name: str) -> ParsedFile:
    """The producer's JSON variant of the same export."""
    return _parse_json_text(decode(data).text, _export_date(name))


def _parse_zip(data: bytes, name: str) -> ParsedFile:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = _single_member(archive)
            source_date = _export_date(member.filename) or _export_date(name)
            with archive.open(member) as raw:
                stream = _LimitedReader(raw, MAX_FILE_BYTES, member.filename)
                if member.filename.lower().endswith(".json"):
                    parsed = _parse_json_text(decode(stream.read()).text, source_date)
                else:
                    parsed = _parse_xml_stream(stream, source_date)
    # Only what zipfile and the decompressors raise: a bug in the mapping must not pass for a
    # damaged archive. (RuntimeError: encrypted member; NotImplementedError: unknown method.)
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError,
            RuntimeError, OSError) as exc:
        raise FicheError(f"archive ZIP illisible ou endommagée ({type(exc).__name__})") from exc
    parsed.notes.insert(0, f"archive ZIP : fichier « {_shown(member.filename)} » lu")
    return parsed


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")]


def _single_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    members = _members(archive)
    if len(members) != 1:
        raise FicheError(f"archive ZIP : un seul fichier XML ou JSON attendu ({len(members)} trouvés)")
    member = members[0]
    if not member.filename.lower().endswith((".xml", ".json")):
        raise FicheError(f"archive ZIP : « {_shown(member.filename)} » n'est ni un fichier XML ni un fichier JSON")
    if member.file_size > MAX_FILE_BYTES:
        raise FicheError(f"archive ZIP : « {_shown(member.filename)} » est trop volumineux une fois décompressé "
                         f"({member.file_size // (1024 * 1024)} Mo ; limite : {MAX_FILE_BYTES // (1024 * 1024)} Mo)")
    return member


def _shown(name: str) -> str:
    """A member name fit for a one-line message (archives can hold any name)."""
    name = "".join(ch for ch in name if ch.isprintable())
    return name if len(name) <= 80 else name[:77] + "…"


class _LimitedReader(io.RawIOBase):
    """A read-only stream that refuses to deliver more than ``limit`` bytes.

    The size in a ZIP header can lie (zip bombs); this bounds what is actually inflated.
    """

    def __init__(self, raw: IO[bytes], limit: int, name: str) -> None:
        super().__init__()
        self._raw, self._left, self._name = raw, limit, name

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._raw.read(self._left + 1 if size is None or size < 0 else min(size, self._left + 1))
        self._left -= len(chunk)
        if self._left < 0:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            raise FicheError(f"archive ZIP : « {_shown(self._name)} » dépasse {limit} Mo une fois décompressé")
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _export_date(name: str) -> str | None:
    """The export date in an ONISEP file name ("…_25062024.xml" → "2024-06-25"), else None."""
    for day, month, year in _EXPORT_DATE.findall(name or ""):
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
    return None


# ----------------------------------------------------------------------------------------
# XML, streamed
# ----------------------------------------------------------------------------------------
def _parse_xml_stream(stream: SupportsRead[bytes], source_date: str | None) -> ParsedFile:
    builder = _Builder(XML_FORMAT, "onisep-xml", source_date)
    for element in _metier_elements(stream):
        try:
            builder.add(_plain(element))
        except RecursionError as exc:
            raise FicheError("fichier XML refusé : éléments imbriqués trop profondément") from exc
        element.clear()
    return builder.result()


def _metier_elements(stream: SupportsRead[bytes]) -> Iterator[Element]:
    """Each complete ``<metier>`` element, removed from its parent once yielded (bounded memory).

    Parser errors become FicheError here; errors in the caller's code never pass through this
    frame, so catching broadly below cannot hide a bug in the mapping.
    """
    stack: list[Element] = []
    try:
        for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=False,
                                        forbid_entities=True, forbid_external=True):
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            if _local(element.tag) == "metier":
                yield element
                if stack:
                    stack[-1].remove(element)
    except EntitiesForbidden as exc:
        raise FicheError("fichier XML refusé : il déclare des entités (risque d'expansion "
                         "d'entités, « billion laughs »)") from exc
    except ExternalReferenceForbidden as exc:
        raise FicheError("fichier XML refusé : il fait référence à une ressource externe") from exc
    except DTDForbidden as exc:
        raise FicheError("fichier XML refusé : déclaration DTD non autorisée") from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise FicheError(f"fichier XML invalide : ligne {line}, colonne {column} "
                         "(fichier tronqué ou mal formé)") from exc
    except (LookupError, ValueError) as exc:  # unknown or unsupported declared encoding
        raise FicheError("fichier XML invalide : encodage déclaré inconnu ou non pris en charge") from exc


def _local(tag: Any) -> str:
    # Namespaced tags read "{uri}name"; comments and processing instructions are not strings.
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _plain(element: Element) -> Plain:
    """The element in the JSON variant's shape (see the module docstring)."""
    out: dict[str, Plain] = {}
    repeated: set[str] = set()
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        if tag[0] == "{":
            tag = _local(tag)
        value = _plain(child)
        if tag not in out:
            out[tag] = value
        elif tag in repeated:
            out[tag].append(value)
        else:
            out[tag] = [out[tag], value]
            repeated.add(tag)
    if not out:
        text = (element.text or "").strip()
        return text or None
    return out


# ----------------------------------------------------------------------------------------
# JSON
# ----------------------------------------------------------------------------------------
def _parse_json_text(text: str, source_date: str | None) -> ParsedFile:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FicheError(f"fichier JSON invalide : ligne {exc.lineno}, colonne {exc.colno} ({exc.msg})") from exc
    except RecursionError as exc:
        raise FicheError("fichier JSON invalide : imbrication trop profonde") from exc
    builder = _Builder(JSON_FORMAT, "onisep-json", source_date)
    for metier in _json_metiers(document):
        builder.add(metier)
    return builder.result()


def _json_metiers(document: Any) -> list[Plain]:
    """The métier objects of a JSON export: {"metiers": {"metier": [...]}}, {"metiers": [...]},
    a bare list, or a single métier object."""
    if isinstance(document, dict) and "identifiant" in document:
        return [document]
    if isinstance(document, dict):
        for key in ("metiers", "metier"):
            if key in document:
                return _items(document[key], "metier")
        return []
    return _items(document, "metier")


# ----------------------------------------------------------------------------------------
# One métier (plain shape) → MetierRecord
# ----------------------------------------------------------------------------------------
class _Builder:
    """Collects records, refusing the file on a métier without id or with a duplicate id."""

    def __init__(self, format_name: str, source_kind: str, source_date: str | None) -> None:
        self.parsed = ParsedFile(format_name=format_name)
        self.source_kind, self.source_date = source_kind, source_date
        self.seen: set[str] = set()

    def add(self, metier: Plain) -> None:
        number = len(self.parsed.records) + 1
        if not isinstance(metier, dict):
            raise FicheError(f"métier n° {number} : ce n'est pas une fiche métier ONISEP")
        record = _record(metier, number, self.source_kind, self.source_date, self.parsed.notes)
        if record.id in self.seen:
            raise FicheError(f"métier n° {number} : identifiant en double « {record.id} »")
        self.seen.add(record.id)
        self.parsed.records.append(record)

    def result(self) -> ParsedFile:
        if not self.parsed.records:
            raise FicheError("aucun métier ONISEP (élément « metier ») dans le fichier")
        if self.source_date is None:
            self.parsed.notes.append("date de l'export inconnue (absente du nom du fichier)")
        return self.parsed


def _record(m: dict[str, Plain], number: int, source_kind: str, source_date: str | None,
            notes: list[str]) -> MetierRecord:
    ident = _text(m.get("identifiant")) or ""
    if not _ID.match(ident):
        shown = f" « {ident[:40]} »" if ident else ""
        raise FicheError(f"métier n° {number} : identifiant absent ou invalide{shown} (attendu : MET.123)")
    name = _text(m.get("nom_metier")) or _text(m.get("libelle_masculin")) or _text(m.get("libelle_feminin"))
    if not name:
        raise FicheError(f"métier n° {number} ({ident}) : nom du métier absent")
    sections = _sections(m)
    rome_codes, legacy_rome_codes = _rome(m, ident, notes)
    return MetierRecord(
        id=ident, name=name, source_kind=source_kind,
        label_f=_text(m.get("libelle_feminin")), label_m=_text(m.get("libelle_masculin")),
        synonyms=_synonyms(m), summary=next((s.text for s in sections if s.key == "presentation"), None),
        sections=sections, rome_codes=rome_codes, legacy_rome_codes=legacy_rome_codes,
        level_text=_level(m.get("niveau_acces_min")),
        salary=_salary(_text(m.get("vie_professionnelle")), source_date),
        sectors=_refs(m.get("secteurs_activite"), "secteur_activite"),
        interests=_refs(m.get("centres_interet"), "centre_interet"),
        statuts=_refs(m.get("statuts"), "statut"),
        formations=_refs(m.get("formations_min_requise"), "formation_min_requise"),
        related=_refs(m.get("metiers_associes"), "metier_associe"),
        country="FR", source_date=source_date, licence=LICENCE,
    )


def _text(value: Plain) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def _items(value: Plain, child: str) -> list[Plain]:
    """The entries of a container: ``{"child": [..]}``, ``{"child": {..}}``, a bare list, None."""
    if isinstance(value, dict) and child in value:
        value = value[child]
    if value is None:
        return []
    return [v for v in value if v is not None] if isinstance(value, list) else [value]


def _refs(container: Plain, child: str) -> list[Ref]:
    refs: list[Ref] = []
    for item in _items(container, child):
        if isinstance(item, dict):
            label, ident = _text(item.get("libelle")), _text(item.get("id"))
            if label or ident:
                refs.append(Ref(label=label or "", id=ident))
        elif label := _text(item):
            refs.append(Ref(label=label))
    return refs


def _synonyms(m: dict[str, Plain]) -> list[Synonym]:
    synonyms: list[Synonym] = []
    for item in _items(m.get("synonymes"), "synonyme"):
        if isinstance(item, dict):
            name = _text(item.get("nom_metier")) or _text(item.get("libelle_masculin")) \
                or _text(item.get("libelle_feminin"))
            if name:
                synonyms.append(Synonym(name, _text(item.get("libelle_feminin")),
                                        _text(item.get("libelle_masculin"))))
        elif name := _text(item):
            synonyms.append(Synonym(name))
    return synonyms


def _rome(m: dict[str, Plain], ident: str, notes: list[str]) -> tuple[list[str], list[str]]:
    """The valid and the legacy (5-digit) ROME codes; invalid ones are dropped with a note."""
    codes = [t for t in (_text(v) for v in _items(m.get("romesV3"), "romeV3")) if t]
    valid, legacy = split_rome_codes(codes)
    dropped = [c for c in codes if c.strip().upper() not in valid + legacy]
    if dropped:
        notes.append(f"{ident} : code(s) ROME invalide(s) ignoré(s) : {', '.join(dropped)}")
    return valid, legacy


def _level(value: Plain) -> str | None:
    """The level label as ONISEP writes it ("Bac + 2"), or its REF id when the label is missing."""
    if isinstance(value, dict):
        return _text(value.get("libelle")) or _text(value.get("id"))
    return _text(value)


def _sections(m: dict[str, Plain]) -> list[Section]:
    sections: list[Section] = []
    for element, key, title in _HTML_SECTIONS:
        text = html_to_text(_text(m.get(element)))
        if text:
            sections.append(Section(key, title, text))
    sections[1:1] = _short_formats(m.get("formats_courts"))
    sections.extend(s for s in (_publications(m), _web_sources(m)) if s)
    return sections


def _short_formats(container: Plain) -> list[Section]:
    """``formats_courts``: the "Dico des métiers" text is ONISEP's "En bref"; others keep their type."""
    sections: list[Section] = []
    for item in _items(container, "format_court"):
        if not isinstance(item, dict):
            continue
        kind = _text(item.get("type")) or "Format court"
        text = html_to_text(_text(item.get("descriptif")))
        if not text:
            continue
        if fold(kind).startswith("dico"):
            sections.append(Section("en_bref", "En bref", text))
        else:
            sections.append(Section("format_court_" + slug(kind).replace("-", "_"), kind, text))
    return sections


def _publications(m: dict[str, Plain]) -> Section | None:
    lines = []
    for item in _items(m.get("publications"), "publication"):
        if isinstance(item, dict) and _text(item.get("titre_publication")):
            details = [d for d in (_text(item.get("editeur")), _text(item.get("collection")),
                                   _text(item.get("annee"))) if d]
            suffix = f" ({', '.join(details)})" if details else ""
            lines.append(f"- {_text(item.get('titre_publication'))}{suffix}")
    return Section("publications", "Publications", "\n".join(lines)) if lines else None


def _web_sources(m: dict[str, Plain]) -> Section | None:
    lines = []
    for item in _items(m.get("sources_numeriques"), "source"):
        if isinstance(item, dict) and _text(item.get("valeur")):
            comment = _text(item.get("commentaire"))
            lines.append(f"- {_text(item.get('valeur'))}" + (f" : {comment}" if comment else ""))
    return Section("sources_numeriques", "Sites utiles", "\n".join(lines)) if lines else None


def _salary(vie_professionnelle: str | None, source_date: str | None) -> Salary | None:
    """The paragraphs under the "Salaire du débutant" heading of ``vie_professionnelle``."""
    if not vie_professionnelle or "alaire" not in vie_professionnelle:
        return None
    wording: list[str] = []
    inside = False
    for kind, text in html_blocks(vie_professionnelle):
        if kind == "h":
            if inside:
                break
            inside = fold(text).strip().startswith("salaire du debutant")
        elif inside:
            wording.append(text)
    if not wording:
        return None
    return parse_salary("\n".join(wording), source_date, "FR", scope="debutant")


register(Format(XML_FORMAT, "export ONISEP Idéo-Fiches métiers en XML (.xml ou .zip)", sniff_xml, parse_xml))
register(Format(JSON_FORMAT, "export ONISEP Idéo-Fiches métiers en JSON (.json)", sniff_json, parse_json))
