"""The bilan's pages as a family sees them (issue 15): how many, how full, no heading left alone
at the foot of a page or a column, in normal and large print, with and without the routes from the
pupil's class; and long Arabic text wrapped in reading order.

The layout is read back from the PDF with pypdf: each piece of text and where it is drawn."""
from __future__ import annotations

import dataclasses
import itertools
import re
from io import BytesIO

import arabic_reshaper
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from db.students.report_data import ReportData
from reports.pdf import markup, render_report
from tests.reports.test_pdf import all_text, report_with

# Routes and points to check as db.students.report writes them for a pupil in 3e (issue 16),
# on the long side: two routes for some métiers, a timeline for most.
_ROUTES = [
    (["2de GT (1 an) → bac général (2 ans) → diplôme d'État d'infirmier (3 ans) : 6 ans"],
     [("3e", 0), ("2de générale et technologique", 1), ("bac général", 2), ("diplôme d'État d'infirmier", 3)]),
    (["CAP électricien (2 ans)", "bac pro MELEC (3 ans)"], [("3e", 0), ("CAP électricien", 2)]),
    (["2de GT (1 an) → bac général (2 ans) → BTS SIO (2 ans) : 5 ans",
      "2de GT (1 an) → bac STI2D (2 ans) → BUT informatique (3 ans) : 6 ans"],
     [("3e", 0), ("2de générale et technologique", 1), ("bac général", 2), ("BTS SIO", 2)]),
    (["bac pro ASSP (3 ans) → diplôme d'État d'éducateur spécialisé (3 ans) : 6 ans"],
     [("3e", 0), ("bac pro ASSP", 3), ("diplôme d'État d'éducateur spécialisé", 3)]),
    (["CAP boulanger (2 ans)", "CAP boulanger (2 ans) → mention complémentaire (1 an) : 3 ans"],
     [("3e", 0), ("CAP boulanger", 2)]),
    (["2de GT (1 an) → bac STL (2 ans) → BTS analyses de biologie médicale (2 ans) : 5 ans"],
     [("3e", 0), ("2de générale et technologique", 1), ("bac STL", 2), ("BTS analyses de biologie médicale", 2)]),
]
_CAUTIONS = [["le salaire de début n'est pas connu pour ce métier"],
             ["secteur : pas dans tes choix", "les études se font souvent en apprentissage"], [],
             ["centres d'intérêt en commun : 1 sur 3"], ["salaire : non précisé"],
             ["secteur : à vérifier avec ton ou ta PsyEN"]]


def bilan(count: int, routes: bool) -> ReportData:
    """The sample with ``count`` métiers; with ``routes``, each has its routes from 3e, its
    timeline and its points to check."""
    data = report_with(count)
    if not routes:
        return data
    metiers = [dataclasses.replace(m, routes=_ROUTES[i][0], route_steps=_ROUTES[i][1], cautions=_CAUTIONS[i])
               for i, m in enumerate(data.metiers)]
    return dataclasses.replace(data, metiers=metiers)


# --------------------------------------------------------------------------------------------
# Reading the layout back
# --------------------------------------------------------------------------------------------
_WIDTH, _HEIGHT = A4
_BOTTOM = 20 * mm  # the frame's foot (styles.Layout); the page number is drawn below it
_TOP_FIRST, _TOP_LATER = _HEIGHT - 20 * mm, _HEIGHT - 28 * mm  # later pages leave room for the running header
_MIDDLE = _WIDTH / 2  # text starting right of it belongs to the right-hand column of cards
HEADINGS = {"Tes centres d'intérêt", "Les métiers que tu as retenus", "Tes prochaines étapes", "Un mot pour toi",
            "Mots utiles", "Chaque métier en détail", "Comparaison", "Études et salaire", "Sources des informations",
            "Pourquoi ce métier te correspond", "Points à vérifier"}


