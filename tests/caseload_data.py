"""A generated caseload (the issue's 1,500 students × 4 sessions), shared by tests and bench/.

Rows are inserted with plain SQL (the session editor would take minutes for 6,000 sessions);
what was generated is returned too, so a test can compute the expected answer by itself.
Every student's name and every free text carry a marker (``NOM-``, ``PRENOM-``, ``SECRET-``)
that must never reach an anonymous output.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import text

from db.catalogue.nomenclature import ONISEP_INTERESTS, ONISEP_SECTORS
from db.storage.engine import Database
from db.text import fold

SCHOOLS = ("Collège Jean Moulin", "Collège Victor Hugo", "Lycée Ampère", "Lycée pro Marie Curie")
CLASSES = {"Collège Jean Moulin": ("3e A", "3e B", "4e A"), "Collège Victor Hugo": ("3e 1", "3e 2"),
           "Lycée Ampère": ("2de 3", "1re G2", "Terminale G1"), "Lycée pro Marie Curie": ("CAP 1", "2de pro")}
INTERESTS = [i.id for i in ONISEP_INTERESTS]
SECTORS = [sid for sid, _ in ONISEP_SECTORS]


@dataclass
class GenStudent:
    """What was generated for one student (session dates oldest first)."""

    id: int
    etablissement: str | None
    classe: str | None
    dates: list[str] = field(default_factory=list)
    shortlist_last: bool = False
    bilan_given: str | None = None


def generate(database: Database, students: int = 1500, sessions: int = 6000, seed: int = 19,
             start: date = date(2025, 9, 1), days: int = 300) -> list[GenStudent]:
    """Insert ``students`` students and about ``sessions`` sessions spread over ``days`` days from
    ``start``; about one student in 8 never seen, one in 3 with a bilan handed over."""
    rng = random.Random(seed)
    made: list[GenStudent] = []
    per_student = sessions / (students * 7 / 8)
    with database.write() as session:
        conn = session.connection()
        now = datetime(2025, 9, 1, 8, 0)
        for n in range(students):
            school = rng.choice(SCHOOLS) if n % 50 else None
            classe = rng.choice(CLASSES[school]) if school else None
            conn.execute(text("INSERT INTO students (nom, prenom, classe, etablissement, annee_scolaire, created_at, "
                              "search_key) VALUES (:nom, :prenom, :classe, :school, '2025-2026', :created, :key)"),
                         {"nom": f"NOM-{n}", "prenom": f"PRENOM-{n}", "classe": classe, "school": school,
                          "created": now, "key": fold(f"NOM-{n} PRENOM-{n}")})
            student = GenStudent(n + 1, school, classe)
            count = 0 if n % 8 == 7 else max(1, round(rng.gauss(per_student, 1)))
            student.dates = sorted((start + timedelta(days=rng.randrange(days))).isoformat() for _ in range(count))
            made.append(student)
        session_id = 0
        for student in made:
            for day in student.dates:
                session_id += 1
                keep = rng.random() < 0.6
                _insert_session(conn, rng, session_id, student, day, keep=keep)
                if day == student.dates[-1]:  # every session of the last day is "the latest"
                    student.shortlist_last = student.shortlist_last or keep
            if rng.random() < 1 / 3:
                student.bilan_given = (start + timedelta(days=rng.randrange(days))).isoformat()
                conn.execute(text("INSERT INTO bilan_handovers (student_id, given_on) VALUES (:s, :d)"),
                             {"s": student.id, "d": student.bilan_given})
            if student.dates:
                conn.execute(text("UPDATE students SET last_session_on = :d WHERE id = :s"),
                             {"d": student.dates[-1], "s": student.id})
    return made


def _insert_session(conn, rng: random.Random, session_id: int, student: GenStudent, day: str,  # type: ignore[no-untyped-def]
                    keep: bool) -> None:
    conn.execute(text("INSERT INTO sessions (id, student_id, date, max_bac_plus, next_steps, student_note, "
                      "private_notes, updated_at) VALUES (:id, :s, :d, :lvl, :steps, :note, :private, :now)"),
                 {"id": session_id, "s": student.id, "d": day, "lvl": rng.choice((None, 0, 2, 3, 5)),
                  "steps": f"SECRET-STEP-{student.id}", "note": f"SECRET-NOTE-{student.id}",
                  "private": f"SECRET-PRIVATE-{student.id}", "now": datetime(2026, 1, 1)})
    for interest in rng.sample(INTERESTS, rng.randint(0, 3)):
        conn.execute(text("INSERT INTO session_interests (session_id, interest_id) VALUES (:s, :i)"),
                     {"s": session_id, "i": interest})
    for sector in rng.sample(SECTORS, rng.randint(0, 2)):
        conn.execute(text("INSERT INTO session_sectors (session_id, sector_id, wished) VALUES (:s, :i, 1)"),
                     {"s": session_id, "i": sector})
    if keep:
        for position in range(rng.randint(1, 3)):
            conn.execute(text("INSERT INTO shortlist (session_id, position, metier_id, comment) "
                              "VALUES (:s, :p, :m, :c)"),
                         {"s": session_id, "p": position, "m": f"MET.{rng.randint(1, 900)}",
                          "c": f"SECRET-COMMENT-{student.id}"})

