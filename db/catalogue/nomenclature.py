"""The reference lists every fiche is normalised to: levels, centres d'intérêt, sectors, statuts.

Codes and short labels are public facts (ONISEP Idéo nomenclatures, ROME 4.0 grands domaines,
French and Belgian qualification frameworks). Functions here never touch the database; the
engine copies these lists into their tables at start-up so SQL can join on them.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from db.text import fold, slug


# --------------------------------------------------------------------------------------------
# Levels of study
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Level:
    """One step of the single level nomenclature.

    ``bac_plus`` orders levels: CAP and below are negative so that "niveau maximum CAP"
    keeps "sans diplôme" and "brevet" too. ``level_2019`` is the French national framework
    (1–8), ``level_1969`` the old roman scale, ``be`` the Belgian (FWB) equivalent.
    """

    code: str
    label: str
    bac_plus: int
    level_2019: int | None
    level_1969: str | None
    be: str | None


LEVELS: tuple[Level, ...] = (
    Level("sans-diplome", "sans diplôme", -4, None, "VI", None),
    Level("3e", "3e", -4, None, "VI", None),
    Level("brevet", "diplôme national du brevet", -3, 2, "Vbis", None),
    Level("cap", "CAP ou équivalent", -2, 3, "V", "CQ"),
    Level("cap+1", "CAP ou équivalent + 1 an", -1, 3, "V", "CQ"),
    Level("bac", "bac ou équivalent", 0, 4, "IV", "CESS"),
    Level("bac+1", "bac + 1", 1, 4, "IV", "CESS"),
    Level("bac+2", "bac + 2", 2, 5, "III", "BES"),
    Level("bac+3", "bac + 3", 3, 6, "II", "bachelier"),
    Level("bac+4", "bac + 4", 4, 6, "II", "bachelier"),
    Level("bac+5", "bac + 5", 5, 7, "I", "master"),
    Level("bac+6", "bac + 6", 6, 7, "I", "master"),
    Level("bac+7", "bac + 7", 7, 7, "I", "master"),
    Level("bac+8", "bac + 8", 8, 8, "I", "doctorat"),
    Level("bac+9", "bac + 9 et plus", 9, 8, "I", "doctorat"),
)
LEVELS_BY_CODE = {lv.code: lv for lv in LEVELS}

@dataclass(frozen=True)
class LevelChoice:
    """One "niveau d'études maximum" a counselor picks from a list: what it reads and the
    highest ``bac_plus`` it keeps."""

    label: str
    max_bac_plus: int


# One choice per band. The top one keeps the bac + 9 fiches (médecin, pharmacien…): a student
# aiming at the longest studies aims at those too.
LEVEL_CHOICES: tuple[LevelChoice, ...] = (
    LevelChoice("diplôme national du brevet", -3), LevelChoice("CAP ou équivalent", -2),
    LevelChoice("bac ou équivalent", 0), LevelChoice("bac + 2", 2), LevelChoice("bac + 3", 3),
    LevelChoice("bac + 5", 5), LevelChoice("bac + 8 et plus (doctorat, médecine)", 9),
)

# ONISEP REF.4xx ids (DATA.md) → level code.
ONISEP_LEVEL_IDS = {
    "REF.414": "sans-diplome", "REF.406": "3e", "REF.408": "brevet", "REF.413": "cap",
    "REF.404": "cap+1", "REF.412": "bac", "REF.420": "bac+1", "REF.411": "bac+2",
    "REF.421": "bac+3", "REF.422": "bac+4", "REF.410": "bac+5", "REF.423": "bac+6",
    "REF.424": "bac+7", "REF.425": "bac+8", "REF.426": "bac+9",
}

_ROMAN_1969 = {"v": "cap", "iv": "bac", "iii": "bac+2", "ii": "bac+3", "i": "bac+5"}
_LEVEL_2019 = {"3": "cap", "4": "bac", "5": "bac+2", "6": "bac+3", "7": "bac+5", "8": "bac+8"}
# Diploma words as sources and counselors write them (folded, apostrophes and hyphens as spaces).
_WORDS = {
    "sans diplome": "sans-diplome", "aucun diplome": "sans-diplome", "3e": "3e", "3eme": "3e",
    "3ieme": "3e", "troisieme": "3e", "fin de 3e": "3e", "fin de 3eme": "3e",
    "diplome national du brevet": "brevet", "brevet": "brevet", "dnb": "brevet",
    "brevet des colleges": "brevet",
    "cap ou equivalent": "cap", "cap": "cap", "capa": "cap", "cap agricole": "cap", "bep": "cap",
    "cq": "cap", "cap ou equivalent + 1 an": "cap+1",
    "bac ou equivalent": "bac", "bac": "bac", "baccalaureat": "bac", "bac pro": "bac",
    "bac professionnel": "bac", "baccalaureat professionnel": "bac", "bac general": "bac",
    "baccalaureat general": "bac", "bac technologique": "bac", "bac techno": "bac",
    "baccalaureat technologique": "bac", "bp": "bac", "brevet professionnel": "bac",
    "bma": "bac", "brevet des metiers d art": "bac", "cess": "bac", "l1": "bac+1",
    "bes": "bac+2", "bts": "bac+2", "btsa": "bac+2", "dut": "bac+2", "deust": "bac+2", "deug": "bac+2",
    "bts ou equivalent": "bac+2", "l2": "bac+2",
    "but": "bac+3", "licence": "bac+3", "licence professionnelle": "bac+3", "licence pro": "bac+3",
    "l3": "bac+3", "bachelor": "bac+3", "bachelier": "bac+3", "m1": "bac+4", "master 1": "bac+4",
    "maitrise": "bac+4", "master": "bac+5", "m2": "bac+5", "master 2": "bac+5",
    "diplome d ingenieur": "bac+5", "titre d ingenieur": "bac+5",
    "doctorat": "bac+8", "doctorat de medecine": "bac+9", "bac + 9 et plus": "bac+9",
}
# Words naming a band of the 2019 French framework rather than one diploma: as a maximum
# they keep the whole band ("doctorat" keeps bac + 8 and bac + 9 et plus).
_BAND_WORDS = {"doctorat": 8}
_BAC_PLUS = re.compile(r"^bac\s*\+\s*(\d)(?:\s*(?:ans?|et plus))?$")
_NIVEAU = re.compile(r"^niveau\s*:?\s*([ivx]+|[1-8])\.?$")
_LEVEL_EXAMPLES = ("CAP", "bac pro", "BTS", "BUT", "licence", "master", "diplôme d'ingénieur", "doctorat",
                   "bac + 2", "niveau 6")


def _level_key(text: str) -> str:
    """``text`` folded, with "+" spaced out and apostrophes, hyphens and a final dot dropped."""
    key = fold(text).replace("+", " + ").replace("'", " ").replace("-", " ")
    return " ".join(key.split()).rstrip(". ")


def parse_level(text: str | None) -> Level | None:
    """Map a level as a source or a person writes it to the nomenclature, or None when it is not known.

    Accepts ONISEP labels in any case ("Bac + 2", "CAP ou équivalent"), ``REF.4xx`` ids,
    "bac+2", "Niveau : III" (1969 scale), "niveau 5" (2019 scale), diploma names (BP, BTSA,
    bac pro, L3, M2, diplôme d'ingénieur…), Belgian CESS / bachelier / master. Anything else
    (e.g. "autre formation") returns None: a level is never guessed. A band ("niveau 6") maps
    to its first level; :func:`level_ceiling` gives how far it reaches.
    """
    if not text:
        return None
    raw = text.strip()
    if raw.upper() in ONISEP_LEVEL_IDS:
        return LEVELS_BY_CODE[ONISEP_LEVEL_IDS[raw.upper()]]
    key = _level_key(raw)
    if key in _WORDS:
        return LEVELS_BY_CODE[_WORDS[key]]
    match = _BAC_PLUS.match(key)
    if match:
        return LEVELS_BY_CODE.get(f"bac+{match.group(1)}")
    match = _NIVEAU.match(key)
    if match:
        value = match.group(1)
        code = _LEVEL_2019.get(value) or _ROMAN_1969.get(value)
        return LEVELS_BY_CODE.get(code) if code else None
    return None


def level_ceiling(text: str | None) -> int | None:
    """The highest ``bac_plus`` a *maximum* level typed by a person keeps, or None when unknown.

    A diploma or "bac + n" keeps its own level ("licence" → 3, "M1" → 4). A band of a framework
    keeps the whole band as the app files fiches: "niveau 6" → 4 (bac + 3 and bac + 4),
    "niveau 8" and "doctorat" → 9 (bac + 8 and bac + 9 et plus), "niveau III" (1969) → 2.
    "… et plus" reaches the top ("bac + 8 et plus" → 9), and so does a choice of
    :data:`LEVEL_CHOICES` typed as it reads.
    """
    level = parse_level(text)
    key = _level_key(text or "")
    choice = next((c for c in LEVEL_CHOICES if _level_key(c.label) == key), None)
    if choice is not None:
        return choice.max_bac_plus
    if level is None:
        return None
    niveau = _NIVEAU.match(key)
    if niveau and niveau.group(1).isdigit():
        return _band_top(lambda lv: lv.level_2019 == int(niveau.group(1)))
    if niveau:
        return _band_top(lambda lv: lv.level_1969 == level.level_1969)
    if key in _BAND_WORDS:
        return _band_top(lambda lv: lv.level_2019 == _BAND_WORDS[key])
    if key.endswith("et plus"):
        return LEVELS[-1].bac_plus
    return level.bac_plus


def _band_top(in_band: Callable[[Level], bool]) -> int:
    return max(lv.bac_plus for lv in LEVELS if in_band(lv))


def unknown_level_message(text: str) -> str:
    """The French sentence refusing a level nobody knows, with examples of what is understood."""
    examples = ", ".join(f"« {word} »" for word in _LEVEL_EXAMPLES)
    return (f"niveau d'études inconnu « {text} » : écrivez un diplôme ou un niveau, par exemple "
            f"{examples} (niveaux 3 à 8 du cadre national)")


def level_for_bac_plus(bac_plus: int | None) -> Level | None:
    """The first nomenclature level with this ``bac_plus`` value (None for None)."""
    if bac_plus is None:
        return None
    return next((lv for lv in LEVELS if lv.bac_plus == bac_plus), None)


def describe_level(bac_plus: int | None, label: str | None = None) -> str:
    """The level written out for a counselor: "bac + 2", "CAP ou équivalent", "non précisé"."""
    if label:
        level = parse_level(label)
        return level.label if level else label
    level = level_for_bac_plus(bac_plus)
    return level.label if level else "non précisé"


def describe_max_level(max_bac_plus: int | None) -> str:
    """A maximum level (a student's aim, a filter) written out: the words of the
    :data:`LEVEL_CHOICES` entry it comes from without its hint ("bac + 8 et plus" for 9), else
    :func:`describe_level` ("bac + 4" for a "niveau 6" typed on the command line)."""
    choice = next((c for c in LEVEL_CHOICES if c.max_bac_plus == max_bac_plus), None)
    if choice is not None:
        return choice.label.split(" (")[0]
    return describe_level(max_bac_plus)


# --------------------------------------------------------------------------------------------
# Centres d'intérêt
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Interest:
    """An ONISEP centre d'intérêt; ``group`` gathers them so a student finds one fast."""

    id: str
    label: str
    group: str


ONISEP_INTERESTS: tuple[Interest, ...] = (
    Interest("T-IDEO2.4805", "je veux protéger la planète", "Nature et environnement"),
    Interest("T-IDEO2.4806", "je veux travailler de mes mains", "Faire, fabriquer"),
    Interest("T-IDEO2.4807", "ma vocation est de soigner", "Aider, soigner"),
    Interest("T-IDEO2.4808", "je veux faire respecter la loi", "Aider, soigner"),
    Interest("T-IDEO2.4809", "j'aime bouger", "Bouger, sport"),
    Interest("T-IDEO2.4810", "je rêve de travailler à l'étranger", "Échanger, communiquer"),
    Interest("T-IDEO2.4811", "je veux travailler dans le commerce", "Organiser, vendre"),
    Interest("T-IDEO2.4812", "je veux être utile aux autres", "Aider, soigner"),
    Interest("T-IDEO2.4813", "j'aime bien faire des expériences", "Chercher, comprendre"),
    Interest("T-IDEO2.4814", "j'aime organiser, gérer", "Organiser, vendre"),
    Interest("T-IDEO2.4815", "je veux m'occuper d'enfants", "Aider, soigner"),
    Interest("T-IDEO2.4816", "j'aime jongler avec les chiffres", "Chercher, comprendre"),
    Interest("T-IDEO2.4817", "j'ai le sens du contact", "Échanger, communiquer"),
    Interest("T-IDEO2.4818", "j'aime les langues", "Échanger, communiquer"),
    Interest("T-IDEO2.4819", "enquêter, analyser l'information, je veux en faire mon travail",
             "Chercher, comprendre"),
    Interest("T-IDEO2.4820", "j'aime être aux commandes", "Organiser, vendre"),
    Interest("T-IDEO2.4821", "J'aime communiquer", "Échanger, communiquer"),
    Interest("T-IDEO2.4822", "réparer, bricoler, j'adore ça", "Faire, fabriquer"),
    Interest("T-IDEO2.4823", "j'aimerais travailler dehors", "Nature et environnement"),
    Interest("T-IDEO2.4824", "j'aime la nature", "Nature et environnement"),
    Interest("T-IDEO2.4825", "je me passionne pour les nouvelles technologies", "Numérique et technique"),
    Interest("T-IDEO2.4826", "j'aime les sensations fortes", "Bouger, sport"),
    Interest("T-IDEO2.4827", "le sport est ma passion", "Bouger, sport"),
    Interest("T-IDEO2.4828", "je veux m'occuper d'animaux", "Nature et environnement"),
    Interest("T-IDEO2.4829", "je rêve d'un métier artistique", "Créer, imaginer"),
    Interest("T-IDEO2.5718", "j'ai un bon coup de crayon", "Créer, imaginer"),
    Interest("T-IDEO2.5723", "je suis accro au numérique", "Numérique et technique"),
)
ONISEP_INTEREST_IDS = frozenset(i.id for i in ONISEP_INTERESTS)

# Labels ONISEP added in 2025 without publishing ids; they get stable ids of our own.
NEWER_INTEREST_LABELS: tuple[tuple[str, str], ...] = (
    ("je veux travailler dans le bâtiment", "Faire, fabriquer"),
    ("TV, ciné, radios : ces univers me fascinent", "Créer, imaginer"),
    ("j'adore conduire", "Bouger, sport"),
    ("la mode me fait rêver", "Créer, imaginer"),
    ("je veux travailler dans le spectacle", "Créer, imaginer"),
)
NEW_INTEREST_PREFIX = "CI."
INTEREST_GROUPS: tuple[str, ...] = (
    "Aider, soigner", "Bouger, sport", "Chercher, comprendre", "Créer, imaginer",
    "Échanger, communiquer", "Faire, fabriquer", "Nature et environnement",
    "Numérique et technique", "Organiser, vendre", "Autres",
)


def new_interest_id(label: str) -> str:
    """The stable id given to an interest label that has no ONISEP id."""
    return NEW_INTEREST_PREFIX + slug(label)


def _interest_key(label: str) -> str:
    return " ".join(fold(label).replace("'", " ").replace(",", " ").split())


NEWER_INTERESTS: tuple[Interest, ...] = tuple(
    Interest(new_interest_id(label), label, group) for label, group in NEWER_INTEREST_LABELS
)
ALL_INTERESTS: tuple[Interest, ...] = ONISEP_INTERESTS + NEWER_INTERESTS
ALL_INTEREST_IDS = frozenset(i.id for i in ALL_INTERESTS)

# Same meaning, other wording (CIDJ, older ONISEP texts) → canonical id.
_INTEREST_ALIASES = {
    "organiser gerer": "T-IDEO2.4814",
    "travailler dans un domaine technique": "T-IDEO2.4825",
    "communiquer": "T-IDEO2.4821",
    "aider soigner": "T-IDEO2.4807",
    "soigner": "T-IDEO2.4807",
    "etre utile aux autres": "T-IDEO2.4812",
    "proteger la planete": "T-IDEO2.4805",
    "travailler de ses mains": "T-IDEO2.4806",
    "travailler avec ses mains": "T-IDEO2.4806",
    "travailler dehors": "T-IDEO2.4823",
    "la nature": "T-IDEO2.4824",
    "les animaux": "T-IDEO2.4828",
    "s occuper d animaux": "T-IDEO2.4828",
    "s occuper d enfants": "T-IDEO2.4815",
    "le sport": "T-IDEO2.4827",
    "les langues": "T-IDEO2.4818",
    "les chiffres": "T-IDEO2.4816",
    "le commerce": "T-IDEO2.4811",
    "vendre": "T-IDEO2.4811",
    "creer": "T-IDEO2.4829",
    "dessiner": "T-IDEO2.5718",
    "le numerique": "T-IDEO2.5723",
    "les nouvelles technologies": "T-IDEO2.4825",
    "enqueter analyser l information": "T-IDEO2.4819",
    "reparer bricoler": "T-IDEO2.4822",
    "faire des experiences": "T-IDEO2.4813",
}
_INTEREST_BY_KEY = {_interest_key(i.label): i.id for i in ALL_INTERESTS}


def match_interest(label: str, interest_id: str | None = None) -> tuple[str, str]:
    """Return ``(id, label)`` for an interest as a source states it.

    A known id wins (ONISEP's, or ours for the newer ONISEP labels, which project fiches cite);
    otherwise the label is compared to the canonical list ignoring case, accents and apostrophe
    style, then to known rewordings ("Organiser, gérer"). A label with
    no match keeps its own wording under a stable ``CI.<slug>`` id, so it is still offered.
    """
    if interest_id and interest_id in ALL_INTEREST_IDS:
        return interest_id, canonical_interest_label(interest_id)
    key = _interest_key(label)
    for prefix in ("", "j aime ", "je veux ", "j aime bien "):
        found = _INTEREST_BY_KEY.get(prefix + key) or _INTEREST_ALIASES.get(key)
        if found:
            return found, canonical_interest_label(found)
    return new_interest_id(label), label.strip()


def canonical_interest_label(interest_id: str) -> str:
    """The canonical label of a known interest id (the id itself when unknown)."""
    return next((i.label for i in ALL_INTERESTS if i.id == interest_id), interest_id)


# --------------------------------------------------------------------------------------------
# Sectors: ONISEP secteurs d'activité and ROME grands domaines
# --------------------------------------------------------------------------------------------
ONISEP_SECTORS: tuple[tuple[str, str], ...] = (
    ("T-IDEO2.4830", "Artisanat d'art"), ("T-IDEO2.4831", "Maintenance"),
    ("T-IDEO2.4832", "Industrie pharmaceutique"), ("T-IDEO2.4833", "Enseignement"),
    ("T-IDEO2.4834", "Verre, béton, céramique"), ("T-IDEO2.4835", "Informatique et réseaux"),
    ("T-IDEO2.4836", "Architecture urbanisme paysage"), ("T-IDEO2.4837", "Hôtellerie - Restauration"),
    ("T-IDEO2.4838", "Audiovisuel"), ("T-IDEO2.4839", "Défense"),
    ("T-IDEO2.4840", "Culture - Patrimoine"), ("T-IDEO2.4841", "Logistique et transport"),
    ("T-IDEO2.4842", "Comptabilité, gestion, ressources humaines"),
    ("T-IDEO2.4843", "Industrie chimique"), ("T-IDEO2.4844", "Mode et luxe"),
    ("T-IDEO2.4845", "Recherche"), ("T-IDEO2.4846", "Fonction publique"),
    ("T-IDEO2.4847", "Sécurité"), ("T-IDEO2.4848", "Énergie"), ("T-IDEO2.4849", "Agroéquipement"),
    ("T-IDEO2.4850", "Arts du spectacle"), ("T-IDEO2.4851", "Banque - Assurances"),
    ("T-IDEO2.4852", "Agriculture"), ("T-IDEO2.4853", "Papiers Cartons"),
    ("T-IDEO2.4854", "Audit - Conseil"),
    ("T-IDEO2.4855", "Construction aéronautique, ferroviaire et navale"),
    ("T-IDEO2.4856", "Social"), ("T-IDEO2.4857", "Environnement"),
    ("T-IDEO2.4858", "Édition, librairie, bibliothèque"), ("T-IDEO2.4859", "Automobile"),
    ("T-IDEO2.4860", "Filière bois"), ("T-IDEO2.4861", "Électronique"), ("T-IDEO2.4862", "Sport"),
    ("T-IDEO2.4863", "Bâtiment et travaux publics (BTP)"), ("T-IDEO2.4864", "Marketing, publicité"),
    ("T-IDEO2.4865", "Commerce et distribution"), ("T-IDEO2.4866", "Droit et justice"),
    ("T-IDEO2.4867", "Mécanique"), ("T-IDEO2.4868", "Industrie alimentaire"),
    ("T-IDEO2.4869", "Santé"), ("T-IDEO2.4870", "Tourisme"), ("T-IDEO2.4871", "Bien-être"),
    ("T-IDEO2.5668", "Industries"), ("T-IDEO2.5709", "Art et design"),
    ("T-IDEO2.5710", "Communication"), ("T-IDEO2.5711", "Immobilier"),
    ("T-IDEO2.5712", "Journalisme"), ("T-IDEO2.5713", "Jeu vidéo"),
    ("T-IDEO2.5714", "Traduction, interprétation"),
)
ONISEP_SECTOR_IDS = frozenset(sid for sid, _ in ONISEP_SECTORS)

ROME_GRANDS_DOMAINES: tuple[tuple[str, str], ...] = (
    ("A", "Agriculture et Pêche, Espaces naturels et Espaces verts, Soins aux animaux"),
    ("B", "Arts et Façonnage d'ouvrages d'art"),
    ("C", "Banque, Assurance, Immobilier"),
    ("D", "Commerce, Vente et Grande distribution"),
    ("E", "Communication, Média et Multimédia"),
    ("F", "Construction, Bâtiment et Travaux publics"),
    ("G", "Hôtellerie-Restauration, Tourisme, Loisirs et Animation"),
    ("H", "Industrie"),
    ("I", "Installation et Maintenance"),
    ("J", "Santé"),
    ("K", "Services à la personne et à la collectivité"),
    ("L", "Spectacle"),
    ("M", "Support à l'entreprise"),
    ("N", "Transport et Logistique"),
)
ROME_SECTOR_PREFIX = "ROME."
OTHER_SECTOR_PREFIX = "SEC."


# ROME grands domaines that are an ONISEP sector under the same name: one entry, not two.
ROME_DOMAINS_AS_ONISEP = {"J": "T-IDEO2.4869"}  # Santé


def rome_sector_id(rome_code: str) -> str:
    """The sector id of the ROME grand domaine a code belongs to ("H2502" → "ROME.H";
    "J1506" → the ONISEP sector "Santé", see :data:`ROME_DOMAINS_AS_ONISEP`)."""
    letter = rome_code[0].upper()
    return ROME_DOMAINS_AS_ONISEP.get(letter) or ROME_SECTOR_PREFIX + letter


_SECTOR_BY_KEY = {_interest_key(label): sid for sid, label in ONISEP_SECTORS}
_SECTOR_ALIASES = {
    "materiaux industrie": "T-IDEO2.5668",
    "industrie": "T-IDEO2.5668",
    "sante": "T-IDEO2.4869",
    "hotellerie restauration tourisme": "T-IDEO2.4837",
    "batiment": "T-IDEO2.4863",
    "btp": "T-IDEO2.4863",
    "transport logistique": "T-IDEO2.4841",
    "informatique": "T-IDEO2.4835",
    "numerique": "T-IDEO2.4835",
    "banque assurance": "T-IDEO2.4851",
    "commerce": "T-IDEO2.4865",
    "mode": "T-IDEO2.4844",
    "textile": "T-IDEO2.4844",
    "agroalimentaire": "T-IDEO2.4868",
    "industrie agroalimentaire": "T-IDEO2.4868",
    "chimie": "T-IDEO2.4843",
    "energie": "T-IDEO2.4848",
    "environnement": "T-IDEO2.4857",
    "automobile": "T-IDEO2.4859",
    "aeronautique": "T-IDEO2.4855",
    "mecanique": "T-IDEO2.4867",
    "electronique": "T-IDEO2.4861",
}


def match_sector(label: str, sector_id: str | None = None) -> tuple[str, str]:
    """Return ``(id, label)`` for a sector as a source states it.

    ONISEP ids are kept; labels are compared to the ONISEP list ignoring case, accents and
    punctuation, then to known rewordings ("Matériaux - Industrie" → Industries). A label with
    no match is kept with a stable ``SEC.<slug>`` id.
    """
    if sector_id and (sector_id in ONISEP_SECTOR_IDS or sector_id.startswith(ROME_SECTOR_PREFIX)):
        return sector_id, sector_label(sector_id) or label
    key = _interest_key(label.replace("-", " "))
    found = _SECTOR_BY_KEY.get(key) or _SECTOR_ALIASES.get(key)
    if found:
        return found, sector_label(found) or label
    return OTHER_SECTOR_PREFIX + slug(label), label.strip()


def sector_label(sector_id: str) -> str | None:
    """The label of an ONISEP sector or ROME grand domaine id, else None."""
    for sid, label in ONISEP_SECTORS:
        if sid == sector_id:
            return label
    if sector_id.startswith(ROME_SECTOR_PREFIX):
        letter = sector_id[len(ROME_SECTOR_PREFIX):]
        return next((label for code, label in ROME_GRANDS_DOMAINES if code == letter), None)
    return None


# --------------------------------------------------------------------------------------------
# Statuts
# --------------------------------------------------------------------------------------------
STATUTS: tuple[tuple[str, str], ...] = (
    ("T-ITM.1", "fonctionnaire"), ("T-ITM.2", "artisan"), ("T-ITM.3", "militaire"),
    ("T-ITM.4", "intermittent du spectacle"), ("T-ITM.5", "indépendant"), ("T-ITM.6", "saisonnier"),
    ("T-ITM.7", "contrat de volontariat"), ("T-ITM.8", "libéral"), ("T-ITM.9", "salarié"),
)
_STATUT_BY_KEY = {fold(label): sid for sid, label in STATUTS}


def match_statut(label: str, statut_id: str | None = None) -> tuple[str, str]:
    """Return ``(id, label)`` for a statut; unknown labels get a stable ``ST.<slug>`` id."""
    if statut_id and any(sid == statut_id for sid, _ in STATUTS):
        return statut_id, dict(STATUTS)[statut_id]
    key = fold(label).strip().rstrip("s")
    key = {"salarie": "salarie", "fonctionnaire": "fonctionnaire"}.get(key, key)
    for folded, sid in _STATUT_BY_KEY.items():
        if folded == key or folded.rstrip("s") == key:
            return sid, dict(STATUTS)[sid]
    return "ST." + slug(label), label.strip()


# --------------------------------------------------------------------------------------------
# ROME codes
# --------------------------------------------------------------------------------------------
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
LEGACY_ROME_CODE = re.compile(r"^\d{5}$")


def split_rome_codes(codes: list[str]) -> tuple[list[str], list[str]]:
    """Split codes into (valid ROME 3/4 codes, legacy 5-digit v1/v2 codes); others are dropped."""
    valid: list[str] = []
    legacy: list[str] = []
    for code in codes:
        code = code.strip().upper()
        if ROME_CODE.match(code) and code not in valid:
            valid.append(code)
        elif LEGACY_ROME_CODE.match(code) and code not in legacy:
            legacy.append(code)
    return valid, legacy


# --------------------------------------------------------------------------------------------
# SMIC: gross monthly minimum wage (35 h) by date, to read "Smic" in a fiche and check salaries.
# --------------------------------------------------------------------------------------------
SMIC_MONTHLY: tuple[tuple[str, float], ...] = (
    ("2019-01-01", 1521.22), ("2020-01-01", 1539.42), ("2021-01-01", 1554.58),
    ("2021-10-01", 1589.47), ("2022-05-01", 1645.58), ("2022-08-01", 1678.95),
    ("2023-01-01", 1709.28), ("2023-05-01", 1747.20), ("2024-01-01", 1766.92),
    ("2024-11-01", 1801.80), ("2026-01-01", 1823.03),
)


# A starting salary this close above the SMIC (or under it) is the SMIC for a family reading it.
SMIC_MARGIN = 0.01
# Under this share of the SMIC a figure is not a full-time monthly wage (a daily rate, part time):
# calling it "≈ SMIC" would mislead.
SMIC_FLOOR = 0.9


def smic_for_year(year: int | None) -> float:
    """The gross monthly SMIC (35 h) of ``year``: the one in force at its end, so 2025 →
    1 801,80 € and 2026 → 1 823,03 €; the latest known for None or a year past the table."""
    return smic_at(f"{year:04d}-12-31" if year is not None else None)


def near_smic(amount: int | float | None, year: int | None) -> bool:
    """Whether a French gross monthly ``amount`` is the SMIC of ``year`` in effect: at most
    :data:`SMIC_MARGIN` above it (in whole euros) and not below :data:`SMIC_FLOOR` of it."""
    if amount is None:
        return False
    smic = smic_for_year(year)
    return smic * SMIC_FLOOR <= amount <= math.ceil(smic * (1 + SMIC_MARGIN))


def smic_at(iso_date: str | None) -> float:
    """The gross monthly SMIC in force at ``iso_date`` ("YYYY-MM-DD"; latest when None)."""
    value = SMIC_MONTHLY[0][1]
    for start, amount in SMIC_MONTHLY:
        if iso_date is None or start <= iso_date:
            value = amount
    return value
