"""The student's level aim in the constraints form: a saved value is never lost on the way."""
from __future__ import annotations

import pytest

from desktop.constraints_form import Constraints, ConstraintsForm


@pytest.mark.parametrize(("saved", "shown"), [
    (9, "bac + 8 et plus (doctorat, médecine)"),  # the top choice
    (8, "bac + 8"),  # chosen when the top choice stopped at bac + 8
    (4, "bac + 4"),  # "niveau 6" set from the command line
])
def test_a_saved_level_aim_is_shown_and_kept(qtbot, saved, shown):
    form = ConstraintsForm()
    qtbot.addWidget(form)
    form.set_values(Constraints(max_bac_plus=saved))
    assert form.level_combo.currentText() == shown
    assert form.values().max_bac_plus == saved


def test_a_level_is_picked_by_typing_it_as_it_reads(qtbot):
    form = ConstraintsForm()
    qtbot.addWidget(form)
    form.show()
    form.level_combo.setFocus()
    qtbot.keyClicks(form.level_combo, "bac + 3")  # the spaces do not open the list
    assert form.values().max_bac_plus == 3 and not form.level_combo.view().isVisible()
    qtbot.wait(700)  # a pause (> the type-ahead interval): a new search starts
    qtbot.keyClicks(form.level_combo, "cap")
    assert form.level_combo.currentText() == "CAP ou équivalent"
