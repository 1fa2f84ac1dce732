"""One code, two engines: the same behaviours on a SQLite file and on a PostgreSQL server.

Each test runs twice: on SQLite, and on a fresh database of the test PostgreSQL server named by
``ORIENTATION_TEST_PG_URL`` (skipped, with the reason, when it is absent; see
``scripts/pg_test_server.sh``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.catalogue.search import Criteria, count, search, text_notice
from db.errors import DatabaseLocationError, UserError
from db.models import CounselingSession, Erasure, Metier, Student
from db.storage.engine import Database
from db.storage.opening import open_database
from db.students.privacy import erase_student
from db.students.store import create_student, find_students, get_session, save_session, start_session
from tests.conftest import DATA, ROOT


@pytest.fixture
def mini(db_url: str) -> Iterator[Database]:
    """The eight test fiches of tests/data/mini.jsonl, on either engine."""
    from db.catalogue.importing import import_paths

    database = open_database(db_url, load_starter=False)
    try:
        assert import_paths(database, [DATA / "mini.jsonl"]).refused == 0
        yield database
    finally:
        database.close()


def _names(database: Database, criteria: Criteria) -> list[str]:
    with database.read() as session:
        return [row.name for row in search(session, criteria)]


def test_a_new_database_receives_the_starter_catalogue(db_url: str) -> None:
    database = open_database(db_url, daily=False)
    try:
        with database.read() as session:
            fiches = session.execute(select(func.count()).select_from(Metier)).scalar_one()
            assert fiches > 800
            assert count(session, Criteria()) > 800
            assert any("boulang" in row.name for row in search(session, Criteria(text="boulanger"), limit=20))
    finally:
        database.close()
    again = open_database(db_url, daily=False)  # opened again: nothing loaded twice
    try:
        with again.read() as session:
            assert session.execute(select(func.count()).select_from(Metier)).scalar_one() == fiches
    finally:
        again.close()


def test_filters_and_text_find_the_same_fiches(mini: Database) -> None:
    assert _names(mini, Criteria(text="soignante")) == ["aide-soignant/e", "médecin généraliste"]
    assert _names(mini, Criteria(text="OENOLOGUE")) == ["œnologue"]  # case and ligature folded
    assert _names(mini, Criteria(text="ingenieur informaticien")) == ["ingénieur/e informaticien/ne"]
    assert _names(mini, Criteria(text="informati")) == ["ingénieur/e informaticien/ne"]  # a word's start
    assert _names(mini, Criteria(text="comptable xyzabc")) == ["comptable"]  # else the most words
    with mini.read() as session:
        assert "voici celles qui en contiennent le plus" in (text_notice(session, Criteria(text="comptable xyzabc"))
                                                             or "")
    assert _names(mini, Criteria(max_bac_plus=0, sort="name")) == ["aide-soignant/e", "bénévole associatif/ve",
                                                                    "maçon/ne"]
    assert _names(mini, Criteria(min_salary=2500, sort="salary", descending=True)) == [
        "médecin généraliste", "ingénieur/e informaticien/ne"]


def test_a_student_is_created_saved_and_erased_for_good(mini: Database) -> None:
    student_id = create_student(mini, "Lefèvre", "Chloé", "3e B")
    with mini.read() as session:
        state = start_session(session, student_id, "2026-11-20")
    state.next_steps, state.private_notes, state.max_bac_plus = "Stage en EHPAD", "confidentiel", 2
    session_id = save_session(mini, state)
    with mini.read() as session:
        assert [s.full_name for s in find_students(session, "lefevre")] == ["Chloé Lefèvre"]
        saved = get_session(session, session_id)
    assert (saved.next_steps, saved.private_notes, saved.max_bac_plus) == ("Stage en EHPAD", "confidentiel", 2)

    said = " ".join(erase_student(mini, student_id).sentences())
    if mini.engine.dialect.name == "postgresql":  # what the server still holds, said plainly
        assert "Le serveur a été nettoyé (VACUUM)" in said and "pg_dump" in said
    else:
        assert "sauvegarde automatique" in said and "VACUUM" not in said
    with mini.read() as session:
        assert find_students(session) == []
        assert session.execute(select(func.count()).select_from(CounselingSession)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(Student)).scalar_one() == 0
        assert session.execute(select(Erasure.student_id)).scalars().all() == [student_id]
    with pytest.raises(UserError, match="aucun élève"):
        erase_student(mini, student_id)


def test_a_server_that_cannot_be_reached_is_one_french_sentence_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://conseiller:motdepasse-secret@/orientation?host={tmp_path}&port=5999"
    with pytest.raises(DatabaseLocationError, match=r"connexion impossible .* le serveur est joignable") as err:
        open_database(url)
    assert "motdepasse-secret" not in err.value.message


def test_another_postgresql_driver_is_refused_with_the_address_to_write() -> None:
    with pytest.raises(DatabaseLocationError, match=r"pilote PostgreSQL non pris en charge .* postgresql[+]psycopg://"):
        open_database("postgresql://conseiller@serveur/orientation")


def test_names_sort_the_same_whatever_the_servers_language(pg_url: str) -> None:
    """A server whose databases sort in French (ICU) orders the sort keys byte by byte, as SQLite."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from db.catalogue.importing import import_paths

    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(pg_url).database}_fr"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                              "ICU_LOCALE 'fr-FR' LOCALE 'C.UTF-8'"))
        database = open_database(make_url(pg_url).set(database=name).render_as_string(hide_password=False),
                                 load_starter=False)
        try:
            import_paths(database, [DATA / "mini.jsonl"])
            with database.read() as session:
                collation = session.execute(text("SELECT collation_name FROM information_schema.columns "
                                                 "WHERE table_name = 'metiers' AND column_name = 'sort_key'")).scalar()
            assert collation == "C"
            assert _names(database, Criteria(sort="name"))[:3] == ["aide-soignant/e", "bénévole associatif/ve",
                                                                  "comptable"]
        finally:
            database.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


