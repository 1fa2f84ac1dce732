"""Every real ONISEP Markdown fiche (../shared/data/onisep-metiers-md, 893 files) parses, and its
facts agree with what plain regular expressions read from the raw text (a different method)."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from db.catalogue.importers import parse_bytes
from db.catalogue.nomenclature import parse_level
from db.catalogue.records import ParsedFile
from tests.conftest import shared_path


@pytest.fixture(scope="module")
def corpus() -> list[tuple[Path, str, ParsedFile]]:
    files = sorted(shared_path("data", "onisep-metiers-md").glob("MET.*.md"))
    raw = [(path, path.read_bytes()) for path in files]
    start = time.perf_counter()
    parsed = [parse_bytes(data, path.name) for path, data in raw]
    elapsed = time.perf_counter() - start
    print(f"\n{len(parsed)} fiches ONISEP Markdown lues en {elapsed:.2f} s")
    return [(path, data.decode("utf-8"), result) for (path, data), result in zip(raw, parsed, strict=True)]


def test_all_893_fiches_parse_without_refusal(corpus) -> None:
    assert len(corpus) == 893
    assert all(len(parsed.records) == 1 and parsed.format_name == "onisep-md" for _, _, parsed in corpus)
    ids = [parsed.records[0].id for _, _, parsed in corpus]
    assert len(set(ids)) == 893


def test_ids_names_and_levels_match_the_raw_text(corpus) -> None:
    for path, raw, parsed in corpus:
        record = parsed.records[0]
        assert record.id == re.search(r"^\*\*ID:\*\* (MET\.\d+)$", raw, re.M).group(1), path.name
        assert record.name == raw.split("\n", 1)[0][2:].strip(), path.name
        level = re.search(r"^\*\*Niveau d'accès minimum:\*\* (.+)$", raw, re.M).group(1).strip()
        assert record.level_text == level, path.name
        # Every level but "autre formation" is in the nomenclature.
        assert (parse_level(record.level_text) is None) == (level == "autre formation"), path.name


def test_rome_codes_match_the_raw_text(corpus) -> None:
    for path, raw, parsed in corpus:
        block = re.search(r"^\*\*Codes ROME:\*\*\n((?:- .*\n)+)", raw, re.M)
        listed = re.findall(r"^- (\S+)$", block.group(1), re.M) if block else []
        record = parsed.records[0]
        assert record.rome_codes == [c for c in listed if re.fullmatch(r"[A-N]\d{4}", c)], path.name
        if any(not re.fullmatch(r"[A-N]\d{4}", c) for c in listed):
            assert any("invalide" in note for note in parsed.notes), path.name


def test_salaries_match_the_raw_text(corpus) -> None:
    stated = with_figure = 0
    for path, raw, parsed in corpus:
        found = re.search(r"### Salaire du débutant\n\s*(.+)", raw)
        salary = parsed.records[0].salary
        if not found:
            assert salary is None, path.name
            continue
        stated += 1
        line = found.group(1).strip()
        assert salary is not None and salary.text.split("\n")[0] == line.split("<br/>")[0].strip(), path.name
        simple_from = re.match(r"A partir de (\d+) euros brut par mois", line)
        simple_range = re.match(r"Entre (\d+) et (\d+) euros brut par mois", line)
        if simple_from:
            assert (salary.min_eur, salary.max_eur) == (int(simple_from.group(1)), None), path.name
        elif simple_range:
            assert (salary.min_eur, salary.max_eur) == (int(simple_range.group(1)), int(simple_range.group(2)))
        elif re.match(r"(Très |Salaire )?[Vv]ariable", line):
            assert salary.min_eur is None, path.name
        with_figure += salary.min_eur is not None
    assert stated == 741  # fiches with a "Salaire du débutant" line in this export
    assert with_figure >= 640


def test_lists_match_the_raw_text(corpus) -> None:
    for path, raw, parsed in corpus:
        record = parsed.records[0]
        formation_ids = re.findall(r"^- .*\(ID: (FOR\.\d+)\)$", raw, re.M)
        assert [f.id for f in record.formations] == formation_ids, path.name
        synonyms = re.findall(r"^### (.+)\n- Féminin:", raw, re.M)
        assert [s.name for s in record.synonyms] == synonyms, path.name
        interests = re.search(r"^## Centres d'intérêt\n\n((?:- .*\n?)+)", raw, re.M)
        expected = re.findall(r"^- (.+)$", interests.group(1), re.M) if interests else []
        assert [i.label for i in record.interests] == expected, path.name


def test_summary_is_the_presentation_paragraph(corpus) -> None:
    for path, raw, parsed in corpus:
        presentation = re.search(r"^## Présentation\n\n(.+?)\n\n## ", raw, re.M | re.S).group(1)
        # The source indents some continuation paragraphs by 12 spaces; the text keeps none.
        expected = "\n".join(line.strip() for line in presentation.strip().split("\n"))
        assert parsed.records[0].summary == expected, path.name


def test_sub_headings_stay_inside_their_section(corpus) -> None:
    known = {"presentation", "en_bref", "nature_travail", "competences", "conditions_travail",
             "vie_professionnelle", "acces_metier"}
    for path, _, parsed in corpus:
        sections = parsed.records[0].sections
        assert {s.key for s in sections} <= known, path.name
        assert all("#" not in s.text.split("\n")[0] for s in sections), path.name
