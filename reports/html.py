"""The bilan as a semantic HTML page: the accessible twin of the PDF, with the same content.

reportlab cannot write a tagged PDF (no structure tree, no reading order, no alternative text),
so a pupil who uses a screen reader gets this page instead: real headings, lists, tables with
header cells, the language set, and the charts given as text. Plain data in, one string out;
every piece of text from the data is escaped. No Qt, no ORM, no file written here.
"""
from __future__ import annotations

from collections.abc import Iterable
from html import escape

from db.students.report_data import (Comparison, ReportData, ReportMetier, comparison_to_print,
                                     credits_in_words, routes_in_words)
from reports.text import capitalize
from reports.words import BRUT_NET, level_words

_STYLE = """body{font-family:sans-serif;font-size:1.1rem;line-height:1.5;max-width:48rem;margin:1rem auto;
padding:0 1rem;color:#000}h1,h2{color:#1B3A5C}table{border-collapse:collapse}th,td{border:1px solid #888;
padding:.2rem .4rem;text-align:left;vertical-align:top}dt{font-weight:bold}.small{font-size:.95rem}"""


def render_report_html(data: ReportData) -> str:
    """The whole bilan of ``data`` as one HTML5 document in French."""
    title = f"Bilan d'orientation — {data.student_name}".strip(" —")
    parts = [_header(data), _interests(data), _overview(data.metiers), _steps(data), _words(data.metiers),
             _details(data.metiers), _chart_as_text(data.metiers), _comparison(comparison_to_print(data)),
             _sources(data)]
    return ("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(part for part in parts if part) + "\n</main>\n</body>\n</html>\n")


def _e(text: str | None) -> str:
    """User text escaped for HTML (quotes included)."""
    return escape(text or "", quote=True)


def _list(items: Iterable[str], tag: str = "ul") -> str:
    """A list of the non-empty ``items`` (escaped); "" when there is none."""
    cells = [f"<li>{_e(item)}</li>" for item in items if item.strip()]
    return f"<{tag}>{''.join(cells)}</{tag}>" if cells else ""


def _header(d: ReportData) -> str:
    who = ", ".join(part for part in (d.student_name, d.student_class) if part.strip())
    counselor = ", ".join(part for part in (d.counselor_name, d.counselor_structure) if part.strip())
    contact = d.counselor_contact.strip() or (
        "le ou la psychologue de l'Éducation nationale de ton collège ou de ton lycée (on dit aussi « PsyEN »), "
        "ou le centre d'information et d'orientation (CIO) le plus proche")
    rows = [("Établissement", d.school), ("Date de l'entretien", d.session_date), ("Avec", counselor),
            ("Pour reprendre contact", contact)]
    facts = "".join(f"<dt>{label}</dt><dd>{_e(value)}</dd>" for label, value in rows if value.strip())
    return f"<h1>Bilan d'orientation</h1>\n<p dir=\"auto\"><strong>{_e(who)}</strong></p>\n<dl>{facts}</dl>"


def _interests(d: ReportData) -> str:
    chosen = _list(i.label for i in d.interests) or "<p>Aucun centre d'intérêt n'a été coché pendant l'entretien.</p>"
    profile = "".join(f"<li>{_e(label)} : {round(max(0.0, min(1.0, value)) * 100)} %</li>"
                      for label, value in d.interest_profile)
    figure = (f"<p>Ton profil d'intérêts (100 % pour le domaine qui revient le plus dans tes choix) :</p>"
              f"<ul>{profile}</ul>") if profile else ""
    return f"<section>\n<h2>Tes centres d'intérêt</h2>\n{chosen}\n{figure}\n</section>"


def _overview(metiers: list[ReportMetier]) -> str:
    if not metiers:
        return ("<section>\n<h2>Les métiers que tu as retenus</h2>\n"
                "<p>Aucun métier n'a encore été retenu.</p>\n</section>")
    head = "".join(f"<th scope=\"col\">{h}</th>" for h in
                   ("Métier", "Niveau d'études", "Durée des études", "Salaire de début"))
    rows = "".join(f"<tr><th scope=\"row\">{i}. {_e(capitalize(m.title))}</th><td>{_e(m.level or 'non précisé')}</td>"
                   f"<td>{_e(m.study_years or 'non précisée')}</td><td>{_e(m.salary or 'non précisé')}</td></tr>"
                   for i, m in enumerate(metiers, start=1))
    return (f"<section>\n<h2>Les métiers que tu as retenus</h2>\n<table><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>\n</section>")


def _steps(d: ReportData) -> str:
    steps = _list(d.next_steps) or "<p>Aucune étape n'a été notée pour l'instant.</p>"
    note = ""
    if d.student_note.strip():
        signed = f"<p>— {_e(d.counselor_name)}</p>" if d.counselor_name.strip() else ""
        note = f"<h3>Un mot pour toi</h3>\n<blockquote><p>{_e(d.student_note)}</p>{signed}</blockquote>"
    return f"<section>\n<h2>Tes prochaines étapes</h2>\n{steps}\n{note}\n</section>"


def _words(metiers: list[ReportMetier]) -> str:
    rows = [("Brut et net", BRUT_NET)]  # trusted markup (bold words only)
    rows += [(word, _e(text)) for word, text in level_words((m.level, m.bac_plus) for m in metiers)]
    items = "".join(f"<dt>{_e(word)}</dt><dd>{text}</dd>" for word, text in rows)
    return f"<section>\n<h2>Mots utiles</h2>\n<dl>{items}</dl>\n</section>"


def _details(metiers: list[ReportMetier]) -> str:
    if not metiers:
        return ""
    return "<section>\n<h2>Chaque métier en détail</h2>\n" + "\n".join(
        _card(i, m) for i, m in enumerate(metiers, start=1)) + "\n</section>"


def _card(index: int, m: ReportMetier) -> str:
    out = [f"<article>\n<h3>{index}. {_e(capitalize(m.title))}</h3>"]
    if m.label_f.strip() or m.label_m.strip():
        out.append(f"<p>On dit : {_e(' ou '.join(dict.fromkeys(x for x in (m.label_f, m.label_m) if x.strip())))}</p>")
    if m.description.strip():
        out.append(f"<p>{_e(m.description)}</p>")
    if m.sectors:
        out.append(f"<p><strong>Secteurs</strong> : {_e(', '.join(m.sectors))}</p>")
    if m.formations:
        out.append(f"<p><strong>Formations pour y arriver</strong> : {_e(' ; '.join(m.formations[:4]))}</p>")
    if m.routes or m.route_notes:  # the PDF draws the shortest; said here in words, as the PDF does without a drawing
        said = routes_in_words(m.routes, m.route_notes)
        out.append(f"<p><strong>Parcours depuis ta classe</strong> : {_e(said)}</p>")
    if m.reasons:
        out.append(f"<h4>Pourquoi ce métier te correspond</h4>{_list(m.reasons)}")
    if m.cautions:
        out.append(f"<h4>Points à vérifier</h4>{_list(m.cautions)}")
    if m.comment.strip():
        out.append(f"<p><strong>Commentaire de l'entretien</strong> : {_e(m.comment)}</p>")
    credits = credits_in_words(m.source, m.salary_source)
    if credits:
        out.append(f"<p class=\"small\">{_e(credits)}</p>")
    return "\n".join(out) + "\n</article>"


def _chart_as_text(metiers: list[ReportMetier]) -> str:
    """The studies/salary chart of the PDF, said in words (its alternative text)."""
    placed = [f"{i}. {m.title} : {m.study_years or m.level}, {m.salary}"
              for i, m in enumerate(metiers, start=1) if m.bac_plus is not None and m.salary_start]
    if not placed:
        return ""
    return ("<section>\n<h2>Études et salaire</h2>\n<p>Chaque métier, de ses études à son salaire de début "
            f"(brut par mois) :</p>\n{_list(placed)}\n</section>")


def _comparison(comparison: Comparison | None) -> str:
    if comparison is None or not comparison.titles:
        return ""
    head = "<th scope=\"col\">Critère</th>" + "".join(f"<th scope=\"col\">{_e(t)}</th>" for t in comparison.titles)
    rows = "".join("<tr><th scope=\"row\">" + _e(row.criterion) + "</th>"
                   + "".join(f"<td>{_e(v)}</td>" for v in row.values) + "</tr>" for row in comparison.rows)
    return (f"<section>\n<h2>Comparaison</h2>\n<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
            "</table>\n</section>")


def _sources(d: ReportData) -> str:
    made = f"<p>Document établi le {_e(d.generated_on)}.</p>" if d.generated_on.strip() else ""
    if not d.sources:  # no métier in the bilan: nothing of the catalogue to credit
        return f"<section>\n{made}\n</section>" if made else ""
    return f"<section>\n<h2>Sources des informations</h2>\n{_list(d.sources)}\n{made}\n</section>"
