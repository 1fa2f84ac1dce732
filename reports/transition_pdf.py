"""The note de liaison as a one-page A4 PDF (see :mod:`db.students.transition`).

Contract: :func:`render_transition_pdf` takes the note document (``orientation-eleve/2`` with
its ``note_de_liaison`` block) and the métier names by id, and returns PDF bytes showing only
the parts the document holds, with the consent line. Text is escaped; no Qt, no database.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer

from db.catalogue.format import french_date
from db.students.transition import PARTS
from reports.styles import FONT_BOLD, FONT_REGULAR, register_fonts
from reports.text import line_markup


def render_transition_pdf(note: dict[str, Any], metier_names: dict[str, str]) -> bytes:
    """One page: the pupil, the consent, then each ticked part of the latest session."""
    register_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title="Note de liaison", author="Orientation", invariant=True)
    title = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=3 * mm)
    body = ParagraphStyle("b", fontName=FONT_REGULAR, fontSize=10, leading=13)
    small = ParagraphStyle("s", parent=body, fontSize=8.5, textColor=colors.HexColor("#444444"))
    head = ParagraphStyle("h", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=4 * mm, spaceAfter=1 * mm)
    pupil, liaison = note["eleve"], note["note_de_liaison"]
    (latest,) = note["seances"]
    details = " · ".join(x for x in (pupil.get("classe"), pupil.get("etablissement")) if x)
    who = f"{pupil['prenom']} {pupil['nom']}" + (f" — {details}" if details else "")
    story: list[Any] = [Paragraph("Note de liaison", title), Paragraph(line_markup(who), body),
                        Paragraph(line_markup(f"Entretien du {french_date(latest['date'])}."), body),
                        Paragraph(line_markup(f"Transmise avec l'accord de : {liaison['consentement_de']}, "
                                        f"le {french_date(liaison['consentement_le'])}."), small)]
    sender = liaison.get("transmise_par") or {}
    said = " — ".join(x for x in (sender.get("nom"), sender.get("structure"), sender.get("contact")) if x)
    if said:
        story.append(Paragraph(line_markup(f"Transmise par : {said}."), small))
    story.append(Spacer(1, 2 * mm))
    for part in liaison["parties"]:
        story.append(Paragraph(line_markup(PARTS[part]), head))
        story += [Paragraph(line_markup(line), body) for line in _lines(part, latest, metier_names)]
    frame = KeepInFrame(doc.width, doc.height, story, mode="shrink")
    doc.build([frame])
    return buffer.getvalue()


def write_transition_pdf(note: dict[str, Any], metier_names: dict[str, str], path: Path) -> Path:
    """Write the PDF atomically, owner-only (it names a minor)."""
    from db.storage.files import write_atomically

    return write_atomically(path, render_transition_pdf(note, metier_names))


def _lines(part: str, latest: dict[str, Any], names: dict[str, str]) -> list[str]:
    if part == "interets":
        return [f"– {label}" for label in latest["centres_interet_libelles"]] or ["aucun"]
    if part == "contraintes":
        c = latest["contraintes"]
        lines = [f"Niveau d'études visé (au plus) : {c['niveau_max'] or 'non précisé'}"]
        if c["salaire_min"]:
            lines.append(f"Salaire de début souhaité : au moins {c['salaire_min']} € brut par mois")
        return lines
    if part == "selection":
        return [_kept(item, names) for item in latest["selection"]] or ["aucun"]
    text = latest[part]
    return [line for line in text.splitlines() if line.strip()] or ["—"]


def _kept(item: dict[str, str], names: dict[str, str]) -> str:
    name = names.get(item["metier"], item["metier"])
    return f"– {name} : {item['commentaire']}" if item["commentaire"] else f"– {name}"