# ------------------------------------------------------------------ search: same words, same order
@pytest.fixture(scope="module")
def starters(pg_starter: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Database]]:
    """The starter catalogue on SQLite and on PostgreSQL, side by side (read only)."""
    lite = open_database(str(tmp_path_factory.mktemp("starter") / "orientation.sqlite"), backups=False)
    yield {"sqlite": lite, "postgresql": pg_starter}
    lite.close()


SANTE = "T-IDEO2.4869"  # the ONISEP sector "Santé"


@pytest.mark.parametrize("criteria, first, notice", [
    (Criteria(text="boulangre"), "boulanger/ère", "résultats pour « boulangere »"),  # a typo, corrected
    (Criteria(text="coifeur"), "coiffeur/euse", "résultats pour « coiffeur »"),
    (Criteria(text="infirmières"), "infirmier/ère", None),  # accents, plural, feminine
    (Criteria(text="ŒNOLOGUE"), "oenologue", None),  # ligature and case
    (Criteria(text="œnologue"), "oenologue", None),
    (Criteria(text="electricien"), "ingénieur/e électricien/ne", None),
    (Criteria(text="informati"), "consultant/e informatique", None),  # a word's start
    (Criteria(text="développeur informatique"), "développeur/euse informatique", None),  # every word
    (Criteria(text="comptable xyzabc"), "comptable", "contiennent le plus"),  # else the most words
    (Criteria(text="maîtresse d'école"), "professeur/e des écoles", "contiennent le plus"),
    (Criteria(text="dev web"), "intégrateur/trice web", None),  # an abbreviation's alternatives
    (Criteria(text="je veux travailler avec les chevaux"), "garde à cheval", None),  # a sentence
    (Criteria(text="technicien", max_bac_plus=2), None, None),  # text and level
    (Criteria(text="soins", sectors=(SANTE,)), None, None),  # text and sector
    (Criteria(text="assistant", max_bac_plus=3, sectors=(SANTE,), sort="name"), None, None),
    (Criteria(text="mécanique", sort="relevance", descending=True), None, None),
], ids=lambda value: getattr(value, "text", None) if isinstance(value, Criteria) else "")
def test_the_same_text_finds_the_same_fiches_in_the_same_order_on_both_engines(
        starters: dict[str, Database], criteria: Criteria, first: str | None, notice: str | None) -> None:
    seen = {}
    for engine, database in starters.items():
        with database.read() as session:
            seen[engine] = (count(session, criteria), [row.name for row in search(session, criteria, limit=10)],
                            text_notice(session, criteria))
    assert seen["postgresql"] == seen["sqlite"]
    total, names, said = seen["postgresql"]
    assert total > 0 and names
    if first is not None:
        assert names[0] == first
    assert (notice or "") in (said or "") and (said is None) == (notice is None)


