"""Plain records that parsers produce and the catalogue writer stores.

Parsers never touch the database and the writer never parses: these dataclasses are the
only thing that passes between them. Nothing here knows about SQLAlchemy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.catalogue.search_text import OwnText


@dataclass
class Ref:
    """A reference to a nomenclature entry as the source states it: an id when the source
    gives one (``FOR.1424``, ``T-IDEO2.4814``, ``MET.12``), and always a label."""

    label: str
    id: str | None = None


@dataclass
class Synonym:
    """Another name of the métier, with its feminine and masculine forms when known."""

    name: str
    label_f: str | None = None
    label_m: str | None = None


@dataclass
class Section:
    """A block of description text (HTML already stripped to clean text).

    ``key`` is a stable slug used by the GUI and report ("presentation", "nature_travail",
    "competences", "conditions_travail", "acces_metier", "vie_professionnelle", ...).
    """

    key: str
    title: str
    text: str


@dataclass
class Salary:
    """A salary as stated by the source, normalised to gross monthly euros.

    ``min_eur``/``max_eur`` are the *starting* salary when the source distinguishes it
    (``scope == "debutant"``); ``career_min_eur``/``career_max_eur`` keep a career range that
    the source states beside it. ``text`` is always the original wording. Figures are None
    when the text holds no usable monthly figure ("Variable…", a daily rate).
    """

    text: str
    min_eur: int | None = None
    max_eur: int | None = None
    scope: str = "debutant"  # "debutant" | "carriere" | "inconnu"
    career_min_eur: int | None = None
    career_max_eur: int | None = None
    year: int | None = None
    source_date: str | None = None  # ISO date the figure refers to, when known
    country: str = "FR"


@dataclass
class MetierRecord:
    """Everything one fiche states about one métier, ready to be upserted.

    ``id`` is the stable id (``MET.n`` for ONISEP, ``ORI.<slug>`` for the project's own
    fiches, a source-scoped id otherwise). ``level_text`` is the level as the source writes
    it; the writer maps it through :func:`db.catalogue.nomenclature.parse_level`.
    """

    id: str
    name: str
    source_kind: str  # "onisep-md", "onisep-xml", "onisep-json", "cidj", "be-guide", "titre-pro", "projet"
    label_f: str | None = None
    label_m: str | None = None
    synonyms: list[Synonym] = field(default_factory=list)
    summary: str | None = None
    sections: list[Section] = field(default_factory=list)
    rome_codes: list[str] = field(default_factory=list)
    legacy_rome_codes: list[str] = field(default_factory=list)
    level_text: str | None = None
    salary: Salary | None = None
    sectors: list[Ref] = field(default_factory=list)
    interests: list[Ref] = field(default_factory=list)
    statuts: list[Ref] = field(default_factory=list)
    formations: list[Ref] = field(default_factory=list)
    related: list[Ref] = field(default_factory=list)
    riasec: str | None = None
    country: str = "FR"
    nsf_code: str | None = None
    source_date: str | None = None  # ISO date of the source data (export date, publication)
    licence: str | None = None
    same_as: str | None = None  # id of the same job in another source (e.g. the ONISEP MET.n)
    # Its indexed title, synonyms and description (:func:`db.catalogue.search_text.own_text`) when an
    # import computed them ahead, in its parsing process (db.catalogue.parse_ahead); the record is
    # not edited after that. None: the writer computes them.
    indexed: OwnText | None = field(default=None, compare=False, repr=False)


@dataclass
class RomeCode:
    """One ROME 4.0 fiche: reference data that enriches métiers citing the code."""

    code: str
    label: str
    domaine_code: str | None = None
    domaine_label: str | None = None
    riasec_major: str | None = None
    riasec_minor: str | None = None
    parent_code: str | None = None


@dataclass
class RomeAppellation:
    """A ROME job title ("Masculin / Féminin"), searchable as a synonym of its code."""

    code_ogr: str
    label: str
    rome_code: str


@dataclass
class RomeReference:
    """The ROME referential as one batch of reference data (not métiers)."""

    version: str
    codes: list[RomeCode] = field(default_factory=list)
    appellations: list[RomeAppellation] = field(default_factory=list)


@dataclass
class FormationRecord:
    """One formation fiche (ONISEP ``FOR.n``): facts that routes need, and the métiers it names."""

    id: str
    label: str
    source_kind: str
    sigle: str | None = None
    type_text: str | None = None  # as the source writes it ("CAP (CAP)")
    level_text: str | None = None  # "niveau 5", "non inscrit au RNCP"
    years_text: str | None = None  # "2 ans"
    access_text: str | None = None
    next_text: str | None = None
    metier_labels: list[str] = field(default_factory=list)
    source_date: str | None = None


@dataclass
class ParsedFile:
    """What a parser made of one file: métier records, or ROME reference data, and notes
    (French sentences about what was kept or dropped) for the import summary."""

    format_name: str
    records: list[MetierRecord] = field(default_factory=list)
    rome: RomeReference | None = None
    notes: list[str] = field(default_factory=list)
    formations: list[FormationRecord] = field(default_factory=list)
