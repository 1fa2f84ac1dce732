"""The words a search indexes and reads: separators, accents and characters outside ASCII."""
from db.text import words


def test_words_are_folded_runs_of_letters_and_digits():
    assert words("Œnologue – « vigne » : l’été, 3D/BTS_2") == ["oenologue", "vigne", "l", "ete", "3d", "bts", "2"]


def test_a_character_outside_ascii_separates_words_and_an_accent_does_not():
    assert words("a«b»c 😀ab😀 αβγ école") == ["a", "b", "c", "ab", "ecole"]
    assert words("ÉCOLE\u00a0d'ingé\tnieur\nx") == ["ecole", "d", "inge", "nieur", "x"]


def test_no_text_gives_no_words():
    assert words(None) == [] and words("") == [] and words(" — … ") == []
