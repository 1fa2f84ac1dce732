"""Belgian métier guide page, as text copied from the browser (seed 002; country "BE").

The page is a fiche wrapped in marketing: a quiz banner, "Tester ma compatibilité", "Faire
le quiz gratuit", calls to action… Those lines are not part of the fiche and are dropped;
decorative emoji are stripped. What remains is read by its headings: a heading is a line
that starts with an emoji ("📊 Le métier en chiffres"), a line that follows an emoji-only
line (the summary cards: "💰" then "Salaire"), or one of a few known plain headings
("Qualités clés", "Introduction au métier de …").

Studies are Belgian (CESS, bachelier = bac + 3, master): the level is the lowest Belgian
degree the "Études" card names. The salary is read with the starting figures first
("débutant 3 200-4 500€") and the career range kept. The id is derived from the title
("BE.<slug>").
"""
from __future__ import annotations

import re

from db.errors import FicheError
from db.catalogue.importers.registry import Format, register
from db.catalogue.importers.salary import parse_salary
from db.catalogue.importers.textio import decode, derived_id, head_text, is_emoji, strip_emoji
from db.catalogue.records import MetierRecord, ParsedFile, Salary, Section
from db.text import fold, slug

FORMAT_NAME = "be-guide"
ID_PREFIX = "BE."
_TITLE = re.compile(r"^(?P<name>.+?)\s*:\s*le guide complet du m[ée]tier en belgique\s*$", re.I)
_MARKETING = re.compile(
    r"quiz|compatib|^demarrer$|^gagnez des mois|^pret\(e\) a|^pret a|^decouvrez (?:si|votre|objectivement)"
    r"|^se poser les bonnes questions|^clique sur un critere|analyse (?:gratuite|objective)|bilan immediat"
    r"|^commencer mon|^tester ma")
# Folded heading start → (section key, usual title). "" keys mark navigation, dropped.
_HEADINGS = (
    ("etudes", "etudes", "Études"), ("qualites cles", "competences", "Qualités clés"),
    ("salaire", "salaire", "Salaire"), ("conditions", "conditions_travail", "Conditions de travail"),
    ("introduction au metier", "presentation", "Introduction au métier"),
    ("le metier en chiffres", "chiffres", "Le métier en chiffres"),
    ("missions", "nature_travail", "Missions quotidiennes"),
    ("outils", "outils", "Outils et équipements"), ("journee type", "journee_type", "Journée type"),
    ("le metier en belgique", "faits_marquants", "Le métier en Belgique"),
    ("temoignage", "temoignage", "Témoignage"),
    ("formation pour devenir", "acces_metier", "Formation"),
    ("lieux de travail", "lieux_travail", "Lieux de travail"),
    ("avantages et inconvenients", "avantages_inconvenients", "Avantages et inconvénients"),
    ("conseils", "conseils", "Conseils"), ("auto-evaluation", "auto_evaluation", "Auto-évaluation"),
    ("questions frequentes", "faq", "Questions fréquentes"),
    ("ou se former", "ou_se_former", "Où se former et travailler"),
    ("metiers similaires", "", ""), ("criteres du metier", "", ""),
)
# Headings that title a part of the section they appear in.
_SUBHEADINGS = ("points +", "points -", "principales formations", "zones d'emploi")
_PLAIN_HEADINGS = ("qualites cles", "introduction au metier")
# Belgian degrees from lowest to highest (parse_level knows each word).
_BE_DEGREES = tuple(re.compile(p, re.I) for p in (r"\bCESS\b", r"\bBES\b", r"\bbachelier\b",
                                                   r"\bmaster\b", r"\bdoctorat\b"))
_YEAR = re.compile(r"belgique (\d{4})")


def _key(line: str) -> str:
    return " ".join(fold(line).replace("’", "'").split())


def sniff(data: bytes, name: str) -> bool:
    """A "<métier> : Le Guide Complet du Métier en Belgique" title near the top."""
    return "guide complet du metier en belgique" in _key(head_text(data, 8192))


