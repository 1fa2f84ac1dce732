"""Property tests: whatever bytes arrive, parse_bytes gives a ParsedFile or a FicheError in
French — never another exception, never a hang — and text from fiches stays text."""
from __future__ import annotations

import functools
import json
import random
from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.errors import FicheError
from db.catalogue.importers import parse_bytes
from db.catalogue.records import ParsedFile
from tests.conftest import shared_path

from .conftest import SEEDS, small_xml

# Generous per-example deadline: a hang or a catastrophic regex fails it, a busy CI does not.
PROPERTY_SETTINGS = settings(max_examples=200, deadline=2000,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ENCODINGS = ("utf-8-sig", "cp1252", "latin-1", "utf-16", "mac_roman", "cp850")
MARKUP = ("<script>alert(1)</script>", "<b>gras</b>", "</p><h1>x", "&amp; &lt;", "]]>", "<!--",
          "🎓💰⚙️", "👩🏽‍🔧", "\u202e", "'; DROP TABLE metiers; --", "{{7*7}}", "%s%n")
NAMES = ("fiche.md", "export.xml", "export.zip", "unix_referentiel_code_rome_v460_utf8.csv", "page.txt", "x")


@functools.lru_cache(maxsize=1)
def _samples() -> tuple[bytes, ...]:
    seeds = [shared_path("seeds", name).read_bytes() for name in SEEDS.values()]
    fiches = sorted(shared_path("data", "onisep-metiers-md").glob("MET.*.md"))[::300]
    import zipfile

    archive = next(shared_path("data", "onisep-ideo-xml-2024").glob("*.zip"))
    with zipfile.ZipFile(archive) as opened:
        xml = small_xml(opened.read(opened.namelist()[0]), 2)
    rome = [b"".join(path.read_bytes().splitlines(keepends=True)[:6])
            for path in sorted(shared_path("data", "rome-v460").glob("unix_referentiel_*.csv"))]
    json_doc = json.dumps({"metiers": {"metier": {"identifiant": "MET.77", "nom_metier": "essai",
                                                  "romesV3": {"romeV3": "H2502"}, "statuts": None}}}).encode()
    return tuple(seeds + [p.read_bytes() for p in fiches] + [xml, json_doc] + rome)


@pytest.fixture(scope="module")
def samples() -> None:
    """Small real documents of every format, read in place from ../shared (skips when absent).

    Kept out of the test arguments so that a failing example's report stays readable."""
    _samples()


def _mutate(data: bytes, kind: str, rnd: random.Random, text: str) -> bytes:
    """One mutation of the kinds a damaged or odd file shows."""
    if not data:
        return data
    at = rnd.randrange(len(data))
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rnd.randint(1, 12)):
            out[rnd.randrange(len(out))] = rnd.randrange(256)
        return bytes(out)
    if kind == "truncate":
        return data[:at]
    if kind == "shuffle":
        lines = data.split(b"\n")
        rnd.shuffle(lines)
        return b"\n".join(lines)
    if kind == "drop":
        lines = data.split(b"\n")
        start = rnd.randrange(len(lines))
        return b"\n".join(lines[:start] + lines[start + rnd.randint(1, 15):])
    if kind == "insert":
        return data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]
    if kind == "markup":
        return data[:at] + rnd.choice(MARKUP).encode() + data[at:]
    if kind == "encode":
        return data.decode("utf-8", "replace").encode(rnd.choice(ENCODINGS), "replace")
    return data


def _check(data: bytes, name: str) -> ParsedFile | None:
    """The only allowed outcomes: a ParsedFile with usable records, or a FicheError in French."""
    try:
        parsed = parse_bytes(data, name)
    except FicheError as exc:
        assert isinstance(exc.message, str) and exc.message.strip()
        assert "Traceback" not in exc.message
        return None
    assert isinstance(parsed, ParsedFile)
    for record in parsed.records:
        assert record.id.strip() and record.name.strip()
        assert all(isinstance(s.text, str) and s.text for s in record.sections)
        if record.salary is not None:
            assert isinstance(record.salary.text, str)
    assert parsed.records or parsed.rome is not None
    return parsed


@PROPERTY_SETTINGS
@given(pick=st.integers(0, 10_000), kinds=st.lists(st.sampled_from(
    ["flip", "truncate", "shuffle", "drop", "insert", "markup", "encode"]), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1), text=st.text(max_size=40), name=st.sampled_from(NAMES))
