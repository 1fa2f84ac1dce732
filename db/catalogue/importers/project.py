"""The project's own fiche format, ``orientation-fiche/1`` (JSON Lines; see resources/catalogue/README.md).

The bundled starter catalogue is written in it, and a counselor can write fiches of their own
the same way. Every line is checked; one bad line refuses the whole file.
"""
from __future__ import annotations

import json
import re
from typing import Any

from db.errors import FicheError
from db.catalogue.importers.registry import Format, register
from db.catalogue.records import MetierRecord, ParsedFile, Ref, Salary, Section, Synonym

FORMAT_TAG = "orientation-fiche/1"
SOURCE_KIND = "projet"
_ID = re.compile(r"^ORI\.[a-z0-9][a-z0-9-]*$")
_SECTIONS = (("description", "Présentation"), ("travail", "Le travail au quotidien"),
             ("acces", "Comment y accéder"))


def sniff(data: bytes, name: str) -> bool:
    """A JSON object line whose ``format`` is ``orientation-fiche/1`` starts the file."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:400]
    return head.startswith(b"{") and FORMAT_TAG.encode() in head


def parse(data: bytes, name: str) -> ParsedFile:
    """Parse every line; FicheError names the first bad line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FicheError("le fichier n'est pas en UTF-8 (format orientation-fiche/1)") from exc
    records: list[MetierRecord] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FicheError(f"ligne {number} : JSON invalide ({exc.msg})") from exc
        record = _record(obj, number)
        if record.id in seen:
            raise FicheError(f"ligne {number} : identifiant en double « {record.id} »")
        seen.add(record.id)
        records.append(record)
    if not records:
        raise FicheError("aucune fiche dans le fichier")
    return ParsedFile(format_name=FORMAT_TAG, records=records)


def _record(obj: Any, line: int) -> MetierRecord:
    if not isinstance(obj, dict) or obj.get("format") != FORMAT_TAG:
        raise FicheError(f"ligne {line} : ce n'est pas une fiche {FORMAT_TAG}")
    ident = _required_text(obj, "id", line)
    if not _ID.match(ident):
        raise FicheError(f"ligne {line} : identifiant invalide « {ident} » (attendu : ORI.nom-du-metier)")
    sections = [Section(key, title, obj[key].strip()) for key, title in _SECTIONS
                if isinstance(obj.get(key), str) and obj[key].strip()]
    return MetierRecord(
        id=ident,
        name=_required_text(obj, "nom", line),
        source_kind=SOURCE_KIND,
        label_f=_text(obj, "libelle_feminin", line),
        label_m=_text(obj, "libelle_masculin", line),
        synonyms=[_synonym(s, line) for s in _list(obj, "synonymes", line)],
        summary=sections[0].text if sections else None,
        sections=sections,
        rome_codes=[str(c) for c in _list(obj, "codes_rome", line)],
        level_text=_text(obj, "niveau", line),
        salary=_salary(obj, line),
        sectors=[Ref(label="", id=str(s)) for s in _list(obj, "secteurs", line)],
        interests=[Ref(label="", id=str(s)) for s in _list(obj, "centres_interet", line)],
        statuts=[Ref(label="", id=str(s)) for s in _list(obj, "statuts", line)],
        formations=[Ref(label=str(f)) for f in _list(obj, "formations", line)],
        riasec=_text(obj, "riasec", line),
        country=_text(obj, "pays", line) or "FR",
        licence="Fiche du projet Orientation",
        same_as=_text(obj, "onisep_id", line),
    )


def _required_text(obj: dict[str, Any], key: str, line: int) -> str:
    value = _text(obj, key, line)
    if value is None:
        raise FicheError(f"ligne {line} : champ « {key} » manquant")
    return value


def _text(obj: dict[str, Any], key: str, line: int) -> str | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise FicheError(f"ligne {line} : le champ « {key} » doit être un texte")
    return value.strip()


def _list(obj: dict[str, Any], key: str, line: int) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise FicheError(f"ligne {line} : le champ « {key} » doit être une liste")
    return value


def _synonym(value: Any, line: int) -> Synonym:
    if isinstance(value, str):
        return Synonym(name=value)
    if isinstance(value, dict) and isinstance(value.get("nom"), str):
        return Synonym(value["nom"], value.get("libelle_feminin"), value.get("libelle_masculin"))
    raise FicheError(f"ligne {line} : synonyme invalide")


def _salary(obj: dict[str, Any], line: int) -> Salary | None:
    low, high, year = obj.get("salaire_min"), obj.get("salaire_max"), obj.get("salaire_annee")
    note = obj.get("salaire_note")
    for key, value in (("salaire_min", low), ("salaire_max", high), ("salaire_annee", year)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise FicheError(f"ligne {line} : « {key} » doit être un nombre entier positif")
    if low is None and high is None:
        return Salary(text=note, scope="inconnu", year=year) if note else None
    if high is not None and low is not None and high < low:
        raise FicheError(f"ligne {line} : salaire maximum inférieur au minimum")
    return Salary(text=_salary_text(low, high, note), min_eur=low, max_eur=high, scope="debutant",
                  year=year, source_date=f"{year}-01-01" if year else None,
                  country=_text(obj, "pays", line) or "FR")


def _salary_text(low: int | None, high: int | None, note: str | None) -> str:
    if low is not None and high is not None:
        text = f"Entre {low} et {high} euros brut par mois"
    else:
        text = f"A partir de {low if low is not None else high} euros brut par mois"
    return f"{text} ({note})" if note else text


register(Format(FORMAT_TAG, "fiches du projet « orientation-fiche/1 » (.jsonl)", sniff, parse))
