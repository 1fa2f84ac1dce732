"""Safe text decoding and HTML-to-text for the fiche parsers.

Every text format goes through :func:`decode` so that a file saved by an old Windows tool
(Windows-1252 / Latin-1), a file with a byte-order mark, or a binary file given by mistake
is handled the same way everywhere: decoded right, or refused with a French sentence.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

from db.errors import FicheError
from db.text import slug

# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Above this share of control characters, the "text" is binary data that happened to decode.
_MAX_CONTROL_RATIO = 0.01
# UTF-8 read as Windows-1252 ("Ã©" for "é"): the signature of a file converted twice.
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                      "\u2013\u2014\u2018-\u203a\u20ac\u2122]")


@dataclass(frozen=True)
class Decoded:
    """A decoded file: its text (newlines normalised to ``\\n``) and the encoding it was in."""

    text: str
    encoding: str  # "utf-8", "utf-16" or "Windows-1252 (Latin-1)"

    @property
    def note(self) -> str | None:
        """A French note for the import summary when the file was not plain UTF-8."""
        if self.encoding == "utf-8":
            return None
        return f"fichier encodé en {self.encoding}, converti en UTF-8"


def decode(data: bytes) -> Decoded:
    """Decode a fiche's bytes, or raise FicheError (French) when they are not text.

    UTF-8 with or without BOM and UTF-16 with BOM are read as such; otherwise the bytes are
    read as Windows-1252 (a superset of Latin-1's printable range) when every byte maps to
    a character. NUL bytes, undecodable bytes and a high share of control characters mean a
    binary file and are refused. Text that was converted to UTF-8 twice ("Ã©") is repaired.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _decode_utf16(data), "utf-16"
    else:
        if b"\x00" in data:
            raise FicheError("fichier binaire (octets nuls) : ce n'est pas une fiche au format texte")
        text, encoding = _decode_8bit(data)
    _check_controls(text)
    text = _repair_double_utf8(text)
    return Decoded(text.replace("\r\n", "\n").replace("\r", "\n"), encoding)


def _decode_utf16(data: bytes) -> str:
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise FicheError("encodage non reconnu (UTF-16 invalide)") from exc


def _decode_8bit(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 reads every Latin-1 text the same way (0xA0–0xFF) and also the curly quotes
    # and the euro sign Windows puts at 0x80–0x9F. The five bytes it leaves undefined are
    # invisible C1 controls in Latin-1, which real text never holds: those files are refused.
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError as exc:
        raise FicheError("encodage non reconnu (ni UTF-8, ni Windows-1252, ni Latin-1) : "
                         f"octet 0x{data[exc.start]:02X} à la position {exc.start}") from exc


def _check_controls(text: str) -> None:
    if "\x00" in text:
        raise FicheError("fichier binaire (caractères nuls) : ce n'est pas une fiche au format texte")
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) * _MAX_CONTROL_RATIO):
        raise FicheError("fichier binaire ou illisible : trop de caractères de contrôle pour un texte")


def _repair_double_utf8(text: str) -> str:
    if len(_MOJIBAKE.findall(text)) < 3:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def head_text(data: bytes, limit: int = 16384) -> str:
    """A lenient decoding of the first ``limit`` bytes, for format sniffing only (never raises)."""
    head = data[:limit]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    head = head.removeprefix(b"\xef\xbb\xbf")
    try:
        # Up to 3 bytes may belong to a character cut by the limit.
        return head.decode("utf-8") if len(data) <= limit else _decode_cut_utf8(head)
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


def _decode_cut_utf8(head: bytes) -> str:
    for cut in range(4):
        try:
            return head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", head, 0, len(head), "not UTF-8")


# ----------------------------------------------------------------------------------------
# Lines and whitespace
# ----------------------------------------------------------------------------------------
_SPACES = re.compile(r"[ \t\f\v]{2,}|[\t\f\v]")  # single spaces left alone: fast
_BLANK_RUNS = re.compile(r"\n{3,}")
_LINE_EDGES = re.compile(r" ?\n ?")


def clean_line(line: str) -> str:
    """One line with runs of ASCII spaces/tabs collapsed and both ends stripped.

    No-break spaces (U+00A0, U+202F) are kept: French typography uses them before « : ».
    """
    return _SPACES.sub(" ", line).strip()


def tidy(text: str) -> str:
    """Clean every line, keep at most one blank line between paragraphs, strip the ends."""
    # Whole-text passes, each skipped when a fast substring test shows it has nothing to do
    # (regex scans dominate parse time on the 893-fiche corpus otherwise).
    if "  " in text or "\t" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip(" \n")


# ----------------------------------------------------------------------------------------
# Decorative emoji (Belgian guide pages and the like)
# ----------------------------------------------------------------------------------------
_EMOJI_JOINERS = frozenset("\u200d\ufe0e\ufe0f\u20e3")


def is_emoji(ch: str) -> bool:
    """True for pictographs used as decoration (🎓, ✅, ⚙️…), false for °, ©, €, «, letters."""
    if ch in _EMOJI_JOINERS or "\U0001f3fb" <= ch <= "\U0001f3ff":
        return True
    return ch >= "\u2190" and unicodedata.category(ch) == "So"


def strip_emoji(text: str) -> str:
    """``text`` without decorative pictographs, spaces tidied."""
    return clean_line("".join(ch for ch in text if not is_emoji(ch)))