def test_mutated_real_fiches_are_parsed_or_refused(samples, pick, kinds, seed, text, name) -> None:
    rnd = random.Random(seed)
    data = _samples()[pick % len(_samples())]
    for kind in kinds:
        data = _mutate(data, kind, rnd, text)
    _check(data, name)


@PROPERTY_SETTINGS
@given(data=st.binary(max_size=3000), name=st.sampled_from(NAMES))
def test_random_bytes_are_parsed_or_refused(data: bytes, name: str) -> None:
    _check(data, name)


HEADS = ("# titre\n**ID:** MET.1\n\n", "<?xml version='1.0'?><metiers><metier><identifiant>MET.1</identifiant>",
         '{"metiers": {"metier": [{"identifiant": "MET.1", ', '"code_rome","libelle_rome","code_rome_parent"\n',
         "Titre\n\nsyn\nPublié le 01-02-2024\n\nSecteurs d’activités\n\nx\n\nCentres d’intérêts\n\n",
         "Titre professionnel : x.\n\nNiveau : ", "X : Le Guide Complet du Métier en Belgique\n\n💰\n\nSalaire\n\n")


@PROPERTY_SETTINGS
@given(head=st.sampled_from(HEADS), body=st.text(max_size=600), encoding=st.sampled_from(("utf-8", *ENCODINGS)))
def test_random_text_behind_a_real_format_header_is_parsed_or_refused(head: str, body: str, encoding: str) -> None:
    _check((head + body).encode(encoding, "replace"), "fichier")


@settings(max_examples=100, deadline=2000)
@given(markup=st.sampled_from(MARKUP), rest=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
                                                     max_size=30))
def test_markup_in_a_title_is_stored_as_text(samples, markup: str, rest: str) -> None:
    title = (markup + " " + rest).strip()
    if not title or title.startswith("#"):
        return
    fiche = _samples()[0].split(b"\n", 1)[1]  # seed 000 without its title line
    parsed = _check(f"# {title}\n".encode() + fiche, "fiche.md")
    assert parsed is not None and parsed.records[0].name == title

    xml = _samples()[len(SEEDS) + 3]  # the two-métier XML
    start = xml.index(b"<nom_metier>") + len(b"<nom_metier>")
    end = xml.index(b"</nom_metier>", start)
    hostile = xml[:start] + escape(title, quote=False).encode() + xml[end:]
    parsed = _check(hostile, "export.xml")
    assert parsed is not None and parsed.records[0].name == title.strip()


# Inputs built to make backtracking patterns or a naive HTML parser take quadratic time.
PATHOLOGICAL = {
    "closing hashes": b"# t\n**ID:** MET.1\n## Pr\xc3\xa9sentation\n### x" + b"#" * 200_000 + b"y\n",
    "spaces in a heading": b"# t\n**ID:** MET.1\n## Pr\xc3\xa9sentation\n### x" + b" " * 200_000 + b"y\n",
    "spaces in a formation": b"# t\n**ID:** MET.1\n## Formations recommand\xc3\xa9es\n- a"
                             + b" " * 200_000 + b"(ID x\n",
    "digits in a salary": b"# t\n**ID:** MET.1\n## Vie professionnelle\n### Salaire du d\xc3\xa9butant\nDe "
                          + b"1" * 300_000 + b"\n",
    "dots in a sector list": "Titre professionnel : x.\n\nNiveau : III.\n\nSecteurs d'activités\n\nTous (a, b".encode()
                             + b"." * 200_000 + b"x)\n",
    "unclosed attributes in XML text": b"<metiers><metier><identifiant>MET.1</identifiant><nom_metier>x</nom_metier>"
                                       b"<competences><![CDATA[" + b"<p a='" * 40_000
                                       + b"]]></competences></metier></metiers>",
    "unclosed comments in XML text": b"<metiers><metier><identifiant>MET.1</identifiant><nom_metier>x</nom_metier>"
                                     b"<vie_professionnelle><![CDATA[<h5>Salaire du d\xc3\xa9butant</h5>"
                                     + b"<p><!--" * 40_000 + b"]]></vie_professionnelle></metier></metiers>",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_inputs_are_read_in_linear_time(name: str) -> None:
    import time

    start = time.perf_counter()
    _check(PATHOLOGICAL[name], "fichier")
    assert time.perf_counter() - start < 3, name
