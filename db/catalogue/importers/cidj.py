"""CIDJ / Info jeunes métier fiche, as text copied from the web page (seed 004).

The page has no id and its section headings are lost in the copy; what remains is a fixed
order that the parser follows paragraph by paragraph:

    title · synonyms line · author, "Publié le JJ-MM-AAAA", "Crédit : …" · summary ·
    "Secteurs d’activités" + sectors · "Centres d’intérêts" + interests (run together) ·
    the métier (several paragraphs) · the salary · working conditions · access, with
    "Exemples de formations :" grouped by "niveau bac + N" · career (after a double break) ·
    the network's footer ("Nous rencontrer", dropped).

The id is derived from the title ("CIDJ.planificateur-planificatrice-de-production").
"""
from __future__ import annotations

import datetime as dt
import re

from db.errors import FicheError
from db.catalogue.importers.registry import Format, register
from db.catalogue.importers.salary import parse_salary
from db.catalogue.importers.textio import Paragraph, decode, derived_id, head_text, paragraphs
from db.catalogue.records import MetierRecord, ParsedFile, Ref, Salary, Section, Synonym
from db.text import fold

FORMAT_NAME = "cidj"
ID_PREFIX = "CIDJ."
_SECTORS_HEADING = "secteurs d'activites"
_INTERESTS_HEADING = "centres d'interets"
_DATE = re.compile(r"(?:publi[ée]|mis à jour|mise à jour)\s+le\s+(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.I)
_SALARY_START = re.compile(r"^(?:de|entre|a partir|des|salaire|smic|remuneration)\b|^\d")
_DIPLOMA = re.compile(r"\b(?:bac|bts|but|cap|dut|licence|master|diplome|ecole|formation|ingenieur)", re.I)
_LEVEL = re.compile(r"(?:niveau\s+)?(bac\s*\+\s*\d+|bac|cap)\s+minimum"
                    r"|minimum\s*:?\s*(?:(?:un|une|le|du|de|niveau)\s+)*(bac\s*\+\s*\d+|bac|cap)\b")
_BULLET = re.compile(r"^[•●▪◦·*-]\s*")
_FOOTER = re.compile(r"^(?:nous rencontrer|le reseau info jeunes)")
# An interest ends where the next starts with a capital: "Organiser, gérer Travailler dans…".
_INTEREST_SPLIT = re.compile(r"(?<=[a-zàâçéèêëîïôûùüÿœ)]) (?=[A-ZÀÂÇÉÈÊËÎÏÔÛÙÜŸŒ])")


def _key(line: str) -> str:
    return " ".join(fold(line).replace("’", "'").split()).rstrip(" :")


def sniff(data: bytes, name: str) -> bool:
    """Both CIDJ block headings, "Secteurs d’activités" and "Centres d’intérêts", as lines."""
    keys = {_key(line) for line in head_text(data, 8192).split("\n") if len(line) < 40}
    return _SECTORS_HEADING in keys and _INTERESTS_HEADING in keys


def parse(data: bytes, name: str) -> ParsedFile:
    """One CIDJ fiche → one record with a title-derived id (said in a note)."""
    decoded = decode(data)
    paras = paragraphs(decoded.text)
    if not paras:
        raise FicheError("fiche CIDJ vide")
    title = paras[0].lines[0]
    ident = derived_id(ID_PREFIX, title)
    if ident is None:
        raise FicheError("fiche CIDJ sans titre lisible : impossible de lui donner un identifiant")
    reader = _Reader(paras[1:])
    record = reader.record(title, ident)
    notes = [f"identifiant dérivé du titre : {ident} (une fiche CIDJ n'a pas d'identifiant)"]
    if decoded.note:
        notes.append(decoded.note)
    return ParsedFile(format_name=FORMAT_NAME, records=[record], notes=notes)


class _Reader:
    """Walks the paragraphs in the page's order (see the module docstring)."""

    def __init__(self, paras: list[Paragraph]) -> None:
        self.paras = paras
        self.synonyms: list[Synonym] = []
        self.source_date: str | None = None
        self.summary: str | None = None
        self.sectors: list[Ref] = []
        self.interests: list[Ref] = []
        self.parts: dict[str, list[str]] = {k: [] for k in ("metier", "conditions", "acces", "evolution")}
        self.salary_text: str | None = None
        self.formations: list[Ref] = []

    def record(self, title: str, ident: str) -> MetierRecord:
        body = self._header()
        self._body(body)
        label_m, label_f = _gendered(title)
        salary = self._salary()
        sections = self._sections()
        acces = "\n".join(self.parts["acces"])
        return MetierRecord(
            id=ident, name=title, source_kind="cidj", label_f=label_f, label_m=label_m,
            synonyms=self.synonyms, summary=self.summary, sections=sections,
            level_text=_level(acces), salary=salary, sectors=self.sectors,
            interests=self.interests, formations=self.formations, country="FR",
            source_date=self.source_date,
        )

    # -- header: synonyms, date, summary, sectors, interests ---------------------------
    def _header(self) -> list[Paragraph]:
        index = 0
        while index < len(self.paras):
            para = self.paras[index]
            key = _key(para.lines[0])
            if index > 0 and para.gap:
                break  # the header ends at the first section break
            if key == _SECTORS_HEADING and self._content_at(index + 1):
                index += 1
                self.sectors = [Ref(label=line) for line in self.paras[index].lines]
            elif key == _INTERESTS_HEADING and self._content_at(index + 1):
                index += 1
                self.interests = [Ref(label=label) for line in self.paras[index].lines
                                  for label in _INTEREST_SPLIT.split(line) if label.strip()]
            elif index == 0:
                self._byline(para)
            elif self.summary is None:
                self.summary = para.text
            index += 1
        return self.paras[index:]

    def _content_at(self, index: int) -> bool:
        """Whether paragraph ``index`` exists and is a list, not the next heading."""
        return index < len(self.paras) and _key(self.paras[index].lines[0]) not in (
            _SECTORS_HEADING, _INTERESTS_HEADING)

    def _byline(self, para: Paragraph) -> None:
        """Synonyms on the first line, then author, publication date and photo credit."""
        lines = list(para.lines)
        dated = [i for i, line in enumerate(lines) if _DATE.search(line)]
        if dated:
            self.source_date = _date(_DATE.search(lines[dated[0]]))
            lines = lines[: max(0, dated[0] - 1)]  # the line before the date is the author
        lines = [line for line in lines if not _key(line).startswith("credit")]
        if not lines:
            return
        if "," in lines[0] or len(lines) > 1 or dated:
            self.synonyms = [Synonym(s.strip()) for s in lines[0].split(",") if s.strip()]
        else:
            self.summary = lines[0]

    # -- body: métier, salary, conditions, access and formations, career ---------------
    def _body(self, body: list[Paragraph]) -> None:
        part, in_formations = "metier", False
        for para in body:
            key = _key(para.lines[0])
            if _FOOTER.match(key):
                break
            if self.salary_text is None and part == "metier" and _is_salary(key, para.text):
                self.salary_text, part = para.text, "conditions"
                continue
            if key.startswith("exemples de formations"):
                part, in_formations = "acces", True
            elif in_formations and para.gap:
                part, in_formations = "evolution", False  # the list ends at a section break
            elif part == "conditions" and _DIPLOMA.search(fold(para.text)):
                part = "acces"  # the first paragraph about diplomas opens the access part
            if in_formations:
                self.formations.extend(_bullets(para))
            self.parts[part].append(para.text)

    def _salary(self) -> Salary | None:
        if not self.salary_text:
            return None
        return parse_salary(self.salary_text, self.source_date, "FR", scope="inconnu")

    def _sections(self) -> list[Section]:
        titles = (("metier", "nature_travail", "Le métier"),
                  ("conditions", "conditions_travail", "Conditions de travail"),
                  ("acces", "acces_metier", "Formation et accès au métier"),
                  ("evolution", "vie_professionnelle", "Évolution professionnelle"))
        sections = [Section("presentation", "Présentation", self.summary)] if self.summary else []
        if self.salary_text:
            sections.append(Section("salaire", "Salaire", self.salary_text))
        sections.extend(Section(key, title, "\n\n".join(self.parts[part]))
                        for part, key, title in titles if self.parts[part])
        order = ("presentation", "nature_travail", "salaire", "conditions_travail", "acces_metier",
                 "vie_professionnelle")
        return sorted(sections, key=lambda s: order.index(s.key))


def _bullets(para: Paragraph) -> list[Ref]:
    """The "• BTS …" items of a paragraph of the formations list."""
    labels = (_BULLET.sub("", line) for line in para.lines if _BULLET.match(line))
    return [Ref(label=label) for label in labels if label]


def _is_salary(key: str, text: str) -> bool:
    """A paragraph that opens with a salary wording and names an amount or the SMIC."""
    return bool(_SALARY_START.match(key)) and ("€" in text or "euro" in key or "smic" in key)


def _date(found: re.Match[str] | None) -> str | None:
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _gendered(title: str) -> tuple[str | None, str | None]:
    """ "Planificateur / Planificatrice de production" → masculine and feminine labels."""
    if title.count(" / ") != 1:
        return None, None
    first, second = (part.strip() for part in title.split(" / "))
    if not first or not second:
        return None, None
    if " " not in first and " " in second:
        complement = second.split(" ", 1)[1]
        return f"{first} {complement}", second
    return first, second


def _level(acces: str) -> str | None:
    """The minimum level the access text states ("de niveau bac + 2 minimum" → "bac + 2")."""
    found = _LEVEL.search(fold(acces))
    if not found:
        return None
    raw = found.group(1) or found.group(2)
    return re.sub(r"\s*\+\s*", " + ", raw)


register(Format(FORMAT_NAME, "fiche métier CIDJ / Info jeunes (texte)", sniff, parse))
