"""Legal annex of a French "titre professionnel" (seed 001), as text copied from the
Journal officiel.

The annex is a certification, not a métier fiche, but it describes one job: it becomes one
record whose name is the title, whose level is the "Niveau : III." line (1969 scale; the
nomenclature maps it to bac + 2), with its NSF code, its old 5-digit ROME codes kept apart
from valid ones, the sectors of its prose list and one section per block of competences.

Lines copied from a PDF are often cut in the middle of a sentence ("…les flux" / "de produits
industriels"): a paragraph that starts with a lower-case letter continues the previous one
when that one does not end a sentence. The id is derived from the title ("TP.<slug>").
"""
from __future__ import annotations

import re

from db.errors import FicheError
from db.catalogue.importers.registry import Format, register
from db.catalogue.importers.textio import Paragraph, decode, derived_id, head_text, paragraphs
from db.catalogue.nomenclature import split_rome_codes
from db.catalogue.records import MetierRecord, ParsedFile, Ref, Section
from db.text import fold

FORMAT_NAME = "titre-pro"
ID_PREFIX = "TP."
_TITLE = re.compile(r"^titre professionnel\s*:?\s*(?P<title>.+?)\.?$", re.I)
_LEVEL = re.compile(r"^niveau\s*:\s*(?P<level>[^\s.]+(?:\s+[^\s.]+)?)\s*\.?$", re.I)
_NSF = re.compile(r"^code\s+nsf\s*:\s*(?P<nsf>\d{3}\s*[a-z]?)\s*\.?$", re.I)
_ROME_LINE = re.compile(r"^(?P<code>[A-N]\d{4}|\d{5})\b\s*[-–:]?\s*(?P<label>.*?)\.?$")
_NUMBERED = re.compile(r"^(?P<number>\d{1,2})\.\s+(?P<title>\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;…»)]$")
# Folded heading start → (section key, title); the annex's headings, in order.
_HEADINGS = (
    ("resume du referentiel", "presentation", "Résumé du référentiel d'emploi"),
    ("capacites attestees", "competences", "Capacités attestées"),
    ("secteurs d'activites", "secteurs", "Secteurs d'activités ou types d'emploi accessibles"),
    ("codes rome", "codes_rome", "Codes ROME"),
    ("reglementation de l'activite", "reglementation", "Réglementation de l'activité"),
    ("autorite responsable", "autorite", "Autorité responsable de la certification"),
    ("bases legales", "bases_legales", "Bases légales et réglementaires"),
)


def sniff(data: bytes, name: str) -> bool:
    """A "Titre professionnel : …" line with a "Niveau :" or "Code NSF :" line near it."""
    head = head_text(data, 4096)
    return (re.search(r"^\s*titre professionnel\s*:", head, re.I | re.M) is not None
            and re.search(r"^\s*(niveau|code nsf)\s*:", head, re.I | re.M) is not None)


def parse(data: bytes, name: str) -> ParsedFile:
    """One annex → one record with a title-derived id (said in a note)."""
    decoded = decode(data)
    paras = _joined(paragraphs(decoded.text))
    annex = _Annex()
    for para in paras:
        annex.add(para)
    record = annex.record()
    notes = [f"identifiant dérivé du titre : {record.id} (un titre professionnel n'a pas d'identifiant "
             "de métier)"]
    if record.legacy_rome_codes:
        notes.append(f"ancien(s) code(s) ROME à 5 chiffres conservé(s) à part : "
                     f"{', '.join(record.legacy_rome_codes)} (ROME v1/v2, sans correspondance officielle)")
    if decoded.note:
        notes.append(decoded.note)
    return ParsedFile(format_name=FORMAT_NAME, records=[record], notes=notes)


def _joined(paras: list[Paragraph]) -> list[str]:
    """Paragraph texts with PDF line cuts mended (see the module docstring)."""
    texts: list[str] = []
    for para in paras:
        text = " ".join(para.lines)
        if texts and text[:1].islower() and not _SENTENCE_END.search(texts[-1]):
            texts[-1] = f"{texts[-1]} {text}"
        else:
            texts.append(text)
    return texts


