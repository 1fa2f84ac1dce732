"""Text from the report data made safe to print.

Every piece of text from the data goes through :func:`markup` (for ``Paragraph``) or
:func:`plain` (for the canvas and charts): it is escaped, so ``<b>``, ``&`` or ``<img src=...>``
print as typed and never change the layout or embed a file, and characters the embedded font
cannot draw are dropped instead of showing as boxes.
"""
from __future__ import annotations

import re
from collections.abc import Callable
import unicodedata
from xml.sax.saxutils import escape

import arabic_reshaper
import pyphen
from bidi import get_display
from reportlab.pdfbase import pdfmetrics

from reports.styles import register_fonts

# Spaces reportlab would break on or collapse; U+202F (the French thousands separator) is one
# of them, so "1 850 €" could wrap between its digits. Map them to the no-break space.
_SPACE_MAP = str.maketrans({
    "\t": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n", "\u0085": "\n",
    "\u202f": "\u00a0", "\u2007": "\u00a0", "\u2060": "",
})
# French typography: no line break before : ; ! ? » € % and after «.
_NBSP_BEFORE = re.compile(r" +(?=[:;!?»€%])")
_NBSP_AFTER = re.compile(r"(?<=«) +")
# "bac + 2", "bac+2", "Bac +5": one unbreakable unit (no-break spaces around the plus sign).
_BAC_PLUS = re.compile(r"\b([Bb]ac)\s*\+\s*(\d+)")
# A number and its unit ("3 ans", "1 850 €") stay on one line too, and so do the digit
# groups of an amount typed with ordinary spaces ("1 850").
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:ans?\b|mois\b|h\b|€|\d{3}\b))")
_DROPPED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}
# Hebrew, Arabic, Syriac, Thaana, N'Ko… and the Arabic presentation forms: right-to-left text.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
EMOJI_PLACEHOLDER = "(émoji)"


def _is_emoji(cp: int) -> bool:
    """Pictographs of the emoji planes and their modifiers.

    DejaVu draws a few of them (😀) in black and white but not most (🎉, 👍🏽): they are all
    dropped so that a report never shows half of an emoji sequence.
    """
    return 0x1F000 <= cp <= 0x1FAFF or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


class _DropTable(dict[int, int | None]):
    """A ``str.translate`` table that keeps what the fonts can draw and drops the rest.

    Filled lazily, one entry per distinct code point, so cleaning long text stays a C loop.
    """

    def __init__(self, covered: frozenset[int]) -> None:
        super().__init__()
        self.covered = covered

    def __missing__(self, cp: int) -> int | None:
        keep = cp == 10 or (not _is_emoji(cp) and cp in self.covered
                            and unicodedata.category(chr(cp)) not in _DROPPED_CATEGORIES)
        self[cp] = cp if keep else None
        return self[cp]


_drop_table: _DropTable | None = None


def _drop_uncovered(text: str) -> str:
    """``text`` without the characters the embedded fonts cannot draw (and invisible controls)."""
    global _drop_table
    if _drop_table is None:
        _drop_table = _DropTable(register_fonts())
    return text.translate(_drop_table)


def plain(text: str | None, *, shape: bool = True, reorder: bool = True) -> str:
    """``text`` ready for the canvas or a chart: NFC, printable by the font, no markup meaning.

    Characters the embedded fonts do not cover (emoji, unknown scripts) and invisible controls
    are removed; line breaks are kept as ``\\n``; no escaping is done (the canvas draws text
    literally). Returns "" for None.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text).replace("\r\n", "\n")).translate(_SPACE_MAP)
    if shape and _RTL.search(text):
        text = _right_to_left(text) if reorder else _joined(text)
    kept = _drop_uncovered(text)
    if not kept.strip() and text.strip():
        kept = EMOJI_PLACEHOLDER  # only emoji (or symbols no font draws): say so, never an empty line
    text = _BAC_PLUS.sub("\\1\u00a0+\u00a0\\2", kept)
    text = _NUMBER_UNIT.sub("\u00a0", text)
    text = _NBSP_BEFORE.sub("\u00a0", text)
    return _NBSP_AFTER.sub("\u00a0", text)


def _joined(text: str) -> str:
    """Arabic letters joined (the presentation forms the font draws), still in logical order:
    for a paragraph, which must be cut into lines before each line is put in display order."""
    return "\n".join(arabic_reshaper.reshape(line) for line in text.split("\n"))


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters (Arabic, Hebrew…)."""
    return bool(_RTL.search(text))


