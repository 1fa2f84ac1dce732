"""The ONISEP-derived part of the catalogue, offered as the ODbL asks (``orientation export
--onisep-odbl --out DIR``).

ONISEP publishes its Idéo-Fiches métiers under the Open Database License: a database adapted
from it must be offered in machine-readable form, under the same licence, saying where it comes
from. This writes the métiers imported from ONISEP with the project's normalised fields (JSON)
and a short note, in French, of how they were derived. Nothing about pupils is read here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.catalogue.credits import ONISEP_KINDS
from db.catalogue.export import iter_catalogue
from db.catalogue.format import french_date
from db.models import Metier
from db.storage import files

DATA_FILE = "metiers-onisep-odbl.json"
NOTE_FILE = "LISEZMOI-ODbL.txt"
# Where the counselor's computer kept the imported file says nothing about the data: left out.
_LEFT_OUT = ("source_fichier",)


@dataclass(frozen=True)
class OdblExport:
    """What was written: the number of métiers and the two files."""

    count: int
    data: Path
    note: Path


def write_onisep_odbl(session: Session, folder: Path, today: date | None = None) -> OdblExport:
    """Write the ONISEP-derived métiers and the note into ``folder`` (created if needed)."""
    records = [{k: v for k, v in record.items() if k not in _LEFT_OUT}
               for record in iter_catalogue(session) if record["source"] in ONISEP_KINDS]
    dated = session.execute(select(func.max(Metier.source_date))
                            .where(Metier.source_kind.in_(ONISEP_KINDS))).scalar()
    folder.mkdir(parents=True, exist_ok=True)
    data = files.write_atomically(folder / DATA_FILE, (json.dumps(
        records, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), private=False)
    note = files.write_atomically(folder / NOTE_FILE, _note(len(records), dated, today or date.today())
                                  .encode("utf-8"), private=False)
    return OdblExport(len(records), data, note)


def _note(count: int, dated: str | None, today: date) -> str:
    """The note that goes with the data: origin, licence, and how the fields were derived."""
    when = f", données du {french_date(dated)}" if dated and len(dated) == 10 else ""
    return f"""Métiers issus d'Idéo-Fiches métiers (Onisep{when}), sous licence ODbL
================================================================

Fichier : {DATA_FILE} ({count} métiers), exporté le {french_date(today)} par l'application Orientation.

Origine : « Idéo-Fiches métiers, Onisep{when}, sous licence ODbL ».
Licence : ce fichier est une base de données dérivée ; elle est mise à disposition sous la même
licence, l'Open Database License (ODbL) 1.0 : https://opendatacommons.org/licenses/odbl/1-0/

Comment les champs ont été obtenus à partir des fiches d'Onisep :
- nom, libelle_feminin, libelle_masculin : les intitulés de la fiche, tels quels ;
- niveau, bac_plus : le niveau d'accès de la fiche ramené à une échelle commune
  (bac_plus = années d'études après le bac ; CAP = -2 ; vide si la fiche n'en dit rien) ;
- salaire_min, salaire_max : les montants du texte de salaire de la fiche, en euros bruts par mois
  (salaire_texte garde la phrase d'origine) ;
- secteurs, centres_interet, statuts, formations : les listes de la fiche, rattachées aux
  nomenclatures d'Onisep ;
- codes_rome : les codes ROME cités par la fiche ; codes_rome_anciens : ceux qu'elle écrit dans
  l'ancien format (5 chiffres) ; les codes mal formés sont écartés ;
- source, importe_le : le format de la fiche importée et la date de son import.
Le chemin du fichier importé sur le poste n'est pas repris.
"""
