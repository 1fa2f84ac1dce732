"""Decoding files safely, HTML to clean text, and levels as the parsers hand them on."""
from __future__ import annotations

import pytest

from db.errors import FicheError
from db.catalogue.importers import parse_bytes
from db.catalogue.importers.textio import decode, derived_id, html_to_text, paragraphs, strip_emoji
from db.catalogue.nomenclature import parse_level

FICHE = ("# ingénieur/e œnologue\n**ID:** MET.9001\n\n**Appellations:**\n- Féminin: ingénieure œnologue\n"
         "- Masculin: ingénieur œnologue\n\n## Présentation\n\nL’œnologue élabore le vin — à Épernay.\n\n"
         "**Niveau d'accès minimum:** bac + 5\n")


# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_a_fiche_in_any_common_encoding_reads_the_same(encoding: str) -> None:
    record = parse_bytes(FICHE.encode(encoding), "fiche.md").records[0]
    assert record.name == "ingénieur/e œnologue"
    assert record.summary == "L’œnologue élabore le vin — à Épernay."


def test_latin1_file_is_decoded_right_and_noted() -> None:
    text = FICHE.replace("œ", "oe").replace("’", "'").replace("—", "-")
    parsed = parse_bytes(text.encode("latin-1"), "fiche.md")
    assert parsed.records[0].summary == "L'oenologue élabore le vin - à Épernay."
    assert "fichier encodé en Windows-1252 (Latin-1), converti en UTF-8" in parsed.notes


def test_latin1_with_c1_bytes_is_refused_rather_than_misread() -> None:
    # 0x81 and 0x8D mean nothing in Windows-1252 and are invisible controls in Latin-1.
    with pytest.raises(FicheError, match="encodage non reconnu"):
        decode(b"Caf\xe9 \x81\x8d au lait")


def test_double_encoded_utf8_is_repaired() -> None:
    mojibake = "éléments, théâtre, métier, à côté".encode().decode("cp1252")
    assert decode(mojibake.encode("utf-8")).text == "éléments, théâtre, métier, à côté"


@pytest.mark.parametrize("data", [
    b"PK\x03\x04\x00\x00\x00binary\x00",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    bytes(range(256)) * 4,
])
def test_binary_content_is_refused_in_french(data: bytes) -> None:
    with pytest.raises(FicheError, match=r"binaire|encodage"):
        decode(data)


def test_control_characters_mean_binary() -> None:
    with pytest.raises(FicheError, match="binaire"):
        decode(b"abc\x01\x02\x03\x04\x05\x06def" * 3)


def test_windows_line_endings_are_normalised() -> None:
    assert decode(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_empty_and_blank_files_are_refused() -> None:
    for data in (b"", b"  \n\t\r\n"):
        with pytest.raises(FicheError, match="vide"):
            parse_bytes(data, "x.md")


def test_unknown_format_lists_the_supported_ones() -> None:
    with pytest.raises(FicheError) as caught:
        parse_bytes(b"Bonjour, ceci est une lettre.\n", "lettre.txt")
    message = caught.value.message
    assert message.startswith("format non reconnu")
    for kind in ("Markdown", "XML", "JSON", "ROME", "CIDJ", "titre professionnel", "belge"):
        assert kind in message


def test_too_large_file_is_refused_with_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import db.catalogue.importers as importers

    monkeypatch.setattr(importers.registry, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    with pytest.raises(FicheError, match=r"trop volumineux .*limite : 2 Mo"):
        parse_bytes(b"x" * (3 * 1024 * 1024), "gros.md")


# ---------------------------------------------------------------------------------------------
# HTML and markup
# ---------------------------------------------------------------------------------------------
def test_html_to_text_keeps_paragraphs_headings_and_lists() -> None:
    html = ("<h3>Salaire</h3>\n  <h5>Salaire du d&eacute;butant</h5>\n  <p>A partir de 2000&nbsp;euros</p>"
            "<p>Deux<br/>lignes</p><ul><li>un</li><li>deux</li></ul>")
    assert html_to_text(html) == ("Salaire\n\nSalaire du débutant\nA partir de 2000\u00a0euros\n\n"
                                  "Deux\nlignes\n\n- un\n- deux")


def test_html_to_text_leaves_script_content_out_and_keeps_escaped_markup_as_text() -> None:
    html = "<p>Avant</p><script>alert('x')</script><p>&lt;b&gt;gras&lt;/b&gt; reste du texte</p>"
    assert html_to_text(html) == "Avant\n\n<b>gras</b> reste du texte"


def test_plain_text_and_broken_html_do_not_lose_words() -> None:
    assert html_to_text("a < b et c > d") == "a < b et c > d"
    assert html_to_text("<p>non fermé <b>gras") == "non fermé gras"
    assert html_to_text(None) == ""


@pytest.mark.parametrize("title", ["<script>alert(1)</script> veilleur/euse", "<b>gras</b> & co",
                                   "ingénieur &amp; <i>x</i>"])
def test_markup_in_a_title_is_kept_as_literal_text(title: str) -> None:
    record = parse_bytes(FICHE.replace("ingénieur/e œnologue\n", title + "\n", 1).encode(), "f.md").records[0]
    assert record.name == title


def test_decorative_emoji_go_but_signs_stay() -> None:
    assert strip_emoji("🎓 Études") == "Études"
    assert strip_emoji("⚙️ Conditions") == "Conditions"
    assert strip_emoji("CCT n°90, 25 % et 3 500 €, © x") == "CCT n°90, 25 % et 3 500 €, © x"


def test_paragraphs_remember_double_breaks() -> None:
    found = paragraphs("Titre\n\nun\ndeux\n\n\nTrois\n")
    assert [(p.lines, p.gap) for p in found] == [(("Titre",), False), (("un", "deux"), False),
                                                 (("Trois",), True)]


def test_derived_ids_are_stable_ascii_and_bounded() -> None:
    assert derived_id("CIDJ.", "Planificateur / Planificatrice de production") == \
        "CIDJ.planificateur-planificatrice-de-production"
    assert derived_id("BE.", "🎓 !!!") is None
    long_id = derived_id("TP.", "très long intitulé " * 40)
    assert long_id is not None and len(long_id) <= 125 and not long_id.endswith("-")


# ---------------------------------------------------------------------------------------------
# Levels: what the parsers write is understood by the one nomenclature
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "bac_plus", "level_2019"), [
    ("bac + 2", 2, 5), ("Bac + 2", 2, 5), ("bac+2", 2, 5), ("BAC + 5", 5, 7),
    ("CAP ou équivalent", -2, 3), ("bac ou équivalent", 0, 4), ("bac + 9 et plus", 9, 8),
    ("3E", -4, None), ("diplôme national du brevet", -3, 2), ("sans diplôme", -4, None),
    ("CAP ou équivalent + 1 an", -1, 3), ("REF.411", 2, 5),
    ("Niveau : III", 2, 5), ("Niveau : III.", 2, 5), ("niveau 5", 2, 5), ("Niveau : V", -2, 3),
    ("CESS", 0, 4), ("Bachelier", 3, 6), ("master", 5, 7),
])
def test_level_texts_map_to_the_nomenclature(text: str, bac_plus: int, level_2019: int | None) -> None:
    level = parse_level(text)
    assert level is not None
    assert (level.bac_plus, level.level_2019) == (bac_plus, level_2019)


@pytest.mark.parametrize("text", ["autre formation", "niveau expert", "", None])
def test_unknown_levels_are_not_guessed(text: str | None) -> None:
    assert parse_level(text) is None
