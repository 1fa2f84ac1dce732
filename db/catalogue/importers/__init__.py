"""Fiche parsers: bytes in, plain :mod:`db.catalogue.records` out. They never touch the database.

Each format registers a :class:`Format` with a ``sniff`` function that looks at the content
(not only the file name) and a ``parse`` function. :func:`parse_bytes` picks the format,
decodes the text safely and raises :class:`db.errors.FicheError` with a French reason when
the file cannot be read.
"""
from __future__ import annotations

from db.catalogue.importers.registry import Format as Format
from db.catalogue.importers.registry import FORMATS as FORMATS
from db.catalogue.importers.registry import MAX_FILE_BYTES as MAX_FILE_BYTES
from db.catalogue.importers.registry import detect_format as detect_format
from db.catalogue.importers.registry import parse_bytes as parse_bytes
from db.catalogue.importers.registry import parse_path as parse_path
from db.catalogue.importers.registry import register as register
from db.catalogue.importers.registry import supported_formats as supported_formats


def _load_builtin_formats() -> None:
    # Imported for their side effect (register); order = detection priority.
    from db.catalogue.importers import project  # noqa: F401
    from db.catalogue.importers import onisep_formations_md  # noqa: F401
    from db.catalogue.importers import onisep_md  # noqa: F401
    from db.catalogue.importers import onisep_xml  # noqa: F401
    from db.catalogue.importers import rome  # noqa: F401
    from db.catalogue.importers import cidj  # noqa: F401
    from db.catalogue.importers import titre_pro  # noqa: F401
    from db.catalogue.importers import be_guide  # noqa: F401


_load_builtin_formats()
