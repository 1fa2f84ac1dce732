"""ONISEP métier fiche in Markdown (one métier per file; seeds 000 and 003).

The layout is described in DATA.md: a "# name" title, "**Field:**" lines followed by "- item"
lists, "## Section" blocks. Two quirks matter: inside a section, sub-headings are indented by
12 spaces and their levels are shifted ("            ## Après le bac" inside "En bref"), and an
unindented "## Salaire" sits *inside* "Vie professionnelle". So only the known section titles
start a section; any other heading is a sub-heading of the section it appears in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from db.errors import FicheError
from db.catalogue.importers.registry import Format, register
from db.catalogue.importers.salary import parse_salary
from db.catalogue.importers.textio import decode, head_text, tidy
from db.catalogue.nomenclature import split_rome_codes
from db.catalogue.records import MetierRecord, ParsedFile, Ref, Salary, Section, Synonym
from db.text import fold as _fold

FORMAT_NAME = "onisep-md"
SOURCE_KIND = "onisep-md"
SOURCE_DATE = "2025-10-21"  # the Idéo export these Markdown fiches were generated from
LICENCE = "ODbL — Source : Onisep"

# Folded section title → (key, title shown to the counselor).
_TEXT_SECTIONS = {
    "presentation": ("presentation", "Présentation"),
    "en bref": ("en_bref", "En bref"),
    "nature du travail": ("nature_travail", "Nature du travail"),
    "competences requises": ("competences", "Compétences requises"),
    "competences": ("competences", "Compétences requises"),
    "conditions de travail": ("conditions_travail", "Conditions de travail"),
    "vie professionnelle": ("vie_professionnelle", "Vie professionnelle"),
    "acces au metier": ("acces_metier", "Accès au métier"),
}
# Folded "## title" or "**Field:**" → the list it introduces.
_LISTS = {
    "autres appellations": "synonyms", "formations recommandees": "formations",
    "centres d'interet": "interests", "appellations": "labels", "codes rome": "rome",
    "statuts possibles": "statuts", "statuts": "statuts", "secteurs d'activite": "sectors",
}
_ID = re.compile(r"^MET\.\d+$")
_FIELD = re.compile(r"^\*\*(?P<key>[^*]{1,80}?)\s*:?\s*\*\*\s*:?\s*(?P<value>.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.*)$")
_ITEM = re.compile(r"^[-*+]\s+(?P<text>.*)$")
_GENDER = re.compile(r"^(?P<gender>f[ée]minin|masculin)\s*:\s*(?P<label>.*)$", re.I)
_FORMATION_ID = re.compile(r"\(ID\s*:\s*(?P<id>[A-Za-z-]+\.\d+)\)")
_BR = re.compile(r"<br\s*/?>", re.I)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """:func:`db.text.fold`, cached: the same headings and labels recur in every fiche."""
    return _fold(text)


@dataclass
class _Block:
    """A text section being read: lines, with sub-headings marked so they stay on their own line."""

    key: str
    title: str
    lines: list[tuple[bool, str]] = field(default_factory=list)  # (is_heading, text)

    def text(self) -> str:
        out: list[str] = []
        for is_heading, line in self.lines:
            if is_heading:
                out.extend(("", line))
            else:
                out.append(_BR.sub("\n", line) if "<" in line else line)
        return tidy("\n".join(out))


@dataclass
class _Fiche:
    """What the line walk collected, before it becomes a MetierRecord."""

    title: str | None = None
    ident: str | None = None
    level: str | None = None
    label_f: str | None = None
    label_m: str | None = None
    synonyms: list[Synonym] = field(default_factory=list)
    rome: list[str] = field(default_factory=list)
    statuts: list[Ref] = field(default_factory=list)
    sectors: list[Ref] = field(default_factory=list)
    formations: list[Ref] = field(default_factory=list)
    interests: list[Ref] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)


def sniff(data: bytes, name: str) -> bool:
    """A "# title" line and an ONISEP "**ID:**" or "**Appellations:**" field near the top."""
    head = head_text(data, 8192)
    return (re.search(r"^# \S", head, re.M) is not None
            and re.search(r"^\*\*(ID|Appellations)\s*:?\s*\*\*", head, re.M) is not None)


def parse(data: bytes, name: str) -> ParsedFile:
    """One ONISEP Markdown fiche → one MetierRecord; FicheError without a title or MET id."""
    decoded = decode(data)
    fiche = _walk(decoded.text.split("\n"))
    notes = [decoded.note] if decoded.note else []
    record = _record(fiche, notes)
    return ParsedFile(format_name=FORMAT_NAME, records=[record], notes=notes)


# ----------------------------------------------------------------------------------------
# The line walk
# ----------------------------------------------------------------------------------------
class _Walker:
    """Reads lines in order; ``mode`` is the list being filled or the text block being written."""

    def __init__(self) -> None:
        self.fiche = _Fiche()
        self.mode: str | None = None
        self.block: _Block | None = None

    def line(self, raw: str) -> None:
        indented = raw[:1] in (" ", "\t")
        line = raw.strip()
        if not line:
            self._text(False, "")
            return
        if not indented and line[0] in "#*" and self._structure(line):
            return
        heading = _HEADING.match(line) if line[0] == "#" else None
        if heading and self.block is not None:
            self._text(True, _title(heading))
        elif self.mode is not None and self.block is None:
            item = _ITEM.match(line)
            self._item(item.group("text").strip() if item else line)
        else:
            self._text(False, line)

    def _structure(self, line: str) -> bool:
        """Handle an unindented title, field or section line; False when it is plain content."""
        if line.startswith("# ") and self.fiche.title is None:
            self.fiche.title = line[2:].strip()
            return True
        found = _FIELD.match(line)
        if found and (self.block is None or _known_field(found.group("key"))):
            self._field(found.group("key"), found.group("value").strip())
            return True
        heading = _HEADING.match(line)
        if heading is None:
            return False
        return self._heading(len(heading.group("hashes")), _title(heading))

    def _field(self, key: str, value: str) -> None:
        folded = fold(key).strip()
        self.block = None
        self.mode = _LISTS.get(folded, "ignored")
        if folded == "id":
            self.fiche.ident = value or self.fiche.ident
        elif folded.startswith("niveau"):
            self.fiche.level = value or None
        elif value and self.mode != "ignored":
            self._item(value)

    def _heading(self, level: int, title: str) -> bool:
        folded = fold(title).strip().rstrip(" :")
        if level == 2 and folded in _TEXT_SECTIONS:
            key, label = _TEXT_SECTIONS[folded]
            self.block = _Block(key, label)
            self.fiche.blocks.append(self.block)
            self.mode = "text"
            return True
        if level == 2 and folded in _LISTS:
            self.block, self.mode = None, _LISTS[folded]
            return True
        if self.mode == "synonyms" and level == 3:
            self.fiche.synonyms.append(Synonym(name=title.strip()))
            return True
        if self.block is None and level >= 2:
            # An unknown section outside any text block: keep it under its own key.
            self.block = _Block(_slug_key(title), title.strip())
            self.fiche.blocks.append(self.block)
            self.mode = "text"
            return True
        return False  # a sub-heading inside the current text block

    def _text(self, is_heading: bool, text: str) -> None:
        if self.block is not None:
            self.block.lines.append((is_heading, text))

    def _item(self, text: str) -> None:
        fiche, mode = self.fiche, self.mode
        if not text:
            return
        gender = _GENDER.match(text)
        if mode == "labels" and gender:
            _set_gender(fiche, gender.group("gender"), gender.group("label").strip())
        elif mode == "synonyms" and gender and fiche.synonyms:
            _set_gender(fiche.synonyms[-1], gender.group("gender"), gender.group("label").strip())
        elif mode == "rome":
            fiche.rome.append(text)
        elif mode == "statuts":
            fiche.statuts.append(Ref(label=text))
        elif mode == "sectors":
            fiche.sectors.append(Ref(label=text))
        elif mode == "interests":
            fiche.interests.append(Ref(label=text))
        elif mode == "formations":
            fiche.formations.append(_formation(text))


def _walk(lines: list[str]) -> _Fiche:
    walker = _Walker()
    for raw in lines:
        walker.line(raw)
    return walker.fiche


def _title(heading: re.Match[str]) -> str:
    """A heading's text without the optional closing hashes ("## Titre ##")."""
    # String operations rather than a regex: a long run of "#" or spaces must stay linear.
    title: str = heading.group("title").strip()
    bare = title.rstrip("#")
    return bare.rstrip() if bare != title and (not bare or bare[-1].isspace()) else title