def parse(data: bytes, name: str) -> ParsedFile:
    """One guide page → one Belgian record; marketing lines and emoji are left out (noted)."""
    decoded = decode(data)
    lines = decoded.text.split("\n")
    start, title = _title(lines)
    page = _Page(title)
    for line in lines[start + 1:]:
        page.add(line)
    record = page.record()
    notes = [f"identifiant dérivé du titre : {record.id} (la page n'a pas d'identifiant)",
             f"{page.dropped} ligne(s) publicitaire(s) ou de navigation retirée(s) (quiz, invitations)"]
    if decoded.note:
        notes.append(decoded.note)
    return ParsedFile(format_name=FORMAT_NAME, records=[record], notes=notes)


def _title(lines: list[str]) -> tuple[int, str]:
    for index, line in enumerate(lines):
        found = _TITLE.match(strip_emoji(line))
        if found and found.group("name").strip():
            return index, found.group("name").strip()
    raise FicheError("page de guide belge sans titre « <métier> : Le Guide Complet du Métier en Belgique »")


class _Page:
    """Sorts the lines after the title into summary, sections and dropped marketing."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.summary: str | None = None
        self.sections: list[tuple[str, str, list[str]]] = []  # (key, title, lines)
        self.awaiting_heading = False
        self.dropped = 0
        self.year: int | None = None

    def add(self, raw: str) -> None:
        line = strip_emoji(raw)
        key = _key(line)
        if not line:
            self._blank(raw)
        elif _MARKETING.search(key) or key == _key(self.title):
            self.dropped += 1
        elif self.awaiting_heading or is_emoji(raw.strip()[:1]) or key.startswith(_PLAIN_HEADINGS):
            self.awaiting_heading = False
            self._heading(line, key)
        elif not self.sections and self.summary is None:
            self.summary = line
        else:
            if not self.sections:  # text between the tagline and the first heading is kept too
                self.sections.append(("introduction", "Introduction", []))
            self.sections[-1][2].append(_bullet(line))

    def _blank(self, raw: str) -> None:
        if raw.strip():  # an emoji alone on its line: the next line is a card heading
            self.awaiting_heading = True
        elif self.sections:
            self.sections[-1][2].append("")

    def _heading(self, line: str, key: str) -> None:
        if key.startswith(_SUBHEADINGS) and self.sections:
            self.sections[-1][2].extend(("", line))
            return
        year = _YEAR.search(key)
        if year:
            self.year = int(year.group(1))
        section_key = next((k for start, k, _ in _HEADINGS if key.startswith(start)),
                           slug(line).replace("-", "_") or "section")
        self.sections.append((section_key, line, []))

    def record(self) -> MetierRecord:
        ident = derived_id(ID_PREFIX, self.title)
        if ident is None:
            raise FicheError("titre de la page illisible : impossible de lui donner un identifiant")
        sections = self._sections()
        by_key = {s.key: s.text for s in sections}
        return MetierRecord(
            id=ident, name=self.title, source_kind="be-guide", summary=self.summary,
            sections=sections, level_text=_level(by_key.get("etudes", "")),
            salary=self._salary(by_key.get("salaire")), country="BE",
        )

    def _sections(self) -> list[Section]:
        merged: dict[str, Section] = {}
        for key, title, lines in self.sections:
            text = "\n".join(lines).strip()
            text = re.sub(r"\n{3,}", "\n\n", text)
            if not key or not text:
                continue  # navigation blocks ("Métiers similaires") and empty cards
            if key in merged:
                merged[key].text += "\n\n" + text
            else:
                merged[key] = Section(key, title, text)
        return list(merged.values())

    def _salary(self, text: str | None) -> Salary | None:
        if not text:
            return None
        salary = parse_salary(text, None, "BE", scope="inconnu")
        salary.year = self.year
        return salary


def _bullet(line: str) -> str:
    return re.sub(r"^[•●▪◦·]\s*", "- ", line)


def _level(studies: str) -> str | None:
    """The lowest Belgian degree the studies text names, as written ("Bachelier")."""
    for pattern in _BE_DEGREES:
        found = pattern.search(studies)
        if found:
            return found.group(0)
    return None


register(Format(FORMAT_NAME, "page de guide des métiers belge (texte)", sniff, parse))
