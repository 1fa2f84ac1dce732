"""The installation check the school's IT person (and the frozen-bundle smoke test) runs."""
from __future__ import annotations

from pypdf import PdfReader

from desktop.selftest import run_selftest


def test_selftest_runs_every_step(tmp_path, qapp):
    lines = run_selftest(tmp_path)
    assert lines[0].startswith("catalogue de départ : ") and int(lines[0].split(": ")[1].split()[0]) >= 400
    assert lines[1:3] == ["import d'une fiche : ok", lines[2]]
    # The window opens as an ordinary start does: catalogue shown at once, database attached after.
    shown = int(lines[0].split(": ")[1].split()[0]) + 1
    assert lines[3] == f"fenêtre principale : ok ({shown} métiers affichés dès l’ouverture)"
    assert lines[4].startswith("impression : ok (")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "bilan.pdf").pages)
    assert "métier de vérification" in text.lower() and "Élève Vérification" in text