class _Annex:
    """Collects the annex's facts paragraph by paragraph."""

    def __init__(self) -> None:
        self.title: str | None = None
        self.level: str | None = None
        self.nsf: str | None = None
        self.codes: list[str] = []
        self.code_lines: list[str] = []
        self.sections: dict[str, tuple[str, list[str]]] = {}
        self.blocks: list[tuple[str, list[str]]] = []  # numbered competence blocks
        self.current: str | None = None

    def add(self, text: str) -> None:
        if self._fact(text):
            return
        heading = _heading(text)
        if heading:
            key, title = heading
            self.current = key
            self.sections.setdefault(key, (title, []))
            return
        if self.current == "competences" or (self.current == "competences_block" and self.blocks):
            numbered = _NUMBERED.match(text)
            if numbered:
                self.blocks.append((f"{numbered.group('number')}. {numbered.group('title')}", []))
                self.current = "competences_block"
                return
        if self.current == "competences_block":
            self.blocks[-1][1].append(text)
        elif self.current == "codes_rome":
            code = _ROME_LINE.match(text)
            if code:
                self.codes.append(code.group("code"))
            self.code_lines.append(text)
        elif self.current:
            self.sections[self.current][1].append(text)

    def _fact(self, text: str) -> bool:
        """Title, level and NSF lines; True when ``text`` was one of them."""
        for pattern, attribute in ((_TITLE, "title"), (_LEVEL, "level"), (_NSF, "nsf")):
            found = pattern.match(text)
            if found and getattr(self, attribute) is None:
                setattr(self, attribute, found.group(attribute).strip())
                return True
        return False

    def record(self) -> MetierRecord:
        if not self.title:
            raise FicheError("titre professionnel sans intitulé (ligne « Titre professionnel : … » absente)")
        ident = derived_id(ID_PREFIX, self.title)
        if ident is None:
            raise FicheError("intitulé du titre professionnel illisible : impossible de lui donner un identifiant")
        valid, legacy = split_rome_codes(self.codes)
        sections = self._sections()
        label_m, label_f = _gendered(self.title)
        return MetierRecord(
            id=ident, name=self.title, source_kind="titre-pro", label_f=label_f, label_m=label_m,
            summary=next((s.text.split("\n\n")[0] for s in sections if s.key == "presentation"), None),
            sections=sections, rome_codes=valid, legacy_rome_codes=legacy,
            level_text=f"Niveau : {self.level}" if self.level else None,
            sectors=_sectors(self.sections.get("secteurs", ("", []))[1]),
            nsf_code=_nsf(self.nsf), country="FR",
        )

    def _sections(self) -> list[Section]:
        sections: list[Section] = []
        for _, key, usual_title in _HEADINGS:
            if key == "codes_rome":
                text, title = "\n".join(self.code_lines), usual_title
            elif key in self.sections:
                title, lines = self.sections[key]
                text = "\n\n".join(lines)
            else:
                continue
            if text:
                sections.append(Section(key, title, text))
            if key == "competences":
                sections.extend(Section(f"competences_{n}", block_title, "\n".join(lines))
                                for n, (block_title, lines) in enumerate(self.blocks, start=1))
        return sections


def _heading(text: str) -> tuple[str, str] | None:
    key = fold(text).replace("’", "'")
    for start, section_key, title in _HEADINGS:
        if key.startswith(start) and len(text) < 120:
            return section_key, title
    return None


def _nsf(raw: str | None) -> str | None:
    """ "200 p" / "200p" → "200 p" (3-digit speciality, space, function letter)."""
    if not raw:
        return None
    found = re.match(r"^(\d{3})\s*([a-z]?)$", raw.strip(), re.I)
    return f"{found.group(1)} {found.group(2).lower()}".strip() if found else raw.strip()


def _sectors(lines: list[str]) -> list[Ref]:
    """The sectors of the prose list: the items in parentheses of "Tous secteurs industriels
    (mécanique, plasturgie, …)", else the comma-separated items of each sentence. Phrases
    that mean "any sector" ("Fonction transverse", "Tous secteurs") are not sectors."""
    refs: list[Ref] = []
    for line in lines:
        inside = re.search(r"\(([^()]*)\)", line)
        items = inside.group(1).split(",") if inside else line.rstrip(".").split(",")
        for item in items:
            label = _strip_etc(item)
            if label and len(label) < 80 and not fold(label).startswith(_ANY_SECTOR):
                refs.append(Ref(label=label))
    return refs


_ANY_SECTOR = ("fonction transverse", "tous secteurs", "tout secteur")


def _strip_etc(item: str) -> str:
    """ "automobile..." / "textile, etc." → the bare label (string operations: linear)."""
    label = item.strip().rstrip(".… ")
    if label.lower().endswith(" etc") or label.lower() == "etc":
        label = label[:-3].rstrip(" ,.…")
    return label


def _gendered(title: str) -> tuple[str | None, str | None]:
    """ "technicien(ne) supérieur(e)" → ("technicien supérieur", "technicienne supérieure")."""
    if "(" not in title:
        return title, title
    masculine = re.sub(r"\((?:e|ne|le|te|se|ve|euse|trice|ère|ière|rice)\)", "", title)
    feminine = re.sub(r"(\w+)\((e|ne|le|te|se|ve|euse|trice|ère|ière|rice)\)", _feminine, title)
    if "(" in masculine:  # an unknown mark: do not guess the forms
        return None, None
    return masculine, feminine


def _feminine(found: re.Match[str]) -> str:
    stem: str = found.group(1)
    ending: str = found.group(2)
    if ending == "euse" and stem.endswith("eur"):
        return stem[:-3] + "euse"
    if ending in ("trice", "rice") and stem.endswith("teur"):
        return stem[:-4] + "trice"
    if ending in ("ère", "ière") and stem.endswith("er"):
        return stem[:-2] + ending
    if ending == "ve" and stem.endswith("f"):
        return stem[:-1] + "ve"
    return stem + ending


register(Format(FORMAT_NAME, "annexe de titre professionnel (texte du Journal officiel)", sniff, parse))
