"""The tinted boxes (messages, private notes, read-only bar) stay readable on a light, a dark and a
high-contrast palette: their text against their background is ≥ 7:1 (WCAG AAA), and on a
high-contrast palette they take its own colours."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from desktop.messages import ERROR, INFO, WARNING, MessageBar
from desktop.session_editor import SessionEditor
from desktop.theme import contrast, is_high_contrast, private_title_colour, tone

KINDS = (INFO, WARNING, ERROR, "private", "neutral")
_KEEP: list[QWidget] = []
PALETTES = {  # window, window text
    "clair": ("#efefef", "#000000"),
    "sombre": ("#353535", "#f0f0f0"),
    "contraste élevé noir": ("#000000", "#ffffff"),
    "contraste élevé blanc": ("#ffffff", "#000000"),
}


def _widget(qtbot, cls, name: str):  # type: ignore[no-untyped-def]
    """A widget of ``cls`` built under the palette ``name`` (as the system would give it)."""
    window, text = PALETTES[name]
    holder = QWidget()
    qtbot.addWidget(holder)
    palette = holder.palette()
    for role, colour in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
                         (QPalette.ColorRole.Base, window), (QPalette.ColorRole.Text, text)):
        palette.setColor(role, QColor(colour))
    holder.setPalette(palette)
    widget = cls(holder)
    _KEEP.append(holder)  # the parent lives as long as the test module: its child is the widget
    return widget


def test_contrast_is_the_wcag_ratio() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#777777") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the usual AA limit grey


@pytest.mark.parametrize("name", list(PALETTES))
@pytest.mark.parametrize("kind", KINDS)
def test_every_box_reads_at_seven_to_one(qtbot, name: str, kind: str) -> None:
    widget = _widget(qtbot, QWidget, name)
    colours = tone(widget, kind)
    assert contrast(colours.text, colours.background) >= 7, colours


@pytest.mark.parametrize("name", list(PALETTES))
def test_the_private_title_reads_on_the_window(qtbot, name: str) -> None:
    widget = _widget(qtbot, QWidget, name)
    assert contrast(private_title_colour(widget), PALETTES[name][0]) >= 7


def test_a_dark_palette_gets_dark_boxes_and_high_contrast_its_own_colours(qtbot) -> None:
    bar = _widget(qtbot, MessageBar, "sombre")
    bar.show_message(WARNING, "Le disque est plein.")
    assert "#3d2c00" in bar.styleSheet()  # dark amber, light text: not the light tint of a light palette
    black = _widget(qtbot, MessageBar, "contraste élevé noir")
    assert is_high_contrast(black.palette())
    black.show_message(ERROR, "Le fichier est illisible.")
    assert "background: #000000" in black.styleSheet() and "color: #ffffff" in black.styleSheet()
    assert not is_high_contrast(_widget(qtbot, QWidget, "clair").palette())


def test_private_notes_follow_a_dark_palette(qtbot) -> None:
    editor = _widget(qtbot, SessionEditor, "sombre")
    assert "#332a00" in editor.private_notes.styleSheet()
    light = _widget(qtbot, SessionEditor, "clair")
    assert "#fff8e1" in light.private_notes.styleSheet()