def page_lines(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, its lines of text inside the frame as (x, y, text), top to bottom: the pieces
    drawn at the same height in the same half of the page joined (running header, "(suite)"
    line and page number left out)."""
    pages = []
    for number, page in enumerate(PdfReader(BytesIO(pdf)).pages):
        top = _TOP_FIRST if number == 0 else _TOP_LATER
        pieces: dict[tuple[bool, float], list[tuple[float, str]]] = {}

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  pieces: dict[tuple[bool, float], list[tuple[float, str]]] = pieces, top: float = top) -> None:
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            if text.strip() and _BOTTOM - 6 <= y <= top + 2:
                pieces.setdefault((x >= _MIDDLE, round(y)), []).append((x, text))

        page.extract_text(visitor_text=visit)
        lines = [(min(x for x, _ in parts), float(y),
                  " ".join(" ".join(t.split()) for _, t in parts).replace("\u00a0", " "))
                 for (_, y), parts in pieces.items()]
        lines = [line for line in lines if not line[2].endswith("(suite)")]
        pages.append(sorted(lines, key=lambda line: (-line[1], line[0])))
    return pages


def fills(pdf: bytes) -> list[float]:
    """How far down the frame each page's text goes, 0 to 1 (the lowest line drawn)."""
    out = []
    for number, lines in enumerate(page_lines(pdf)):
        top = _TOP_FIRST if number == 0 else _TOP_LATER
        lowest = min((y for _, y, _ in lines), default=top)
        out.append((top - lowest) / (top - _BOTTOM))
    return out


def column_feet(lines: list[tuple[float, float, str]]) -> list[str]:
    """The last line of each half of the page (left, right) that has text."""
    feet = []
    for right in (False, True):
        column = [line for line in lines if (line[0] >= _MIDDLE) == right]
        if column:
            feet.append(min(column, key=lambda line: line[1])[2])
    return feet


def is_heading(line: str, data: ReportData) -> bool:
    titles = {f"{i}. {m.title[0].upper()}{m.title[1:]}" for i, m in enumerate(data.metiers, start=1)}
    return line in HEADINGS or line in titles


CASES = [(count, large, routes) for count in (1, 3, 6) for large in (False, True) for routes in (False, True)]
# Page bounds: issue 15's (3 métiers on 2 pages, 6 on 4) in normal print, with or without the
# routes (a bilan that runs longer is built again with compact cards); large print (14 pt) about
# doubles them.
MOST_PAGES = {(1, False): 2, (3, False): 2, (6, False): 4, (1, True): 3, (3, True): 4, (6, True): 6}
MIN_FILL = 0.4  # no page under ~40 % full but the last (today the emptiest is ~74 % full)


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[int, bool, bool], tuple[ReportData, bytes]]:
    out = {}
    for count, large, routes in CASES:
        data = bilan(count, routes)
        out[count, large, routes] = data, render_report(data, large_print=large)
    return out


@pytest.mark.parametrize(("count", "large", "routes"), CASES)
def test_pages_are_few_and_full(rendered, count: int, large: bool, routes: bool) -> None:
    _, pdf = rendered[count, large, routes]
    pages = fills(pdf)
    assert len(pages) <= MOST_PAGES[count, large], pages
    assert all(fill >= MIN_FILL for fill in pages[:-1]), pages
    # Page 1, the one on the fridge, is full whenever more follows (no table pushed off it).
    assert len(pages) == 1 or pages[0] >= 0.85, pages


@pytest.mark.parametrize(("count", "large", "routes"), CASES)
def test_no_heading_ends_a_page_or_a_column(rendered, count: int, large: bool, routes: bool) -> None:
    data, pdf = rendered[count, large, routes]
    for number, lines in enumerate(page_lines(pdf), start=1):
        for foot in column_feet(lines):
            assert not is_heading(foot, data), (number, foot)


@pytest.mark.parametrize(("count", "large", "routes"), CASES)
def test_no_page_holds_only_headings(rendered, count: int, large: bool, routes: bool) -> None:
    data, pdf = rendered[count, large, routes]
    for number, lines in enumerate(page_lines(pdf), start=1):
        body = [text for _, _, text in lines if not is_heading(text, data) and not text.startswith("Page ")]
        assert len(body) >= 3, (number, [text for _, _, text in lines])


@pytest.mark.parametrize(("count", "large", "routes"), CASES)
def test_the_sources_never_open_a_page(rendered, count: int, large: bool, routes: bool) -> None:
    """The sources follow something of the bilan on their page (the comparison, the chart or the
    last card's last line): never a page that starts with them."""
    _, pdf = rendered[count, large, routes]
    for number, lines in enumerate(page_lines(pdf), start=1):
        assert lines[0][2] != "Sources des informations", number