def _formation(text: str) -> Ref:
    """ "BTS métiers de la mode (ID: FOR.6038)" → Ref(label, id); a label alone otherwise."""
    start = text.rfind("(ID")
    found = _FORMATION_ID.fullmatch(text[start:].rstrip()) if start >= 0 else None
    if found and text[:start].strip():
        return Ref(label=text[:start].strip(), id=found.group("id"))
    return Ref(label=text)


def _known_field(key: str) -> bool:
    folded = fold(key).strip()
    return folded in _LISTS or folded == "id" or folded.startswith("niveau d")


def _set_gender(target: _Fiche | Synonym, gender: str, label: str) -> None:
    if fold(gender).startswith("f"):
        target.label_f = label or None
    else:
        target.label_m = label or None


def _slug_key(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", fold(title)).strip("_") or "section"


# ----------------------------------------------------------------------------------------
# From the walk to the record
# ----------------------------------------------------------------------------------------
def _record(fiche: _Fiche, notes: list[str]) -> MetierRecord:
    if not fiche.title:
        raise FicheError("fiche ONISEP sans titre (la première ligne doit être « # nom du métier »)")
    ident = (fiche.ident or "").strip()
    if not _ID.match(ident):
        shown = f" « {ident[:40]} »" if ident else ""
        raise FicheError(f"fiche ONISEP sans identifiant valide{shown} (attendu : « **ID:** MET.123 »)")
    sections = _sections(fiche.blocks)
    rome, legacy = split_rome_codes(fiche.rome)
    dropped = [c.strip() for c in fiche.rome if c.strip().upper() not in rome + legacy]
    if dropped:
        notes.append(f"{ident} : code(s) ROME invalide(s) ignoré(s) : {', '.join(dropped)}")
    return MetierRecord(
        id=ident, name=fiche.title, source_kind=SOURCE_KIND,
        label_f=fiche.label_f, label_m=fiche.label_m, synonyms=fiche.synonyms,
        summary=next((s.text for s in sections if s.key == "presentation"), None),
        sections=sections, rome_codes=rome, legacy_rome_codes=legacy, level_text=fiche.level,
        salary=_salary(fiche.blocks), sectors=fiche.sectors, interests=fiche.interests,
        statuts=fiche.statuts, formations=fiche.formations, country="FR",
        source_date=SOURCE_DATE, licence=LICENCE,
    )


def _sections(blocks: list[_Block]) -> list[Section]:
    sections: list[Section] = []
    for block in blocks:
        text = block.text()
        if text:
            sections.append(Section(block.key, block.title, text))
    return sections


def _salary(blocks: list[_Block]) -> Salary | None:
    """The line(s) under the "Salaire du débutant" sub-heading, read by :func:`parse_salary`."""
    for block in blocks:
        lines = block.lines
        for index, (is_heading, text) in enumerate(lines):
            if is_heading and "salaire du d" in text.lower() and fold(text).strip() == "salaire du debutant":
                wording = _paragraph_after(lines, index + 1)
                if wording:
                    return parse_salary(wording, SOURCE_DATE, "FR", scope="debutant")
    return None


def _paragraph_after(lines: list[tuple[bool, str]], start: int) -> str:
    found: list[str] = []
    for is_heading, text in lines[start:]:
        if is_heading or (not text and found):
            break
        if text:
            found.append(text)
    return "\n".join(_BR.sub("\n", t) for t in found).strip()


register(Format(FORMAT_NAME, "fiche métier ONISEP en Markdown (.md)", sniff, parse))
