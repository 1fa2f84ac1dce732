"""The window's preferences, declared once with their defaults, stored in an INI file.

Each option is a typed attribute of :class:`Settings`; reading it never fails (a missing or
damaged value gives the default). The file lives in the user configuration folder; tests give
their own path, so they never read or write the real one.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Generic, TypeVar

from platformdirs import user_config_dir
from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

# Keys of the title forms, in menu order, with the French label shown to the counselor.
TITLE_FORMS: dict[str, str] = {
    "inclusif": "Forme inclusive (infirmier/ère)",
    "feminin": "Forme féminine (infirmière)",
    "masculin": "Forme masculine (infirmier)",
}


def default_settings_path() -> Path:
    """The INI file used when no path is given."""
    return Path(user_config_dir("orientation", appauthor=False)) / "orientation.ini"


class _Option(Generic[T]):
    """One stored preference: a key, a default, and optionally the values it may take."""

    def __init__(self, key: str, default: T, choices: tuple[T, ...] | None = None) -> None:
        self.key = key
        self.default = default
        self.choices = choices

    def __get__(self, settings: Settings | None, owner: type) -> Any:
        if settings is None:
            return self
        value = settings.store.value(self.key, self.default)
        if isinstance(self.default, QByteArray):
            return value if isinstance(value, QByteArray) else QByteArray()
        if not isinstance(value, type(self.default)) or (self.choices and value not in self.choices):
            return self.default
        return value

    def __set__(self, settings: Settings, value: T) -> None:
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.key}: {value!r} not in {self.choices}")
        settings.store.setValue(self.key, value)


class Settings:
    """The preferences of the desktop application (see the module docstring)."""

    title_form = _Option("affichage/forme_des_titres", "inclusif", tuple(TITLE_FORMS))
    geometry = _Option("fenetre/geometrie", QByteArray())
    window_state = _Option("fenetre/etat", QByteArray())
    # table | fiche since the filters became a dock (the old three-pane state is not reused)
    splitter_state = _Option("fenetre/separateurs_catalogue", QByteArray())
    import_folder = _Option("import/dernier_dossier", "")
    save_folder = _Option("fichiers/dernier_dossier", "")  # where the last bilan or export was saved
    welcomed = _Option("accueil/premier_lancement", "", ("", "fait"))  # the first-run setup was offered

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_settings_path()
        self.store = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to the file now (Qt also does it on its own, later)."""
        self.store.sync()