@pytest.mark.parametrize(("count", "large", "routes"), CASES)
def test_a_suite_line_only_over_a_block_that_goes_on(rendered, count: int, large: bool, routes: bool) -> None:
    """"<title> (suite)" heads a page only when that page continues the block: never right
    above the block's own title (a card that did not fit and starts the page)."""
    _, pdf = rendered[count, large, routes]
    for page in PdfReader(BytesIO(pdf)).pages:
        lines = [" ".join(line.split()) for line in page.extract_text().splitlines()]
        for above, below in itertools.pairwise(lines):
            if above.endswith(" (suite)") and re.match(r"\d+\. ", below):
                assert below not in above, (above, below)


def test_the_measure_sees_a_mostly_blank_page() -> None:
    """The fill measure itself: a one-métier bilan without comparison ends on a short page,
    which only the last page may be."""
    pdf = render_report(report_with(1))
    pages = fills(pdf)
    assert pages[-1] < MIN_FILL < pages[0]


def test_large_print_page_one_holds_the_start_of_the_metiers() -> None:
    """Large print, 6 métiers: the table of métiers starts on page 1 under its heading (it was
    pushed whole to page 2, leaving page 1 a quarter blank)."""
    pdf = render_report(report_with(6), large_print=True)
    first = " ".join(text for _, _, text in page_lines(pdf)[0])
    assert "Les métiers que tu as retenus" in first and "1. Infirmier/ère" in first
    # The next steps too, above the table: what the pupil acts on (they fell to page 2).
    assert "Tes prochaines étapes" in first and "Faire un stage" in first
    assert re.search(r"Page 1 / [2-6]\b", all_text(pdf))


_ROOTS = ["كتب", "درس", "عمل", "سفر", "لعب", "فهم", "شرح", "حمل", "نظر", "قرأ"]
ARABIC_WORDS = [root + end for end in ("ة", "ات", "ون", "ين") for root in _ROOTS]  # 40 distinct words


def arabic_runs(pdf: bytes) -> list[list[int]]:
    """For each line of text holding Arabic, the numbers of its ARABIC_WORDS, as pypdf reads
    them (pypdf puts a right-to-left run back in logical order: the order in which it is read)."""
    number = {arabic_reshaper.reshape(word): i for i, word in enumerate(ARABIC_WORDS)}
    runs = []
    for page in PdfReader(BytesIO(pdf)).pages:
        for line in page.extract_text().splitlines():
            words = [number[w] for w in line.split() if w in number]
            if words:
                runs.append(words)
    return runs


def test_long_arabic_wraps_line_by_line_in_reading_order() -> None:
    """A long Arabic step, note and comment wrap over several lines: the first line holds the
    first words, each line reads right to left, letters joined (issue 15). Cutting the text
    after putting it in display order (as before) printed the last words on the first line."""
    text = " ".join(ARABIC_WORDS)
    data = report_with(1)
    data = dataclasses.replace(data, next_steps=[text], student_note=text,
                               metiers=[dataclasses.replace(data.metiers[0], comment=text)])
    pdf = render_report(data)
    runs = arabic_runs(pdf)
    whole = list(range(len(ARABIC_WORDS)))
    flat = [i for run in runs for i in run]
    assert flat == whole * 3  # the step, the note, the comment: every word, in order
    assert len(runs) >= 9  # each of the three wrapped over several lines
    assert all(run == list(range(run[0], run[0] + len(run))) for run in runs)
    text_all = all_text(pdf)
    assert not any(0x0600 <= ord(c) <= 0x06FF for c in text_all)  # joined forms only
    assert "Commentaire de l'entretien :" in text_all


def test_arabic_lines_are_drawn_right_to_left() -> None:
    """What is drawn for each line, without pypdf's reordering: the line's first word is drawn
    rightmost, its letters in display order; the paragraph keeps its logical lines to split."""
    from reportlab.lib.styles import ParagraphStyle

    from reports.blocks import BidiParagraph, _display_lines
    from reports.pdf import FONT_REGULAR, register_fonts

    register_fonts()
    para = BidiParagraph(markup(" ".join(ARABIC_WORDS)), ParagraphStyle("t", fontName=FONT_REGULAR, fontSize=10))
    para.wrap(200, 1000)
    logical = para.blPara.lines
    assert len(logical) >= 3 and logical[0][1][0] == arabic_reshaper.reshape(ARABIC_WORDS[0])
    drawn = [line[1][0] for line in _display_lines(para.blPara, right_to_left=True).lines]
    first = drawn[0].split()
    assert first[-1] == arabic_reshaper.reshape(ARABIC_WORDS[0])[::-1]  # rightmost, letters reversed
    assert drawn[1].split()[-1] == logical[1][1][0][::-1]  # the next line starts where the first stopped


