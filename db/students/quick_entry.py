"""What a counselor types in one field, read into values: "Zoé Martin 3e B" (a new student's first
name, name and class) and "utile, vocation, bouger" (several centres d'intérêt at once).

Qt-free: the window fills its forms with these values, and the counselor can still correct them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from db.errors import UserError
from db.text import fold

# A class as written in French schools: "3e B", "3ème 2", "2nde 4", "2de", "1re STMG", "Tle G2",
# "terminale", "CAP 1", "bac pro 2"… The class starts at the first word that looks like one;
# what follows it (a group letter or number, a track) belongs to the class.
_CLASS_START = re.compile(
    r"^(?:[3-6](?:e|eme|ème|è)|2n?de?|2nde|1(?:re|ere|ère)|1e|t(?:le|erm|erminale)|cap|bac|bts|but|"
    r"seconde|premiere|première|sixieme|sixième|cinquieme|cinquième|quatrieme|quatrième|troisieme|troisième|"
    r"ulis|segpa|post-bac)$", re.IGNORECASE)


@dataclass
class StudentLine:
    """A new student as typed in one line; any part may be "" (not given)."""

    prenom: str = ""
    nom: str = ""
    classe: str = ""
    current_class: str = ""  # the code of :data:`db.catalogue.routes.CLASSES` the class suggests, or ""


def suggested_current_class(classe: str) -> str:
    """The current-class code a class such as "3e B" or "Tle G2" suggests ("" when unsure), read
    by :func:`db.catalogue.routes.class_code` from its first two words, else its first: a general
    track is assumed, the form shows it to be corrected."""
    from db.catalogue.routes import class_code

    words = fold(classe).split()
    if words[:1] == ["bac"]:  # "bac pro 2" is a year of a bac, not a bac obtained
        return ""
    for typed in (" ".join(words[:2]), " ".join(words[:1])):
        try:
            return class_code(typed) if typed else ""
        except UserError:
            continue
    return ""


def parse_student_line(text: str) -> StudentLine:
    """Read "Zoé Martin 3e B" as first name "Zoé", name "Martin", class "3e B".

    The class is everything from the first word that starts a class ("3e", "2nde", "Tle", "CAP"…);
    the current class for the routes is guessed from it ("3e B" → "3e", "2nde 4" → "2de-gt").
    Before it: one word is a name (looked for first, as in the student search), two or more are a
    first name then the name ("Jean Pierre Dupont" gives "Jean", "Pierre Dupont": the form lets the
    counselor move a word). Never raises; blank text gives an empty line.
    """
    words = text.split()
    start = next((i for i, word in enumerate(words) if _CLASS_START.match(word)), len(words))
    names, classe = words[:start], " ".join(words[start:])
    current = suggested_current_class(classe)
    if len(names) == 1:
        return StudentLine(nom=names[0], classe=classe, current_class=current)
    return StudentLine(prenom=" ".join(names[:1]), nom=" ".join(names[1:]), classe=classe, current_class=current)


@dataclass
class InterestMatch:
    """The interests found for each part typed, in the order typed, and the parts matching none."""

    found: list[tuple[str, str]] = field(default_factory=list)  # (id, label)
    not_found: list[str] = field(default_factory=list)


def match_interests(text: str, interests: list[tuple[str, str]]) -> InterestMatch:
    """Each comma- or semicolon-separated part of ``text`` picks the interest (``(id, label)``)
    whose label holds all its words (accents and case ignored), the shortest such label first
    ("utile" finds "je veux être utile"); a part matching none is listed in ``not_found``.
    An interest is found once even when two parts name it."""
    result = InterestMatch()
    folded = [(iid, label, fold(label)) for iid, label in interests]
    for part in (p.strip() for p in re.split(r"[,;]", text)):
        if not part:
            continue
        wanted = fold(part).split()
        matches = [(len(f), iid, label) for iid, label, f in folded if all(w in f for w in wanted)]
        if not matches:
            result.not_found.append(part)
            continue
        _, iid, label = min(matches)
        if iid not in [i for i, _ in result.found]:
            result.found.append((iid, label))
    return result