def starts_right_to_left(text: str) -> bool:
    """Whether the first letter of ``text`` with a direction is right-to-left: the paragraph's
    base direction, as the Unicode bidi algorithm finds it."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def display_order(text: str, right_to_left: bool) -> str:
    """One line of logical text (already joined) in the order it is drawn, left to right, in a
    paragraph whose base direction is ``right_to_left`` or not (python-bidi)."""
    return str(get_display(text, base_dir="R" if right_to_left else "L"))


def _right_to_left(text: str) -> str:
    """Arabic letters joined (presentation forms the font draws) and each line in display order.

    reportlab lays glyphs left to right and does not shape: arabic-reshaper picks the joined form
    of each letter and python-bidi reorders each line as it must be seen.
    """
    return "\n".join(get_display(arabic_reshaper.reshape(line)) for line in text.split("\n"))


def markup(text: str | None) -> str:
    """``text`` as safe ``Paragraph`` markup: :func:`plain`, then XML-escaped, newlines as <br/>.

    Whatever the input, the result contains no tag other than ``<br/>``, so user text can
    neither change the layout nor make reportlab read a file (``<img src=...>``). Arabic is
    joined but stays in logical order: :class:`reports.blocks.BidiParagraph` cuts the lines,
    then puts each one in display order.
    """
    return escape(plain(text, reorder=False).strip()).replace("\n", "<br/>")


def line_markup(text: str | None) -> str:
    """``text`` as safe markup for a plain ``Paragraph`` of a line or two (not a
    :class:`reports.blocks.BidiParagraph`): :func:`plain` with each line already in display
    order, XML-escaped, newlines as <br/>. A name typed "<b>Zoé</b>" prints as typed."""
    return escape(plain(text).strip()).replace("\n", "<br/>")


_WORD = re.compile(r"[^\W\d_]{7,}")  # letters only: a slash, a digit or an apostrophe ends a word
_hyphenator: pyphen.Pyphen | None = None


def hyphenable(text: str, fits: Callable[[str], bool] | None = None) -> str:
    """``text`` with soft hyphens where French words may break (pyphen), for narrow cells.

    reportlab breaks a line at a soft hyphen and prints a hyphen there; elsewhere it prints
    nothing. A word too long for its cell is then cut "accompa-gnateur", never anywhere. With
    ``fits`` (whether a string fits on one line of the cell), only the space-free runs that do
    not fit get them: reportlab also breaks at a soft hyphen to fill a line, which printed
    "Soigneur/euse ani-malier/ère" where "animalier/ère" fits alone on the next line.
    """
    global _hyphenator
    if _hyphenator is None:
        _hyphenator = pyphen.Pyphen(lang="fr_FR")
    hyphenator = _hyphenator

    def words_of(run: re.Match[str]) -> str:
        if fits is not None and fits(run.group(0)):
            return run.group(0)
        return _WORD.sub(lambda word: word.group(0) if has_rtl(word.group(0))  # French rules only
                         else hyphenator.inserted(word.group(0), hyphen="\u00ad"), run.group(0))

    return re.sub(r"\S+", words_of, text)


def cell_markup(text: str | None, fits: Callable[[str], bool] | None = None) -> str:
    """:func:`markup` with the soft hyphens of :func:`hyphenable` (where ``fits`` says a run is
    too wide, when given), for table cells."""
    return escape(hyphenable(plain(text, reorder=False).strip(), fits)).replace("\n", "<br/>")


def one_line(text: str, *, shape: bool = True, reorder: bool = True) -> str:
    """:func:`plain` on one line with single spaces, for PDF metadata and running headers.
    ``shape=False`` keeps right-to-left text in its logical order, as metadata must be (a PDF
    viewer shows the title itself; only text drawn by reportlab needs joining and reordering);
    ``reorder=False`` joins it but keeps the logical order, for text that goes on into a paragraph."""
    return " ".join(plain(text, shape=shape, reorder=reorder).replace("\u00a0", " ").split())


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits in ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # bisect the longest prefix that fits with its ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def capitalize(text: str) -> str:
    """First letter upper-case ("infirmier/ère" → "Infirmier/ère"); the rest as typed."""
    return text[:1].upper() + text[1:] if text else text
