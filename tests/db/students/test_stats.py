"""Anonymous activity statistics on a generated year: right counts, no personal data in any
format, the "< 5" rule, a one-page PDF, and the command line."""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest
from pypdf import PdfReader

from db.errors import UserError
from db.students.stats import activity_stats, class_level, period_from
from db.students.store import create_student
from desktop.cli import main
from reports.stats_export import stats_csv, stats_json, stats_text
from reports.stats_pdf import render_stats_pdf
from tests.caseload_data import generate

START, END = date(2025, 9, 1), date(2026, 8, 31)
PERSONAL = re.compile(r"NOM-|PRENOM-|SECRET-|MET\.\d")


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    from db.storage.opening import open_database

    path = tmp_path_factory.mktemp("stats") / "year.sqlite"
    database = open_database(str(path), load_starter=False)
    made = generate(database)
    yield database, made, path
    database.close()


def outputs(database) -> dict[str, str]:
    with database.read() as session:
        stats = activity_stats(session, START, END)
    pdf = PdfReader(__import__("io").BytesIO(render_stats_pdf(stats)))
    return {"texte": stats_text(stats), "csv": stats_csv(stats), "json": stats_json(stats),
            "pdf": "\n".join(page.extract_text() for page in pdf.pages), "pages": str(len(pdf.pages))}


def test_no_name_note_comment_or_student_number_reaches_any_format(year):
    database, _, _ = year
    out = outputs(database)
    assert out["pages"] == "1"
    for name in ("texte", "csv", "json", "pdf"):
        assert not PERSONAL.search(out[name]), name
        assert "Collège Jean Moulin" in out[name] and "Entretiens par mois" in out[name]
    assert "Entretiens par établissement" in out["pdf"] and "Niveau d'études visé" in out["pdf"]  # the charts
    figures = {v for line in json.loads(out["json"])["tableaux"] for row in line["grille"][1:] for v in row[1:]}
    assert all(v in ("< 5", "n.c.") or v.isdigit() for v in figures)


def test_sessions_per_school_and_level_add_up_to_the_sessions_of_the_period(year):
    database, made, _ = year
    with database.read() as session:
        stats = activity_stats(session, START, END)
    per_school = stats.tables[1].table
    expected = Counter(s.etablissement or "Sans établissement" for s in made for _ in s.dates)
    for school, n in expected.items():
        assert per_school.text(("row", school)) == (str(n) if n >= 5 else "< 5")
    assert stats.tables[0].table.text(("all",)) == str(sum(len(s.dates) for s in made))


def test_small_counts_are_shown_as_under_five_and_cannot_be_recovered(empty_db):
    for n in range(12):
        student = create_student(empty_db, f"Grand{n}", "Élève", "3e A", "Collège A")
        _session(empty_db, student, "2025-10-02")
    lone = create_student(empty_db, "Seule", "Élève", "2de 1", "Lycée B")
    _session(empty_db, lone, "2025-11-03")
    with empty_db.read() as session:
        stats = activity_stats(session, START, END)
    text = stats_text(stats)
    assert "Seule" not in text and "Lycée B" in text
    months = {row: stats.tables[0].table.text(("cell", row, "Entretiens")) for row in stats.tables[0].rows}
    assert months["novembre 2025"] == "< 5"
    # 13 sessions − 12 in October would give the lone one back: one of the two is not printed.
    assert "n.c." in {months["octobre 2025"], stats.tables[0].table.text(("all",))}
    grid = stats.tables[1].table
    assert grid.text(("row", "Lycée B")) == "< 5" and grid.text(("cell", "Lycée B", "2de")) == "< 5"
    assert "n.c." in {grid.text(("row", "Collège A")), grid.text(("col", "3e")), grid.text(("all",))}
    # The charts show what the tables show: no bar for a hidden figure, its mark instead.
    from reports.stats_charts import stats_charts

    charts = {chart.title: chart for chart in stats_charts(stats)}
    schools = {bar.label: bar for bar in charts["Entretiens par établissement"].bars}
    assert (schools["Lycée B"].value, schools["Lycée B"].shown) == (None, "< 5")
    november = next(bar for bar in charts["Entretiens par mois"].bars if bar.label == "nov.")
    assert (november.value, november.shown) == (None, "< 5")
    assert all(bar.value in (None, 0) or bar.value >= 5 for chart in charts.values() for bar in chart.bars)


def test_a_chart_whose_every_figure_is_hidden_is_not_drawn(empty_db):
    # Three pupils seen once: every figure is « < 5 » or « n.c. »; the PDF drew empty frames.
    from reports.stats_charts import stats_charts
    from reports.stats_pdf import render_stats_pdf

    for n, school in enumerate(("Collège A", "Collège A", "Lycée B", "Lycée B")):
        _session(empty_db, create_student(empty_db, f"Élève{n}", "Une", "3e A", school), "2025-10-02")
    with empty_db.read() as session:
        stats = activity_stats(session, START, END)
    charts = stats_charts(stats)
    assert all(any(bar.value for bar in chart.bars) for chart in charts)
    assert "Entretiens par mois" not in {chart.title for chart in charts}
    assert stats.tables[0].table.text(("cell", "octobre 2025", "Entretiens")) == "< 5"  # the tables still say it
    assert render_stats_pdf(stats).startswith(b"%PDF")


def _session(database, student: int, day: str) -> None:
    from db.students.store import save_session, start_session

    with database.read() as session:
        state = start_session(session, student, day)
    state.private_notes = "SECRET-PRIVATE"
    save_session(database, state)


@pytest.mark.parametrize("typed, level", [("3e B", "3e"), ("3ème 2", "3e"), ("Tle G1", "terminale"),
                                          ("2nde 4", "2de"), ("1re STMG", "1re"), ("CAP 1", "CAP"),
                                          ("BTS SIO", "post-bac"), (None, "non renseignée"), ("ULIS", "autre")])
def test_class_names_as_typed_map_to_a_level(typed, level):
    assert class_level(typed) == level


def test_periods_are_read_in_french_and_refused_in_one_sentence():
    assert period_from("2025-2026", None, None, date(2026, 1, 1)) == (START, END)
    assert period_from(None, None, None, date(2026, 10, 1)) == (date(2026, 9, 1), date(2027, 8, 31))
    assert period_from(None, "2026-01-01", "2026-03-31", date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    for args, message in (((" 2025", None, None), "année scolaire invalide"), ((None, "2026-03-01", None), "--au"),
                          ((None, "2026-03-01", "2026-01-01"), "précède"), ((None, "1/3/2026", "2026-04-01"), "date")):
        with pytest.raises(UserError, match=message):
            period_from(*args, date(2026, 1, 1))


def test_the_command_writes_csv_json_text_and_an_owner_only_pdf(year, capsys, tmp_path):
    _, _, path = year
    assert main(["stats", "--db", str(path), "--annee", "2025-2026", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("periode;tableau;ligne;colonne;valeur") and not PERSONAL.search(out)
    pdf = tmp_path / "stats.pdf"
    assert main(["stats", "--db", str(path), "--du", "2025-09-01", "--au", "2026-06-30", "--format", "pdf",
                 "--out", str(pdf)]) == 0
    assert len(PdfReader(pdf).pages) == 1 and pdf.stat().st_mode & 0o077 == 0
    assert main(["stats", "--db", str(path), "--format", "pdf"]) == 2
    assert "--out" in capsys.readouterr().err
