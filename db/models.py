"""SQLAlchemy models of the catalogue (SQLAlchemy 2.0 typed mappings).

The schema itself is created and changed only by the Alembic migrations in
``db/migrations``; these classes must match the latest migration (a test checks it).
Métiers use an integer surrogate key ``pk`` for fast joins and keep their stable public
``id`` (``MET.n``, ``ORI.slug``…) unique beside it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (Boolean, DateTime, FetchedValue, ForeignKey, Index, Integer, Select, String, Table, Text,
                        UniqueConstraint)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class SortKeyText(TypeDecorator[str]):
    """Text holding a :func:`db.text.sort_key`, whose separator is NUL: PostgreSQL refuses NUL in
    text, so there it is stored as U+0001 (no sorted name holds either; the order is the same)
    and read back as NUL. SQLite stores the value unchanged."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return value.replace("\x00", "\x01") if value is not None and dialect.name == "postgresql" else value

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return value.replace("\x01", "\x00") if value is not None and dialect.name == "postgresql" else value


class Base(DeclarativeBase):
    """Declarative base of every table."""


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, for bulk Core statements (insert, update, delete).

    SQLAlchemy types ``__table__`` as any ``FromClause``; every class here maps one plain table.
    """
    return cast(Table, model.__table__)


AnySelect = Select[*tuple[Any, ...]]  # a SELECT of any columns, for functions that take or build one
Values = dict[str, Any]  # column name → value: one row of a Core insert or update


# ---------------------------------------------------------------- nomenclatures
class LevelRow(Base):
    """A level of study (see :data:`db.catalogue.nomenclature.LEVELS`)."""

    __tablename__ = "levels"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    bac_plus: Mapped[int] = mapped_column(Integer, index=True)
    level_2019: Mapped[int | None] = mapped_column(Integer)
    level_1969: Mapped[str | None] = mapped_column(String(8))
    be_equivalent: Mapped[str | None] = mapped_column(String(40))


class InterestRow(Base):
    """A centre d'intérêt: ONISEP ids (``T-IDEO2.*``) or our ``CI.*`` ids for newer labels."""

    __tablename__ = "interests"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column("group_label", String(80), default="Autres")
    is_onisep: Mapped[bool] = mapped_column(Boolean, default=False)


class SectorRow(Base):
    """A sector: ONISEP secteur (``T-IDEO2.*``), ROME grand domaine (``ROME.A``) or other (``SEC.*``)."""

    __tablename__ = "sectors"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # "onisep" | "rome" | "autre"


class StatutRow(Base):
    """A statut (salarié, fonctionnaire…): ONISEP ``T-ITM.*`` or ``ST.*``."""

    __tablename__ = "statuts"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))


class FormationRow(Base):
    """A formation: ONISEP ``FOR.n`` when known, else ``F.<slug>`` derived from its label."""

    __tablename__ = "formations"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    # Known once a formation fiche is imported (None for a label a métier fiche cites):
    sigle: Mapped[str | None] = mapped_column(String(40))
    type_text: Mapped[str | None] = mapped_column(Text)  # the source's type ("CAP (CAP)")
    type_code: Mapped[str | None] = mapped_column(String(20))  # resources/formations/types.tsv
    level: Mapped[int | None] = mapped_column(Integer)  # 2019 framework level (3–8)
    years: Mapped[int | None] = mapped_column(Integer)  # duration
    access_text: Mapped[str | None] = mapped_column(Text)  # "Accès": after which class
    next_text: Mapped[str | None] = mapped_column(Text)  # "Poursuite d'études"
    source_kind: Mapped[str | None] = mapped_column(String(20))
    source_date: Mapped[str | None] = mapped_column(String(10))
    label_key: Mapped[str | None] = mapped_column(Text, index=True)  # folded label, for label links

    metier_labels: Mapped[list[FormationMetierLabel]] = relationship(
        cascade="all, delete-orphan", order_by="FormationMetierLabel.position")


