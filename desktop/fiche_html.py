"""A fiche laid out as rich text for reading aloud: large type, one heading per part.

Every value that comes from data goes through :func:`html.escape` before it is placed in the
markup, so a fiche containing ``<b>`` or ``<script>`` shows those characters as text.
Related métiers present in the catalogue become ``metier:<id>`` links.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from db.catalogue.format import french_date, years_words
from db.catalogue.format import title_in_form as format_title

if TYPE_CHECKING:
    from db.catalogue.fiche import FicheDetail
    from db.catalogue.routes import Route, Routes

LINK_SCHEME = "metier"
ROME_SOURCE = "France Travail (ROME)"

STYLE = """
h1 {{ font-size: {h1}pt; margin-bottom: 2px; }}
h2 {{ font-size: {h2}pt; margin-top: 16px; margin-bottom: 4px; color: {heading}; }}
p, li, td {{ font-size: {body}pt; }}
.forms {{ color: {muted}; }}
.fact {{ margin-top: 2px; margin-bottom: 2px; }}
.muted {{ color: {muted}; }}
.source {{ font-size: {small}pt; color: {muted}; }}
"""
# Heading and secondary text colours on a light and on a dark background (a dark or high-contrast
# system palette): at least 7:1 against white, and against a near-black background (#202020).
COLOURS = {False: {"heading": "#1d3f66", "muted": "#444444"}, True: {"heading": "#a8ccff", "muted": "#d0d0d0"}}


def style_sheet(base_pt: float, dark: bool = False) -> str:
    """The document style for a base font of ``base_pt`` points (text scales with the system
    font), with colours for a light or a ``dark`` background (the system palette's)."""
    return STYLE.format(h1=round(base_pt * 1.7, 1), h2=round(base_pt * 1.3, 1), body=round(base_pt * 1.1, 1),
                        small=round(base_pt, 1), **COLOURS[dark])


def _e(text: str | None) -> str:
    return escape(text or "", quote=True)


def _paragraphs(text: str) -> str:
    """Plain text as paragraphs: blank lines separate them, single newlines stay line breaks."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "".join(f"<p>{_e(b).replace(chr(10), '<br>')}</p>" for b in blocks)


def title_in_form(fiche: FicheDetail, form: str) -> str:
    """The fiche's title in the chosen form, the inclusive name when that form is unknown."""
    return format_title(fiche.name, fiche.label_f, fiche.label_m, form)


def fiche_html(fiche: FicheDetail, form: str = "inclusif", routes: Routes | None = None) -> str:
    """The whole fiche as an HTML fragment (see the module docstring); with ``routes`` (a
    student's session is open and the pupil's class known), the routes drawn after the formations."""
    parts = [f"<h1>{_e(title_in_form(fiche, form))}</h1>", _forms(fiche), _facts(fiche)]
    parts += _sections(fiche)
    parts.append(_list("Formations", fiche.formation_lines or fiche.formations))
    parts.append(routes_html(routes) if routes is not None else "")
    parts.append(_inline("Centres d'intérêt", fiche.interests))
    parts.append(_rome(fiche))
    parts.append(_related(fiche))
    parts.append(_source(fiche))
    return "".join(p for p in parts if p)


def _forms(fiche: FicheDetail) -> str:
    lines = []
    if fiche.label_f or fiche.label_m:
        lines.append(f"Au féminin : <b>{_e(fiche.label_f or fiche.name)}</b> — "
                     f"au masculin : <b>{_e(fiche.label_m or fiche.name)}</b>")
    if fiche.synonyms:
        lines.append("Autres appellations : " + _e(", ".join(fiche.synonyms)))
    return "".join(f'<p class="forms">{line}</p>' for line in lines)


def _facts(fiche: FicheDetail) -> str:
    salary = _e(fiche.salary_line)
    if fiche.salary_min is not None or fiche.salary_max is not None:
        salary += f" ({_e(fiche.salary_origin)})"
    rows = [("Niveau d'études minimum", _e(fiche.level)), ("Salaire de début", salary)]
    if fiche.career_line:
        rows.append(("En cours de carrière", _e(fiche.career_line)))
    if fiche.salary_text and fiche.source_kind != "projet":
        rows.append(("D'après la fiche", f"« {_e(fiche.salary_text)} »"))
    if fiche.sectors:
        stated = [s for s in fiche.sectors if s not in fiche.derived_sectors]
        derived = " ; ".join(fiche.derived_sectors)
        # As the bilan, the fiche's own sectors first; those read from its ROME codes are said so.
        parts = [" ; ".join(stated)] if stated else []
        parts += [f"{derived} (d'après ses codes ROME)"] if derived else []
        rows.append(("Secteurs", _e(" ; ".join(parts))))
    if fiche.statuts:
        rows.append(("Statuts", _e(", ".join(fiche.statuts))))
    return "".join(f'<p class="fact"><b>{label} :</b> {value}</p>' for label, value in rows)


def _sections(fiche: FicheDetail) -> list[str]:
    parts = []
    texts = {s.text.strip() for s in fiche.sections}
    if fiche.summary and fiche.summary.strip() not in texts:
        parts.append("<h2>En résumé</h2>" + _paragraphs(fiche.summary))
    for section in fiche.sections:
        if section.text.strip():
            parts.append(f"<h2>{_e(section.title)}</h2>" + _paragraphs(section.text))
    return parts


def routes_html(routes: Routes) -> str:
    """The routes from the pupil's class as rows of boxes: the class, then each step with its
    length in years, the diploma in bold, the total at the end; then the notes."""
    from db.catalogue.routes import class_label

    school = _e(class_label(routes.class_code))
    title = f'<a name="parcours"></a><h2>Parcours depuis la classe actuelle ({school})</h2>'
    rows = [_route_row(route) for route in routes.routes]
    notes = "".join(f"<p>{_e(note)}</p>" for note in routes.notes)
    if not rows and not notes:
        notes = "<p>Aucun parcours trouvé depuis cette classe.</p>"
    return title + "".join(rows) + notes


def _route_row(route: Route) -> str:
    # The class's box has its own light background: its text is black whatever the palette.
    cells = [f'<td style="{_BOX} background-color: #E4E8EE; color: #000000;">{_e(route.steps[0].label)}</td>']
    for index, step in enumerate(route.steps[1:], start=1):
        name = f"<b>{_e(step.label)}</b>" if index == len(route.steps) - 1 else _e(step.label)
        length = f"<br/><b>{_e(years_words(step.years))}</b>" if step.years else ""
        cells += ['<td style="padding: 2px;">→</td>', f'<td style="{_BOX}">{name}{length}</td>']
    total = f"= {years_words(route.years)}" if route.years else ": à la fin de cette année"
    cells.append(f'<td style="padding: 4px;">{_e(total)}</td>')
    return f'<table cellspacing="0" style="margin-bottom: 6px;"><tr valign="middle">{"".join(cells)}</tr></table>'


_BOX = "border: 1px solid #808080; border-style: solid; padding: 4px; text-align: center;"  # seen on light and dark


def _list(title: str, items: list[str]) -> str:
    if not items:
        return ""
    return f"<h2>{_e(title)}</h2><ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def _inline(title: str, items: list[str]) -> str:
    return f"<h2>{_e(title)}</h2><p>{_e(' ; '.join(items))}</p>" if items else ""


def _rome(fiche: FicheDetail) -> str:
    current = [c for c in fiche.rome_codes if not c.legacy]
    if not current:
        return ""
    items = "".join(f"<li><b>{_e(c.code)}</b>" + (f" — {_e(c.label)}" if c.label else "") + "</li>"
                    for c in current)
    note = (f'<p class="source">Libellés des codes : {ROME_SOURCE}</p>'
            if any(c.label for c in current) else "")
    return f"<h2>Codes ROME</h2><ul>{items}</ul>{note}"


def _related(fiche: FicheDetail) -> str:
    if not fiche.related:
        return ""
    items = []
    for related in fiche.related:
        if related.in_catalogue and related.id:
            items.append(f'<li><a href="{LINK_SCHEME}:{_e(related.id)}">{_e(related.label)}</a></li>')
        else:
            items.append(f'<li>{_e(related.label)} <span class="muted">(pas dans le catalogue)</span></li>')
    return "<h2>Métiers proches</h2><ul>" + "".join(items) + "</ul>"


def _date(iso: str) -> str:
    try:
        return french_date(iso[:10])
    except ValueError:  # a source date that is not ISO: show it as the source wrote it
        return _e(iso)


def _source(fiche: FicheDetail) -> str:
    details = [_e(fiche.attribution), f"fiche importée le {french_date(fiche.imported_at.date())}"]
    if fiche.source_date:
        details.append(f"données du {_date(fiche.source_date)}")
    origins = "".join(f'<p class="source">{_e(line)}</p>' for line in fiche.provenance)
    return f'<hr><p class="source">{" — ".join(details)}</p>{origins}'