def test_a_block_mark_never_opens_a_blank_page() -> None:
    """The invisible mark after the last block fits a frame that block left full (its space
    after past the foot): a 6-métier large-print bilan of the real catalogue ended on a page
    holding only its running header."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame, Spacer

    from reports.blocks import MetierMark

    frame = Frame(0, 0, 200, 100, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    canvas = Canvas(BytesIO())
    spacer = Spacer(1, 99)
    spacer.spaceAfter = 6  # the frame's current point goes below its foot
    assert frame.add(spacer, canvas)
    assert frame.add(MetierMark(None), canvas)


def test_cards_lose_their_formation_list_only_when_the_bilan_would_run_long() -> None:
    """Three métiers with long routes: the formation lists (which the routes name) give way so
    the bilan keeps to two pages; the routes stay, the shortest drawn with its total length and
    the other one in words. Without routes, the lists stay."""
    long_one = all_text(render_report(bilan(3, True)))
    assert "Formations pour y arriver" not in long_one
    assert "Parcours depuis ta classe (6 ans en tout)" in long_one
    assert "ou : 2de GT (1 an) → bac STI2D (2 ans) → BUT" in long_one.replace("\u00a0", " ")
    assert "Formations pour y arriver" in all_text(render_report(bilan(3, False)))
    one = all_text(render_report(bilan(1, True)))  # fits in two pages anyway: nothing removed
    assert "Formations pour y arriver" in one and "Parcours depuis ta classe (6 ans en tout)" in one


def test_every_level_in_the_table_is_explained_by_its_own_words() -> None:
    # « bac + 1 » was in the table and « Mots utiles » explained « bac » instead.
    from reports.words import level_words

    words = dict(level_words([("bac + 1", 1), ("bac + 4", 4), ("CAP ou équivalent", -2)]))
    assert list(words) == ["CAP", "bac + 1", "bac + 4"]
    assert words["bac + 1"].startswith("1 an d'études après le bac")


def test_a_name_wraps_between_its_words_before_any_word_is_hyphenated() -> None:
    # Page 1's table printed « Soigneur/euse ani-malier/ère » and « Auxiliaire vétéri-naire »:
    # reportlab broke at a soft hyphen to fill the line although each word fits its cell alone.
    data = report_with(2)
    titles = ["soigneur/euse animalier/ère", "auxiliaire vétérinaire"]
    metiers = [dataclasses.replace(m, title=t) for m, t in zip(data.metiers, titles, strict=True)]
    data = dataclasses.replace(data, metiers=metiers)
    first = PdfReader(BytesIO(render_report(data))).pages[0].extract_text()
    table = first.split("Les métiers que tu as retenus")[1]
    assert "Soigneur/euse\nanimalier/ère" in table and "Auxiliaire\nvétérinaire" in table
    assert "ani-" not in table and "vétéri-" not in table


def test_three_metiers_whose_drawn_routes_run_long_still_take_two_pages() -> None:
    # A Tle Pro pupil's three métiers, each with a drawn route and its note: without its formation
    # lists and with one route each, the bilan still ran onto a third page for two lines of the
    # last card. The routes are then said in words instead of drawn.
    steps = [("terminale professionnelle", 0), ("bac professionnel", 0), ("BTS électrotechnique", 2)]
    base = report_with(3)
    metiers = [dataclasses.replace(
        m, route_steps=steps, routes=["bac professionnel → BTS électrotechnique (2 ans) : 2 ans"],
        route_notes=["Ce parcours suppose que ton bac pro soit de cette spécialité ; sinon, une formation de plus "
                     "est à prévoir."], description=m.description + " Il travaille en équipe." * 3)
        for m in base.metiers]
    pdf = render_report(dataclasses.replace(base, metiers=metiers))
    assert len(PdfReader(BytesIO(pdf)).pages) == 2
    text = " ".join(all_text(pdf).split())
    assert text.count("Parcours depuis ta classe : bac professionnel → BTS électrotechnique (2 ans) : 2 ans") == 3