class FormationMetierLabel(Base):
    """A métier a formation fiche names ("Métiers associés"), by label as the source writes it."""

    __tablename__ = "formation_metiers"
    formation_id: Mapped[str] = mapped_column(ForeignKey("formations.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    label_key: Mapped[str] = mapped_column(Text, index=True)  # folded label


class RomeCodeRow(Base):
    """A ROME 4.0 fiche (reference data from France Travail, not a métier of the catalogue)."""

    __tablename__ = "rome_codes"
    code: Mapped[str] = mapped_column(String(5), primary_key=True)
    label: Mapped[str | None] = mapped_column(Text)
    grand_domaine: Mapped[str] = mapped_column(String(1))
    domaine_code: Mapped[str | None] = mapped_column(String(3))
    domaine_label: Mapped[str | None] = mapped_column(Text)
    riasec_major: Mapped[str | None] = mapped_column(String(1))
    riasec_minor: Mapped[str | None] = mapped_column(String(1))
    parent_code: Mapped[str | None] = mapped_column(String(5), index=True)
    version: Mapped[str | None] = mapped_column(String(10))


class RomeAppellationRow(Base):
    """A ROME job title, used by search as a synonym of the métiers citing its code."""

    __tablename__ = "rome_appellations"
    code_ogr: Mapped[str] = mapped_column(String(12), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    rome_code: Mapped[str] = mapped_column(String(5), index=True)


# ---------------------------------------------------------------- métiers
class Metier(Base):
    """One métier fiche with its provenance. Search columns are denormalised on purpose."""

    __tablename__ = "metiers"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    label_f: Mapped[str | None] = mapped_column(Text)
    label_m: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    level_text: Mapped[str | None] = mapped_column(Text)  # as the source writes it
    level_code: Mapped[str | None] = mapped_column(ForeignKey("levels.code"))
    bac_plus: Mapped[int | None] = mapped_column(Integer)
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    salary_text: Mapped[str | None] = mapped_column(Text)
    salary_scope: Mapped[str | None] = mapped_column(String(12))
    salary_career_min: Mapped[int | None] = mapped_column(Integer)
    salary_career_max: Mapped[int | None] = mapped_column(Integer)
    salary_year: Mapped[int | None] = mapped_column(Integer)
    salary_source_date: Mapped[str | None] = mapped_column(String(10))
    salary_country: Mapped[str | None] = mapped_column(String(2))
    riasec: Mapped[str | None] = mapped_column(String(6))
    country: Mapped[str] = mapped_column(String(2), default="FR")
    nsf_code: Mapped[str | None] = mapped_column(String(10))
    main_sector_id: Mapped[str | None] = mapped_column(ForeignKey("sectors.id"))
    same_as: Mapped[str | None] = mapped_column(String(200), index=True)
    superseded_by: Mapped[str | None] = mapped_column(String(200), index=True)
    source_kind: Mapped[str] = mapped_column(String(20))
    source_file: Mapped[str | None] = mapped_column(Text)
    source_date: Mapped[str | None] = mapped_column(String(10))
    licence: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    sort_key: Mapped[str] = mapped_column(SortKeyText)
    # Indexed text (see db.catalogue.search_text.index_text), one column per weight of the ranking:
    search_title: Mapped[str] = mapped_column(Text, default="")  # the job's own name and labels
    search_synonyms: Mapped[str] = mapped_column(Text, default="")  # the source's other names
    # ROME job titles of its codes: PostgreSQL only (SQLite indexes them per code, migration 0015),
    # so a transfer recomputes it rather than copy it.
    search_rome: Mapped[str] = mapped_column(Text, default="", info={"per_engine": True})
    search_tags: Mapped[str] = mapped_column(Text, default="")  # its interest and sector labels
    search_text: Mapped[str] = mapped_column(Text, default="")  # description text
    # Facts this fiche lacks and takes from another (db.catalogue.merge): JSON {field: source id}.
    inherited: Mapped[str | None] = mapped_column(Text)

    synonyms: Mapped[list[MetierSynonym]] = relationship(
        cascade="all, delete-orphan", order_by="MetierSynonym.position")
    sections: Mapped[list[MetierSection]] = relationship(
        cascade="all, delete-orphan", order_by="MetierSection.position")
    rome_links: Mapped[list[MetierRome]] = relationship(
        cascade="all, delete-orphan", order_by="MetierRome.position")
    sector_links: Mapped[list[MetierSector]] = relationship(
        cascade="all, delete-orphan", order_by="MetierSector.position")
    interest_links: Mapped[list[MetierInterest]] = relationship(
        cascade="all, delete-orphan", order_by="MetierInterest.position")
    statut_links: Mapped[list[MetierStatut]] = relationship(
        cascade="all, delete-orphan", order_by="MetierStatut.position")
    formation_links: Mapped[list[MetierFormation]] = relationship(
        cascade="all, delete-orphan", order_by="MetierFormation.position")
    related_links: Mapped[list[MetierRelated]] = relationship(
        cascade="all, delete-orphan", order_by="MetierRelated.position")

    __table_args__ = (
        Index("ix_metiers_bac_plus", "bac_plus"),
        Index("ix_metiers_salary_min", "salary_min"),
        Index("ix_metiers_sort_key", "sort_key"),
        Index("ix_metiers_country", "country"),
        # Shown métiers (superseded_by IS NULL) in name, salary and level order, covering the
        # filter columns so a search page is read from the index alone (see db.search plans).
        Index("ix_metiers_live_name", "superseded_by", "sort_key", "bac_plus", "salary_min", "country"),
        Index("ix_metiers_live_salary", "superseded_by", "salary_min", "bac_plus", "country", "sort_key"),
        Index("ix_metiers_live_level", "superseded_by", "bac_plus", "salary_min", "country", "sort_key"),
        # By pk, what a search reads of each fiche a list or the full-text index found: the
        # row's end (superseded_by) lies on overflow pages behind the long texts (migration 0012).
        Index("ix_metiers_by_pk", "pk", "superseded_by", "sort_key", "name", "bac_plus", "salary_min", "country"),
    )


class _Child:
    """Columns shared by the per-métier lists: owner and display order."""

    metier_pk: Mapped[int] = mapped_column(ForeignKey("metiers.pk", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)


class MetierSynonym(_Child, Base):
    __tablename__ = "metier_synonyms"
    name: Mapped[str] = mapped_column(Text)
    label_f: Mapped[str | None] = mapped_column(Text)
    label_m: Mapped[str | None] = mapped_column(Text)


class MetierSection(_Child, Base):
    __tablename__ = "metier_sections"
    key: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class MetierRome(_Child, Base):
    __tablename__ = "metier_rome"
    code: Mapped[str] = mapped_column(String(5), index=True)
    is_legacy: Mapped[bool] = mapped_column(Boolean, default=False)


class MetierSector(_Child, Base):
    __tablename__ = "metier_sectors"
    sector_id: Mapped[str] = mapped_column(ForeignKey("sectors.id"))
    is_derived: Mapped[bool] = mapped_column(Boolean, default=False)  # from a ROME code, not stated
    __table_args__ = (Index("ix_metier_sectors_sector", "sector_id", "metier_pk"),)


class MetierInterest(_Child, Base):
    __tablename__ = "metier_interests"
    interest_id: Mapped[str] = mapped_column(ForeignKey("interests.id"))
    __table_args__ = (Index("ix_metier_interests_interest", "interest_id", "metier_pk"),)


class MetierStatut(_Child, Base):
    __tablename__ = "metier_statuts"
    statut_id: Mapped[str] = mapped_column(ForeignKey("statuts.id"))
    __table_args__ = (Index("ix_metier_statuts_statut", "statut_id", "metier_pk"),)


class MetierFormation(_Child, Base):
    __tablename__ = "metier_formations"
    formation_id: Mapped[str] = mapped_column(ForeignKey("formations.id"))


class MetierRelated(_Child, Base):
    __tablename__ = "metier_related"
    related_id: Mapped[str | None] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(Text)


# ---------------------------------------------------------------- bookkeeping
class ImportLog(Base):
    """One imported file: what, when, how many fiches (provenance of the catalogue)."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_file: Mapped[str] = mapped_column(Text)
    format_name: Mapped[str] = mapped_column(String(40))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)


class AppMeta(Base):
    """Key/value facts about this database (starter catalogue version, ROME version…)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)



# ---------------------------------------------------------------- students (personal data of minors)
class Student(Base):
    """A student: only what a counselor needs to find the record again (RGPD minimisation)."""

    __tablename__ = "students"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    nom: Mapped[str] = mapped_column(Text)
    prenom: Mapped[str] = mapped_column(Text)
    classe: Mapped[str | None] = mapped_column(String(40))
    # Code of db.catalogue.routes.CLASSES. Deferred: lists of students never read it (and code
    # reading older schemas, as the migration tests do, never meets it).
    current_class: Mapped[str | None] = mapped_column(String(20), deferred=True)
    etablissement: Mapped[str | None] = mapped_column(Text)
    annee_scolaire: Mapped[str | None] = mapped_column(String(9))  # "2026-2027"
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_session_on: Mapped[str | None] = mapped_column(String(10), index=True)  # ISO date
    search_key: Mapped[str] = mapped_column(Text, index=True)  # folded "nom prénom"
    # The database role the row belongs to (PostgreSQL: defaults to current_user; SQLite: NULL).
    # Deferred: never read with the row, and absent from schemas older than 0010. A server default
    # (FetchedValue): the ORM leaves it out of its INSERTs so that PostgreSQL fills it in.
    owner: Mapped[str | None] = mapped_column(String(63), server_default=FetchedValue(), deferred=True, index=True)
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012  # owner: not read back after an INSERT

    sessions: Mapped[list[CounselingSession]] = relationship(
        cascade="all, delete-orphan", order_by="CounselingSession.date", back_populates="student")

    # The caseload (db.students.caseload) is read school by school, class by class.
    __table_args__ = (Index("ix_students_caseload", "etablissement", "classe", "search_key"),)


class CounselingSession(Base):
    """One entretien: the student's state on that day (interests, constraints, shortlist, notes)."""

    __tablename__ = "sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    date: Mapped[str] = mapped_column(String(10))  # ISO date
    max_bac_plus: Mapped[int | None] = mapped_column(Integer)
    min_salary: Mapped[int | None] = mapped_column(Integer)
    country: Mapped[str | None] = mapped_column(String(2))
    next_steps: Mapped[str] = mapped_column(Text, default="")
    student_note: Mapped[str] = mapped_column(Text, default="")  # printed on the report
    private_notes: Mapped[str] = mapped_column(Text, default="")  # never printed, never exported by default
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # The database role the row belongs to (PostgreSQL: defaults to current_user; SQLite: NULL).
    # Deferred: never read with the row, and absent from schemas older than 0010. A server default
    # (FetchedValue): the ORM leaves it out of its INSERTs so that PostgreSQL fills it in.
    owner: Mapped[str | None] = mapped_column(String(63), server_default=FetchedValue(), deferred=True)
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012  # owner: not read back after an INSERT

    student: Mapped[Student] = relationship(back_populates="sessions")
    __table_args__ = (Index("ix_sessions_student_date", "student_id", "date"),)
    interests: Mapped[list[SessionInterest]] = relationship(cascade="all, delete-orphan")
    sectors: Mapped[list[SessionSector]] = relationship(cascade="all, delete-orphan")
    shortlist: Mapped[list[ShortlistEntry]] = relationship(
        cascade="all, delete-orphan", order_by="ShortlistEntry.position")
    comparison: Mapped[list[ComparisonEntry]] = relationship(
        cascade="all, delete-orphan", order_by="ComparisonEntry.position")


class SessionInterest(Base):
    __tablename__ = "session_interests"
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    interest_id: Mapped[str] = mapped_column(ForeignKey("interests.id"), primary_key=True)


class SessionSector(Base):
    """A sector the student wishes (``wished``) or refuses (not ``wished``)."""

    __tablename__ = "session_sectors"
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    sector_id: Mapped[str] = mapped_column(ForeignKey("sectors.id"), primary_key=True)
    wished: Mapped[bool] = mapped_column(Boolean)


class ShortlistEntry(Base):
    """A métier the student keeps, by its stable id (survives re-imports), with a short comment."""

    __tablename__ = "shortlist"
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    metier_id: Mapped[str] = mapped_column(String(200))
    comment: Mapped[str] = mapped_column(Text, default="")


class ComparisonEntry(Base):
    """A métier in the session's side-by-side comparison (2–4)."""

    __tablename__ = "comparison"
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    metier_id: Mapped[str] = mapped_column(String(200))


class AccessLog(Base):
    """Who exported, printed or erased which student's file, and when — never any content."""

    __tablename__ = "access_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))  # export | import | rapport | effacement | purge
    student_id: Mapped[int | None] = mapped_column(Integer)
    # The database role the row belongs to (PostgreSQL: defaults to current_user; SQLite: NULL).
    # Deferred: never read with the row, and absent from schemas older than 0010. A server default
    # (FetchedValue): the ORM leaves it out of its INSERTs so that PostgreSQL fills it in.
    owner: Mapped[str | None] = mapped_column(String(63), server_default=FetchedValue(), deferred=True)
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012  # owner: not read back after an INSERT


class Erasure(Base):
    """An erased student record: its number and creation moment (never its content), and when."""

    __tablename__ = "erasures"
    __table_args__ = (UniqueConstraint("student_id", "student_created", name="uq_erasures_student"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[int] = mapped_column(Integer)
    student_created: Mapped[str] = mapped_column(String(40))  # as stored in students.created_at
    erased_at: Mapped[datetime] = mapped_column(DateTime)


class Milestone(Base):
    """A date the counselor enters for themself (Affelnet, Parcoursup…), with the students it concerns."""

    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(Text)
    due_on: Mapped[str] = mapped_column(String(10), index=True)  # ISO date
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The database role the row belongs to (PostgreSQL: defaults to current_user; SQLite: NULL).
    # Deferred: never read with the row, and absent from schemas older than 0010. A server default
    # (FetchedValue): the ORM leaves it out of its INSERTs so that PostgreSQL fills it in.
    owner: Mapped[str | None] = mapped_column(String(63), server_default=FetchedValue(), deferred=True)
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012  # owner: not read back after an INSERT


class MilestoneStudent(Base):
    """A student a milestone concerns (gone with the student on erasure)."""

    __tablename__ = "milestone_students"
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class BilanHandover(Base):
    """When a student's bilan was handed over (one row per student; gone with the student)."""

    __tablename__ = "bilan_handovers"
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True)
    given_on: Mapped[str] = mapped_column(String(10))  # ISO date


class LiaisonConsent(Base):
    """The pupil's and family's consent to a note de liaison: the day and who gave it."""

    __tablename__ = "liaison_consents"
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True)
    given_on: Mapped[str] = mapped_column(String(10))  # ISO date
    given_by: Mapped[str] = mapped_column(Text)  # e.g. "l'élève et sa mère"
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class StudentShare(Base):
    """A student shared by its owner with another counselor's login (PostgreSQL office server)."""

    __tablename__ = "student_shares"
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True)
    login: Mapped[str] = mapped_column(String(63), primary_key=True, index=True)
    shared_by: Mapped[str | None] = mapped_column(String(63))
