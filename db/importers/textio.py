"""Safe text decoding and HTML-to-text for the fiche parsers.

Every text format goes through :func:`decode` so that a file saved by an old Windows tool
(Windows-1252 / Latin-1), a file with a byte-order mark, or a binary file given by mistake
is handled the same way everywhere: decoded right, or refused with a French sentence.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from db.errors import FicheError

# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# Above this share of control characters, the "text" is binary data that happened to decode.
_MAX_CONTROL_RATIO = 0.01
# UTF-8 read as Windows-1252 ("Ã©" for "é"): the signature of a file converted twice.
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u017d\u017e\u0178\u02c6\u02dc\u20ac\u2122]")


@dataclass(frozen=True)
class Decoded:
    """A decoded file: its text (newlines normalised to ``\\n``) and the encoding it was in."""

    text: str
    encoding: str  # "utf-8", "utf-16", "windows-1252", "latin-1"

    @property
    def note(self) -> str | None:
        """A French note for the import summary when the file was not plain UTF-8."""
        if self.encoding in ("utf-8", "utf-8-sig"):
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
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        pass
    # Latin-1 maps 0x80–0x9F to invisible C1 controls: real text never holds them.
    text = data.decode("latin-1")
    if any("\x80" <= ch <= "\x9f" for ch in text):
        raise FicheError("encodage non reconnu (ni UTF-8, ni Windows-1252, ni Latin-1)")
    return text, "latin-1"


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
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "ul", "ol", "li", "table", "tr", "section", "article", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "pre", "hr",
})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content a browser never shows as text.
_HIDDEN_TAGS = frozenset({"script", "style", "template", "head"})


class _TextExtractor(HTMLParser):
    """Collects visible text: blocks become paragraphs, headings their own lines, items "- "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _HEADINGS:
            self.parts.append("\n\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _HEADINGS:
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS and tag != "br":
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            # HTML collapses source line breaks into spaces.
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str | None) -> str:
    """Visible text of an HTML fragment: paragraphs separated by a blank line, headings and
    list items on their own lines, entities unescaped, whitespace tidied.

    The content of ``<script>``/``<style>`` is not visible text and is left out. Plain text
    without tags comes back tidied (entities unescaped).
    """
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return tidy(unescape(html))
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return tidy("".join(parser.parts))


def html_blocks(html: str | None) -> list[tuple[str, str]]:
    """The HTML fragment as ``(kind, text)`` blocks in order: kind is "h" for a heading, "p" otherwise.

    Used to find the paragraph that follows a given heading ("Salaire du débutant").
    """
    blocks: list[tuple[str, str]] = []
    if not html:
        return blocks
    for match in re.finditer(r"<(h[1-6])\b[^>]*>(.*?)</\1\s*>|<(p|li|div)\b[^>]*>(.*?)</\3\s*>",
                             html, flags=re.S | re.I):
        if match.group(1):
            blocks.append(("h", html_to_text(match.group(2))))
        else:
            blocks.append(("p", html_to_text(match.group(4))))
    return [(kind, text) for kind, text in blocks if text]
