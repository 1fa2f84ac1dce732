"""Tinted boxes (the message bar, the private notes, the read-only bar) that follow the system
palette: light tints on a light palette, dark ones on a dark palette, and no tint at all on a
high-contrast palette (its own colours, which the person chose, are used as they are).

Every tint pairs a background with its text colour (≥ 7:1, tested), so a box is never dark text
on a dark window or the reverse, whatever the palette.
"""
from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget


class Tone(NamedTuple):
    """A box's colours, as CSS names: background, border, text."""

    background: str
    border: str
    text: str


_TONES: dict[str, tuple[Tone, Tone]] = {  # kind: (on a light palette, on a dark palette)
    "info": (Tone("#e8f1fb", "#7aa7d9", "#10335c"), Tone("#10335c", "#7aa7d9", "#e8f1fb")),
    "avertissement": (Tone("#fff4d6", "#d9a520", "#4d3800"), Tone("#3d2c00", "#d9a520", "#fff4d6")),
    "erreur": (Tone("#fde7e7", "#d46060", "#5c1010"), Tone("#4a0d0d", "#d46060", "#fde7e7")),
    "private": (Tone("#fff8e1", "#c8a23c", "#1f1f1f"), Tone("#332a00", "#c8a23c", "#fff8e1")),
    "neutral": (Tone("#eef1f5", "#eef1f5", "#1f1f1f"), Tone("#27303b", "#27303b", "#eef1f5")),
}
# The private notes' title, on the window's own background.
PRIVATE_TITLE_COLOUR = {False: "#5c4300", True: "#f0d080"}
HIGH_CONTRAST_RATIO = 15.0  # window text against window (black on white is 21)


def contrast(first: str | QColor, second: str | QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    lighter, darker = sorted((luminance(QColor(first)), luminance(QColor(second))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_dark(palette: QPalette) -> bool:
    """Whether the palette's window background is dark."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def is_high_contrast(palette: QPalette) -> bool:
    """Whether the palette is a high-contrast one: a pure black or pure white window (ordinary
    themes use a grey or tinted one) with text at ≥ 15:1 against it."""
    window, text = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() in (0, 255) and contrast(window, text) >= HIGH_CONTRAST_RATIO


def tone(widget: QWidget, kind: str) -> Tone:
    """The colours of a box of ``kind`` ("info", "avertissement", "erreur", "private",
    "neutral") for the palette ``widget`` is drawn with."""
    palette = widget.palette()
    if is_high_contrast(palette):
        text = palette.color(QPalette.ColorRole.WindowText).name()
        return Tone(palette.color(QPalette.ColorRole.Window).name(), text, text)
    return _TONES[kind][is_dark(palette)]


def private_title_colour(widget: QWidget) -> str:
    """The colour of the private notes' title on ``widget``'s window background."""
    palette = widget.palette()
    if is_high_contrast(palette):
        return palette.color(QPalette.ColorRole.WindowText).name()
    return PRIVATE_TITLE_COLOUR[is_dark(palette)]
