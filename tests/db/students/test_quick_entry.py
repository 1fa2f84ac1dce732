"""One line typed by the counselor read into a new student, or into several interests."""
from __future__ import annotations

import pytest

from db.students.quick_entry import StudentLine, match_interests, parse_student_line


@pytest.mark.parametrize(("typed", "expected"), [
    ("Zoé Martin 3e B", StudentLine("Zoé", "Martin", "3e B", "3e")),
    ("Jean Pierre Dupont 2nde 4", StudentLine("Jean", "Pierre Dupont", "2nde 4", "2de-gt")),
    ("Léa Roux Tle G2", StudentLine("Léa", "Roux", "Tle G2", "term-gt")),
    ("Ali Ben CAP 1", StudentLine("Ali", "Ben", "CAP 1", "cap")),
    ("Inès Petit 1re STMG", StudentLine("Inès", "Petit", "1re STMG", "1re-gt")),
    ("Noé Blanc 2nde pro MELEC", StudentLine("Noé", "Blanc", "2nde pro MELEC", "2de-pro")),
    ("Lou Gris 3ème 2", StudentLine("Lou", "Gris", "3ème 2", "3e")),
    ("Sam Vert ULIS", StudentLine("Sam", "Vert", "ULIS", "")),
    ("Zoé Martin", StudentLine("Zoé", "Martin", "")),
    ("Martin", StudentLine("", "Martin", "")),
    ("   ", StudentLine("", "", "")),
])
def test_a_line_gives_first_name_name_and_class(typed: str, expected: StudentLine) -> None:
    assert parse_student_line(typed) == expected


INTERESTS = [("a", "je veux être utile aux autres"), ("b", "ma vocation est de soigner"), ("c", "j'aime bouger"),
             ("d", "j'aime bouger et voyager beaucoup"), ("e", "j'aime les animaux")]


def test_each_part_ticks_its_best_interest_and_the_rest_is_said_not_found() -> None:
    match = match_interests("utile, VOCATION ; bouger, zzz, , animaux", INTERESTS)
    assert match.found == [("a", "je veux être utile aux autres"), ("b", "ma vocation est de soigner"),
                           ("c", "j'aime bouger"), ("e", "j'aime les animaux")]
    assert match.not_found == ["zzz"]


def test_accents_are_ignored_and_an_interest_is_found_once() -> None:
    match = match_interests("etre utile, utile", INTERESTS)
    assert match.found == [("a", "je veux être utile aux autres")] and match.not_found == []