# ----------------------------------------------------------------------------------------
# HTML to text
# ----------------------------------------------------------------------------------------
# A small tokenizer instead of html.parser: the standard parser takes quadratic time on some
# malformed input ("<p a='" repeated: 30 s for 120 kB), and these blocks come from files.
# Every alternative below stops at the next "<" or ">", so one pass is linear in the input.
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*>|<!--|<[!?][^<>]*>|[^<]+|<")
_HIDDEN_END = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in ("script", "style", "template", "head")}
_BLOCK_TAGS = frozenset({
    "p", "div", "ul", "ol", "table", "tr", "section", "article", "blockquote", "dl", "dt", "dd",
    "pre", "hr",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")


def _html_tokens(html: str) -> Iterator[tuple[str, str]]:
    """("start" | "end", tag name) and ("text", unescaped text) in document order.

    Comments, declarations and processing instructions are skipped; the content of
    ``<script>``, ``<style>``, ``<template>`` and ``<head>`` is not visible text and is skipped
    too. A "<" that opens no tag is text ("a < b").
    """
    pos, size = 0, len(html)
    while pos < size:
        token = _TOKEN.match(html, pos)
        assert token is not None  # "[^<]+" or a lone "<" matches at any position
        raw, name = token.group(0), token.group(2)
        pos = token.end()
        if name:
            name = name.lower()
            if name in _HIDDEN_END and not token.group(1):
                closing = _HIDDEN_END[name].search(html, pos)
                pos = closing.end() if closing else size
                continue
            yield ("end" if token.group(1) else "start"), name
            if raw.endswith("/>") and not token.group(1):
                yield "end", name
        elif raw == "<!--":
            comment_end = html.find("-->", pos)
            pos = comment_end + 3 if comment_end >= 0 else size
        elif not raw.startswith(("<!", "<?")) or len(raw) == 1:
            yield "text", unescape(raw)


class _TextWriter:
    """Turns tokens into text: blocks become paragraphs, a heading gets its own line right
    above the paragraph it titles, list items become "- " lines."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.after_heading = False

    def start(self, tag: str) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _HEADINGS:
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCK_TAGS and not self.after_heading:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        if tag not in _HEADINGS:
            self.after_heading = False

    def end(self, tag: str) -> None:
        if tag in _HEADINGS:
            self.parts.append("\n")
            self.after_heading = True
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
            self.after_heading = False

    def text(self, data: str) -> None:
        text = _HTML_SPACE.sub(" ", data)  # HTML collapses source line breaks into spaces
        if text.strip():
            self.after_heading = False
            self.parts.append(text)
        elif not self.after_heading:
            self.parts.append(text)

    def result(self) -> str:
        return tidy("".join(self.parts))


def html_to_text(html: str | None) -> str:
    """Visible text of an HTML fragment: paragraphs separated by a blank line, headings and
    list items on their own lines, entities unescaped, whitespace tidied. Linear time.

    The content of ``<script>``/``<style>`` is not visible text and is left out. Plain text
    without tags comes back tidied (entities unescaped).
    """
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return tidy(unescape(html))
    writer = _TextWriter()
    for kind, value in _html_tokens(html):
        getattr(writer, kind)(value)
    return writer.result()


def html_blocks(html: str | None) -> list[tuple[str, str]]:
    """The HTML fragment as ``(kind, text)`` blocks in order: kind is "h" for a heading, "p"
    for any other block. Used to find what follows a heading ("Salaire du débutant")."""
    blocks: list[tuple[str, str]] = []
    kind = "p"
    parts: list[str] = []

    def flush(next_kind: str) -> None:
        nonlocal kind, parts
        text = _HTML_SPACE.sub(" ", "".join(parts)).strip()
        if text:
            blocks.append((kind, text))
        kind, parts = next_kind, []

    for token, value in _html_tokens(html or ""):
        if token == "text":
            parts.append(value)
        elif value in _HEADINGS:
            flush("h" if token == "start" else "p")
        elif value in _BLOCK_TAGS or value in ("li", "br"):
            flush("p" if kind == "p" or token == "end" else kind)
    flush("p")
    return blocks


# ----------------------------------------------------------------------------------------
# Paragraphs of plain text (pages copied from a browser or a PDF)
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Paragraph:
    """Consecutive non-blank lines; ``gap`` is True when two or more blank lines precede it
    (pages copied from a browser keep their section breaks that way)."""

    lines: tuple[str, ...]
    gap: bool

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def paragraphs(text: str) -> list[Paragraph]:
    """Split ``text`` on blank lines; each line is cleaned (see :func:`clean_line`)."""
    found: list[Paragraph] = []
    current: list[str] = []
    blanks, start_gap = 0, False
    for raw in text.split("\n"):
        line = clean_line(raw)
        if line:
            if not current:
                start_gap = blanks >= 2
            current.append(line)
            blanks = 0
            continue
        if current:
            found.append(Paragraph(tuple(current), start_gap))
            current = []
        blanks += 1
    if current:
        found.append(Paragraph(tuple(current), start_gap))
    return found


# ----------------------------------------------------------------------------------------
# Ids for fiches that have none
# ----------------------------------------------------------------------------------------
_MAX_SLUG = 120


def derived_id(prefix: str, title: str) -> str | None:
    """A stable source-scoped id from a title ("CIDJ." + "planificateur-…"), or None when the
    title has no letter or digit to build it from. Long titles are cut at a word boundary so
    the id stays a reasonable key."""
    base = slug(title)
    if len(base) > _MAX_SLUG:
        base = base[:_MAX_SLUG].rsplit("-", 1)[0] or base[:_MAX_SLUG]
    return prefix + base if base else None