def test_the_judged_queries_score_the_same_on_both_engines(starters: dict[str, Database]) -> None:
    """bench/search_quality.py's judged queries: precision@5 and "job in the top 3" on each engine."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("search_quality", ROOT / "bench" / "search_quality.py")
    assert spec is not None and spec.loader is not None
    quality = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = quality  # its dataclasses look their module up
    spec.loader.exec_module(quality)
    queries = quality.load_queries()
    figures = {engine: quality.measure(engine, database, queries) for engine, database in starters.items()}
    for engine in starters:
        assert figures[engine].precision() >= quality.GOAL_PRECISION, engine
        assert figures[engine].target_top3() >= quality.GOAL_TARGET_TOP3, engine
    assert figures["postgresql"].target_top3() == figures["sqlite"].target_top3()
    assert abs(figures["postgresql"].precision() - figures["sqlite"].precision()) <= 0.01


def test_the_search_follows_the_catalogue_s_writes(mini: Database, tmp_path: Path) -> None:
    """A fiche imported again under a new name is found by it, typos included, and no longer by
    the old one: the index (FTS5 triggers, PostgreSQL's generated column) follows every write."""
    import json

    from db.catalogue.importing import import_paths

    lines = (DATA / "mini.jsonl").read_text(encoding="utf-8").splitlines()
    fiche = next(json.loads(line) for line in lines if '"ORI.comptable"' in line)
    fiche.update(nom="trésorier/ère", libelle_feminin="trésorière", libelle_masculin="trésorier", synonymes=[],
                 description="Tient les caisses.", travail="", acces="")
    assert _names(mini, Criteria(text="accounts")) == ["comptable"]  # in its description, before
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(fiche, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_paths(mini, [changed]).refused == 0
    assert _names(mini, Criteria(text="tresoriere")) == ["trésorier/ère"]
    assert _names(mini, Criteria(text="trésorrier")) == ["trésorier/ère"]  # the new word is known for typos
    assert _names(mini, Criteria(text="accounts")) == []  # the old description's word
    with mini.read() as session:
        assert text_notice(session, Criteria(text="trésorrier")) == (
            "Aucune fiche ne contient « tresorrier » : résultats pour « tresorier ».")


def test_a_server_that_refuses_the_extensions_keeps_a_simple_search_and_says_so(pg_url: str) -> None:
    """A counselor's role that may not create unaccent and pg_trgm: the base opens all the same,
    text is still found (every word, else the most words), and the search says why it is simpler."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from db.catalogue.importing import import_paths
    from db.catalogue.search_pg import NOTICE

    role = f"conseiller_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:  # may create tables, not extensions (no CREATE on the base)
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
            conn.execute(text(f'GRANT CREATE ON SCHEMA public TO "{role}"'))
        database = open_database(make_url(pg_url).set(username=role).render_as_string(hide_password=False),
                                 load_starter=False)
        try:
            assert import_paths(database, [DATA / "mini.jsonl"]).refused == 0
            assert _names(database, Criteria(text="informati")) == ["ingénieur/e informaticien/ne"]
            assert _names(database, Criteria(text="comptable xyzabc")) == ["comptable"]
            with database.read() as session:
                assert text_notice(session, Criteria(text="comptable")) == NOTICE
                assert text_notice(session, Criteria()) is None
        finally:
            database.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def test_the_postgresql_search_migration_goes_down_and_up_again(mini: Database) -> None:
    """Migration 0011 undone: the portable search answers (and says it is simpler); redone: the
    full-text search is back, over the fiches already there."""
    from alembic import command

    from db.catalogue.search_pg import NOTICE
    from db.storage.migrate import alembic_config

    def migrate(step: Callable[..., None], revision: str) -> None:
        with mini.engine.begin() as conn:
            config = alembic_config(mini.url)
            config.attributes["connection"] = conn
            step(config, revision)
        mini.engine.dispose()  # the next sessions ask again whether the index is there

    criteria = Criteria(text="ingenieur informaticien")
    migrate(command.downgrade, "0010")  # just before 0011 (and before 0012's index, which SQLite's plans name)
    if mini.engine.dialect.name == "postgresql":
        assert _names(mini, criteria) == ["ingénieur/e informaticien/ne"]
        with mini.read() as session:
            assert text_notice(session, criteria) == NOTICE
    migrate(command.upgrade, "head")
    assert _names(mini, criteria) == ["ingénieur/e informaticien/ne"]
    with mini.read() as session:
        assert text_notice(session, criteria) is None
        assert text_notice(session, Criteria(text="infornaticien")) == (
            "Aucune fiche ne contient « infornaticien » : résultats pour « informaticien ».")


def test_twins_facts_and_inferred_sectors_are_written_alike_on_both_engines(mini: Database, tmp_path: Path) -> None:
    """An ONISEP fiche takes the sectors and salary its project twin states; a fiche without
    sector takes those stated for its ROME code, and another once more fiches state another:
    the same fiches, sectors, main sectors and provenance on SQLite and on PostgreSQL."""
    from db.catalogue.fiche import get_fiche
    from db.catalogue.importing import import_paths
    from db.models import SectorRow
    from tests.db.catalogue.test_same_job import ONISEP_STYLE, _stating

    with mini.read() as session:
        other = session.execute(select(func.min(Metier.main_sector_id)).where(Metier.id == "ORI.oenologue")).scalar()
    assert other
    fiches = {"MET.561": ONISEP_STYLE,
              "MET.99001": ONISEP_STYLE.replace("aide-soignant/e", "brancardier/ère").replace("MET.561", "MET.99001")}
    for metier_id, body in fiches.items():
        (tmp_path / f"{metier_id}.md").write_text(body, encoding="utf-8")
        assert import_paths(mini, [tmp_path / f"{metier_id}.md"]).refused == 0
    with mini.read() as session:
        twin, project = get_fiche(session, "MET.561"), get_fiche(session, "ORI.aide-soignant")
        assert twin.sectors == project.sectors and twin.salary_min == project.salary_min
        assert get_fiche(session, "MET.99001").sectors == project.sectors
        other_label = session.execute(select(SectorRow.label).where(SectorRow.id == other)).scalar_one()
    for metier_id, name in (("MET.99002", "agent/e de service hospitalier"), ("MET.99003", "ambulancier/ère")):
        (tmp_path / f"{metier_id}.md").write_text(_stating(metier_id, name, other_label), encoding="utf-8")
        assert import_paths(mini, [tmp_path / f"{metier_id}.md"]).refused == 0
    with mini.read() as session:
        moved = get_fiche(session, "MET.99001")
        main = session.execute(select(Metier.main_sector_id).where(Metier.id == "MET.99001")).scalar_one()
    assert moved.sectors[0] == other_label and main == other
    assert moved.provenance == ["Secteurs : d'après les autres fiches du code ROME J1501."]
    assert "brancardier/ère" in _names(mini, Criteria(sectors=(other,)))
